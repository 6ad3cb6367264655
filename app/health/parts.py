"""The health parts: each turns a few counts into a score 0-100 and a sentence. Pure, no queries.

`services.health_for` counts in SQL for many accounts at once, then calls these rules, so
each rule is unit-tested with plain numbers (see tests/health/test_parts.py).
"""
from dataclasses import dataclass, field

from flask_babel import LazyString, gettext
from flask_babel import lazy_ngettext as ngettext

from app.translate import lazy_gettext as _
from app.translate import lazy_gettext as _l

# `_` and `ngettext` are lazy here: a page scoring forty accounts shows the reasons of a few,
# and translating every sentence up front was most of the sponsor page's time.

# Part keys in a stable order, their labels and default weights (an admin changes the weights).
PARTS = (
    ("coverage", _l("Decision-maker coverage"), 25),
    ("cadence", _l("Executive meeting cadence"), 15),
    ("complaints", _l("Complaints"), 20),
    ("plan", _l("Plan execution"), 15),
    ("freshness", _l("Contact freshness"), 10),
    ("satisfaction", _l("Customer satisfaction"), 15),
)
KEYS = tuple(k for k, _label, _w in PARTS)
LABELS = {k: label for k, label, _w in PARTS}
DEFAULT_WEIGHTS = {k: w for k, _label, w in PARTS}
# What each bad thing costs its part, in points.
CRITICAL_COST, BREACH_COST = 40, 25
RISK_COST, OVERDUE_ACTION_COST = 20, 10
NO_DATA_SCORE = None  # a part without the data it needs is unknown: left out, never perfect
# Below this many known parts (of those with a weight) the score reads "not enough data".
MIN_KNOWN = 3


@dataclass(frozen=True)
class Part:
    """One named part of an account's health."""

    key: str
    weight: int
    score: int | None  # None: unknown, the sentence says what is missing
    sentence: str

    @property
    def label(self):
        return str(LABELS[self.key])

    @property
    def known(self):
        return self.score is not None


@dataclass(frozen=True)
class Health:
    """An account's health: the weighted score and its parts, worst first."""

    score: int | None  # None: not enough data (fewer than MIN_KNOWN known parts)
    parts: list = field(default_factory=list)
    known: int = 0  # parts with data (and a weight)
    counted: int = 0  # parts with a weight
    # What the parts were built from (the counts, the weights), hashable: the same source gives
    # the same parts and sentences, so a rendered list of them can be kept (health.routes.health_why,
    # parts.built).
    # None for a Health built by hand: nothing is kept for it.
    source: tuple | None = None

    @property
    def enough(self):
        return self.score is not None

    @property
    def weakest(self):
        """The worst known part, else the first unknown one (what to fix first)."""
        return self.parts[0] if self.parts else None

    def sort_key(self):
        """Weakest first, accounts without enough data in their own group after the scored ones."""
        return (0, self.score) if self.enough else (1, -self.known)


@dataclass
class Counts:
    """What the SQL counted for one account (defaults: nothing found)."""

    dm_total: int = 0
    dm_uncovered: int = 0
    cadences: int = 0
    cadences_overdue: int = 0
    worst_overdue_days: int = 0
    open_critical: int = 0
    breached: int = 0
    objectives_at_risk: int = 0
    overdue_actions: int = 0
    key_contacts: int = 0
    stale_contacts: int = 0
    satisfaction_avg: float | None = None
    satisfaction_count: int = 0
    meetings_held: int = 0  # held meetings in the satisfaction window
    channels: int = 0  # complaint channels
    plans: int = 0  # open plans
    objectives: int = 0  # objectives of open plans


def _clamp(value):
    return max(0, min(100, int(round(value))))


def _join(pieces):
    """Clauses as one sentence: "a; b." (lazy, like the clauses)."""
    if not pieces:
        return ""
    return LazyString(lambda: gettext("%(list)s.", list=gettext("; ").join(str(p) for p in pieces)))


def coverage(c):
    """Share of decision-makers with one of our directors or above on them."""
    if not c.dm_total:
        return None, _("No decision-maker identified yet.")
    if not c.dm_uncovered:
        return 100, ngettext("The decision-maker has an executive owner on our side.",
                             "All %(num)d decision-makers have an executive owner on our side.", c.dm_total)
    return _clamp(100 * (c.dm_total - c.dm_uncovered) / c.dm_total), ngettext(
        "%(num)d of %(m)d decision-makers has no executive owner on our side.",
        "%(num)d of %(m)d decision-makers have no executive owner on our side.", c.dm_uncovered, m=c.dm_total)


def cadence(c):
    """Share of executive cadences kept (not overdue)."""
    if not c.cadences:
        return None, _("No executive meeting cadence agreed.")
    if not c.cadences_overdue:
        return 100, ngettext("The executive meeting cadence is kept.",
                             "All %(num)d executive meeting cadences are kept.", c.cadences)
    return _clamp(100 * (c.cadences - c.cadences_overdue) / c.cadences), ngettext(
        "%(num)d of %(m)d executive meetings is overdue (by %(days)d days).",
        "%(num)d of %(m)d executive meetings are overdue (the worst by %(days)d days).",
        c.cadences_overdue, m=c.cadences, days=c.worst_overdue_days)


def complaints(c):
    """Open critical complaints and breached promises cost points; unknown without a channel."""
    if not c.channels:
        return None, _("No complaint channel.")
    if not c.open_critical and not c.breached:
        return 100, _("No open critical complaint and no breached response or resolution time.")
    score = _clamp(100 - CRITICAL_COST * c.open_critical - BREACH_COST * c.breached)
    pieces = []
    if c.open_critical:
        pieces.append(ngettext("%(num)d open critical complaint", "%(num)d open critical complaints",
                               c.open_critical))
    if c.breached:
        pieces.append(ngettext("%(num)d open complaint past its promised time",
                               "%(num)d open complaints past their promised time", c.breached))
    return score, _join(pieces)


def plan(c):
    """Objectives at risk or off track, and overdue actions, cost points; unknown without objectives."""
    if not c.plans:
        return None, _("No plan yet.")
    if not c.objectives:
        return None, _("The plan has no objective yet.")
    if not c.objectives_at_risk and not c.overdue_actions:
        return 100, _("The plan is on track: no objective at risk, no overdue action.")
    score = _clamp(100 - RISK_COST * c.objectives_at_risk - OVERDUE_ACTION_COST * c.overdue_actions)
    pieces = []
    if c.objectives_at_risk:
        pieces.append(ngettext("%(num)d objective at risk or off track",
                               "%(num)d objectives at risk or off track", c.objectives_at_risk))
    if c.overdue_actions:
        pieces.append(ngettext("%(num)d action overdue", "%(num)d actions overdue", c.overdue_actions))
    return score, _join(pieces)


def freshness(c, stale_days=90):
    """Share of high-influence contacts spoken to within the last 90 days."""
    if not c.key_contacts:
        return None, _("No high-influence contact recorded.")
    if not c.stale_contacts:
        return 100, _("Every key contact was spoken to in the last %(days)d days.", days=stale_days)
    return _clamp(100 * (c.key_contacts - c.stale_contacts) / c.key_contacts), ngettext(
        "%(num)d of %(m)d key contacts not spoken to in %(days)d days.",
        "%(num)d of %(m)d key contacts not spoken to in %(days)d days.",
        c.stale_contacts, m=c.key_contacts, days=stale_days)


def satisfaction(c, window_days=180):
    """The customer's average satisfaction (1-10) at recent meetings, times ten."""
    if not c.meetings_held and not c.satisfaction_count:
        return None, _("No meeting logged in the last %(days)d days.", days=window_days)
    if not c.satisfaction_count:
        return None, ngettext("No satisfaction score at the meeting of the last %(days)d days.",
                              "No satisfaction score at the %(num)d meetings of the last %(days)d days.",
                              c.meetings_held, days=window_days)
    avg = float(c.satisfaction_avg)
    return _clamp(avg * 10), ngettext("Satisfaction %(avg).1f of 10 at the one recent meeting.",
                                      "Average satisfaction %(avg).1f of 10 over %(num)d recent meetings.",
                                      c.satisfaction_count, avg=avg)


RULES = {"coverage": coverage, "cadence": cadence, "complaints": complaints, "plan": plan,
         "freshness": freshness, "satisfaction": satisfaction}


def weighted(parts, minimum=MIN_KNOWN):
    """The weighted average of the known parts' scores, or None below `minimum` known parts.

    Unknown parts and parts weighing 0 are left out: they neither lift nor sink the score.
    """
    known = [p for p in parts if p.known and p.weight > 0]
    total = sum(p.weight for p in known)
    if not total or len(known) < minimum:
        return None
    return _clamp(sum(p.score * p.weight for p in known) / total)


_BUILT = {}  # Health.source -> Health, see built
BUILT_KEPT = 20000


def _source(counts, weights, minimum):
    """What a Health is built from, hashable (Health.source): the counts, the weights, the minimum."""
    return (tuple(vars(counts).values()), tuple(sorted(weights.items())), minimum)


def built(counts, weights, minimum=MIN_KNOWN):
    """build(counts, weights), kept once a process for the same source. A page of 40 accounts
    built the same 40 Healths request after request, each six parts and their sentences (issue
    22); a Health is frozen and its sentences are translated when shown, so one serves every
    request and language. Kept up to BUILT_KEPT, then begun again."""
    key = _source(counts, weights, minimum)
    h = _BUILT.get(key)
    if h is None:
        if len(_BUILT) >= BUILT_KEPT:
            _BUILT.clear()
        h = _BUILT[key] = build(counts, weights, minimum)
    return h


def build(counts, weights, minimum=MIN_KNOWN):
    """A Health from one account's counts and the weights, known parts worst first, unknown last."""
    parts = []
    for key in KEYS:
        score, sentence = RULES[key](counts)
        parts.append(Part(key, weights.get(key, DEFAULT_WEIGHTS[key]), score, sentence))
    # Worst first: the lowest score, and among equals the part that weighs most; unknown parts after.
    parts.sort(key=lambda p: (not p.known, p.score or 0, -p.weight, KEYS.index(p.key)))
    counted = [p for p in parts if p.weight > 0]
    return Health(weighted(parts, minimum), parts, known=sum(1 for p in counted if p.known),
                  counted=len(counted), source=_source(counts, weights, minimum))
