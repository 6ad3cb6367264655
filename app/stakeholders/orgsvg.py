"""The org chart drawing (orgdraw's dict) as SVG markup, and its legend.

Colours are SVG presentation attributes, not style attributes, so the strict CSP of the pages
allows them and WeasyPrint prints them; every colour has a glyph or a line pattern beside it, so
the chart reads in black and white. Built as strings with escaping: 200 cards in a few ms.
"""
import base64
import re

from markupsafe import Markup, escape

from app.stakeholders.orgdraw import CARD_H, LEVEL_CODE, svg_slot
from app.stakeholders.tidytree import ellipsize, text_width
from app.translate import gettext as _
from app.vocab import ATTITUDES, INFLUENCE, RELATIONSHIP_STRENGTH

FONT = {"en": "Liberation Sans, Arial, WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif",
        "zh": "WenQuanYi Micro Hei, Noto Sans CJK SC, Liberation Sans, Arial, sans-serif"}
ATTITUDE = {  # colour, glyph
    "champion": ("#1b6b3a", "++"), "supporter": ("#4f9d6e", "+"), "neutral": ("#7d8996", "="),
    "skeptic": ("#c0720c", "−"), "opponent": ("#b3261e", "−−"),
}
LEVEL = {  # stroke colour, width, dash
    "none": ("#8795a5", 1.2, "2 3"), "acquainted": ("#c0720c", 1.6, "7 4"),
    "credible": ("#1f5fa8", 2.2, ""), "trusted_advisor": ("#1b6b3a", 3.4, ""),
}
INFLUENCE_BARS = {"high": 3, "medium": 2, "low": 1}
PX_MM = 25.4 / 96


def _e(v):
    return str(escape(v))


def _attrs(**kw):
    return "".join(f' {k.rstrip("_").replace("_", "-")}="{_e(v)}"' for k, v in kw.items() if v is not None and v != "")


def _card_words():
    """The card tooltips' two words, escaped: once a drawing, not once a card."""
    return _e(_("Influence")), _e(_("Attitude"))


def _dash(on, pattern):
    return f' stroke-dasharray="{pattern}"' if on else ""


def _text(x, y, s, size, fill="#1d2733", bold=False, anchor=None, cls=None):
    """A <text>: the same bytes as _attrs would write, without escaping the numbers and the
    colours (ours, never the customer's); a chart of 200 cards writes a few thousand of these."""
    out = f'<text x="{x:g}" y="{y:g}" font-size="{size}" fill="{fill}"'
    if cls:
        out += f' class="{_e(cls)}"'
    if anchor:
        out += f' text-anchor="{anchor}"'
    if bold:
        out += ' font-weight="bold"'
    return f"{out}>{_e(s)}</text>"


def influence_bars(x, y, level):
    """Three rising bars, as many filled as the influence is high (reads without colour): two
    paths, the filled bars and the empty ones."""
    n = INFLUENCE_BARS.get(level, 0)
    full, empty = [], []
    for i in range(3):
        h = 4 + i * 3
        (full if i < n else empty).append(f"M{x + i * 6:g} {y - h:g}h4v{h}h-4z")
    out = f'<path d="{"".join(full)}" fill="#1d2733" stroke="#1d2733" stroke-width="0.8"/>' if full else ""
    if empty:
        out += f'<path d="{"".join(empty)}" fill="#ffffff" stroke="#1d2733" stroke-width="0.8"/>'
    return out


def attitude_badge(x, y, code):
    """A coloured pill with the attitude's glyph (++ + = − −−)."""
    colour, glyph = ATTITUDE.get(code, ("#7d8996", "?"))
    return (f'<rect x="{x:g}" y="{y - 10:g}" width="20" height="13" rx="6.5" fill="{colour}"/>'
            + _text(x + 10, y, glyph, 10, fill="#ffffff", bold=True, anchor="middle"))


def _card(c, live, tips=True, words=None):
    w, h = c["w"], c["h"]
    out = [f'<g class="card{" left" if c["left"] else ""}{" dm" if c["dm"] else ""}" '
           f'transform="translate({c["x"]:g} {c["y"]:g})" id="card-{c["id"]}" data-contact="{c["id"]}" data-version="{c["version"]}">']
    if live:
        out.append(f'<a href="{_e(live["pick"].replace("{id}", str(c["id"])))}" class="card-link" '
                   f'aria-label="{_e(c["full_name"])}">')
    if tips:
        out.append(f"<title>{_e(c['full_name'])}</title>")
    border = "#b3261e" if c["no_exec"] else ("#b26a00" if c["dm"] else "#9aa5b1")
    out.append(f'<rect class="face" width="{w}" height="{h}" rx="6" fill="{"#f2f2f2" if c["left"] else "#ffffff"}" '
               f'stroke="{border}" stroke-width="{2.4 if (c["dm"] or c["no_exec"]) else 1}"'
               f'{_dash(c["left"] or c["no_exec"], "6 3")}/>')
    colour = ATTITUDE.get(c["attitude"], ("#7d8996", ""))[0]
    out.append(f'<rect x="1.5" y="1.5" width="5" height="{h - 3}" rx="2" fill="{colour}"/>')
    grey = "#6b7785" if c["left"] else "#1d2733"
    x = 12
    out.append(_text(x, 17, c["name"], 13, fill=grey, bold=True))
    right = w - 6
    if c["tag"]:
        tw = text_width(c["tag"], 10) + 8
        fill, ink = ("#e3e6ea", "#4f5b67") if c["left"] else ("#fdf1d8", "#8a5a00")
        out.append(f'<rect x="{right - tw:.1f}" y="5" width="{tw:.1f}" height="15" rx="3" fill="{fill}"/>')
        out.append(_text(right - tw / 2, 16, c["tag"], 10, fill=ink, anchor="middle"))
        right -= tw + 3
    if c["dm"]:
        out.append(_text(right - 6, 17, "★", 13, fill="#b26a00", anchor="middle"))
    if c["no_exec"]:
        out.append(f'<circle cx="{w - 2}" cy="{h - 2}" r="8" fill="#b3261e"/>'
                   + _text(w - 2, h + 2, "!", 11, fill="#ffffff", bold=True, anchor="middle"))
    y = 32
    for line in c["title"]:
        out.append(_text(x, y, line, 11, fill="#4f5b67"))
        y += 13
    if c["dept"]:
        out.append(_text(x, 58, c["dept"], 10.5, fill="#627183"))
    base = CARD_H - 9
    if c["role"]:
        rw = text_width(c["role"], 10) + 8
        out.append(f'<rect x="{x}" y="{base - 11}" width="{rw:.1f}" height="15" rx="3" fill="#e8eef6"/>')
        out.append(_text(x + 4, base, c["role"], 10, fill="#244a74"))
    bars = influence_bars(w - 106, base + 2, c["influence"])
    att = attitude_badge(w - 86, base, c["attitude"]) + _text(w - 63, base, c["attitude_label"], 10, fill=grey)
    if tips:  # on screen: groups with tooltips; paper gets the bare shapes (fewer nodes to print)
        influence, attitude = words or _card_words()
        bars = f'<g class="infl"><title>{influence}: {_e(c["influence_label"])}</title>{bars}</g>'
        att = f'<g class="att att-{_e(c["attitude"])}"><title>{attitude}: {_e(c["attitude_label"])}</title>{att}</g>'
    out.append(bars + att)
    for chip in c["owners"]:
        stroke, _wid, dash = LEVEL.get(chip["cur"], LEVEL["none"])
        body = (f'<rect x="{chip["x"] - c["x"]:.1f}" y="{chip["y"] - c["y"] - 7.5:.1f}" width="{chip["w"]:.1f}" height="15" '
                f'rx="3" fill="#ffffff" stroke="{"#b3261e" if chip["gone"] else stroke}" stroke-width="1.2"'
                f'{_attrs(stroke_dasharray=dash)}/>'
                + _text(chip["x"] - c["x"] + 5, chip["y"] - c["y"] + 3.5, chip["label"], 10))
        out.append(f'<g class="chip" data-user="{chip["user_id"]}">{body}</g>' if tips else body)
    if c.get("more"):
        out.append(_text(w - 8, CARD_H + 11.5, f"+{c['more']}", 10, fill="#4f5b67", anchor="end"))
    if live:
        out.append("</a>")
    out.append("</g>")
    return "".join(out)


def _ours(o):
    out = [f'<g class="ours" data-user="{o["user_id"]}" transform="translate({o["x"]:g} {o["y"]:g})">',
           f'<rect width="{o["w"]}" height="{o["h"]}" rx="{o["h"] / 2 if not o["lines"] else 8:g}" '
           f'fill="{"#fdecea" if o["gone"] else "#e9f0fb"}" stroke="{"#b3261e" if o["gone"] else "#1f5fa8"}" '
           f'stroke-width="{2.4 if o["exec"] else 1}"{_dash(o["gone"], "5 3")}/>',
           _text(12, 17, o["name"], 12, fill="#17324f", bold=True),
           _text(12, 31, o["sub"], 10, fill="#4f5b67")]
    for i, line in enumerate(o["lines"]):
        out.append(_text(12, 45 + i * 13, line, 10, fill="#17324f"))
    out.append("</g>")
    return "".join(out)


def _link(link, tips=True):
    colour, width, dash = LEVEL.get(link["cur"], LEVEL["none"])
    if link["gone"]:
        colour, dash = "#b3261e", "1 3"
    out = [f'<path class="cov" data-user="{link["user_id"]}" data-to="{link["to"]}" d="{link["d"]}" '
           f'stroke="{colour}" stroke-width="{width}"{_attrs(stroke_dasharray=dash)} stroke-opacity="0.75">'
           + (f'<title>{_e(link["title"])}</title>' if tips else "") + "</path>"]
    return "".join(out)


def render(drawing, lang="en", live=None, fit=None, label=""):
    """One drawing as an <svg>. `live`: {"pick": url with {id}} makes cards links (the page);
    `fit`: (max width mm, max height mm) sizes it for paper (the PDF), else natural px.
    A drawing orgdraw memoised is written once for each set of arguments."""
    slot = svg_slot(drawing)
    if slot is None:
        return _render(drawing, lang, live, fit, label)
    from flask_babel import get_locale

    key = (lang, tuple(sorted(live.items())) if live else None, fit, label, str(get_locale()))
    svg = slot.get(key)
    if svg is None:
        svg = slot[key] = _render(drawing, lang, live, fit, label)
    return svg


def _render(drawing, lang, live, fit, label):
    w, h = drawing["w"], drawing["h"]
    if fit:
        scale = min(fit[0] / (w * PX_MM), fit[1] / (h * PX_MM), 1.0)
        size = f'width="{w * PX_MM * scale:.1f}mm" height="{h * PX_MM * scale:.1f}mm"'
    else:
        size = f'width="{w}" height="{h}"'
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="org-svg" viewBox="0 0 {w} {h}" {size} '
           f'font-family="{FONT.get(lang, FONT["en"])}" data-w="{w}" data-h="{h}" role="group"'
           f'{_attrs(aria_label=label)}>']
    out.append('<g class="edges" fill="none" stroke="#7d8996" stroke-width="1.4">')
    if fit:  # paper: all the connectors as two paths (plain and dashed), far cheaper to print
        for dashed in (False, True):
            d = "".join(e["d"] for e in drawing["edges"] if e["indirect"] == dashed)
            d += "".join(f'M{s["x"]:.1f} {s["y"]:.1f}v-9' for s in drawing["stubs"] if dashed)
            if d:
                out.append(f'<path d="{d}"{_dash(dashed, "4 3")}/>')
    else:
        for e in drawing["edges"]:
            out.append(f'<path d="{e["d"]}" data-from="{e["from"]}" data-to="{e["to"]}"'
                       f'{_dash(e["indirect"], "5 4")}/>')
        for s in drawing["stubs"]:
            out.append(f'<path d="M{s["x"]:.1f} {s["y"]:.1f}v-9" data-from="{s["from"]}" data-to="{s["to"]}" '
                       f'class="stub" stroke-dasharray="3 2"/>')
    out.append("</g>")
    for s in drawing["stubs"]:
        out.append(_text(round(s["x"], 1), round(s["y"] - 12, 1), s["label"], 10, fill="#4f5b67", anchor="middle",
                         cls="stub-label"))
    tips = not fit  # tooltips on screen; paper has none, and each costs the PDF a text layout
    words = _card_words()
    out.extend(_card(c, live, tips, words) for c in drawing["cards"])
    if drawing["links"]:
        out.append('<g class="links" fill="none">')
        out.extend(_link(link, tips) for link in drawing["links"])
        out.append("</g>")
    out.extend(_ours(o) for o in drawing["ours"])
    out.append("</svg>")
    return Markup("".join(out))


def legend(coverage=True):
    """[(swatch svg, text)] explaining every mark the chart can carry."""
    def sw(body, w=34, h=18):
        return Markup(f'<svg class="swatch" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
                      f'font-family="{FONT["en"]}">{body}</svg>')

    items = [(sw(attitude_badge(2, 13, code) + f'<rect x="26" y="2" width="5" height="14" rx="2" fill="{ATTITUDE[code][0]}"/>'),
              _("Attitude: %(label)s", label=ATTITUDES.label(code))) for code in ATTITUDES.values]
    items += [(sw(influence_bars(8, 15, code)), _("Influence: %(label)s", label=INFLUENCE.label(code)))
              for code in INFLUENCE.values]
    items += [
        (sw(_text(17, 14, "★", 14, fill="#b26a00", anchor="middle")), _("Decision-maker (economic buyer, or VP and above)")),
        (sw('<rect x="2" y="2" width="30" height="14" rx="3" fill="#ffffff" stroke="#b3261e" stroke-width="2.4" '
            'stroke-dasharray="6 3"/><circle cx="28" cy="13" r="5" fill="#b3261e"/>'
            + _text(28, 16, "!", 8, fill="#ffffff", bold=True, anchor="middle")),
         _("Decision-maker with no executive owner on our side")),
        (sw('<rect x="1" y="2" width="32" height="14" rx="3" fill="#fdf1d8"/>' + _text(17, 13, "◷", 10, fill="#8a5a00", anchor="middle")),
         _("Not touched in %(days)d days (or never)", days=90)),
        (sw('<rect x="2" y="2" width="30" height="14" rx="3" fill="#f2f2f2" stroke="#9aa5b1" stroke-dasharray="6 3"/>'
            + _text(17, 13, "✕", 10, fill="#4f5b67", anchor="middle")), _("Left the company (kept in place)")),
        (sw('<path d="M2 3V9H32V15" fill="none" stroke="#7d8996" stroke-width="1.4"/>'), _("Reports to")),
        (sw('<path d="M2 3V9H32V15" fill="none" stroke="#7d8996" stroke-width="1.4" stroke-dasharray="5 4"/>'),
         _("Reports through someone who left (hidden)")),
        (sw('<path d="M17 17V7" stroke="#7d8996" stroke-dasharray="3 2"/>' + _text(17, 6, "↑", 8, anchor="middle")),
         _("Manager in another department")),
    ]
    if coverage:
        items.append((sw('<rect x="1" y="2" width="32" height="14" rx="7" fill="#e9f0fb" stroke="#1f5fa8" stroke-width="2.4"/>'),
                      _("One of ours; a thick border: director or above")))
        for code in RELATIONSHIP_STRENGTH.values:
            colour, width, dash = LEVEL[code]
            items.append((sw(f'<path d="M2 9H32" stroke="{colour}" stroke-width="{width}"{_attrs(stroke_dasharray=dash)}/>'),
                          _("%(code)s · relationship now: %(label)s", code=LEVEL_CODE[code],
                            label=RELATIONSHIP_STRENGTH.label(code))))
        items.append((sw(_text(17, 13, "1→3", 10, anchor="middle")), _("Level now → target level, where they differ")))
        items.append((sw('<path d="M2 9H32" stroke="#b3261e" stroke-width="1.6" stroke-dasharray="1 3"/>'),
                      _("Owner who has left our team")))
    return items


def legend_svg(items, cols=3, width=660):
    """The legend as one drawing (the PDF: far cheaper to print than a list laid out in columns)."""
    col_w, row_h = width / cols, 20
    rows = -(-len(items) // cols)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="org-legend-svg" viewBox="0 0 {width:g} {rows * row_h}" '
           f'width="{width * PX_MM:.1f}mm" height="{rows * row_h * PX_MM:.1f}mm" font-family="{FONT["zh"]}">']
    for i, (swatch, text) in enumerate(items):
        x, y = (i // rows) * col_w, (i % rows) * row_h
        body = str(swatch).split(">", 1)[1].rsplit("</svg>", 1)[0]
        out.append(f'<g transform="translate({x:g} {y + 1:g})">{body}</g>')
        out.append(_text(x + 40, y + 14, ellipsize(str(text), 9, col_w - 44), 9, fill="#1d2733"))
    out.append("</svg>")
    return Markup("".join(out))


# Characters XML 1.0 does not allow: an inline <svg> tolerates them, an image would not parse.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def as_image(svg, label="", cls="org-svg"):
    """A drawing as an <img> of its own SVG document (the PDF). WeasyPrint styles every element of
    an inline <svg> as part of the page (the org charts were half the review's elements) and
    tokenises it with the HTML; an image it parses as XML and draws, the same picture."""
    body = base64.b64encode(NOT_XML.sub("", str(svg)).encode()).decode()
    return Markup(f'<img class="{cls}" alt="{_e(label)}" src="data:image/svg+xml;base64,{body}">')
