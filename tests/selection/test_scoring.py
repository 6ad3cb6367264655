"""The scoring arithmetic: weights, inactive criteria, missing scores, Pareto, position."""
from types import SimpleNamespace

import pytest

from app.selection import scoring


def crit(id, weight, active=True):
    return SimpleNamespace(id=id, weight=weight, active=active)


def test_weighted_total_is_the_weighted_mean_times_ten():
    weights = {1: 30, 2: 70}
    assert scoring.weighted_total({1: 10, 2: 5}, weights) == pytest.approx(65.0)  # (300 + 350) / 100 * 10
    assert scoring.weighted_total({1: 10, 2: 10}, weights) == 100
    assert scoring.weighted_total({1: 1, 2: 1}, weights) == 10


def test_equal_weights_give_the_plain_average():
    assert scoring.weighted_total({1: 4, 2: 6, 3: 8}, {1: 5, 2: 5, 3: 5}) == 60


def test_changing_a_weight_reorders_accounts():
    a, b = {1: 9, 2: 3}, {1: 3, 2: 9}
    assert scoring.weighted_total(a, {1: 80, 2: 20}) > scoring.weighted_total(b, {1: 80, 2: 20})
    assert scoring.weighted_total(a, {1: 20, 2: 80}) < scoring.weighted_total(b, {1: 20, 2: 80})


def test_inactive_criteria_are_kept_out_of_the_total():
    weights = scoring.active_weights([crit(1, 50), crit(2, 50, active=False), crit(3, 0)])
    assert weights == {1: 50}
    assert scoring.weighted_total({1: 8, 2: 1, 3: 1}, weights) == 80


def test_missing_scores_add_nothing_but_their_weight_counts():
    weights = {1: 50, 2: 50}
    assert scoring.weighted_total({1: 8}, weights) == 40  # not 80: no climbing by leaving gaps
    assert scoring.missing({1: 8}, weights) == [2]
    assert scoring.missing({1: 8, 2: None}, weights) == [2]


def test_nothing_scored_or_nothing_active_gives_none():
    assert scoring.weighted_total({}, {1: 50}) is None
    assert scoring.weighted_total({9: 10}, {1: 50}) is None
    assert scoring.weighted_total({1: 10}, {}) is None
    assert scoring.total_from_points(None, 100) is None
    assert scoring.total_from_points(500, 0) is None


def test_sql_points_and_python_agree():
    weights, scores = {1: 25, 2: 20, 3: 15}, {1: 9, 2: 4, 3: 7}
    points = sum(weights[c] * s for c, s in scores.items())
    assert scoring.total_from_points(points, sum(weights.values())) == scoring.weighted_total(scores, weights)


def test_weight_shares_are_percentages_of_the_active_total():
    assert scoring.weight_shares({1: 25, 2: 75}) == {1: 25.0, 2: 75.0}
    assert scoring.weight_shares({1: 0}) == {1: 0}


def test_pareto_counts_the_accounts_that_make_80_percent():
    points, k, n = scoring.pareto([800, 100, 50, 30, 20])
    assert (k, n) == (1, 5)
    assert points[0] == (0.0, 0.0) and points[-1] == (1.0, 1.0)
    _, k, _ = scoring.pareto([100, 100, 100, 100, 100])
    assert k == 4
    _, k, n = scoring.pareto([0, 0])
    assert k is None and n == 2
    assert scoring.pareto([]) == ([(0.0, 0.0)], None, 0)


def test_position_from_growth_is_clamped_to_0_100():
    assert scoring.position_from_growth(0) == 50
    assert scoring.position_from_growth(25) == 75
    assert scoring.position_from_growth(-80) == 0
    assert scoring.position_from_growth(300) == 100
    assert scoring.position_from_growth(None) is None
