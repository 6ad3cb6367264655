"""The scoring arithmetic, free of the database so it can be tested on its own.

A score is 1-10 per active criterion. The weighted total is the weighted mean of
the scores times ten, so it reads 0-100 (all 10s = 100, all 5s = 50). A missing
score adds nothing while its weight still counts: an account cannot climb the
ranking by leaving its weak criteria unscored, and the page says how many are
missing. Inactive criteria keep their scores on record but take no part.
"""


def active_weights(criteria):
    """{criterion_id: weight} of the active criteria with a positive weight."""
    return {c.id: c.weight for c in criteria if c.active and c.weight > 0}


def total_from_points(points, total_weight):
    """0-100 from the sum of weight x score over scored active criteria; None if unscored."""
    if points is None or not total_weight:
        return None
    return round(float(points) / total_weight * 10, 1)


def weighted_total(scores, weights):
    """0-100 for {criterion_id: score} under {criterion_id: weight}; None if nothing counts."""
    counted = {c: s for c, s in scores.items() if c in weights and s is not None}
    if not counted:
        return None
    return total_from_points(sum(weights[c] * s for c, s in counted.items()), sum(weights.values()))


def missing(scores, weights):
    """Active criteria without a score, as a sorted list of ids."""
    return sorted(c for c in weights if scores.get(c) is None)


def weight_shares(weights):
    """{criterion_id: percent of the total active weight}, for the criteria page."""
    total = sum(weights.values())
    return {c: (w / total * 100 if total else 0) for c, w in weights.items()}


def position_from_growth(growth_pct):
    """Map revenue growth to 0-100: -50% or worse is 0, flat is 50, +50% or better is 100."""
    if growth_pct is None:
        return None
    return max(0.0, min(100.0, 50.0 + float(growth_pct)))


def pareto(revenues, share=0.8):
    """Revenue concentration: (cumulative points, k accounts that make `share`, n).

    `revenues` are comparable amounts; the points are (share of accounts, share of
    revenue) from the largest account down, starting at (0, 0).
    """
    values = sorted((max(float(r or 0), 0.0) for r in revenues), reverse=True)
    n, total = len(values), sum(values)
    points, run, k = [(0.0, 0.0)], 0.0, None
    for i, v in enumerate(values, start=1):
        run += v
        points.append((i / n, run / total if total else 0.0))
        if k is None and total and run >= share * total - 1e-9:
            k = i
    return points, k, n
