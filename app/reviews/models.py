"""Quarterly account reviews: the KAM's next-quarter priorities, frozen copies, export jobs."""
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow


class ReviewNote(db.Model):
    """What the KAM writes before finalising: next quarter's priorities, per account and quarter."""

    __tablename__ = "review_note"
    __table_args__ = (UniqueConstraint("account_id", "quarter", name="uq_review_note_account_quarter"),)
    audit_fields = ("priorities", "commentary")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    quarter: Mapped[str] = mapped_column(String(7))  # "2026-Q3"
    priorities: Mapped[str] = mapped_column(Text, default="")
    # The KAM's own account of the quarter, written before finalising.
    commentary: Mapped[str] = mapped_column(Text, default="", server_default="")
    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    updated_by = relationship("User", lazy="raise_on_sql")


class FinalReview(db.Model):
    """A finalised review: the PDF bytes and the data behind them, never changed afterwards.

    Re-issuing a quarter adds a row with the next `number`; older ones stay in the archive.
    """

    __tablename__ = "review_final"
    __table_args__ = (UniqueConstraint("account_id", "quarter", "number", name="uq_review_final_number"),)
    audit_fields = ("quarter", "number", "paper", "lang", "sha256")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    quarter: Mapped[str] = mapped_column(String(7))
    number: Mapped[int] = mapped_column(default=1)
    paper: Mapped[str] = mapped_column(String(10), default="a4")
    lang: Mapped[str] = mapped_column(String(5), default="en")
    data_json: Mapped[str] = deferred(mapped_column(Text))
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    size: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    finalised_at: Mapped[datetime] = mapped_column(default=utcnow)
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    finalised_by = relationship("User", lazy="raise_on_sql")


class ExportJob(db.Model):
    """A background export of many reviews as one ZIP file, built by a queue worker.

    `active_user_id` is the owner's id while the job is queued or running and NULL after:
    its unique constraint is what allows one active export per user, even for two clicks
    at the same instant. `heartbeat_at` is the worker's lease: renewed after every review,
    so a job whose heartbeat is older than EXPORT_LEASE_SECONDS has lost its worker.
    """

    __tablename__ = "review_export_job"
    audit_fields = ("quarter", "scope", "status")

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    active_user_id: Mapped[int | None] = mapped_column(unique=True)
    quarter: Mapped[str] = mapped_column(String(7))
    scope: Mapped[str] = mapped_column(String(20), default="mine")  # mine | a tier code
    paper: Mapped[str] = mapped_column(String(10), default="a4")
    lang: Mapped[str] = mapped_column(String(5), default="en")
    status: Mapped[str] = mapped_column(String(10), default="queued")  # queued|running|done|failed|expired
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str | None] = mapped_column(String(200))  # under EXPORT_DIR while kept
    size: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    user = relationship("User", lazy="raise_on_sql")

    @property
    def percent(self):
        """Progress 0-100."""
        return 100 if self.status == "done" else (self.done * 100 // self.total if self.total else 0)

    @property
    def finished(self):
        return self.status in ("done", "failed", "expired")
