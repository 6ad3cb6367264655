"""A KAM maps a customer: two contacts in place, pairs an executive with the decision-maker, the gap goes."""
import pytest

from tests import factories
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_map_pair_and_watch_gap_disappear(app, live_server, page, shot):
    account = factories.make_account("远航汽车 Yuanhang Auto")
    kam = factories.make_user("Kim KAM", email="kim@example.com", seniority="manager")
    vp = factories.make_user("张伟 Zhang Wei", email="zhang@example.com", seniority="vp")
    factories.make_member(account, kam, role="kam")
    factories.make_member(account, vp, role="sponsor", function="management")

    login(page, live_server, "kim@example.com", factories.PASSWORD)
    page.goto(f"{live_server}/accounts/{account.id}/stakeholders")
    page.evaluate("window.__marker = 1")

    # A department, then two people in it, each added in place.
    page.fill("#departments input[name=name]", "采购部 Procurement")
    page.select_option("#departments select[name=function]", "procurement")
    page.click("#departments button[type=submit]")
    page.wait_for_selector("#departments a:has-text('采购部 Procurement')")

    page.fill("#quick-add input[name=name]", "王建国 Wang Jianguo")
    page.fill("#quick-add input[name=title]", "总经理 General Manager")
    page.select_option("#quick-add select[name=department_id]", label="采购部 Procurement")
    page.select_option("#quick-add select[name=seniority]", "c_level")
    page.select_option("#quick-add select[name=buying_role]", "economic_buyer")
    page.select_option("#quick-add select[name=influence]", "high")
    page.press("#quick-add input[name=name]", "Enter")
    page.wait_for_selector("#contacts a:has-text('王建国 Wang Jianguo')")
    # The form is fresh, focused, and keeps the department for the next person.
    assert page.evaluate("document.activeElement.name") == "name"
    page.fill("#quick-add input[name=name]", "Amy Wu")
    page.select_option("#quick-add select[name=reports_to_id]", label="王建国 Wang Jianguo · 总经理 General Manager")
    page.select_option("#quick-add select[name=buying_role]", "coach")
    page.click("#quick-add button[type=submit]")
    page.wait_for_selector("#contacts a:has-text('Amy Wu')")
    assert page.evaluate("window.__marker") == 1, "adding a contact reloaded the page"
    gap = "王建国 Wang Jianguo is a decision-maker with no executive owner on our side."
    assert page.locator("#gaps li", has_text=gap).is_visible()
    shot(page, "stakeholders-map")

    # Follow the gap's link: the pairing form opens with the decision-maker chosen.
    page.locator("#gaps li", has_text=gap).get_by_role("link").click()
    page.wait_for_selector("#pair")
    assert page.input_value("#pair select[name=target]").startswith("c")
    page.evaluate("window.__marker = 2")
    page.select_option("#pair select[name=user_id]", label="张伟 Zhang Wei · VP")
    page.select_option("#pair select[name=current_level]", "credible")
    page.click("#pair button[type=submit]")
    page.wait_for_selector("#pairings td:has-text('张伟 Zhang Wei')")
    assert page.locator("#gaps li", has_text="decision-maker").count() == 0
    assert page.evaluate("window.__marker") == 2, "pairing reloaded the page"
    shot(page, "stakeholders-coverage")

    page.goto(f"{live_server}/accounts/{account.id}/stakeholders/org?coverage=1")
    page.wait_for_selector("#orgchart .card:has-text('Amy Wu')")
    # The drawn chart: the VP's chip on the decision-maker's card (level 2, credible) and a line to it.
    boss = page.locator("#orgchart .card", has_text="王建国")
    assert boss.locator(".chip").text_content() == "张伟 2"
    assert page.locator("#orgchart .cov").count() == 1
    shot(page, "stakeholders-org")
    page.emulate_media(media="print")
    shot(page, "stakeholders-org-print")
