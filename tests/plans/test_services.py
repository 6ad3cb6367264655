"""Plan services: share of wallet, overdue actions, pipeline, carry-over, version checks."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.actions.services import my_actions, update_action
from app.concurrency import StaleEdit
from app.extensions import db
from app.plans import objectives as obj
from app.plans import services
from app.timeutil import today
from tests import factories
from tests.querycount import count_queries


@pytest.mark.parametrize(("value", "spend", "expected"), [
    (25, 100, 25.0), (1, 3, 33.3), (2, 3, 66.7), (0, 50, 0.0), (150, 100, 150.0),
    (10, 0, None), (10, None, None), (None, 100, None), (Decimal("4250000"), Decimal("9000000"), 47.2),
])
def test_wallet_share_arithmetic(value, spend, expected):
    assert services.wallet_share(value, spend) == expected


def test_share_of_wallet_for_many_accounts_in_one_query(world, plan):
    kam = world.users["kam"]
    services.update_section(kam, plan, "position", {"annual_value": Decimal(300), "category_spend": Decimal(1200)},
                            plan.position.version)
    no_spend = factories.make_account("No spend yet")
    services.start_plan(kam, no_spend)
    no_plan = factories.make_account("No plan")
    ids = [world.account.id, no_spend.id, no_plan.id]
    with count_queries() as q:
        shares = services.share_of_wallet(ids)
    assert q.count == 1
    assert shares == dict(zip(ids, [25.0, None, None], strict=True))
    assert services.share_of_wallet([]) == {}


def test_share_of_wallet_reads_the_open_plan_only(world, plan):
    kam = world.users["kam"]
    services.update_section(kam, plan, "position", {"annual_value": 10, "category_spend": 100}, plan.position.version)
    new = services.load_plan(world.account.id, obj.start_next_plan(kam, plan).id)
    services.update_section(kam, new, "position", {"annual_value": 30, "category_spend": 100}, new.position.version)
    assert services.share_of_wallet([world.account.id]) == {world.account.id: 30.0}


def _objective_with_actions(world, plan, dues_and_statuses):
    kam = world.users["kam"]
    o = obj.add_objective(kam, plan, {"title": "Win the tender", "horizon": "short"})
    items = []
    for due, status in dues_and_statuses:
        item = obj.add_objective_action(kam, plan, o, f"Step due {due}", world.users["member"].id, due)
        if status != "open":
            update_action(kam, item, {"status": status})
        items.append(item)
    return o, items


def test_overdue_means_open_and_due_before_today(world, plan):
    t = today()
    o, items = _objective_with_actions(world, plan, [
        (t - timedelta(days=1), "open"), (t - timedelta(days=30), "in_progress"), (t, "open"),
        (t - timedelta(days=3), "done"), (t - timedelta(days=3), "cancelled"), (None, "open"),
        (t + timedelta(days=5), "open")])
    assert [i.is_overdue for i in items] == [True, True, False, False, False, False, False]
    summary = obj.overview_summary(world.account)
    assert summary["overdue"] == 2
    assert summary["by_status"] == {"on_track": 1}


def test_the_plan_card_counts_its_own_plan_only_in_three_queries(world, plan):
    """The open plan, its overdue count and its share of wallet come in one statement."""
    kam = world.users["kam"]
    services.update_section(kam, plan, "position", {"annual_value": 300, "category_spend": 1200},
                            plan.position.version)
    _objective_with_actions(world, plan, [(today() - timedelta(days=2), "open")])
    factories.make_member(world.other, world.users["member"])
    other = services.load_plan(world.other.id, services.start_plan(kam, world.other, year=2026).id)
    _objective_with_actions(world, other, [(today() - timedelta(days=2), "open")] * 3)
    account_id = world.account.id
    db.session.expire_all()
    account = db.session.get(type(world.account), account_id)
    with count_queries() as q:
        summary = obj.overview_summary(account)
    assert q.count == 3, q.statements
    assert (summary["overdue"], summary["share"], summary["plan"].id) == (1, 25.0, plan.id)
    assert obj.overview_summary(world.other)["overdue"] == 3 and obj.overview_summary(world.other)["share"] is None


def test_pipeline_weighted_unweighted_won_and_lost_this_year(world, plan):
    kam, acc = world.users["kam"], world.account
    obj.add_opportunity(kam, acc, {"name": "A", "stage": "proposal", "value": Decimal(1000), "probability": 40})
    obj.add_opportunity(kam, acc, {"name": "B", "stage": "negotiation", "value": Decimal(500), "probability": 70})
    obj.add_opportunity(kam, acc, {"name": "C", "stage": "won", "value": Decimal(800), "probability": 100,
                                   "reason": "Best service", "closed_on": date(2026, 3, 1)})
    obj.add_opportunity(kam, acc, {"name": "D", "stage": "lost", "value": Decimal(300), "probability": 0,
                                   "reason": "Price", "closed_on": date(2026, 5, 1)})
    obj.add_opportunity(kam, acc, {"name": "E", "stage": "lost", "value": Decimal(999), "probability": 0,
                                   "reason": "Old news", "closed_on": date(2025, 5, 1)})
    p = obj.pipeline(acc.id, 2026)
    assert (p["open_count"], Decimal(p["open_value"]), Decimal(p["weighted"])) == (2, 1500, 750)
    assert (p["won_count"], Decimal(p["won_value"]), p["lost_count"], Decimal(p["lost_value"])) == (1, 800, 1, 300)
    assert [o.name for o in obj.opportunities_of(acc.id, 2026)] == ["A", "B", "C", "D"]


def test_won_or_lost_needs_a_reason_and_gets_a_close_date(world):
    kam = world.users["kam"]
    with pytest.raises(services.PlanError):
        obj.add_opportunity(kam, world.account, {"name": "X", "stage": "lost", "reason": " "})
    opp = obj.add_opportunity(kam, world.account, {"name": "X", "stage": "bidding"})
    assert opp.closed_on is None
    obj.update_opportunity(kam, opp, {"name": "X", "stage": "won", "reason": "Reference visit"}, opp.version)
    assert opp.closed_on == today()


def test_objective_owner_must_be_on_the_team(world, plan):
    with pytest.raises(services.PlanError):
        obj.add_objective(world.users["kam"], plan, {"title": "T", "horizon": "mid",
                                                     "owner_id": world.users["outsider"].id})


def test_a_save_based_on_an_old_version_is_refused_and_changes_nothing(world, plan):
    kam, member = world.users["kam"], world.users["member"]
    v = plan.business.version
    services.update_section(kam, plan, "business", {"strategy": "Kim's strategy"}, v)
    with pytest.raises(StaleEdit) as e:
        services.update_section(member, plan, "business", {"strategy": "Mo's strategy"}, v)
    assert plan.business.strategy == "Kim's strategy"
    assert e.value.last_event.actor_id == kam.id


def test_moving_a_swot_line_does_not_make_its_editor_stale(world, plan):
    kam = world.users["kam"]
    a = services.add_swot_item(kam, plan, "threat", "Price war")
    b = services.add_swot_item(kam, plan, "threat", "New entrant")
    version = a.version
    assert services.move_swot_item(kam, plan, b, -1)
    db.session.expire_all()
    services.update_swot_item(kam, plan, a, "Price war from Zhice", version)
    plan = services.load_plan(plan.account_id, plan.id)
    assert [i.text for i in plan.swot_items] == ["New entrant", "Price war from Zhice"]


def test_next_years_plan_carries_over_what_is_not_done(world, plan):
    kam = world.users["kam"]
    services.update_section(kam, plan, "business", {"strategy": "Grow"}, plan.business.version)
    services.add_swot_item(kam, plan, "strength", "Trusted")
    done = obj.add_objective(kam, plan, {"title": "Done one", "horizon": "short", "status": "done"})
    open_o, (open_a, done_a) = _objective_with_actions(world, plan, [(None, "open"), (None, "done")])
    plan = services.load_plan(plan.account_id, plan.id)
    new = obj.start_next_plan(kam, plan)
    new = services.load_plan(plan.account_id, new.id)
    old = services.load_plan(plan.account_id, plan.id)
    assert not old.is_open and new.is_open and new.year == 2027 and new.previous_id == old.id
    assert [o.title for o in new.objectives] == ["Win the tender"]
    assert new.objectives[0].carried_from_id == open_o.id
    assert [a.id for a in new.objectives[0].actions] == [open_a.id]
    assert [a.id for a in next(o for o in old.objectives if o.id == open_o.id).actions] == [done_a.id]
    assert new.business.strategy == "Grow" and [s.text for s in new.swot_items] == ["Trusted"]
    assert done.id in {o.id for o in old.objectives}
    with pytest.raises(services.PlanError):
        services.update_section(kam, old, "business", {"strategy": "Rewrite history"}, old.business.version)
    with pytest.raises(services.PlanError):
        obj.start_next_plan(kam, old)


def test_my_actions_show_their_objective(world, plan):
    o, _ = _objective_with_actions(world, plan, [(today(), "open")])
    mine = my_actions(world.users["member"])
    mine = mine[0]
    assert [(a.objective.id, a.objective.title) for a in mine] == [(o.id, "Win the tender")]


def test_a_whole_plan_loads_in_four_statements_with_its_sections_joined(world, plan):
    """The plan row brings its two one-to-one sections (and who last edited them) in the same
    SELECT; the SWOT, the objectives and their actions come in one SELECT each, and nothing
    the page shows loads later."""
    kam = world.users["kam"]
    services.update_section(kam, plan, "position", {"annual_value": Decimal(300), "category_spend": Decimal(1200)},
                            plan.position.version)
    from tests.health.factories import make_action, make_objective

    objective = make_objective(world.account)
    action = make_action(world.account, owner=kam)
    action.objective_id = objective.id
    db.session.commit()
    account_id, kam_name = world.account.id, kam.name
    db.session.expunge_all()
    with count_queries() as q:
        loaded = services.load_plan(account_id)
        assert loaded.business is not None and loaded.position.annual_value == Decimal(300)
        assert loaded.position.updated_by.name == kam_name
        owners = [a.owner.name for o in loaded.objectives for a in o.actions]
        [(o.owner, o.updated_by) for o in loaded.objectives]
        list(loaded.swot_items)
    assert owners == [kam_name]
    assert q.count == 4, q.statements
    assert "plan_business" in q.statements[0] and "plan_position" in q.statements[0]
