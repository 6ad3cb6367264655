"""The quarterly review as a PDF: the gathered dict, rendered by WeasyPrint from a print-only template."""
from contextlib import ExitStack

from flask import current_app, has_request_context
from flask_babel import force_locale

from app.pdf import INTERNAL_BASE, render_pdf
from app.reviews import quarters

PAPERS = ("a4", "letter")


def review_language(user, lang=None):
    """The language the review is written in: the one asked for, else the reader's, else the default."""
    langs = current_app.config.get("LANGUAGES", ("en", "zh"))
    for candidate in (lang, getattr(user, "language", None), current_app.config.get("BABEL_DEFAULT_LOCALE")):
        if candidate in langs:
            return candidate
    return "en"


def _context(lang, user=None):
    """A request context when there is none (worker, benchmark), the review's language, and the
    zone of the person it is for (the worker has no session user to read it from)."""
    from app.timezones import force_timezone, zone_of

    stack = ExitStack()
    if not has_request_context():
        stack.enter_context(current_app.test_request_context(base_url=INTERNAL_BASE))
        if user is not None:
            stack.enter_context(force_timezone(zone_of(user)))
    stack.enter_context(force_locale(lang))
    return stack


def page_css():
    """CSS `content` for "page 3 of 9" / "第 3 页，共 9 页" in the current language, counters in place."""
    from flask_babel import gettext as _

    text = _("page %(page)s of %(pages)s", page="\x00page\x00", pages="\x00pages\x00")
    parts = []
    for i, chunk in enumerate(text.split("\x00")):
        if i % 2:
            parts.append(f"counter({'pages' if chunk == 'pages' else 'page'})")
        elif chunk:
            parts.append('"' + chunk.replace("\\", "").replace('"', "") + '"')
    return " ".join(parts)


# The review's stylesheet, given to the renderer parsed (app/pdf.py) instead of linked.
REVIEW_SHEETS = ("css/review.css",)


def _render(data, paper):
    """The print template for gathered data, in the current language."""
    return render_pdf("reviews/print.html", sheets=REVIEW_SHEETS, r=data, paper=paper if paper in PAPERS else "a4", page_css=page_css())


def pdf_from_data(data, paper="a4"):
    """Render an already gathered review (in its own language) to PDF bytes."""
    with _context(data.get("lang", "en")):
        return _render(data, paper)


def build_review(account, user, quarter=None, paper="a4", lang=None):
    """(data dict, PDF bytes) of the account's review for `quarter` in the reader's language."""
    from app.reviews.data import gather

    quarter = quarter if quarters.parse(quarter or "") else quarters.current()
    lang = review_language(user, lang)
    with _context(lang, user):
        data = gather(account, quarter, user)
        return data, _render(data, paper)


def render_review_pdf(account, user, quarter=None, paper="a4", lang=None) -> bytes:
    """The review as PDF bytes (quarter=None: the current quarter)."""
    return build_review(account, user, quarter, paper, lang)[1]
