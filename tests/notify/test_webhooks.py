"""Each platform's card and signature, checked by a local receiver; outbound address rules;
a target that keeps failing is paused and the admins are told."""
import base64
import hashlib
import hmac
import time
from urllib.parse import unquote_plus

import pytest

from app.extensions import db
from app.notify import tasks, webhooks
from app.notify.models import Notification, WebhookTarget
from tests import factories

PARAMS = {"subject": "质量投诉 Quality complaint", "account": "华东精密", "target": "response",
          "due": "2026-11-28T02:00:00", "severity": "high", "channel": "account_manager", "hours_late": 30}


def _target(receiver, platform, secret="", language="zh", path="/hook"):
    t = WebhookTarget(account_id=None, name=f"{platform} group", platform=platform, url=receiver.url(path),
                      secret=secret, events="sla_breach", language=language)
    db.session.add(t)
    db.session.commit()
    return t


def test_wecom_markdown(app, receiver):
    t = _target(receiver, "wecom", path="/cgi-bin/webhook/send?key=K1")
    assert tasks.deliver_webhook.call_local(t.id, "sla_breach", "/accounts/1/complaints/2", PARAMS) == "ok"
    body = receiver.calls[0]["json"]
    assert receiver.calls[0]["query"] == {"key": ["K1"]}
    assert set(body) == {"msgtype", "markdown"} and body["msgtype"] == "markdown"
    content = body["markdown"]["content"]
    assert content.startswith("**已超时（响应）：质量投诉 Quality complaint · 华东精密**")
    assert "[在工作台中打开](http://kam.test:8000/accounts/1/complaints/2)" in content
    assert "> 已超时 30 小时" in content


def test_dingtalk_action_card_signed_in_query(app, receiver):
    secret = "SEC0123456789abcdef"
    t = _target(receiver, "dingtalk", secret=secret, language="en", path="/robot/send?access_token=T")
    before = int(time.time() * 1000)
    tasks.deliver_webhook.call_local(t.id, "sla_breach", "/accounts/1/complaints/2", PARAMS)
    call = receiver.calls[0]
    ts = int(call["query"]["timestamp"][0])
    assert before <= ts <= int(time.time() * 1000) and call["query"]["access_token"] == ["T"]
    expected = base64.b64encode(hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()).decode()
    assert call["query"]["sign"] == [expected]  # parse_qs decoded the URL-encoding once
    card = call["json"]["actionCard"]
    assert call["json"]["msgtype"] == "actionCard"
    assert card["title"].startswith("Overdue, response: 质量投诉")
    assert card["text"].startswith("### Overdue") and "- 30 hours late" in card["text"]
    assert card["singleURL"] == "http://kam.test:8000/accounts/1/complaints/2"
    assert card["singleTitle"] == "Open in the workspace"


def test_dingtalk_sign_is_url_encoded():
    sign = webhooks.dingtalk_sign("s", 1700000000000)
    assert "+" not in sign and "/" not in sign and "=" not in sign.replace("%3D", "")
    assert base64.b64decode(unquote_plus(sign))


def test_feishu_card_signed_in_body(app, receiver):
    secret = "feishu-secret"
    receiver.answer = (200, {"code": 0, "msg": "success"})
    t = _target(receiver, "feishu", secret=secret, path="/open-apis/bot/v2/hook/abc")
    tasks.deliver_webhook.call_local(t.id, "sla_breach", "/accounts/1/complaints/2", PARAMS)
    body = receiver.calls[0]["json"]
    ts = body["timestamp"]
    assert abs(int(ts) - time.time()) < 60
    expected = base64.b64encode(hmac.new(f"{ts}\n{secret}".encode(), b"", hashlib.sha256).digest()).decode()
    assert body["sign"] == expected
    assert body["msg_type"] == "interactive"
    card = body["card"]
    assert card["header"]["title"] == {"tag": "plain_text", "content": "已超时（响应）：质量投诉 Quality complaint · 华东精密"}
    assert card["elements"][0]["tag"] == "markdown" and "已超时 30 小时" in card["elements"][0]["content"]
    button = card["elements"][1]["actions"][0]
    assert button["url"] == "http://kam.test:8000/accounts/1/complaints/2"


def test_slack_blocks(app, receiver):
    receiver.answer = (200, {})
    t = _target(receiver, "slack", language="en", path="/services/T/B/X")
    tasks.deliver_webhook.call_local(t.id, "sla_breach", "/accounts/1/complaints/2", dict(PARAMS, subject="<b>&"))
    body = receiver.calls[0]["json"]
    assert body["text"].startswith("Overdue, response: <b>&")
    kinds = [b["type"] for b in body["blocks"]]
    assert kinds == ["header", "section", "actions"]
    assert body["blocks"][1]["text"]["type"] == "mrkdwn"
    assert body["blocks"][2]["elements"][0]["url"] == "http://kam.test:8000/accounts/1/complaints/2"


def test_platform_error_code_counts_as_failure(app, receiver):
    receiver.answer = (200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    t = _target(receiver, "wecom")
    with pytest.raises(webhooks.WebhookError):
        tasks.deliver_webhook.call_local(t.id, "sla_breach", "/", PARAMS)
    db.session.refresh(t)
    assert t.failures == 1 and "93000" in t.last_error and t.paused_at is None


def test_failing_target_is_paused_and_admins_told(app, receiver):
    admin = factories.make_user("Ada Admin", is_admin=True)
    receiver.answer = (500, {"error": "down"})
    t = _target(receiver, "wecom")
    for _ in range(tasks.PAUSE_AFTER):
        try:
            tasks.deliver_webhook.call_local(t.id, "sla_breach", "/", PARAMS)
        except webhooks.WebhookError:
            pass
    db.session.refresh(t)
    assert t.paused_at is not None and not t.is_live
    assert len(receiver.calls) == tasks.PAUSE_AFTER
    # Paused: further deliveries are skipped, nothing is posted.
    assert tasks.deliver_webhook.call_local(t.id, "sla_breach", "/", PARAMS) is None
    assert len(receiver.calls) == tasks.PAUSE_AFTER
    told = db.session.scalars(db.select(Notification).where(Notification.kind == "webhook_paused")).all()
    assert [n.user_id for n in told] == [admin.id]
    assert told[0].params["name"] == "wecom group"


@pytest.mark.parametrize("url", ["ftp://example.com/x", "javascript:alert(1)", "http://user:pw@example.com/",
                                 "http://127.0.0.1/x", "http://localhost:8080/x", "http://10.0.0.5/x",
                                 "http://192.168.1.1/x", "http://169.254.169.254/latest/meta-data",
                                 "http://[::1]/x", "http://[::ffff:127.0.0.1]/x", "http://0.0.0.0/"])
def test_outbound_address_rules(url):
    with pytest.raises(webhooks.WebhookError):
        webhooks.check_url(url, allow_private=False)


def test_private_addresses_only_with_the_setting():
    assert webhooks.check_url("http://127.0.0.1:8080/x", allow_private=True)[4] == "127.0.0.1"


def test_sending_rechecks_the_address(app, receiver):
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    t = _target(receiver, "wecom")
    with pytest.raises(webhooks.WebhookError):
        tasks.deliver_webhook.call_local(t.id, "sla_breach", "/", PARAMS)
    assert receiver.calls == []


def test_delivery_bookkeeping_leaves_the_version_alone(app, receiver):
    """The worker's success and failure counts are not a person's edit: an admin's open page
    (read at the bot's version) can still save after deliveries, and a paused bot too."""
    from app.notify import hooks

    admin = factories.make_user("Ada Admin", is_admin=True)
    t = _target(receiver, "wecom")
    read_at = t.version
    assert tasks.deliver_webhook.call_local(t.id, "sla_breach", "/", PARAMS) == "ok"
    receiver.answer = (500, {"error": "down"})
    for _ in range(tasks.PAUSE_AFTER):
        try:
            tasks.deliver_webhook.call_local(t.id, "sla_breach", "/", PARAMS)
        except webhooks.WebhookError:
            pass
    db.session.expire_all()
    t = db.session.get(WebhookTarget, t.id)
    assert t.paused_at is not None and t.failures == tasks.PAUSE_AFTER and t.version == read_at
    hooks.update_target(admin, t, events=["sla_breach", "sla_warning"], active=True, version=read_at)
    db.session.expire_all()
    t = db.session.get(WebhookTarget, t.id)
    assert t.is_live and t.failures == 0 and t.version == read_at + 1
