"""Layered coverage: pair our people with their departments and contacts; the matrix.

The org chart is drawn by orgdraw (layout: tidytree)."""
from dataclasses import dataclass, field

from app.audit.services import apply_changes, record
from app.auth.models import User
from app.concurrency import check_version, commit_versioned, guarded, refuse_duplicates
from app.extensions import db
from app.stakeholders.gaps import breaks_level_rule
from app.stakeholders.models import Contact, Coverage, Department
from app.stakeholders.services import StakeholderError
from app.team.models import Membership
from app.timeutil import today
from app.translate import lazy_gettext as _l
from app.vocab import RELATIONSHIP_STRENGTH, SENIORITY


def _check_levels(current, target):
    if current not in RELATIONSHIP_STRENGTH or target not in RELATIONSHIP_STRENGTH:
        raise StakeholderError(_l("Choose relationship levels from the list."))


def open_pairing(user_id, *, department_id=None, contact_id=None):
    """The id of the person's open pairing with this contact or department, if any."""
    target = Coverage.contact_id == contact_id if contact_id else Coverage.department_id == department_id
    return db.session.scalar(db.select(Coverage.id).where(
        Coverage.user_id == user_id, Coverage.ended_on.is_(None), target).limit(1))


def add_pairing(actor, account, *, user_id, department_id=None, contact_id=None,
                current_level="none", target_level="credible", on_team=True, commit=True):
    """Pair one of our people with a department (rep) or a contact (executive).

    `on_team=False` lets demo data record a pairing of somebody who has since left.
    """
    _check_levels(current_level, target_level)
    if bool(department_id) == bool(contact_id):
        raise StakeholderError(_l("Choose either a department or a contact."))
    user = db.session.get(User, user_id) if user_id else None
    if user is None:
        raise StakeholderError(_l("Choose one of our people."))
    if on_team and not db.session.scalar(db.select(Membership.id).where(
            Membership.account_id == account.id, Membership.user_id == user.id,
            Membership.left_on.is_(None)).limit(1)):
        raise StakeholderError(_l("%(name)s is not on this account's team.", name=user.name))
    model, obj_id = (Contact, contact_id) if contact_id else (Department, department_id)
    target = db.session.get(model, obj_id)
    if target is None or target.account_id != account.id or getattr(target, "removed_on", None):
        raise StakeholderError(_l("Choose a department or contact of this account."))
    if contact_id and target.status != "active":
        raise StakeholderError(_l("%(name)s has left; pair someone with a current contact.",
                                  name=target.name))
    dup = open_pairing(user.id, department_id=department_id, contact_id=contact_id)
    user_name, target_name = user.name, target.name

    def duplicate():
        return StakeholderError(_l("%(user)s already covers %(name)s.", user=user_name, name=target_name))

    if dup:
        raise duplicate()
    pairing = Coverage(account_id=account.id, user_id=user.id, department_id=department_id or None,
                       contact_id=contact_id or None, current_level=current_level,
                       target_level=target_level, started_on=today())
    with refuse_duplicates(duplicate):  # a racing request's pairing: uq_coverage_open_*
        db.session.add(pairing)
        db.session.flush()
        record(actor, pairing, "create", summary=f"{user_name} → {target_name}")
        if commit:
            db.session.commit()
    return pairing


@guarded("pairing")
def update_pairing(actor, pairing, current_level, target_level, version=None):
    """Move a pairing's current or target relationship level (StaleEdit if `version` is old)."""
    if version is not None:
        check_version(pairing, version)
    _check_levels(current_level, target_level)
    changes = apply_changes(pairing, {"current_level": current_level, "target_level": target_level})
    if changes:
        record(actor, pairing, "update", changes)
        commit_versioned(pairing)
    return changes


def end_pairing(actor, pairing):
    """End a pairing; it stays in the history."""
    if pairing.ended_on is None:
        record(actor, pairing, "leave", apply_changes(pairing, {"ended_on": today()}))
        db.session.commit()


# ---- the matrix ---------------------------------------------------------------------------------

@dataclass
class MatrixRow:
    department: object  # None: contacts without a department
    cells: dict = field(default_factory=dict)  # user_id -> [pairing]


def coverage_matrix(smap):
    """Their departments (rows) against our people (columns), from a loaded StakeholderMap.

    Columns are the current team, most senior first, then anybody who still holds a
    pairing after leaving the team (their cells are what needs handing over).
    """
    contacts = {c.id: c for c in smap.contacts}
    people = sorted((m.user for m in smap.team), key=lambda u: (-SENIORITY.rank(u.seniority), u.name))
    seen = {u.id for u in people}
    for p in smap.pairings:
        if p.user_id not in seen:
            people.append(p.user)
            seen.add(p.user_id)
    rows = {d.id: MatrixRow(d) for d in smap.departments}
    loose = MatrixRow(None)
    for p in smap.pairings:
        dept_id = p.department_id if p.department_id else contacts[p.contact_id].department_id
        row = rows.get(dept_id, loose)
        row.cells.setdefault(p.user_id, []).append(p)
    ordered = list(rows.values()) + ([loose] if loose.cells else [])
    return people, ordered, contacts


def flagged(pairing, contacts):
    """Whether a pairing breaks the level-matching rule."""
    return bool(pairing.contact_id) and breaks_level_rule(contacts.get(pairing.contact_id), pairing.user)
