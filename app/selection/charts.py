"""The portfolio's two pictures as plain geometry for server-side SVG templates (no JS).

`position_of` is the hook for "our position" on the 2x2: revenue growth for now;
the account-plan feature can register share of wallet with `set_position_provider`.
"""
from flask import current_app

from app.accounts.models import Account
from app.extensions import db
from app.selection import scoring
from app.sqlin import among
from app.translate import lazy_gettext as _l

# Planning rates to one reporting currency, so revenue in USD and CNY can be compared.
# A deployment sets PLANNING_RATES in the config; these are round defaults.
DEFAULT_RATES = {"CNY": 1.0, "USD": 7.1, "EUR": 7.7}
REPORTING_CURRENCY = "CNY"

_provider = {"fn": None, "label": None}
TIER_COLORS = {"strategic": "#6a4bc4", "key": "#1f5fa8", "developing": "#2e7d4f", "maintain": "#7a8491"}


def set_position_provider(fn, label):
    """Let another feature define "our position": fn(account_ids) -> {account_id: 0-100}."""
    _provider.update(fn=fn, label=label)


def position_label():
    return _provider["label"] or _l("Our position (revenue growth from %(low)s to %(high)s)", low="−50%", high="+50%")


def position_of(account_ids):
    """{account_id: our position 0-100} in one query; accounts without a basis are left out."""
    ids = list(account_ids)
    if not ids:
        return {}
    if _provider["fn"] is not None:
        return _provider["fn"](ids)
    rows = db.session.execute(db.select(Account.id, Account.revenue_this_year, Account.revenue_last_year)
                              .where(among(Account.id, ids)))
    result = {}
    for a_id, this, last in rows:
        if last:
            result[a_id] = scoring.position_from_growth(float((this - last) / last * 100))
    return result


def rates():
    return current_app.config.get("PLANNING_RATES") or DEFAULT_RATES


def in_reporting_currency(amount, currency):
    """An amount converted at the planning rate (unknown currencies count at 1)."""
    return float(amount or 0) * rates().get(currency, 1.0)


# SVG frame shared by both pictures: width, height and the plot margins.
W, H, LEFT, RIGHT, TOP, BOTTOM = 520, 380, 56, 16, 16, 48
PW, PH = W - LEFT - RIGHT, H - TOP - BOTTOM


def _x(v):
    return round(LEFT + v / 100 * PW, 1)


def _y(v):
    return round(TOP + (1 - v / 100) * PH, 1)


def quadrant(rows, positions):
    """Points of the attractiveness (score) x position 2x2, and how many could not be placed."""
    points, unplaced = [], 0
    for r in rows:
        pos = positions.get(r.account.id)
        if r.total is None or pos is None:
            unplaced += 1
            continue
        points.append({"x": _x(pos), "y": _y(r.total), "row": r, "position": round(pos),
                       "label": str(r.rank or "")})
    ticks = [{"v": v, "x": _x(v), "y": _y(v)} for v in (0, 25, 50, 75, 100)]
    return {"w": W, "h": H, "left": LEFT, "top": TOP, "right": W - RIGHT, "bottom": H - BOTTOM,
            "mid_x": _x(50), "mid_y": _y(50), "points": points, "unplaced": unplaced, "ticks": ticks,
            "axis_label": position_label(), "colors": TIER_COLORS}


def pareto_chart(rows, share=0.8):
    """The cumulative revenue curve, and in numbers: k of n accounts make `share` of revenue."""
    revenues = [in_reporting_currency(r.account.revenue_this_year, r.account.currency) for r in rows]
    curve, k, n = scoring.pareto(revenues, share)
    polyline = " ".join(f"{_x(a * 100)},{_y(b * 100)}" for a, b in curve)
    ticks = [{"v": v, "x": _x(v), "y": _y(v)} for v in (0, 20, 40, 60, 80, 100)]
    marker = None
    if k:
        marker = {"x": _x(k / n * 100), "y": _y(share * 100)}
    return {"w": W, "h": H, "left": LEFT, "top": TOP, "right": W - RIGHT, "bottom": H - BOTTOM,
            "polyline": polyline, "k": k, "n": n, "share_pct": round(share * 100),
            "accounts_pct": round(k / n * 100) if k else None, "marker": marker, "ticks": ticks,
            "line_y": _y(share * 100), "currency": REPORTING_CURRENCY,
            "mixed": len({r.account.currency for r in rows}) > 1, "rates": rates()}
