"""Write and read the audit record. Services call `record` before they commit."""
from datetime import date, datetime
from decimal import Decimal

from app.audit.models import AuditEvent
from app.extensions import db


def _plain(value):
    """A JSON-safe copy of a column value."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(obj, fields=None):
    """The audited fields of an object as JSON-safe values."""
    fields = fields or obj.audit_fields
    return {f: _plain(getattr(obj, f)) for f in fields}


def apply_changes(obj, data):
    """Set attributes from `data`; return {field: [before, after]} of what changed."""
    changes = {}
    for field, new in data.items():
        old = getattr(obj, field)
        if _plain(old) != _plain(new):
            changes[field] = [_plain(old), _plain(new)]
            setattr(obj, field, new)
    return changes


def name_of(obj):
    """What the timeline calls `obj` when the caller gives no summary: its `audit_summary()`
    (pairings and cadences: who with whom), else its name, title or subject."""
    hook = getattr(obj, "audit_summary", None)
    if callable(hook):
        return hook() or ""
    for attr in ("name", "title", "subject"):
        value = getattr(obj, attr, None)
        if isinstance(value, str) and value:
            return value
    return ""


def pair_label(user_id, contact_id=None, department_id=None, arrow="↔"):
    """"Our person ↔ their contact (or department)" by names, in one query."""
    from app.auth.models import User
    from app.stakeholders.models import Contact, Department

    other = (db.select(Contact.name).where(Contact.id == contact_id) if contact_id else
             db.select(Department.name).where(Department.id == department_id)).scalar_subquery()
    ours, theirs = db.session.execute(db.select(User.name, other).where(User.id == user_id)).one_or_none() or ("", "")
    return f"{ours} {arrow} {theirs}" if ours and theirs else ours or theirs or ""


def record(actor, obj, action, changes=None, account_id=None, summary=""):
    """Add an audit event for `obj` to the session (the caller commits); without a `summary`
    the event names the object (name_of), so the timeline says which one changed."""
    # No autoflush while reading the actor and the object: an expired attribute would flush the
    # caller's pending change here, and a racing save would escape as StaleDataError (a 500)
    # instead of reaching the caller's commit_versioned (a 409).
    with db.session.no_autoflush:
        if action == "create" and changes is None:
            changes = {k: [None, v] for k, v in snapshot(obj).items() if v not in (None, "")}
        summary = summary or name_of(obj)
        event = AuditEvent(
            actor_id=getattr(actor, "id", None),
            account_id=account_id if account_id is not None else getattr(obj, "account_id", None),
            object_type=type(obj).__name__,
            object_id=obj.id,
            action=action,
            changes=changes or {},
            summary=summary[:300],
        )
    db.session.add(event)
    return event


def account_timeline(account_id, limit=50, before_id=None):
    """The newest audit events of an account, with their actors, in one query."""
    from sqlalchemy.orm import joinedload

    stmt = (
        db.select(AuditEvent)
        .where(AuditEvent.account_id == account_id)
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    if before_id:
        stmt = stmt.where(AuditEvent.id < before_id)
    return db.session.scalars(stmt).all()
