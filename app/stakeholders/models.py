"""Departments and contacts of a customer account."""
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.concurrency import Versioned
from app.extensions import db
from app.timeutil import today, utcnow
from app.translate import lazy_gettext as _l
from app.vocab import (
    ATTITUDES,
    BUYING_ROLES,
    DEPARTMENT_FUNCTIONS,
    INFLUENCE,
    RELATIONSHIP_STRENGTH,
    SENIORITY,
    Vocab,
)

INTERACTION_KINDS = Vocab(
    ("call", _l("Call")),
    ("visit", _l("Visit")),
    ("email", _l("E-mail")),
    ("meal", _l("Meal")),
    ("event", _l("Event")),
)
# The shared vocab's "Procurement" is already translated as the account's procurement *model*;
# a department needs the word for the purchasing function, so labels are kept here.
DEPARTMENT_FUNCTION_LABELS = Vocab(*[
    (v, _l("Purchasing") if v == "procurement" else label) for v, label in DEPARTMENT_FUNCTIONS.pairs])
CONTACT_STATUS = Vocab(("active", _l("Still there")), ("left", _l("Left the company")))


class Department(Versioned, db.Model):
    """A department of the customer; departments nest through `parent_id`."""

    __tablename__ = "department"
    audit_fields = ("name", "function", "parent_id", "notes", "removed_on")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    function: Mapped[str] = mapped_column(String(20), default="other")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A department the customer closed or merged: gone from the map, kept for history.
    removed_on: Mapped[date | None]

    @property
    def function_label(self):
        return DEPARTMENT_FUNCTION_LABELS.label(self.function)


class Contact(db.Model):
    """A person at the customer. One who leaves stays on record, marked left."""

    __tablename__ = "contact"
    __table_args__ = (Index("ix_contact_account_status", "account_id", "status"),)
    audit_fields = (
        "name", "title", "department_id", "reports_to_id", "seniority", "buying_role", "influence",
        "attitude", "interests", "vested_interests", "needs_short", "needs_long", "email", "phone",
        "status", "left_on", "left_to",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    reports_to_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(120), default="")
    seniority: Mapped[str] = mapped_column(String(20), default="staff")
    buying_role: Mapped[str | None] = mapped_column(String(20))
    influence: Mapped[str] = mapped_column(String(10), default="medium")
    attitude: Mapped[str] = mapped_column(String(20), default="neutral")
    interests: Mapped[str] = mapped_column(Text, default="")  # personal interests, working style
    vested_interests: Mapped[str] = mapped_column(Text, default="")  # what our sale threatens
    needs_short: Mapped[str] = mapped_column(Text, default="")
    needs_long: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(10), default="active")  # active | left
    left_on: Mapped[date | None]
    left_to: Mapped[str] = mapped_column(String(200), default="")
    # Kept up to date by the services that log interactions and meetings.
    last_contacted_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Two teammates may edit one contact at once: stale saves are refused.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    department = relationship("Department", lazy="raise_on_sql")

    @property
    def is_active(self):
        return self.status == "active"

    @property
    def is_decision_maker(self):
        """Economic buyers and VPs and above need an executive of ours."""
        return self.buying_role == "economic_buyer" or SENIORITY.rank(self.seniority) >= SENIORITY.rank("vp")

    @property
    def seniority_label(self):
        return SENIORITY.label(self.seniority)

    @property
    def buying_role_label(self):
        return BUYING_ROLES.label(self.buying_role) if self.buying_role else ""

    @property
    def influence_label(self):
        return INFLUENCE.label(self.influence)

    @property
    def attitude_label(self):
        return ATTITUDES.label(self.attitude)


_OPEN_CONTACT = text("ended_on IS NULL AND contact_id IS NOT NULL")
_OPEN_DEPARTMENT = text("ended_on IS NULL AND department_id IS NOT NULL")


class Coverage(Versioned, db.Model):
    """One of our people paired with a customer department (rep) or contact (executive).

    Exactly one of `department_id` / `contact_id` is set. Ending a pairing sets
    `ended_on`; the row stays so the history of who knew whom is kept.
    """

    __tablename__ = "coverage"
    __table_args__ = (Index("ix_coverage_account_active", "account_id", "ended_on"),
                      # "does this person own a decision-maker here": per person and account
                      Index("ix_coverage_user_account", "user_id", "account_id"),
                      # One open pairing per our person and their contact (or department); ended
                      # pairings are history and may repeat.
                      Index("uq_coverage_open_contact", "user_id", "contact_id", unique=True,
                            sqlite_where=_OPEN_CONTACT, postgresql_where=_OPEN_CONTACT),
                      Index("uq_coverage_open_department", "user_id", "department_id", unique=True,
                            sqlite_where=_OPEN_DEPARTMENT, postgresql_where=_OPEN_DEPARTMENT))
    audit_fields = ("user_id", "department_id", "contact_id", "current_level", "target_level",
                    "ended_on")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"), index=True)
    current_level: Mapped[str] = mapped_column(String(20), default="none")
    target_level: Mapped[str] = mapped_column(String(20), default="credible")
    started_on: Mapped[date] = mapped_column(default=today)
    ended_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", lazy="raise_on_sql")

    def audit_summary(self):
        """"Zhang Wei → 刘建国 Liu Jianguo" (or → a department) for the timeline (one query, on writes)."""
        from app.audit.services import pair_label

        return pair_label(self.user_id, self.contact_id, self.department_id, arrow="→")

    @property
    def is_active(self):
        return self.ended_on is None

    @property
    def kind(self):
        return "contact" if self.contact_id else "department"

    @property
    def current_label(self):
        return RELATIONSHIP_STRENGTH.label(self.current_level)

    @property
    def target_label(self):
        return RELATIONSHIP_STRENGTH.label(self.target_level)


interaction_contact = Table(
    "interaction_contact",
    db.metadata,
    Column("interaction_id", ForeignKey("interaction.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contact.id"), primary_key=True, index=True),
)


class Interaction(db.Model):
    """A logged touch (call, visit, e-mail, meal, event) with one or more contacts."""

    __tablename__ = "interaction"
    audit_fields = ("kind", "occurred_on", "note")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="call")
    occurred_on: Mapped[date] = mapped_column(default=today, index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contacts = relationship("Contact", secondary=interaction_contact, lazy="raise_on_sql",
                            order_by="Contact.name")
    user = relationship("User", lazy="raise_on_sql")

    @property
    def kind_label(self):
        return INTERACTION_KINDS.label(self.kind)
