"""A tidy tree layout (Reingold–Tilford) in pure Python, and text measuring for the cards.

Why this and not Graphviz's `dot`: the server has no Graphviz (and a subprocess per page view
is what the house rules forbid), `dot` draws general graphs, not org charts (it reorders
siblings and bends edges), and a tidy tree is a few dozen lines with the guarantees an org chart
needs: a subtree is drawn the same wherever it sits, a parent is centred over its reports, and
subtrees are packed as close as their contours allow without ever overlapping.

The layout works on layers (one per level) with a contour per subtree: for every layer the
subtree reaches, its leftmost and rightmost extent. Siblings are placed left to right, each as
far left as the contours of the ones already placed allow (`gap` apart on every layer), then the
parent is centred over its first and last child. A manager with many reports who have none of
their own gets them in a compact stack (columns of cards one layer apart) instead of one wide
row, the way printed org charts do; the stack is one more rigid block in the contour, so the
no-overlap guarantee holds for it too. O(n · depth), a few milliseconds for 200 people.
"""
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

# ---- text ------------------------------------------------------------------------------------
# The server cannot ask a browser how wide a string is, and the PDF has no browser at all: widths
# are estimated per character, in em. CJK (and other wide) characters are a full em; latin
# letters about half. Estimates err wide, so text fits in every font the pages fall back to.
_NARROW = set("iljtf.,:;'|!()[] ·")
_WIDE = set("mwMW@%")


@lru_cache(maxsize=4096)
def char_em(ch):
    """The width of one character in em (an estimate, on the wide side)."""
    if unicodedata.east_asian_width(ch) in "WF":
        return 1.0
    if ch in _NARROW:
        return 0.3
    if ch in _WIDE:
        return 0.86
    if ch.isupper():
        return 0.66
    return 0.56 if ch.isdigit() else 0.55


def text_width(text, size, bold=False):
    """Estimated width in px of `text` at font size `size`."""
    return sum(map(char_em, text)) * size * (1.08 if bold else 1.0)


def _tokens(text):
    """Words (with their trailing space) and single wide characters: the places a line may break."""
    out, word = [], ""
    for ch in text:
        if unicodedata.east_asian_width(ch) in "WF":
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        else:
            word += ch
            if ch == " ":
                out.append(word)
                word = ""
    if word:
        out.append(word)
    return out


def ellipsize(text, size, width, bold=False):
    """`text` cut with "…" to fit `width`."""
    scale = size * (1.08 if bold else 1.0)
    if sum(map(char_em, text)) * scale <= width:
        return text
    room, used, n = width / scale - char_em("…"), 0.0, 0
    for ch in text:
        used += char_em(ch)
        if used > room:
            break
        n += 1
    return text[:n].rstrip() + "…"


def wrap(text, size, width, max_lines=2, bold=False):
    """`text` broken into at most `max_lines` lines of `width` px; the last one ellipsized."""
    text = " ".join((text or "").split())
    if not text:
        return []
    scale = size * (1.08 if bold else 1.0)
    room = width / scale
    lines, line, used = [], "", 0.0
    for tok in _tokens(text):
        tw = sum(map(char_em, tok.rstrip()))
        if used + tw <= room:
            line += tok
            used += sum(map(char_em, tok))
            continue
        if line:
            lines.append(line.rstrip())
            if len(lines) >= max_lines:
                break
            line, used = "", 0.0
        while tw > room:  # a word longer than a line: cut it
            cut, cw = "", 0.0
            for ch in tok:
                if cw + char_em(ch) > room:
                    break
                cut, cw = cut + ch, cw + char_em(ch)
            lines.append(cut)
            tok = tok[len(cut):]
            tw = sum(map(char_em, tok.rstrip()))
        line, used = tok, sum(map(char_em, tok))
    if line.strip() and len(lines) < max_lines:
        lines.append(line.rstrip())
    lines = lines[:max_lines]
    if _dropped(lines, text):  # more than fits: the last line says so
        lines[-1] = ellipsize(lines[-1] + " ", size, width, bold)
        if not lines[-1].endswith("…"):
            lines[-1] += "…"
    return lines


def _dropped(lines, text):
    """Whether the lines leave part of `text` out."""
    return sum(len(x.replace(" ", "")) for x in lines) < len(text.replace(" ", ""))


# ---- the tree --------------------------------------------------------------------------------

@dataclass
class Node:
    """A card in the tree: `key` names it, `children` are its reports (Nodes)."""

    key: object
    children: list = field(default_factory=list)
    x: float = 0.0  # centre, absolute after layout
    layer: int = 0
    stacked: bool = False  # drawn in its parent's stack of reports
    # layout scratch: offsets of the children's blocks relative to this node's centre
    _offsets: list = field(default_factory=list, repr=False)
    _stack: list = field(default_factory=list, repr=False)  # [(column, row, node)]


@dataclass
class Layout:
    """Where every card goes: {key: (x, y)} of its top-left corner, and the drawing's size."""

    boxes: dict
    width: float
    height: float
    layers: int


class _Contour:
    """Left and right extent per layer (index 0 = the subtree's own top layer)."""

    __slots__ = ("left", "right")

    def __init__(self, left=None, right=None):
        self.left, self.right = left or [], right or []

    def shifted(self, dx, dl=0):
        return _Contour([None] * dl + [v + dx for v in self.left], [None] * dl + [v + dx for v in self.right])


def _merge(blocks, gap):
    """Place contours left to right as close as `gap` allows; returns (offsets, merged contour)."""
    offsets, acc = [], _Contour()
    for c in blocks:
        dx = 0.0
        if acc.right:
            need = [acc.right[d] - c.left[d] + gap for d in range(min(len(acc.right), len(c.left)))
                    if acc.right[d] is not None and c.left[d] is not None]
            dx = max(need) if need else 0.0
        offsets.append(dx)
        for d in range(len(c.left)):
            if c.left[d] is None:
                continue
            lo, hi = c.left[d] + dx, c.right[d] + dx
            if d >= len(acc.left):
                acc.left.append(lo)
                acc.right.append(hi)
            else:
                if acc.left[d] is None or lo < acc.left[d]:
                    acc.left[d] = lo
                if acc.right[d] is None or hi > acc.right[d]:
                    acc.right[d] = hi
    return offsets, acc


class TidyTree:
    """Lay out a forest of Nodes with cards `card_w` wide, one layer every `layer_h` px."""

    def __init__(self, card_w, card_h, layer_h, gap=16, stack_min=3, stack_rows=4, stack_indent=14):
        self.w, self.h, self.layer_h, self.gap = card_w, card_h, layer_h, gap
        self.stack_min, self.stack_rows, self.indent = stack_min, stack_rows, stack_indent

    def _stack_block(self, node, leaves, rows=None):
        """Reports without reports in columns of `stack_rows`; its contour as one block."""
        cols = -(-len(leaves) // (rows or self.stack_rows))
        rows = -(-len(leaves) // cols)
        node._stack = []
        for i, leaf in enumerate(leaves):
            leaf.stacked = node.key is not None
            node._stack.append((i // rows, i % rows, leaf))
        width = self._stack_width(cols)
        return _Contour([-width / 2] * rows, [width / 2] * rows)

    def _stack_width(self, cols):
        return cols * (self.indent + self.w) + (cols - 1) * self.gap

    def _place_stack(self, node, centre, layer, out):
        """The stacked cards of `node`, the block centred at `centre`, its first row on `layer`."""
        cols = max(col for col, _r, _n in node._stack) + 1
        left = centre - self._stack_width(cols) / 2
        for col, row, leaf in node._stack:
            lx = left + col * (self.indent + self.w + self.gap) + self.indent
            leaf.x, leaf.layer = lx + self.w / 2, layer + row
            out[leaf.key] = (lx, (layer + row) * self.layer_h)

    def _shape(self, node):
        """The subtree's contour, with the node's centre at 0."""
        leaves = [c for c in node.children if not c.children]
        branches = [c for c in node.children if c.children]
        blocks, kinds = [], []
        if len(leaves) >= self.stack_min:
            blocks.append(self._stack_block(node, leaves))
            kinds.append("stack")
            kids = branches
        else:
            kids = node.children
        for child in kids:
            blocks.append(self._shape(child))
            kinds.append(child)
        own = _Contour([-self.w / 2], [self.w / 2])
        if not blocks:
            node._offsets = []
            return own
        offsets, merged = _merge(blocks, self.gap)
        centre = (offsets[0] + offsets[-1]) / 2
        node._offsets = [(k, off - centre) for k, off in zip(kinds, offsets, strict=True)]
        below = merged.shifted(-centre, dl=1)
        below.left[0], below.right[0] = own.left[0], own.right[0]
        return below

    def _place(self, node, x, layer, out):
        node.x, node.layer = x, layer
        out[node.key] = (x - self.w / 2, layer * self.layer_h)
        for kind, off in node._offsets:
            if kind == "stack":
                self._place_stack(node, x + off, layer + 1, out)
            else:
                self._place(kind, x + off, layer + 1, out)

    def layout(self, roots):
        """{key: (left, top)} for every node of the forest, roots side by side (those without
        reports in a stack of their own, so a department of loose people stays compact)."""
        if not roots:
            return Layout({}, 0, 0, 0)
        loose = [r for r in roots if not r.children]
        holder, blocks, kinds = Node(None), [], []
        if len(loose) >= self.stack_min:
            rows = max(self.stack_rows, int(len(loose) ** 0.5 + 0.999))
            blocks.append(self._stack_block(holder, loose, rows=rows))
            kinds.append(holder)
            roots_left = [r for r in roots if r.children]
        else:
            roots_left = roots
        for r in roots_left:
            blocks.append(self._shape(r))
            kinds.append(r)
        offsets, _merged = _merge(blocks, self.gap * 2)
        out = {}
        for kind, off in zip(kinds, offsets, strict=True):
            if kind is holder:
                self._place_stack(holder, off, 0, out)
            else:
                self._place(kind, off, 0, out)
        min_x = min(x for x, _y in out.values())
        boxes = {k: (x - min_x, y) for k, (x, y) in out.items()}
        for n in _walk(roots):
            n.x -= min_x
        layers = max(n.layer for n in _walk(roots)) + 1
        width = max(x for x, _y in boxes.values()) + self.w
        return Layout(boxes, width, (layers - 1) * self.layer_h + self.h, layers)


def _walk(roots):
    stack = list(roots)
    while stack:
        n = stack.pop()
        yield n
        stack.extend(n.children)


def build_forest(items, parent_of, key_order):
    """Roots of the forest over `items` (keys), parent given by `parent_of(key)` (None: a root).

    A parent outside `items` makes a root; a cycle in the data (which the services refuse, but
    rows edited by hand may hold) is broken where it closes, so every item is drawn exactly once.
    Children and roots are ordered by `key_order`.
    """
    nodes = {k: Node(k) for k in items}
    roots = []
    for k in items:
        p = parent_of(k)
        if p is None or p not in nodes or p == k or _closes_cycle(k, parent_of, nodes):
            roots.append(nodes[k])
        else:
            nodes[p].children.append(nodes[k])
    for n in nodes.values():
        n.children.sort(key=lambda c: key_order(c.key))
    return sorted(roots, key=lambda r: key_order(r.key)), nodes


def _closes_cycle(key, parent_of, nodes):
    """Whether walking up from `key` comes back to it; the smallest key of the loop becomes a root."""
    seen, cur = [], parent_of(key)
    while cur is not None and cur in nodes:
        if cur == key:
            return key == min(seen + [key], key=str)
        if cur in seen:
            return False
        seen.append(cur)
        cur = parent_of(cur)
    return False
