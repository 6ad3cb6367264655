"""The review as data and as PDF: every section, Chinese names, page count, paper, safety."""
import io
import json

import pytest
from pypdf import PdfReader

from app.pdf import RefusedURL, make_fetcher
from app.reviews import quarters
from app.reviews.data import gather
from app.reviews.pdf import build_review, render_review_pdf
from tests.querycount import count_queries
from tests.reviews.conftest import QUARTER

SECTIONS_EN = ("Executive summary", "Objectives and actions", "Opportunities", "Stakeholder map",
               "Coverage gaps", "Complaints this quarter", "Executive meetings this quarter",
               "Priorities for 2026-Q4", "Sign-off")
SECTIONS_ZH = ("执行摘要", "目标与行动", "本季度投诉", "本季度高层会议", "签字确认", "第 2 页，共")


def text_of(pdf):
    """All the text of a PDF, read back with pypdf (spaces squeezed out: CJK comes back spaced)."""
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(p.extract_text() for p in reader.pages)


def test_quarter_helpers():
    assert quarters.parse("2026-Q3") == (2026, 3) and quarters.parse("2026-Q5") is None
    assert [str(d) for d in quarters.bounds("2026-Q4")] == ["2026-10-01", "2026-12-31"]
    assert quarters.shift("2026-Q4", 1) == "2027-Q1" and quarters.shift("2026-Q1", -1) == "2025-Q4"


def test_gather_is_plain_json_with_every_section(app, review_world):
    account = review_world.account
    with app.test_request_context():
        data = gather(account, QUARTER, review_world.users["kam"])
    assert json.loads(json.dumps(data)) == data
    assert data["quarter"] == QUARTER and data["next_quarter"] == "2026-Q4"
    assert data["objectives"][0]["status_code"] == "at_risk"
    assert data["actions"]["overdue"][0]["title"] == "Book the reference visit"
    assert data["opportunities"]["open"][0]["name"].startswith("质检视觉系统")
    assert data["complaints"]["count"] == 1 and data["complaints"]["response_on_time"] == 1
    assert data["complaints"]["resolution_on_time"] == 0
    assert data["meetings"]["rows"][0]["decisions"] == ["Renew for three years", "Pilot line two"]
    assert data["meetings"]["satisfaction"] == 8
    chart = data["stakeholders"]["chart"]  # the drawn org chart, with our coverage lines
    assert [s["title"] for s in chart["sections"]] == ["采购部 Procurement"]
    drawing = chart["sections"][0]["drawing"]
    assert [c["full_name"] for c in drawing["cards"]] == ["刘建国 Liu Jianguo", "赵磊 Zhao Lei"]
    boss, report = drawing["cards"]
    assert [(e["from"], e["to"]) for e in drawing["edges"]] == [(boss["id"], report["id"])]
    assert {link["to"] for link in drawing["links"]} <= {boss["id"], report["id"]}
    assert data["stakeholders"]["gaps"]


def test_health_is_included_when_the_feature_exists(app, review_world):
    pytest.importorskip("app.health.services")
    with app.test_request_context():
        data = gather(review_world.account, QUARTER, review_world.users["kam"])
    assert data["summary"]["health"] is None or 0 <= data["summary"]["health"]["score"] <= 100


def test_gather_runs_a_fixed_number_of_queries(app, review_world):
    from app.complaints.models import ComplaintChannel
    from app.extensions import db
    from tests.complaints.factories import make_complaint

    account = review_world.account

    def counted():
        """Queries of one gather, after a warm-up that reloads what the commits expired."""
        gather(account, QUARTER)
        with count_queries() as q:
            gather(account, QUARTER)
        return q.count

    with app.test_request_context():
        few = counted()
        channel = db.session.scalar(db.select(ComplaintChannel).limit(1))
        for _ in range(5):
            c = make_complaint(account, channel, hours_ago=1)
            c.received_at = c.received_at.replace(year=2026, month=8, day=10)
        db.session.commit()
        more = counted()
    assert more == few


def test_pdf_in_english_holds_every_section_and_the_chinese_names(app, review_world):
    with app.app_context():
        pdf = render_review_pdf(review_world.account, review_world.users["kam"], QUARTER)
    reader, text = text_of(pdf)
    assert 3 <= len(reader.pages) <= 12
    for title in SECTIONS_EN:
        assert title in text, title
    squeezed = text.replace(" ", "")
    for name in ("刘建国", "赵磊", "轴承尺寸超差", "高层季度会"):
        assert name in squeezed
    assert "page 2 of" in text
    assert "<b>Buyer</b>" in text  # user text is escaped, never markup
    assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=1)  # A4


def test_pdf_in_chinese_on_letter(app, review_world):
    user = review_world.users["kam"]
    with app.app_context():
        data, pdf = build_review(review_world.account, user, QUARTER, paper="letter", lang="zh")
    reader, text = text_of(pdf)
    assert data["lang"] == "zh"
    squeezed = text.replace(" ", "")
    for title in SECTIONS_ZH:
        assert title.replace(" ", "") in squeezed, title
    assert reader.pages[0].mediabox.width == pytest.approx(612, abs=1)  # Letter
    fonts = str(reader.pages[1]["/Resources"]["/Font"].values())
    assert fonts  # the CJK font is embedded (pypdf could not extract Chinese otherwise)


def test_quarter_none_means_the_current_quarter(app, review_world):
    with app.app_context():
        data, _pdf = build_review(review_world.account, review_world.users["kam"], None)
    assert data["quarter"] == quarters.current()


def test_fetcher_serves_static_files_and_refuses_everything_else(app):
    with app.test_request_context():
        fetch = make_fetcher("http://app.local")
        assert fetch("http://app.local/static/css/review.css").read()
        for url in ("file:///etc/passwd", "http://evil.example.com/static/css/review.css",
                    "http://app.local/static/../../config.py", "http://app.local.evil.com/static/css/app.css",
                    "http://app.local/admin", "data:text/css,body{}"):
            with pytest.raises(RefusedURL):
                fetch(url)


def test_a_hostile_name_cannot_pull_a_local_file(app, review_world):
    """Markup in user text is escaped, so no <img src=file:...> ever reaches WeasyPrint."""
    account = review_world.account
    account.name = '<img src="file:///etc/passwd"> Evil <link rel=stylesheet href="http://evil.example.com/x.css">'
    from app.extensions import db
    db.session.commit()
    with app.app_context():
        pdf = render_review_pdf(account, review_world.users["kam"], QUARTER)
    _reader, text = text_of(pdf)
    assert "<img" in text and "root:" not in text
