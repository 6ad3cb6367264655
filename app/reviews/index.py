"""The reviews page: every account the user sees, with the state of its quarter's review (three queries)."""
from dataclasses import dataclass

from sqlalchemy import func

from app.accounts.models import Account
from app.accounts.services import visible_accounts
from app.actions.models import ActionItem
from app.extensions import db
from app.reviews import quarters
from app.reviews.models import FinalReview, ReviewNote
from app.translate import lazy_gettext as _l

STATES = {"not_started": _l("Not started"), "draft": _l("Draft"), "finalised": _l("Finalised"),
          "reissued": _l("Re-issued")}
ORDER = tuple(STATES)


@dataclass
class Row:
    """One account's review of the quarter."""

    account: Account
    state: str
    versions: int = 0
    latest_id: int | None = None
    latest_at: object = None

    @property
    def state_label(self):
        return str(STATES[self.state])


def state_of(has_note, versions):
    """not_started, draft (priorities chosen or commentary written), finalised (once) or reissued (twice or more)."""
    if versions >= 2:
        return "reissued"
    if versions == 1:
        return "finalised"
    return "draft" if has_note else "not_started"


def rows(user, quarter, tier=""):
    """The live accounts the user sees, by name, each with its review state for `quarter`."""
    stmt = visible_accounts(user).where(Account.archived_at.is_(None)).order_by(Account.name, Account.id)
    if tier:
        stmt = stmt.where(Account.tier == tier)
    accounts = db.session.scalars(stmt).all()
    ids = [a.id for a in accounts]
    if not ids:
        return []
    noted = set(db.session.scalars(db.select(ReviewNote.account_id).where(
        ReviewNote.account_id.in_(ids), ReviewNote.quarter == quarter,
        (ReviewNote.priorities != "") | (ReviewNote.commentary != ""))))
    noted |= set(db.session.scalars(db.select(ActionItem.account_id).distinct().where(
        ActionItem.account_id.in_(ids), ActionItem.priority_quarter == quarters.shift(quarter, 1))))
    finals = {a: (n, last_id, at) for a, n, last_id, at in db.session.execute(
        db.select(FinalReview.account_id, func.count(FinalReview.id), func.max(FinalReview.id),
                  func.max(FinalReview.finalised_at))
        .where(FinalReview.account_id.in_(ids), FinalReview.quarter == quarter)
        .group_by(FinalReview.account_id))}
    out = []
    for a in accounts:
        n, last_id, at = finals.get(a.id, (0, None, None))
        out.append(Row(a, state_of(a.id in noted, n), n, last_id, at))
    return out


def counts(review_rows):
    """{state: how many} in page order."""
    c = dict.fromkeys(ORDER, 0)
    for r in review_rows:
        c[r.state] += 1
    return c
