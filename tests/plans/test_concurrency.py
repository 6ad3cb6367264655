"""Two teammates edit the same section at once: neither loses a word, the second is told.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""
import re

from app.extensions import db
from app.plans import objectives as obj
from app.plans import services
from app.plans.models import BusinessSection


def _version(html):
    return re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)


def test_two_sessions_edit_the_same_section(world, plan, as_role, hx):
    kim, mo = as_role("kam"), as_role("member")
    base = f"/accounts/{plan.account_id}/plans/{plan.id}/business"
    # Both open the form at the same version.
    kim_v = _version(kim.get(base + "/edit", headers=hx).get_data(as_text=True))
    mo_v = _version(mo.get(base + "/edit", headers=hx).get_data(as_text=True))
    assert kim_v == mo_v == "1"

    saved = kim.post(base, headers=hx, data={"version": kim_v, "strategy": "Kim: grow in the EV market",
                                             "short_term_needs": "Kim: fix plant-2 yield"})
    assert saved.status_code == 200

    late = mo.post(base, headers=hx, data={"version": mo_v, "strategy": "Mo: become their digital partner",
                                           "long_term_needs": "Mo: one data platform"})
    assert late.status_code == 409
    body = late.get_data(as_text=True)
    assert "Someone else saved this while you were editing." in body
    assert "Kim KAM saved at" in body
    # Their version is shown ...
    assert "Kim: grow in the EV market" in body and "Kim: fix plant-2 yield" in body
    # ... and what Mo typed is still in the form.
    assert "Mo: become their digital partner" in body and "Mo: one data platform" in body
    # Nothing of Kim's was overwritten.
    db.session.expire_all()
    section = db.session.scalar(db.select(BusinessSection).where(BusinessSection.plan_id == plan.id))
    assert section.strategy == "Kim: grow in the EV market" and section.long_term_needs == ""

    # Mo merges and saves again on the version the conflict handed back: accepted.
    new_v = _version(body)
    assert new_v == "2"
    merged = mo.post(base, headers=hx, data={
        "version": new_v, "strategy": "Kim: grow in the EV market; Mo: become their digital partner",
        "short_term_needs": "Kim: fix plant-2 yield", "long_term_needs": "Mo: one data platform"})
    assert merged.status_code == 200
    db.session.expire_all()
    section = db.session.get(BusinessSection, section.id)
    assert section.version == 3 and "Mo: become" in section.strategy and section.short_term_needs


def test_two_sessions_edit_the_same_objective(world, plan, as_role, hx):
    o = obj.add_objective(world.users["kam"], plan, {"title": "Win the tender", "horizon": "short"})
    kim, vic = as_role("kam"), as_role("sponsor")
    base = f"/accounts/{plan.account_id}/plans/{plan.id}/objectives/{o.id}"
    form = {"title": "Win the tender", "horizon": "short", "owner_id": "0", "status": "on_track",
            "progress": "0", "version": "1"}
    assert kim.post(base, headers=hx, data={**form, "status": "at_risk", "progress": "30"}).status_code == 200
    late = vic.post(base, headers=hx, data={**form, "title": "Win the tender by June"})
    body = late.get_data(as_text=True)
    assert late.status_code == 409 and "At risk" in body and "Win the tender by June" in body


def test_a_save_racing_past_the_check_is_still_caught(world, plan):
    """Two saves that both passed the version check: the database refuses the second."""
    from sqlalchemy.orm import Session

    from app.concurrency import StaleEdit

    kam = world.users["kam"]
    section = plan.business
    # Another connection saves between our check and our commit.
    with Session(db.engine) as other:
        row = other.get(BusinessSection, section.id)
        row.strategy = "Saved by the other session"
        other.commit()
    try:
        services.update_section(kam, plan, "business", {"strategy": "Ours"}, section.version)
    except StaleEdit:
        pass
    else:
        raise AssertionError("the second save went through")
    db.session.expire_all()
    assert db.session.get(BusinessSection, section.id).strategy == "Saved by the other session"
