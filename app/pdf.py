"""PDF rendering shared by every printable document (complaint card, quarterly review).

WeasyPrint fetches every URL a document names. The fetcher here serves our own static
files from disk and refuses everything else (file: URLs, other hosts, paths that climb
out of the static folder), so a user's text or a crafted stylesheet link can never make
the server read a local file or call out to the network. Fonts are the system's
(fontconfig); WeasyPrint subsets them with HarfBuzz when libharfbuzz-subset is present.
"""
import mimetypes
from pathlib import Path

from flask import current_app, has_request_context, render_template, request

STATIC_PREFIX = "/static/"
# Base URL for documents rendered outside a request (background worker, benchmark).
INTERNAL_BASE = "http://pdf.internal"


class RefusedURL(ValueError):
    """WeasyPrint asked for a URL the document may not load."""


def make_fetcher(base_url):
    """A WeasyPrint URL fetcher that serves only `base_url`/static/... from the app's static folder."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    static_root = Path(current_app.static_folder).resolve()

    class StaticOnlyFetcher(URLFetcher):
        """Refuses file:, data: and every other host; never opens a network connection."""

        def fetch(self, url, headers=None):
            """The static file the URL names, or RefusedURL."""
            if not url.startswith(base_url + STATIC_PREFIX):
                raise RefusedURL(f"refused: {url[:80]}")
            rel = url[len(base_url) + len(STATIC_PREFIX):].split("?", 1)[0].split("#", 1)[0]
            path = (static_root / rel).resolve()
            if static_root not in path.parents or not path.is_file():
                raise RefusedURL(f"refused: {url[:80]}")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return StaticOnlyFetcher(allowed_protocols=("http", "https"))


def base_url():
    """The app's own origin: the request's host, or a fixed internal one outside requests."""
    return request.host_url.rstrip("/") if has_request_context() else INTERNAL_BASE


def render_pdf(template, **context):
    """Render a print-only template and return the PDF bytes."""
    from weasyprint import HTML

    base = base_url()
    html = render_template(template, **context)
    return HTML(string=html, base_url=base, url_fetcher=make_fetcher(base)).write_pdf()
