"""Small rules a new user trips on: no inline styles (strict CSP), one date format without seconds."""
from datetime import datetime
from pathlib import Path

from app.templating import date_, datetime_

TEMPLATES = Path(__file__).resolve().parent.parent / "app" / "templates"


def test_no_inline_style_attributes_in_templates():
    # Mail templates are not pages: mail clients read only inline styles, and no CSP applies there.
    offenders = [str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")
                 if not p.relative_to(TEMPLATES).as_posix().startswith("notify/mail/")
                 and ('style="' in p.read_text(encoding="utf-8") or "style='" in p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_one_date_format_without_seconds(app):
    at = datetime(2026, 11, 3, 14, 5, 9)
    with app.test_request_context():
        assert datetime_(at, "short") == datetime_(at, "medium") and ":09" not in datetime_(at)
        assert date_(at, "short") == date_(at, "medium") == "Nov 3, 2026"
