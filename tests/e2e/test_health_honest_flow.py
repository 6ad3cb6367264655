"""A new user creates an account with only a name: the portfolio says "not enough data", not a score."""
import pytest

from tests import factories
from tests.complaints.factories import make_channel
from tests.e2e.conftest import login
from tests.health.factories import make_decision_maker, make_objective
from tests.meetings.factories import make_meeting

pytestmark = pytest.mark.e2e


def test_empty_account_reads_not_enough_data_on_the_portfolio(app, live_server, page, shot, browser):
    kam = factories.make_user("王芳 Wang Fang", email="wf@example.com", seniority="director")
    worked = factories.make_account("华东精密 East China Precision", tier="strategic")
    factories.make_member(worked, kam, role="kam")
    make_channel(worked)
    make_decision_maker(worked, owner=kam)
    make_objective(worked)
    make_meeting(worked, satisfaction=4)

    login(page, live_server, "wf@example.com", factories.PASSWORD)
    page.goto(f"{live_server}/accounts/new")
    page.fill("input[name=name]", "新客户 Brand New Ltd")
    page.locator("form.form-grid button[type=submit]").click()
    page.wait_for_selector("h1:has-text('Brand New Ltd')")
    page.wait_for_selector("#section-health")
    assert page.locator("#section-health .health-unknown").is_visible()
    assert page.locator("#section-health .part-unknown", has_text="No plan yet").is_visible()
    shot(page, "health-new-account-overview")

    page.goto(f"{live_server}/portfolio?sort=health")
    new_row = page.locator("#ranking tr", has_text="Brand New Ltd")
    assert new_row.locator(".health-unknown").inner_text() == "not enough data"
    # The worked account ranks above the empty one, which sits in its own group.
    rows = page.locator("#ranking tbody tr").all_inner_texts()
    assert rows.index(next(r for r in rows if "East China" in r)) < rows.index(next(r for r in rows if "Brand New" in r))
    assert any("Not enough data to score" in r for r in rows)
    shot(page, "health-portfolio-not-enough-data")

    zh = browser.new_page(locale="zh-CN", viewport={"width": 390, "height": 900})
    login(zh, live_server, "wf@example.com", factories.PASSWORD)
    zh.goto(f"{live_server}/portfolio?sort=health&lang=zh")
    zh.goto(f"{live_server}/")
    assert zh.locator("#my-accounts .health-unknown").count() == 1
    shot(zh, "health-home-not-enough-data-390")
    zh.close()
