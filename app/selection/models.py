"""Selection criteria, scores, selection decisions, stage changes and the review setting."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit import labels
from app.concurrency import Versioned
from app.extensions import db
from app.timeutil import utcnow
from app.translate import lazy_gettext as _l
from app.vocab import STAGES, TIERS, Vocab

DECISIONS = Vocab(("promote", _l("Promote")), ("keep", _l("Keep")), ("demote", _l("Demote")))
SCORE_MIN, SCORE_MAX = 1, 10


class Criterion(Versioned, db.Model):
    """A selection criterion (workspace-wide, managed by admins), named in both languages."""

    __tablename__ = "selection_criterion"
    audit_fields = ("name_en", "name_zh", "description_en", "description_zh", "weight", "active")

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable code of a shipped default ("product_fit"); None for criteria an admin adds.
    key: Mapped[str | None] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_zh: Mapped[str] = mapped_column(String(120))
    description_en: Mapped[str] = mapped_column(String(500), default="")
    description_zh: Mapped[str] = mapped_column(String(500), default="")
    weight: Mapped[int] = mapped_column(default=10)
    active: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def name(self, locale="en"):
        """The name in the user's language (the other one if that is empty)."""
        return (self.name_zh if str(locale).startswith("zh") else self.name_en) or self.name_en or self.name_zh

    def description(self, locale="en"):
        return (self.description_zh if str(locale).startswith("zh") else self.description_en) or ""


class Score(db.Model):
    """One account's 1-10 score on one criterion, with who gave it and when."""

    __tablename__ = "selection_score"
    __table_args__ = (UniqueConstraint("account_id", "criterion_id", name="uq_selection_score_cell"),)
    audit_fields = ("value", "note")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("selection_criterion.id"), index=True)
    value: Mapped[int]
    note: Mapped[str] = mapped_column(String(500), default="")
    scored_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    scored_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Two teammates may score the same cell at once: the second save is told, not lost.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    scored_by = relationship("User", lazy="raise_on_sql")
    criterion = relationship("Criterion", lazy="raise_on_sql")

    @property
    def scored_by_name(self):
        """The scorer's name (scored_by loaded), as queries.CellScore has it for the matrix."""
        return self.scored_by.name if self.scored_by else None


class SelectionDecision(db.Model):
    """A selection review of an account: promote, keep or demote, with its reason."""

    __tablename__ = "selection_decision"
    __table_args__ = (Index("ix_selection_decision_account_at", "account_id", "decided_at"),)
    audit_fields = ("decision", "tier_before", "tier_after", "rationale")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    decision: Mapped[str] = mapped_column(String(10))
    tier_before: Mapped[str] = mapped_column(String(20))
    tier_after: Mapped[str] = mapped_column(String(20))
    rationale: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    decided_by = relationship("User", lazy="raise_on_sql")

    @property
    def decision_label(self):
        return DECISIONS.label(self.decision)

    @property
    def tier_before_label(self):
        return TIERS.label(self.tier_before)

    @property
    def tier_after_label(self):
        return TIERS.label(self.tier_after)


class StageChange(db.Model):
    """A move of the relationship stage (establish, stabilize, strengthen), with its reason."""

    __tablename__ = "stage_change"
    __table_args__ = (Index("ix_stage_change_account_at", "account_id", "changed_at"),)
    audit_fields = ("stage_before", "stage_after", "reason")

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    stage_before: Mapped[str] = mapped_column(String(20))
    stage_after: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    changed_by = relationship("User", lazy="raise_on_sql")

    @property
    def before_label(self):
        return STAGES.label(self.stage_before)

    @property
    def after_label(self):
        return STAGES.label(self.stage_after)


class SelectionSettings(Versioned, db.Model):
    """Workspace settings of the selection review (one row; absent means the config default)."""

    __tablename__ = "selection_settings"
    audit_fields = ("review_due_days",)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_due_days: Mapped[int | None]


labels.register(
    objects={"Criterion": _l("selection criterion"), "Score": _l("score"),
             "SelectionDecision": _l("selection decision"), "StageChange": _l("stage change"),
             "SelectionSettings": _l("selection settings")},
    fields={"name_en": _l("Name (English)"), "name_zh": _l("Name (Chinese)"),
            "description_en": _l("Description (English)"), "description_zh": _l("Description (Chinese)"),
            "weight": _l("Weight"), "value": _l("Score"), "note": _l("Note"), "decision": _l("Decision"),
            "tier_before": _l("Tier before"), "tier_after": _l("Tier after"), "rationale": _l("Rationale"),
            "stage_before": _l("Stage before"), "stage_after": _l("Stage after"), "reason": _l("Reason"),
            "review_due_days": _l("Review due after (days)")},
    value_vocabs={"decision": DECISIONS, "tier_before": TIERS, "tier_after": TIERS,
                  "stage_before": STAGES, "stage_after": STAGES},
)
