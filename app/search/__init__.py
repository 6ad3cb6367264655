"""Search: one box in the header for accounts, people, and what was said about them."""
from flask import Blueprint

bp = Blueprint("search", __name__, cli_group=None)

from app.search import cli, index, routes  # noqa: E402,F401
