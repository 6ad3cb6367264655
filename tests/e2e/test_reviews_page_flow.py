"""A manager opens Reviews: every account with its review state; the preview tells the quarter; the
finalise button asks first. The overview's team table stays inside its card. 1366 px, both languages."""
import pytest

from app.extensions import db
from app.reviews import services
from tests import factories
from tests.e2e.conftest import login
from tests.reviews.conftest import QUARTER, review_world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_reviews_page_and_story(app, live_server, browser, shot, review_world, lang):  # noqa: F811
    kam = review_world.users["kam"]
    kam.email, kam.language = "kam@example.com", lang
    db.session.commit()
    services.save_note(kam, review_world.account, QUARTER,
                       "A hard quarter: the bearing complaint cost us a month. 🚀 MES is next.")
    page = browser.new_page(locale="zh-CN" if lang == "zh" else "en-GB", viewport={"width": 1366, "height": 900})
    page.set_default_timeout(15_000)
    login(page, live_server, "kam@example.com", factories.PASSWORD)
    page.goto(f"{live_server}/reviews?quarter={QUARTER}")
    row = page.locator(f"#review-row-{review_world.account.id}")
    assert row.locator(".review-state.state-draft").is_visible()
    assert page.locator("h1").count() == 1 and page.locator("#export-form").is_visible()
    shot(page, f"reviews-page-{lang}")

    row.locator("a").nth(1).click()  # Preview
    page.wait_for_selector("#review-story .commentary")
    assert page.locator("#review-story").inner_text().count("MES") >= 1
    assert page.locator("button[data-confirm]").count() == 1
    shot(page, f"review-preview-story-{lang}")

    page.goto(f"{live_server}/accounts/{review_world.account.id}")
    page.wait_for_selector("#team table")
    card = page.locator("#team").bounding_box()
    table = page.locator("#team table").bounding_box()
    assert table["x"] + table["width"] <= card["x"] + card["width"] + 1, "the team table overflows its card"
    shot(page, f"overview-team-1366-{lang}")
    page.close()
