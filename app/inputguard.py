"""Input no database can hold is refused at the door, once for every route.

- A NUL byte (U+0000) anywhere in the path, the query string, a form field's name or value or
  an uploaded file's name: 400 with a friendly page. PostgreSQL refuses NUL in text (a 500
  deep inside a query), SQLite would store it and cut the text short when shown.
- The request body is limited (`MAX_CONTENT_LENGTH`, a few MB); the import routes in
  `LARGE_BODY_ENDPOINTS` get `IMPORT_MAX_BYTES` (`IMPORT_MAX_MB`). Too big: 413 with a friendly page.

A NUL inside an uploaded file's *content* is the importer's to judge (it reports the row).
"""
from flask import current_app, request
from werkzeug.exceptions import BadRequest

MB = 1024 * 1024
DEFAULT_MAX_CONTENT_LENGTH = 4 * MB
DEFAULT_IMPORT_MAX_BYTES = 32 * MB
# Routes whose body may be an uploaded or posted-back file (the CSV import's confirm step).
LARGE_BODY_ENDPOINTS = {"imports.contacts", "imports.accounts"}


class NulByte(BadRequest):
    """The request carried a NUL byte (answered by errors.py as a 400 page)."""

    description = "NUL byte in the request"


def has_nul(value):
    return "\x00" in value if isinstance(value, str) else b"\x00" in (value or b"")


def nul_in_request():
    """Where the request carries a NUL byte ("query", "form", "file name", "path"), or None."""
    if has_nul(request.path):
        return "path"
    if has_nul(request.query_string) or b"%00" in request.query_string.upper():
        return "query"
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    for key, values in request.form.lists():
        if has_nul(key) or any(has_nul(v) for v in values):
            return "form"
    for key, f in request.files.items(multi=True):
        if has_nul(key) or has_nul(f.filename or ""):
            return "file name"
    return None


def init_app(app):
    """Set the body limits and refuse NUL bytes before any view runs."""
    for key, default in (("MAX_CONTENT_LENGTH", DEFAULT_MAX_CONTENT_LENGTH),
                         ("IMPORT_MAX_BYTES", DEFAULT_IMPORT_MAX_BYTES)):
        if app.config.get(key) is None:  # Flask's own default is None: no limit at all
            app.config[key] = default

    def refuse_nul_bytes():
        if request.endpoint in LARGE_BODY_ENDPOINTS:
            big = current_app.config["IMPORT_MAX_BYTES"]
            request.max_content_length = big
            request.max_form_memory_size = big  # the confirm step posts the file's text back
        if nul_in_request():
            raise NulByte()

    # First of all, before CSRFProtect reads the form: the import's larger limit must be set
    # before anything parses the body.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_nul_bytes)
