"""CSV: export opens in Excel with Chinese intact; import previews, reports rows, is all-or-nothing.

(The import itself is app/imports, tested in tests/imports; these are the contact-CSV cases.)"""
import csv
import io

from app.extensions import db
from app.stakeholders.models import Contact, Department
from tests.imports.conftest import apply, import_dir, upload  # noqa: F401


def url(world, tail):
    return f"/accounts/{world.account.id}/stakeholders{tail}"


def send(client, world, text, encoding="utf-8"):
    return upload(client, url(world, "/import"), text.encode(encoding))


def count():
    return db.session.scalar(db.select(db.func.count(Contact.id)))


def test_export_is_utf8_with_bom(app, world, mapped, as_role):
    resp = as_role("observer").get(url(world, "/contacts.csv"))
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert resp.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert rows[1]["name"] == "联系人 Contact 1" and rows[1]["reports_to"] == "联系人 Contact 0"
    assert rows[0]["department"] == "采购部 Procurement"


GOOD = """name,title,department,reports_to,seniority,buying_role,influence,attitude,email
李总 Li Zong,总经理,总经办,,C-level,economic_buyer,high,neutral,li@example.com
Amy Wu,Buyer,采购部 Procurement,李总 Li Zong,staff,,low,supporter,
"""


def test_import_preview_then_confirm(app, world, mapped, as_role):
    c = as_role("member")
    before = count()
    preview = send(c, world, GOOD.replace("\n", "\r\n"))
    assert preview.status_code == 200 and "2 to create" in preview.text
    assert "New departments: 总经办" in preview.text and count() == before  # nothing saved yet
    done = apply(c, url(world, "/import"), preview)
    assert done.status_code == 302 and count() == before + 2
    amy = db.session.scalar(db.select(Contact).where(Contact.name == "Amy Wu"))
    boss = db.session.scalar(db.select(Contact).where(Contact.name == "李总 Li Zong"))
    assert amy.reports_to_id == boss.id and boss.seniority == "c_level"
    assert db.session.scalar(db.select(Department).where(Department.name == "总经办")) is not None


def test_one_bad_row_imports_nothing(app, world, mapped, as_role):
    c = as_role("member")
    bad = GOOD + ",No name,,,,,,\nBob,,,Nobody Known,staff,,low,neutral,\nCarl,,,,,,loud,neutral,\nAmy Wu,,,,,,,,\n"
    before = count()
    resp = send(c, world, bad)
    assert resp.status_code == 422 and "Nothing will be imported" in resp.text
    assert "The name is empty." in resp.text and "is not one of the choices" in resp.text
    assert "neither on the account nor in the file" in resp.text and "on line 3 too" in resp.text
    forced = apply(c, url(world, "/import"), resp)
    assert forced.status_code == 422 and count() == before


def test_import_loop_and_gbk_and_garbage(app, world, as_role):
    c = as_role("member")
    assert "loop" in send(c, world, "name,reports_to\nA,B\nB,A\n").text
    gbk = send(c, world, "name,title\n王芳,经理\n", encoding="gb18030")
    assert gbk.status_code == 200 and "王芳" in gbk.text
    assert send(c, world, "no header here\n").status_code == 422
    assert c.post(url(world, "/import"), data={}).status_code == 422
    assert c.get(url(world, "/import")).status_code == 200
