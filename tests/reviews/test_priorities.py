"""Next quarter's priorities are actions of the plan with an owner and a due date: chosen from
the plan's open actions or added to it, taken off again, printed in the review."""
from datetime import date

import pytest

from app.actions.models import ActionItem
from app.extensions import db
from app.reviews import services
from app.reviews.data import gather
from tests.reviews.conftest import QUARTER

NEXT = "2026-Q4"


def _url(world, path):
    return f"/accounts/{world.account.id}/reviews{path}"


def _priorities(world):
    db.session.expire_all()
    return db.session.scalars(db.select(ActionItem).where(
        ActionItem.account_id == world.account.id, ActionItem.priority_quarter == NEXT)).all()


def _open_action(world):
    return db.session.scalar(db.select(ActionItem).where(ActionItem.account_id == world.account.id))


def test_choose_an_open_action_of_the_plan(review_world, as_role, hx):
    item = _open_action(review_world)
    resp = as_role("member").post(_url(review_world, "/priorities"), data={"quarter": QUARTER, "action_ids": [item.id]},
                                  headers=hx)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'id="review-priority-actions"' in body and "<html" not in body
    assert "1 priority added." in body and "Book the reference visit" in body
    assert [a.id for a in _priorities(review_world)] == [item.id]
    # It is no longer offered to choose, and the timeline says who made it a priority.
    assert f'name="action_ids" value="{item.id}"' not in body
    from app.audit.models import AuditEvent
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.object_type == "ActionItem",
                                                          AuditEvent.object_id == item.id).order_by(AuditEvent.id.desc()))
    assert event.changes["priority_quarter"] == [None, NEXT]


def test_an_action_of_another_account_or_done_is_refused(review_world, as_role, hx):
    other = ActionItem(account_id=review_world.other.id, title="Not yours")
    done = ActionItem(account_id=review_world.account.id, title="Done already", status="done")
    db.session.add_all([other, done])
    db.session.commit()
    kam = as_role("kam")
    for bad in (other.id, done.id, 999999):
        resp = kam.post(_url(review_world, "/priorities"), data={"quarter": QUARTER, "action_ids": [bad]}, headers=hx)
        assert resp.status_code == 422, bad
    assert _priorities(review_world) == []
    none = kam.post(_url(review_world, "/priorities"), data={"quarter": QUARTER}, headers=hx)
    assert none.status_code == 422 and "Choose at least one action." in none.get_data(as_text=True)


def test_a_new_action_needs_owner_and_date_and_keeps_what_was_typed(review_world, as_role, hx):
    kam = as_role("kam")
    data = {"quarter": QUARTER, "title": "见刘总谈三年框架 Meet CEO Liu on the frame deal", "owner_id": "0",
            "due_on": "", "objective_id": "0"}
    resp = kam.post(_url(review_world, "/priorities/new"), data=data, headers=hx)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "Choose who owns it." in body and "Give a due date" in body
    assert "见刘总谈三年框架 Meet CEO Liu on the frame deal" in body
    owner = review_world.users["sponsor"]
    ok = kam.post(_url(review_world, "/priorities/new"), headers=hx,
                  data=data | {"owner_id": str(owner.id), "due_on": "2026-11-20"})
    assert ok.status_code == 200, ok.get_data(as_text=True)[:1500]
    [item] = _priorities(review_world)
    assert (item.title, item.owner_id, item.due_on, item.status) == (data["title"], owner.id, date(2026, 11, 20), "open")
    outsider = review_world.users["outsider"]
    refused = kam.post(_url(review_world, "/priorities/new"), headers=hx,
                       data=data | {"owner_id": str(outsider.id), "due_on": "2026-11-20"})
    assert refused.status_code == 422


def test_the_review_prints_them_with_owner_and_date_then_drop_one(review_world, as_role, hx):
    kam_user = review_world.users["kam"]
    services.new_priority(kam_user, review_world.account, NEXT, title="Sign the frame agreement",
                          owner_id=kam_user.id, due_on=date(2026, 12, 15))
    r = gather(review_world.account, QUARTER, kam_user)
    [item] = _priorities(review_world)
    assert r["priority_actions"] == [{"id": item.id, "title": "Sign the frame agreement", "owner": kam_user.name,
                                      "due": "Dec 15, 2026", "status": "Open", "objective": "", "overdue": False}]
    resp = as_role("kam").post(_url(review_world, f"/priorities/{item.id}/drop"), data={"quarter": QUARTER}, headers=hx)
    assert resp.status_code == 200 and "it stays in the plan" in resp.get_data(as_text=True)
    assert _priorities(review_world) == [] and db.session.get(ActionItem, item.id) is not None


def test_at_most_twelve_a_quarter(review_world):
    kam_user = review_world.users["kam"]
    for i in range(services.PRIORITY_LIMIT):
        services.new_priority(kam_user, review_world.account, NEXT, title=f"P{i}", owner_id=kam_user.id,
                              due_on=date(2026, 12, 1))
    with pytest.raises(services.ReviewError):
        services.new_priority(kam_user, review_world.account, NEXT, title="One too many", owner_id=kam_user.id,
                              due_on=date(2026, 12, 1))


def test_an_observer_cannot_change_them(review_world, as_role):
    item = _open_action(review_world)
    resp = as_role("observer").post(_url(review_world, "/priorities"), data={"quarter": QUARTER, "action_ids": [item.id]})
    assert resp.status_code in (403, 404) and _priorities(review_world) == []


def test_the_migration_turns_typed_priorities_into_actions(database_url, tmp_path):
    """Nothing typed is lost: each line of a note's free-text priorities becomes an open action
    of the next quarter, and the text is cleared so it is not shown twice."""
    from flask_migrate import upgrade

    from app import create_app
    from tests.conftest import make_config
    from tests.hardening.test_unique import _insert
    from tests.scratch_db import drop_scratch, scratch_url

    url = scratch_url(database_url, tmp_path, "prio")
    app = create_app(make_config(url))
    try:
        with app.app_context():
            upgrade(revision="0018_versions_settings")
            with db.engine.begin() as conn:
                acct = _insert(conn, "account", name="Old Notes Co")
                _insert(conn, "review_note", account_id=acct, quarter="2026-Q4",
                        priorities="1. 续签框架协议 Renew the frame deal\n\n  2. Meet the new CFO  \n", commentary="")
            db.session.remove()
            upgrade()
            items = db.session.scalars(db.select(ActionItem).where(ActionItem.account_id == acct)
                                       .order_by(ActionItem.id)).all()
            assert [(i.title, i.priority_quarter, i.status) for i in items] == [
                ("1. 续签框架协议 Renew the frame deal", "2027-Q1", "open"), ("2. Meet the new CFO", "2027-Q1", "open")]
            from app.reviews.models import ReviewNote
            assert db.session.scalar(db.select(ReviewNote.priorities)) == ""
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_scratch(url)
