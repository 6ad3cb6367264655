"""Stakeholder services: departments, contacts, leaving, interactions, and the page loads.

`touch_contacts` is shared: interactions and the meetings feature call it.
Services take plain values and the acting user; they commit and write the audit record.
"""
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import or_
from sqlalchemy.orm import joinedload, selectinload

from app.audit.services import apply_changes, record
from app.auth.models import User
from app.concurrency import check_version, commit_versioned, guarded
from app.extensions import db
from app.names import clean_name
from app.stakeholders import gaps as gap_rules
from app.stakeholders.models import (
    INTERACTION_KINDS,
    Contact,
    Coverage,
    Department,
    Interaction,
    interaction_contact,
)
from app.team.models import Membership
from app.team.services import current_memberships, current_users
from app.timeutil import today
from app.translate import lazy_gettext as _l
from app.vocab import ATTITUDES, BUYING_ROLES, DEPARTMENT_FUNCTIONS, INFLUENCE, SENIORITY


class StakeholderError(ValueError):
    """A change that cannot be made, with a message for the person."""


CONTACT_FIELDS = ("name", "title", "department_id", "reports_to_id", "seniority", "buying_role",
                  "influence", "attitude", "interests", "vested_interests", "needs_short",
                  "needs_long", "email", "phone")
DEPARTMENT_FIELDS = ("name", "function", "parent_id", "notes")


def touch_contacts(account_id, contact_ids, on_date):
    """Move the contacts' "last contacted" date forward to `on_date` (never back)."""
    if not contact_ids or on_date is None:
        return
    db.session.execute(
        db.update(Contact)
        .where(Contact.account_id == account_id, Contact.id.in_(list(contact_ids)),
               or_(Contact.last_contacted_on.is_(None), Contact.last_contacted_on < on_date))
        .values(last_contacted_on=on_date)
        .execution_options(synchronize_session=False)
    )


# ---- loading: a fixed number of queries per page --------------------------------------------

@dataclass
class StakeholderMap:
    """Everything the map, org chart, coverage matrix and gaps need, in five queries."""

    departments: list
    contacts: list
    pairings: list  # active only, users loaded
    team: list  # current memberships, users loaded
    users: dict = field(default_factory=dict)  # every user a pairing or membership names

    @property
    def team_user_ids(self):
        return {m.user_id for m in self.team}

    @property
    def active_contacts(self):
        return [c for c in self.contacts if c.status == "active"]

    def gaps(self):
        return gap_rules.find_gaps(self.contacts, self.departments, self.pairings, self.users,
                                   self.team_user_ids, today())

    def owners_of(self, contact_id):
        return [p for p in self.pairings if p.contact_id == contact_id]


def load_map(account_id):
    """Departments, contacts, active pairings and the current team of an account."""
    departments = db.session.scalars(
        db.select(Department).where(Department.account_id == account_id, Department.removed_on.is_(None))
        .order_by(Department.name)).all()
    contacts = db.session.scalars(
        db.select(Contact).where(Contact.account_id == account_id)
        .options(joinedload(Contact.department)).order_by(Contact.name)).all()
    pairings = db.session.scalars(
        db.select(Coverage).where(Coverage.account_id == account_id, Coverage.ended_on.is_(None))
        .options(joinedload(Coverage.user)).order_by(Coverage.id)).all()
    team = current_memberships(account_id)
    users = {p.user_id: p.user for p in pairings} | {m.user_id: m.user for m in team}
    return StakeholderMap(departments, contacts, pairings, team, users)


class Person(NamedTuple):
    """A user as the gap rules read one (gaps.find_gaps): no User object needed."""

    id: int
    name: str
    seniority: str | None


def load_gap_rows(account_id):
    """What load_map gives, as columns rather than objects, for what only counts and finds gaps
    (the overview's stakeholder section, the digest): the same four queries without building
    and tracking a hundred objects a page, most of the section's time (issue 22). Rows carry
    the attributes the gap rules and counts read; users are Person rows."""
    departments = db.session.execute(
        db.select(Department.id, Department.name)
        .where(Department.account_id == account_id, Department.removed_on.is_(None))
        .order_by(Department.name, Department.id)).all()
    contacts = db.session.execute(
        db.select(Contact.id, Contact.name, Contact.status, Contact.department_id, Contact.buying_role,
                  Contact.seniority, Contact.influence, Contact.attitude, Contact.last_contacted_on)
        .where(Contact.account_id == account_id).order_by(Contact.name, Contact.id)).all()
    pairings = db.session.execute(
        db.select(Coverage.id, Coverage.user_id, Coverage.contact_id, Coverage.department_id,
                  Coverage.ended_on, Coverage.current_level, User.name.label("user_name"),
                  User.seniority.label("user_seniority"))
        .join(User, User.id == Coverage.user_id)
        .where(Coverage.account_id == account_id, Coverage.ended_on.is_(None)).order_by(Coverage.id)).all()
    team = db.session.execute(
        db.select(Membership.user_id, User.name, User.seniority).join(User, User.id == Membership.user_id)
        .where(Membership.account_id == account_id, Membership.left_on.is_(None))
        .order_by(Membership.joined_on)).all()
    users = ({p.user_id: Person(p.user_id, p.user_name, p.user_seniority) for p in pairings}
             | {m.user_id: Person(m.user_id, m.name, m.seniority) for m in team})
    return StakeholderMap(departments, contacts, pairings, team, users)


def contact_interactions(contact):
    """The contact's interactions, newest first, with their contacts and authors."""
    return db.session.scalars(
        db.select(Interaction).join(interaction_contact)
        .where(interaction_contact.c.contact_id == contact.id)
        .options(selectinload(Interaction.contacts), joinedload(Interaction.user))
        .order_by(Interaction.occurred_on.desc(), Interaction.id.desc())).all()


def recent_interactions(account_id, limit=50):
    """The account's newest interactions with their contacts and authors."""
    return db.session.scalars(
        db.select(Interaction).where(Interaction.account_id == account_id)
        .options(selectinload(Interaction.contacts), joinedload(Interaction.user))
        .order_by(Interaction.occurred_on.desc(), Interaction.id.desc()).limit(limit)).all()


def contact_pairings(contact):
    """Every pairing (active and ended) of one contact, users loaded."""
    return db.session.scalars(
        db.select(Coverage).where(Coverage.contact_id == contact.id)
        .options(joinedload(Coverage.user)).order_by(Coverage.ended_on.isnot(None), Coverage.id)).all()


def reaches(parents, start, target):
    """Whether walking up `parents` ({node: parent}) from `start` meets `target` (a loop)."""
    seen, node = set(), start
    while node is not None and node not in seen:
        if node == target:
            return True
        seen.add(node)
        node = parents.get(node)
    return False


# ---- departments ------------------------------------------------------------------------------

def _check_department_parent(account_id, department_id, parent_id):
    """The parent must be a department of the same account, and no loop."""
    if parent_id is None:
        return
    parents = dict(db.session.execute(
        db.select(Department.id, Department.parent_id).where(Department.account_id == account_id,
                                                             Department.removed_on.is_(None))).all())
    if parent_id not in parents:
        raise StakeholderError(_l("Choose a department of this account."))
    if department_id is not None and reaches(parents, parent_id, department_id):
        raise StakeholderError(_l("A department cannot sit under itself."))


def _clean_department(data):
    data = {k: data[k] for k in DEPARTMENT_FIELDS if k in data}
    data["name"] = clean_name(data.get("name") or "")[:120]
    if not data["name"]:
        raise StakeholderError(_l("Give the department a name."))
    if data.get("function", "other") not in DEPARTMENT_FUNCTIONS:
        raise StakeholderError(_l("Choose a function from the list."))
    data["notes"] = (data.get("notes") or "").strip()
    data["parent_id"] = data.get("parent_id") or None
    return data


def create_department(actor, account, data, commit=True):
    """Add a department to the account."""
    data = _clean_department(data)
    _check_department_parent(account.id, None, data["parent_id"])
    dept = Department(account_id=account.id, **data)
    db.session.add(dept)
    db.session.flush()
    record(actor, dept, "create", summary=dept.name)
    if commit:
        db.session.commit()
    return dept


@guarded("dept")
def update_department(actor, dept, data, version=None):
    """Change a department's name, function, parent or notes; StaleEdit if `version` is old
    (None skips the check: scripts and the demo data)."""
    if version is not None:
        check_version(dept, version)
    data = _clean_department(data)
    _check_department_parent(dept.account_id, dept.id, data["parent_id"])
    changes = apply_changes(dept, data)
    if changes:
        record(actor, dept, "update", changes, summary=dept.name)
        commit_versioned(dept)
    return changes


def remove_department(actor, dept, on=None):
    """The customer closed or merged a department: take it off the map, keep its history.

    Its people stay, without a department; its sub-departments move up to its parent; our
    pairings with it end. Every one of those changes is on the timeline. Returns
    (people moved, sub-departments moved, pairings ended).
    """
    if dept.removed_on is not None:
        raise StakeholderError(_l("This department was already removed."))
    on = on or today()
    people = db.session.scalars(db.select(Contact).where(Contact.department_id == dept.id)).all()
    for c in people:
        record(actor, c, "update", apply_changes(c, {"department_id": None}), summary=c.name)
    children = db.session.scalars(db.select(Department).where(
        Department.parent_id == dept.id, Department.removed_on.is_(None))).all()
    for child in children:
        record(actor, child, "update", apply_changes(child, {"parent_id": dept.parent_id}), summary=child.name)
    pairings = db.session.scalars(db.select(Coverage).where(
        Coverage.department_id == dept.id, Coverage.ended_on.is_(None))).all()
    for p in pairings:
        record(actor, p, "leave", apply_changes(p, {"ended_on": on}))
    record(actor, dept, "delete", apply_changes(dept, {"removed_on": on}), summary=dept.name)
    db.session.commit()
    return len(people), len(children), len(pairings)


# ---- contacts ---------------------------------------------------------------------------------

def _check_reports_to(account_id, contact_id, manager_id):
    """The manager must be a contact of the same account, and the chain must not loop."""
    if manager_id is None:
        return
    chain = dict(db.session.execute(
        db.select(Contact.id, Contact.reports_to_id).where(Contact.account_id == account_id)).all())
    if manager_id not in chain:
        raise StakeholderError(_l("The manager must be a contact of this account."))
    if contact_id is not None and reaches(chain, manager_id, contact_id):
        raise StakeholderError(_l("That would make a reporting loop: nobody can report to "
                                  "themselves, directly or through others."))


def clean_contact(account_id, data):
    """Check vocabulary values and references; returns the cleaned dict."""
    data = {k: data[k] for k in CONTACT_FIELDS if k in data}
    data["name"] = clean_name(data.get("name") or "")[:120]
    if not data["name"]:
        raise StakeholderError(_l("Give the contact a name."))
    for key, voc in (("seniority", SENIORITY), ("influence", INFLUENCE), ("attitude", ATTITUDES)):
        if key in data and data[key] not in voc:
            raise StakeholderError(_l("Choose a value from the list."))
    data["buying_role"] = data.get("buying_role") or None
    if data["buying_role"] is not None and data["buying_role"] not in BUYING_ROLES:
        raise StakeholderError(_l("Choose a value from the list."))
    for key in ("title", "interests", "vested_interests", "needs_short", "needs_long", "email", "phone"):
        if key in data:
            data[key] = (data[key] or "").strip()
    data["department_id"] = data.get("department_id") or None
    data["reports_to_id"] = data.get("reports_to_id") or None
    if data["department_id"] and db.session.scalar(db.select(Department.account_id).where(
            Department.id == data["department_id"], Department.removed_on.is_(None))) != account_id:
        raise StakeholderError(_l("Choose a department of this account."))
    return data


def create_contact(actor, account, data, commit=True):
    """Add a contact to the account."""
    data = clean_contact(account.id, data)
    _check_reports_to(account.id, None, data["reports_to_id"])
    contact = Contact(account_id=account.id, **data)
    db.session.add(contact)
    db.session.flush()
    record(actor, contact, "create", summary=contact.name)
    if commit:
        db.session.commit()
    return contact


@guarded("contact")
def update_contact(actor, contact, data, version):
    """Edit a contact; an edit based on an old version raises StaleEdit."""
    check_version(contact, version)
    data = clean_contact(contact.account_id, data)
    _check_reports_to(contact.account_id, contact.id, data["reports_to_id"])
    changes = apply_changes(contact, data)
    if changes:
        record(actor, contact, "update", changes, summary=contact.name)
        commit_versioned(contact)
    return changes


@guarded("contact")
def set_reports_to(actor, contact, manager_id, version):
    """Change only whom `contact` reports to (the org chart's drag and its picker).

    StaleEdit if `version` is old; StakeholderError for a loop or a manager who is not a current
    contact of the account. The change is on the timeline like any edit; undo is the same call
    with the previous manager.
    """
    check_version(contact, version)
    manager_id = manager_id or None
    if manager_id is not None:
        status = db.session.scalar(db.select(Contact.status).where(
            Contact.id == manager_id, Contact.account_id == contact.account_id))
        if status == "left":
            raise StakeholderError(_l("That person has left the company; choose a current manager."))
    _check_reports_to(contact.account_id, contact.id, manager_id)
    changes = apply_changes(contact, {"reports_to_id": manager_id})
    if changes:
        record(actor, contact, "update", changes, summary=contact.name)
        commit_versioned(contact)
    return changes


@guarded("contact")
def mark_left(actor, contact, left_on=None, left_to=""):
    """The contact has left: mark them, end their pairings, keep everything else.

    Their reports stay on record too; the org chart shows them under the nearest
    remaining manager, so nobody disappears from the chart.
    """
    if contact.status == "left":
        raise StakeholderError(_l("%(name)s is already marked as left.", name=contact.name))
    left_on = left_on or today()
    changes = apply_changes(contact, {"status": "left", "left_on": left_on,
                                      "left_to": (left_to or "").strip()[:200]})
    record(actor, contact, "leave", changes, summary=contact.name)
    for p in db.session.scalars(db.select(Coverage).where(
            Coverage.contact_id == contact.id, Coverage.ended_on.is_(None))):
        record(actor, p, "leave", apply_changes(p, {"ended_on": left_on}), summary=contact.name)
    commit_versioned(contact)
    return changes


# ---- interactions -----------------------------------------------------------------------------

def log_interaction(actor, account, *, kind, occurred_on, contact_ids, note="", commit=True):
    """Log a touch with contacts of the account; moves their "last contacted" date."""
    if kind not in INTERACTION_KINDS:
        raise StakeholderError(_l("Choose what kind of touch it was."))
    if occurred_on is None:
        raise StakeholderError(_l("Give the date of the touch."))
    if occurred_on > today():
        raise StakeholderError(_l("A touch cannot be in the future."))
    ids = sorted(set(contact_ids or ()))
    if not ids:
        raise StakeholderError(_l("Choose at least one contact."))
    contacts = db.session.scalars(db.select(Contact).where(
        Contact.account_id == account.id, Contact.id.in_(ids))).all()
    if len(contacts) != len(ids):
        raise StakeholderError(_l("Choose contacts of this account."))
    item = Interaction(account_id=account.id, kind=kind, occurred_on=occurred_on,
                       note=(note or "").strip(), user_id=getattr(actor, "id", None))
    item.contacts = list(contacts)
    db.session.add(item)
    db.session.flush()
    record(actor, item, "create", summary=", ".join(c.name for c in contacts)[:300])
    touch_contacts(account.id, ids, occurred_on)
    if commit:
        db.session.commit()
    return item


def our_people(account_id):
    """Current team members' users, most senior first (the pairing form's choices)."""
    return sorted(current_users(account_id), key=lambda u: (-SENIORITY.rank(u.seniority), u.name))
