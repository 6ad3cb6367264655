"""A KAM fills the account plan in place; two teammates edit the same section at once."""
import pytest

from tests import factories
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


@pytest.fixture
def team(app):
    kam = factories.make_user("Kim KAM", email="kim@example.com", seniority="manager")
    mo = factories.make_user("王芳 Wang Fang", email="wang@example.com")
    account = factories.make_account("远航汽车 Yuanhang Auto")
    factories.make_member(account, kam, role="kam")
    factories.make_member(account, mo, role="member")
    return account


def test_fill_the_plan_in_place(live_server, page, shot, team):
    login(page, live_server, "kim@example.com", factories.PASSWORD)
    page.goto(f"{live_server}/accounts/{team.id}/plan")
    page.get_by_role("button", name="Start the account plan").click()
    page.wait_for_selector("#plan-business")
    page.evaluate("window.__marker = 1")

    # The section turns into a form, saves, and is text again: no page load.
    page.click("#plan-business a:has-text('Edit')")
    page.fill("#plan-business textarea[name=strategy]", "五年内新能源收入占比 50% (EV revenue to 50%)")
    page.fill("#plan-business textarea[name=short_term_needs]", "Unify the supplier list; cut cost 5%")
    page.fill("#plan-business textarea[name=long_term_needs]", "One data platform for twelve plants")
    page.click("#plan-business button[type=submit]")
    page.wait_for_selector("#plan-business dd:has-text('EV revenue to 50%')")
    assert page.locator("#plan-business form").count() == 0

    # Cancel returns the text untouched.
    page.click("#plan-position a:has-text('Edit')")
    page.fill("#plan-position input[name=annual_value]", "2500000")
    page.fill("#plan-position input[name=category_spend]", "10000000")
    page.click("#plan-position button[type=submit]")
    page.wait_for_selector("#plan-position dd:has-text('25.0%')")

    # A SWOT line.
    page.fill("#plan-swot .swot-strength input[name=text]", "宁波工厂口碑好 Ningbo plant trusts us")
    page.click("#plan-swot .swot-strength button:has-text('Add')")
    page.wait_for_selector("#plan-swot li:has-text('Ningbo plant trusts us')")

    # An objective, then an action under it, overdue on purpose.
    page.fill(".add-objective input[name=title]", "拿下集团框架协议 Group framework agreement")
    page.select_option(".add-objective select[name=horizon]", "mid")
    page.select_option(".add-objective select[name=owner_id]", label="王芳 Wang Fang")
    page.click(".add-objective button[type=submit]")
    objective = page.locator("article.objective", has_text="Group framework agreement")
    objective.wait_for()
    objective.locator("input[name=title]").fill("Map the group buying chain")
    objective.locator("select[name=owner_id]").select_option(label="Kim KAM")
    objective.locator("input[name=due_on]").fill("2020-03-01")
    objective.locator("button:has-text('Add action')").click()
    page.wait_for_selector("article.objective tr.overdue:has-text('Map the group buying chain')")
    assert page.evaluate("window.__marker") == 1, "the plan page reloaded"
    shot(page, "plans-filled")

    page.emulate_media(media="print")
    shot(page, "plans-print")
    assert not page.locator(".add-objective").is_visible()


def test_two_browsers_edit_the_same_section(live_server, browser, page, shot, team):
    other = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    login(page, live_server, "kim@example.com", factories.PASSWORD)
    page.goto(f"{live_server}/accounts/{team.id}/plan")
    page.get_by_role("button", name="Start the account plan").click()
    page.wait_for_selector("#plan-business")
    login(other, live_server, "wang@example.com", factories.PASSWORD)
    other.goto(f"{live_server}/accounts/{team.id}/plan")

    for p in (page, other):
        p.click("#plan-business a:has-text('Edit')")
        p.wait_for_selector("#plan-business textarea[name=strategy]")
    page.fill("#plan-business textarea[name=strategy]", "Kim: win the EV platform")
    page.click("#plan-business button[type=submit]")
    page.wait_for_selector("#plan-business dd:has-text('Kim: win the EV platform')")

    other.fill("#plan-business textarea[name=strategy]", "Wang: become their digital partner")
    other.click("#plan-business button[type=submit]")
    other.wait_for_selector("#plan-business .conflict")
    notice = other.locator("#plan-business .conflict").inner_text()
    assert "Someone else saved this" in notice and "Kim: win the EV platform" in notice
    assert other.input_value("#plan-business textarea[name=strategy]") == "Wang: become their digital partner"
    shot(other, "plans-conflict")

    other.fill("#plan-business textarea[name=strategy]", "Kim: win the EV platform. Wang: become their digital partner")
    other.click("#plan-business button[type=submit]")
    other.wait_for_selector("#plan-business dd:has-text('Wang: become their digital partner')")
    other.context.close()
