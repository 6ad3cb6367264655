"""Review pages: preview (page), commentary in place (fragment, 409, 422), finalise, archive, stored bytes."""
import io

from pypdf import PdfReader

from app.extensions import db
from app.reviews import services
from app.reviews.models import FinalReview, ReviewNote
from tests.querycount import queries_for
from tests.reviews.conftest import QUARTER


def _url(world, path):
    return f"/accounts/{world.account.id}/reviews{path}"


def test_preview_is_a_page_with_every_section(review_world, as_role):
    """The page holds the main part and loads the relations part in place from its own URL."""
    kam = as_role("kam")
    resp = kam.get(_url(review_world, f"/preview?quarter={QUARTER}"))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    for anchor in ("review-summary", "review-objectives", "review-opportunities", "review-priorities",
                   "review-signoff"):
        assert f'id="{anchor}"' in html
    assert 'id="review-commentary-form"' in html and 'id="review-priority-actions"' in html
    relations_url = _url(review_world, f"/relations?quarter={QUARTER}")
    assert f'hx-get="{relations_url}"' in html and 'id="review-stakeholders"' not in html
    part = kam.get(relations_url, headers={"HX-Request": "true"})
    frag = part.get_data(as_text=True)
    assert part.status_code == 200 and "<html" not in frag and frag.lstrip().startswith('<div id="review-relations">')
    for anchor in ("review-stakeholders", "review-complaints", "review-meetings"):
        assert f'id="{anchor}"' in frag
    assert "刘建国 Liu Jianguo" in frag and "&lt;b&gt;Buyer&lt;/b&gt;" in frag


def test_relations_part_opened_directly_is_a_page(review_world, as_role):
    resp = as_role("kam").get(_url(review_world, f"/relations?quarter={QUARTER}"))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" in html and 'id="review-meetings"' in html
    assert as_role("outsider").get(_url(review_world, "/relations")).status_code == 404


def test_observer_sees_the_preview_without_the_editor(review_world, as_role):
    html = as_role("observer").get(_url(review_world, "/preview")).get_data(as_text=True)
    assert 'id="review-summary"' in html and 'id="review-commentary-form"' not in html
    assert 'id="review-priority-actions"' not in html


def test_bad_quarter_falls_back_to_the_current_one(review_world, as_role):
    from app.reviews import quarters
    resp = as_role("kam").get(_url(review_world, "/preview?quarter=2026-Q9<script>"))
    assert resp.status_code == 200 and quarters.current() in resp.get_data(as_text=True)


def test_save_commentary_in_place_then_a_stale_save_is_refused(review_world, as_role, hx):
    kam, member = as_role("kam"), as_role("member")
    form = {"quarter": QUARTER, "commentary": "A hard quarter", "version": ""}
    resp = kam.post(_url(review_world, "/commentary"), data=form, headers=hx)
    assert resp.status_code == 200 and 'id="review-commentary-form"' in resp.get_data(as_text=True)
    assert "<html" not in resp.get_data(as_text=True)
    note = db.session.scalar(db.select(ReviewNote).where(ReviewNote.account_id == review_world.account.id))
    assert note.commentary == "A hard quarter"
    seen = str(note.version)  # both teammates opened the page at this version
    ok = member.post(_url(review_world, "/commentary"), data=form | {"commentary": "Theirs", "version": seen},
                     headers=hx)
    assert ok.status_code == 200
    stale = kam.post(_url(review_world, "/commentary"), data=form | {"commentary": "Mine", "version": seen},
                     headers=hx)
    body = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Theirs" in body and "Mine" in body


def test_commentary_bad_input(review_world, as_role, hx):
    kam = as_role("kam")
    too_long = kam.post(_url(review_world, "/commentary"),
                        data={"quarter": QUARTER, "commentary": "x" * 5001}, headers=hx)
    assert too_long.status_code == 422 and "5000" in too_long.get_data(as_text=True)
    no_quarter = kam.post(_url(review_world, "/commentary"), data={"quarter": "soon", "commentary": "x"})
    assert no_quarter.status_code == 422 and "2026-Q3" in no_quarter.get_data(as_text=True)


def test_plain_post_redirects_back_to_the_preview(review_world, as_role):
    resp = as_role("kam").post(_url(review_world, "/commentary"), data={"quarter": QUARTER, "commentary": "x"})
    assert resp.status_code == 302 and "/preview?quarter=2026-Q3" in resp.headers["Location"]


def test_live_pdf_download(review_world, as_role):
    resp = as_role("observer").get(_url(review_world, f"/review.pdf?quarter={QUARTER}&paper=letter&lang=zh"))
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert PdfReader(io.BytesIO(resp.data)).pages[0].mediabox.width == 612


def test_finalised_review_never_changes_after_edits(review_world, as_role):
    kam = as_role("kam")
    resp = kam.post(_url(review_world, "/finalise"), data={"quarter": QUARTER, "paper": "a4", "lang": ""})
    assert resp.status_code == 302
    final = db.session.scalar(db.select(FinalReview))
    first = kam.get(_url(review_world, f"/{final.id}.pdf"))
    assert first.data == final.pdf and first.data.startswith(b"%PDF")
    assert services.stored_data(final)["account"]["name"] == review_world.account.name

    # A month of edits: the account is renamed, the priorities rewritten.
    review_world.account.name = "Renamed Holdings"
    db.session.commit()
    kam.post(_url(review_world, "/commentary"), data={"quarter": QUARTER, "commentary": "All new"})
    later = kam.get(_url(review_world, f"/{final.id}.pdf"))
    assert later.data == first.data

    # Re-issuing makes version 2 and keeps version 1.
    kam.post(_url(review_world, "/finalise"), data={"quarter": QUARTER, "paper": "letter", "lang": "zh"})
    db.session.expire_all()
    finals = services.archive(review_world.account.id)
    assert [f.number for f in finals] == [2, 1]
    assert kam.get(_url(review_world, f"/{final.id}.pdf")).data == first.data
    assert b"Renamed Holdings" not in first.data
    page = kam.get(_url(review_world, "")).get_data(as_text=True)
    assert "v2" in page and "v1" in page and review_world.users["kam"].name in page


def test_finalise_needs_the_kam_and_a_quarter(review_world, as_role):
    assert as_role("member").post(_url(review_world, "/finalise"), data={"quarter": QUARTER}).status_code == 403
    bad = as_role("kam").post(_url(review_world, "/finalise"), data={"quarter": "Q3", "paper": "a4"})
    assert bad.status_code == 422 and not db.session.scalar(db.select(FinalReview.id))


def test_overview_shows_the_reviews_section(review_world, as_role):
    html = as_role("kam").get(f"/accounts/{review_world.account.id}/sections/reviews").get_data(as_text=True)
    assert 'id="section-reviews"' in html


def test_preview_query_count_does_not_grow(app, review_world, as_role):
    from tests.complaints.factories import make_channel, make_complaint
    kam = as_role("kam")
    url = _url(review_world, f"/preview?quarter={QUARTER}")
    relations = _url(review_world, f"/relations?quarter={QUARTER}")
    _resp, few = queries_for(kam, url)
    _resp, few_relations = queries_for(kam, relations)
    channel = make_channel(review_world.account, kind="technical")
    for _ in range(4):
        c = make_complaint(review_world.account, channel)
        c.received_at = c.received_at.replace(year=2026, month=8, day=3)
    db.session.commit()
    _resp, more = queries_for(kam, url)
    _resp, more_relations = queries_for(kam, relations)
    assert more == few and more_relations == few_relations
