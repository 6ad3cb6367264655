"""Routes: portfolio, matrix and its cells, decisions, stage changes, criteria admin."""
import pytest
from flask import g

from app.extensions import db
from app.selection import services
from app.selection.models import Criterion, Score, SelectionDecision, StageChange
from tests import factories
from tests.querycount import queries_for


@pytest.fixture
def as_role(as_role):
    """Clients per role that may be mixed in one test.

    The app fixture keeps one app context for the whole test, so Flask-Login's user
    cached on `g` would leak from one client's request into the next client's.
    """
    def make(role):
        g.pop("_login_user", None)
        client = as_role(role)
        client.open = _forget_user(client.open)
        return client
    return make


def _forget_user(open_):
    def wrapped(*args, **kwargs):
        g.pop("_login_user", None)
        return open_(*args, **kwargs)
    return wrapped


@pytest.fixture
def crit(app):
    """The first active default criterion."""
    return services.list_criteria(active_only=True)[0]


def cell_url(account, c):
    return f"/accounts/{account.id}/selection/scores/{c.id}"


def test_portfolio_page_and_fragment(world, as_role, hx, crit):
    services.set_score(world.users["kam"], world.account, crit, 8)
    c = as_role("kam")
    page = c.get("/portfolio")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<svg" in body and world.account.name in body and "Other Account" not in body
    assert "of accounts (1 of 1) make 80" in body
    assert 'href="/portfolio"' in body  # the top nav link
    frag = c.get("/portfolio?tier=key", headers=hx)
    text = frag.get_data(as_text=True)
    assert frag.status_code == 200 and text.lstrip().startswith("<div id=\"portfolio\"") and "<html" not in text


def test_portfolio_filters_by_tier_mine_and_due(world, as_role):
    factories.make_member(factories.make_account("Strategic One", tier="strategic"), world.users["kam"])
    c = as_role("kam")
    assert "Strategic One" not in c.get("/portfolio?tier=key").get_data(as_text=True)
    assert "Strategic One" in c.get("/portfolio?tier=strategic").get_data(as_text=True)
    services.record_decision(world.users["kam"], world.account, "keep", "key", "fine")
    body = c.get("/portfolio?due=1").get_data(as_text=True)
    assert "Strategic One" in body and f'id="rank-{world.account.id}"' not in body
    admin = as_role("admin")
    assert "Other Account" in admin.get("/portfolio").get_data(as_text=True)
    assert "Other Account" not in admin.get("/portfolio?mine=1").get_data(as_text=True)


def test_matrix_page_and_fragment(world, as_role, hx, crit):
    c = as_role("member")
    body = c.get("/portfolio/matrix").get_data(as_text=True)
    assert crit.name_en in body and world.account.name in body and "Other Account" not in body
    assert f'hx-get="{cell_url(world.account, crit)}/edit"' in body
    frag = c.get("/portfolio/matrix?q=east", headers=hx).get_data(as_text=True)
    assert frag.lstrip().startswith('<section id="matrix"')
    # An observer sees the scores but gets no edit link.
    assert "/edit" not in as_role("observer").get("/portfolio/matrix").get_data(as_text=True)


def test_a_cell_says_who_scored_it_when_and_why_escaped(world, as_role, hx, crit):
    """The matrix and the single cell (Cancel) show the same title and label, escaped (the cells
    are worked out in Python: app/selection/cells.py)."""
    world.account.name = "R&D <West>"
    world.users["member"].name = "Lee <b>"
    db.session.commit()
    services.set_score(world.users["member"], world.account, crit, 7, note='late "pilot" & <i>')
    c = as_role("member")
    page = c.get("/portfolio/matrix").get_data(as_text=True)
    one = c.get(cell_url(world.account, crit), headers=hx).get_data(as_text=True)
    title = 'title="Lee &lt;b&gt;, '
    note = ' — late &#34;pilot&#34; &amp; &lt;i&gt;"'
    label = f'aria-label="Score {crit.name_en} for R&amp;D &lt;West&gt;">7</a>'
    for body in (page, one):
        assert title in body and note in body and label in body
        assert "<b>" not in body and "<i>" not in body
    assert one.lstrip().startswith(f'<td id="cell-{world.account.id}-{crit.id}" class="cell"')
    # An observer sees the same title, and the score without a link or label.
    observer = as_role("observer").get("/portfolio/matrix").get_data(as_text=True)
    assert title in observer and '<span class="score score-7">7</span>' in observer and "aria-label=\"Score" not in observer
    # In Chinese: the labels' own word order, the same escaping.
    world.users["member"].language = "zh"
    db.session.commit()
    zh = as_role("member").get("/portfolio/matrix").get_data(as_text=True)
    assert f'aria-label="为 R&amp;D &lt;West&gt; 的 {crit.name_zh} 评分">7</a>' in zh
    assert 'title="Lee &lt;b&gt;，' in zh


def test_click_a_cell_type_save_in_place(world, as_role, hx, crit):
    c = as_role("member")
    form = c.get(cell_url(world.account, crit) + "/edit", headers=hx).get_data(as_text=True)
    assert form.lstrip().startswith("<td") and 'name="value"' in form
    resp = c.post(cell_url(world.account, crit), data={"value": "8", "note": "fits", "version": "0"}, headers=hx)
    text = resp.get_data(as_text=True)
    assert resp.status_code == 200 and text.lstrip().startswith(f'<tr id="row-{world.account.id}"')
    assert f'id="total-{world.account.id}"' in text and "saved" in text
    s = services.find_score(world.account.id, crit.id)
    assert (s.value, s.note, s.scored_by_id) == (8, "fits", world.users["member"].id)
    # Cancel answers the plain cell.
    assert "<form" not in c.get(cell_url(world.account, crit), headers=hx).get_data(as_text=True)


def test_plain_post_redirects_to_the_matrix(world, as_role, crit):
    resp = as_role("kam").post(cell_url(world.account, crit), data={"value": "6", "version": "0"})
    assert resp.status_code == 302 and "/portfolio/matrix" in resp.headers["Location"]
    assert as_role("kam").get(cell_url(world.account, crit) + "/edit").status_code == 200  # no-JS page


@pytest.mark.parametrize("bad", ["0", "11", "abc", "", "7.5", "-1"])
def test_bad_scores_get_a_message_in_place_and_keep_the_input(world, as_role, hx, crit, bad):
    resp = as_role("kam").post(cell_url(world.account, crit),
                               data={"value": bad, "note": "my note", "version": "0"}, headers=hx)
    text = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Enter a whole number from 1 to 10." in text
    assert f'value="{bad}"' in text and 'value="my note"' in text
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0


def test_a_stale_cell_save_answers_409_and_keeps_the_input(world, as_role, hx, crit):
    s = services.set_score(world.users["kam"], world.account, crit, 5)
    old = s.version
    services.set_score(world.users["member"], world.account, crit, 6, version=old)
    resp = as_role("kam").post(cell_url(world.account, crit), data={"value": "9", "version": str(old)}, headers=hx)
    text = resp.get_data(as_text=True)
    assert resp.status_code == 409 and "Someone else saved this" in text and 'value="9"' in text
    assert services.find_score(world.account.id, crit.id).value == 6


def test_observers_cannot_score_and_inactive_criteria_are_refused(world, as_role, hx, crit):
    assert as_role("observer").post(cell_url(world.account, crit), data={"value": "5"}).status_code == 403
    assert as_role("observer").get(cell_url(world.account, crit) + "/edit").status_code == 403
    services.update_criterion(world.users["admin"], crit, {"active": False})
    resp = as_role("kam").post(cell_url(world.account, crit), data={"value": "5", "version": "0"}, headers=hx)
    assert resp.status_code == 422 and "not active" in resp.get_data(as_text=True)
    assert as_role("kam").post(f"/accounts/{world.account.id}/selection/scores/99999",
                               data={"value": "5"}).status_code == 404


def test_record_a_demotion_with_its_reason(world, as_role, hx):
    url = f"/accounts/{world.account.id}/selection/decisions"
    resp = as_role("kam").post(url, data={"decision": "demote", "tier_after": "developing",
                                          "rationale": "Margin fell to 8%.", "tier_before": "key"}, headers=hx)
    assert resp.status_code == 204 and resp.headers["HX-Refresh"] == "true"
    db.session.expire_all()  # the request saved through its own session
    assert world.account.tier == "developing"
    overview = as_role("observer").get(f"/accounts/{world.account.id}/sections/selection").get_data(as_text=True)
    assert 'id="section-selection"' in overview and "Margin fell to 8%." in overview
    assert "Record a selection review" not in overview  # observers read only


@pytest.mark.parametrize(("data", "message"), [
    ({"decision": "demote", "tier_after": "developing", "rationale": "  "}, "Give the reason for the decision."),
    ({"decision": "promote", "tier_after": "developing", "rationale": "why"}, "Promote to a higher tier"),
    ({"decision": "keep", "tier_after": "strategic", "rationale": "why"}, "A keep decision leaves the tier"),
])
def test_bad_decisions_get_a_message_in_place(world, as_role, hx, data, message):
    resp = as_role("kam").post(f"/accounts/{world.account.id}/selection/decisions",
                               data=dict(data, tier_before="key"), headers=hx)
    text = resp.get_data(as_text=True)
    assert resp.status_code == 422 and message in text and "<details open>" in text
    assert text.lstrip().startswith('<section class="card section-selection"')
    assert db.session.scalar(db.select(db.func.count(SelectionDecision.id))) == 0
    assert world.account.tier == "key"


def test_a_decision_on_a_tier_that_moved_answers_409(world, as_role, hx):
    resp = as_role("kam").post(f"/accounts/{world.account.id}/selection/decisions", headers=hx, data={
        "decision": "keep", "tier_after": "strategic", "rationale": "mine", "tier_before": "strategic"})
    assert resp.status_code == 409 and "mine" in resp.get_data(as_text=True)


def test_members_change_the_stage_with_a_reason_but_cannot_decide(world, as_role, hx):
    c = as_role("member")
    assert c.post(f"/accounts/{world.account.id}/selection/decisions",
                  data={"decision": "keep", "tier_after": "key", "rationale": "x"}).status_code == 403
    url = f"/accounts/{world.account.id}/selection/stage"
    bad = c.post(url, data={"stage_after": "stabilize", "reason": "", "stage_before": "establish"}, headers=hx)
    assert bad.status_code == 422 and "Give the reason for the change." in bad.get_data(as_text=True)
    ok = c.post(url, data={"stage_after": "stabilize", "reason": "Second order.", "stage_before": "establish"})
    db.session.expire_all()  # the request saved through its own session
    assert ok.status_code == 302 and world.account.relationship_stage == "stabilize"
    assert db.session.scalar(db.select(StageChange.reason)) == "Second order."
    page = c.get(f"/accounts/{world.account.id}/selection").get_data(as_text=True)
    assert "Second order." in page and 'id="stage-history"' in page


def test_the_account_form_no_longer_changes_the_stage(world, as_role):
    resp = as_role("kam").post(f"/accounts/{world.account.id}/edit", data={
        "name": world.account.name, "procurement_model": "centralised", "purchase_pattern": "recurring",
        "currency": "CNY", "tier": "key", "relationship_stage": "strengthen", "version": world.account.version})
    assert resp.status_code == 302
    db.session.refresh(world.account)
    assert world.account.relationship_stage == "establish"
    assert 'name="relationship_stage"' not in as_role("kam").get(
        f"/accounts/{world.account.id}/edit").get_data(as_text=True)


def test_criteria_admin(world, as_role, hx, crit):
    admin = as_role("admin")
    assert as_role("kam").get("/portfolio/criteria").status_code == 403
    page = admin.get("/portfolio/criteria").get_data(as_text=True)
    assert "Channel-partner potential" in page and "渠道合作潜力" in page
    resp = admin.post(f"/portfolio/criteria/{crit.id}/weight", data={"weight": "40", "active": "y"}, headers=hx)
    assert resp.status_code == 200 and resp.get_data(as_text=True).lstrip().startswith('<div id="criteria">')
    db.session.expire_all()  # the request saved through its own session
    assert db.session.get(Criterion, crit.id).weight == 40
    bad = admin.post(f"/portfolio/criteria/{crit.id}/weight", data={"weight": "abc", "active": "y"}, headers=hx)
    assert bad.status_code == 422 and "Enter a weight from 0 to 100." in bad.get_data(as_text=True)
    assert 'value="abc"' in bad.get_data(as_text=True)
    # Deactivate: warned (4 active), not refused.
    resp = admin.post(f"/portfolio/criteria/{crit.id}/weight", data={"weight": "40"}, headers=hx)
    db.session.expire_all()
    assert "3 to 5" not in resp.get_data(as_text=True) and not db.session.get(Criterion, crit.id).active
    new = admin.post("/portfolio/criteria", data={"name_en": "Innovation", "name_zh": "", "weight": "10"}, headers=hx)
    assert new.status_code == 422 and 'value="Innovation"' in new.get_data(as_text=True)
    ok = admin.post("/portfolio/criteria", data={"name_en": "Innovation", "name_zh": "创新", "weight": "10",
                                                 "active": "y"})
    assert ok.status_code == 302
    edit = admin.post(f"/portfolio/criteria/{crit.id}", headers=hx, data={
        f"c{crit.id}-name_en": "Revenue upside", f"c{crit.id}-name_zh": "收入潜力", f"c{crit.id}-weight": "30"})
    db.session.expire_all()
    assert edit.status_code == 200 and db.session.get(Criterion, crit.id).name_en == "Revenue upside"
    assert admin.post("/portfolio/settings", data={"review_due_days": "0"}, headers=hx).status_code == 422
    assert admin.post("/portfolio/settings", data={"review_due_days": "60"}).status_code == 302
    assert services.review_due_days() == 60


def test_chinese_users_see_chinese_criterion_names(world, as_role, crit):
    world.users["member"].language = "zh"
    db.session.commit()
    body = as_role("member").get("/portfolio/matrix").get_data(as_text=True)
    assert crit.name_zh in body and "评分矩阵" in body


def _more_accounts(world, n):
    c = services.list_criteria(active_only=True)
    for i in range(n):
        a = factories.make_account(f"Bulk {i:03d}", revenue_last_year=0 if i % 3 == 0 else 500_000)
        factories.make_member(a, world.users["kam"], role="kam")
        services.set_score(world.users["kam"], a, c[i % len(c)], 1 + i % 10)
        if i % 2:
            services.record_decision(world.users["kam"], a, "keep", "key", "ok")


@pytest.mark.parametrize("url", ["/portfolio", "/portfolio/matrix", "/portfolio?due=1&mine=1"])
def test_pages_run_the_same_queries_for_10_or_many_accounts(world, as_role, url):
    _more_accounts(world, 3)
    c = as_role("kam")
    resp, few = queries_for(c, url)
    assert resp.status_code == 200
    _more_accounts(world, 60)
    resp, many = queries_for(c, url)
    assert resp.status_code == 200 and many == few, (few, many)
    page2 = c.get(url.split("?")[0] + "?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in page2 and "Previous" in page2
    if "matrix" in url:  # its count rides on the page's rows; past the end it counts alone
        from app.selection.queries import matrix
        kam = world.users["kam"]
        assert matrix(kam, page=9)[::2] == ([], matrix(kam, page=1)[2]) and matrix(kam, page=2)[2] == matrix(kam)[2] > 60


def test_the_account_section_runs_a_fixed_number_of_queries(world, as_role, crit):
    c = as_role("kam")
    url = f"/accounts/{world.account.id}/selection"
    _, few = queries_for(c, url)
    for i in range(5):
        services.change_stage(world.users["kam"], world.account, ("stabilize", "establish")[i % 2], f"r{i}")
        services.record_decision(world.users["kam"], world.account, "keep", "key", f"ok {i}")
    services.set_score(world.users["kam"], world.account, crit, 4)
    _, many = queries_for(c, url)
    assert many == few
