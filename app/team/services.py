"""Team services: add, change, leave; and the queries pages need."""
from sqlalchemy import or_
from sqlalchemy.orm import joinedload

from app.audit.services import apply_changes, record
from app.auth.models import User
from app.concurrency import check_version, commit_versioned, guarded, refuse_duplicates
from app.extensions import db
from app.search.text import like_pattern
from app.team.models import Membership
from app.timeutil import today
from app.translate import lazy_gettext as _l


class TeamError(ValueError):
    """A team change that cannot be made, with a message for the person."""


def team_of(account_id):
    """All memberships of an account (current first, then history), users loaded."""
    rows = db.session.scalars(
        db.select(Membership).where(Membership.account_id == account_id)
        .order_by(Membership.left_on.isnot(None), Membership.left_on.desc(), Membership.joined_on)
    ).all()
    current = [m for m in rows if m.left_on is None]
    role_order = {"kam": 0, "sponsor": 1, "member": 2, "observer": 3}
    current.sort(key=lambda m: (role_order.get(m.role, 9), m.user.name))
    return current, [m for m in rows if m.left_on is not None]


CANDIDATES_SHOWN = 50  # the add form lists this many people; beyond, it finds them by name


def candidates(account_id, q="", keep=None, limit=None):
    """Active users not currently on the team, for the add form, by name: rows of (id, name,
    title, seniority), not User objects, and whether there are more than `limit` (default
    CANDIDATES_SHOWN): one query whatever the size of the workspace, reading `limit` + 1 rows.

    `q` narrows them to names, titles or emails containing it; `keep` (the person a posted form
    chose) is listed even past the limit, so the choice survives a refused form.
    """
    limit = limit or CANDIDATES_SHOWN
    on_team = db.select(Membership.user_id).where(
        Membership.account_id == account_id, Membership.left_on.is_(None))
    stmt = db.select(User.id, User.name, User.title, User.seniority).where(
        User.active.is_(True), User.id.notin_(on_team))
    q = (q or "").strip()
    if q:
        pattern = like_pattern(q)
        stmt = stmt.where(or_(*(col.ilike(pattern, escape="\\") for col in (User.name, User.title, User.email))))
    rows = db.session.execute(stmt.order_by(User.name).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    if keep and all(r.id != keep for r in rows):
        rows = db.session.execute(stmt.where(User.id == keep)).all() + rows
    return rows, more


def add_member(actor, account, user_id, role="member", function="sales", joined_on=None):
    """Put a user on the team; a person already on it is refused."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise TeamError(_l("Choose an active person."))
    name = user.name
    if is_on_team(account.id, user_id):
        raise TeamError(_l("%(name)s is already on this team.", name=name))
    m = Membership(account_id=account.id, user_id=user_id, role=role, function=function,
                   joined_on=joined_on or today())
    with refuse_duplicates(lambda: TeamError(_l("%(name)s is already on this team.", name=name))):
        db.session.add(m)
        db.session.flush()  # a racing request that added them first stops here (uq_membership_current)
        record(actor, m, "create", summary=name)
        db.session.commit()
    return m


def _other_kams(membership):
    return db.session.scalar(db.select(db.func.count(Membership.id)).where(
        Membership.account_id == membership.account_id, Membership.role == "kam",
        Membership.left_on.is_(None), Membership.id != membership.id))


@guarded("membership")
def change_member(actor, membership, role, function, version=None):
    """Change role or function of a current member; the last KAM cannot step down.

    StaleEdit if `version` (the one the page showed) is old; None skips the check.
    """
    if version is not None:
        check_version(membership, version)
    if membership.role == "kam" and role != "kam" and not _other_kams(membership):
        raise TeamError(_l("An account needs a key-account manager: make someone else KAM first."))
    changes = apply_changes(membership, {"role": role, "function": function})
    if changes:
        record(actor, membership, "update", changes, summary=membership.user.name)
        commit_versioned(membership)


def leave(actor, membership, left_on=None):
    """End a membership; it stays in the team's history."""
    if membership.left_on is not None:
        return
    if membership.role == "kam" and not _other_kams(membership):
        raise TeamError(_l("An account needs a key-account manager: make someone else KAM first."))
    changes = apply_changes(membership, {"left_on": left_on or today()})
    record(actor, membership, "leave", changes, summary=membership.user.name)
    db.session.commit()


def my_memberships(user):
    """The user's current memberships with their accounts, for "My accounts"."""
    return db.session.scalars(
        db.select(Membership).where(Membership.user_id == user.id, Membership.left_on.is_(None))
        .options(joinedload(Membership.account))
    ).all()


def current_memberships(account_id):
    """The account's current memberships in joining order, users loaded (one query)."""
    return db.session.scalars(
        db.select(Membership).where(Membership.account_id == account_id, Membership.left_on.is_(None))
        .order_by(Membership.joined_on)).all()


def _current_team(account_id, *entities):
    """A select of `entities` for the users currently on an account's team, by name."""
    return (db.select(*entities).join(Membership, Membership.user_id == User.id)
            .where(Membership.account_id == account_id, Membership.left_on.is_(None)).order_by(User.name))


def current_users(account_id):
    """The users currently on an account's team, by name (one query): owner choices and checks."""
    return db.session.scalars(_current_team(account_id, User)).all()


def current_people(account_id):
    """The same team as (id, name, title, seniority) rows, for labels that need no User objects."""
    return db.session.execute(_current_team(account_id, User.id, User.name, User.title, User.seniority)).all()


def is_on_team(account_id, user_id):
    """Whether a user is on the account's current team (the rule for every owner field)."""
    return bool(db.session.scalar(db.select(Membership.id).where(
        Membership.account_id == account_id, Membership.user_id == user_id,
        Membership.left_on.is_(None)).limit(1)))
