"""Spreadsheets in and out: one writer for every export (.xlsx and CSV), one reader for
every import (.xlsx, and CSV in whatever encoding and separator Excel produced)."""
from flask import Blueprint

bp = Blueprint("sheets", __name__)

from app.sheets import routes  # noqa: E402,F401
