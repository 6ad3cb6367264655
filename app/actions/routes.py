"""My actions, and marking an action done in place."""
from flask import request
from flask_login import current_user, login_required

from app.access import account_view, child_or_404
from app.actions import bp, services
from app.actions.models import ActionItem
from app.concurrency import StaleEdit
from app.htmx import render
from app.translate import gettext as _
from app.vocab import ACTION_STATUS


@bp.route("/me/actions")
@login_required
def mine():
    """My open actions across all my accounts, soonest first, 50 a page."""
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    actions, total = services.my_actions(current_user, limit=PAGE, offset=(page - 1) * PAGE)
    return render("actions/mine.html", "actions/_my_actions.html", actions=actions, total=total,
                  page=page, page_size=PAGE)


PAGE = 50


@bp.route("/accounts/<int:account_id>/actions/<int:action_id>/status", methods=["POST"])
@account_view()
def set_status(account, action_id):
    """Set an action's status (done, open, ...) and answer its row."""
    item = child_or_404(ActionItem, action_id, account)
    error = kept = None
    status = request.form.get("status", "")
    try:
        services.update_action(current_user, item, {"status": status}, request.form.get("version", ""))
    except services.ActionError as e:
        error = str(e)
    except StaleEdit:
        # Their status is in the row; the person's choice stays selected, at the new version.
        kept = {"status": status, "version": item.version}
        error = _("Someone else set this to %(status)s meanwhile. Your choice is kept below; save it again to replace theirs.",
                  status=ACTION_STATUS.label(item.status))
    item = services.load_action(item.id)
    return render("actions/_row_page.html", "actions/_row.html", status=409 if kept else (422 if error else 200),
                  a=item, account=account, error=error, kept=kept, show_account=request.args.get("mine") == "1",
                  message=_("Saved.") if not error else None)
