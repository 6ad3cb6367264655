"""Complaint channels (where the customer complains, to whom) and the complaint log."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, and_, event, func
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow
from app.translate import lazy_gettext as _l
from app.vocab import Vocab

# Order matters: escalation only goes up this list.
CHANNEL_KINDS = Vocab(
    ("account_manager", _l("Account manager")),
    ("technical", _l("Technical")),
    ("management", _l("Management")),
    ("executive", _l("Executive")),
)
SEVERITIES = Vocab(("low", _l("Low")), ("medium", _l("Medium")), ("high", _l("High")),
                   ("critical", _l("Critical")))
STATUSES = Vocab(
    ("open", _l("Open")),
    ("acknowledged", _l("Acknowledged")),
    ("in_progress", _l("In progress")),
    ("resolved", _l("Resolved")),
    ("closed", _l("Closed")),
)
CATEGORIES = Vocab(
    ("quality", _l("Product quality")),
    ("delivery", _l("Delivery")),
    ("service", _l("Service")),
    ("technical", _l("Technical issue")),
    ("billing", _l("Billing")),
    ("other", _l("Other")),
)
OPEN_STATUSES = ("open", "acknowledged", "in_progress")
# What the button that moves a complaint to each status says.
STEP_ACTIONS = {"acknowledged": _l("Acknowledge"), "in_progress": _l("Start work"),
                "resolved": _l("Resolve"), "closed": _l("Close")}


class ComplaintChannel(db.Model):
    """One way for the customer to reach us: a kind, our owner, contact details, targets."""

    __tablename__ = "complaint_channel"
    __table_args__ = (UniqueConstraint("account_id", "kind", name="uq_complaint_channel_kind"),)
    audit_fields = ("kind", "owner_id", "phone", "email", "portal", "hours", "response_hours",
                    "resolution_hours", "notes")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    portal: Mapped[str] = mapped_column(String(255), default="")
    hours: Mapped[str] = mapped_column(String(120), default="")
    response_hours: Mapped[int] = mapped_column(default=24)
    resolution_hours: Mapped[int] = mapped_column(default=120)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    owner = relationship("User", lazy="raise_on_sql")

    @property
    def kind_label(self):
        return CHANNEL_KINDS.label(self.kind)

    @property
    def rank(self):
        return CHANNEL_KINDS.rank(self.kind)


class Complaint(db.Model):
    """A complaint from the customer, through a channel, with its status times and targets.

    `respond_by`/`resolve_by` are fixed when it is logged (received_at + the channel's
    targets): the promise made to the customer. Breaches compare against them in SQL.
    """

    __tablename__ = "complaint"
    __table_args__ = (Index("ix_complaint_account_status", "account_id", "status"),
                      # The worst-first lists walk this index: severity, then oldest (issue 22).
                      Index("ix_complaint_worst", "severity_rank", "received_at", "id"))
    audit_fields = ("subject", "channel_id", "contact_id", "received_at", "category", "severity",
                    "description", "owner_id", "status", "acknowledged_at", "started_at",
                    "resolved_at", "closed_at", "resolution", "root_cause", "prevention")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("complaint_channel.id"), index=True)
    source_channel_id: Mapped[int] = mapped_column(ForeignKey("complaint_channel.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(20), default="other")
    severity: Mapped[str] = mapped_column(String(10), default="medium")
    status: Mapped[str] = mapped_column(String(20), default="open")
    received_at: Mapped[datetime]
    respond_by: Mapped[datetime]
    resolve_by: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    resolution: Mapped[str] = mapped_column(Text, default="")
    root_cause: Mapped[str] = mapped_column(Text, default="")
    prevention: Mapped[str] = mapped_column(Text, default="")
    reopen_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    # SLA state kept with the row (sla_columns, on every insert and update), so lists filter and
    # sort on plain columns: when the complaint is or was past a promise (None: every promise
    # kept), and its severity as a number, worst lowest.
    breach_at: Mapped[datetime | None]
    severity_rank: Mapped[int] = mapped_column(default=0, server_default="0")

    __mapper_args__ = {"version_id_col": version}

    channel = relationship("ComplaintChannel", foreign_keys=[channel_id], lazy="raise_on_sql")
    source_channel = relationship("ComplaintChannel", foreign_keys=[source_channel_id],
                                  lazy="raise_on_sql")
    contact = relationship("Contact", lazy="raise_on_sql")
    owner = relationship("User", lazy="raise_on_sql")
    account = relationship("Account", lazy="raise_on_sql")
    events = relationship("ComplaintEvent", lazy="raise_on_sql", order_by="ComplaintEvent.id",
                          back_populates="complaint")

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def severity_label(self):
        return SEVERITIES.label(self.severity)

    @property
    def status_label(self):
        return STATUSES.label(self.status)

    @property
    def category_label(self):
        return CATEGORIES.label(self.category)

    def response_hours(self, now=None):
        """Hours from receipt to acknowledgement (or to now while unacknowledged)."""
        end = self.acknowledged_at or now or utcnow()
        return (end - self.received_at).total_seconds() / 3600

    def resolution_hours(self, now=None):
        """Hours from receipt to resolution (or to now while unresolved)."""
        end = self.resolved_at or now or utcnow()
        return (end - self.received_at).total_seconds() / 3600

    @hybrid_method
    def response_breached(self, now=None):
        """Not acknowledged by `respond_by` (still open and late counts too)."""
        return (self.acknowledged_at or now or utcnow()) > self.respond_by

    @response_breached.expression
    def response_breached(cls, now=None):
        now = utcnow() if now is None else now  # `now` may be a bound parameter
        return func.coalesce(cls.acknowledged_at, now) > cls.respond_by

    @hybrid_method
    def resolution_breached(self, now=None):
        """Not resolved by `resolve_by`."""
        return (self.resolved_at or now or utcnow()) > self.resolve_by

    @resolution_breached.expression
    def resolution_breached(cls, now=None):
        now = utcnow() if now is None else now
        return func.coalesce(cls.resolved_at, now) > cls.resolve_by

    @hybrid_method
    def breached(self, now=None):
        return self.response_breached(now) or self.resolution_breached(now)

    @breached.expression
    def breached(cls, now=None):
        """On the stored breach time: the same as either target breached whenever the recorded
        acknowledgement and resolution times are not after `now`."""
        return and_(cls.breach_at.is_not(None), cls.breach_at < (utcnow() if now is None else now))

    @property
    def was_escalated(self):
        return self.channel_id != self.source_channel_id


class ComplaintEvent(db.Model):
    """One step of a complaint: a status change, an escalation or a reopen, with its time."""

    __tablename__ = "complaint_event"
    audit_fields = ("kind", "from_status", "to_status", "note")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(20))  # log | status | escalate | reopen
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    from_channel_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_channel.id"))
    to_channel_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_channel.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    complaint = relationship("Complaint", back_populates="events", lazy="raise_on_sql")
    actor = relationship("User", lazy="raise_on_sql")
    from_channel = relationship("ComplaintChannel", foreign_keys=[from_channel_id], lazy="raise_on_sql")
    to_channel = relationship("ComplaintChannel", foreign_keys=[to_channel_id], lazy="raise_on_sql")


def _register_labels():
    """Audit labels for complaint objects and fields."""
    from app.audit import labels

    labels.register(
        objects={"ComplaintChannel": _l("complaint channel"), "Complaint": _l("complaint")},
        fields={"kind": _l("Kind"), "owner_id": _l("Owner"), "phone": _l("Phone"), "portal": _l("Portal"),
                "hours": _l("Hours"), "response_hours": _l("Response target (hours)"),
                "resolution_hours": _l("Resolution target (hours)"), "notes": _l("Notes"),
                "subject": _l("Subject"), "channel_id": _l("Channel"), "contact_id": _l("Raised by"),
                "received_at": _l("Received at"), "category": _l("Category"), "severity": _l("Severity"),
                "description": _l("Description"), "status": _l("Status"),
                "acknowledged_at": _l("Acknowledged"), "started_at": _l("Work started"),
                "resolved_at": _l("Resolved"), "closed_at": _l("Closed"), "resolution": _l("What was done"),
                "root_cause": _l("Root cause"), "prevention": _l("Prevention agreed"),
                "reopen_count": _l("Reopened")},
        value_vocabs={"severity": SEVERITIES, "category": CATEGORIES, "Complaint.status": STATUSES,
                      "ComplaintChannel.kind": CHANNEL_KINDS},
        refs={"Complaint.channel_id": (ComplaintChannel, "kind", CHANNEL_KINDS)})


_register_labels()


def sla_columns(row):
    """{"breach_at", "severity_rank"} for a complaint's values (a Complaint or a dict of columns):
    the earlier of the response and resolution promises not kept in time, and the severity's
    rank (critical -3 ... low 0: worst first in ascending order)."""
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    ack, resolved = get("acknowledged_at"), get("resolved_at")
    missed = [by for by, done in ((get("respond_by"), ack), (get("resolve_by"), resolved))
              if by is not None and (done is None or done > by)]
    sev = get("severity")
    return {"breach_at": min(missed) if missed else None,
            "severity_rank": -SEVERITIES.values.index(sev) if sev in SEVERITIES else 0}


@event.listens_for(Complaint, "before_insert")
@event.listens_for(Complaint, "before_update")
def _keep_sla_columns(_mapper, _connection, target):
    """Every ORM write of a complaint stores its SLA state."""
    for key, value in sla_columns(target).items():
        if getattr(target, key) != value:
            setattr(target, key, value)
