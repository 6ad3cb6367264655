"""What the jobs have sent: one row per event told to someone, so a job that runs twice tells once."""
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow


class SentRecord(db.Model):
    """A claimed idempotency key, e.g. "sla:complaint:42:breach:user:7:email".

    The unique key is the whole mechanism: the first insert wins, every later one is refused
    (`app.jobs.sent.claim_once`). The daily `cleanup` job forgets records older than
    SENT_RECORD_RETENTION_DAYS.
    """

    __tablename__ = "sent_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
