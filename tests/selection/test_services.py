"""Selection services: defaults, scores (versioned), decisions, stage changes, the review setting."""
from datetime import timedelta

import pytest

from app.audit.models import AuditEvent
from app.concurrency import StaleEdit
from app.extensions import db
from app.selection import queries, services
from app.selection.models import Criterion, Score, SelectionDecision, StageChange
from app.timeutil import utcnow
from tests import factories


def active(n=None):
    rows = services.list_criteria(active_only=True)
    return rows if n is None else rows[n]


def test_defaults_are_created_on_first_use_in_both_languages(app):
    criteria = services.list_criteria()
    assert len(criteria) == 10
    assert sum(c.active for c in criteria) == 5
    assert sum(c.weight for c in criteria if c.active) == 100
    fit = next(c for c in criteria if c.key == "product_fit")
    assert fit.name("en") == "Product fit" and fit.name("zh") == "产品匹配度"
    assert not services.ensure_default_criteria()  # only once
    assert services.active_count_warning(criteria) is None


def test_fewer_than_3_or_more_than_5_active_warns_without_refusing(app, world):
    criteria = services.list_criteria()
    for c in criteria[2:5]:
        services.update_criterion(world.users["admin"], c, {"active": False})
    with app.test_request_context():  # the warning is a translated string
        assert "3 to 5" in str(services.active_count_warning(services.list_criteria()))
        for c in services.list_criteria():
            services.update_criterion(world.users["admin"], c, {"active": True})
        assert "more than 5" in str(services.active_count_warning(services.list_criteria()))
        assert sum(c.active for c in services.list_criteria()) == 10  # warned, not refused


def test_a_score_records_who_and_when_and_is_audited(app, world):
    kam, c = world.users["kam"], active(0)
    s = services.set_score(kam, world.account, c, 7, " good fit ")
    assert (s.value, s.note, s.scored_by_id) == (7, "good fit", kam.id)
    assert s.scored_at > utcnow() - timedelta(minutes=1)
    services.set_score(world.users["member"], world.account, c, 9, "better", version=s.version)
    s = db.session.get(Score, s.id)
    assert (s.value, s.scored_by_id) == (9, world.users["member"].id)
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.object_type == "Score")).all()
    assert [e.action for e in events] == ["create", "update"]
    assert events[1].changes["value"] == [7, 9] and events[1].account_id == world.account.id


@pytest.mark.parametrize("bad", [0, 11, -3, "7", None, 7.5])
def test_scores_outside_1_to_10_are_refused(app, world, bad):
    with pytest.raises(services.SelectionError):
        services.set_score(world.users["kam"], world.account, active(0), bad)
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0


def test_an_inactive_criterion_cannot_be_scored_but_keeps_its_scores(app, world):
    c = active(0)
    services.set_score(world.users["kam"], world.account, c, 8)
    services.update_criterion(world.users["admin"], c, {"active": False})
    with pytest.raises(services.SelectionError):
        services.set_score(world.users["kam"], world.account, c, 3)
    assert services.find_score(world.account.id, c.id).value == 8
    assert queries.account_selection(world.account)["total"] is None  # kept on record, out of the total


def test_a_stale_score_save_is_refused(app, world):
    c = active(0)
    s = services.set_score(world.users["kam"], world.account, c, 5, version="0")
    old = s.version
    services.set_score(world.users["member"], world.account, c, 6, version=old)
    with pytest.raises(StaleEdit):
        services.set_score(world.users["kam"], world.account, c, 2, version=old)
    # Somebody scored the empty cell since the form was read ("0"): also refused.
    with pytest.raises(StaleEdit):
        services.set_score(world.users["kam"], world.account, c, 1, version="0")
    assert services.find_score(world.account.id, c.id).value == 6


def test_decisions_move_the_tier_and_are_audited(app, world):
    account = world.account  # tier "key"
    d = services.record_decision(world.users["kam"], account, "demote", "developing", "Margin fell to 8%.")
    assert (d.tier_before, d.tier_after, account.tier) == ("key", "developing", "developing")
    actions = {(e.object_type, e.action) for e in db.session.scalars(db.select(AuditEvent))}
    assert {("SelectionDecision", "create"), ("Account", "update")} <= actions
    services.record_decision(world.users["kam"], account, "promote", "strategic", "Won the group contract.")
    assert account.tier == "strategic"


@pytest.mark.parametrize(("decision", "tier", "why"), [
    ("keep", "strategic", "x"), ("promote", "developing", "x"), ("demote", "strategic", "x"),
    ("promote", "key", "x"), ("demote", "key", "   "), ("sell", "key", "x"), ("keep", "gold", "x"),
])
def test_inconsistent_decisions_are_refused(app, world, decision, tier, why):
    with pytest.raises(services.SelectionError):
        services.record_decision(world.users["kam"], world.account, decision, tier, why)
    assert world.account.tier == "key"
    assert db.session.scalar(db.select(db.func.count(SelectionDecision.id))) == 0


def test_a_decision_from_a_tier_that_moved_meanwhile_is_stale(app, world):
    with pytest.raises(StaleEdit):
        services.record_decision(world.users["kam"], world.account, "keep", "key", "ok", tier_before="strategic")


def test_stage_changes_keep_a_history_with_reasons(app, world):
    a = world.account
    services.change_stage(world.users["member"], a, "stabilize", "Second order.")
    services.change_stage(world.users["member"], a, "establish", "Their CIO left; starting over.")
    rows = db.session.scalars(db.select(StageChange).order_by(StageChange.id)).all()
    assert [(r.stage_before, r.stage_after) for r in rows] == [("establish", "stabilize"), ("stabilize", "establish")]
    assert a.relationship_stage == "establish"
    with pytest.raises(services.SelectionError):
        services.change_stage(world.users["member"], a, "establish", "again")
    with pytest.raises(services.SelectionError):
        services.change_stage(world.users["member"], a, "strengthen", "")


def test_due_for_review_uses_the_setting_then_the_config(app, world):
    assert services.review_due_days() == app.config["REVIEW_DUE_DAYS"] == 90
    services.record_decision(world.users["admin"], world.account, "keep", "key", "fine",
                             at=utcnow() - timedelta(days=40))
    rows = {r.account.id: r for r in queries.portfolio(world.users["admin"])[0]}
    assert not rows[world.account.id].due and rows[world.other.id].due
    services.set_review_due_days(world.users["admin"], 30)
    assert services.review_due_days() == 30
    rows = {r.account.id: r for r in queries.portfolio(world.users["admin"])[0]}
    assert rows[world.account.id].due


def test_portfolio_ranks_by_weighted_score_and_follows_weights(app, world):
    admin = world.users["admin"]
    c1, c2 = active(0), active(1)
    for c in active()[2:]:
        services.update_criterion(admin, c, {"active": False})
    third = factories.make_account("Unscored Co")
    services.set_score(admin, world.account, c1, 9)
    services.set_score(admin, world.account, c2, 2)
    services.set_score(admin, world.other, c1, 3)
    services.set_score(admin, world.other, c2, 8)
    services.update_criterion(admin, c1, {"weight": 80})
    services.update_criterion(admin, c2, {"weight": 20})
    rows, _, _ = queries.portfolio(admin)
    assert [r.account.id for r in rows] == [world.account.id, world.other.id, third.id]
    assert rows[0].total == 76.0 and rows[2].total is None and rows[2].rank is None
    services.update_criterion(admin, c1, {"weight": 10})
    rows, _, _ = queries.portfolio(admin)
    assert rows[0].account.id == world.other.id


def test_portfolio_and_matrix_show_only_visible_accounts(app, world):
    kam = world.users["kam"]
    assert [r.account.id for r in queries.portfolio(kam)[0]] == [world.account.id]
    rows, _, total = queries.matrix(kam)
    assert total == 1 and rows[0].can_score
    rows, _, _ = queries.matrix(world.users["observer"])
    assert not rows[0].can_score


def test_criteria_changes_are_audited(app, world):
    c = services.create_criterion(world.users["admin"], dict(
        name_en="Innovation appetite", name_zh="创新意愿", description_en="", description_zh="",
        weight=10, active=False))
    services.update_criterion(world.users["admin"], c, {"weight": 15})
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.object_type == "Criterion",
                                                            AuditEvent.object_id == c.id)).all()
    assert [e.action for e in events] == ["create", "update"]
    assert db.session.get(Criterion, c.id).position > 0


def test_position_of_uses_growth_until_a_provider_is_registered(app, world):
    from app.selection import charts

    flat = factories.make_account("Flat Co", revenue_this_year=100, revenue_last_year=100)
    new = factories.make_account("New Co", revenue_this_year=100, revenue_last_year=0)
    assert charts.position_of([world.account.id, flat.id, new.id]) == {world.account.id: 75.0, flat.id: 50.0}
    assert charts.position_of([]) == {}
    charts.set_position_provider(lambda ids: {i: 42.0 for i in ids}, "Share of wallet")
    try:
        assert charts.position_of([new.id]) == {new.id: 42.0}
        assert charts.position_label() == "Share of wallet"
    finally:
        charts.set_position_provider(None, None)
