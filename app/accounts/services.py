"""Account services: create, update (version-checked), archive, list."""
from decimal import Decimal
from functools import cache
from typing import NamedTuple

from sqlalchemy import func, or_

from app.accounts.models import Account
from app.audit.services import apply_changes, record
from app.concurrency import check_version, commit_versioned, guarded
from app.extensions import db
from app.names import clean_name
from app.paging import counted_page
from app.sqlin import among
from app.team.models import Membership
from app.timeutil import utcnow

PAGE_SIZE = 50


def create_account(actor, data, kam=None, default_channels=True):
    """Create an account; its creator (or `kam`) becomes the key-account manager.

    With `default_channels`, the account starts with the three default complaint channels owned
    by the KAM, so its first complaint can be logged at once.
    """
    if "name" in data:
        data = {**data, "name": clean_name(data["name"])}
    account = Account(**data)
    db.session.add(account)
    db.session.flush()
    record(actor, account, "create", account_id=account.id)
    owner = kam or actor
    if owner is not None:
        m = Membership(account_id=account.id, user_id=owner.id, role="kam", function="sales")
        db.session.add(m)
        db.session.flush()
        record(actor, m, "create", account_id=account.id, summary=owner.name)
        if default_channels:
            from app.complaints.services import add_default_channels
            add_default_channels(actor, account, owner.id, commit=False)
    db.session.commit()
    return account


@guarded("account")
def update_account(actor, account, data, version):
    """Apply changes if `version` is current; raises StaleEdit otherwise."""
    check_version(account, version)
    if "name" in data:
        data = {**data, "name": clean_name(data["name"])}
    changes = apply_changes(account, data)
    if changes:
        record(actor, account, "update", changes, account_id=account.id)
        commit_versioned(account)
    return changes


@guarded("account")
def set_archived(actor, account, archived):
    """Archive (hide from lists, keep everything) or restore an account."""
    if bool(account.archived_at) == bool(archived):
        return
    changes = apply_changes(account, {"archived_at": utcnow() if archived else None})
    record(actor, account, "archive" if archived else "restore", changes, account_id=account.id)
    commit_versioned(account)


def visible_accounts(user):
    """A select of the accounts a user may see: all for admins, else their teams'."""
    stmt = db.select(Account)
    if not user.is_admin:
        stmt = stmt.where(Account.id.in_(
            db.select(Membership.account_id).where(
                Membership.user_id == user.id, Membership.left_on.is_(None))))
    return stmt


def search_accounts(user, q="", tier="", archived=False, mine=False, page=1):
    """One page of accounts matching the filters (AccountRow), and the total count."""
    stmt = visible_accounts(user)
    if mine:
        stmt = stmt.where(Account.id.in_(
            db.select(Membership.account_id).where(
                Membership.user_id == user.id, Membership.left_on.is_(None))))
    stmt = stmt.where(Account.archived_at.isnot(None) if archived else Account.archived_at.is_(None))
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Account.name).like(like),
                              func.lower(Account.industry).like(like),
                              func.lower(Account.region).like(like)))
    if tier:
        stmt = stmt.where(Account.tier == tier)
    # A member's accounts are few: their count rides on the page (app/paging.py).
    rows, total = counted_page(stmt.with_only_columns(*_list_columns()).order_by(Account.name),
                               PAGE_SIZE, (max(page, 1) - 1) * PAGE_SIZE, few=not user.is_admin)
    return [AccountRow._make(r) for r in rows], total


class AccountRow(NamedTuple):
    """An account as the list shows it (a column read, not an Account: the list writes nine of
    its columns), with the model's own properties over them."""

    id: int
    name: str
    industry: str | None
    region: str | None
    tier: str
    relationship_stage: str
    currency: str
    revenue_this_year: Decimal
    revenue_last_year: Decimal

    growth_pct = Account.growth_pct
    tier_label = Account.tier_label
    stage_label = Account.stage_label


@cache
def _list_columns():
    """AccountRow's columns, built once a process."""
    return tuple(getattr(Account, name) for name in AccountRow._fields)


class KamName(NamedTuple):
    """A KAM as a list shows one: id and name (a column read, not a membership and a user)."""

    id: int
    name: str


def kams_by_account(account_ids):
    """{account_id: [KamName]} for the given accounts, in one query, in the order of joining."""
    from app.auth.models import User

    result = {}
    if not account_ids:
        return result
    rows = db.session.execute(
        db.select(Membership.account_id, User.id, User.name).join(User, User.id == Membership.user_id)
        .where(among(Membership.account_id, account_ids), Membership.role == "kam", Membership.left_on.is_(None))
        .order_by(Membership.id))
    for account_id, user_id, name in rows:
        result.setdefault(account_id, []).append(KamName(user_id, name))
    return result
