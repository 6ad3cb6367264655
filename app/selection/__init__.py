"""Key-account selection: weighted criteria, the scoring matrix, the ranked portfolio,
selection decisions (promote / keep / demote) and the relationship-stage history."""
from flask import Blueprint

bp = Blueprint("selection", __name__)

from app.selection import routes  # noqa: E402,F401
