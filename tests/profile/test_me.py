"""/me: name, language and time zone (version-checked), the browser's zone offered, the feed
address and its reset; the admin's workspace zone; times shown in the reader's zone."""
from datetime import date, datetime

import pytest

from app.auth.models import User
from app.extensions import db
from app.profile import services
from app.profile.models import WorkspaceSetting


@pytest.fixture
def kam(as_role):
    return as_role("kam")


def _me(world, **kw):
    u = world.users["kam"]
    data = {"name": u.name, "language": "", "timezone": "", "version": u.version}
    data.update(kw)
    return data


def test_me_page_has_profile_zone_select_password_and_feed(world, kam):
    r = kam.get("/me")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert '<select class="tz-select" id="timezone" name="timezone"' in html
    assert 'value="Asia/Shanghai"' in html and 'value="America/Los_Angeles"' in html
    assert "data-tz-filter" in html and "data-browser-tz" in html  # searchable, browser's zone offered
    assert 'name="version"' in html and "/me/password" in html
    assert "Turn on my calendar feed" in html
    assert '<a href="/me"' in html  # the header's name links here


def test_save_zone_and_language(world, kam):
    r = kam.post("/me", data=_me(world, timezone="Asia/Shanghai", language="zh", name="Kim 金"))
    assert r.status_code == 302
    u = db.session.get(User, world.users["kam"].id)
    db.session.refresh(u)
    assert (u.timezone, u.language, u.name, u.version) == ("Asia/Shanghai", "zh", "Kim 金", 2)
    html = kam.get("/me").get_data(as_text=True)
    assert "Asia/Shanghai" in html and "data-browser-tz" not in html  # chosen: no offer any more


def test_bad_zone_is_422_with_input_kept(world, kam):
    r = kam.post("/me", data=_me(world, timezone="Mars/Olympus", name="Kept name"))
    assert r.status_code == 422 and b"Kept name" in r.data and b"has-error" in r.data
    r = kam.post("/me", data=_me(world, name=""))
    assert r.status_code == 422


def test_stale_profile_form_is_409(world, kam):
    old = world.users["kam"].version
    assert kam.post("/me", data=_me(world, timezone="Asia/Singapore")).status_code == 302
    r = kam.post("/me", data=_me(world, timezone="Europe/Berlin", version=old))
    assert r.status_code == 409 and b"Someone else saved" in r.data
    u = db.session.get(User, world.users["kam"].id)
    db.session.refresh(u)
    assert u.timezone == "Asia/Singapore"


def test_workspace_zone_is_the_default_of_those_without_one(app, world, as_role):
    admin = as_role("admin")
    assert as_role("kam").get("/admin/workspace").status_code == 403
    assert admin.post("/admin/workspace", data={"timezone": "Nowhere/City"}).status_code == 422
    assert admin.post("/admin/workspace", data={"timezone": "Asia/Singapore"}).status_code == 302
    assert db.session.scalar(db.select(WorkspaceSetting.value)) == "Asia/Singapore"
    html = as_role("member").get("/me").get_data(as_text=True)
    assert "Workspace default (Asia/Singapore)" in html
    assert admin.post("/admin/workspace", data={"timezone": ""}).status_code == 302
    assert "Workspace default (UTC)" in as_role("member").get("/me").get_data(as_text=True)


def test_feed_on_then_reset_old_address_stops(world, kam):
    assert kam.post("/me/calendar").status_code == 302
    u = db.session.get(User, world.users["kam"].id)
    db.session.refresh(u)
    first = u.calendar_token
    html = kam.get("/me").get_data(as_text=True)
    assert f"https://localhost/calendar/{first}.ics" in html and f"webcal://localhost/calendar/{first}.ics" in html
    assert "Google" in html and "Outlook" in html and "Apple" in html
    anon = kam.application.test_client()
    assert anon.get(f"/calendar/{first}.ics").status_code == 200
    kam.post("/me/calendar")
    db.session.refresh(u)
    assert u.calendar_token != first
    assert anon.get(f"/calendar/{first}.ics").status_code == 404
    assert anon.get(f"/calendar/{u.calendar_token}.ics").status_code == 200
    assert anon.get("/calendar/nope.ics").status_code == 404


def test_feed_of_a_deactivated_user_is_gone(world):
    u = world.users["member"]
    token = services.reset_calendar_token(u)
    from app.auth.services import set_active
    set_active(world.users["admin"], u, False)
    from flask import current_app
    assert current_app.test_client().get(f"/calendar/{token}.ics").status_code == 404


def test_dates_of_datetimes_follow_the_reader_and_dates_stay(app, world):
    """A UTC datetime shown as a date is the reader's date; a date is the same date everywhere."""
    from flask_babel import refresh

    from app.templating import date_, datetime_
    from app.timezones import force_timezone

    late = datetime(2027, 1, 13, 22, 30)  # 06:30 on the 14th in Shanghai, 14:30 on the 13th in LA
    due = date(2027, 1, 14)
    with app.test_request_context():
        refresh()
        with force_timezone("Asia/Shanghai"):
            assert date_(late, "yyyy-MM-dd") == "2027-01-14" and date_(due, "yyyy-MM-dd") == "2027-01-14"
            assert "6:30" in datetime_(late, "short")
        with force_timezone("America/Los_Angeles"):
            assert date_(late, "yyyy-MM-dd") == "2027-01-13" and date_(due, "yyyy-MM-dd") == "2027-01-14"
            assert "2:30" in datetime_(late, "short")
        with force_timezone("Pacific/Kiritimati"):  # UTC+14
            assert date_(due, "yyyy-MM-dd") == "2027-01-14"


def test_workspace_zone_first_saves_race_one_wins(app, world):
    """Two admins saving the zone for the first time, both from version 0: the second is stale."""
    from app.concurrency import StaleEdit

    admin = world.users["admin"]
    services.set_workspace_timezone(admin, "Asia/Shanghai", version=0)
    with pytest.raises(StaleEdit):
        services.set_workspace_timezone(admin, "Europe/Berlin", version=0)
    assert services.workspace_zone_setting() == "Asia/Shanghai"


def test_overdue_is_judged_by_the_readers_today(app, world, as_role, monkeypatch):
    """17:30 UTC on 30 November is 01:30 on 1 December in Shanghai and 09:30 on the 30th in
    Los Angeles: an action due on the 30th is overdue for the KAM in Shanghai, not for the
    member in LA; one due on 1 December is due today in Shanghai, in the future in LA."""
    from app import timeutil
    from app.actions.models import ActionItem

    kam, member = world.users["kam"], world.users["member"]
    kam.timezone, member.timezone = "Asia/Shanghai", "America/Los_Angeles"
    for owner in (kam, member):
        db.session.add(ActionItem(account_id=world.account.id, title=f"Call back for {owner.name}",
                                  owner_id=owner.id, due_on=date(2026, 11, 30)))
    db.session.commit()
    monkeypatch.setattr(timeutil, "utcnow", lambda: datetime(2026, 11, 30, 17, 30))
    shanghai = as_role("kam").get("/me/actions").get_data(as_text=True)
    los_angeles = as_role("member").get("/me/actions").get_data(as_text=True)
    assert "Call back for Kim KAM" in shanghai and "Overdue" in shanghai
    assert "Call back for Mo Member" in los_angeles and "Overdue" not in los_angeles
    with app.test_request_context():
        from flask_babel import refresh

        from app.timezones import force_timezone
        refresh()
        with force_timezone("Asia/Shanghai"):
            assert timeutil.today() == date(2026, 12, 1)
        with force_timezone("America/Los_Angeles"):
            assert timeutil.today() == date(2026, 11, 30)
