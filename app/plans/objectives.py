"""Objectives with their actions, opportunities and the pipeline, and next year's plan."""
from functools import cache

from sqlalchemy import Date, bindparam, case, func
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from app.actions import services as actions
from app.actions.models import OPEN_STATUSES, ActionItem
from app.audit.services import apply_changes, record
from app.auth.models import User
from app.concurrency import StaleEdit, check_version, commit_versioned, guarded, last_change
from app.extensions import db
from app.plans.models import BusinessSection, Objective, Opportunity, Plan, PositionSection, SwotItem
from app.plans.services import PlanError, _touch, ensure_open, year_bounds
from app.plans.vocab import CLOSED_STAGES, HORIZONS, OBJECTIVE_STATUS, OPEN_STAGES, OPPORTUNITY_STAGES
from app.team.models import Membership
from app.timeutil import today, utcnow
from app.translate import lazy_gettext as _l


def team_users(account_id):
    """The account's current team as (id, name) pairs, for owner choices (one query)."""
    return db.session.execute(
        db.select(User.id, User.name).join(Membership, Membership.user_id == User.id)
        .where(Membership.account_id == account_id, Membership.left_on.is_(None))
        .order_by(User.name)).all()


def _check_owner(account_id, owner_id):
    """Owners come from the account's current team."""
    if owner_id and owner_id not in {uid for uid, _ in team_users(account_id)}:
        raise PlanError(_l("The owner must be on the account team."))


def _check_objective(data):
    """A title, a known horizon and status, progress 0-100."""
    if not (data.get("title") or "").strip():
        raise PlanError(_l("Give the objective a title."))
    if data.get("horizon") not in HORIZONS or data.get("status", "on_track") not in OBJECTIVE_STATUS:
        raise PlanError(_l("Choose a horizon and a status from the list."))
    if not 0 <= int(data.get("progress") or 0) <= 100:
        raise PlanError(_l("Progress is a percentage from 0 to 100."))


def add_objective(actor, plan, data):
    """Add an objective to an open plan."""
    ensure_open(plan)
    _check_objective(data)
    _check_owner(plan.account_id, data.get("owner_id"))
    last = db.session.scalar(db.select(func.max(Objective.position)).where(Objective.plan_id == plan.id))
    obj = Objective(plan_id=plan.id, account_id=plan.account_id, position=(last or 0) + 1, **data)
    _touch(obj, actor)
    db.session.add(obj)
    db.session.flush()
    record(actor, obj, "create", summary=obj.title)
    db.session.commit()
    return obj


@guarded("objective")
def update_objective(actor, plan, objective, data, version):
    """Save an objective if nobody changed it since `version`; done means 100%."""
    ensure_open(plan)
    check_version(objective, version)
    _check_objective({**{"horizon": objective.horizon}, **data})
    _check_owner(plan.account_id, data.get("owner_id"))
    if data.get("status") == "done":
        data["progress"] = 100
    with db.session.no_autoflush:  # a racing save must surface at commit, as StaleEdit
        changes = apply_changes(objective, data)
        if changes:
            _touch(objective, actor)
            record(actor, objective, "update", changes, summary=objective.title)
    if changes:
        commit_versioned(objective)
    return changes


def add_objective_action(actor, plan, objective, title, owner_id=None, due_on=None):
    """An action towards an objective: a shared ActionItem that also shows in "My actions"."""
    ensure_open(plan)
    try:
        return actions.create_action(actor, plan_account(plan), title=title, owner_id=owner_id,
                                     due_on=due_on, objective_id=objective.id)
    except actions.ActionError as e:
        raise PlanError(*e.args) from None


def plan_account(plan):
    """The account a plan belongs to (the shared action service wants it)."""
    from app.accounts.models import Account
    return db.session.get(Account, plan.account_id)


def edit_action(actor, item, data, version):
    """Save an action if nobody changed it since `version` (through the shared service)."""
    check_version(item, version)
    try:
        return actions.update_action(actor, item, data)
    except actions.ActionError as e:
        db.session.rollback()
        raise PlanError(*e.args) from None
    except StaleDataError:
        db.session.rollback()
        db.session.refresh(item)
        raise StaleEdit(item, last_change(item)) from None


# --- Opportunities ------------------------------------------------------------------

def _check_opportunity(data):
    """A name, a known stage, and a reason once won or lost."""
    if not (data.get("name") or "").strip():
        raise PlanError(_l("Name the opportunity."))
    if data.get("stage") not in OPPORTUNITY_STAGES:
        raise PlanError(_l("Choose a stage from the list."))
    if data["stage"] in CLOSED_STAGES and not (data.get("reason") or "").strip():
        raise PlanError(_l("Say why it was won or lost: the team learns from it."))


def _closing(opp_stage, data):
    """Set or clear the close date when an opportunity is won or lost (or reopened)."""
    if data["stage"] in CLOSED_STAGES and opp_stage not in CLOSED_STAGES:
        data["closed_on"] = data.get("closed_on") or today()
    elif data["stage"] not in CLOSED_STAGES:
        data["closed_on"] = None


def add_opportunity(actor, account, data):
    """Log an opportunity with the account."""
    _check_opportunity(data)
    _closing(None, data)
    opp = Opportunity(account_id=account.id, **data)
    _touch(opp, actor)
    db.session.add(opp)
    db.session.flush()
    record(actor, opp, "create", summary=opp.name)
    db.session.commit()
    return opp


@guarded("opp")
def update_opportunity(actor, opp, data, version):
    """Save an opportunity if nobody changed it since `version`."""
    check_version(opp, version)
    _check_opportunity(data)
    _closing(opp.stage, data)
    with db.session.no_autoflush:  # a racing save must surface at commit, as StaleEdit
        changes = apply_changes(opp, data)
        if changes:
            _touch(opp, actor)
            record(actor, opp, "update", changes, summary=opp.name)
    if changes:
        commit_versioned(opp)
    return changes


def opportunities_of(account_id, year):
    """Open opportunities and those won or lost in `year`: open first, by expected close."""
    start, end = year_bounds(year)
    return db.session.scalars(
        db.select(Opportunity).where(
            Opportunity.account_id == account_id,
            Opportunity.stage.in_(OPEN_STAGES) | Opportunity.closed_on.between(start, end))
        .options(joinedload(Opportunity.updated_by))
        .order_by(Opportunity.stage.in_(CLOSED_STAGES), Opportunity.expected_close, Opportunity.id)
    ).all()


def pipeline(account_id, year):
    """Won and lost in `year`, and the open pipeline (unweighted and weighted), in one query."""
    start, end = year_bounds(year)
    row = db.session.execute(_pipeline_stmt(), {"account_id": account_id, "start": start, "end": end}).one()
    keys = ("open_count", "open_value", "weighted", "won_count", "won_value", "lost_count", "lost_value")
    return dict(zip(keys, row, strict=True))


@cache
def _pipeline_stmt():
    """The pipeline's seven sums, on parameters account_id, start, end: built once a process (the
    CASE expressions cost more to build and hash each request than SQLite takes to run them)."""
    is_open = Opportunity.stage.in_(OPEN_STAGES)
    in_year = Opportunity.closed_on.between(bindparam("start", type_=Date), bindparam("end", type_=Date))

    def total(cond, expr=Opportunity.value):
        """SUM of `expr` over the rows matching `cond`."""
        return func.coalesce(func.sum(case((cond, expr), else_=0)), 0)

    def count(cond):
        """How many rows match `cond`."""
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    won, lost = (Opportunity.stage == "won") & in_year, (Opportunity.stage == "lost") & in_year
    return db.select(
        count(is_open), total(is_open), total(is_open, Opportunity.value * Opportunity.probability / 100),
        count(won), total(won), count(lost), total(lost),
    ).where(Opportunity.account_id == bindparam("account_id"))


# --- Next year's plan ---------------------------------------------------------------

def start_next_plan(actor, plan):
    """Close `plan` (kept read-only) and open next year's, carrying over what is unfinished.

    The customer picture and our position are copied as the starting point; objectives
    not done move over with their open actions, so "My actions" never lists them twice.
    """
    ensure_open(plan)
    year = plan.year + 1
    if db.session.scalar(db.select(Plan.id).where(Plan.account_id == plan.account_id, Plan.year == year)):
        raise PlanError(_l("A plan for %(year)d already exists.", year=year))
    plan.closed_at = utcnow()
    record(actor, plan, "close", {"closed_at": [None, plan.closed_at.isoformat()]}, summary=str(plan.year))
    new = Plan(account_id=plan.account_id, year=year, previous_id=plan.id)
    db.session.add(new)
    db.session.flush()
    b, p = plan.business, plan.position
    db.session.add(BusinessSection(plan_id=new.id, account_id=new.account_id,
                                   **{f: getattr(b, f) for f in BusinessSection.audit_fields}))
    db.session.add(PositionSection(plan_id=new.id, account_id=new.account_id,
                                   **{f: getattr(p, f) for f in PositionSection.audit_fields}))
    for s in plan.swot_items:
        db.session.add(SwotItem(plan_id=new.id, account_id=new.account_id, quadrant=s.quadrant,
                                text=s.text, position=s.position))
    for o in plan.objectives:
        if o.status == "done":
            continue
        copy = Objective(plan_id=new.id, account_id=new.account_id, carried_from_id=o.id,
                         position=o.position, **{f: getattr(o, f) for f in Objective.audit_fields})
        db.session.add(copy)
        db.session.flush()
        record(actor, copy, "create", summary=copy.title)
        open_ids = [a.id for a in o.actions if a.status in OPEN_STATUSES]
        if open_ids:
            db.session.execute(db.update(ActionItem).where(ActionItem.id.in_(open_ids))
                               .values(objective_id=copy.id).execution_options(synchronize_session=False))
    record(actor, new, "create", summary=str(year))
    db.session.commit()
    return new


def overview_summary(account):
    """The overview's plan card: objectives by status, overdue actions, pipeline, share of wallet.

    Three queries: the open plan with its overdue count and position (the share of wallet) in
    one, the objectives by status, the pipeline. The plan, the count and the share had been three
    statements of their own, each a round trip on PostgreSQL (issue 22)."""
    from app.plans.services import wallet_share

    row = db.session.execute(_plan_card_stmt(), {"account_id": account.id, "today": today()}).first()
    if row is None:
        return {"plan": None, "account": account}
    plan, overdue, annual_value, category_spend = row
    by_status = dict(db.session.execute(
        db.select(Objective.status, func.count()).where(Objective.plan_id == plan.id)
        .group_by(Objective.status)).all())
    return {"plan": plan, "account": account, "by_status": by_status, "overdue": overdue,
            "pipeline": pipeline(account.id, plan.year),
            "share": wallet_share(annual_value, category_spend)}


@cache
def _plan_card_stmt():
    """The account's open plan, its open actions past due and its position's two figures, on
    parameters account_id and today: built once a process."""
    overdue = (db.select(func.count(ActionItem.id)).join(Objective, Objective.id == ActionItem.objective_id)
               .where(Objective.plan_id == Plan.id, ActionItem.status.in_(OPEN_STATUSES),
                      ActionItem.due_on < bindparam("today", type_=Date))
               .correlate(Plan).scalar_subquery())
    return (db.select(Plan, overdue.label("overdue"), PositionSection.annual_value, PositionSection.category_spend)
            .outerjoin(PositionSection, PositionSection.plan_id == Plan.id)
            .where(Plan.account_id == bindparam("account_id"), Plan.closed_at.is_(None)).limit(1))
