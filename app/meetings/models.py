"""Executive meeting cadences and the meetings log (both sides' attendees, decisions, satisfaction)."""
from datetime import date, datetime, timedelta

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import today, utcnow
from app.translate import lazy_gettext as _l
from app.vocab import Vocab

MEETING_KINDS = Vocab(
    ("executive", _l("Executive meeting")),
    ("quarterly_review", _l("Quarterly review")),
    ("check_in", _l("Check-in")),
    ("site_visit", _l("Site visit")),
)
MEETING_STATUS = Vocab(("scheduled", _l("Scheduled")), ("held", _l("Held")),
                       ("cancelled", _l("Cancelled")))

meeting_user = Table(
    "meeting_user", db.metadata,
    Column("meeting_id", ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id"), primary_key=True),
)
meeting_contact = Table(
    "meeting_contact", db.metadata,
    Column("meeting_id", ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contact.id"), primary_key=True, index=True),
)


class ExecutiveCadence(db.Model):
    """One of our executives meets one of their decision-makers every `every_days` days."""

    __tablename__ = "executive_cadence"
    __table_args__ = (UniqueConstraint("account_id", "executive_id", "contact_id",
                                       name="uq_executive_cadence_pair"),)
    audit_fields = ("executive_id", "contact_id", "every_days", "started_on", "notes")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    executive_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"))
    every_days: Mapped[int] = mapped_column(default=90)
    started_on: Mapped[date] = mapped_column(default=today)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    executive = relationship("User", lazy="raise_on_sql")
    contact = relationship("Contact", lazy="raise_on_sql")

    def audit_summary(self):
        """"张伟 Zhang Wei ↔ 刘建国 Liu Jianguo" for the timeline (one query, on writes only)."""
        from app.audit.services import pair_label

        return pair_label(self.executive_id, self.contact_id)


def cadence_due(last_met, started_on, every_days, on=None):
    """(next due date, days overdue or 0) of a cadence.

    The clock runs from the last meeting with the contact; before the first one it runs
    from the day the cadence was agreed, so a new cadence is due at once.
    """
    on = on or today()
    due = last_met + timedelta(days=every_days) if last_met else started_on
    return due, max((on - due).days, 0)


class Meeting(db.Model):
    """A meeting with the customer, planned or held; `starts_at` is naive UTC."""

    __tablename__ = "meeting"
    __table_args__ = (Index("ix_meeting_account_starts", "account_id", "starts_at"),)
    audit_fields = ("kind", "status", "title", "starts_at", "duration_minutes", "location", "agenda",
                    "summary", "decisions", "satisfaction")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="executive")
    status: Mapped[str] = mapped_column(String(12), default="held")
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(default=60)
    location: Mapped[str] = mapped_column(String(200), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")  # one decision per line
    satisfaction: Mapped[int | None]  # 1-10, when the customer gave it
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    # iCalendar SEQUENCE: rises when what a calendar shows changes (time, place, title,
    # status, attendees), not when notes are added after the meeting.
    sequence: Mapped[int] = mapped_column(default=0)

    __mapper_args__ = {"version_id_col": version}

    created_by = relationship("User", foreign_keys=[created_by_id], lazy="raise_on_sql")
    our_attendees = relationship("User", secondary=meeting_user, lazy="raise_on_sql",
                                 order_by="User.name")
    their_attendees = relationship("Contact", secondary=meeting_contact, lazy="raise_on_sql",
                                   order_by="Contact.name")

    @property
    def kind_label(self):
        return MEETING_KINDS.label(self.kind)

    @property
    def status_label(self):
        return MEETING_STATUS.label(self.status)

    @property
    def decision_list(self):
        return [line.strip(" -•\t") for line in self.decisions.splitlines() if line.strip(" -•\t")]

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes or 60)


def last_met_sql():
    """SQL: the time of the last held meeting of the cadence's account with its contact, a
    subquery correlated with ExecutiveCadence (the cadence and its clock in one statement)."""
    return (db.select(db.func.max(Meeting.starts_at))
            .join(meeting_contact, meeting_contact.c.meeting_id == Meeting.id)
            .where(Meeting.account_id == ExecutiveCadence.account_id, Meeting.status == "held",
                   meeting_contact.c.contact_id == ExecutiveCadence.contact_id)
            .correlate(ExecutiveCadence).scalar_subquery())


def _register_labels():
    """Audit labels for meeting objects and fields."""
    from app.audit import labels

    labels.register(
        objects={"Meeting": _l("meeting"), "ExecutiveCadence": _l("executive cadence")},
        fields={"executive_id": _l("Our executive"), "every_days": _l("Every (days)"),
                "started_on": _l("Started"), "starts_at": _l("Date and time"),
                "duration_minutes": _l("Duration (minutes)"), "location": _l("Location"),
                "agenda": _l("Agenda"), "summary": _l("Summary"), "decisions": _l("Decisions"),
                "satisfaction": _l("Satisfaction"), "our_attendees": _l("Our attendees"),
                "their_attendees": _l("Their attendees")},
        value_vocabs={"Meeting.kind": MEETING_KINDS, "Meeting.status": MEETING_STATUS})


_register_labels()
