"""The "how to reach us" card as a one-page PDF, rendered by WeasyPrint from a print-only template.

The safe fetcher and the renderer live in app/pdf.py (the quarterly review uses them too).
"""
from app.pdf import RefusedURL, make_fetcher, render_pdf  # noqa: F401  (re-exported for callers)


def card_pdf(**context):
    """The card as PDF bytes."""
    return render_pdf("complaints/card_print.html", **context)
