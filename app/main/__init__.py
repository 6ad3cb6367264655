"""Home page and per-user settings such as the language."""
from flask import Blueprint

bp = Blueprint("main", __name__)

from app.main import (
    install,  # noqa: E402,F401
    routes,  # noqa: E402,F401
)
