"""A rendered PDF is kept under the digest of its HTML (app/pdf.py): an unchanged document is not
rendered twice, a changed one always is, and the kept bytes stay under PDF_CACHE_MB."""
import pytest
import weasyprint

from app.extensions import db
from app.pdf import RenderedCache, rendered_cache
from app.reviews.pdf import render_review_pdf
from config import Config
from tests.reviews.conftest import QUARTER
from tests.reviews.test_pdf import text_of


def _count_renders(monkeypatch):
    renders = []
    real = weasyprint.HTML.write_pdf

    def counted(self, *a, **k):
        renders.append(1)
        return real(self, *a, **k)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counted)
    return renders


def test_an_unchanged_review_is_rendered_once_and_a_changed_one_again(app, review_world, monkeypatch):
    renders = _count_renders(monkeypatch)
    account, kam = review_world.account, review_world.users["kam"]
    with app.app_context():
        first = render_review_pdf(account, kam, QUARTER)
        again = render_review_pdf(account, kam, QUARTER)
    assert again == first and len(renders) == 1
    account.name = "华东精密 East China Precision renamed 改名"
    db.session.commit()
    with app.app_context():
        changed = render_review_pdf(account, kam, QUARTER)
    assert len(renders) == 2 and changed != first
    assert "renamed" in text_of(changed)[1]
    with app.app_context():  # another language is another document
        render_review_pdf(account, kam, QUARTER, lang="zh")
    assert len(renders) == 3


def test_the_download_route_serves_the_kept_pdf(app, review_world, as_role, monkeypatch):
    renders = _count_renders(monkeypatch)
    client = as_role("member")
    url = f"/accounts/{review_world.account.id}/reviews/review.pdf?quarter={QUARTER}"
    one, two = client.get(url), client.get(url)
    assert one.status_code == two.status_code == 200 and one.data == two.data
    assert len(renders) == 1


def test_no_cache_with_zero_megabytes(app, review_world, monkeypatch):
    app.config["PDF_CACHE_MB"] = 0
    app.extensions.pop("pdf_cache", None)
    renders = _count_renders(monkeypatch)
    with app.app_context():
        assert rendered_cache() is None
        render_review_pdf(review_world.account, review_world.users["kam"], QUARTER)
        render_review_pdf(review_world.account, review_world.users["kam"], QUARTER)
    assert len(renders) == 2


def test_the_cache_keeps_at_most_its_limit_least_recently_used_out_first():
    cache = RenderedCache(limit=10)
    cache.put(b"a", b"1234")
    cache.put(b"b", b"1234")
    assert cache.get(b"a") == b"1234"  # a is now the most recently used
    cache.put(b"c", b"1234")  # 12 bytes: b goes
    assert cache.get(b"b") is None and cache.get(b"a") and cache.get(b"c")
    assert cache.size == 8 and len(cache) == 2
    cache.put(b"d", b"x" * 11)  # larger than the whole cache: not kept, nothing dropped
    assert cache.get(b"d") is None and len(cache) == 2
    cache.put(b"a", b"123456")  # replaced: its old size is given back
    assert cache.size == 10


def test_the_size_comes_from_the_environment_and_nonsense_stops_the_app():
    assert Config.from_env({})["PDF_CACHE_MB"] == 32
    assert Config.from_env({"PDF_CACHE_MB": "0"})["PDF_CACHE_MB"] == 0
    assert Config.from_env({"PDF_CACHE_MB": "8.5"})["PDF_CACHE_MB"] == 8.5
    for bad in ("lots", "-1", "nan"):
        with pytest.raises(RuntimeError, match="PDF_CACHE_MB"):
            Config.from_env({"PDF_CACHE_MB": bad})
