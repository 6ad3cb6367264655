"""CSV: export opens in Excel with Chinese intact; import previews, reports rows, is all-or-nothing."""
import csv
import io

from app.extensions import db
from app.stakeholders.models import Contact, Department


def url(world, tail):
    return f"/accounts/{world.account.id}/stakeholders{tail}"


def upload(client, world, text, encoding="utf-8"):
    return client.post(url(world, "/import"), content_type="multipart/form-data",
                       data={"file": (io.BytesIO(text.encode(encoding)), "contacts.csv")})


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
    preview = upload(c, world, GOOD)
    assert preview.status_code == 200 and "2 contacts are ready to import" in preview.text
    assert "New departments: 总经办" in preview.text and count() == before  # nothing saved yet
    text = GOOD.replace("\n", "\r\n")
    done = c.post(url(world, "/import"), data={"csv_text": text, "confirm": "1"})
    assert done.status_code == 302 and count() == before + 2
    amy = db.session.scalar(db.select(Contact).where(Contact.name == "Amy Wu"))
    boss = db.session.scalar(db.select(Contact).where(Contact.name == "李总 Li Zong"))
    assert amy.reports_to_id == boss.id and boss.seniority == "c_level"
    assert db.session.scalar(db.select(Department).where(Department.name == "总经办")) is not None


def test_one_bad_row_imports_nothing(app, world, mapped, as_role):
    c = as_role("member")
    bad = GOOD + ",No name,,,,,,\nBob,,,Nobody Known,staff,,loud,neutral,\n联系人 Contact 0,,,,,,,,\n"
    before = count()
    resp = upload(c, world, bad)
    assert resp.status_code == 422 and "nothing will be imported" in resp.text
    assert "The name is empty." in resp.text and "is not one of the choices" in resp.text
    assert "neither on the account nor in the file" in resp.text and "already on this account" in resp.text
    forced = c.post(url(world, "/import"), data={"csv_text": bad, "confirm": "1"})
    assert forced.status_code == 422 and count() == before


def test_import_loop_and_gbk_and_garbage(app, world, as_role):
    c = as_role("member")
    loop = "name,reports_to\nA,B\nB,A\n"
    assert "loop" in upload(c, world, loop).text
    gbk = upload(c, world, "name,title\n王芳,经理\n", encoding="gb18030")
    assert gbk.status_code == 200 and "王芳" in gbk.text
    assert upload(c, world, "no header here\n").status_code == 422
    assert c.post(url(world, "/import"), data={}).status_code == 422
    assert c.get(url(world, "/import")).status_code == 200
