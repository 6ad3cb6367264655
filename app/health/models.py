"""Health weights (set by an admin), quarterly snapshots, sponsor check-in notes, home-seen times."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.concurrency import Versioned
from app.extensions import db
from app.timeutil import utcnow
from app.translate import lazy_gettext as _l


class HealthWeight(Versioned, db.Model):
    """The weight of one health part; a missing row means the default weight."""

    __tablename__ = "health_weight"
    audit_fields = ("key", "weight")

    key: Mapped[str] = mapped_column(String(20), primary_key=True)
    weight: Mapped[int] = mapped_column(default=10)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def id(self):
        """The audit record wants an id; the key (in the summary) names the row."""
        return None


class HealthSnapshot(db.Model):
    """An account's health as it stood when a quarter closed (or when someone pressed the button)."""

    __tablename__ = "health_snapshot"
    __table_args__ = (UniqueConstraint("account_id", "quarter", name="uq_health_snapshot_quarter"),)
    audit_fields = ("quarter", "score")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    quarter: Mapped[str] = mapped_column(String(7))  # "2026-Q3": sorts as text
    score: Mapped[int | None]  # None: not enough data that quarter
    parts: Mapped[dict] = mapped_column(JSON, default=dict)  # {part key: score or None (unknown)}
    # Taken well after the quarter ended: scored as of its last day, but today's statuses leak in.
    late: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class CheckInNote(db.Model):
    """An executive sponsor's note on an account, for the team to see on the timeline."""

    __tablename__ = "checkin_note"
    audit_fields = ("body",)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author = relationship("User", lazy="raise_on_sql")


class HomeSeen(db.Model):
    """When the user last looked at the home page, and the visit before (what "since" means)."""

    __tablename__ = "home_seen"
    audit_fields = ()

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    previous_at: Mapped[datetime | None]


def _register_labels():
    """Audit labels for this feature's objects."""
    from app.audit import labels

    labels.register(objects={"CheckInNote": _l("sponsor check-in note"),
                             "HealthSnapshot": _l("health snapshot"),
                             "HealthWeight": _l("health weight")},
                    fields={"body": _l("Note"), "quarter": _l("Quarter")})


_register_labels()
