"""Plan services: periods, the business and position sections, the SWOT, share of wallet.

Every save of an editable section is version-checked (`app.concurrency`): a save based
on an old version raises StaleEdit and changes nothing, so nobody's work is lost.
"""
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import joinedload, selectinload

from app.audit.models import AuditEvent
from app.audit.services import apply_changes, record
from app.concurrency import check_version, commit_versioned, guarded
from app.extensions import db
from app.plans.models import BusinessSection, Objective, Plan, PositionSection, SwotItem
from app.plans.vocab import SWOT
from app.sqlin import among
from app.timeutil import today, utcnow
from app.translate import lazy_gettext as _l

SECTIONS = {"business": BusinessSection, "position": PositionSection}


CLOSED = _l("This plan is closed and kept read-only. Edit the current plan.")


class PlanError(ValueError):
    """A plan change that cannot be made, with a message for the person."""


def ensure_open(plan):
    """Closed plans are kept as they were: refuse any change."""
    if not plan.is_open:
        raise PlanError(CLOSED)


def plan_options():
    """Loader options for a whole plan page: a fixed number of queries, whatever the rows."""
    from app.actions.models import ActionItem

    # The two one-to-one sections join the plan's own row (a SELECT of their own each cost the
    # page two round trips on PostgreSQL); the lists come in one SELECT each.
    return (
        joinedload(Plan.business).joinedload(BusinessSection.updated_by),
        joinedload(Plan.position).joinedload(PositionSection.updated_by),
        selectinload(Plan.swot_items).joinedload(SwotItem.updated_by),
        selectinload(Plan.objectives).options(
            joinedload(Objective.owner), joinedload(Objective.updated_by),
            selectinload(Objective.actions).joinedload(ActionItem.owner)),
    )


def load_plan(account_id, plan_id=None):
    """A plan of the account with everything its page shows: the given one, else the open one."""
    stmt = db.select(Plan).where(Plan.account_id == account_id).options(*plan_options())
    if plan_id is not None:
        stmt = stmt.where(Plan.id == plan_id)
    else:
        stmt = stmt.where(Plan.closed_at.is_(None)).order_by(Plan.year.desc()).limit(1)
    return db.session.scalar(stmt.execution_options(populate_existing=True))


def plan_years(account_id):
    """[(plan id, year, open?)] of the account, newest first (for the period switcher)."""
    return db.session.execute(
        db.select(Plan.id, Plan.year, Plan.closed_at.is_(None))
        .where(Plan.account_id == account_id).order_by(Plan.year.desc())).all()


def start_plan(actor, account, year=None, commit=True):
    """Open the account's first plan (this year); our current value starts from the account's revenue."""
    year = year or today().year
    if db.session.scalar(db.select(Plan.id).where(Plan.account_id == account.id,
                                                  Plan.closed_at.is_(None))):
        raise PlanError(_l("This account already has an open plan."))
    plan = Plan(account_id=account.id, year=year)
    db.session.add(plan)
    db.session.flush()
    db.session.add(BusinessSection(plan_id=plan.id, account_id=account.id))
    db.session.add(PositionSection(plan_id=plan.id, account_id=account.id,
                                   annual_value=account.revenue_this_year))
    record(actor, plan, "create", account_id=account.id, summary=str(year))
    if commit:
        db.session.commit()
    return plan


def _touch(obj, actor):
    """Stamp who saved last. No autoflush: a racing save must surface at commit, as StaleEdit."""
    with db.session.no_autoflush:
        obj.updated_at = utcnow()
        obj.updated_by_id = getattr(actor, "id", None)


def update_section(actor, plan, key, data, version):
    """Save the business or position section if `version` is current; StaleEdit otherwise."""
    ensure_open(plan)
    section = getattr(plan, key)
    check_version(section, version)
    with db.session.no_autoflush:  # a racing save must surface at commit, as StaleEdit
        changes = apply_changes(section, data)
        if changes:
            _touch(section, actor)
            record(actor, section, "update", changes, summary=str(plan.year))
    if changes:
        commit_versioned(section)
    return changes


def wallet_share(annual_value, category_spend):
    """Our value as a percentage of the customer's spend in our category, one decimal."""
    if annual_value is None or not category_spend:
        return None
    pct = Decimal(annual_value) * 100 / Decimal(category_spend)
    return float(pct.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def share_of_wallet(account_ids):
    """{account_id: percent or None} from each account's open plan, in one query."""
    ids = list(account_ids)
    result = dict.fromkeys(ids)
    if not ids:
        return result
    rows = db.session.execute(
        db.select(Plan.account_id, PositionSection.annual_value, PositionSection.category_spend)
        .join(PositionSection, PositionSection.plan_id == Plan.id)
        .where(among(Plan.account_id, ids), Plan.closed_at.is_(None)))
    for account_id, value, spend in rows:
        result[account_id] = wallet_share(value, spend)
    return result


# --- SWOT ---------------------------------------------------------------------------

def _clean_text(text, limit=500):
    """One line of text, trimmed; empty or too long is refused."""
    text = " ".join((text or "").split())
    if not text:
        raise PlanError(_l("Write something first."))
    if len(text) > limit:
        raise PlanError(_l("Keep it under %(n)d characters.", n=limit))
    return text


def add_swot_item(actor, plan, quadrant, text):
    """Add a line at the end of one of the four SWOT lists."""
    ensure_open(plan)
    if quadrant not in SWOT:
        raise PlanError(_l("Choose strengths, weaknesses, opportunities or threats."))
    last = db.session.scalar(db.select(db.func.max(SwotItem.position)).where(
        SwotItem.plan_id == plan.id, SwotItem.quadrant == quadrant))
    item = SwotItem(plan_id=plan.id, account_id=plan.account_id, quadrant=quadrant,
                    text=_clean_text(text), position=(last or 0) + 1)
    _touch(item, actor)
    db.session.add(item)
    db.session.flush()
    record(actor, item, "create", summary=item.text)
    db.session.commit()
    return item


@guarded("item")
def update_swot_item(actor, plan, item, text, version):
    """Change a SWOT line if nobody changed it since `version`."""
    ensure_open(plan)
    check_version(item, version)
    with db.session.no_autoflush:
        changes = apply_changes(item, {"text": _clean_text(text)})
        if changes:
            _touch(item, actor)
            record(actor, item, "update", changes, summary=item.text)
    if changes:
        commit_versioned(item)
    return changes


def move_swot_item(actor, plan, item, direction):
    """Swap a line with its neighbour above (-1) or below (+1) in its list."""
    ensure_open(plan)
    siblings = db.session.scalars(db.select(SwotItem).where(
        SwotItem.plan_id == plan.id, SwotItem.quadrant == item.quadrant)
        .order_by(SwotItem.position, SwotItem.id)).all()
    i = siblings.index(item)
    j = i + (1 if direction > 0 else -1)
    if not 0 <= j < len(siblings):
        return False
    siblings[i], siblings[j] = siblings[j], siblings[i]
    # A Core update: reordering must not bump the version of a line somebody is rewording.
    for pos, s in enumerate(siblings, start=1):
        if s.position != pos:
            db.session.execute(db.update(SwotItem).where(SwotItem.id == s.id).values(position=pos)
                               .execution_options(synchronize_session=False))
    record(actor, item, "move", {"position": [i + 1, j + 1]}, summary=item.text)
    db.session.commit()
    return True


def delete_swot_item(actor, plan, item):
    """Remove a SWOT line (the audit record keeps its text)."""
    ensure_open(plan)
    record(actor, item, "delete", {"text": [item.text, None]}, summary=item.text)
    db.session.delete(item)
    db.session.commit()


# --- History ------------------------------------------------------------------------

HISTORY_TYPES = {"business": ("BusinessSection",), "position": ("PositionSection",),
                 "swot": ("SwotItem",), "objectives": ("Objective", "ActionItem"),
                 "opportunities": ("Opportunity",)}


def section_history(plan, key, limit=30):
    """The audit events of one section of the plan, newest first, with their actors."""
    types = HISTORY_TYPES[key]
    stmt = (db.select(AuditEvent).where(AuditEvent.account_id == plan.account_id,
                                        AuditEvent.object_type.in_(types))
            .options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc()).limit(limit))
    if key in SECTIONS:
        stmt = stmt.where(AuditEvent.object_id == getattr(plan, key).id)
    elif key == "swot":
        # This plan's lines, and removed lines (whose rows are gone).
        stmt = stmt.where(AuditEvent.object_id.in_(
            db.select(SwotItem.id).where(SwotItem.plan_id == plan.id))
            | AuditEvent.object_id.notin_(db.select(SwotItem.id).where(
                SwotItem.account_id == plan.account_id)))
    elif key == "objectives":
        from app.actions.models import ActionItem
        objective_ids = db.select(Objective.id).where(Objective.plan_id == plan.id)
        stmt = stmt.where(
            ((AuditEvent.object_type == "Objective") & AuditEvent.object_id.in_(objective_ids))
            | ((AuditEvent.object_type == "ActionItem") & AuditEvent.object_id.in_(
                db.select(ActionItem.id).where(ActionItem.objective_id.in_(objective_ids)))))
    return db.session.scalars(stmt).all()


def owner_names(events):
    """{user id: name} for the owners named in the events' changes (one query), for the history."""
    from app.auth.models import User

    ids = {v for e in events for v in (e.changes or {}).get("owner_id", ()) if v}
    if not ids:
        return {}
    return dict(db.session.execute(db.select(User.id, User.name).where(User.id.in_(ids))).all())


def year_bounds(year):
    """First and last day of a plan year."""
    return date(year, 1, 1), date(year, 12, 31)
