"""The health arithmetic, part by part: each rule with a case that moves it (no database)."""
import pytest

from app.health import parts
from app.health.parts import Counts


@pytest.fixture(autouse=True)
def _ctx(app):
    with app.test_request_context():
        yield


def test_coverage_share_of_decision_makers_with_an_executive_owner():
    assert parts.coverage(Counts())[0] == parts.NO_DATA_SCORE
    assert parts.coverage(Counts(dm_total=4))[0] == 100
    score, sentence = parts.coverage(Counts(dm_total=4, dm_uncovered=1))
    assert score == 75 and "1 of 4" in sentence
    assert parts.coverage(Counts(dm_total=4, dm_uncovered=4))[0] == 0


def test_cadence_share_kept_and_worst_delay_named():
    assert parts.cadence(Counts())[0] == parts.NO_DATA_SCORE
    assert parts.cadence(Counts(cadences=2))[0] == 100
    score, sentence = parts.cadence(Counts(cadences=2, cadences_overdue=1, worst_overdue_days=40))
    assert score == 50 and "40 days" in sentence


def test_complaints_cost_points_for_critical_and_breached():
    assert parts.complaints(Counts())[0] == 100
    assert parts.complaints(Counts(open_critical=1))[0] == 100 - parts.CRITICAL_COST
    assert parts.complaints(Counts(breached=1))[0] == 100 - parts.BREACH_COST
    assert parts.complaints(Counts(open_critical=2, breached=2))[0] == 0  # never below zero


def test_plan_costs_points_for_risky_objectives_and_overdue_actions():
    assert parts.plan(Counts())[0] == 100
    assert parts.plan(Counts(objectives_at_risk=1))[0] == 100 - parts.RISK_COST
    score, sentence = parts.plan(Counts(objectives_at_risk=1, overdue_actions=2))
    assert score == 100 - parts.RISK_COST - 2 * parts.OVERDUE_ACTION_COST and sentence == "1 objective at risk or off track; 2 actions overdue."


def test_freshness_share_of_key_contacts_spoken_to():
    assert parts.freshness(Counts())[0] == parts.NO_DATA_SCORE
    assert parts.freshness(Counts(key_contacts=3))[0] == 100
    assert parts.freshness(Counts(key_contacts=3, stale_contacts=2))[0] == 33


def test_satisfaction_is_the_average_times_ten():
    assert parts.satisfaction(Counts())[0] == parts.NO_DATA_SCORE
    score, sentence = parts.satisfaction(Counts(satisfaction_avg=7.5, satisfaction_count=2))
    assert score == 75 and "7.5" in sentence


def test_weighted_score_and_worst_first():
    c = Counts(dm_total=2, cadences=1, cadences_overdue=1, worst_overdue_days=10, key_contacts=1,
               satisfaction_avg=9, satisfaction_count=1)
    weights = dict(parts.DEFAULT_WEIGHTS)
    h = parts.build(c, weights)
    assert [p.score for p in h.parts] == sorted(p.score for p in h.parts)
    assert h.parts[0].key == "cadence" and h.parts[0].score == 0
    expected = sum(p.score * p.weight for p in h.parts) / sum(weights.values())
    assert h.score == round(expected)
    # Weight 0 leaves the bad part out: the score goes up.
    better = parts.build(c, weights | {"cadence": 0})
    assert better.score > h.score
    assert all(p.label and p.sentence for p in h.parts)


def test_all_weights_zero_is_no_data():
    assert parts.build(Counts(), dict.fromkeys(parts.KEYS, 0)).score == parts.NO_DATA_SCORE
