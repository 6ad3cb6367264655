"""A save that races another: the other commits between our version check and our commit.

Whatever point detects it (the commit, or an autoflush before a query inside the service),
the service must raise StaleEdit (answered 409), never let StaleDataError through (a 500).
The racing commit is made on a separate connection, as another gunicorn worker would.
"""
from datetime import timedelta

import pytest
from sqlalchemy import text

from app.concurrency import StaleEdit
from app.extensions import db
from app.timeutil import utcnow
from tests.complaints.factories import make_channel, make_complaint, make_contact
from tests.meetings.factories import make_meeting


def bump_elsewhere(table, obj_id):
    """Another worker's save: the row's version moves on, committed on its own connection."""
    with db.engine.begin() as conn:
        conn.execute(text(f'UPDATE "{table}" SET version = version + 1 WHERE id = :id'), {"id": obj_id})


def test_account_update(world):
    from app.accounts import services

    account = world.account
    version = account.version
    bump_elsewhere("account", account.id)
    with pytest.raises(StaleEdit):
        services.update_account(world.users["kam"], account, {"name": "Raced"}, version)


def test_meeting_marked_held_races(world):
    """update_meeting touches the contacts (a query) after the change: an autoflush there."""
    from app.meetings import services

    contact = make_contact(world.account)
    m = make_meeting(world.account, [world.users["kam"]], [contact], status="planned", days_ago=1)
    version = m.version
    bump_elsewhere("meeting", m.id)
    data = {"title": "QBR", "kind": "executive", "status": "held", "duration_minutes": 60,
            "location": "", "agenda": "", "summary": "", "decisions": "", "satisfaction": 8,
            "starts_at": utcnow() - timedelta(days=1)}
    with pytest.raises(StaleEdit):
        services.update_meeting(world.users["kam"], m, data, [world.users["kam"].id], [contact.id], version)


def test_complaint_step_races(world):
    from app.complaints import services

    c = make_complaint(world.account, make_channel(world.account))
    version = c.version
    bump_elsewhere("complaint", c.id)
    with pytest.raises(StaleEdit):
        services.transition(world.users["kam"], c, "acknowledged", version=version)


def test_plan_section_races(world):
    from app.plans import services

    plan = services.load_plan(world.account.id, services.start_plan(None, world.account).id)
    version = plan.business.version
    bump_elsewhere("plan_business", plan.business.id)
    with pytest.raises(StaleEdit):
        services.update_section(world.users["kam"], plan, "business", {"strategy": "Raced"}, version)
