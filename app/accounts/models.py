"""The customer account."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import utcnow
from app.vocab import PROCUREMENT, PURCHASE_PATTERN, STAGES, TIERS

Money = Numeric(16, 2)


class Account(db.Model):
    """A customer we run as a key account."""

    __tablename__ = "account"
    audit_fields = (
        "name", "industry", "region", "website", "procurement_model", "purchase_pattern",
        "currency", "revenue_this_year", "revenue_last_year", "margin_pct", "payment_terms",
        "credit_note", "tier", "relationship_stage", "archived_at",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    industry: Mapped[str] = mapped_column(String(120), default="")
    region: Mapped[str] = mapped_column(String(120), default="")
    website: Mapped[str] = mapped_column(String(255), default="")
    procurement_model: Mapped[str] = mapped_column(String(20), default="centralised")
    purchase_pattern: Mapped[str] = mapped_column(String(20), default="recurring")
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    revenue_this_year: Mapped[Decimal] = mapped_column(Money, default=0)
    revenue_last_year: Mapped[Decimal] = mapped_column(Money, default=0)
    margin_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    payment_terms: Mapped[str] = mapped_column(String(120), default="")
    credit_note: Mapped[str] = mapped_column(Text, default="")
    tier: Mapped[str] = mapped_column(String(20), default="developing", index=True)
    relationship_stage: Mapped[str] = mapped_column(String(20), default="establish")
    archived_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    memberships = relationship("Membership", back_populates="account", lazy="raise_on_sql",
                               order_by="Membership.joined_on")

    def __repr__(self):
        return f"<Account {self.name}>"

    @property
    def growth_pct(self):
        """Revenue growth this year against last, in percent; None without a base."""
        if not self.revenue_last_year:
            return None
        return float((self.revenue_this_year - self.revenue_last_year) / self.revenue_last_year * 100)

    @property
    def tier_label(self):
        return TIERS.label(self.tier)

    @property
    def stage_label(self):
        return STAGES.label(self.relationship_stage)

    @property
    def procurement_label(self):
        return PROCUREMENT.label(self.procurement_model)

    @property
    def purchase_label(self):
        return PURCHASE_PATTERN.label(self.purchase_pattern)
