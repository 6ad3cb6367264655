"""An action item: something one of us must do for an account, by a date."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import today, utcnow
from app.vocab import ACTION_STATUS

OPEN_STATUSES = ("open", "in_progress")


class ActionItem(db.Model):
    """Belongs to an account; comes from a plan objective or a meeting (or neither)."""

    __tablename__ = "action_item"
    __table_args__ = (Index("ix_action_item_owner_status_due", "owner_id", "status", "due_on"),
                      Index("ix_action_item_account_priority", "account_id", "priority_quarter"))
    audit_fields = ("title", "owner_id", "due_on", "status", "done_on", "priority_quarter")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="open")
    done_on: Mapped[date | None]
    # Where it comes from; the plan and meeting features set these.
    objective_id: Mapped[int | None] = mapped_column(index=True)
    meeting_id: Mapped[int | None] = mapped_column(index=True)
    # A priority the team commits to for this quarter ("2027-Q1"), chosen in the quarterly review.
    priority_quarter: Mapped[str | None] = mapped_column(String(7))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    owner = relationship("User", lazy="raise_on_sql")
    account = relationship("Account", lazy="raise_on_sql")

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.is_open and self.due_on is not None and self.due_on < today()

    @property
    def status_label(self):
        return ACTION_STATUS.label(self.status)
