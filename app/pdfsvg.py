"""SVG text in PDFs shaped a string at a time instead of a letter at a time.

WeasyPrint 70 draws every SVG <text> letter by letter: each character gets a Pango layout of its
own, laid out twice (measured, then drawn), because SVG lets each glyph carry its own x, y, dx,
dy or rotate. Our drawings never do: every <text> the org chart, the legend and the charts write
has one x and one y. For those, one layout of the whole string is the same picture (with the
font's kerning, which letter by letter loses), and the review's 240 texts stop being a fifth of
its render. WeasyPrint's own issue #2249 proposes exactly this path; until a release has it,
`install()` puts it in front of WeasyPrint's function for the text elements that qualify, and
everything else (per-glyph positions, letter-spacing, textLength, text paths, rotation) goes to
WeasyPrint's own code unchanged.

The replacement is only installed on the WeasyPrint major it was written against (70); another
version keeps its own SVG text, and a test says so.
"""
from math import inf

SUPPORTED_MAJOR = "70"
_installed = []


def _single(node, name):
    """True when the attribute is absent or holds one value (no per-glyph list)."""
    from weasyprint.svg.utils import normalize

    value = node.attrib.get(name)
    return value is None or len(normalize(value).strip().split(" ")) <= 1


def whole_string(node, svg, font_size):
    """True when `node` can be shaped as one string: plain text, one x and one y, no dx, dy,
    rotate, letter-spacing or textLength."""
    return (node.tag == "text" and bool(node.text) and _single(node, "x") and _single(node, "y")
            and not any(a in node.attrib for a in ("dx", "dy", "rotate", "textLength"))
            and not svg.length(node.get("letter-spacing"), font_size))


def make_text(original):
    """WeasyPrint's `text(svg, node, font_size)`, shaping qualifying nodes as one string."""
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.text import Style, TextBox
    from weasyprint.svg.utils import size
    from weasyprint.text.line_break import split_first_line

    def text(svg, node, font_size):
        if not whole_string(node, svg, font_size):
            return original(svg, node, font_size)
        # The style as WeasyPrint's own function builds it.
        style = Style()
        style.update(INITIAL_VALUES)
        style.font_config = svg.font_config
        style["font_family"] = [f.strip("\"'") for f in node.get("font-family", "sans-serif").split(",")]
        style["font_style"] = node.get("font-style", "normal")
        weight = node.get("font-weight", 400)
        if node.get("direction") in ("ltr", "rtl"):
            style["direction"] = node.get("direction")
        if weight == "normal":
            weight = 400
        elif weight == "bold":
            weight = 700
        else:
            try:
                weight = int(weight)
            except ValueError:
                weight = 400
        style["font_weight"] = weight
        style["font_size"] = font_size

        layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)
        x = size(node.attrib["x"], font_size, svg.inner_width) if "x" in node.attrib else None
        y = size(node.attrib["y"], font_size, svg.inner_height) if "y" in node.attrib else None
        if x is not None:
            svg.cursor_d_position[0] = 0
        if y is not None:
            svg.cursor_d_position[1] = 0
        x = svg.cursor_position[0] if x is None else x
        y = svg.cursor_position[1] if y is None else y
        svg.cursor_position = x + width, y

        ascent, descent = font_size * .8, font_size * .2  # WeasyPrint's own approximation
        y_align = 0
        anchor = node.get("display-anchor")
        alignment = node.get("dominant-baseline", node.get("alignment-baseline"))
        if anchor == "middle":
            y_align = -height / 2
        elif anchor == "bottom":
            y_align = -height
        elif anchor == "top":
            pass
        elif alignment in ("central", "middle"):
            y_align = (ascent + descent) / 2 - descent
        elif alignment in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
            y_align = ascent
        elif alignment in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
            y_align = -descent

        x_position = x + svg.cursor_d_position[0]
        y_position = y + svg.cursor_d_position[1] + y_align
        node.text_bounding_box = extend_bounding_box(
            node.text_bounding_box,
            ((x_position, y_position - baseline), (x_position + width, y_position - baseline + height)))

        svg.stream.push_state()
        fill, stroke = svg.set_graphical_state(node, font_size)
        svg.stream.begin_text()
        layout.reactivate(style)
        svg.fill_stroke(fill, stroke, text=True)
        box = TextBox(layout, style)
        box.baseline = baseline
        emojis = draw_first_line(svg.stream, box, "none", "none", Matrix(d=-1, e=x_position, f=y_position))
        svg.stream.end_text()
        svg.stream.pop_state()
        draw_emojis(svg.stream, style, x, y, emojis)

    text.original = original
    return text


def install():
    """Put the whole-string path in front of WeasyPrint's SVG text (once a process); False when
    the installed WeasyPrint is not the major this was written for."""
    if _installed:
        return _installed[0]
    import weasyprint
    import weasyprint.svg as svg

    ok = weasyprint.__version__.split(".")[0] == SUPPORTED_MAJOR and callable(getattr(svg, "text", None))
    if ok:
        fast = make_text(svg.text)
        for tag, fn in list(svg.TAGS.items()):
            if fn is svg.text:
                svg.TAGS[tag] = fast
        svg.text = fast  # draw_node compares TAGS[tag] with this name for text anchors
    _installed.append(ok)
    return ok
