"""Audit events."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow


class AuditEvent(db.Model):
    """One change made through a service: actor, object, action and field diffs."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_account_at", "account_id", "at"),
        Index("ix_audit_event_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(30))
    # {"field": [before, after]} for updates; {"field": [None, value]} for creates.
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    summary: Mapped[str] = mapped_column(String(300), default="")

    actor = relationship("User", lazy="raise_on_sql")
