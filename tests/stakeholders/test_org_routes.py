"""The org chart page, a card's picker, the move (as a drag posts it and as the picker does), undo."""
from app.audit.models import AuditEvent
from app.extensions import db
from app.stakeholders.models import Contact


def url(world, path=""):
    return f"/accounts/{world.account.id}/stakeholders{path}"


def _reload(contact):
    db.session.expire_all()
    return db.session.get(Contact, contact.id)


def test_the_page_draws_every_person_and_the_legend(app, world, mapped, as_role):
    _dept, people = mapped
    for view in ("", "?coverage=1", "?group=none", "?group=none&coverage=1&left=0"):
        resp = as_role("observer").get(url(world, "/org" + view))
        assert resp.status_code == 200, view
        assert resp.text.count('data-contact=') == len(people)
        assert all(f'id="card-{p.id}"' in resp.text for p in people)
        assert 'class="org-legend"' in resp.text and "Decision-maker with no executive owner" in resp.text
    assert 'data-can-move="0"' in as_role("observer").get(url(world, "/org")).text
    assert 'data-can-move="1"' in as_role("kam").get(url(world, "/org")).text


def test_a_fragment_for_htmx_and_the_page_otherwise(app, world, mapped, as_role, hx):
    c = as_role("kam")
    frag = c.get(url(world, "/org?coverage=1"), headers=hx)
    assert frag.status_code == 200 and 'id="orgchart"' in frag.text and "<html" not in frag.text
    assert "<html" in c.get(url(world, "/org?coverage=1")).text


def test_the_picker_moves_a_person_records_it_and_undoes(app, world, mapped, as_role, hx):
    _dept, (boss, a, b) = mapped
    c = as_role("kam")
    page = c.get(url(world, f"/org/contacts/{a.id}?coverage=1"))
    assert page.status_code == 200 and 'id="org-move"' in page.text and f'value="{a.version}"' in page.text
    resp = c.post(url(world, f"/contacts/{a.id}/reports-to"), headers=hx,
                  data={"reports_to_id": b.id, "version": a.version, "coverage": "1"})
    assert resp.status_code == 200, resp.text[:500]
    assert "now reports to 联系人 Contact 2" in resp.text and ">Undo</button>" in resp.text
    assert 'name="coverage" value="1"' in resp.text  # the view is kept
    moved = _reload(a)
    assert moved.reports_to_id == b.id
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.object_type == "Contact",
                                                          AuditEvent.object_id == a.id).order_by(AuditEvent.id.desc()))
    assert event.changes == {"reports_to_id": [boss.id, b.id]} and event.actor_id == world.users["kam"].id
    timeline = c.get(f"/accounts/{world.account.id}/timeline").text
    assert "Reports to" in timeline and "联系人 Contact 2" in timeline
    undo = c.post(url(world, f"/contacts/{a.id}/reports-to"), headers=hx,
                  data={"reports_to_id": boss.id, "version": moved.version, "undo": "1"})
    assert undo.status_code == 200 and ">Undo</button>" not in undo.text
    assert _reload(a).reports_to_id == boss.id


def test_a_stale_move_answers_409_and_keeps_the_first(app, world, mapped, as_role, hx):
    _dept, (boss, a, b) = mapped
    c = as_role("kam")
    version = a.version
    assert c.post(url(world, f"/contacts/{a.id}/reports-to"), headers=hx,
                  data={"reports_to_id": b.id, "version": version}).status_code == 200
    stale = c.post(url(world, f"/contacts/{a.id}/reports-to"), headers=hx,
                   data={"reports_to_id": "", "version": version})
    assert stale.status_code == 409 and "Someone else saved this" in stale.text
    assert _reload(a).reports_to_id == b.id


def test_a_loop_is_refused_with_a_message(app, world, mapped, as_role, hx):
    _dept, (boss, a, _b) = mapped
    resp = as_role("kam").post(url(world, f"/contacts/{boss.id}/reports-to"), headers=hx,
                               data={"reports_to_id": a.id, "version": boss.version})
    assert resp.status_code == 422 and "reporting loop" in resp.text
    assert _reload(boss).reports_to_id is None


def test_a_manager_not_on_the_list_is_refused(app, world, mapped, as_role, hx):
    _dept, (_boss, a, _b) = mapped
    resp = as_role("kam").post(url(world, f"/contacts/{a.id}/reports-to"), headers=hx,
                               data={"reports_to_id": "999999", "version": a.version})
    assert resp.status_code == 422 and "Choose a manager from the list." in resp.text


def test_without_htmx_the_move_redirects_to_the_same_view(app, world, mapped, as_role):
    _dept, (_boss, a, b) = mapped
    resp = as_role("kam").post(url(world, f"/contacts/{a.id}/reports-to"),
                               data={"reports_to_id": b.id, "version": a.version, "group": "none"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/stakeholders/org?group=none")


def test_observers_cannot_move_anyone(app, world, mapped, as_role):
    _dept, (_boss, a, b) = mapped
    resp = as_role("observer").post(url(world, f"/contacts/{a.id}/reports-to"),
                                    data={"reports_to_id": b.id, "version": a.version})
    assert resp.status_code in (403, 404)
    assert _reload(a).reports_to_id != b.id
