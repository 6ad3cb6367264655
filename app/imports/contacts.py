"""Contacts of one account from a file: match (our id, else e-mail, else name), check,
preview, and apply everything in one transaction audited as one import.

Reports-to and departments are names, resolved within the file and the account; a new
department is created. Only the columns the mapping fills are changed on a matched
contact, so a HubSpot file without seniority leaves seniorities alone.
"""
from sqlalchemy import bindparam

from app.audit.services import record
from app.extensions import db
from app.imports import engine
from app.stakeholders import services
from app.stakeholders.models import Contact, Department
from app.translate import lazy_gettext as _l

DIRECT = ("name", "title", "seniority", "buying_role", "influence", "attitude", "email", "phone",
          "interests", "vested_interests", "needs_short", "needs_long", "status", "left_on",
          "left_to", "last_contacted_on")
DEFAULTS = {"seniority": "staff", "influence": "medium", "attitude": "neutral", "status": "active"}
BATCH = 1000


def _low(text):
    return (text or "").strip().lower()


class _Book:
    """The account's contacts and departments, indexed the ways a row may name them."""

    def __init__(self, account_id):
        self.contacts = db.session.scalars(db.select(Contact).where(Contact.account_id == account_id)).all()
        self.by_id = {c.id: c for c in self.contacts}
        self.by_email = {}
        self.by_name = {}
        for c in self.contacts:
            if c.email:
                self.by_email.setdefault(_low(c.email), c)
            self.by_name.setdefault(_low(c.name), c)
        self.departments = {_low(d.name): d for d in db.session.scalars(db.select(Department).where(
            Department.account_id == account_id, Department.removed_on.is_(None)))}
        self.dept_names = {d.id: d.name for d in self.departments.values()}
        self.names_by_id = {c.id: c.name for c in self.contacts}


def _complete(values):
    """Name from first and last name, phone from mobile, as other CRMs split them."""
    # Every row of a file gets the same keys (the batch insert needs one shape).
    if ("first_name" in values or "last_name" in values) and not values.get("name"):
        first, last = values.get("first_name") or "", values.get("last_name") or ""
        cjk = any("\u4e00" <= ch <= "\u9fff" for ch in first + last)
        values["name"] = (last + first) if cjk else f"{first} {last}".strip()
    if "mobile" in values:
        values["phone"] = values.get("phone") or values["mobile"]
    for key in ("first_name", "last_name", "mobile", "strength"):
        values.pop(key, None)
    if "name" in values and len(values["name"] or "") > 120:
        raise ValueError(_l("Name: %(n)d characters; at most %(max)d", n=len(values["name"]), max=120))


def _match(book, values, outcome):
    """The existing contact a row updates, or None for a new one."""
    cid = values.get("id")
    if cid and cid in book.by_id:
        return book.by_id[cid]
    email = _low(values.get("email"))
    if email and email in book.by_email:
        return book.by_email[email]
    name = _low(values.get("name"))
    return book.by_name.get(name) if name else None


def _walk(plan, table, book, progress=None):
    """(outcome, values, contact) per row, with per-row checks done."""
    seen = {}
    for line, values, errors in engine.rows(plan, table, progress):
        outcome = engine.Outcome(line, "")
        for e in errors:
            outcome.refuse(e)
        try:
            _complete(values)
        except ValueError as exc:
            outcome.refuse(exc)
            values.pop("name", None)
        outcome.label = values.get("name") or values.get("email") or ""
        contact = _match(book, values, outcome) if not outcome.errors else None
        if contact is None and not outcome.errors and not values.get("name"):
            outcome.refuse(_l("The name is empty."))
        key = ("c", contact.id) if contact else ("n", _low(values.get("name")))
        if not outcome.errors:
            if key in seen:
                outcome.refuse(_l("The same contact is on line %(line)d too.", line=seen[key]))
            seen.setdefault(key, line)
        if contact is not None and not outcome.errors:
            outcome.label = contact.name if not values.get("name") else values["name"]
            outcome.changes = _changes(book, contact, values)
            outcome.action = "update" if outcome.changes else "unchanged"
        yield outcome, values, contact


def _changes(book, contact, values):
    out = [k for k in DIRECT if k in values and not engine.same(getattr(contact, k),
                                                                 _value(k, values[k]))]
    if "department" in values and _low(values["department"]) != _low(book.dept_names.get(contact.department_id)):
        out.append("department")
    if "reports_to" in values and _low(values["reports_to"]) != _low(book.names_by_id.get(contact.reports_to_id)):
        out.append("reports_to")
    return out


def _value(key, value):
    if value in (None, "") and key in DEFAULTS:
        return DEFAULTS[key]
    if key == "buying_role" and value == "":
        return None
    return value


def plan(path, filename, account, mapping=None, progress=None, on_row=None, book=None):
    """Check every row against the account as it is now; `on_row(values, contact)` is called
    for each row not refused on its own (apply writes there); nothing is committed."""
    plan_, table = engine.open_plan("contacts", path, filename, mapping)
    if table is None or plan_.problems:
        return plan_
    book = book or _Book(account.id)
    chain = {_low(c.name): _low(book.names_by_id.get(c.reports_to_id)) or None for c in book.contacts}
    bosses = []
    for outcome, values, contact in _walk(plan_, table, book, progress):
        plan_.outcomes.append(outcome)
        if outcome.action == "refuse":
            continue
        name = _low(values.get("name") or (contact.name if contact else ""))
        if contact is not None and _low(contact.name) != name:
            chain.pop(_low(contact.name), None)
        if "reports_to" in values:
            chain[name] = _low(values["reports_to"]) or None
            if values["reports_to"]:
                bosses.append((outcome, name, values["reports_to"]))
        else:
            chain.setdefault(name, None)
        dept = values.get("department")
        if dept and _low(dept) not in book.departments and dept not in plan_.new_departments \
                and _low(dept) not in {_low(d) for d in plan_.new_departments}:
            plan_.new_departments.append(dept)
        if on_row is not None:
            on_row(values, contact)
    for outcome, name, boss in bosses:
        if _low(boss) not in chain:
            outcome.refuse(_l("Reports to \"%(name)s\", who is neither on the account nor in the file.", name=boss))
        elif _low(boss) == name or services.reaches(chain, chain.get(_low(boss)), name):
            outcome.refuse(_l("Reporting lines in the file make a loop through %(name)s.", name=boss))
    plan_.count()
    if not plan_.total and not plan_.problems:
        plan_.problems.append(_l("The file has a header but no contact rows."))
    return plan_


def apply(actor, path, filename, account, mapping, progress=None):
    """Check and write in one pass and one transaction: rolled back, nothing written, when any
    row is refused (the preview said which); returns the plan."""
    book = _Book(account.id)
    writer = _Writer(actor, account, book)
    try:
        checked = plan(path, filename, account, mapping, progress, on_row=writer.row, book=book)
        if not checked.ok:
            db.session.rollback()
            return checked
        writer.finish()
        c = checked.counts
        record(actor, account, "import", account_id=account.id, changes={
            "file": [None, filename], "created": [None, c["create"]], "updated": [None, c["update"]],
            "unchanged": [None, c["unchanged"]]},
            summary=f"contacts: {c['create']} created, {c['update']} updated ({filename})")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return checked


class _Writer:
    """Writes the rows of an import as they are checked: new contacts in batches, changes
    on the loaded contacts, departments when first named, reports-to once all are in."""

    def __init__(self, actor, account, book):
        self.actor, self.account, self.book = actor, account, book
        self.pending, self.new_bosses, self.bosses = [], [], []

    def row(self, values, contact):
        data = {k: _value(k, values[k]) for k in DIRECT if k in values}
        if "department" in values:
            data["department_id"] = self._department(values["department"])
        boss = _low(values["reports_to"]) if "reports_to" in values else None
        if contact is None:
            self.pending.append({"account_id": self.account.id, **DEFAULTS, **data})
            if boss is not None:
                self.new_bosses.append((_low(data["name"]), boss))
            if len(self.pending) >= BATCH:
                _insert(self.pending)
        else:
            for k, v in data.items():
                if not engine.same(getattr(contact, k), v):
                    setattr(contact, k, v)
            if boss is not None:
                self.bosses.append((contact, boss))

    def _department(self, name):
        if not name:
            return None
        dept = self.book.departments.get(_low(name))
        if dept is None:
            dept = services.create_department(self.actor, self.account, {"name": name, "function": "other"},
                                              commit=False)
            self.book.departments[_low(name)] = dept
        return dept.id

    def finish(self):
        _insert(self.pending)
        db.session.flush()
        ids = {_low(name): cid for cid, name in db.session.execute(
            db.select(Contact.id, Contact.name).where(Contact.account_id == self.account.id)).all()}
        for who, boss in self.bosses:
            boss_id = ids.get(boss) if boss else None
            if who.reports_to_id != boss_id:
                who.reports_to_id = boss_id  # an existing contact: through the ORM, its version moves
        updates = [{"cid": ids[name], "boss": ids.get(boss) if boss else None}
                   for name, boss in self.new_bosses]
        if updates:
            t = Contact.__table__
            db.session.execute(t.update().where(t.c.id == bindparam("cid")).values(
                reports_to_id=bindparam("boss")), updates)


def _insert(pending):
    """Insert a batch of new contacts in one statement (no ORM objects: bounded memory, fast)."""
    if pending:
        db.session.execute(db.insert(Contact), pending)
        pending.clear()
