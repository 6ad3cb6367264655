"""/me in a real browser: the browser's zone is offered, the zone list filters as you type, the
meeting form then names the zone; the calendar feed's addresses. Screenshots at 1366 and 390 px,
in English and Chinese."""
import pytest

from app.auth.models import User
from app.extensions import db
from tests import factories
from tests.complaints.factories import make_contact
from tests.e2e.conftest import login


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_me_zone_offer_filter_save_and_meeting_form(app, world, browser, live_server, shot, lang):
    kam = world.users["kam"]
    kam.language = lang
    db.session.commit()
    make_contact(world.account)
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, timezone_id="Asia/Shanghai",
                              locale="zh-CN" if lang == "zh" else "en-US")
    page = ctx.new_page()
    page.set_default_timeout(10_000)
    login(page, live_server, kam.email, factories.PASSWORD)
    page.click(f"header .me a:has-text('{kam.name}')")  # the header's name leads to /me
    page.wait_for_url("**/me")
    offer = page.locator("[data-browser-tz]")
    offer.wait_for(state="visible")
    assert offer.locator("[data-browser-tz-name]").inner_text() == "Asia/Shanghai"
    page.fill("[data-tz-filter]", "los ang")
    assert page.input_value("#timezone") == "America/Los_Angeles"
    page.fill("[data-tz-filter]", "")
    page.click("[data-use-browser-tz]")
    assert page.input_value("#timezone") == "Asia/Shanghai"
    page.click("button[type=submit].primary >> nth=0")
    page.wait_for_url("**/me")
    assert db.session.get(User, kam.id) is not None
    db.session.expire_all()
    assert db.session.get(User, kam.id).timezone == "Asia/Shanghai"
    page.click("text=" + ("开启我的日历订阅" if lang == "zh" else "Turn on my calendar feed"))
    page.wait_for_selector("#feed-https")
    assert page.input_value("#feed-https").startswith("https://")
    shot(page, f"me-1366-{lang}")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, f"me-390-{lang}")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server}/accounts/{world.account.id}/meetings/new")
    hint = page.locator("#meeting-form").inner_text()
    assert "Asia/Shanghai" in hint
    shot(page, f"meeting-form-1366-{lang}")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, f"meeting-form-390-{lang}")
    ctx.close()
