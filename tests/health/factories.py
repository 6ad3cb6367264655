"""Factories for health tests: a decision-maker with or without an executive owner, objectives, actions."""
from datetime import timedelta

from app.actions.models import ActionItem
from app.extensions import db
from app.plans.models import Objective, Plan
from app.stakeholders.models import Coverage
from app.timeutil import today
from tests.complaints.factories import make_contact


def make_decision_maker(account, owner=None, name="王总 Wang Zong", last_days_ago=None, **kw):
    """An economic buyer; paired with `owner` when given."""
    last = today() - timedelta(days=last_days_ago) if last_days_ago is not None else None
    c = make_contact(account, name=name, last_contacted_on=last, **kw)
    if owner is not None:
        db.session.add(Coverage(account_id=account.id, user_id=owner.id, contact_id=c.id,
                                current_level="credible"))
        db.session.commit()
    return c


def make_objective(account, status="at_risk", title="Win the tender"):
    plan = db.session.scalar(db.select(Plan).where(Plan.account_id == account.id))
    if plan is None:
        plan = Plan(account_id=account.id, year=today().year)
        db.session.add(plan)
        db.session.flush()
    o = Objective(plan_id=plan.id, account_id=account.id, title=title, horizon="short", status=status)
    db.session.add(o)
    db.session.commit()
    return o


def make_action(account, owner=None, due_days=-3, title="Send the proposal"):
    a = ActionItem(account_id=account.id, title=title, owner_id=owner.id if owner else None,
                   due_on=today() + timedelta(days=due_days))
    db.session.add(a)
    db.session.commit()
    return a
