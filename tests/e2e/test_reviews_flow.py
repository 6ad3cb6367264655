"""A KAM previews the quarter's review, adds next quarter's priority and the commentary in place, finalises it,
and a manager exports the quarter as a ZIP while a progress bar fills."""
import pytest

from tests import factories
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


@pytest.fixture
def team(app):
    kam = factories.make_user("王芳 Wang Fang", email="wang@example.com", seniority="manager")
    kam.language = "zh"
    account = factories.make_account("华东精密 East China Precision", tier="strategic")
    factories.make_member(account, kam, role="kam")
    return account


def test_preview_priorities_finalise_export(live_server, page, shot, team):
    # The export task runs in-process here (queue in immediate mode): the web flow is under test.
    login(page, live_server, "wang@example.com", factories.PASSWORD)
    page.goto(f"{live_server}/accounts/{team.id}/reviews/preview?quarter=2026-Q3")
    page.wait_for_selector("#review-summary")
    assert page.locator("#review-summary h2").inner_text() == "执行摘要"
    # The stakeholder, complaint and meeting part arrives in place, in the document's order.
    page.wait_for_selector("#review-stakeholders h2")
    assert page.locator("#review-stakeholders h2").inner_text() == "关系图谱"
    order = page.eval_on_selector_all("article.review h2", "hs => hs.map(h => h.closest('section').id)")
    assert order.index("review-opportunities") < order.index("review-stakeholders") \
        < order.index("review-meetings") < order.index("review-priorities")
    page.evaluate("window.__marker = 1")

    # Next quarter's priority: a new action of the plan with its owner and due date, in place.
    region = page.locator("#review-priority-actions")
    region.locator("input[name=title]").wait_for()  # the chooser loads in place
    region.locator("input[name=title]").fill("完成 MES 二期投标 Close the MES tender")
    region.locator("select[name=owner_id]").select_option(label="王芳 Wang Fang")
    region.locator("button:has-text('加入计划并设为重点')").click()
    page.wait_for_selector("#review-priority-actions .saved")
    assert "完成 MES 二期投标 Close the MES tender" in page.locator("#review-priority-actions table").inner_text()
    page.fill("#commentary", "艰难的一季 A hard quarter")
    page.click("#review-commentary-form button[type=submit]")
    page.wait_for_selector("#review-commentary-form .saved")
    assert page.evaluate("window.__marker") == 1  # saved in place, no reload
    shot(page, "reviews-preview-zh")

    with page.expect_download() as dl:
        page.click("a:has-text('下载 PDF')")
    assert dl.value.suggested_filename.endswith(".pdf")

    page.once("dialog", lambda d: d.accept())  # finalising asks first
    page.click("button:has-text('定稿 2026-Q3')")
    page.wait_for_selector("#review-archive td:has-text('2026-Q3')")
    shot(page, "reviews-archive-zh")

    page.click("nav a:has-text('季度回顾')")  # the reviews page, with the export form on it
    page.wait_for_selector("#reviews-table")
    page.select_option("#export-form select[name=quarter]", "2026-Q3")
    page.click("#export-form button[type=submit]")
    page.wait_for_selector("#export-jobs a:has-text('下载 ZIP')")
    shot(page, "reviews-export-zh")
