"""Property-based: whatever file is uploaded, the importer answers a preview or a refusal
with a message, never a 500; a clean preview applies without a database error (this runs
on SQLite and, with TEST_DATABASE_URL, on PostgreSQL)."""
import io

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.imports.conftest import apply, contacts_url, upload

HOSTILE = ["\x00", "a\x00b", "=1+2", "+86 21 5555", "@SUM(A1)", "王芳", "陳大文", "x" * 130, "y" * 6000,
           "a@b.c", "a@b", "bad\nmail@example.com", "\u202eevil", "\u200b", " ", "", "2026-02-30",
           "2026-01-05", "C-level", "economic_buyer", "loud", "\r", "\"", "'", ";", ",", "\t", "𠜎𠜱"]
HEADERS = ["name", "title", "email", "department", "reports_to", "seniority", "influence", "phone",
           "last_contacted_on", "姓名", "First Name", "Last Name", "Email", "Reports To", "id", "junk"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "gb18030", "big5", "cp1252"]

cells = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))


@st.composite
def csv_files(draw):
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6, unique=True))
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=len(header) + 1), max_size=8))
    sep = draw(st.sampled_from([",", ";", "\t"]))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = end.join(sep.join(r) for r in [header, *rows]) + end
    return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace"), "f.csv"


@st.composite
def xlsx_files(draw):
    wb = openpyxl.Workbook()
    ws = wb.active
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=5, unique=True))
    ws.append(header)
    for row in draw(st.lists(st.lists(st.one_of(cells, st.integers(), st.floats(allow_nan=False)),
                                      max_size=6), max_size=6)):
        ws.append(["".join(ch for ch in c if ch >= " " or ch in "\t\n") if isinstance(c, str) else c
                   for c in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), draw(st.sampled_from(["f.xlsx", "f.csv", "f"]))


files = st.one_of(csv_files(), xlsx_files(), st.tuples(st.binary(max_size=600), st.sampled_from(["f.csv", "f.xlsx"])))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(file=files)
def test_any_file_is_previewed_or_refused_never_500(app, world, as_role, file):
    body, name = file
    c = as_role("member")
    resp = upload(c, contacts_url(world), body, name)
    assert resp.status_code in (200, 413, 422), resp.status
    if resp.status_code == 200:
        done = apply(c, contacts_url(world), resp)
        assert done.status_code == 302, done.status
    else:
        assert 'class="form-error"' in resp.text
