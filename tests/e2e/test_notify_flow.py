"""A KAM sees the bell after a sweep, reads and marks notifications, chooses what reaches them;
an admin looks at the outbox and adds a chat bot. Screenshots at 1366 and 390 px, en and zh."""
import pytest

from app.extensions import db
from app.notify import sweeps
from tests import factories
from tests.complaints.factories import make_channel, make_complaint
from tests.e2e.conftest import login, settled

pytestmark = pytest.mark.e2e


@pytest.fixture
def outbox(app, tmp_path):
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path / "outbox")
    return tmp_path / "outbox"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bell_notifications_and_choices(app, live_server, browser, shot, outbox, lang):
    kam = factories.make_user("王芳 Wang Fang", email="wang@example.com", seniority="manager", language=lang)
    factories.make_user("Alex Admin", email="admin@example.com", is_admin=True, language=lang)
    account = factories.make_account("华东精密 East China Precision")
    factories.make_member(account, kam, role="kam")
    ch = make_channel(account, "account_manager", 24, 120, owner=kam)
    make_complaint(account, ch, subject="二号线交付延迟 Line 2 delivery late", hours_ago=72, severity="high")
    make_complaint(account, ch, subject="发票抬头错误 Wrong invoice header", hours_ago=22, severity="low")
    assert sweeps.sla_sweep() == 2
    db.session.commit()

    for width in (390, 1366):  # the narrow look first: the wide pass reads them
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(10_000)
        login(page, live_server, "wang@example.com", factories.PASSWORD)
        assert page.inner_text(".bell-count") == "2"
        page.click(".bell")
        page.wait_for_selector("#notifications")
        assert page.locator(".notification.unread").count() == 2
        shot(page, f"notify-list-{lang}-{width}")
        if width == 1366:
            page.click(".notification.unread form button")  # htmx: the row comes back read
            settled(page)
            assert page.locator(".notification.unread").count() == 1
            page.click(".notification.unread a")  # opens the complaint, counted read
            page.wait_for_selector("h1:has-text('Line 2 delivery late'), h1:has-text('invoice')")
            assert page.locator(".bell-count").count() == 0
            page.goto(f"{live_server}/me/notifications")
            page.select_option("select[name=sla_warning]", "none")
            page.click(".prefs button[type=submit]")
            page.wait_for_selector(".flash")
            assert page.input_value("select[name=sla_warning]") == "none"
        else:
            page.goto(f"{live_server}/me/notifications")
        shot(page, f"notify-prefs-{lang}-{width}")
        context.close()

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    login(page, live_server, "admin@example.com", factories.PASSWORD)
    page.goto(f"{live_server}/admin/outbox")
    assert page.locator("table.table tbody tr").count() == 2
    shot(page, f"notify-outbox-{lang}")
    page.click("table.table tbody tr a")
    page.wait_for_selector("pre.mail-text")
    shot(page, f"notify-outbox-mail-{lang}")
    page.goto(f"{live_server}/admin/webhooks")
    page.fill("input[name=name]", "华东项目群")
    page.fill("input[name=url]", "http://127.0.0.1:9/cgi-bin/webhook/send?key=x")
    page.check("input[name=events][value=sla_breach]")
    page.check("input[name=events][value=cadence_due]")
    page.click("#webhooks form:has(input[name=name]) button[type=submit]")
    page.wait_for_selector(".form-error")  # loopback refused: WEBHOOK_ALLOW_PRIVATE is off
    assert page.input_value("input[name=name]") == "华东项目群"
    shot(page, f"notify-webhooks-{lang}")
    context.close()
