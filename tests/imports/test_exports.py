"""Exports: .xlsx with real types, frozen header, filter and widths; CSV from the same rows."""
import csv
import io
from datetime import date, datetime

import openpyxl
import pytest

from app.stakeholders import services
from tests.route_params import build


def sheet(resp):
    assert resp.status_code == 200, resp.status
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = openpyxl.load_workbook(io.BytesIO(resp.data)).active
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert ws.column_dimensions["A"].width
    return ws


@pytest.mark.parametrize("what", ["contacts", "complaints", "actions", "coverage"])
def test_every_account_export_in_both_formats(app, world, as_role, what):
    build(world)
    c = as_role("observer")
    ws = sheet(c.get(f"/accounts/{world.account.id}/export/{what}.xlsx"))
    assert ws.max_row >= 2
    resp = c.get(f"/accounts/{world.account.id}/export/{what}.csv")
    assert resp.status_code == 200 and resp.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert [cell.value for cell in ws[1]] == rows[0]
    assert as_role("outsider").get(f"/accounts/{world.account.id}/export/{what}.xlsx").status_code == 404


def test_complaint_sla_columns_are_dates_and_booleans(app, world, as_role):
    build(world)
    ws = sheet(as_role("member").get(f"/accounts/{world.account.id}/export/complaints.xlsx"))
    header = [c.value for c in ws[1]]
    received = ws.cell(row=2, column=header.index("Received") + 1)
    assert isinstance(received.value, datetime) and received.number_format == "yyyy-mm-dd hh:mm"
    assert isinstance(ws.cell(row=2, column=header.index("Response breached") + 1).value, bool)
    assert isinstance(ws.cell(row=2, column=header.index("Response target (h)") + 1).value, int)


def test_portfolio_money_and_percent(app, world, as_role):
    world.account.revenue_this_year = 1234567
    world.account.margin_pct = 23.5
    from app.extensions import db
    db.session.commit()
    ws = sheet(as_role("kam").get("/portfolio/export.xlsx"))
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[header.index("Name")].value == world.account.name)
    money = row[header.index("Revenue this year")]
    assert money.value == 1234567 and "¥" in money.number_format
    pct = row[header.index("Margin")]
    assert abs(pct.value - 0.235) < 1e-9 and pct.number_format == "0%"
    assert world.other.name not in [r[header.index("Name")].value for r in ws.iter_rows(min_row=2)]


def test_formula_text_stays_text_and_chinese_intact(app, world, as_role):
    kam = world.users["kam"]
    contact = services.create_contact(kam, world.account, {"name": "=HYPERLINK(\"http://x\",\"点我\")",
                                                            "title": "+1 总监"})
    contact.last_contacted_on = date(2026, 3, 4)
    from app.extensions import db
    db.session.commit()
    ws = sheet(as_role("kam").get(f"/accounts/{world.account.id}/export/contacts.xlsx"))
    cells = {c.value: c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)}
    formula = cells['=HYPERLINK("http://x","点我")']
    assert formula.data_type == "s" and formula.quotePrefix
    assert cells["+1 总监"].data_type == "s"
    dates = [c.value for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, datetime)]
    assert datetime(2026, 3, 4) in dates
