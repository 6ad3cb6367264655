"""Profile services: a user's own name, language and zone; the workspace zone; feed tokens."""
import secrets

from sqlalchemy.exc import IntegrityError

from app.audit.services import apply_changes, record
from app.concurrency import StaleEdit, check_version, commit_versioned, guarded
from app.extensions import db
from app.names import clean_name
from app.profile.models import WorkspaceSetting
from app.timezones import WORKSPACE_KEY, is_zone
from app.translate import lazy_gettext as _l
from app.vocab import LANGUAGES


class ProfileError(ValueError):
    """A profile change that cannot be made, with a message for the person."""


@guarded("user")
def update_profile(user, *, name, language, timezone, version):
    """Change one's own name, language and time zone (version-checked; None/"" = follow the default)."""
    check_version(user, version)
    name = clean_name(name or "")
    if not name:
        raise ProfileError(_l("Enter your name."))
    timezone = timezone or None
    if timezone is not None and not is_zone(timezone):
        raise ProfileError(_l("Choose a time zone from the list."))
    changes = apply_changes(user, {"name": name[:120], "language": language if language in LANGUAGES else None,
                                   "timezone": timezone})
    if changes:
        record(user, user, "update", changes)
        commit_versioned(user)
    return changes


def workspace_zone_row():
    """The stored workspace zone row, or None (the TIMEZONE setting applies)."""
    return db.session.scalar(db.select(WorkspaceSetting).where(WorkspaceSetting.key == WORKSPACE_KEY))


def workspace_zone_setting():
    """The stored workspace default zone, or None (the TIMEZONE setting applies)."""
    return db.session.scalar(db.select(WorkspaceSetting.value).where(WorkspaceSetting.key == WORKSPACE_KEY)) or None


class UnsavedZone:
    """Stands for the row before anyone saved a zone: version 0, the TIMEZONE setting."""

    id, version, value, timezone = None, 0, "", ""


def set_workspace_timezone(actor, timezone, version=None):
    """An admin sets the zone of everyone who has not chosen their own ("" or None: back to TIMEZONE).

    StaleEdit if `version` (the one the page showed; 0 before the first save) is old; None
    skips the check. Two first saves racing meet the key's unique index: the loser is stale."""
    timezone = timezone or ""
    if timezone and not is_zone(timezone):
        raise ProfileError(_l("Choose a time zone from the list."))
    row = workspace_zone_row()
    if version is not None:
        check_version(row if row is not None else UnsavedZone(), version)
    if row is None:
        row = WorkspaceSetting(key=WORKSPACE_KEY, value="")
        db.session.add(row)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            raise StaleEdit(workspace_zone_row()) from None
    if row.value == timezone:
        return {}
    changes = {"timezone": [row.value or None, timezone or None]}
    row.value = timezone
    record(actor, row, "update", changes, summary="timezone")
    commit_versioned(row)
    from flask import g

    g.pop("workspace_tz", None)  # this context read the old value
    return changes


def reset_calendar_token(user):
    """A new secret feed address for `user`; the old address stops working at once."""
    had = bool(user.calendar_token)
    user.calendar_token = secrets.token_urlsafe(24)
    record(user, user, "calendar_reset" if had else "calendar_on", {"calendar_token": ["…", "…"]})
    commit_versioned(user)
    return user.calendar_token


def user_by_calendar_token(token):
    """The active user whose feed address carries `token`, else None."""
    from app.auth.models import User

    if not token or len(token) > 64:
        return None
    user = db.session.scalar(db.select(User).where(User.calendar_token == token))
    if user is None or not user.active or not secrets.compare_digest(user.calendar_token, token):
        return None
    return user
