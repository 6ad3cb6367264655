"""The account timeline (more of it, loaded in place)."""
from flask import Blueprint, request

from app.access import account_view
from app.audit.services import account_timeline
from app.htmx import render

bp = Blueprint("audit", __name__)


@bp.route("/accounts/<int:account_id>/timeline")
@account_view()
def timeline(account):
    """The account's change history, newest first, 50 at a time."""
    before = request.args.get("before", type=int)
    events = account_timeline(account.id, limit=50, before_id=before)
    return render("audit/page.html", "audit/_events.html", account=account, events=events,
                  more=len(events) == 50)
