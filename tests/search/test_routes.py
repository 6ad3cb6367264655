"""/search: the full page, the htmx dropdown, hostile text, both languages."""
import pytest

from app.extensions import db
from app.stakeholders import services as stakeholders


def test_the_header_has_the_search_box(client, sw):
    html = client.login(sw.w.users["kam"]).get("/").get_data(as_text=True)
    assert 'id="site-search"' in html and 'hx-trigger="input changed delay:200ms, search"' in html
    assert 'action="/search"' in html


def test_full_page_groups_results_with_their_account(client, sw):
    resp = client.login(sw.w.users["kam"]).get("/search?q=质量")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" in html
    assert 'id="group-contact"' in html and 'id="group-department"' in html
    assert "<mark>质量</mark>" in html
    assert sw.w.account.name in html
    assert f'/accounts/{sw.w.account.id}/stakeholders/contacts/{sw.zhang.id}' in html
    assert 'value="质量"' in html  # the query stays in the box


def test_htmx_gets_the_dropdown_fragment(client, sw, hx):
    resp = client.login(sw.w.users["kam"]).get("/search?q=王芳", headers=hx)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" not in html
    assert "search-panel" in html and "<mark>王芳</mark>" in html
    assert "/search?q=" in html  # "all results" link
    assert "HX-Request" in resp.headers.get("Vary", "")


def test_empty_query_and_nothing_found(client, sw, hx):
    c = client.login(sw.w.users["kam"])
    assert c.get("/search").status_code == 200
    assert c.get("/search?q=", headers=hx).get_data(as_text=True).strip() == ""
    html = c.get("/search?q=保密总监").get_data(as_text=True)  # only account B has it
    assert "Nothing found" in html and "保密" not in html.split("Nothing found", 1)[1].split("</p>")[0][20:]
    assert "赵秘密" not in html


def test_pinyin_query_on_the_page(client, sw):
    html = client.login(sw.w.users["member"]).get("/search?q=zw").get_data(as_text=True)
    assert "张伟" in html and "赵秘密" not in html


def test_hostile_text_is_shown_as_text(client, sw, hx):
    kam = sw.w.users["kam"]
    stakeholders.create_contact(kam, sw.w.account, {
        "name": '<script>alert("x")</script>恶意', "title": '<img src=x onerror=alert(1)> 恶意标题'})
    c = client.login(kam)
    for headers in ({}, hx):
        html = c.get("/search?q=恶意", headers=headers).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
        assert "<mark>恶意</mark>" in html


def test_kind_filter_shows_one_group(client, sw):
    html = client.login(sw.w.users["kam"]).get("/search?q=质量&kind=contact").get_data(as_text=True)
    assert 'id="group-contact"' in html and 'id="group-department"' not in html
    assert client.get("/search?q=质量&kind=bogus").status_code == 200


@pytest.mark.parametrize("lang, words", [("en", ("Contacts", "Departments", "result")),
                                         ("zh", ("联系人", "部门", "条结果"))])
def test_both_languages(client, sw, lang, words):
    kam = sw.w.users["kam"]
    kam.language = lang
    db.session.commit()
    html = client.login(kam).get("/search?q=质量").get_data(as_text=True)
    for w in words:
        assert w in html, w


def test_a_long_query_is_cut_not_refused(client, sw):
    assert client.login(sw.w.users["kam"]).get("/search?q=" + "质" * 500).status_code == 200


def test_demo_data_ends_with_the_index_in_step(app, runner):
    from app.auth.models import User
    from app.search.index import rebuild
    from app.search.models import SearchDoc
    from app.search.services import search

    assert runner.invoke(args=["demo-data"]).exit_code == 0

    def rows():
        return sorted(db.session.execute(db.select(SearchDoc.kind, SearchDoc.object_id, SearchDoc.title,
                                                   SearchDoc.body, SearchDoc.pinyin)).all())

    kept = rows()
    rebuild(db.session)
    assert rows() == kept and len(kept) > 50
    wang = db.session.scalar(db.select(User).where(User.email == "wang.fang@example.com"))
    liu = db.session.scalar(db.select(User).where(User.email == "liu.yang@example.com"))
    assert search(wang, "华东").groups  # her account
    assert search(liu, "华东").groups == []  # he left the team
