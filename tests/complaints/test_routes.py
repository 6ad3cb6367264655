"""Complaint pages: full page and htmx fragment, bad input, conflicts, the card and its PDF."""
import io
from datetime import timedelta

import pytest

from app.complaints.models import Complaint, ComplaintChannel
from app.extensions import db
from app.timeutil import utcnow
from tests.complaints.factories import make_channel, make_complaint, make_contact
from tests.querycount import queries_for


@pytest.fixture
def kam(world, as_role):
    return as_role("kam")


@pytest.fixture
def chans(world):
    return (make_channel(world.account, "account_manager", owner=world.users["kam"]),
            make_channel(world.account, "management", 8, 96, owner=world.users["sponsor"]))


def _url(world, path=""):
    return f"/accounts/{world.account.id}{path}"


def test_index_page_and_filtered_fragment(world, kam, chans, hx):
    make_complaint(world.account, chans[0], "Late delivery", hours_ago=10, severity="high")
    make_complaint(world.account, chans[0], "Invoice wrong", hours_ago=1, severity="low")
    page = kam.get(_url(world, "/complaints"))
    assert page.status_code == 200 and b"<html" in page.data and b"Late delivery" in page.data
    frag = kam.get(_url(world, "/complaints?breach=breached"), headers=hx)
    assert frag.status_code == 200 and b"<html" not in frag.data
    assert b'id="complaint-list"' in frag.data and b"Late delivery" in frag.data and b"Invoice wrong" not in frag.data


def test_log_a_complaint_in_local_time(app, world, kam, chans):
    app.extensions["babel"].default_timezone = "Asia/Shanghai"  # as TIMEZONE=Asia/Shanghai sets it
    contact = make_contact(world.account)
    local = (utcnow() + timedelta(hours=8) - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    resp = kam.post(_url(world, "/complaints/new"), data={
        "channel_id": chans[0].id, "contact_id": contact.id, "received_at": local, "subject": "交付延迟 Late",
        "category": "delivery", "severity": "high", "description": "", "owner_id": 0})
    assert resp.status_code == 302, resp.data.decode()[-3000:]
    c = db.session.scalar(db.select(Complaint))
    assert abs((utcnow() - c.received_at) - timedelta(hours=2)) < timedelta(minutes=2)
    assert c.owner_id == world.users["kam"].id and c.contact_id == contact.id


def test_bad_complaint_input_is_422_with_input_kept(world, kam, chans):
    resp = kam.post(_url(world, "/complaints/new"), data={
        "channel_id": chans[0].id, "contact_id": 0, "received_at": "not a date", "subject": "Kept subject",
        "category": "delivery", "severity": "high", "owner_id": 0})
    assert resp.status_code == 422 and b"Kept subject" in resp.data and b"has-error" in resp.data
    future = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    resp = kam.post(_url(world, "/complaints/new"), data={
        "channel_id": chans[0].id, "contact_id": 0, "received_at": future, "subject": "Kept",
        "category": "delivery", "severity": "high", "owner_id": 0})
    assert resp.status_code == 422 and b"future" in resp.data
    resp = kam.post(_url(world, "/complaints/new"), data={"channel_id": 999999, "subject": "x"})
    assert resp.status_code == 422


def test_steps_through_htmx_and_close_needs_root_cause(world, kam, chans, hx):
    c = make_complaint(world.account, chans[0], hours_ago=3)
    url = _url(world, f"/complaints/{c.id}")
    assert kam.get(url).status_code == 200
    r = kam.post(url + "/step", data={"to_status": "acknowledged", "version": c.version}, headers=hx)
    assert r.status_code == 200 and f'id="complaint-{c.id}"'.encode() in r.data and b"<html" not in r.data
    db.session.expire_all()
    c = db.session.get(Complaint, c.id)
    r = kam.post(url + "/step", data={"to_status": "closed", "version": c.version,
                                      "prevention": "Kept prevention"}, headers=hx)
    assert r.status_code == 422 and b"root cause" in r.data and b"Kept prevention" in r.data
    r = kam.post(url + "/step", data={"to_status": "closed", "version": c.version, "root_cause": "Worn tool",
                                      "prevention": "Kept prevention"}, headers=hx)
    assert r.status_code == 200
    db.session.expire_all()
    c = db.session.get(Complaint, c.id)
    assert c.status == "closed" and c.root_cause == "Worn tool"
    r = kam.post(url + "/step", data={"to_status": "resolved", "version": c.version}, headers=hx)
    assert r.status_code == 422 and b"Reopen it first" in r.data
    r = kam.post(url + "/reopen", data={"note": "", "version": c.version}, headers=hx)
    assert r.status_code == 422
    r = kam.post(url + "/reopen", data={"note": "Back again", "version": c.version})
    assert r.status_code == 302


def test_stale_step_is_409(world, kam, chans, hx):
    c = make_complaint(world.account, chans[0])
    url = _url(world, f"/complaints/{c.id}")
    old = c.version
    kam.post(url + "/step", data={"to_status": "acknowledged", "version": old}, headers=hx)
    r = kam.post(url + "/step", data={"to_status": "resolved", "version": old, "resolution": "mine"}, headers=hx)
    assert r.status_code == 409 and b"Someone else saved" in r.data and b"mine" in r.data


def test_escalate_route(world, kam, chans, hx):
    c = make_complaint(world.account, chans[0])
    url = _url(world, f"/complaints/{c.id}/escalate")
    r = kam.post(url, data={"channel_id": chans[1].id, "note": "VP call", "version": c.version}, headers=hx)
    assert r.status_code == 200 and b"Escalated" in r.data
    db.session.expire_all()
    assert db.session.get(Complaint, c.id).channel_id == chans[1].id
    r = kam.post(url, data={"channel_id": chans[0].id, "version": c.version}, headers=hx)
    assert r.status_code == 422


def test_observer_reads_but_cannot_step(world, as_role, chans):
    c = make_complaint(world.account, chans[0])
    obs = as_role("observer")
    assert obs.get(_url(world, f"/complaints/{c.id}")).status_code == 200
    assert b"step-form" not in obs.get(_url(world, f"/complaints/{c.id}")).data
    assert obs.post(_url(world, f"/complaints/{c.id}/step"), data={"to_status": "resolved"}).status_code == 403


def test_channels_add_in_place_and_bad_input(world, kam, hx):
    data = {"kind": "technical", "owner_id": world.users["member"].id, "phone": "400-820-1234",
            "email": "tech@example.com", "portal": "", "hours": "7x24", "response_hours": 2,
            "resolution_hours": 24, "notes": ""}
    r = kam.post(_url(world, "/channels"), data=data, headers=hx)
    assert r.status_code == 200 and b'id="channels"' in r.data and b"400-820-1234" in r.data
    r = kam.post(_url(world, "/channels"), data=data, headers=hx)
    assert r.status_code == 422 and b"already has" in r.data
    r = kam.post(_url(world, "/channels"), data=dict(data, kind="executive", email="nope", response_hours=0),
                 headers=hx)
    assert r.status_code == 422 and b"valid e-mail" in r.data


def test_channel_edit_conflict_keeps_input(world, kam, chans):
    ch = chans[0]
    url = _url(world, f"/channels/{ch.id}")
    assert kam.get(url).status_code == 200
    base = {"kind": "account_manager", "owner_id": world.users["kam"].id, "phone": "111", "email": "",
            "portal": "", "hours": "", "response_hours": 4, "resolution_hours": 48, "notes": ""}
    assert kam.post(url, data=dict(base, version=ch.version)).status_code == 302
    r = kam.post(url, data=dict(base, phone="My new phone 222", version=1))
    assert r.status_code == 409 and b"My new phone 222" in r.data
    db.session.expire_all()
    assert db.session.get(ComplaintChannel, ch.id).phone == "111"


def test_card_page_and_pdf_in_chinese(world, kam, chans):
    from pypdf import PdfReader

    page = kam.get(_url(world, "/channels/card?lang=zh"))
    assert page.status_code == 200 and "联系我们".encode() in page.data
    pdf = kam.get(_url(world, "/channels/card.pdf?lang=zh"))
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "联系我们" in text and "+86 21 1234 5678" in text
    en = kam.get(_url(world, "/channels/card.pdf?lang=en"))
    assert "How to reach us" in PdfReader(io.BytesIO(en.data)).pages[0].extract_text()


def test_pdf_fetcher_refuses_files_and_outside_urls(app):
    from app.complaints.card import RefusedURL, make_fetcher

    with app.test_request_context():
        fetch = make_fetcher("http://localhost")
        assert fetch("http://localhost/static/css/app.css").read()
        for url in ("file:///etc/passwd", "http://evil.example.com/x.css",
                    "http://localhost/static/../../config.py", "http://localhost.evil.com/static/css/app.css"):
            with pytest.raises(RefusedURL):
                fetch(url)


def test_card_template_names_no_outside_resource(app, world, chans):
    """The PDF template may not pull anything from outside (the fetcher would refuse it anyway)."""
    from flask import render_template

    with app.test_request_context():
        html = render_template("complaints/card_print.html", account=world.account, channels=[],
                               today=utcnow().date())
    assert "http" not in html.split("<body>")[0] and "<link" not in html


def test_breach_list_across_accounts(world, kam, as_role, chans, hx):
    make_complaint(world.account, chans[0], "Our breached one", hours_ago=30)
    other = make_channel(world.other, "account_manager")
    make_complaint(world.other, other, "Hidden breach", hours_ago=30)
    r = kam.get("/complaints")
    assert r.status_code == 200 and b"Our breached one" in r.data and b"Hidden breach" not in r.data
    r = kam.get("/complaints?status=&severity=critical&breach=", headers=hx)
    assert r.status_code == 200 and b"Our breached one" not in r.data and b"<html" not in r.data


def test_admin_breach_list_covers_every_account(world, as_role, chans):
    """A separate test: clients in one test share the app context's cached user."""
    make_complaint(world.account, chans[0], "Our breached one", hours_ago=30)
    make_complaint(world.other, make_channel(world.other, "account_manager"), "Hidden breach", hours_ago=30)
    body = as_role("admin").get("/complaints").data
    assert b"Hidden breach" in body and b"Our breached one" in body


def test_overview_section_lists_open_worst_first(world, kam, chans):
    make_complaint(world.account, chans[0], "Minor thing", severity="low")
    make_complaint(world.account, chans[0], "Line stopped", severity="critical")
    body = kam.get(_url(world, "/sections/complaints")).data.decode()
    assert 'id="section-complaints"' in body and body.index("Line stopped") < body.index("Minor thing")


@pytest.mark.parametrize("path", ["/complaints", "/channels", "/channels/card", "", "/complaints/{cid}", "@/complaints"])
def test_query_count_does_not_grow(world, kam, chans, path):
    c = make_complaint(world.account, chans[0], contact_id=make_contact(world.account).id,
                       owner_id=world.users["kam"].id)
    make_complaint(world.account, chans[1], hours_ago=20, contact_id=c.contact_id,  # a breach from the start
                   owner_id=world.users["kam"].id)
    from app.complaints.models import ComplaintEvent
    db.session.add(ComplaintEvent(account_id=world.account.id, complaint_id=c.id, kind="escalate",
                                  actor_id=world.users["kam"].id, from_channel_id=chans[0].id,
                                  to_channel_id=chans[1].id))
    db.session.commit()
    url = "/complaints" if path.startswith("@") else _url(world, path.format(cid=c.id))
    _, before = queries_for(kam, url)
    for i in range(6):
        contact = make_contact(world.account, name=f"Contact {i}")
        x = make_complaint(world.account, chans[i % 2], f"C{i}", hours_ago=i * 10, contact_id=contact.id,
                           owner_id=world.users["member"].id)
        if path.startswith("/complaints/"):
            from app.complaints.models import ComplaintEvent
            db.session.add(ComplaintEvent(account_id=world.account.id, complaint_id=c.id, kind="escalate",
                                          actor_id=world.users["kam"].id, from_channel_id=chans[0].id,
                                          to_channel_id=chans[1].id))
            db.session.commit()
        assert x
    resp, after = queries_for(kam, url)
    assert resp.status_code == 200
    assert after == before, (path, before, after)


def _edit_form(c, **over):
    data = {"subject": c.subject, "description": c.description or "", "category": c.category or "quality",
            "severity": c.severity, "contact_id": c.contact_id or 0, "owner_id": c.owner_id or 0,
            "version": c.version}
    data.update(over)
    return data


def test_edit_a_logged_complaint_is_audited_and_keeps_channel_and_times(world, kam, chans, as_role):
    from app.audit.models import AuditEvent

    liu = make_contact(world.account)
    c = make_complaint(world.account, chans[0], "Late delivry", hours_ago=5, category="quality")
    respond_by = c.respond_by
    page = kam.get(_url(world, f"/complaints/{c.id}")).get_data(as_text=True)
    assert f'href="/accounts/{world.account.id}/complaints/{c.id}/edit"' in page
    form = kam.get(_url(world, f"/complaints/{c.id}/edit"))
    assert form.status_code == 200 and 'value="Late delivry"' in form.get_data(as_text=True)
    resp = kam.post(_url(world, f"/complaints/{c.id}/edit"), data=_edit_form(
        c, subject="Late delivery of line 3 parts", severity="high", contact_id=liu.id,
        owner_id=world.users["member"].id, description="Three days late. 晚了三天。"))
    assert resp.status_code == 302
    db.session.expire_all()
    c = db.session.get(Complaint, c.id)
    assert (c.subject, c.severity, c.contact_id, c.owner_id) == (
        "Late delivery of line 3 parts", "high", liu.id, world.users["member"].id)
    assert c.respond_by == respond_by and c.channel_id == chans[0].id  # the promise is unchanged
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.object_type == "Complaint",
                                                           AuditEvent.action == "update")).one()
    assert event.changes["subject"] == ["Late delivry", "Late delivery of line 3 parts"]
    # Observers read but do not edit.
    assert as_role("observer").get(_url(world, f"/complaints/{c.id}/edit")).status_code == 403
    assert 'complaint-edit-link' not in as_role("observer").get(_url(world, f"/complaints/{c.id}")).get_data(as_text=True)


def test_edit_bad_input_is_refused_with_what_was_typed(world, kam, chans):
    c = make_complaint(world.account, chans[0], "Late delivery")
    resp = kam.post(_url(world, f"/complaints/{c.id}/edit"), data=_edit_form(
        c, subject="   ", description="Typed and kept 保留"))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "Typed and kept 保留" in body
    other_contact = make_contact(world.other, name="Not theirs")
    resp = kam.post(_url(world, f"/complaints/{c.id}/edit"), data=_edit_form(c, contact_id=other_contact.id))
    assert resp.status_code == 422
    resp = kam.post(_url(world, f"/complaints/{c.id}/edit"), data=_edit_form(c, owner_id=world.users["outsider"].id))
    assert resp.status_code == 422
    db.session.expire_all()
    assert db.session.get(Complaint, c.id).subject == "Late delivery"


def test_edit_two_teammates_at_once_second_gets_409_and_keeps_input(world, kam, chans, as_role):
    c = make_complaint(world.account, chans[0], "Late delivery")
    seen = _edit_form(c)
    assert kam.post(_url(world, f"/complaints/{c.id}/edit"), data={**seen, "subject": "KAM's words"}).status_code == 302
    resp = as_role("member").post(_url(world, f"/complaints/{c.id}/edit"), data={**seen, "subject": "Member's words"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 409 and "KAM&#39;s words" in body and "Member&#39;s words" in body
    db.session.expire_all()
    assert db.session.get(Complaint, c.id).subject == "KAM's words"


def test_timeline_names_people_contacts_and_channels_not_ids(world, kam, chans, as_role):
    from app.complaints import services as complaint_services

    liu = make_contact(world.account, name="刘总 Liu Jun")
    c = make_complaint(world.account, chans[0], "Late delivery", owner_id=world.users["kam"].id)
    assert kam.post(_url(world, f"/complaints/{c.id}/edit"), data=_edit_form(
        c, contact_id=liu.id, owner_id=world.users["member"].id)).status_code == 302
    db.session.expire_all()
    c = db.session.get(Complaint, c.id)
    complaint_services.escalate(world.users["kam"], c, chans[1].id, note="Customer asked", version=c.version)
    page = kam.get(f"/accounts/{world.account.id}/timeline").get_data(as_text=True)
    kam_name, member_name = world.users["kam"].name, world.users["member"].name
    assert f"<del>{kam_name}</del> → <ins>{member_name}</ins>" in page
    assert "<del>—</del> → <ins>刘总 Liu Jun</ins>" in page
    assert "<del>Account manager</del> → <ins>Management</ins>" in page
    assert f"<del>{world.users['kam'].id}</del>" not in page
