"""A sponsor checks in: sees which account needs them and why, leaves a note in place; the KAM reads it."""
import pytest

from tests import factories
from tests.complaints.factories import make_channel, make_complaint
from tests.e2e.conftest import login
from tests.health.factories import make_decision_maker

pytestmark = pytest.mark.e2e


def test_sponsor_note_reaches_the_kam(app, live_server, page, shot, browser):
    vp = factories.make_user("张伟 Zhang Wei", email="zw@example.com", seniority="vp")
    kam = factories.make_user("王芳 Wang Fang", email="wf@example.com", seniority="manager")
    account = factories.make_account("远航汽车 Yuanhang Auto")
    factories.make_member(account, kam, role="kam")
    factories.make_member(account, vp, role="sponsor")
    make_decision_maker(account, owner=vp, name="赵总 Zhao Zong", last_days_ago=75)
    make_complaint(account, make_channel(account), subject="Line stopped", severity="critical", hours_ago=90)

    login(page, live_server, "zw@example.com", factories.PASSWORD)
    page.get_by_role("link", name="Sponsor", exact=True).click()
    page.wait_for_selector("h1:has-text('Sponsor check-in')")
    assert page.locator(".needs li", has_text="赵总 Zhao Zong").is_visible()
    assert page.locator(".needs li", has_text="Line stopped").is_visible()
    page.evaluate("window.__marker = 1")
    box = page.locator(f"#notes-{account.id} textarea")
    box.fill("Called 赵总: the line is back; I will visit on Friday.")
    page.locator(f"#notes-{account.id} button[type=submit]").click()
    page.wait_for_selector(f"#notes-{account.id} .notes li:has-text('the line is back')")
    assert page.evaluate("window.__marker") == 1, "the note reloaded the page"
    assert page.input_value(f"#notes-{account.id} textarea") == ""
    shot(page, "health-sponsor-note")

    other = browser.new_page(locale="en-GB", viewport={"width": 1280, "height": 900})
    login(other, live_server, "wf@example.com", factories.PASSWORD)
    other.goto(f"{live_server}/accounts/{account.id}")
    other.wait_for_selector("#timeline li:has-text('the line is back')")
    assert other.locator("#timeline li", has_text="张伟 Zhang Wei").first.is_visible()
    other.wait_for_selector("#section-health")  # sections load in place after the page
    shot(other, "health-kam-timeline")
    other.close()
