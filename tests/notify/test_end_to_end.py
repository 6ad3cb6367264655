"""The issue's "done means", in immediate mode with a real SMTP server and a real webhook receiver:
a complaint logged three days ago on a channel with a 24-hour response target, after
`flask jobs run sla-sweep` twice, gives exactly one e-mail to the channel owner (Chinese subject
intact, a working unsubscribe link), one in-app notification and one WeCom-format webhook call."""
import re
from urllib.parse import urlsplit

from app.extensions import db
from app.notify.models import Notification, NotifyPreference, WebhookTarget
from tests import factories
from tests.complaints.factories import make_channel, make_complaint
from tests.notify.conftest import BASE_URL


def test_sla_breach_reaches_owner_once_by_mail_bell_and_wecom(app, runner, smtp, receiver):
    account = factories.make_account("华东精密 East China Precision")
    owner = factories.make_user("王芳 Wang Fang", email="wang.fang@example.com", language="zh")
    factories.make_member(account, owner, role="kam")
    channel = make_channel(account, "account_manager", response_hours=24, resolution_hours=240, owner=owner)
    complaint = make_complaint(account, channel, subject="二号线交付延迟 Line 2 delivery late", hours_ago=72,
                               severity="high")
    db.session.add(WebhookTarget(account_id=account.id, name="华东项目群", platform="wecom",
                                 url=receiver.url("/cgi-bin/webhook/send?key=abc"), events="sla_breach"))
    db.session.commit()

    for _ in range(2):
        result = runner.invoke(args=["jobs", "run", "sla-sweep"])
        assert result.exit_code == 0, result.output

    mails = smtp.to("wang.fang@example.com")
    assert len(mails) == 1, [m["Subject"] for _, m in smtp.received]
    msg = mails[0]
    assert msg["Subject"].strip() == "已超时（响应）：二号线交付延迟 Line 2 delivery late · 华东精密 East China Precision"
    assert "王芳" in str(msg["To"])
    head = msg.raw.split(b"\r\n\r\n", 1)[0]
    assert re.search(rb"\r\nSubject:\s+=\?utf-8\?b\?", head, re.I)  # RFC 2047 on the wire
    assert max(len(line) for line in head.split(b"\r\n")) <= 998 and head.isascii()
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    link = f"{BASE_URL}/accounts/{account.id}/complaints/{complaint.id}"
    assert link in text and link in html
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(r"<(.+)>", msg["List-Unsubscribe"].strip()).group(1)
    assert unsubscribe.startswith(BASE_URL + "/unsubscribe/")

    notes = db.session.scalars(db.select(Notification)).all()
    assert [(n.user_id, n.kind) for n in notes] == [(owner.id, "sla_breach")]

    assert len(receiver.calls) == 1
    call = receiver.calls[0]
    assert call["path"] == "/cgi-bin/webhook/send" and call["query"] == {"key": ["abc"]}
    assert call["json"]["msgtype"] == "markdown"
    content = call["json"]["markdown"]["content"]
    assert "二号线交付延迟" in content and link in content

    # The one-click unsubscribe works with no session and no CSRF token, as a mail client sends it.
    db.session.commit()  # end the test's read transaction (SQLite: a reader blocks the request's write)
    anonymous = app.test_client()
    anonymous.csrf = False
    resp = anonymous.post(urlsplit(unsubscribe).path, data={"List-Unsubscribe": "One-Click"})
    assert resp.status_code == 200
    db.session.expire_all()
    pref = db.session.scalar(db.select(NotifyPreference).where(NotifyPreference.user_id == owner.id,
                                                               NotifyPreference.kind == "sla_breach"))
    assert pref.channels == "in_app"  # no more e-mails of that kind; the bell stays
