"""Optimistic locking: an edit based on an old version is refused, nothing is lost.

Models opt in with a `version` column named as SQLAlchemy's `version_id_col`, so
even two saves racing inside the same second cannot both win. Forms carry the
version they were read at; `check_version` compares it before the change.
"""
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


def commit_versioned(obj):
    """Commit; a concurrent save that got in first turns into StaleEdit."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        db.session.refresh(obj)
        raise StaleEdit(obj, last_change(obj)) from None
