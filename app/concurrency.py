"""Optimistic locking: an edit based on an old version is refused, nothing is lost.

Models opt in with a `version` column named as SQLAlchemy's `version_id_col`, so
even two saves racing inside the same second cannot both win. Forms carry the
version they were read at; `check_version` compares it before the change.
"""
import inspect
from contextlib import contextmanager
from functools import wraps

from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db


class StaleEdit(Exception):
    """Somebody saved this object since the form was loaded."""

    def __init__(self, obj, last_event=None):
        super().__init__("stale edit")
        self.obj = obj
        self.last_event = last_event


def last_change(obj):
    """The newest audit event of an object (who saved it last, when)."""
    from sqlalchemy.orm import selectinload

    from app.audit.models import AuditEvent

    return db.session.scalar(
        db.select(AuditEvent)
        .where(AuditEvent.object_type == type(obj).__name__, AuditEvent.object_id == obj.id)
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.id.desc()).limit(1)
    )


def check_version(obj, submitted):
    """Raise StaleEdit unless `submitted` (from the form) is the object's version."""
    try:
        submitted = int(submitted)
    except (TypeError, ValueError):
        submitted = -1
    if submitted != obj.version:
        raise StaleEdit(obj, last_change(obj))


@contextmanager
def stale_guard(obj):
    """Inside, a racing save turns into StaleEdit wherever it is detected.

    Another worker's commit shows up as StaleDataError at the first flush of our change: the
    commit, or an autoflush before any query the service runs after changing `obj` (reading an
    expired attribute, touching related rows). Either way it must answer 409, not 500.
    """
    try:
        yield
    except StaleDataError:
        db.session.rollback()
        db.session.refresh(obj)
        raise StaleEdit(obj, last_change(obj)) from None


def commit_versioned(obj):
    """Commit; a concurrent save that got in first turns into StaleEdit."""
    with stale_guard(obj):
        db.session.commit()


def guarded(obj_arg):
    """Decorate a service saving a versioned object (its parameter `obj_arg`) so that a race
    detected anywhere inside it, not only at commit_versioned, raises StaleEdit."""
    def decorate(service):
        sig = inspect.signature(service)

        @wraps(service)
        def wrapper(*args, **kwargs):
            obj = sig.bind_partial(*args, **kwargs).arguments[obj_arg]
            with stale_guard(obj):
                return service(*args, **kwargs)
        return wrapper
    return decorate


def save_form(form, obj, save, refusals=()):
    """Run `save()` for a validated form carrying `obj`'s version: (saved, conflict, error).

    On StaleEdit the form moves to the current version, so saving again overwrites knowingly;
    an exception in `refusals` (a service's "cannot do that") becomes its message.
    """
    try:
        save()
    except StaleEdit as e:
        form.version.data = obj.version
        return False, e, None
    except refusals as e:
        return False, None, str(e)
    return True, None, None


@contextmanager
def refuse_duplicates(make_error):
    """Inside, a unique index refusing a row raises `make_error()` (a message for the person).

    The services check for a duplicate first, for the common case; two requests racing past
    that check at once are stopped by the database, and the loser is told the same thing.
    """
    from sqlalchemy.exc import IntegrityError

    try:
        yield
    except IntegrityError:
        db.session.rollback()
        raise make_error() from None
