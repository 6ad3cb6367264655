"""What a thread's renders share (app/pdf.py PrintKit): the font configuration, review.css parsed
once and the lean user-agent stylesheet. The review prints the same pixels with them as with
WeasyPrint's defaults and a linked stylesheet."""
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
import weasyprint

from app.pdf import PrintKit, lean_ua_text, make_fetcher, print_kit, write_pdf
from app.reviews.pdf import REVIEW_SHEETS, page_css
from tests.reviews.conftest import QUARTER

APP = Path(__file__).resolve().parents[2] / "app"
UA = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text(encoding="utf-8")


def test_the_lean_sheet_drops_the_note_rules_and_keeps_markers_on_list_items():
    lean = lean_ua_text(UA)
    assert lean is not None
    assert "::footnote" not in lean and "::note" not in lean
    assert re.search(r"^li::marker \{", lean, re.M) and not re.search(r"^::marker", lean, re.M)
    # Nothing else changed: the lean sheet is the original less five lines, one line edited.
    assert len(UA.splitlines()) - len(lean.splitlines()) == 5
    assert "@footnote" in lean  # the page area rules are not pseudo-elements of every element


def test_a_sheet_the_edits_do_not_fit_keeps_weasyprints_own():
    assert lean_ua_text(UA.replace("::footnote-call {", "::footnote-call{")) is None
    assert lean_ua_text(UA.replace("::marker {", "::marker{")) is None
    assert lean_ua_text("") is None


def test_the_print_documents_use_nothing_the_lean_sheet_leaves_out():
    """No footnotes or notes, and no element made a list item but <li>, in what the PDFs print."""
    texts = [(APP / "static/css/review.css").read_text()]
    texts += [p.read_text() for p in (APP / "templates").rglob("*.html")
              if p.name.endswith("print.html") or p.parent.name == "reviews"]
    for text in texts:
        assert "footnote" not in text and not re.search(r"float:\s*note", text)
        assert "list-item" not in text


def test_a_thread_keeps_its_kit_and_another_thread_has_its_own(app):
    with app.app_context():
        mine = print_kit()
        assert print_kit() is mine
        assert isinstance(mine.font_config, weasyprint.text.fonts.FontConfiguration)
        theirs = []
        t = threading.Thread(target=lambda: theirs.append(print_kit()))
        t.start()
        t.join()
        assert theirs[0] is not mine and theirs[0].font_config is not mine.font_config
        assert mine.html_class is not weasyprint.HTML  # the lean sheet is in use on WeasyPrint 70


def test_a_kept_sheet_is_parsed_again_when_its_file_changes(app, tmp_path, monkeypatch):
    (tmp_path / "css").mkdir()
    sheet = tmp_path / "css" / "x.css"
    sheet.write_text("p { color: red }")
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    with app.app_context():
        kit = PrintKit()
        fetcher = make_fetcher("http://a.local")
        first = kit.sheet("css/x.css", "http://a.local", fetcher)
        assert kit.sheet("css/x.css", "http://a.local", fetcher) is first
        assert kit.sheet("css/x.css", "http://b.local", fetcher) is not first  # urls resolve per origin
        sheet.write_text("p { color: blue }")
        import os
        stat = sheet.stat()
        os.utime(sheet, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
        assert kit.sheet("css/x.css", "http://a.local", fetcher) is not first
        for i in range(40):  # origins come from the request's Host: what they keep is bounded
            kit.sheet("css/x.css", f"http://h{i}.local", fetcher)
        assert len(kit._sheets) <= 16


def _pages(pdf, folder, prefix):
    path = folder / f"{prefix}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(folder / prefix)], check=True)
    return sorted(folder.glob(f"{prefix}-*.png"))


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_review_prints_the_same_pixels_as_with_weasyprints_defaults(app, review_world, tmp_path, lang):
    from flask import render_template

    from app.extensions import db
    from app.reviews.data import gather
    from app.reviews.pdf import _context

    with app.test_request_context(base_url="http://app.local"):
        # An emoji: review.css's @font-face, kept in the kit's font configuration.
        account = db.session.get(type(review_world.account), review_world.account.id)
        account.name = "Hengda 恒达 🚀✅"
        db.session.commit()
        with _context(lang):
            data = gather(account, QUARTER, review_world.users["kam"])
            html = render_template("reviews/print.html", r=data, paper="a4", page_css=page_css())
        ours = write_pdf(html, "http://app.local", REVIEW_SHEETS)
        linked = html.replace("<head>", '<head><link rel="stylesheet" href="http://app.local/static/css/review.css">', 1)
        plain = weasyprint.HTML(string=linked, base_url="http://app.local",
                                url_fetcher=make_fetcher("http://app.local")).write_pdf()
    assert "🚀" in html
    a, b = _pages(ours, tmp_path, "kit"), _pages(plain, tmp_path, "plain")
    assert len(a) == len(b) >= 3
    for x, y in zip(a, b, strict=True):
        assert x.read_bytes() == y.read_bytes(), x.name
