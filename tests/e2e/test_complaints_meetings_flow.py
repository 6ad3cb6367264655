"""A KAM logs a complaint, escalates it, resolves it, then logs an executive meeting with an action item."""
from datetime import timedelta

import pytest

from app.timeutil import today
from tests import factories
from tests.complaints.factories import make_channel, make_contact
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_complaint_escalate_resolve_and_meeting_with_action(app, live_server, page, shot):
    kam = factories.make_user("Kim KAM", email="kim@example.com", seniority="manager")
    vp = factories.make_user("Vic VP 王总", email="vic@example.com", seniority="vp", title="VP Sales")
    account = factories.make_account("远航汽车 Yuanhang Auto")
    factories.make_member(account, kam, role="kam")
    factories.make_member(account, vp, role="sponsor", function="management")
    make_channel(account, "account_manager", 4, 48, owner=kam)
    make_channel(account, "management", 8, 96, owner=vp)
    boss = make_contact(account, "刘总 Liu Jun")
    base = f"{live_server}/accounts/{account.id}"

    login(page, live_server, "kim@example.com", factories.PASSWORD)
    page.goto(f"{base}/complaints/new")
    page.fill("input[name=subject]", "第三批轴承超差 Batch 3 bearings out of tolerance")
    page.select_option("select[name=channel_id]", label="Account manager")
    page.select_option("select[name=contact_id]", label="刘总 Liu Jun · General Manager")
    page.select_option("select[name=severity]", "critical")
    page.fill("textarea[name=description]", "Line stopped for 4 hours.")
    page.click("#complaint-form button[type=submit]")
    page.wait_for_selector("h1:has-text('Batch 3 bearings')")

    # Acknowledge, escalate, resolve: in place, no reload.
    page.evaluate("window.__marker = 1")
    page.click(".step-form button[value=acknowledged]")
    page.wait_for_selector(".steps li:has-text('Acknowledged')")
    page.select_option(".escalate-form select[name=channel_id]", label="Management")
    page.fill(".escalate-form input[name=note]", "Customer GM asked for the VP")
    page.click(".escalate-form button[type=submit]")
    page.wait_for_selector(".steps li:has-text('Escalated')")
    assert page.locator(".facts-list").inner_text().count("Vic VP") == 1
    # Closing straight away without a root cause is refused, input kept.
    page.fill(".step-form textarea[name=prevention]", "Wheel changed by output count")
    page.click(".step-form button[value=closed]")
    page.wait_for_selector(".form-error:has-text('root cause')")
    assert page.input_value(".step-form textarea[name=prevention]") == "Wheel changed by output count"
    page.fill(".step-form textarea[name=resolution]", "Replaced the batch by air freight")
    page.click(".step-form button[value=resolved]")
    page.wait_for_selector(".cstatus-resolved")
    assert page.evaluate("window.__marker") == 1, "a step reloaded the page"
    shot(page, "complaints-resolved")

    # The overview shows it no longer as open; the channel card is one click away.
    page.goto(f"{base}/channels/card")
    page.wait_for_selector("h1:has-text('How to reach us')")
    shot(page, "complaints-card")

    # Log an executive meeting with decisions and satisfaction, then an action item.
    page.goto(f"{base}/meetings/new")
    page.fill("input[name=title]", "高层会晤 Executive meeting")
    page.locator("#our_attendees label", has_text="Vic VP 王总").locator("input").check()  # checkbox lists
    page.locator("#their_attendees label", has_text="刘总 Liu Jun · General Manager").locator("input").check()
    page.fill("textarea[name=decisions]", "Renew the frame agreement for 3 years\n二季度启动试点")
    page.fill("input[name=satisfaction]", "8")
    page.click("#meeting-form button[type=submit]")
    page.wait_for_selector("h1:has-text('Executive meeting')")
    page.fill(".add-action input[name=title]", "Draft the renewal terms")
    page.select_option(".add-action select[name=owner_id]", label="Kim KAM")
    page.fill(".add-action input[name=due_on]", (today() + timedelta(days=14)).isoformat())
    page.click(".add-action button[type=submit]")
    page.wait_for_selector("#meeting-actions td:has-text('Draft the renewal terms')")
    shot(page, "meetings-meeting")

    # It is in my actions, and the overview answers: last met, decided, overdue.
    page.goto(f"{live_server}/me/actions")
    page.wait_for_selector("td:has-text('Draft the renewal terms')")
    page.goto(base)
    section = page.locator("#section-meetings")
    assert "Renew the frame agreement" in section.inner_text()
    shot(page, "meetings-overview")
    assert boss
