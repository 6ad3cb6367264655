"""The customer's side: departments, contacts, the org chart and our coverage of it."""
from flask import Blueprint

bp = Blueprint("stakeholders", __name__)

from app.stakeholders import audit_labels, routes, routes_coverage, routes_org, views  # noqa: E402,F401
