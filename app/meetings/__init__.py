"""Executive meeting cadences and the meetings log, with decisions and action items."""
from flask import Blueprint

bp = Blueprint("meetings", __name__)

from app.meetings import routes  # noqa: E402,F401
