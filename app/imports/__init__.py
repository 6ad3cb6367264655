"""Import contacts and accounts from .xlsx and CSV: map columns, preview row by row, apply."""
from flask import Blueprint

bp = Blueprint("imports", __name__)

from app.imports import audit_labels, routes  # noqa: E402,F401
