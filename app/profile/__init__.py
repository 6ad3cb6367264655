"""The user's own page (/me: name, language, time zone, password, calendar feed), the
workspace default time zone, and the personal calendar feed (/calendar/<token>.ics)."""
from flask import Blueprint

bp = Blueprint("profile", __name__)

from app.profile import routes  # noqa: E402,F401
