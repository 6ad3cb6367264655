"""User services: create, update, (de)activate, passwords. They commit and audit."""
from app.audit.services import apply_changes, record
from app.auth.models import User
from app.concurrency import check_version, commit_versioned, guarded
from app.extensions import db
from app.names import clean_name
from app.translate import lazy_gettext as _l
from app.vocab import LANGUAGES, SENIORITY

MIN_PASSWORD = 8


class UserError(ValueError):
    """A user change that cannot be made, with a message for the person."""


class LastAdmin(UserError):
    """The change would leave the workspace without an active admin."""


def _guard_last_admin(user, *, is_admin, active):
    """Refuse to demote or deactivate the last active admin.

    The active admins' rows are locked (PostgreSQL; SQLite serialises writers anyway), so
    two admins demoting each other at the same moment cannot both succeed.
    """
    if not (user.is_admin and user.active) or (is_admin and active):
        return
    admins = db.session.scalars(db.select(User.id).where(User.is_admin.is_(True), User.active.is_(True))
                                .with_for_update()).all()
    if not [uid for uid in admins if uid != user.id]:
        raise LastAdmin(_l("The workspace needs an active admin: make someone else an admin first."))


def normalise_email(email):
    return (email or "").strip().lower()


def get_by_email(email):
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


_DUMMY_HASH = []


def _dummy_hash():
    """A hash made like real ones, so an unknown e-mail costs the same check as a known one."""
    if not _DUMMY_HASH:
        from secrets import token_hex

        from werkzeug.security import generate_password_hash

        _DUMMY_HASH.append(generate_password_hash(token_hex(16)))
    return _DUMMY_HASH[0]


def authenticate(email, password):
    """The active user with these credentials, or None (same answer for every failure).

    The password is checked even for an unknown e-mail (against a dummy hash) or a deactivated
    user, so the time taken does not tell who has an account.
    """
    from werkzeug.security import check_password_hash

    user = get_by_email(email)
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(), password or "")
        return None
    if not user.check_password(password or "") or not user.active:
        return None
    return user


def create_user(actor, *, email, name, password, is_admin=False, seniority="staff",
                title="", language=None):
    """Create a user; raises UserError for a taken e-mail or a short password."""
    email = normalise_email(email)
    if get_by_email(email):
        raise UserError(_l("A user with this e-mail already exists."))
    if len(password or "") < MIN_PASSWORD:
        raise UserError(_l("The password must be at least %(n)s characters.", n=MIN_PASSWORD))
    if seniority not in SENIORITY:
        raise UserError(_l("Unknown seniority."))
    name = clean_name(name)
    if not name:
        raise UserError(_l("Use visible characters: this name would show as blank."))
    user = User(email=email, name=name, title=(title or "").strip(), seniority=seniority,
                is_admin=bool(is_admin), language=language if language in LANGUAGES else None)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record(actor, user, "create")
    db.session.commit()
    return user


@guarded("user")
def update_user(actor, user, version=None, **data):
    """Change a user's profile fields; the e-mail stays unique.

    StaleEdit if `version` (the form's) is old: the user or another admin saved meanwhile.
    """
    if version is not None:
        check_version(user, version)
    if "email" in data:
        data["email"] = normalise_email(data["email"])
        other = get_by_email(data["email"])
        if other is not None and other.id != user.id:
            raise UserError(_l("A user with this e-mail already exists."))
    if data.get("language") not in LANGUAGES:
        data["language"] = None
    if "is_admin" in data:
        _guard_last_admin(user, is_admin=bool(data["is_admin"]), active=user.active)
    if "name" in data:
        data["name"] = clean_name(data["name"])
        if not data["name"]:
            raise UserError(_l("Use visible characters: this name would show as blank."))
    changes = apply_changes(user, data)
    if changes:
        record(actor, user, "update", changes)
        commit_versioned(user)
    return changes


def set_active(actor, user, active):
    """Deactivate or reactivate; deactivation ends the user's sessions at once."""
    if actor is not None and actor.id == user.id and not active:
        raise UserError(_l("You cannot deactivate yourself."))
    _guard_last_admin(user, is_admin=user.is_admin, active=bool(active))
    changes = apply_changes(user, {"active": bool(active)})
    if changes:
        if not active:
            user.session_version += 1
        record(actor, user, "activate" if active else "deactivate", changes)
        db.session.commit()


def change_password(user, current, new):
    """Change one's own password; other sessions of the user stop working."""
    if not user.check_password(current or ""):
        raise UserError(_l("The current password is not right."))
    if len(new or "") < MIN_PASSWORD:
        raise UserError(_l("The password must be at least %(n)s characters.", n=MIN_PASSWORD))
    user.set_password(new)
    user.session_version += 1
    record(user, user, "password", {"password": ["…", "…"]})
    db.session.commit()


def end_sessions(user):
    """Log-out: every session cookie (and remember-me cookie) issued to the user stops working.

    Flask's session lives in a signed cookie the server cannot revoke one by one; bumping the
    version it carries is what makes a copied or replayed cookie useless after log-out. It logs
    the user out on their other devices too, which is the safe side for a shared-browser log-out.
    """
    _bump_session_version(user)
    db.session.commit()


def _bump_session_version(user):
    """End the user's sessions without touching the profile's `version`: a log-out must not turn
    an admin's open edit of this user into a conflict. (A Core UPDATE: no version_id_col bump.)"""
    db.session.execute(db.update(User).where(User.id == user.id)
                       .values(session_version=User.session_version + 1))
    db.session.expire(user, ["session_version"])


def set_language(user, language):
    """Store the user's language choice (None: follow the browser)."""
    user.language = language if language in LANGUAGES else None
    db.session.commit()


# Per-user facts the page chrome needs on every request (e.g. "show the sponsor link"), as
# SQL expressions over User.id. Features register them; the login loader fetches them in the
# same query as the user, so the nav costs no query of its own.
USER_FLAGS = {}


def register_user_flag(name, expression, cast=bool):
    """`expression(User.id)` -> an SQL value (a boolean, or a count with cast=int); `cast` of it
    lands in `user.flags[name]` at login load."""
    USER_FLAGS[name] = (expression, cast)


_LOADERS = {}  # flag names -> the loader's SELECT, built once: building it cost more than running it


def _loader_statement(names):
    stmt = _LOADERS.get(names)
    if stmt is None:
        from app.timezones import workspace_zone_expression

        stmt = _LOADERS[names] = db.select(
            User, workspace_zone_expression().label("workspace_tz"),
            *(USER_FLAGS[n][0](User.id).label(n) for n in names)).where(User.id == db.bindparam("uid"))
    return stmt


def load_session_user(session_id):
    """Flask-Login loader: the user if the id and session version still hold (one query)."""
    try:
        uid, version = (int(p) for p in session_id.split(":"))
    except (ValueError, AttributeError):
        return None
    names = tuple(USER_FLAGS)
    row = db.session.execute(_loader_statement(names), {"uid": uid}).first()
    if row is None:
        return None
    user = row[0]
    if not user.active or user.session_version != version:
        return None
    user.workspace_tz = row[1]  # the workspace's default zone, read in the same query
    user.flags = {n: USER_FLAGS[n][1](v or 0) for n, v in zip(names, row[2:], strict=True)}
    return user


def list_users():
    return db.session.scalars(db.select(User).order_by(User.active.desc(), User.name)).all()
