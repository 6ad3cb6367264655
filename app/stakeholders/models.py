"""Departments and contacts of a customer account."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow
from app.vocab import ATTITUDES, BUYING_ROLES, DEPARTMENT_FUNCTIONS, INFLUENCE, SENIORITY


class Department(db.Model):
    """A department of the customer; departments nest through `parent_id`."""

    __tablename__ = "department"
    audit_fields = ("name", "function", "parent_id", "notes")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    function: Mapped[str] = mapped_column(String(20), default="other")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def function_label(self):
        return DEPARTMENT_FUNCTIONS.label(self.function)


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
