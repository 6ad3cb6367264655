"""The "how to reach us" card as a one-page PDF, rendered by WeasyPrint from a print-only template.

WeasyPrint fetches every URL a document names. The fetcher below serves our own static
files from disk and refuses everything else (file: URLs, other hosts), so a channel's
portal address or a crafted stylesheet link can never make the server read a local file
or call out to the network.
"""
import mimetypes
from pathlib import Path

from flask import current_app, render_template

STATIC_PREFIX = "/static/"


class RefusedURL(ValueError):
    """WeasyPrint asked for a URL the card may not load."""


def make_fetcher(base_url):
    """A url_fetcher that serves only `base_url`/static/... from the app's static folder."""
    static_root = Path(current_app.static_folder).resolve()

    def fetch(url, *args, **kwargs):
        if not url.startswith(base_url + STATIC_PREFIX):
            raise RefusedURL(f"refused: {url[:80]}")
        rel = url[len(base_url) + len(STATIC_PREFIX):].split("?", 1)[0]
        path = (static_root / rel).resolve()
        if static_root not in path.parents or not path.is_file():
            raise RefusedURL(f"refused: {url[:80]}")
        return {"string": path.read_bytes(), "mime_type": mimetypes.guess_type(path.name)[0],
                "redirected_url": url}

    return fetch


def card_pdf(base_url, **context):
    """The card as PDF bytes."""
    from weasyprint import HTML

    html = render_template("complaints/card_print.html", **context)
    return HTML(string=html, base_url=base_url, url_fetcher=make_fetcher(base_url)).write_pdf()
