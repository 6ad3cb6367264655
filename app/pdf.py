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

What a render does not need to redo is kept per thread (`print_kit`): WeasyPrint's font
configuration (fontconfig's set of fonts and Pango's font map with the faces it opened and the
glyphs it shaped), the static stylesheets a print template names (`sheets=`, parsed once and
passed in, in place of a <link> parsed again every render), and the user-agent stylesheet without
the rules of features our documents never use (`_lean_ua`). A thread of its own, because a
Pango font map is not safe to share between threads.
"""
import atexit
import base64
import hashlib
import mimetypes
import re
import shutil
import threading
import weakref
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


# WeasyPrint's user-agent stylesheet gives every element of a document six pseudo-elements it
# then computes a style for: its ::marker and the five ::footnote-* and ::note-* parts. Our print
# documents have no footnotes or notes (no `float: footnote`, no `note` float), and only <li> is
# a list item (the UA's own rule; review.css makes nothing else one, a test checks), so the lean
# sheet drops the note rules and gives ::marker to <li> alone: 4,254 of the review's 4,464
# styles, 30-40 ms of its 0.7-0.9 s. Written against WeasyPrint 70's sheet; another major, or a
# sheet these edits no longer find, keeps WeasyPrint's own.
LEAN_UA_MAJOR = "70"
_UA_NOTES = re.compile(r"^::(?:footnote|note)-[a-z]+ \{[^}\n]*\}\n", re.M)


def lean_ua_text(ua):
    """WeasyPrint's user-agent stylesheet text without the note rules, ::marker on <li> only;
    None when the text is not the one the edits were written for."""
    lean, notes = _UA_NOTES.subn("", ua)
    lean, markers = re.subn(r"^::marker \{", "li::marker {", lean, flags=re.M)
    if notes != 5 or markers != 1 or "::footnote" in lean or "::note" in lean:
        return None
    return lean


def _lean_ua():
    """The lean user-agent stylesheet as WeasyPrint's CSS, or None (keep WeasyPrint's)."""
    import weasyprint
    from weasyprint import CSS
    from weasyprint.html import UA_COUNTER_STYLE

    if weasyprint.__version__.split(".")[0] != LEAN_UA_MAJOR:
        return None
    ua_file = Path(weasyprint.__file__).parent / "css" / "html5_ua.css"
    try:
        lean = lean_ua_text(ua_file.read_text(encoding="utf-8"))
    except OSError:
        return None
    return CSS(string=lean, counter_style=UA_COUNTER_STYLE) if lean else None


_kits = threading.local()
SHEETS_KEPT = 16  # parsed sheets a thread keeps, by (name, origin)


class PrintKit:
    """What one thread's renders share: a font configuration, parsed static stylesheets and the
    HTML class (with the lean user-agent sheet when there is one)."""

    def __init__(self):
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        # review.css's @font-face (the emoji font) makes WeasyPrint write a fontconfig file in a
        # temporary folder of the font configuration's, removed when it is collected; a kit lives
        # as long as its thread, so the folder is removed at exit (WeasyPrint's own clean-up runs
        # too late then, with the modules it needs already gone).
        atexit.register(_remove_font_folder, weakref.ref(self.font_config))
        self._sheets = {}
        ua = _lean_ua()
        if ua is None:
            self.html_class = HTML
        else:
            class LeanHTML(HTML):
                """HTML with the lean user-agent stylesheet (documents without forms)."""

                def _ua_stylesheets(self, forms=False):
                    return super()._ua_stylesheets(forms) if forms else [ua]

            self.html_class = LeanHTML

    def sheet(self, name, base, fetcher):
        """The static stylesheet `name` (under static/) parsed for `base`, again only when the file
        changed."""
        from weasyprint import CSS

        path = Path(current_app.static_folder) / name
        stamp = path.stat().st_mtime_ns
        key = (name, base)
        kept = self._sheets.get(key)
        if kept is None or kept[0] != stamp:
            if len(self._sheets) >= SHEETS_KEPT:  # a request's Host names the base: bound what it can add
                self._sheets.clear()
            css = CSS(string=path.read_text(encoding="utf-8"), base_url=f"{base}{STATIC_PREFIX}{name}",
                      url_fetcher=fetcher, font_config=self.font_config)
            kept = self._sheets[key] = (stamp, css)
        return kept[1]


def _remove_font_folder(font_config_ref):
    font_config = font_config_ref()
    if font_config is not None and font_config._folder:
        shutil.rmtree(font_config._folder, ignore_errors=True)
        font_config._folder = None


def print_kit():
    """This thread's PrintKit (made on first use: the worker's warm-up makes the main thread's)."""
    kit = getattr(_kits, "kit", None)
    if kit is None:
        kit = _kits.kit = PrintKit()
    return kit


def write_pdf(html, base, sheets=()):
    """WeasyPrint's PDF of `html` with this thread's kit; `sheets` are static stylesheet names,
    applied as the user's stylesheets (below every rule of the document's own)."""
    kit = print_kit()
    fetcher = make_fetcher(base)
    return kit.html_class(string=html, base_url=base, url_fetcher=fetcher).write_pdf(
        stylesheets=[kit.sheet(name, base, fetcher) for name in sheets], font_config=kit.font_config)


def render_pdf(template, sheets=(), **context):
    """Render a print-only template and return the PDF bytes (the kept ones if its HTML was
    rendered before in this process). `sheets`: the static stylesheets it is printed with."""
    from app.pdfsvg import install

    install()
    base = base_url()
    html = render_template(template, **context)
    cache = rendered_cache()
    key = hashlib.sha256(f"{base}\n{' '.join(sheets)}\n{html}".encode()).digest()
    pdf = cache.get(key) if cache is not None else None
    if pdf is None:
        pdf = write_pdf(html, base, sheets)
        if cache is not None:
            cache.put(key, pdf)
    return pdf
