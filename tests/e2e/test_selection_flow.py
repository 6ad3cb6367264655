"""A manager scores a cell in the matrix, sees the account climb the ranking, and records a demotion."""
import pytest

from app.selection import services
from tests import factories
from tests.e2e.conftest import login, settled

pytestmark = pytest.mark.e2e


def test_score_a_cell_rank_moves_then_demote(app, live_server, page, shot):
    kam = factories.make_user("Mia Manager", email="mia@example.com", seniority="manager")
    first = factories.make_account("Alpha Metals 阿尔法金属", revenue_this_year=9_000_000, revenue_last_year=7_000_000)
    second = factories.make_account("Beta Foods 贝塔食品", revenue_this_year=1_000_000, revenue_last_year=1_200_000)
    third = factories.make_account("Gamma Retail", tier="developing", revenue_this_year=300_000,
                                   revenue_last_year=250_000)
    for a in (first, second, third):
        factories.make_member(a, kam, role="kam")
    criteria = services.list_criteria(active_only=True)
    for c in criteria:
        services.set_score(kam, first, c, 6)
        services.set_score(kam, second, c, 7)
    services.set_score(kam, third, criteria[0], 3)

    login(page, live_server, "mia@example.com", factories.PASSWORD)
    page.get_by_role("link", name="Portfolio", exact=True).click()
    page.wait_for_selector("#ranking")
    assert page.locator("#ranking tbody tr").first.get_attribute("id") == f"rank-{second.id}"
    shot(page, "selection-portfolio-before")

    page.get_by_role("link", name="Scoring matrix").first.click()
    page.wait_for_selector("#matrix")
    page.wait_for_load_state("load")  # htmx has processed the page: a click is an htmx swap, not a link
    page.evaluate("window.__marker = 1")
    cell = f"#cell-{first.id}-{criteria[0].id}"
    # Bad input: a clear message in the cell, the typed text kept, nothing saved.
    page.click(f"{cell} a.score")
    page.fill(f"{cell} input[name=value]", "11")
    page.fill(f"{cell} input[name=note]", "new plant in 2027")
    page.press(f"{cell} input[name=value]", "Enter")
    page.wait_for_selector(f"{cell} small.error")
    settled(page)
    assert page.input_value(f"{cell} input[name=note]") == "new plant in 2027"
    shot(page, "selection-matrix-bad-input")
    # Two more 10s lift Alpha above Beta: the row's total updates in place.
    page.fill(f"{cell} input[name=value]", "10")
    page.press(f"{cell} input[name=value]", "Enter")
    page.wait_for_selector(f"{cell} a.score:has-text('10')")
    settled(page)  # the row was swapped in: its cells must be htmx's before we click one
    cell2 = f"#cell-{first.id}-{criteria[1].id}"
    page.click(f"{cell2} a.score")
    page.fill(f"{cell2} input[name=value]", "10")
    page.press(f"{cell2} input[name=value]", "Enter")
    page.wait_for_selector(f"{cell2} a.score:has-text('10')")
    settled(page)
    assert page.evaluate("window.__marker") == 1, "scoring reloaded the page"
    assert page.locator(f"#total-{first.id}").inner_text().split()[0] == "78"
    shot(page, "selection-matrix-after")

    page.get_by_role("link", name="Portfolio", exact=True).first.click()
    page.wait_for_selector("#ranking")
    assert page.locator("#ranking tbody tr").first.get_attribute("id") == f"rank-{first.id}"
    assert page.locator("#pareto .pareto-sentence").is_visible()
    shot(page, "selection-portfolio-after")

    # Record a demotion of Beta: the reason is required, then the tier changes and the history shows it.
    page.goto(f"{live_server}/accounts/{second.id}")
    page.click("#section-selection summary:has-text('Record a selection review')")
    page.select_option("#section-selection select[name=decision]", "demote")
    page.select_option("#section-selection select[name=tier_after]", "developing")
    page.click("#section-selection button:has-text('Record decision')")
    page.wait_for_selector("#section-selection .field.has-error small.error")
    page.fill("#section-selection textarea[name=rationale]", "Revenue down 17%; margin under 10%.")
    page.click("#section-selection button:has-text('Record decision')")
    page.wait_for_selector("#decisions li:has-text('Revenue down 17%')")
    assert "Developing" in page.locator("h1 + p .tier").inner_text()
    shot(page, "selection-account-demoted")
