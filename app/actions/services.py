"""Action item services, shared by the plan (objective actions) and meetings (action items)."""
from sqlalchemy import case
from sqlalchemy.orm import joinedload

from app.actions.models import OPEN_STATUSES, ActionItem
from app.audit.services import apply_changes, record
from app.concurrency import check_version, commit_versioned, guarded
from app.extensions import db
from app.team.models import Membership
from app.team.services import is_on_team
from app.timeutil import today
from app.translate import lazy_gettext as _l
from app.vocab import ACTION_STATUS


class ActionError(ValueError):
    """An action change that cannot be made, with a message for the person."""


def _check_owner(account_id, owner_id):
    if owner_id is not None and not is_on_team(account_id, owner_id):
        raise ActionError(_l("The owner must be on the account team."))


def create_action(actor, account, *, title, owner_id=None, due_on=None, objective_id=None,
                  meeting_id=None, commit=True):
    """Add an action item to the account."""
    title = (title or "").strip()
    if not title:
        raise ActionError(_l("Say what is to be done."))
    _check_owner(account.id, owner_id)
    item = ActionItem(account_id=account.id, title=title[:300], owner_id=owner_id, due_on=due_on,
                      objective_id=objective_id, meeting_id=meeting_id)
    db.session.add(item)
    db.session.flush()
    record(actor, item, "create", summary=item.title)
    if commit:
        db.session.commit()
    return item


@guarded("item")
def update_action(actor, item, data, version=None):
    """Change title, owner, due date or status; done sets the done date.

    StaleEdit if `version` (the row's, as the page showed it) is old; None skips the check.
    """
    if version is not None:
        check_version(item, version)
    if "owner_id" in data:
        _check_owner(item.account_id, data["owner_id"])
    if "status" in data:
        if data["status"] not in ACTION_STATUS:
            raise ActionError(_l("Unknown status."))
        if data["status"] == "done" and item.status != "done":
            data.setdefault("done_on", today())
        elif data["status"] != "done":
            data["done_on"] = None
    changes = apply_changes(item, data)
    if changes:
        record(actor, item, "update", changes, summary=item.title)
        commit_versioned(item)
    return changes


def open_first_order():
    """Soonest first; undated last."""
    return (case((ActionItem.due_on.is_(None), 1), else_=0), ActionItem.due_on, ActionItem.id)


def my_actions(user, limit=50, offset=0):
    """(one page of the user's open actions on their teams' accounts, soonest first; total).

    One query: the page's ids come with the count of all of them (a window over the same rows),
    then their rows with account, owner and objective joined. Joining before the LIMIT joined all
    of a KAM's 280 open actions to keep 10 (2.6 ms on PostgreSQL); a count of its own was a round
    trip more on every home page (issue 22). Only a page past the end counts on its own."""
    teams = db.select(Membership.account_id).where(
        Membership.user_id == user.id, Membership.left_on.is_(None))
    where = (ActionItem.owner_id == user.id, ActionItem.status.in_(OPEN_STATUSES),
             ActionItem.account_id.in_(teams))
    page = (db.select(ActionItem.id.label("id"), db.func.count().over().label("total")).where(*where)
            .order_by(*open_first_order()).limit(limit).offset(offset).subquery())
    rows = db.session.execute(
        db.select(ActionItem, page.c.total).join(page, page.c.id == ActionItem.id)
        .options(joinedload(ActionItem.account), joinedload(ActionItem.owner),
                 joinedload(ActionItem.objective))  # the plan's objective it serves
        .order_by(*open_first_order())
    ).all()
    if rows:
        return [a for a, _t in rows], rows[0].total
    total = db.session.scalar(db.select(db.func.count(ActionItem.id)).where(*where)) if offset else 0
    return [], total


def load_action(action_id):
    """One action with its owner and account loaded (for rendering its row)."""
    return db.session.scalar(
        db.select(ActionItem).where(ActionItem.id == action_id)
        .options(joinedload(ActionItem.owner), joinedload(ActionItem.account),
                 joinedload(ActionItem.objective))
        .execution_options(populate_existing=True))
