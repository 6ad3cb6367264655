"""The account plan: one plan per account and year, its sections, objectives and opportunities.

Each editable section is its own row with a `version` (SQLAlchemy's version_id_col),
so two teammates editing different sections never collide, and two editing the same
one are told instead of silently overwriting each other.
"""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.actions.models import ActionItem
from app.extensions import db
from app.plans.vocab import HORIZONS, OBJECTIVE_STATUS, OPEN_STAGES, OPPORTUNITY_STAGES, SWOT
from app.timeutil import utcnow

Money = Numeric(16, 2)


class Plan(db.Model):
    """The account plan of one period (a calendar year); closed plans are read-only."""

    __tablename__ = "plan"
    __table_args__ = (UniqueConstraint("account_id", "year", name="uq_plan_account_year"),)
    audit_fields = ("year", "closed_at")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    year: Mapped[int]
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"))
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    business = relationship("BusinessSection", uselist=False, lazy="raise_on_sql")
    position = relationship("PositionSection", uselist=False, lazy="raise_on_sql")
    swot_items = relationship("SwotItem", lazy="raise_on_sql",
                              order_by="(SwotItem.quadrant, SwotItem.position, SwotItem.id)")
    objectives = relationship("Objective", lazy="raise_on_sql", foreign_keys="Objective.plan_id",
                              order_by="(Objective.position, Objective.id)")

    @property
    def is_open(self):
        """Still editable (not closed, or not won or lost)."""
        return self.closed_at is None


class _Edited:
    """Who saved a section last, kept on the row so the page needs no audit query."""

    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class BusinessSection(_Edited, db.Model):
    """The customer's business: what they want, short- and long-term, and who competes for them."""

    __tablename__ = "plan_business"
    audit_fields = ("strategy", "short_term_needs", "long_term_needs", "financial_notes",
                    "initiatives", "competitors", "industry_position")

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    strategy: Mapped[str] = mapped_column(Text, default="")
    short_term_needs: Mapped[str] = mapped_column(Text, default="")
    long_term_needs: Mapped[str] = mapped_column(Text, default="")
    financial_notes: Mapped[str] = mapped_column(Text, default="")
    initiatives: Mapped[str] = mapped_column(Text, default="")
    competitors: Mapped[str] = mapped_column(Text, default="")
    industry_position: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    updated_by = relationship("User", lazy="raise_on_sql")


class PositionSection(_Edited, db.Model):
    """Our position: what they buy from us, what they spend in our category, what is possible."""

    __tablename__ = "plan_position"
    audit_fields = ("annual_value", "category_spend", "potential", "narrative")

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    annual_value: Mapped[Decimal | None] = mapped_column(Money)
    category_spend: Mapped[Decimal | None] = mapped_column(Money)
    potential: Mapped[Decimal | None] = mapped_column(Money)
    narrative: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    updated_by = relationship("User", lazy="raise_on_sql")

    @property
    def share_of_wallet(self):
        """Our share of their category spend, in percent (None without a spend figure)."""
        from app.plans.services import wallet_share
        return wallet_share(self.annual_value, self.category_spend)


class SwotItem(_Edited, db.Model):
    """One line of the SWOT; the four lists are ordered by `position`."""

    __tablename__ = "plan_swot_item"
    __table_args__ = (Index("ix_plan_swot_item_plan", "plan_id", "quadrant", "position"),)
    audit_fields = ("quadrant", "text")

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    quadrant: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    updated_by = relationship("User", lazy="raise_on_sql")

    @property
    def quadrant_label(self):
        """Translated name of the SWOT list."""
        return SWOT.label(self.quadrant)


class Objective(_Edited, db.Model):
    """What the team wants to achieve with the account, by when, and how it is going."""

    __tablename__ = "plan_objective"
    audit_fields = ("title", "horizon", "owner_id", "target_date", "target_value", "status",
                    "progress")

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    horizon: Mapped[str] = mapped_column(String(10), default="short")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    target_date: Mapped[date | None]
    target_value: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="on_track")
    progress: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("plan_objective.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    owner = relationship("User", foreign_keys=[owner_id], lazy="raise_on_sql")
    updated_by = relationship("User", foreign_keys="Objective.updated_by_id", lazy="raise_on_sql")
    # action_item.objective_id is a plain column (the shared table predates this one).
    actions = relationship(
        ActionItem, primaryjoin=lambda: Objective.id == db.foreign(ActionItem.objective_id),
        viewonly=True, lazy="raise_on_sql",
        order_by=lambda: (ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id))

    @property
    def horizon_label(self):
        """Translated horizon."""
        return HORIZONS.label(self.horizon)

    @property
    def status_label(self):
        """Translated status."""
        return OBJECTIVE_STATUS.label(self.status)


# "My actions" shows the objective an action serves.
ActionItem.objective = relationship(
    Objective, primaryjoin=lambda: db.foreign(ActionItem.objective_id) == Objective.id,
    viewonly=True, lazy="raise_on_sql")


class Opportunity(_Edited, db.Model):
    """A sale in the making, through the stages of the sales process to won or lost."""

    __tablename__ = "plan_opportunity"
    __table_args__ = (Index("ix_plan_opportunity_account_stage", "account_id", "stage"),)
    audit_fields = ("name", "value", "expected_close", "probability", "stage", "reason",
                    "closed_on")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    value: Mapped[Decimal] = mapped_column(Money, default=0)
    expected_close: Mapped[date | None]
    probability: Mapped[int] = mapped_column(default=10)
    stage: Mapped[str] = mapped_column(String(20), default="development")
    reason: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    updated_by = relationship("User", lazy="raise_on_sql")

    @property
    def is_open(self):
        """Still editable (not closed, or not won or lost)."""
        return self.stage in OPEN_STAGES

    @property
    def stage_label(self):
        """Translated stage."""
        return OPPORTUNITY_STAGES.label(self.stage)

    @property
    def weighted_value(self):
        """Value times probability."""
        return (self.value or 0) * self.probability / 100
