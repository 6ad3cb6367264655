"""Mails through a real SMTP server in both languages; the outbox without one; unsubscribing."""
import re
from urllib.parse import urlsplit

from app.extensions import db
from app.notify import services, tasks
from app.notify.models import NotifyPreference
from tests import factories

PARAMS = {"title": "发送修订报价 Send the revised quote", "account": "华东精密 East China Precision",
          "due": "2026-12-02", "overdue": 0}


def _send(user):
    tasks.send_alert(user.id, "action_due", "/me/actions", PARAMS)


def test_english_and_chinese_mails(app, smtp):
    en = factories.make_user("David Chen 陈大卫", email="david@example.com", language="en")
    zh = factories.make_user("王芳", email="wang@example.com", language="zh")
    _send(en)
    _send(zh)
    [m_en] = smtp.to("david@example.com")
    [m_zh] = smtp.to("wang@example.com")
    assert m_en["Subject"].strip() == "Action due tomorrow: 发送修订报价 Send the revised quote · 华东精密 East China Precision"
    assert m_zh["Subject"].strip() == "行动项明天到期：发送修订报价 Send the revised quote · 华东精密 East China Precision"
    assert "陈大卫" in str(m_en["To"]) and "王芳" in str(m_zh["To"])
    assert "大客户工作台" in str(m_en["From"])
    for msg, due, open_text in ((m_en, "Due on Dec 2, 2026", "Open in the workspace"),
                                (m_zh, "到期日 2026年12月2日", "在工作台中打开")):
        assert msg.get_content_type() == "multipart/alternative"
        text = msg.get_body(("plain",)).get_content()
        html = msg.get_body(("html",)).get_content()
        assert due in text and due in html
        assert "http://kam.test:8000/me/actions" in text and 'href="http://kam.test:8000/me/actions"' in html
        assert open_text in html
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = re.fullmatch(r"<(.+)>", msg["List-Unsubscribe"].strip()).group(1)
        assert link in text and link in html
    assert 'lang="zh-Hans"' in m_zh.get_body(("html",)).get_content()


def test_without_a_mail_server_mails_go_to_the_outbox(outbox_app, outbox_dir):
    from app.notify.mail import outbox, read_outbox

    user = factories.make_user("李雷", email="li@example.com", language="zh")
    _send(user)
    files = list(outbox_dir.glob("*.eml"))
    assert len(files) == 1
    [(name, subject, to, _date)] = outbox()
    assert subject == "行动项明天到期：发送修订报价 Send the revised quote · 华东精密 East China Precision"
    assert "li@example.com" in to
    headers, text, html = read_outbox(name)
    assert ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click") in headers
    assert "到期日" in text and "<html" in html
    assert read_outbox("../../etc/passwd") is None


def test_admin_reads_the_outbox(outbox_app, outbox_dir):
    admin = factories.make_user("Ada", is_admin=True)
    member = factories.make_user("Mo")
    _send(factories.make_user("李雷", email="li@example.com", language="zh"))
    name = next(outbox_dir.glob("*.eml")).name
    client = outbox_app.test_client().login(admin)
    page = client.get("/admin/outbox")
    assert page.status_code == 200 and "行动项明天到期" in page.text
    one = client.get(f"/admin/outbox/{name}")
    assert one.status_code == 200 and "List-Unsubscribe" in one.text and "到期日" in one.text
    assert client.get("/admin/outbox/nope.eml").status_code == 404
    assert outbox_app.test_client().login(member).get("/admin/outbox").status_code == 403


def test_unsubscribe_confirmation_page_and_button(app):
    user = factories.make_user("王芳", email="wang@example.com", language="zh")
    token = services.unsubscribe_token(user.id, "action_due")
    client = app.test_client()
    client.csrf = False
    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200 and "退订" in page.text and "行动项明天到期或已逾期" in page.text
    assert 'lang="zh-Hans"' in page.text
    done = client.post(f"/unsubscribe/{token}")
    assert done.status_code == 200 and "已完成" in done.text
    db.session.expire_all()
    assert db.session.scalar(db.select(NotifyPreference.channels).where(
        NotifyPreference.user_id == user.id, NotifyPreference.kind == "action_due")) == "in_app"


def test_digest_unsubscribe_and_bad_tokens(app):
    user = factories.make_user("Vic", language="en")
    client = app.test_client()
    client.csrf = False
    resp = client.post(urlsplit(f"/unsubscribe/{services.unsubscribe_token(user.id, 'digest')}").path,
                       data={"List-Unsubscribe": "One-Click"})
    assert resp.status_code == 200 and resp.text == "unsubscribed\n"
    db.session.expire_all()
    assert services.preferences(user)["digest"] is False
    before = db.session.scalar(db.select(db.func.count(NotifyPreference.id)))
    forged = services.unsubscribe_token(user.id, "digest")[:-3] + "abc"
    for token in (forged, "garbage", services.unsubscribe_token(user.id, "no_such_kind")):
        assert client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}).status_code == 404
    assert db.session.scalar(db.select(db.func.count(NotifyPreference.id))) == before
