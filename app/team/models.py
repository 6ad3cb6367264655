"""Team memberships: a person on an account's virtual team, over time."""
from datetime import date

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.concurrency import Versioned
from app.extensions import db
from app.timeutil import today
from app.vocab import FUNCTIONS, TEAM_ROLES

WRITE_ROLES = ("kam", "member", "sponsor")


class Membership(Versioned, db.Model):
    """One stint of a user on an account team; leaving sets `left_on`, the row stays."""

    __tablename__ = "membership"
    __table_args__ = (
        Index("ix_membership_user_active", "user_id", "left_on"),
        # The nav's sponsor flag asks "a current sponsor role?" on every request: without this,
        # PostgreSQL walked every membership of the workspace for a user who has none (0.4 ms).
        Index("ix_membership_user_role", "user_id", "role",
              sqlite_where=text("left_on IS NULL"), postgresql_where=text("left_on IS NULL")),
        # One current stint per person and account, enforced by the database: two "add to team"
        # requests racing each other cannot both insert (history rows, with left_on, are free).
        Index("uq_membership_current", "account_id", "user_id", unique=True,
              sqlite_where=text("left_on IS NULL"), postgresql_where=text("left_on IS NULL")),
    )
    audit_fields = ("user_id", "role", "function", "joined_on", "left_on")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    role: Mapped[str] = mapped_column(String(20), default="member")
    function: Mapped[str] = mapped_column(String(20), default="sales")
    joined_on: Mapped[date] = mapped_column(default=today)
    left_on: Mapped[date | None]

    account = relationship("Account", back_populates="memberships")
    user = relationship("User", lazy="joined", innerjoin=True)

    @property
    def is_current(self):
        return self.left_on is None

    @property
    def can_write(self):
        return self.is_current and self.role in WRITE_ROLES

    @property
    def role_label(self):
        return TEAM_ROLES.label(self.role)

    @property
    def function_label(self):
        return FUNCTIONS.label(self.function)
