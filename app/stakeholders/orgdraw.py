"""The drawn org chart as data: cards, reports-to lines and our coverage, laid out, as a plain dict.

`draw(smap, ...)` takes a loaded StakeholderMap and returns only strings, numbers, booleans, lists
and dicts, already in the reader's language, so the org page, the quarterly review's preview and
its PDF (and a finalised review stored as JSON) all render the same drawing with `orgsvg.render`.
No queries here: everything comes from the map's fixed loads.
"""
import threading
import unicodedata
from collections import OrderedDict
from datetime import timedelta
from functools import cache
from operator import itemgetter

from app.stakeholders.gaps import STALE_DAYS, is_decision_maker, is_senior_enough
from app.stakeholders.tidytree import TidyTree, build_forest, ellipsize, text_width, wrap
from app.translate import gettext as _
from app.vocab import RELATIONSHIP_STRENGTH, SENIORITY

CARD_W, CARD_H, OWNERS_H = 204, 82, 20
V_GAP, GAP, MARGIN, STUB_H = 34, 16, 12, 24
OURS_W, OURS_H, OURS_GAP = 156, 40, 90
LEVEL_CODE = {"none": "0", "acquainted": "1", "credible": "2", "trusted_advisor": "3"}


def level_text(current, target):
    """"2" or "1→3": the current relationship level and, when it differs, the target."""
    cur, tgt = LEVEL_CODE.get(current, "?"), LEVEL_CODE.get(target, "?")
    return cur if cur == tgt else f"{cur}→{tgt}"


def short_name(name):
    """The part of a name a chip has room for: the Chinese name, else the first word."""
    words = (name or "?").split()
    cjk = [w for w in words if any(unicodedata.east_asian_width(ch) in "WF" for ch in w)]
    return (cjk[0] if cjk else words[0]) if words else "?"


def _dept_order(departments):
    """Departments depth-first by their `parent_id`, each level by name."""
    kids, ids = {}, {d.id for d in departments}
    for d in departments:
        kids.setdefault(d.parent_id if d.parent_id in ids else None, []).append(d)
    out, seen = [], set()

    def visit(parent):
        for d in sorted(kids.get(parent, []), key=lambda d: d.name):
            if d.id not in seen:
                seen.add(d.id)
                out.append(d)
                visit(d.id)

    visit(None)
    return out + [d for d in departments if d.id not in seen]


class _Ctx:
    """What every card needs: owners, the team, names, today."""

    def __init__(self, smap, today, coverage):
        self.smap, self.today, self.coverage = smap, today, coverage
        self.never, self.gone = _("◷ never"), _("✕ Left")
        self.labels = {}  # (field, code) -> its label in this language: translated once a drawing
        self.by_id = {c.id: c for c in smap.contacts}
        self.depts = {d.id: d for d in smap.departments}
        self.team = smap.team_user_ids
        self.owners, self.dept_pairings = {}, {}
        for p in smap.pairings:
            if p.contact_id:
                self.owners.setdefault(p.contact_id, []).append(p)
            elif p.department_id:
                self.dept_pairings.setdefault(p.department_id, []).append(p)

    def user(self, uid):
        return self.smap.users.get(uid)

    def label(self, c, field):
        """The contact's `field`_label (seniority, buying role, influence, attitude) as text."""
        key = (field, getattr(c, field))
        text = self.labels.get(key)
        if text is None:
            text = self.labels[key] = str(getattr(c, field + "_label"))
        return text

    def no_exec_owner(self, c):
        if c.status != "active" or not is_decision_maker(c):
            return False
        return not any(p.user_id in self.team and self.user(p.user_id) is not None
                       and is_senior_enough(self.user(p.user_id)) for p in self.owners.get(c.id, []))


def _card(ctx, c, x, y, show_dept):
    """One card as data: text already fitted, marks and coverage chips."""
    w, inner = CARD_W, CARD_W - 18
    dm, left = is_decision_maker(c), c.status != "active"
    stale = None
    if not left:
        if c.last_contacted_on is None:
            stale = ctx.never
        elif c.last_contacted_on < ctx.today - timedelta(days=STALE_DAYS):
            stale = _("◷ %(days)d d", days=(ctx.today - c.last_contacted_on).days)
    tag = ctx.gone if left else stale
    tag_w = text_width(tag, 10) + 10 if tag else 0
    name_w = inner - tag_w - (14 if dm else 0)
    dept = ctx.depts.get(c.department_id)
    title = c.title or ctx.label(c, "seniority")
    card = {
        "id": c.id, "x": round(x, 1), "y": round(y, 1), "w": w,
        "h": CARD_H + (OWNERS_H if ctx.coverage else 0),
        "name": ellipsize(c.name, 13, name_w, bold=True), "full_name": c.name,
        "title": wrap(title, 11, inner, max_lines=1 if show_dept else 2),
        "dept": ellipsize(dept.name, 10.5, inner) if (show_dept and dept) else "",
        "role": ellipsize(ctx.label(c, "buying_role"), 10, 78) if c.buying_role else "",
        "influence": c.influence, "influence_label": ctx.label(c, "influence"),
        "attitude": c.attitude, "attitude_label": ctx.label(c, "attitude"),
        "dm": dm, "no_exec": ctx.no_exec_owner(c), "left": left, "tag": tag or "",
        "version": c.version, "owners": [],
    }
    if ctx.coverage and not left:
        cx, cy = x + 9, y + CARD_H + 8
        pairings = sorted(ctx.owners.get(c.id, []), key=lambda p: (-SENIORITY.rank(
            getattr(ctx.user(p.user_id), "seniority", "staff")), p.id))
        for i, p in enumerate(pairings):
            u = ctx.user(p.user_id)
            label = f"{ellipsize(short_name(u.name if u else '?'), 10, 64)} {level_text(p.current_level, p.target_level)}"
            cw = text_width(label, 10) + 10
            if cx + cw > x + w - 8 and i < len(pairings):
                card["more"] = len(pairings) - i
                break
            card["owners"].append({"user_id": p.user_id, "label": label, "x": round(cx, 1), "y": round(cy, 1),
                                   "w": round(cw, 1), "cur": p.current_level, "tgt": p.target_level,
                                   "gone": p.user_id not in ctx.team})
            cx += cw + 4
    return card


def _edge(tree, parent_box, child_box, stacked):
    """The connector from a manager's card to a report's: down, along, down (or into a stack)."""
    px, py = parent_box["x"] + CARD_W / 2, parent_box["y"] + parent_box["h"]
    bus = py + V_GAP / 2
    if stacked:
        col = child_box["x"] - tree.indent / 2
        mid = child_box["y"] + 22
        return f"M{px:.1f} {py:.1f}V{bus:.1f}H{col:.1f}V{mid:.1f}H{child_box['x']:.1f}"
    cx = child_box["x"] + CARD_W / 2
    return f"M{px:.1f} {py:.1f}V{bus:.1f}H{cx:.1f}V{child_box['y']:.1f}"


def _section(ctx, contacts, shown_ids, parent_of, order, show_dept):
    """Lay out one forest (a department, or everyone) and its coverage: a drawing dict."""
    card_h = CARD_H + (OWNERS_H if ctx.coverage else 0)
    tree = TidyTree(CARD_W, card_h, card_h + V_GAP, gap=GAP)
    ids = [c.id for c in contacts]
    local = set(ids)
    roots, nodes = build_forest(ids, lambda k: parent_of(k) if parent_of(k) in local else None, order)
    lay = tree.layout(roots)
    stubs = [k for k in ids if nodes[k] in roots and parent_of(k) is not None and parent_of(k) not in local]
    top = MARGIN + (STUB_H if stubs else 0)
    ours = _ours(ctx, contacts) if ctx.coverage else []
    x0 = MARGIN + (OURS_W + OURS_GAP if ours else 0)
    cards = {}
    for k in ids:
        bx, by = lay.boxes[k]
        cards[k] = _card(ctx, ctx.by_id[k], x0 + bx, top + by, show_dept)
    edges = []
    for n in nodes.values():
        for child in n.children:
            edges.append({"from": n.key, "to": child.key, "d": _edge(tree, cards[n.key], cards[child.key], child.stacked),
                          "indirect": ctx.by_id[child.key].reports_to_id != n.key})
    stub_list = []
    for k in stubs:
        boss = ctx.by_id[parent_of(k)]
        where = ctx.depts.get(boss.department_id)
        label = f"↑ {boss.name}" + (f" · {where.name}" if where else "")
        b = cards[k]
        stub_list.append({"from": boss.id, "to": k, "x": b["x"] + CARD_W / 2, "y": b["y"],
                          "label": ellipsize(label, 10, CARD_W + GAP * 2 - 8),
                          "indirect": ctx.by_id[k].reports_to_id != boss.id})
    height = top + lay.height + MARGIN
    ours_boxes, links = _place_ours(ours, cards, height)
    width = x0 + lay.width + MARGIN
    height = max(height, max((o["y"] + o["h"] + MARGIN for o in ours_boxes), default=0))
    return {"w": round(width), "h": round(height), "cards": list(cards.values()), "edges": edges,
            "stubs": stub_list, "ours": ours_boxes, "links": links}


def _ours(ctx, contacts):
    """Our people who cover someone here (or the department itself), most senior first."""
    here = {c.id for c in contacts}
    depts = {c.department_id for c in contacts if c.department_id}
    people = {}
    for cid in here:
        for p in ctx.owners.get(cid, []):
            people.setdefault(p.user_id, {"contacts": [], "depts": []})["contacts"].append(p)
    for did in depts:
        for p in ctx.dept_pairings.get(did, []):
            people.setdefault(p.user_id, {"contacts": [], "depts": []})["depts"].append(p)
    out = []
    for uid, what in people.items():
        u = ctx.user(uid)
        if u is None:
            continue
        lines = [ellipsize(_("Covers %(dept)s · %(level)s", dept=ctx.depts[p.department_id].name,
                             level=level_text(p.current_level, p.target_level)), 10, OURS_W - 14)
                 for p in what["depts"][:2]]
        sub = str(SENIORITY.label(u.seniority)) if uid in ctx.team else _("left our team")
        out.append({"user_id": uid, "name": ellipsize(u.name, 12, OURS_W - 14, bold=True), "sub": sub,
                    "exec": is_senior_enough(u), "gone": uid not in ctx.team, "lines": lines,
                    "h": OURS_H + 13 * len(lines), "w": OURS_W, "rank": (-SENIORITY.rank(u.seniority), u.name)})
    return sorted(out, key=lambda o: o["rank"])


def _place_ours(ours, cards, height):
    """Each of ours level with the people they cover, pushed down so no two overlap; the lines."""
    targets = {}
    for card in cards.values():
        for chip in card["owners"]:
            targets.setdefault(chip["user_id"], []).append((card, chip))
    for o in ours:
        ys = [chip["y"] for _card, chip in targets.get(o["user_id"], [])]
        o["want"] = (sum(ys) / len(ys) - o["h"] / 2) if ys else 0
    y = MARGIN
    for o in sorted(ours, key=lambda o: (o["want"], o["rank"])):
        o["x"], o["y"] = MARGIN, round(max(o.pop("want"), y), 1)
        y = o["y"] + o["h"] + 10
        o.pop("rank")
    links = []
    for o in ours:
        x1, y1 = o["x"] + o["w"], o["y"] + 20
        for card, chip in targets.get(o["user_id"], []):
            x2, y2 = chip["x"] - 1, chip["y"]
            bend = max(40.0, min(160.0, (x2 - x1) / 2))
            links.append({"user_id": o["user_id"], "to": card["id"], "cur": chip["cur"], "tgt": chip["tgt"],
                          "gone": chip["gone"],
                          "title": f"{o['name']} → {card['full_name']}: {RELATIONSHIP_STRENGTH.label(chip['cur'])}"
                                   + (f" → {RELATIONSHIP_STRENGTH.label(chip['tgt'])}" if chip["cur"] != chip["tgt"] else ""),
                          "d": f"M{x1:.1f} {y1:.1f}C{x1 + bend:.1f} {y1:.1f} {x2 - bend:.1f} {y2:.1f} {x2:.1f} {y2:.1f}"})
    return ours, links


# --- the same map drawn again ----------------------------------------------------------
# Laying out a chart is most of the org page and of the review's relations (200 people: 25 ms
# of 48), and the same account is drawn again and again while nothing in it changes. So a
# worker keeps its last MEMO_SIZE drawings, keyed by every column of every row the drawing
# reads (contacts, departments, pairings, our people, the team), the day, the options and the
# language: any edit (each bumps a row's version or changes a value) draws afresh. A drawing is
# shared between requests, so nothing may change it (tests/stakeholders/test_orgdraw_memo.py).

MEMO_SIZE = 32
_memo = OrderedDict()
_memo_lock = threading.Lock()


class _NotMapped(Exception):
    """A map of plain objects (the layout tests'): drawn every time."""


@cache
def _column_keys(cls):
    from sqlalchemy import inspect

    mapper = inspect(cls, raiseerr=False)
    if mapper is None:
        raise _NotMapped(cls)
    keys = [a.key for a in mapper.column_attrs]
    return keys, itemgetter(*keys)


def _rows_key(objects):
    """Every column value of each object, as loaded (never a lazy load: an unloaded column,
    which the drawing cannot have read either, counts as None)."""
    out = []
    for o in objects:
        keys, get = _column_keys(type(o))
        state = o.__dict__
        try:
            out.append(get(state))
        except KeyError:
            out.append(tuple(state.get(k) for k in keys))
    return tuple(out)


def memo_key(smap, today, options):
    """What a drawing of `smap` depends on, hashable."""
    from flask_babel import get_locale

    return (_rows_key(smap.contacts), _rows_key(smap.departments), _rows_key(smap.pairings),
            _rows_key(smap.users[k] for k in sorted(smap.users)), tuple(sorted(smap.team_user_ids)),
            today, options, str(get_locale()))


def draw(smap, today, *, group=True, coverage=False, show_left=True, department_id=None):
    """The org chart of a loaded map (see _draw), drawn once while the map stays the same."""
    try:
        key = memo_key(smap, today, (group, coverage, show_left, department_id))
    except _NotMapped:
        return _draw(smap, today, group=group, coverage=coverage, show_left=show_left, department_id=department_id)
    with _memo_lock:
        chart = _memo.get(key)
        if chart is not None:
            _memo.move_to_end(key)
            return chart
    chart = _draw(smap, today, group=group, coverage=coverage, show_left=show_left, department_id=department_id)
    with _memo_lock:
        if key in _memo:  # another thread drew the same map meanwhile: keep one
            return _memo[key]
        _memo[key] = chart
        for section in chart["sections"]:
            _svg_slots[id(section["drawing"])] = (section["drawing"], {})
        while len(_memo) > MEMO_SIZE:
            _key, old = _memo.popitem(last=False)
            for section in old["sections"]:
                _svg_slots.pop(id(section["drawing"]), None)
    return chart


_svg_slots = {}  # id(a memoised chart's section drawing) -> (that drawing, {render args: svg})


def svg_slot(drawing):
    """Where orgsvg keeps the SVG of a memoised drawing (None for any other drawing, such as a
    finalised review's, read back from JSON). The slot holds the drawing, so its id is not reused."""
    slot = _svg_slots.get(id(drawing))
    return slot[1] if slot is not None and slot[0] is drawing else None


def _draw(smap, today, *, group=True, coverage=False, show_left=True, department_id=None):
    """The org chart of a loaded map: {"sections": [{title, count, dept_id, drawing}], ...}.

    group: one section per department (a report whose manager sits in another department gets a
    labelled stub to that manager); else one drawing of everyone. coverage: our people beside
    theirs, a line to each contact they cover. show_left: people who left stay in their place,
    marked (else their reports hang from the nearest remaining manager, the line dashed).
    """
    ctx = _Ctx(smap, today, coverage)
    shown = [c for c in smap.contacts if show_left or c.status == "active"]
    shown_ids = {c.id for c in shown}

    def parent_of(cid):
        """The nearest manager up the chain who is shown (a loop in the data ends the walk)."""
        seen, cur = {cid}, ctx.by_id[cid].reports_to_id
        while cur is not None and cur not in shown_ids and cur in ctx.by_id and cur not in seen:
            seen.add(cur)
            cur = ctx.by_id[cur].reports_to_id
        return cur if cur in shown_ids else None

    parents = {c.id: parent_of(c.id) for c in shown}
    dept_rank = {d.id: i for i, d in enumerate(_dept_order(smap.departments))}

    def order(cid):
        c = ctx.by_id[cid]
        return (c.status != "active", dept_rank.get(c.department_id, len(dept_rank)) if not group else 0,
                -SENIORITY.rank(c.seniority), not is_decision_maker(c), c.name, c.id)

    sections = []
    if group:
        buckets = {d.id: [] for d in _dept_order(smap.departments)}
        loose = []
        for c in shown:
            (buckets[c.department_id] if c.department_id in buckets else loose).append(c)
        groups = [(ctx.depts[did], people) for did, people in buckets.items()] + [(None, loose)]
        for dept, people in groups:
            if not people or (department_id and (dept is None or dept.id != department_id)):
                continue
            dp = ctx.dept_pairings.get(dept.id, []) if dept else []
            sections.append({
                "dept_id": dept.id if dept else None, "title": dept.name if dept else _("No department"),
                "count": sum(1 for c in people if c.status == "active"),
                "covered_by": [f"{ctx.user(p.user_id).name} {level_text(p.current_level, p.target_level)}"
                               for p in dp if ctx.user(p.user_id) is not None],
                "drawing": _section(ctx, people, shown_ids, parents.get, order, show_dept=False)})
    elif shown:
        people = [c for c in shown if not department_id or c.department_id == department_id]
        if people:
            sections.append({"dept_id": department_id, "title": "", "count": sum(1 for c in people if c.status == "active"),
                             "covered_by": [], "drawing": _section(ctx, people, shown_ids, parents.get, order, show_dept=True)})
    return {"group": group, "coverage": coverage, "show_left": show_left, "sections": sections,
            "cards": sum(len(s["drawing"]["cards"]) for s in sections)}
