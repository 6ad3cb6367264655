"""The one account access check. Every account-scoped view goes through `account_view`.

Admins see everything. Others see an account only through a current membership
of its team; anybody else gets 404, never a peek. Observers read only (403 on
writes); managing the team and archiving need the KAM role.
"""
from functools import cache, wraps

from flask import abort, g, request
from flask_login import current_user, login_required
from sqlalchemy import and_
from sqlalchemy.orm import joinedload

from app.extensions import db

LEVELS = ("read", "write", "manage")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def allowed(membership, need):
    """Whether a membership (None for admins handled by the caller) allows a level."""
    if membership is None:
        return False
    if need == "read":
        return True
    if need == "write":
        return membership.can_write
    return membership.role == "kam"


@cache
def _account_with_membership():
    """The account and the user's current membership beside it, on bound parameters: built once
    a process (building and hashing the statement took about as long as running it)."""
    from app.accounts.models import Account
    from app.team.models import Membership

    return (db.select(Account, Membership)
            .outerjoin(Membership, and_(Membership.account_id == Account.id,
                                        Membership.user_id == db.bindparam("user_id"),
                                        Membership.left_on.is_(None)))
            .where(Account.id == db.bindparam("account_id"))
            # Membership.user is joined eagerly and innerly by default, which would drop the
            # membership-less row (an admin off the team): join it outerly here.
            .options(joinedload(Membership.user, innerjoin=False)).limit(1))


def load_account(account_id, need="read"):
    """The account if the current user may `need` it: else 404 (outsider) or 403.

    One query fetches the account with the user's current membership beside it.
    """
    if not current_user.is_authenticated:
        abort(404)
    row = db.session.execute(_account_with_membership(), {"account_id": account_id, "user_id": current_user.id}).first()
    if row is None:
        abort(404)
    account, membership = row
    if current_user.is_admin:
        g.membership = None
        g.account_level = "manage"
        return account
    if membership is None:
        abort(404)
    if not allowed(membership, need):
        abort(403)
    g.membership = membership
    g.account_level = next(lv for lv in reversed(LEVELS) if allowed(membership, lv))
    return account


def account_view(write="write", read="read"):
    """Decorate a view taking `account_id`: it is called with the loaded `account`.

    GET needs `read`; every other method needs `write` (or `manage`). The levels
    are kept on the view so the route-walking test knows what to expect.
    """
    def decorate(view):
        @wraps(view)
        def wrapper(account_id, **kwargs):
            need = read if request.method in SAFE_METHODS else write
            return view(load_account(account_id, need), **kwargs)

        wrapper.account_access = {"read": read, "write": write}
        return login_required(wrapper)

    return decorate


def can(need):
    """In a template or view after the access check: may the user do `need` here?"""
    level = g.get("account_level")
    return level is not None and LEVELS.index(level) >= LEVELS.index(need)


def child_or_404(model, obj_id, account):
    """An object under the account, or 404 if it does not exist or belongs elsewhere."""
    obj = db.session.get(model, obj_id)
    if obj is None or obj.account_id != account.id:
        abort(404)
    return obj


def admin_required(view):
    """Only admins; others get 403."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    wrapper.admin_only = True
    return login_required(wrapper)
