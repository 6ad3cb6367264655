"""A newcomer's first minutes: log in, create an account, add a teammate, read it in Chinese, log out."""
import pytest

from tests import factories
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_login_account_team_language_logout(app, live_server, page, shot):
    kam = factories.make_user("Kim KAM", email="kim@example.com", seniority="manager")
    factories.make_user("王芳 Wang Fang", email="wang@example.com", title="Solutions engineer")
    assert kam

    login(page, live_server, "kim@example.com", factories.PASSWORD)
    page.get_by_role("link", name="Accounts", exact=True).click()
    page.get_by_role("link", name="New account").click()
    page.fill("input[name=name]", "远航汽车 Yuanhang Auto")
    page.fill("input[name=industry]", "Automotive")
    page.fill("input[name=revenue_this_year]", "-5")
    page.click("button[type=submit].primary")
    # Bad input: a clear message, and nothing typed is lost.
    page.locator(".field.has-error small.error").first.wait_for()  # is_visible() does not wait for the answer
    assert page.locator(".field.has-error small.error").first.is_visible()
    assert page.input_value("input[name=name]") == "远航汽车 Yuanhang Auto"
    page.fill("input[name=revenue_this_year]", "1200000")
    page.click("button[type=submit].primary")
    page.wait_for_selector("h1:has-text('Yuanhang')")

    # Add a member in place: the page does not reload, the team table grows.
    page.evaluate("window.__marker = 1")
    page.select_option("#team .add-member select[name=user_id]", label="王芳 Wang Fang · Solutions engineer")
    page.select_option("#team .add-member select[name=function]", "solutions")
    page.click("#team .add-member button[type=submit]")
    page.wait_for_selector("#team td:has-text('王芳 Wang Fang')")
    assert page.evaluate("window.__marker") == 1, "adding a member reloaded the page"
    shot(page, "foundation-account-overview")

    # Switch to Chinese: the same page, in Chinese.
    page.get_by_role("button", name="中文").click()
    page.wait_for_selector("h2:has-text('客户团队')")
    assert page.locator("nav a", has_text="客户").first.is_visible()
    shot(page, "foundation-account-overview-zh")

    # Log out: back at the log-in page, and the account is no longer reachable.
    page.get_by_role("button", name="退出").click()
    page.wait_for_selector("input[name=email]")
    page.goto(f"{live_server}/accounts")
    assert "/login" in page.url
