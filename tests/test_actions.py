"""My actions: open actions across my accounts, soonest first, a page at a time, status in place."""
from datetime import timedelta

from app.actions.models import ActionItem
from app.extensions import db
from app.timeutil import today
from tests.querycount import queries_for


def add_action(account, owner, title, days, status="open"):
    item = ActionItem(account_id=account.id, owner_id=owner.id, title=title,
                      due_on=today() + timedelta(days=days) if days is not None else None, status=status)
    db.session.add(item)
    db.session.commit()
    return item


def test_my_actions_soonest_first_undated_last_only_open_only_my_teams(app, world):
    me = world.users["member"]
    add_action(world.account, me, "later", 10)
    add_action(world.account, me, "overdue one", -3)
    add_action(world.account, me, "no date", None)
    add_action(world.account, me, "finished", -1, status="done")
    add_action(world.other, me, "not my team", 1)
    text = app.test_client().login(me).get("/me/actions").get_data(as_text=True)
    assert text.index("overdue one") < text.index("later") < text.index("no date")
    assert "finished" not in text and "not my team" not in text
    assert "Overdue" in text


def test_status_changes_in_place(app, world, hx):
    item = add_action(world.account, world.users["member"], "call the CFO", 2)
    c = app.test_client().login(world.users["member"])
    resp = c.post(f"/accounts/{world.account.id}/actions/{item.id}/status",
                  data={"status": "done", "version": item.version}, headers=hx)
    assert resp.status_code == 200 and b"<tr" in resp.data and b"<html" not in resp.data
    db.session.expire_all()
    assert db.session.get(ActionItem, item.id).done_on == today()
    bad = c.post(f"/accounts/{world.account.id}/actions/{item.id}/status",
                 data={"status": "nonsense", "version": db.session.get(ActionItem, item.id).version}, headers=hx)
    assert bad.status_code == 422 and b"Unknown status." in bad.data
    observer = app.test_client().login(world.users["observer"])
    assert observer.post(f"/accounts/{world.account.id}/actions/{item.id}/status",
                         data={"status": "open"}).status_code == 403


def test_home_and_my_actions_are_paged_and_fixed_queries(app, world):
    me = world.users["kam"]
    c = app.test_client().login(me)
    add_action(world.account, me, "first", 1)
    _, few_home = queries_for(c, "/")
    _, few_mine = queries_for(c, "/me/actions")
    for i in range(70):
        add_action(world.account, me, f"bulk {i}", 5 + i)
    resp, many_home = queries_for(c, "/")
    assert many_home == few_home and "All 71 open actions" in resp.get_data(as_text=True)
    resp, many_mine = queries_for(c, "/me/actions")
    assert many_mine == few_mine and "Page 1 of 2" in resp.get_data(as_text=True)


def test_the_count_comes_with_the_page_and_past_the_end_still_counts(app, world):
    from app.actions.services import my_actions

    me = world.users["kam"]
    assert my_actions(me) == ([], 0)
    for i in range(7):
        add_action(world.account, me, f"task {i}", i)
    add_action(world.account, me, "closed", 1, status="done")
    page, total = my_actions(me, limit=3, offset=3)
    assert [a.title for a in page] == ["task 3", "task 4", "task 5"] and total == 7
    assert my_actions(me, limit=3, offset=6)[1] == 7
    assert my_actions(me, limit=3, offset=30) == ([], 7)  # past the end: counted on its own
