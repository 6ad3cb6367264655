"""The search service: Chinese, pinyin, width folding, access at query time, the index in step."""
from datetime import timedelta

import pytest

from app.extensions import db
from app.search.models import SearchDoc
from app.search.services import search
from app.timeutil import today, utcnow
from tests.querycount import count_queries


@pytest.fixture(autouse=True, params=["by account", "by trigram"])
def plan(request, monkeypatch):
    """Every test twice: a user on few accounts (LIKE over their rows) and on many (FTS5 on SQLite)."""
    from app.search import services
    monkeypatch.setattr(services, "FTS_FROM_ACCOUNTS", 10**6 if request.param == "by account" else 0)
    return request.param


def cdata(contact, **changes):
    from app.stakeholders.services import CONTACT_FIELDS
    return {**{f: getattr(contact, f) for f in CONTACT_FIELDS}, **changes}


def titles(results, kind=None):
    return [h.title for g in results.groups if kind in (None, g.kind) for h in g.hits]


def kinds(results):
    return {g.kind for g in results.groups}


def test_two_character_chinese_query(sw):
    r = search(sw.w.users["member"], "王芳")
    assert titles(r, "contact") == ["王芳"]
    assert r.groups[0].hits[0].account_name == sw.w.account.name


def test_three_characters_and_more_use_the_trigram_index(sw):
    assert titles(search(sw.w.users["kam"], "质量总监"), "contact") == ["张伟"]
    assert "张伟" in titles(search(sw.w.users["kam"], "quality director"))


@pytest.mark.parametrize("q", ["zhangwei", "zw", "ZhangWei", "zhang wei"])
def test_pinyin_full_and_initials_find_the_chinese_name(sw, q):
    assert "张伟" in titles(search(sw.w.users["kam"], q), "contact")


def test_full_width_and_half_width_match(sw):
    assert "张伟" in titles(search(sw.w.users["kam"], "ＱＵＡＬＩＴＹ"))  # full-width query
    from app.stakeholders import services
    services.update_contact(sw.w.users["kam"], sw.wang, cdata(sw.wang, phone="＋８６ ２１ ６６６６"), sw.wang.version)
    assert titles(search(sw.w.users["kam"], "+86 21 6666"), "contact") == ["王芳"]  # full-width text


def test_contact_fields_are_searched(sw):
    kam = sw.w.users["kam"]
    for q in ("zhang.wei@huadong", "5555 0101", "质量部"):
        assert "张伟" in titles(search(kam, q), "contact"), q


def test_another_teams_account_gives_no_result(sw):
    for role in ("kam", "member", "sponsor", "observer"):
        for q in ("赵秘密", "保密总监", "Secret", "zms"):
            assert search(sw.w.users[role], q).groups == [], (role, q)
    # ... while B's own team, and admins, find it.
    assert titles(search(sw.w.users["outsider"], "保密总监")) == ["赵秘密 Zhao Secret"]
    assert titles(search(sw.w.users["admin"], "保密")) == ["赵秘密 Zhao Secret"]


def test_leaving_the_team_hides_results_at_once(sw):
    from app.team import services as team

    member = sw.w.users["member"]
    assert search(member, "王芳").groups
    team.leave(sw.w.users["kam"], sw.w.memberships["member"])
    assert search(member, "王芳").groups == []


def test_archived_account_drops_out(sw):
    from app.accounts import services as accounts

    accounts.set_archived(sw.w.users["kam"], sw.w.account, True)
    assert search(sw.w.users["kam"], "王芳").groups == []
    accounts.set_archived(sw.w.users["kam"], sw.w.account, False)
    assert search(sw.w.users["kam"], "王芳").groups


def test_best_first_and_grouped(sw):
    from app.stakeholders import services

    services.create_contact(sw.w.users["kam"], sw.w.account, {"name": "Li Na", "title": "Quality engineer"})
    r = search(sw.w.users["kam"], "quality")
    assert [g.kind for g in r.groups] == ["contact", "department"]
    # a heading match ranks above a match in the text
    assert titles(search(sw.w.users["kam"], "质量"), "department") == ["质量部 Quality"]
    assert r.total == sum(g.total for g in r.groups)


def test_like_wildcards_in_the_query_are_literal(sw):
    assert search(sw.w.users["kam"], "%").groups == []
    assert search(sw.w.users["kam"], "_").groups == []
    assert search(sw.w.users["kam"], '"').groups == []


@pytest.mark.parametrize("q", ['title:abc', 'NEAR(abc def)', '" OR "', 'abc*', '^abc', '""""', "a'b'c",
                               "\\%_", "( ) AND OR NOT", "🙂🙂🙂"])
def test_query_syntax_is_taken_literally(sw, q):
    assert search(sw.w.users["admin"], q).groups == []
    assert search(sw.w.users["kam"], q).groups == []


def test_a_fixed_number_of_queries(sw):
    from app.stakeholders import services

    kam = sw.w.users["kam"]
    search(kam, "质量")
    with count_queries() as few:
        search(kam, "质量")
        search(kam, "quality")
    for i in range(15):
        services.create_contact(kam, sw.w.account, {"name": f"质量员{i}", "title": "Quality"})
    assert kam.is_admin is False  # reload the user the commits expired, outside the count
    with count_queries() as many:
        search(kam, "质量")
        search(kam, "quality")
    assert few.count == many.count <= 4  # per search: the account count (SQLite), the search


# ---- always in step: every service that writes searchable text ---------------------------

def found(user, q, kind):
    return [h.object_id for g in search(user, q).groups if g.kind == kind for h in g.hits]


def test_accounts_and_contacts_through_their_services(sw):
    from app.accounts import services as accounts
    from app.stakeholders import services

    kam = sw.w.users["kam"]
    accounts.update_account(kam, sw.w.account, {"region": "杭州 Hangzhou"}, sw.w.account.version)
    assert found(kam, "杭州", "account") == [sw.w.account.id]
    new = accounts.create_account(kam, {"name": "青松食品 Evergreen Foods"})
    assert found(kam, "qingsong", "account") == [new.id]
    services.update_contact(kam, sw.zhang, cdata(sw.zhang, title="首席质量官 Chief quality officer"),
                            sw.zhang.version)
    assert found(kam, "首席质量官", "contact") == [sw.zhang.id]
    assert found(kam, "质量总监", "contact") == []
    services.mark_left(kam, sw.zhang, left_on=today(), left_to="Competitor")
    hit = search(kam, "张伟").groups[0].hits[0]
    assert hit.extra == "left"  # still on record, marked left


def test_departments_through_their_services(sw):
    from app.stakeholders import services

    kam = sw.w.users["kam"]
    services.update_department(kam, sw.dept, {"name": "品质保证部 QA", "function": "quality", "parent_id": None,
                                              "notes": "负责来料检验 incoming inspection"})
    assert found(kam, "品质", "department") == [sw.dept.id]
    assert found(kam, "incoming inspection", "department") == [sw.dept.id]
    assert found(kam, "品质保证", "contact") == [sw.zhang.id]  # the contact carries the new name
    services.remove_department(kam, sw.dept)
    assert found(kam, "品质", "department") == []


def test_interactions_and_checkin_notes(sw):
    from app.health import sponsor
    from app.stakeholders import services

    kam = sw.w.users["kam"]
    services.log_interaction(kam, sw.w.account, kind="visit", occurred_on=today(), contact_ids=[sw.zhang.id],
                             note="参观了新产线 toured the new line")
    assert len(found(kam, "新产线", "interaction")) == 1
    sponsor.add_note(sw.w.users["sponsor"], sw.w.account, "客户对交付很满意 happy with delivery")
    assert len(found(kam, "交付", "checkin")) == 1


def test_complaints_through_their_services(sw):
    from app.complaints import services

    kam = sw.w.users["kam"]
    c = services.log_complaint(kam, sw.w.account, channel_id=sw.channel.id, subject="包装破损 Damaged packaging",
                               received_at=utcnow() - timedelta(hours=2), description="第三批货 third batch")
    assert found(kam, "包装", "complaint") == [c.id]
    assert found(kam, "third batch", "complaint") == [c.id]
    from app.complaints.services import EDITABLE
    services.update_complaint(kam, c, {**{f: getattr(c, f) for f in EDITABLE}, "subject": "外箱受潮 Wet cartons"},
                              c.version)
    assert found(kam, "受潮", "complaint") == [c.id] and found(kam, "包装", "complaint") == []
    services.transition(kam, c, "resolved", resolution="Re-packed", root_cause="仓库漏水 warehouse roof leak")
    assert found(kam, "漏水", "complaint") == [c.id]


def test_meetings_and_their_actions(sw):
    from app.meetings import services

    kam = sw.w.users["kam"]
    data = dict(kind="executive", status="held", title="年度高层会谈 Annual executive review",
                starts_at=utcnow() - timedelta(days=3), duration_minutes=60, location="", agenda="续约 renewal",
                summary="", decisions="三年框架协议 three-year frame deal", satisfaction=8)
    m = services.create_meeting(kam, sw.w.account, data, [kam.id], [sw.zhang.id])
    assert found(kam, "高层", "meeting") == [m.id]
    assert found(kam, "框架协议", "meeting") == [m.id]
    services.update_meeting(kam, m, {**data, "summary": "讨论了价格 pricing discussed"}, [kam.id], [], m.version)
    assert found(kam, "pricing", "meeting") == [m.id]
    a = services.add_action(kam, m, sw.w.account, title="发送报价 Send the quote")
    assert found(kam, "报价", "action") == [a.id]


def test_plan_text_objectives_and_actions(sw):
    from app.plans import objectives, services

    kam, account = sw.w.users["kam"], sw.w.account
    plan = services.load_plan(account.id, services.start_plan(kam, account).id)
    services.update_section(kam, plan, "business", {"strategy": "扩大华南产能 expand capacity in the south"},
                            plan.business.version)
    assert len(found(kam, "华南", "business")) == 1
    plan = services.load_plan(account.id, plan.id)
    services.update_section(kam, plan, "position", {"narrative": "我们是第二供应商 second source"},
                            plan.position.version)
    assert len(found(kam, "second source", "position")) == 1
    item = services.add_swot_item(kam, plan, "threat", "竞争对手降价 competitor price cut")
    assert found(kam, "降价", "swot") == [item.id]
    services.delete_swot_item(kam, plan, item)
    assert found(kam, "降价", "swot") == []
    o = objectives.add_objective(kam, plan, {"title": "赢得MES招标 Win the MES tender", "horizon": "short"})
    assert found(kam, "招标", "objective") == [o.id]
    objectives.update_objective(kam, plan, o, {"title": "赢得MES二期 Win MES phase two"}, o.version)
    assert found(kam, "二期", "objective") == [o.id]
    act = objectives.add_objective_action(kam, plan, o, "安排参观 Book the reference visit")
    hit = next(h for g in search(kam, "参观").groups for h in g.hits if g.kind == "action")
    assert hit.parent_id == plan.id and hit.extra == "plan"
    objectives.edit_action(kam, act, {"title": "安排工厂参观 Book the plant visit"}, act.version)
    assert found(kam, "工厂参观", "action") == [act.id]
    # Next year's plan carries the open action over (a bulk UPDATE): its link follows.
    new = objectives.start_next_plan(kam, services.load_plan(account.id, plan.id))
    hit = next(h for g in search(kam, "工厂参观").groups for h in g.hits if g.kind == "action")
    assert hit.parent_id == new.id


def test_reindex_rebuilds_the_same_index(sw, runner):
    def snapshot():
        return sorted(db.session.execute(db.select(
            SearchDoc.kind, SearchDoc.object_id, SearchDoc.account_id, SearchDoc.title, SearchDoc.body,
            SearchDoc.pinyin, SearchDoc.extra)).all())

    before = snapshot()
    assert before
    db.session.execute(db.delete(SearchDoc))
    db.session.commit()
    assert search(sw.w.users["kam"], "王芳").groups == []
    result = runner.invoke(args=["search-reindex"])
    assert result.exit_code == 0, result.output
    assert "rebuilt" in result.output
    db.session.expire_all()
    assert snapshot() == before
    assert titles(search(sw.w.users["kam"], "王芳")) == ["王芳"]
    assert titles(search(sw.w.users["kam"], "质量总监")) == ["张伟"]


def test_very_common_words_rank_only_the_first_candidates(sw, monkeypatch):
    from app.search import services
    from app.stakeholders import services as stakeholders

    for i in range(4):
        stakeholders.create_contact(sw.w.users["kam"], sw.w.account, {"name": f"Quality {i}"})
    monkeypatch.setattr(services, "CANDIDATES", 3)
    r = search(sw.w.users["admin"], "quality")
    assert r.capped and r.total == 4  # CANDIDATES + 1 looked at
    assert not search(sw.w.users["admin"], "王芳").capped
