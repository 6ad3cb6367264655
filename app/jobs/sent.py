"""What was already sent: one row per event key, so a job that runs twice tells nobody twice."""
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow


class SentRecord(db.Model):
    """A claimed event key (e.g. "sla-breach:12:response:u3"): its notification went out."""

    __tablename__ = "sent_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


def claim_once(key: str) -> bool:
    """True the first time `key` is claimed (a unique-key insert, committed), False ever after."""
    try:
        with db.session.begin_nested():
            db.session.add(SentRecord(key=key[:200]))
        db.session.commit()
    except IntegrityError:  # the savepoint is rolled back; the caller's work stays
        return False
    return True
