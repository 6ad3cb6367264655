"""The health arithmetic, part by part: each rule with a case that moves it (no database)."""
import pytest

from app.health import parts
from app.health.parts import Counts


@pytest.fixture(autouse=True)
def _ctx(app):
    with app.test_request_context():
        yield


# What a worked account has: every part known.
WORKED = dict(dm_total=2, cadences=1, channels=3, plans=1, objectives=2, key_contacts=2,
              meetings_held=2, satisfaction_avg=6.0, satisfaction_count=2)


def test_coverage_share_of_decision_makers_with_an_executive_owner():
    score, sentence = parts.coverage(Counts())
    assert score is None and "No decision-maker" in sentence
    assert parts.coverage(Counts(dm_total=4))[0] == 100
    score, sentence = parts.coverage(Counts(dm_total=4, dm_uncovered=1))
    assert score == 75 and str(sentence) == "1 of 4 decision-makers has no executive owner on our side."
    assert str(parts.coverage(Counts(dm_total=4, dm_uncovered=2))[1]).startswith("2 of 4 decision-makers have")
    assert parts.coverage(Counts(dm_total=4, dm_uncovered=4))[0] == 0


def test_cadence_share_kept_and_worst_delay_named():
    assert parts.cadence(Counts())[0] is None
    assert parts.cadence(Counts(cadences=2))[0] == 100
    score, sentence = parts.cadence(Counts(cadences=2, cadences_overdue=1, worst_overdue_days=40))
    assert score == 50 and "40 days" in sentence and "1 of 2 executive meetings is overdue" in str(sentence)


def test_complaints_unknown_without_a_channel_and_cost_points_for_critical_and_breached():
    score, sentence = parts.complaints(Counts())
    assert score is None and str(sentence) == "No complaint channel."
    ch = dict(channels=3)
    assert parts.complaints(Counts(**ch))[0] == 100
    assert parts.complaints(Counts(open_critical=1, **ch))[0] == 100 - parts.CRITICAL_COST
    assert parts.complaints(Counts(breached=1, **ch))[0] == 100 - parts.BREACH_COST
    assert parts.complaints(Counts(open_critical=2, breached=2, **ch))[0] == 0  # never below zero


def test_plan_unknown_without_plan_or_objectives_and_costs_points_for_risk():
    assert str(parts.plan(Counts())[1]) == "No plan yet." and parts.plan(Counts())[0] is None
    assert parts.plan(Counts(plans=1))[0] is None  # a plan with no objective says nothing yet
    p = dict(plans=1, objectives=3)
    assert parts.plan(Counts(**p))[0] == 100
    assert parts.plan(Counts(objectives_at_risk=1, **p))[0] == 100 - parts.RISK_COST
    score, sentence = parts.plan(Counts(objectives_at_risk=1, overdue_actions=2, **p))
    assert score == 100 - parts.RISK_COST - 2 * parts.OVERDUE_ACTION_COST and sentence == "1 objective at risk or off track; 2 actions overdue."


def test_freshness_share_of_key_contacts_spoken_to():
    assert parts.freshness(Counts())[0] is None
    assert parts.freshness(Counts(key_contacts=3))[0] == 100
    assert parts.freshness(Counts(key_contacts=3, stale_contacts=2))[0] == 33


def test_satisfaction_is_the_average_times_ten_and_unknown_without_meetings():
    score, sentence = parts.satisfaction(Counts())
    assert score is None and "No meeting logged" in str(sentence)
    score, sentence = parts.satisfaction(Counts(meetings_held=2))
    assert score is None and "No satisfaction score at the 2 meetings" in str(sentence)
    score, sentence = parts.satisfaction(Counts(meetings_held=2, satisfaction_avg=7.5, satisfaction_count=2))
    assert score == 75 and "7.5" in sentence and "2 recent meetings" in str(sentence)
    assert "one recent meeting" in str(parts.satisfaction(Counts(satisfaction_avg=8, satisfaction_count=1))[1])


def test_weighted_score_over_known_parts_and_worst_first():
    c = Counts(**(WORKED | dict(cadences_overdue=1, worst_overdue_days=10, satisfaction_avg=9)))
    weights = dict(parts.DEFAULT_WEIGHTS)
    h = parts.build(c, weights)
    assert h.known == h.counted == 6 and h.enough
    assert [p.score for p in h.parts] == sorted(p.score for p in h.parts)
    assert h.parts[0].key == "cadence" and h.parts[0].score == 0
    expected = sum(p.score * p.weight for p in h.parts) / sum(weights.values())
    assert h.score == round(expected)
    # Weight 0 leaves the bad part out: the score goes up, and it is not counted.
    better = parts.build(c, weights | {"cadence": 0})
    assert better.score > h.score and better.counted == 5
    assert all(p.label and p.sentence for p in h.parts)


def test_unknown_parts_are_left_out_not_counted_as_perfect():
    # Three known parts, one bad: the unknown three do not lift it to a pass.
    c = Counts(dm_total=2, dm_uncovered=2, channels=3, key_contacts=2)
    h = parts.build(c, parts.DEFAULT_WEIGHTS)
    assert h.known == 3 and h.enough
    w = parts.DEFAULT_WEIGHTS
    assert h.score == round((0 * w["coverage"] + 100 * w["complaints"] + 100 * w["freshness"])
                            / (w["coverage"] + w["complaints"] + w["freshness"]))
    assert [p.known for p in h.parts] == [True, True, True, False, False, False]  # unknown last


def test_below_the_minimum_it_is_not_enough_data():
    h = parts.build(Counts(), parts.DEFAULT_WEIGHTS)
    assert h.score is None and not h.enough and h.known == 0 and h.counted == 6
    assert {str(p.sentence) for p in h.parts} >= {"No plan yet.", "No complaint channel."}
    # One meeting and a channel later: still two of six, still no number.
    two = parts.build(Counts(channels=3, meetings_held=1, satisfaction_avg=9, satisfaction_count=1),
                      parts.DEFAULT_WEIGHTS)
    assert two.known == 2 and two.score is None


def test_an_empty_account_never_outranks_a_worked_one():
    empty = parts.build(Counts(), parts.DEFAULT_WEIGHTS)
    barely = parts.build(Counts(channels=3, meetings_held=1, satisfaction_avg=10, satisfaction_count=1),
                         parts.DEFAULT_WEIGHTS)
    # A worked account in trouble: every part known and most of them bad.
    worked = parts.build(Counts(**(WORKED | dict(dm_uncovered=2, cadences_overdue=1, open_critical=1,
                                                 objectives_at_risk=2, stale_contacts=2, satisfaction_avg=3))),
                         parts.DEFAULT_WEIGHTS)
    assert worked.enough and worked.score < 30
    # The sponsor page and the portfolio list the weakest first, the unscored group after them.
    ranked = sorted([empty, barely, worked], key=lambda h: h.sort_key())
    assert ranked[0] is worked


def test_each_part_moves_with_its_own_data_only():
    base = parts.build(Counts(**WORKED), parts.DEFAULT_WEIGHTS)
    moves = {"coverage": dict(dm_uncovered=1), "cadence": dict(cadences_overdue=1),
             "complaints": dict(open_critical=1), "plan": dict(overdue_actions=1),
             "freshness": dict(stale_contacts=1), "satisfaction": dict(satisfaction_avg=3.0)}
    before = {p.key: p.score for p in base.parts}
    for key, change in moves.items():
        after = {p.key: p.score for p in parts.build(Counts(**(WORKED | change)), parts.DEFAULT_WEIGHTS).parts}
        assert after[key] < before[key], key
        assert {k: v for k, v in after.items() if k != key} == {k: v for k, v in before.items() if k != key}, key


def test_all_weights_zero_is_no_data():
    assert parts.build(Counts(**WORKED), dict.fromkeys(parts.KEYS, 0)).score is None


def test_built_keeps_one_health_per_counts_and_weights():
    """`built` serves the same frozen Health for the same counts and weights, a new one when
    any count or weight differs, and what it serves equals what build makes."""
    import dataclasses

    weights = dict(parts.DEFAULT_WEIGHTS)
    a = parts.built(Counts(channels=1, open_critical=1, dm_total=2), weights)
    assert parts.built(Counts(channels=1, open_critical=1, dm_total=2), weights) is a
    assert a == parts.build(Counts(channels=1, open_critical=1, dm_total=2), weights)
    other = parts.built(Counts(channels=1, open_critical=2, dm_total=2), weights)
    assert other is not a and other.parts != a.parts
    heavier = dict(weights, complaints=weights["complaints"] + 10)
    weighed = parts.built(Counts(channels=1, open_critical=1, dm_total=2), heavier)
    assert weighed is not a and weighed == parts.build(Counts(channels=1, open_critical=1, dm_total=2), heavier)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.score = 100
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.parts[0].score = 100
