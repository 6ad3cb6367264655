"""The quarterly account review: preview, PDF, finalised copies, and a quarter's reviews as one ZIP."""
from flask import Blueprint

bp = Blueprint("reviews", __name__)

from app.reviews import export_routes, routes  # noqa: E402,F401
