"""The review PDF's two fast paths. SVG text shaped a string at a time (app/pdfsvg.py): one text
object per <text>, at the place WeasyPrint's own letter-by-letter drawing puts it, and WeasyPrint's
own code for everything else. Tables by fixed column widths (review.css): every printed table has
them."""
import re

import pytest
import weasyprint
import weasyprint.svg as wsvg

from app.pdfsvg import install, whole_string
from tests.reviews.test_pdf import text_of

SVG = ('<svg width="240" height="60" viewBox="0 0 240 60" font-family="Liberation Sans, WenQuanYi Micro Hei">'
       '<text x="10" y="20" font-size="12" fill="#1d2733">Technical buyer 技术</text>'
       '<text x="120" y="45" font-size="10" text-anchor="middle" font-weight="bold">Ben 2→3</text>'
       '<text x="230" y="45" font-size="10" text-anchor="end">+4</text></svg>')
WORDS = ("Technical buyer 技术", "Ben 2→3", "+4")
GLYPH_X = '<svg width="100" height="30"><text x="10 20 30" y="20" font-size="10">abc</text></svg>'


def _pdf(html):
    return weasyprint.HTML(string=html).write_pdf(uncompressed_pdf=True).decode("latin-1")


def _text_matrices(pdf):
    return [tuple(float(v) for v in m) for m in re.findall(r"1 0 0 -1 ([-\d.]+) ([-\d.]+) Tm", pdf)]


def _anchor_shifts(pdf):
    return [float(v) for v in re.findall(r"1 0 0 1 (-[\d.]+) 0 cm", pdf)]


@pytest.fixture()
def letter_by_letter(monkeypatch):
    """WeasyPrint's own SVG text function, for comparison."""
    assert install()
    original = wsvg.text.original
    for tag, fn in list(wsvg.TAGS.items()):
        if fn is wsvg.text:
            monkeypatch.setitem(wsvg.TAGS, tag, original)
    monkeypatch.setattr(wsvg, "text", original)


def test_it_is_installed_on_this_weasyprint():
    assert weasyprint.__version__.startswith("70.")
    assert install() is True
    assert wsvg.TAGS["text"] is wsvg.text and hasattr(wsvg.text, "original")


def test_one_text_object_a_text_element():
    install()
    pdf = _pdf(SVG)
    assert [m[0] for m in _text_matrices(pdf)] == [10, 120, 230]
    assert len(_anchor_shifts(pdf)) == 2  # the middle and the end anchors still shift their text


def test_weasyprints_own_draws_a_text_object_a_letter(letter_by_letter):
    pdf = _pdf(SVG)
    letters = _text_matrices(pdf)
    assert len(letters) == sum(len(w.replace(" ", "")) for w in WORDS)  # a space draws nothing


def test_positions_and_text_match_weasyprints_own(request):
    install()
    fast = _pdf(SVG)
    request.getfixturevalue("letter_by_letter")
    slow = _pdf(SVG)
    starts = _text_matrices(slow)
    # each string starts where its first letter did
    sizes = [len(w.replace(" ", "")) for w in WORDS]
    firsts = [starts[0], starts[sizes[0]], starts[sizes[0] + sizes[1]]]
    assert _text_matrices(fast) == firsts
    # anchored strings shift by their width: the same within a fraction of a point (kerning)
    assert _anchor_shifts(fast) == pytest.approx(_anchor_shifts(slow), abs=0.6)
    words = text_of(weasyprint.HTML(string=SVG).write_pdf())[1].replace(" ", "")
    assert "Technicalbuyer技术" in words and "Ben2→3" in words


def test_per_glyph_positions_go_to_weasyprints_own_code():
    install()
    assert len(_text_matrices(_pdf(GLYPH_X))) == 3
    assert [m[0] for m in _text_matrices(_pdf(GLYPH_X))] == [10, 20, 30]


def test_which_nodes_qualify():
    class Node(dict):
        def __init__(self, tag, text, **attrib):
            super().__init__(attrib)
            self.tag, self.text, self.attrib = tag, text, attrib

    class Svg:
        @staticmethod
        def length(value, font_size):
            return float(value or 0)

    svg = Svg()
    assert whole_string(Node("text", "abc", x="1", y="2"), svg, 10)
    assert not whole_string(Node("text", "abc", x="1 2 3", y="2"), svg, 10)
    assert not whole_string(Node("text", "abc", x="1", dx="2"), svg, 10)
    assert not whole_string(Node("text", "abc", rotate="30"), svg, 10)
    assert not whole_string(Node("text", "abc", textLength="40"), svg, 10)
    assert not whole_string(Node("text", "abc", **{"letter-spacing": "2"}), svg, 10)
    assert not whole_string(Node("tspan", "abc", x="1"), svg, 10)
    assert not whole_string(Node("text", "", x="1"), svg, 10)


def test_every_printed_table_has_widths_for_each_column():
    """The PDF lays tables out by fixed widths (review.css): every grid table of the review names
    its widths, one per header cell, adding up to the whole width."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "app"
    css = (root / "static/css/review.css").read_text()
    widths = {}
    for name, col, pct in re.findall(r"body\.print \.t-([a-z]+) th:nth-child\((\d+)\) \{ width: (\d+)%; \}", css):
        widths.setdefault(name, {})[int(col)] = int(pct)
    assert "body.print .review table.grid { table-layout: fixed; }" in css
    tables = []
    for template in ("reviews/_document.html", "reviews/_relations.html"):
        text = (root / "templates" / template).read_text()
        tables += re.findall(r'<table class="grid[^"]*?\bt-([a-z]+)">\s*<thead><tr>(.*?)</tr></thead>', text, re.S)
        assert all(" t-" in t for t in re.findall(r'<table class="grid[^"]*"', text)), template
    assert len(tables) == 6
    for name, head in tables:
        cols = head.count("<th")
        assert sorted(widths.get(name, {})) == list(range(1, cols + 1)), name
        assert sum(widths[name].values()) == 100, name


def test_the_pdf_prints_the_org_chart_as_images_and_the_preview_inline(app, review_world, as_role):
    """The PDF's drawings are <img>s of their SVG (WeasyPrint styles none of their elements); the
    page on screen keeps them inline. The picture and its words are the same."""
    import base64

    from flask import render_template

    from app.reviews.data import gather
    from app.reviews.pdf import build_review, page_css
    from tests.reviews.conftest import QUARTER

    kam = review_world.users["kam"]
    with app.test_request_context():
        data = gather(review_world.account, QUARTER, kam)
        html = render_template("reviews/print.html", r=data, paper="a4", page_css=page_css())
    images = re.findall(r'<img class="(org-svg|org-legend-svg)" alt="[^"]*" src="data:image/svg\+xml;base64,([^"]+)">', html)
    assert [cls for cls, _ in images] == ["org-svg", "org-legend-svg"]
    assert "<svg" not in html.split('id="review-stakeholders"')[1].split("</section>")[0]
    drawn = base64.b64decode(images[0][1]).decode()
    assert drawn.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="org-svg"') and "刘建国" in drawn
    assert "&lt;b&gt;Buyer&lt;/b&gt;" in drawn  # still escaped inside the image

    with app.app_context():
        _data, pdf = build_review(review_world.account, kam, QUARTER)
    words = text_of(pdf)[1].replace(" ", "")
    assert "刘建国" in words and "<b>Buyer</b>" in words

    part = as_role("kam").get(f"/accounts/{review_world.account.id}/reviews/relations?quarter={QUARTER}",
                              headers={"HX-Request": "true"}).get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="org-svg"' in part and "data:image/svg+xml" not in part


def test_the_fetcher_takes_svg_data_and_no_other(app):
    import base64

    from app.pdf import RefusedURL, make_fetcher

    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'
    with app.test_request_context():
        fetch = make_fetcher("http://app.local")
        got = fetch("data:image/svg+xml;base64," + base64.b64encode(svg).decode())
        assert got.read() == svg
        for url in ("data:image/svg+xml;base64,@@not-base64@@", "data:image/svg+xml,<svg/>",
                    "data:text/html;base64," + base64.b64encode(b"<p>x</p>").decode(),
                    "data:image/png;base64,iVBORw0KGgo="):
            with pytest.raises(RefusedURL):
                fetch(url)


def test_an_image_drawing_parses_whatever_characters_a_name_holds():
    """Control characters an inline <svg> tolerates would stop the image's XML from parsing."""
    import base64
    from xml.etree import ElementTree

    from app.stakeholders.orgsvg import as_image

    svg = ('<svg xmlns="http://www.w3.org/2000/svg" class="org-svg" width="10" height="10">'
           '<text x="1" y="2">Li\x01 Lei\x1b 李&amp;</text></svg>')
    src = re.search(r'base64,([^"]+)"', str(as_image(svg, "Dept \x02"))).group(1)
    root = ElementTree.fromstring(base64.b64decode(src).decode())
    assert root.find("{http://www.w3.org/2000/svg}text").text == "Li Lei 李&"
