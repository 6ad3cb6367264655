"""The coverage gap rules, as pure functions over loaded rows (no queries, no request).

The stakeholder pages and the account-health feature both call `find_gaps` with
rows they loaded themselves, so the rules live in one place and are unit-tested
without a database. A gap is data (a code, the object it is about, a few values);
`sentence` turns it into words in the user's language.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.translate import gettext as _
from app.translate import ngettext
from app.vocab import RELATIONSHIP_STRENGTH, SENIORITY

STALE_DAYS = 90
WARM_LEVEL = "credible"  # "credible or better" counts as a warm thread
MIN_WARM_CONTACTS = 3
COACH_ROLES = ("coach", "champion")

# Page order of the rules: the decision chain first, then breadth, then hygiene.
ORDER = ("no_economic_buyer", "no_exec_owner", "owner_left", "no_coach", "single_threaded",
         "stale_contact", "department_uncovered")


@dataclass(frozen=True)
class Gap:
    """One coverage gap. `subject_type`/`subject_id` name what a fix link opens."""

    code: str
    subject_type: str = "account"  # account | contact | department | coverage
    subject_id: int | None = None
    values: dict = field(default_factory=dict, compare=False)

    @property
    def sentence(self):
        """The gap as a sentence a KAM can act on."""
        v = self.values
        if self.code == "no_exec_owner":
            if v.get("juniors"):
                return _("%(name)s is a decision-maker covered only by %(juniors)s; pair one of our "
                         "directors or above.", **v)
            return _("%(name)s is a decision-maker with no executive owner on our side.", **v)
        if self.code == "department_uncovered":
            return _("Nobody on our team covers the %(name)s department.", **v)
        if self.code == "stale_contact":
            if v.get("days") is None:
                return _("%(name)s has high influence and has never been contacted.", **v)
            return _("%(name)s has high influence and was last contacted %(days)d days ago.", **v)
        if self.code == "single_threaded":
            if not v["count"]:
                return _("No contact is at credible or better: the account has no warm thread "
                         "(aim for at least %(min)d).", **v)
            return ngettext("Only %(num)d contact is at credible or better: the account is "
                            "single-threaded (aim for at least %(min)d).",
                            "Only %(num)d contacts are at credible or better: the account is "
                            "single-threaded (aim for at least %(min)d).", v["count"], min=v["min"])
        if self.code == "no_economic_buyer":
            return _("No economic buyer is identified.")
        if self.code == "no_coach":
            return _("No coach or champion: nobody inside guides our sale.")
        if self.code == "owner_left":
            return _("%(owner)s owns the relationship with %(name)s but has left the team.", **v)
        return self.code


def is_decision_maker(contact):
    """Economic buyers and VPs and above are decision-makers."""
    return (contact.buying_role == "economic_buyer"
            or SENIORITY.rank(contact.seniority) >= SENIORITY.rank("vp"))


def is_senior_enough(user):
    """Director, VP or C-level: senior enough to own a decision-maker."""
    return SENIORITY.rank(user.seniority) >= SENIORITY.rank("director")


def breaks_level_rule(contact, user):
    """The matching rule: a decision-maker must be covered by a director or above."""
    return contact is not None and is_decision_maker(contact) and not is_senior_enough(user)


def is_warm(level):
    """Credible or trusted advisor."""
    return RELATIONSHIP_STRENGTH.rank(level) >= RELATIONSHIP_STRENGTH.rank(WARM_LEVEL)


def best_levels(pairings):
    """{contact_id: best current level} over active contact pairings."""
    best = {}
    for p in pairings:
        if p.contact_id and p.ended_on is None:
            old = best.get(p.contact_id)
            if old is None or RELATIONSHIP_STRENGTH.rank(p.current_level) > RELATIONSHIP_STRENGTH.rank(old):
                best[p.contact_id] = p.current_level
    return best


def departments_covered(active_contacts, live_pairings, users, team_user_ids):
    """Ids of the departments one of our current team covers, the way the coverage matrix shows it.

    Covered: somebody on the team is paired with the department itself, or with one of its
    active people at a matching level (a decision-maker needs a director or above).
    """
    dept_of = {c.id: c for c in active_contacts}
    covered = set()
    for p in live_pairings:
        if p.user_id not in team_user_ids:
            continue
        if p.department_id:
            covered.add(p.department_id)
        elif p.contact_id in dept_of:
            contact = dept_of[p.contact_id]
            user = users.get(p.user_id)
            if contact.department_id and user is not None and not breaks_level_rule(contact, user):
                covered.add(contact.department_id)
    return covered


def find_gaps(contacts, departments, pairings, users, team_user_ids, on_date: date):
    """Every gap of one account, in page order.

    contacts: the account's contacts (any status); departments: its departments;
    pairings: its coverage rows (ended ones are ignored); users: {id: user} for the
    pairings' users; team_user_ids: ids of the current team members; on_date: today.
    """
    active = [c for c in contacts if c.status == "active"]
    live = [p for p in pairings if p.ended_on is None]
    by_contact, by_department = {}, {}
    for p in live:
        if p.contact_id:
            by_contact.setdefault(p.contact_id, []).append(p)
        elif p.department_id:
            by_department.setdefault(p.department_id, []).append(p)
    gaps = []

    if not any(c.buying_role == "economic_buyer" for c in active):
        gaps.append(Gap("no_economic_buyer"))
    for c in active:
        if not is_decision_maker(c):
            continue
        owners = [users[p.user_id] for p in by_contact.get(c.id, []) if p.user_id in users]
        owners = [u for u in owners if u.id in team_user_ids]
        if not any(is_senior_enough(u) for u in owners):
            juniors = ", ".join(u.name for u in owners)
            gaps.append(Gap("no_exec_owner", "contact", c.id, {"name": c.name, "juniors": juniors}))
    names = {c.id: c.name for c in contacts} | {d.id: d.name for d in departments}
    for p in live:
        if p.user_id not in team_user_ids:
            owner = users[p.user_id].name if p.user_id in users else "?"
            target = p.contact_id or p.department_id
            gaps.append(Gap("owner_left", "coverage", p.id, {"owner": owner, "name": names.get(target, "?")}))
    if not any(c.buying_role in COACH_ROLES or c.attitude == "champion" for c in active):
        gaps.append(Gap("no_coach"))
    warm = sum(1 for cid, level in best_levels(live).items()
               if is_warm(level) and cid in {c.id for c in active})
    if warm < MIN_WARM_CONTACTS:
        gaps.append(Gap("single_threaded", values={"count": warm, "min": MIN_WARM_CONTACTS}))
    cutoff = on_date - timedelta(days=STALE_DAYS)
    for c in active:
        if c.influence == "high" and (c.last_contacted_on is None or c.last_contacted_on < cutoff):
            days = None if c.last_contacted_on is None else (on_date - c.last_contacted_on).days
            gaps.append(Gap("stale_contact", "contact", c.id, {"name": c.name, "days": days}))
    covered = departments_covered(active, live, users, team_user_ids)
    for d in departments:
        if d.id not in covered:
            gaps.append(Gap("department_uncovered", "department", d.id, {"name": d.name}))
    return sorted(gaps, key=lambda g: ORDER.index(g.code))
