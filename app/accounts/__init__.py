"""Customer accounts: list, create, edit, archive, overview."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)

from app.accounts import routes  # noqa: E402,F401
