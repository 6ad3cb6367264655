"""The reviews page: every account the user sees with its review state, links, and the export form."""
from app.reviews import index, services
from tests.reviews.conftest import QUARTER


def test_review_states():
    assert index.state_of(False, 0) == "not_started"
    assert index.state_of(True, 0) == "draft"
    assert index.state_of(True, 1) == index.state_of(False, 1) == "finalised"
    assert index.state_of(False, 3) == "reissued"


def test_reviews_page_lists_states_links_and_the_export(review_world, as_role):
    kam = as_role("kam")
    page = kam.get(f"/reviews?quarter={QUARTER}").get_data(as_text=True)
    acc = review_world.account
    row = page.split(f'id="review-row-{acc.id}"')[1].split("</tr>")[0]
    assert "Not started" in row or "Draft" in row
    assert f"/accounts/{acc.id}/reviews/preview?quarter={QUARTER}" in row and f"/accounts/{acc.id}/reviews\"" in row
    assert 'id="export-form"' in page and 'action="/reviews/export"' in page
    assert page.count("<h1") == 1
    services.finalise(review_world.users["kam"], acc, QUARTER)
    row = kam.get(f"/reviews?quarter={QUARTER}").get_data(as_text=True).split(f'id="review-row-{acc.id}"')[1]
    assert "Finalised" in row.split("</tr>")[0]
    services.finalise(review_world.users["kam"], acc, QUARTER)
    row = kam.get(f"/reviews?quarter={QUARTER}").get_data(as_text=True).split(f'id="review-row-{acc.id}"')[1]
    assert "Re-issued" in row.split("</tr>")[0]


def test_outsider_sees_no_account(review_world, as_role):
    page = as_role("outsider").get("/reviews").get_data(as_text=True)
    assert review_world.account.name not in page


def test_reviews_page_bad_params_fall_back(review_world, as_role):
    resp = as_role("kam").get("/reviews?quarter=nope&tier=<x>")
    assert resp.status_code == 200
