"""Import from .xlsx and CSV: encodings Excel writes, other CRMs' exports, upsert, bad files."""
import io

import openpyxl
import pytest

from app.accounts.models import Account
from app.audit.models import AuditEvent
from app.extensions import db
from app.stakeholders.models import Contact
from tests.imports.conftest import apply, contacts_url, upload

NAMES = "姓名,职务,部门,电子邮件\n王芳,采购经理,采购部,wang@example.com\n李雷,工程师,技术部,\n"


def contacts(account):
    db.session.expire_all()  # the requests committed in their own sessions
    return db.session.scalars(db.select(Contact).where(Contact.account_id == account.id)
                              .order_by(Contact.id)).all()


def xlsx(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_round_trip_xlsx_updates_the_contact(app, world, mapped, as_role):
    c = as_role("member")
    before = len(contacts(world.account))
    resp = c.get(f"/accounts/{world.account.id}/export/contacts.xlsx")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    wb = openpyxl.load_workbook(io.BytesIO(resp.data))
    ws = wb.active
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    header = [cell.value for cell in ws[1]]
    assert header[:3] == ["Id", "Name", "Title"]
    ws.cell(row=3, column=3, value="采购总监 Head of Purchasing")
    name = ws.cell(row=3, column=2).value
    out = io.BytesIO()
    wb.save(out)
    preview = upload(c, contacts_url(world), out.getvalue(), "contacts.xlsx")
    assert preview.status_code == 200, preview.text
    assert "1 to update" in preview.text and "0 to create" in preview.text
    assert apply(c, contacts_url(world), preview).status_code == 302
    after = contacts(world.account)
    assert len(after) == before
    changed = next(x for x in after if x.name == name)
    assert changed.title == "采购总监 Head of Purchasing" and "联系人" in changed.name
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "import")).one()
    assert event.account_id == world.account.id and event.changes["updated"] == [None, 1]
    timeline = c.get(f"/accounts/{world.account.id}/timeline")
    assert timeline.status_code == 200 and "imported a file into" in timeline.text


def test_zh_export_imports_back_unchanged(app, world, mapped, as_role):
    world.users["member"].language = "zh"
    db.session.commit()
    c = as_role("member")
    resp = c.get(f"/accounts/{world.account.id}/export/contacts.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(resp.data)).active
    assert ws["B1"].value == "名称" and ws["F2"].value.startswith(("员工", "经理", "总监", "副总裁", "高管"))
    preview = upload(c, contacts_url(world), resp.data, "contacts.xlsx")
    assert preview.status_code == 200, preview.text
    assert "3 项未变" in preview.text and "0 项新建" in preview.text


@pytest.mark.parametrize(("encoding", "sep", "ending"), [
    ("gbk", ",", "\r\n"), ("gb18030", ",", "\n"), ("utf-16", "\t", "\r\n"), ("utf-8-sig", ";", "\r"),
    ("utf-8", ",", "\r"), ("utf-16-le", "\t", "\n")])
def test_encodings_excel_writes(app, world, as_role, encoding, sep, ending):
    c = as_role("member")
    body = NAMES.replace(",", sep).replace("\n", ending).encode(encoding)
    preview = upload(c, contacts_url(world), body)
    assert preview.status_code == 200, preview.text
    assert "王芳" in preview.text and "2 to create" in preview.text
    assert apply(c, contacts_url(world), preview).status_code == 302
    wang = next(x for x in contacts(world.account) if x.name == "王芳")
    assert wang.title == "采购经理" and wang.email == "wang@example.com"


def test_big5_traditional_chinese(app, world, as_role):
    c = as_role("member")
    body = "姓名,職稱\n陳大文,經理\n林美玲,採購主管\n".encode("big5")
    preview = upload(c, contacts_url(world), body)
    assert preview.status_code == 200 and "Big5" in preview.text and "陳大文" in preview.text
    assert apply(c, contacts_url(world), preview).status_code == 302
    assert {x.name for x in contacts(world.account)} >= {"陳大文", "林美玲"}


SALESFORCE = ("First Name,Last Name,Title,Email,Phone,Mobile,Department,Account Name,Reports To,Contact ID\n"
              "Mary,Major,VP Procurement,mary@example.com,+1 555 0100,,Procurement,Acme,,0031x001\n"
              "Tom,Minor,Buyer,tom@example.com,,+1 555 0111,Procurement,Acme,Mary Major,0031x002\n")
HUBSPOT = ("Record ID,First Name,Last Name,Email,Phone Number,Job Title,Company Name,Last Activity Date\n"
           "5101,芳,王,wf@example.com,021-5555,采购经理,华东精密,2026-10-01 09:30\n")


def test_salesforce_and_hubspot_contacts_map_without_changes(app, world, as_role):
    c = as_role("member")
    preview = upload(c, contacts_url(world), SALESFORCE.encode())
    assert preview.status_code == 200 and "Salesforce" in preview.text, preview.text
    assert apply(c, contacts_url(world), preview).status_code == 302
    people = {x.name: x for x in contacts(world.account)}
    assert people["Tom Minor"].reports_to_id == people["Mary Major"].id
    assert people["Tom Minor"].phone == "+1 555 0111" and people["Mary Major"].title == "VP Procurement"
    preview = upload(c, contacts_url(world), HUBSPOT.encode())
    assert preview.status_code == 200 and "HubSpot" in preview.text
    assert apply(c, contacts_url(world), preview).status_code == 302
    wang = next(x for x in contacts(world.account) if x.email == "wf@example.com")
    assert wang.name == "王芳" and wang.title == "采购经理" and str(wang.last_contacted_on) == "2026-10-01"
    # Their record ids are not our ids: importing the same file again changes nothing.
    again = upload(c, contacts_url(world), SALESFORCE.encode())
    assert "0 to create" in again.text and "2 unchanged" in again.text


def test_mapping_is_editable_on_the_preview(app, world, as_role):
    c = as_role("member")
    preview = upload(c, contacts_url(world), b"Who,Job\nAnn,Buyer\n")
    assert preview.status_code == 422 and "No column is matched to the name" in preview.text
    from tests.imports.conftest import token_of
    token = token_of(preview)
    remapped = c.post(contacts_url(world), data={"token": token, "mapped": "1", "map-0": "name", "map-1": "title"})
    assert remapped.status_code == 200 and "1 to create" in remapped.text
    done = c.post(contacts_url(world), data={"token": token, "mapped": "1", "map-0": "name",
                                             "map-1": "title", "apply": "1"})
    assert done.status_code == 302
    assert next(x for x in contacts(world.account) if x.name == "Ann").title == "Buyer"


ACCOUNTS_SF = ("Account ID,Account Name,Industry,Annual Revenue,Website,Billing City,Type\n"
               "001x1,Acme Robotics,Manufacturing,\"12,500,000\",acme.example.com,Suzhou,Customer\n"
               "001x2,华东精密 East China Precision,Machinery,900000,,Shanghai,Customer\n")
ACCOUNTS_HS = ("Record ID,Company name,Industry,Annual Revenue,Company Domain Name,City\n"
               "77,蓝海零售,Retail,3000000,bluesea.example.cn,杭州\n")


def test_accounts_import_salesforce_and_hubspot(app, world, as_role):
    kam = as_role("kam")
    url = "/accounts/import"
    preview = upload(kam, url, ACCOUNTS_SF.encode(), "accounts.csv")
    assert preview.status_code == 200 and "Salesforce" in preview.text, preview.text
    assert "1 to create" in preview.text and "1 to update" in preview.text
    assert apply(kam, url, preview).status_code == 302
    acme = db.session.scalar(db.select(Account).where(Account.name == "Acme Robotics"))
    assert float(acme.revenue_this_year) == 12_500_000 and acme.region == "Suzhou"
    db.session.refresh(world.account)
    assert world.account.industry == "Machinery"
    preview = upload(kam, url, ACCOUNTS_HS.encode(), "companies.csv")
    assert "HubSpot" in preview.text and apply(kam, url, preview).status_code == 302
    assert db.session.scalar(db.select(Account).where(Account.name == "蓝海零售")).website == "bluesea.example.cn"
    # An observer may not change the account they only read.
    obs = as_role("observer")
    refused = upload(obs, url, ACCOUNTS_SF.encode(), "accounts.csv")
    assert refused.status_code == 422 and "You may only read" in refused.text


@pytest.mark.parametrize(("body", "filename", "message"), [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "photo.png", "not a spreadsheet"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "old.xls", "97-2003"),
    (b"", "empty.csv", "empty"),
    (b"   \r\n", "blank.csv", "empty"),
    ("姓名,职务\n".encode(), "header.csv", "no contact rows"),
    (b"PK\x03\x04garbage", "broken.xlsx", "damaged"),
    (bytes(range(256)) * 40, "noise.csv", "could not be recognised"),
    (b"name,title\n" + b"x" * (10 * 1024 * 1024) + b",t\n", "huge.csv", "longer than"),
])
def test_bad_files_get_a_message(app, world, as_role, body, filename, message):
    c = as_role("member")
    before = len(contacts(world.account))
    resp = upload(c, contacts_url(world), body, filename)
    assert resp.status_code in (413, 422), resp.status
    assert message in resp.text, resp.text[-1500:]
    assert len(contacts(world.account)) == before


def test_formula_cell_and_hostile_cells_are_refused_per_row(app, world, as_role):
    c = as_role("member")
    body = xlsx([["Name", "Title", "E-mail"], ["Ann", "=1+2", ""], ["Bob", "Buyer", "bob@example.com"],
                 ["Cid", "x" * 121, ""], ["Dee", "Buyer", "dee@example.com\nBcc: x@evil.test"],
                 ["Eve", "Buyer", "not-an-email"]])
    wb = openpyxl.load_workbook(io.BytesIO(body))
    wb.active["B2"] = "=1+2"  # a live formula
    out = io.BytesIO()
    wb.save(out)
    resp = upload(c, contacts_url(world), out.getvalue(), "people.xlsx")
    assert resp.status_code == 422
    assert "a formula" in resp.text and "at most 120" in resp.text
    assert "not an e-mail address" in resp.text and "4 refused" in resp.text
    nul = upload(c, contacts_url(world), b"name,title\nA\x00nn,Buyer\n")
    assert nul.status_code == 422 and "NUL" in nul.text


def test_large_file_goes_through_the_queue(app, world, as_role, monkeypatch):
    from app.imports import service
    monkeypatch.setattr(service, "INLINE_BYTES", 0)
    c = as_role("member")
    body = ("name,title\n" + "".join(f"联系人 {i},Engineer {i}\n" for i in range(3000))).encode("gbk")
    resp = upload(c, contacts_url(world), body)
    # Immediate mode under tests: the job has finished when the answer comes.
    page = c.get(resp.headers["Location"]) if resp.status_code == 302 else resp
    assert "3000 to create" in page.text
    assert apply(c, contacts_url(world), page).status_code == 302
    assert len(contacts(world.account)) >= 3000


def test_the_upload_stays_with_its_owner(app, world, as_role):
    c = as_role("member")
    preview = upload(c, contacts_url(world), NAMES.encode())
    from tests.imports.conftest import token_of
    token = token_of(preview)
    other = as_role("kam")
    assert other.post(contacts_url(world), data={"token": token, "apply": "1"}).status_code == 422
    assert other.get(f"/import/progress?token={token}").status_code == 400
    assert c.post(contacts_url(world), data={"token": "x" * 30, "apply": "1"}).status_code == 422


def test_import_routes_take_files_over_the_app_request_limit(app, world, as_role):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    c = as_role("member")
    body = ("name,title\n" + "".join(f"Person {i},{'t' * 100}\n" for i in range(15000))).encode()
    assert len(body) > 1024 * 1024
    resp = upload(c, contacts_url(world), body)
    assert resp.status_code in (200, 302), resp.status
    app.config["IMPORT_MAX_BYTES"] = 1024 * 1024
    assert upload(c, contacts_url(world), body).status_code == 413


def test_rows_of_one_file_may_fill_different_columns(app, world, as_role):
    """Mobile without phone, first/last name beside a name: every row still imports."""
    c = as_role("member")
    body = (b"Name,First Name,Last Name,Mobile\n"
            b"Ann Full,,,+86 1\n,Bo,Chen,\n,,,\nDa Li,,,\n")
    preview = upload(c, contacts_url(world), body)
    assert preview.status_code == 200 and "3 to create" in preview.text, preview.text
    assert apply(c, contacts_url(world), preview).status_code == 302
    people = {x.name: x for x in contacts(world.account)}
    assert people["Ann Full"].phone == "+86 1" and "Bo Chen" in people and people["Da Li"].phone == ""
