"""Hostile text: script and template injection typed into every text field stays text.

The strings go in through the real form routes (validation, services, audit) as the account's
KAM. Then a real browser opens every GET page of the account (walked from the URL map, ids
from tests/route_params.py) and checks: no script ran (window.__xss unset, no dialog), no
injected element exists in the DOM (the CSP would stop a script anyway; this checks the
escaping itself), each string is shown literally somewhere, and `{{7*7}}` stays `{{7*7}}`.
The complaint channel card PDF shows them as plain text. URL fields refuse `javascript:`.
"""
import io
from datetime import timedelta

import pytest

from app.extensions import db
from app.timeutil import today, utcnow
from tests import factories
from tests.e2e.conftest import login
from tests.route_params import PARAMS

pytestmark = pytest.mark.e2e

HOSTILE = [
    "<script>window.__xss=1</script>",
    '"><img src=x onerror="window.__xss=1">',
    "{{7*7}}",
    "{{ config }}",
    "{% print 7*7 %}",
    '</textarea><svg onload="window.__xss=1">',
    "'-alert(1)-'",
    '=HYPERLINK("http://evil.example","x")',
    "javascript:alert(1)",
]
INJECTED = "img[src='x'], svg[onload], [onerror], [onload], script:not([src])"
SKIP = (".csv", ".pdf", ".ics", "/logout", "/language")


def hostile(i):
    """The i-th field's text: a hostile string and a tag saying which field it is."""
    return f"{HOSTILE[i % len(HOSTILE)]} #{i}"


def when(days=1):
    return (utcnow() - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def fill(client, account, kam):
    """Every text field of every form, through the routes. Returns the strings stored."""
    from app.complaints.models import Complaint, ComplaintChannel
    from app.meetings.models import Meeting
    from app.plans.models import Objective, Plan
    from app.stakeholders.models import Contact, Department

    n = iter(range(1000))
    stored = []

    def post(url, data, ok=(200, 302)):
        texts = {k: v for k, v in data.items() if isinstance(v, str) and v.endswith(tuple(
            f"#{j}" for j in range(1000)))}
        resp = client.post(f"/accounts/{account.id}{url}", data=data)
        assert resp.status_code in ok, (url, resp.status_code, resp.data[:1500])
        stored.extend(texts.values())
        return resp

    def first(model):
        return db.session.scalar(db.select(model).where(model.account_id == account.id).order_by(model.id.desc()))

    post("/edit", {"name": hostile(next(n)), "industry": hostile(next(n)), "region": hostile(next(n)),
                   "procurement_model": "centralised", "purchase_pattern": "recurring", "currency": "CNY",
                   "tier": "key", "payment_terms": hostile(next(n)), "credit_note": hostile(next(n)),
                   "version": account.version})
    post("/stakeholders/departments", {"name": hostile(next(n)), "function": "other", "parent_id": "",
                                       "notes": hostile(next(n))})
    dept = first(Department)
    post("/stakeholders", {"name": hostile(next(n)), "title": hostile(next(n)), "department_id": dept.id,
                           "reports_to_id": "", "seniority": "vp", "buying_role": "", "influence": "high",
                           "attitude": "neutral"})
    contact = first(Contact)
    db.session.expire_all()
    post(f"/stakeholders/contacts/{contact.id}", {
        "name": contact.name, "title": contact.title, "department_id": dept.id, "reports_to_id": "",
        "seniority": "vp", "buying_role": "", "influence": "high", "attitude": "neutral",
        "interests": hostile(next(n)), "vested_interests": hostile(next(n)), "needs_short": hostile(next(n)),
        "needs_long": hostile(next(n)), "email": "", "phone": "", "version": contact.version})
    post("/stakeholders/touches", {"kind": "call", "occurred_on": today().isoformat(),
                                   "contact_ids": [contact.id], "note": hostile(next(n))})
    # Channels: a javascript: portal is refused; the text fields are kept as text.
    bad = client.post(f"/accounts/{account.id}/channels", data={
        "kind": "account_manager", "owner_id": kam.id, "response_hours": 4, "resolution_hours": 48,
        "portal": "javascript:alert(1)"})
    assert bad.status_code == 422
    post("/channels", {"kind": "account_manager", "owner_id": kam.id, "response_hours": 4,
                       "resolution_hours": 48, "hours": hostile(next(n)), "notes": hostile(next(n)),
                       "phone": "+86 21 5555 0000"})
    post("/channels", {"kind": "management", "owner_id": kam.id, "response_hours": 8,
                       "resolution_hours": 96, "hours": hostile(next(n)), "notes": hostile(next(n))})
    low = db.session.scalar(db.select(ComplaintChannel).where(
        ComplaintChannel.account_id == account.id, ComplaintChannel.kind == "account_manager"))
    post("/complaints/new", {"channel_id": low.id, "contact_id": contact.id, "owner_id": 0,
                             "received_at": when(), "subject": hostile(next(n)), "category": "quality",
                             "severity": "high", "description": hostile(next(n))})
    c = first(Complaint)
    post(f"/complaints/{c.id}/step", {"to_status": "resolved", "note": hostile(next(n)),
                                      "resolution": hostile(next(n)), "root_cause": hostile(next(n)),
                                      "prevention": hostile(next(n)), "version": c.version})
    post("/meetings/new", {"title": hostile(next(n)), "kind": "executive", "status": "held",
                           "starts_at": when(2), "duration_minutes": 60, "location": hostile(next(n)),
                           "our_attendees": [kam.id], "their_attendees": [contact.id],
                           "agenda": hostile(next(n)), "summary": hostile(next(n)),
                           "decisions": hostile(next(n)), "satisfaction": 8})
    m = first(Meeting)
    post(f"/meetings/{m.id}/actions", {"title": hostile(next(n)), "owner_id": kam.id})
    post("/plan", {})
    plan = first(Plan)
    pb = f"/plans/{plan.id}"
    db.session.expire_all()
    plan = first(Plan)
    from app.plans import services as plan_services
    plan = plan_services.load_plan(account.id, plan.id)
    post(f"{pb}/business", {**{f: hostile(next(n)) for f in (
        "strategy", "short_term_needs", "long_term_needs", "financial_notes", "initiatives", "competitors",
        "industry_position")}, "version": plan.business.version})
    post(f"{pb}/position", {"narrative": hostile(next(n)), "annual_value": "100", "category_spend": "1000",
                            "potential": "300", "version": plan.position.version})
    for quadrant in ("strength", "weakness", "opportunity", "threat"):
        post(f"{pb}/swot", {"quadrant": quadrant, "text": hostile(next(n))})
    post(f"{pb}/objectives", {"title": hostile(next(n)), "horizon": "short", "owner_id": kam.id,
                              "target_value": hostile(next(n)), "status": "on_track", "progress": 10})
    obj = first(Objective)
    post(f"{pb}/objectives/{obj.id}/actions", {"title": hostile(next(n)), "owner_id": kam.id,
                                               "status": "open"})
    post(f"{pb}/opportunities", {"name": hostile(next(n)), "value": "1000", "stage": "lost",
                                 "reason": hostile(next(n))})
    return stored


def pages(app, world, account):
    """Every GET page of the account (and the global ones), ids filled as the route walk does."""
    from flask import url_for

    urls = []
    for rule in app.url_map.iter_rules():
        if ("GET" not in (rule.methods or ()) or rule.endpoint == "static" or rule.rule.endswith(SKIP)
                or "/export" in rule.rule):  # spreadsheet downloads: tests/imports/test_exports.py
            continue
        values = {}
        for arg in rule.arguments:
            values[arg] = account.id if arg == "account_id" else PARAMS[arg](world, account)
        if any(v is None for v in values.values()) or rule.rule.startswith("/login"):
            continue
        with app.test_request_context():
            urls.append(url_for(rule.endpoint, **values))
    return sorted(set(urls))


def test_hostile_text_stays_text(app, world, live_server, page, shot):
    kam = world.users["kam"]
    kam.email = "kim.kam@example.com"
    db.session.commit()
    account = world.account
    client = app.test_client().login(kam)
    stored = fill(client, account, kam)
    assert len(stored) >= 40

    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    login(page, live_server, kam.email, factories.PASSWORD)
    page.wait_for_url(f"{live_server}/")
    seen_text = []
    from app.complaints.models import ComplaintChannel

    checked = pages(app, world, account) + [  # every channel's edit page: its notes show only there
        f"/accounts/{account.id}/channels/{ch_id}" for ch_id in db.session.scalars(
            db.select(ComplaintChannel.id).where(ComplaintChannel.account_id == account.id))]
    for url in checked:
        resp = page.goto(live_server + url)
        assert resp.status < 500, url
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__xss") == "undefined", url
        assert page.locator(INJECTED).count() == 0, (url, page.locator(INJECTED).first.evaluate("e => e.outerHTML"))
        seen_text.append(page.evaluate(
            "document.body.innerText + [...document.querySelectorAll('input,textarea')].map(e => e.value).join(' ')"))
    all_text = "\n".join(seen_text)
    missing = [s for s in stored if s not in all_text]
    assert not missing, f"not shown literally anywhere: {missing}"
    assert "{{7*7}}" in all_text and "{% print 7*7 %}" in all_text
    assert not dialogs
    page.goto(f"{live_server}/accounts/{account.id}/complaints")
    shot(page, "hostile-complaints")
    print(f"hostile: {len(stored)} fields, {len(checked)} pages checked")

    # The printable channel card (PDF): the channel's text as plain text.
    from pypdf import PdfReader

    resp = client.get(f"/accounts/{account.id}/channels/card.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.data)).pages)
    flat = "".join(text.split())
    hours = [s for s in stored if s.endswith(("#14", "#16"))]  # the channels' hours, printed on the card
    for s in hours:
        assert "".join(s.split()) in flat, (s, text)
