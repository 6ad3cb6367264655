"""CSV export and import of contacts.

Export is UTF-8 with a BOM so Excel opens Chinese names intact. Import is two
steps: `parse` checks every row and returns a preview with per-row errors;
`import_rows` writes all rows in one transaction, or nothing when any row is bad.
"""
import csv
import io
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from app.audit.services import record
from app.extensions import db
from app.stakeholders import services
from app.stakeholders.models import CONTACT_STATUS, Contact
from app.vocab import ATTITUDES, BUYING_ROLES, INFLUENCE, SENIORITY

COLUMNS = ("name", "title", "department", "reports_to", "seniority", "buying_role", "influence",
           "attitude", "email", "phone", "interests", "vested_interests", "needs_short",
           "needs_long", "status", "left_on", "left_to", "last_contacted_on")
VOCAB_COLUMNS = {"seniority": SENIORITY, "buying_role": BUYING_ROLES, "influence": INFLUENCE,
                 "attitude": ATTITUDES, "status": CONTACT_STATUS}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 2000
MAX_BYTES = 1_000_000


def neutralise(value):
    """A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def unneutralise(text):
    """Import: drop the quote `neutralise` added, so an exported file imports back as it was."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def export_csv(smap):
    """The account's contacts as CSV bytes (UTF-8 with BOM), vocabulary codes as stored."""
    names = {c.id: c.name for c in smap.contacts}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for c in smap.contacts:
        writer.writerow([neutralise(v) for v in (
            c.name, c.title, c.department.name if c.department else "", names.get(c.reports_to_id, ""),
            c.seniority, c.buying_role or "", c.influence, c.attitude, c.email, c.phone, c.interests,
            c.vested_interests, c.needs_short, c.needs_long, c.status,
            c.left_on.isoformat() if c.left_on else "", c.left_to,
            c.last_contacted_on.isoformat() if c.last_contacted_on else "",
        )])
    return out.getvalue().encode("utf-8-sig")


def decode(raw):
    """Text of an uploaded file: UTF-8 (with or without BOM), else GB18030 (Excel's Chinese)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


@dataclass
class Row:
    line: int
    values: dict
    errors: list = field(default_factory=list)


@dataclass
class Preview:
    rows: list
    problems: list = field(default_factory=list)  # file-level errors
    new_departments: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems and self.rows and not any(r.errors for r in self.rows)

    @property
    def bad_rows(self):
        return [r for r in self.rows if r.errors]


def _vocab_value(voc, text):
    """A vocabulary code from its code or its label in English or the current language."""
    text = (text or "").strip()
    if not text:
        return ""
    low = text.lower().replace(" ", "_").replace("-", "_")
    for value, label in voc.pairs:
        if low == value or text.lower() == str(label).lower():
            return value
    return None


def parse(text, smap):
    """Check every row against the account as loaded; nothing is written."""
    preview = Preview(rows=[])
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "name" not in header:
        preview.problems.append(_("The first row must be a header with at least a \"name\" column."))
        return preview
    reader.fieldnames = header
    existing = {c.name.strip().lower() for c in smap.contacts}
    in_file = {}
    depts = {d.name.strip().lower() for d in smap.departments}
    for i, raw in enumerate(reader, start=2):
        if i - 1 > MAX_ROWS:
            preview.problems.append(_("At most %(n)d rows can be imported at once.", n=MAX_ROWS))
            break
        values = {k: unneutralise((raw.get(k) or "").strip()) for k in COLUMNS}
        if not any(values.values()):
            continue
        row = Row(i, values)
        key = values["name"].lower()
        if not values["name"]:
            row.errors.append(_("The name is empty."))
        elif key in existing:
            row.errors.append(_("%(name)s is already on this account.", name=values["name"]))
        elif key in in_file:
            row.errors.append(_("%(name)s appears twice in the file (line %(line)d).",
                                name=values["name"], line=in_file[key]))
        in_file.setdefault(key, i)
        for col, voc in VOCAB_COLUMNS.items():
            code = _vocab_value(voc, values[col])
            if code is None:
                row.errors.append(_("%(column)s: \"%(value)s\" is not one of the choices.",
                                    column=col, value=values[col]))
            values[col] = code
        for col in ("left_on", "last_contacted_on"):
            if values[col]:
                try:
                    values[col] = date.fromisoformat(values[col])
                except ValueError:
                    row.errors.append(_("%(column)s: write the date as YYYY-MM-DD.", column=col))
        if len(values["name"]) > 120 or len(values["title"]) > 120:
            row.errors.append(_("Name and title are limited to 120 characters."))
        dept = values["department"].lower()
        if dept and dept not in depts and values["department"] not in preview.new_departments:
            preview.new_departments.append(values["department"])
        preview.rows.append(row)
    known = existing | set(in_file)
    ids = {c.id: c.name.strip().lower() for c in smap.contacts}
    chain = {c.name.strip().lower(): ids.get(c.reports_to_id) for c in smap.contacts}
    chain |= {r.values["name"].lower(): r.values["reports_to"].lower() or None for r in preview.rows}
    for row in preview.rows:
        boss = row.values["reports_to"]
        if boss and boss.lower() not in known:
            row.errors.append(_("Reports to \"%(name)s\", who is neither on the account nor in the file.",
                                name=boss))
        elif boss and services.reaches(chain, chain.get(row.values["name"].lower()), row.values["name"].lower()):
            row.errors.append(_("Reporting lines in the file make a loop through %(name)s.", name=boss))
    if not preview.rows and not preview.problems:
        preview.problems.append(_("The file has no contact rows."))
    return preview


def import_rows(actor, account, preview, smap):
    """Create the departments and contacts of a clean preview, all in one transaction."""
    if not preview.ok:
        raise services.StakeholderError(_("The file has errors; nothing was imported."))
    try:
        depts = {d.name.strip().lower(): d for d in smap.departments}
        for name in preview.new_departments:
            depts[name.lower()] = services.create_department(
                actor, account, {"name": name, "function": "other"}, commit=False)
        by_name = {c.name.strip().lower(): c for c in smap.contacts}
        created = []
        for row in preview.rows:
            v = row.values
            dept = depts.get(v["department"].lower()) if v["department"] else None
            contact = Contact(
                account_id=account.id, name=v["name"], title=v["title"],
                department_id=dept.id if dept else None, seniority=v["seniority"] or "staff",
                buying_role=v["buying_role"] or None, influence=v["influence"] or "medium",
                attitude=v["attitude"] or "neutral", email=v["email"], phone=v["phone"],
                interests=v["interests"], vested_interests=v["vested_interests"],
                needs_short=v["needs_short"], needs_long=v["needs_long"],
                status=v["status"] or "active", left_on=v["left_on"] or None, left_to=v["left_to"],
                last_contacted_on=v["last_contacted_on"] or None)
            db.session.add(contact)
            by_name[v["name"].lower()] = contact
            created.append((contact, v["reports_to"]))
        db.session.flush()
        for contact, boss in created:
            if boss:
                contact.reports_to_id = by_name[boss.lower()].id
        db.session.flush()
        for contact, _boss in created:
            record(actor, contact, "create", summary=contact.name)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return [c for c, _b in created]

