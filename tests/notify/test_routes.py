"""The bell, the notifications page, marking read, choices, and chat-bot pages."""
import json
from datetime import timedelta

from app.extensions import db
from app.notify.models import Notification, WebhookTarget
from app.timeutil import today, utcnow
from tests.conftest import HX
from tests.querycount import count_queries


def _note(user, account=None, title="Send the quote", minutes_ago=0, read=False):
    n = Notification(user_id=user.id, account_id=account.id if account else None, kind="action_due",
                     params_json=json.dumps({"title": title, "account": account.name if account else "",
                                             "due": today().isoformat(), "overdue": 0}),
                     url=f"/accounts/{account.id}" if account else "/me/actions",
                     created_at=utcnow() - timedelta(minutes=minutes_ago), read_at=utcnow() if read else None)
    db.session.add(n)
    db.session.commit()
    return n


def test_page_lists_newest_first_and_pages_by_keyset(app, world):
    me = world.users["member"]
    for i in range(35):
        _note(me, world.account, title=f"Action {i:02d}", minutes_ago=35 - i)
    client = app.test_client().login(me)
    page = client.get("/notifications")
    assert page.status_code == 200
    assert page.text.index("Action 34") < page.text.index("Action 05")
    assert "Action 04" not in page.text and "before=" in page.text
    older_id = db.session.scalar(db.select(Notification.id).where(Notification.params_json.contains("Action 05")))
    older = client.get(f"/notifications?before={older_id}", headers=HX)
    assert older.status_code == 200 and "<html" not in older.text
    assert "Action 04" in older.text and "Action 00" in older.text and "Action 05" not in older.text


def test_bell_counts_unread_without_a_query_of_its_own(app, world):
    me = world.users["member"]
    client = app.test_client().login(me)
    with count_queries() as none:
        page = client.get("/me/notifications")
    assert 'class="bell-count"' not in page.text
    for i in range(7):
        _note(me, world.account, minutes_ago=i)
    _note(me, world.account, read=True)
    with count_queries() as seven:
        page = client.get("/me/notifications")
    assert '<span class="bell-count">7</span>' in page.text
    assert seven.count == none.count


def test_an_account_left_shows_nothing_of_it(app, world):
    me = world.users["member"]
    secret = _note(me, world.account, title="Secret renewal price")
    _note(me, None, title="Workspace-wide")
    world.memberships["member"].left_on = today()
    db.session.commit()
    client = app.test_client().login(me)
    page = client.get("/notifications")
    assert "Secret renewal price" not in page.text and "Workspace-wide" in page.text
    assert '<span class="bell-count">1</span>' in page.text
    resp = client.get(f"/notifications/{secret.id}")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/notifications")
    assert "Secret renewal price" not in client.get("/notifications").text


def test_open_marks_read_and_goes_to_the_object(app, world):
    me = world.users["member"]
    n = _note(me, world.account)
    client = app.test_client().login(me)
    resp = client.get(f"/notifications/{n.id}")
    assert resp.status_code == 302 and resp.headers["Location"] == f"/accounts/{world.account.id}"
    db.session.refresh(n)
    assert n.read_at is not None


def test_someone_elses_notification_is_not_theirs_to_read(app, world):
    n = _note(world.users["member"], world.account, title="Mine")
    other = app.test_client().login(world.users["kam"])
    assert other.post(f"/notifications/{n.id}/read").status_code == 302
    assert "Mine" not in other.get("/notifications").text
    db.session.refresh(n)
    assert n.read_at is None


def test_mark_one_read_by_htmx_and_all(app, world):
    me = world.users["member"]
    a, b = _note(me, world.account, title="A"), _note(me, world.account, title="B")
    client = app.test_client().login(me)
    row = client.post(f"/notifications/{a.id}/read", headers=HX)
    assert row.status_code == 200 and f'id="notification-{a.id}"' in row.text and "unread" not in row.text
    assert client.post("/notifications/read-all").status_code == 302
    db.session.expire_all()
    assert db.session.get(Notification, b.id).read_at is not None
    assert 'class="bell-count"' not in client.get("/notifications").text


def test_preferences_defaults_save_and_refuse(app, world):
    sponsor = client_for(app, world, "sponsor")
    page = sponsor.get("/me/notifications")
    assert page.status_code == 200 and '<input checked id="digest"' in page.text
    member = client_for(app, world, "member")
    assert '<input id="digest"' in member.get("/me/notifications").text
    ok = member.post("/me/notifications", data={"sla_warning": "none", "sla_breach": "email", "cadence_due": "in_app",
                                                "action_due": "both", "digest": "y"})
    assert ok.status_code == 302
    from app.notify.services import preferences
    prefs = preferences(world.users["member"])
    assert prefs["sla_warning"] == "none" and prefs["sla_breach"] == "email" and prefs["digest"] is True
    bad = member.post("/me/notifications", data={"sla_warning": "carrier-pigeon"})
    assert bad.status_code == 422 and "carrier-pigeon" not in preferences(world.users["member"]).values()


def client_for(app, world, role):
    return app.test_client().login(world.users[role])


def test_admin_adds_tests_changes_and_removes_a_bot(app, world, receiver):
    admin = client_for(app, world, "admin")
    page = admin.get("/admin/webhooks")
    assert page.status_code == 200 and "WeCom" in page.text
    resp = admin.post("/admin/webhooks", data={"name": "大客户群", "platform": "wecom", "url": receiver.url("/send?key=1"),
                                               "events": ["sla_breach", "action_due"], "language": "zh", "account_id": 0})
    assert resp.status_code == 302, resp.text
    t = db.session.scalar(db.select(WebhookTarget))
    assert t.account_id is None and t.event_list == ["action_due", "sla_breach"]
    assert admin.post(f"/admin/webhooks/{t.id}/test").status_code == 302
    assert receiver.calls[0]["json"]["markdown"]["content"].startswith("**来自大客户工作台的测试消息**")
    assert admin.post(f"/admin/webhooks/{t.id}", data={"events": ["sla_warning"]}).status_code == 302
    db.session.refresh(t)
    assert t.event_list == ["sla_warning"] and not t.active
    assert admin.post(f"/admin/webhooks/{t.id}/delete").status_code == 302
    assert db.session.scalar(db.select(db.func.count(WebhookTarget.id))) == 0


def test_private_addresses_refused_unless_allowed(app, world):
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    kam = client_for(app, world, "kam")
    for url in ("http://127.0.0.1:9/x", "http://169.254.169.254/", "file:///etc/passwd"):
        resp = kam.post(f"/accounts/{world.account.id}/webhooks",
                        data={"name": "x", "platform": "slack", "url": url, "events": ["sla_breach"], "language": "en",
                              "account_id": world.account.id})
        assert resp.status_code == 422
    assert db.session.scalar(db.select(db.func.count(WebhookTarget.id))) == 0


def test_kam_adds_a_bot_for_their_account_only(app, world, receiver):
    kam = client_for(app, world, "kam")
    assert kam.get(f"/accounts/{world.account.id}/webhooks").status_code == 200
    resp = kam.post(f"/accounts/{world.account.id}/webhooks",
                    data={"name": "钉钉群", "platform": "dingtalk", "url": receiver.url("/robot/send?access_token=a"),
                          "secret": "SECabc", "events": ["sla_breach"], "language": "zh",
                          "account_id": world.other.id})  # a forged account id is ignored
    assert resp.status_code == 302
    t = db.session.scalar(db.select(WebhookTarget))
    assert t.account_id == world.account.id and t.secret == "SECabc"
    assert client_for(app, world, "member").get(f"/accounts/{world.account.id}/webhooks").status_code == 403
    assert kam.post(f"/accounts/{world.other.id}/webhooks/{t.id}/delete").status_code == 404
