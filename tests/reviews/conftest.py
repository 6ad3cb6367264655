"""A review-worthy account: plan, objectives with actions, opportunities, contacts, complaints, meetings."""
from datetime import date, datetime, timedelta

import pytest

from app.extensions import db
from app.meetings.models import Meeting
from app.plans import objectives
from app.plans import services as plans
from app.stakeholders import coverage
from app.stakeholders import services as stakeholders
from tests.complaints.factories import make_channel, make_complaint

QUARTER = "2026-Q3"
IN_QUARTER = datetime(2026, 8, 12, 9, 0)


@pytest.fixture
def review_world(app, world):
    """World account A filled with one of everything the review shows, inside 2026-Q3."""
    account, kam = world.account, world.users["kam"]
    kam.language = "en"
    account.revenue_last_year = 800_000
    db.session.commit()
    plan = plans.start_plan(kam, account, year=2026)
    obj = objectives.add_objective(kam, plan, {"title": "赢得 MES 二期 Win MES phase 2", "horizon": "short",
                                              "status": "at_risk", "progress": 40})
    objectives.add_objective_action(kam, plan, obj, "Book the reference visit", due_on=date(2026, 8, 1))
    objectives.add_opportunity(kam, account, {"name": "质检视觉系统 Vision inspection", "stage": "proposal",
                                              "value": 250000})
    dept = stakeholders.create_department(kam, account, {"name": "采购部 Procurement", "function": "procurement"})
    boss = stakeholders.create_contact(kam, account, {"name": "刘建国 Liu Jianguo", "department_id": dept.id,
                                                      "seniority": "c_level", "influence": "high",
                                                      "title": "总经理 General Manager"})
    stakeholders.create_contact(kam, account, {"name": "赵磊 Zhao Lei", "department_id": dept.id,
                                               "reports_to_id": boss.id, "title": "<b>Buyer</b>"})
    coverage.add_pairing(kam, account, user_id=world.users["sponsor"].id, contact_id=boss.id,
                         current_level="credible")
    channel = make_channel(account)
    c = make_complaint(account, channel, subject="轴承尺寸超差 Bearings out of tolerance", severity="high")
    c.received_at = IN_QUARTER
    c.respond_by, c.resolve_by = IN_QUARTER + timedelta(hours=4), IN_QUARTER + timedelta(hours=48)
    c.acknowledged_at, c.resolved_at = IN_QUARTER + timedelta(hours=1), IN_QUARTER + timedelta(hours=60)
    c.root_cause = "砂轮磨损 Grinding wheel wear"
    db.session.add(Meeting(account_id=account.id, kind="executive", status="held", title="高层季度会 QBR",
                           starts_at=IN_QUARTER, decisions="Renew for three years\nPilot line two", satisfaction=8))
    db.session.commit()
    return world
