"""The virtual account team: who works each account, in which role."""
from flask import Blueprint

bp = Blueprint("team", __name__)

from app.team import routes  # noqa: E402,F401
