"""PDF rendering shared by every printable document (complaint card, quarterly review).

WeasyPrint fetches every URL a document names. The fetcher here serves our own static
files from disk and SVG images as base64 data (the drawings), and refuses everything else
(file: URLs, other hosts, other data, paths that climb out of the static folder), so a
user's text or a crafted stylesheet link can never make the server read a local file or
call out to the network. Fonts are the system's (fontconfig); WeasyPrint subsets them with
HarfBuzz when libharfbuzz-subset is present.

A rendered PDF is kept, per process, under the SHA-256 of its HTML (and origin): a document
whose HTML did not change is the same PDF, so a second download of an unchanged review, by
anyone allowed to see it, costs the HTML and not WeasyPrint's second and a half. Any change
to what the document shows changes its HTML and so renders again; the static files and fonts
it loads are the process's own. PDF_CACHE_MB bounds the kept bytes (least recently used go
first); 0 keeps nothing.
"""
import base64
import hashlib
import mimetypes
import threading
from collections import OrderedDict
from pathlib import Path

from flask import current_app, has_request_context, render_template, request

STATIC_PREFIX = "/static/"
# The drawings the review prints as images of their SVG (orgsvg.as_image); the SVG's own
# references come back through this fetcher, so it can load nothing else either.
SVG_DATA = "data:image/svg+xml;base64,"
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
            """The static file the URL names, our own drawings as SVG data, or RefusedURL."""
            if url.startswith(SVG_DATA):
                try:
                    body = base64.b64decode(url[len(SVG_DATA):], validate=True)
                except ValueError:
                    raise RefusedURL("refused: data that does not decode") from None
                return URLFetcherResponse(url, body, {"Content-Type": "image/svg+xml"})
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


class RenderedCache:
    """PDF bytes by the digest of their HTML, at most `limit` bytes, least recently used out first."""

    def __init__(self, limit):
        self.limit, self.size = limit, 0
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            pdf = self._items.get(key)
            if pdf is not None:
                self._items.move_to_end(key)
            return pdf

    def put(self, key, pdf):
        if len(pdf) > self.limit:
            return
        with self._lock:
            old = self._items.pop(key, None)
            self.size += len(pdf) - (len(old) if old is not None else 0)
            self._items[key] = pdf
            while self.size > self.limit:
                _key, dropped = self._items.popitem(last=False)
                self.size -= len(dropped)

    def __len__(self):
        return len(self._items)


def rendered_cache():
    """The app's cache of rendered PDFs (None when PDF_CACHE_MB is 0)."""
    app = current_app
    if "pdf_cache" not in app.extensions:
        limit = int(float(app.config.get("PDF_CACHE_MB", 32)) * 1024 * 1024)
        app.extensions["pdf_cache"] = RenderedCache(limit) if limit > 0 else None
    return app.extensions["pdf_cache"]


def render_pdf(template, **context):
    """Render a print-only template and return the PDF bytes (the kept ones if its HTML was
    rendered before in this process)."""
    from weasyprint import HTML

    from app.pdfsvg import install

    install()
    base = base_url()
    html = render_template(template, **context)
    cache = rendered_cache()
    key = hashlib.sha256(f"{base}\n{html}".encode()).digest()
    pdf = cache.get(key) if cache is not None else None
    if pdf is None:
        pdf = HTML(string=html, base_url=base, url_fetcher=make_fetcher(base)).write_pdf()
        if cache is not None:
            cache.put(key, pdf)
    return pdf
