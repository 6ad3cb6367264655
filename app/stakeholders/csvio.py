"""CSV export of contacts with vocabulary codes as stored (UTF-8 with a BOM so Excel opens
Chinese names intact). Import, of this file and any other, is app/imports."""
import csv
import io

from app.stakeholders.models import CONTACT_STATUS
from app.vocab import ATTITUDES, BUYING_ROLES, INFLUENCE, SENIORITY

COLUMNS = ("id", "name", "title", "department", "reports_to", "seniority", "buying_role", "influence",
           "attitude", "email", "phone", "interests", "vested_interests", "needs_short",
           "needs_long", "status", "left_on", "left_to", "last_contacted_on")
VOCAB_COLUMNS = {"seniority": SENIORITY, "buying_role": BUYING_ROLES, "influence": INFLUENCE,
                 "attitude": ATTITUDES, "status": CONTACT_STATUS}
from app.sheets.writer import FORMULA_START  # noqa: E402


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
            c.id, c.name, c.title, c.department.name if c.department else "", names.get(c.reports_to_id, ""),
            c.seniority, c.buying_role or "", c.influence, c.attitude, c.email, c.phone, c.interests,
            c.vested_interests, c.needs_short, c.needs_long, c.status,
            c.left_on.isoformat() if c.left_on else "", c.left_to,
            c.last_contacted_on.isoformat() if c.last_contacted_on else "",
        )])
    return out.getvalue().encode("utf-8-sig")
