"""Account health with its reasons, the sponsor's check-in page, health snapshots per quarter."""
from flask import Blueprint

# cli_group=None: the cron command is `flask health-snapshot`, not `flask health health-snapshot`.
bp = Blueprint("health", __name__, cli_group=None)

from app.health import cli, routes  # noqa: E402,F401
