"""Selection services: criteria, scores, decisions, stage changes, the review setting.

Each takes plain values and the acting user, commits, and writes the audit record.
"""
from functools import cache

from flask import current_app
from sqlalchemy.exc import IntegrityError

from app.audit.services import apply_changes, record
from app.concurrency import StaleEdit, check_version, commit_versioned, guarded, last_change
from app.extensions import db
from app.selection.defaults import DEFAULT_CRITERIA
from app.selection.models import (
    DECISIONS,
    SCORE_MAX,
    SCORE_MIN,
    Criterion,
    Score,
    SelectionDecision,
    SelectionSettings,
    StageChange,
)
from app.timeutil import utcnow
from app.translate import lazy_gettext as _l
from app.vocab import STAGES, TIERS

ACTIVE_MIN, ACTIVE_MAX = 3, 5


class SelectionError(ValueError):
    """A change that cannot be made, with a message for the person."""


# --- criteria -------------------------------------------------------------------------

def ensure_default_criteria(actor=None):
    """Create the shipped criteria if there are none yet; True if it created them.

    Two first requests at once (the portfolio and an account's selection section) both see
    none: the loser's insert hits the unique key at its flush, and the winner's rows stand.
    """
    if _any_criterion():
        return False
    try:
        for pos, (key, name_en, name_zh, desc_en, desc_zh, weight, active) in enumerate(DEFAULT_CRITERIA):
            c = Criterion(key=key, name_en=name_en, name_zh=name_zh, description_en=desc_en,
                          description_zh=desc_zh, weight=weight, active=active, position=pos)
            db.session.add(c)
            db.session.flush()
            record(actor, c, "create", summary=name_en)
        db.session.commit()
    except IntegrityError:  # another request seeded them first: theirs stand
        db.session.rollback()
        return False
    return True


def _any_criterion():
    return db.session.scalar(db.select(Criterion.id).limit(1)) is not None


@cache
def _criteria_stmt(active_only):
    """list_criteria's select, built once a process (it runs on every page that shows scores)."""
    stmt = db.select(Criterion).order_by(Criterion.position, Criterion.id)
    return stmt.where(Criterion.active.is_(True)) if active_only else stmt


@cache
def _review_due_stmt():
    return db.select(SelectionSettings.review_due_days).limit(1)


def list_criteria(active_only=False):
    """Criteria in page order, the defaults created on first use (one query when they exist)."""
    stmt = _criteria_stmt(active_only)
    rows = db.session.scalars(stmt).all()
    if not rows:  # created here, or by a request that raced this one: read them either way
        ensure_default_criteria()
        rows = db.session.scalars(stmt).all()
    return rows


def active_count_warning(criteria):
    """A warning (not a refusal) when fewer than 3 or more than 5 criteria are active."""
    n = sum(1 for c in criteria if c.active)
    if n < ACTIVE_MIN:
        return _l("Only %(num)d active criteria: the articles advise combining 3 to 5, never choosing by one.",
                  num=n)
    if n > ACTIVE_MAX:
        return _l("%(num)d active criteria: with more than 5 the scores blur; consider keeping 3 to 5.", num=n)
    return None


def create_criterion(actor, data):
    """Add a criterion at the end of the list."""
    last = db.session.scalar(db.select(db.func.max(Criterion.position))) or 0
    c = Criterion(position=last + 1, **data)
    db.session.add(c)
    db.session.flush()
    record(actor, c, "create", summary=c.name_en)
    db.session.commit()
    return c


@guarded("criterion")
def update_criterion(actor, criterion, data, version=None):
    """Change names, descriptions, weight or active; scores stay on record either way.

    StaleEdit if `version` (what the admin read) is old; None skips the check.
    """
    if version is not None:
        check_version(criterion, version)
    changes = apply_changes(criterion, data)
    if changes:
        record(actor, criterion, "update", changes, summary=criterion.name_en)
        commit_versioned(criterion)
    return changes


# --- the review setting ----------------------------------------------------------------

def review_due_days(settings=False):
    """Days after which an account without a selection decision is due for review
    (`settings`: the row if already loaded, None if there is none)."""
    if settings is False:
        value = db.session.scalar(_review_due_stmt())
    else:
        value = settings.review_due_days if settings is not None else None
    return value or current_app.config.get("REVIEW_DUE_DAYS", 90)


def review_settings():
    """The workspace's one settings row, or None (the config default applies)."""
    return db.session.scalar(db.select(SelectionSettings).order_by(SelectionSettings.id).limit(1))


def set_review_due_days(actor, days, version=None):
    """Set N of "due for review" for the workspace; StaleEdit if `version` is old ("0": the
    setting was never saved; None skips the check)."""
    settings = review_settings()
    if version is not None and settings is not None:
        check_version(settings, version)
    if settings is None:
        settings = SelectionSettings(review_due_days=None)
        db.session.add(settings)
        db.session.flush()
    changes = apply_changes(settings, {"review_due_days": days})
    if changes:
        record(actor, settings, "update", changes)
        commit_versioned(settings)
    return changes


# --- scores -------------------------------------------------------------------------------

def find_score(account_id, criterion_id):
    return db.session.scalar(db.select(Score).where(
        Score.account_id == account_id, Score.criterion_id == criterion_id))


def _score_summary(criterion, value):
    """Stored text, readable in both languages: "Margin 利润率: 7"."""
    return f"{criterion.name_en} {criterion.name_zh}: {value}"


def set_score(actor, account, criterion, value, note="", version=None):
    """Score an account on an active criterion (1-10); a save over a newer score is refused.

    `version` is the score's version the form was read at ("0": the cell was empty);
    None skips the check (the demo data and scripts).
    """
    if not criterion.active:
        raise SelectionError(_l("This criterion is not active; its old scores are kept on record."))
    if not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
        raise SelectionError(_l("Enter a whole number from 1 to 10."))
    note = (note or "").strip()[:500]
    score = find_score(account.id, criterion.id)
    if score is None:
        score = Score(account_id=account.id, criterion_id=criterion.id, value=value, note=note,
                      scored_by_id=actor.id, scored_at=utcnow())
        db.session.add(score)
        try:
            db.session.flush()
        except IntegrityError:  # a teammate scored the empty cell first
            db.session.rollback()
            theirs = find_score(account.id, criterion.id)
            raise StaleEdit(theirs, last_change(theirs)) from None
        record(actor, score, "create", summary=_score_summary(criterion, value))
        db.session.commit()
        return score
    if version is not None:
        check_version(score, version or 0)
    changes = apply_changes(score, {"value": value, "note": note})
    if changes:
        score.scored_by_id, score.scored_at = actor.id, utcnow()
        record(actor, score, "update", changes, summary=_score_summary(criterion, value))
        commit_versioned(score)
    return score


# --- decisions and stages -------------------------------------------------------------------

def _record_and_move(actor, account, entry, field, value, why):
    """Add a history entry, move the account's field with it, audit both, commit (version-checked)."""
    db.session.add(entry)
    db.session.flush()
    # Summaries are stored text: the person's own words, not a label frozen in one language.
    record(actor, entry, "create", summary=why[:120])
    changes = apply_changes(account, {field: value})
    if changes:
        record(actor, account, "update", changes, account_id=account.id)
    commit_versioned(account)
    return entry


def record_decision(actor, account, decision, tier_after, rationale, tier_before=None, at=None):
    """Record a selection review and move the account's tier with it (both audited).

    `tier_before` is the tier the person saw; if it moved meanwhile, StaleEdit.
    """
    rationale = (rationale or "").strip()
    if decision not in DECISIONS:
        raise SelectionError(_l("Choose promote, keep or demote."))
    if tier_after not in TIERS:
        raise SelectionError(_l("Choose a tier."))
    if not rationale:
        raise SelectionError(_l("Give the reason for the decision."))
    if tier_before is not None and tier_before != account.tier:
        raise StaleEdit(account, last_change(account))
    before, after = TIERS.rank(account.tier), TIERS.rank(tier_after)  # lower rank = higher tier
    if decision == "keep" and after != before:
        raise SelectionError(_l("A keep decision leaves the tier as it is; choose promote or demote."))
    if decision == "promote" and not after < before:
        raise SelectionError(_l("Promote to a higher tier than %(tier)s.", tier=account.tier_label))
    if decision == "demote" and not after > before:
        raise SelectionError(_l("Demote to a lower tier than %(tier)s.", tier=account.tier_label))
    d = SelectionDecision(account_id=account.id, decision=decision, tier_before=account.tier,
                          tier_after=tier_after, rationale=rationale, decided_by_id=actor.id,
                          decided_at=at or utcnow())
    return _record_and_move(actor, account, d, "tier", tier_after, rationale)


def change_stage(actor, account, stage_after, reason, stage_before=None, at=None):
    """Move the relationship stage with a reason; the history keeps every move."""
    reason = (reason or "").strip()
    if stage_after not in STAGES:
        raise SelectionError(_l("Choose a stage."))
    if not reason:
        raise SelectionError(_l("Give the reason for the change."))
    if stage_before is not None and stage_before != account.relationship_stage:
        raise StaleEdit(account, last_change(account))
    if stage_after == account.relationship_stage:
        raise SelectionError(_l("The relationship is already at this stage."))
    s = StageChange(account_id=account.id, stage_before=account.relationship_stage,
                    stage_after=stage_after, reason=reason, changed_by_id=actor.id,
                    changed_at=at or utcnow())
    return _record_and_move(actor, account, s, "relationship_stage", stage_after, reason)
