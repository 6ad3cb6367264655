"""The database refuses duplicates, not only the code.

Partial unique indexes keep one current membership per person and account and one open
pairing per our person and their contact or department (history rows repeat freely); one
score per criterion and account and one health snapshot per account and quarter are plain
unique constraints. A request that loses the race is told so (4xx with a message), never 500.
"""
import threading
from collections import Counter

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.stakeholders.models import Contact, Coverage, Department
from app.team.models import Membership
from app.timeutil import today
from tests import factories
from tests.hardening.test_load import Client, gunicorn

RACERS = 20
ALREADY = "is already on this team."


def current(account, user):
    db.session.expire_all()
    return db.session.scalars(db.select(Membership).where(
        Membership.account_id == account.id, Membership.user_id == user.id,
        Membership.left_on.is_(None))).all()


def test_the_database_refuses_a_second_current_membership(world):
    kim = world.users["kam"]
    db.session.add(Membership(account_id=world.account.id, user_id=kim.id, role="member"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    # History repeats freely: two past stints and a current one.
    ann = factories.make_user("Ann")
    for _ in range(2):
        factories.make_member(world.account, ann, left_on=today())
    factories.make_member(world.account, ann)
    assert len(current(world.account, ann)) == 1


def test_the_database_refuses_a_second_open_pairing(world):
    dept = Department(account_id=world.account.id, name="采购部 Purchasing")
    contact = Contact(account_id=world.account.id, name="王伟 Wang Wei", department=dept)
    db.session.add_all([dept, contact])
    db.session.commit()
    kim = world.users["kam"]
    for kw in ({"contact_id": contact.id}, {"department_id": dept.id}):
        db.session.add(Coverage(account_id=world.account.id, user_id=kim.id, **kw))
        db.session.commit()
        db.session.add(Coverage(account_id=world.account.id, user_id=kim.id, ended_on=today(), **kw))
        db.session.commit()  # an ended pairing is history: fine
        db.session.add(Coverage(account_id=world.account.id, user_id=kim.id, **kw))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_a_racing_add_to_team_is_told_not_500(world, as_role, monkeypatch):
    """Both requests pass the service's check (as when they run at the same instant)."""
    ann = factories.make_user("安娜 Ann")
    monkeypatch.setattr("app.team.services.is_on_team", lambda *a: False)
    monkeypatch.setattr("app.team.services.candidates", lambda account_id, **kw: ([ann], False))
    kam = as_role("kam")
    url = f"/accounts/{world.account.id}/team"
    first = kam.post(url, data={"user_id": ann.id, "role": "member", "function": "sales"})
    assert first.status_code in (200, 302)
    second = kam.post(url, data={"user_id": ann.id, "role": "member", "function": "sales"})
    assert second.status_code == 422 and "安娜 Ann " + ALREADY in second.get_data(as_text=True)
    assert len(current(world.account, ann)) == 1


def test_a_racing_pairing_is_told_not_500(world, as_role, monkeypatch):
    contact = Contact(account_id=world.account.id, name="王伟 Wang Wei")
    db.session.add(contact)
    db.session.commit()
    monkeypatch.setattr("app.stakeholders.coverage.open_pairing", lambda *a, **k: None)
    kam = as_role("kam")
    url = f"/accounts/{world.account.id}/stakeholders/coverage"
    data = {"user_id": world.users["member"].id, "target": f"c{contact.id}", "current_level": "none",
            "target_level": "credible"}
    assert kam.post(url, data=data).status_code in (200, 302)
    second = kam.post(url, data=data)
    assert second.status_code == 422 and "already covers 王伟 Wang Wei" in second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Coverage.id)).where(
        Coverage.contact_id == contact.id, Coverage.ended_on.is_(None))) == 1


def test_a_racing_health_snapshot_replaces_instead_of_failing(world, monkeypatch):
    from app.health import services
    from app.health.models import HealthSnapshot

    quarter = services.quarter_of_today()
    real, calls = services._take_snapshots, []

    def lose_the_race_once(*args):
        calls.append(1)
        if len(calls) == 1:  # another worker stores the snapshot between our read and our insert
            with db.engine.begin() as conn:
                conn.execute(db.insert(HealthSnapshot).values(account_id=world.account.id, quarter=quarter,
                                                              score=1, parts={}, taken_at=today()))
            raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))
        return real(*args)

    monkeypatch.setattr(services, "_take_snapshots", lose_the_race_once)
    assert services.take_snapshots([world.account.id], quarter, actor=world.users["kam"]) == 1
    snaps = db.session.scalars(db.select(HealthSnapshot).where(HealthSnapshot.account_id == world.account.id)).all()
    assert len(snaps) == 1 and snaps[0].taken_by_id == world.users["kam"].id  # ours replaced theirs


def test_a_racing_first_portfolio_keeps_the_other_requests_criteria(world, as_role, monkeypatch):
    """The portfolio and an account's selection section both seed the default criteria on a
    fresh workspace; the loser's insert meets the winner's rows at its flush: 200, not 409."""
    from app.selection import services
    from app.selection.models import Criterion

    assert services.ensure_default_criteria()  # the other request's, committed
    monkeypatch.setattr(services, "_any_criterion", lambda: False)  # we read before it committed
    db.session.expire_all()
    page = as_role("kam").get("/portfolio")
    assert page.status_code == 200 and "Product fit" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Criterion)) == 10


def test_a_first_home_visit_in_two_tabs_at_once_is_not_a_409(world, as_role, monkeypatch):
    from app.health import home
    from app.health.models import HomeSeen
    from app.timeutil import utcnow

    kam = world.users["kam"]
    real, calls = home._seen_row, []

    def other_tab_first(user_id):
        calls.append(1)
        if len(calls) == 1:  # the other tab stores its row between our read and our insert
            with db.engine.begin() as conn:
                conn.execute(db.insert(HomeSeen).values(user_id=user_id, seen_at=utcnow(), previous_at=utcnow()))
            return None
        return real(user_id)

    monkeypatch.setattr(home, "_seen_row", other_tab_first)
    assert as_role("kam").get("/").status_code == 200
    assert len(calls) == 2
    db.session.expire_all()
    assert db.session.get(HomeSeen, kam.id) is not None


def test_any_other_unique_refusal_answers_409_with_a_message(app, client):
    """The safety net: a unique index no service expected answers 409, not 500."""
    from app.auth.models import User

    def make_twins():
        for _ in range(2):
            db.session.add(User(email="twin@example.com", name="Twin", password_hash="x"))
        db.session.commit()
        return "made"

    def make_nameless():
        db.session.add(User(email="nameless@example.com", name=None, password_hash="x"))
        db.session.commit()
        return "made"

    app.add_url_rule("/_test/twins", view_func=make_twins)
    app.add_url_rule("/_test/nameless", view_func=make_nameless)
    resp = client.get("/_test/twins")
    assert resp.status_code == 409 and "Someone saved the same thing at the same moment" in resp.get_data(as_text=True)
    zh = client.get("/_test/twins", headers={"Accept-Language": "zh"})
    assert zh.status_code == 409 and "有人在同一时刻保存了相同的内容" in zh.get_data(as_text=True)
    with pytest.raises(IntegrityError):  # a NULL where none may be is a bug: still a 500
        client.get("/_test/nameless")


@pytest.fixture
def server(app, database_url):
    """gunicorn with 4 workers of 5 threads: all 20 requests are in flight at once."""
    with gunicorn(app, database_url, "-w", "4", "--threads", "5", "-k", "gthread") as port:
        yield port


def test_twenty_simultaneous_add_to_team_requests_leave_one_current_membership(app, world, server):
    """20 clients, one barrier, one person (then one pairing), on the test database."""
    account, ann = world.account, factories.make_user("安娜 Ann", email="ann@example.com")
    contact = Contact(account_id=account.id, name="王伟 Wang Wei")
    db.session.add(contact)
    db.session.commit()
    kam_email, member_id, contact_id = world.users["kam"].email, world.users["member"].id, contact.id
    account_id, ann_id = account.id, ann.id
    db.session.remove()  # let the server have the database

    clients = []
    for _ in range(RACERS):
        c = Client(server)
        c.login(kam_email)
        clients.append(c)

    def race(path, form):
        barrier, results = threading.Barrier(RACERS), []

        def fire(c):
            c.conn.close()  # a fresh connection: gthread drops idle keep-alive ones
            c.conn.connect()
            barrier.wait()
            try:
                status, body = c.request("POST", path, form)
            except Exception as e:  # noqa: BLE001 - reported below
                status, body = repr(e), ""
            results.append((status, body))

        threads = [threading.Thread(target=fire, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        return results

    base = f"/accounts/{account_id}"
    team = race(f"{base}/team", {"user_id": ann_id, "role": "member", "function": "sales"})
    pairs = race(f"{base}/stakeholders/coverage", {"user_id": member_id, "target": f"c{contact_id}",
                                                   "current_level": "none", "target_level": "credible"})
    for results, told in ((team, ("安娜 Ann " + ALREADY, "Not a valid choice")),
                          (pairs, ("already covers 王伟 Wang Wei",))):
        statuses = Counter(s for s, _ in results)
        assert len(results) == RACERS and all(isinstance(s, int) and s < 500 for s in statuses), statuses
        won = [s for s, _ in results if s < 400]
        lost = [(s, b) for s, b in results if s >= 400]
        assert len(won) == 1, statuses
        assert all(s == 422 and any(t in b for t in told) for s, b in lost), Counter(s for s, _ in lost)
    assert db.session.scalar(db.select(db.func.count(Membership.id)).where(
        Membership.account_id == account_id, Membership.user_id == ann_id, Membership.left_on.is_(None))) == 1
    assert db.session.scalar(db.select(db.func.count(Coverage.id)).where(
        Coverage.contact_id == contact_id, Coverage.ended_on.is_(None))) == 1
    print(f"\n{RACERS} add-to-team: {Counter(s for s, _ in team)}; {RACERS} pairings: "
          f"{Counter(s for s, _ in pairs)}")


def _insert(conn, table, **values):
    """Insert into `table` as the database has it now, filling required columns the row leaves
    out with a plain value of their type; the new id."""
    import datetime as dt

    from sqlalchemy import Boolean, Date, DateTime, Integer, MetaData, Numeric, Table

    t = Table(table, MetaData(), autoload_with=conn)
    for col in t.columns:
        if col.name in values or col.nullable or col.primary_key or col.server_default is not None:
            continue
        kind = col.type
        values[col.name] = (False if isinstance(kind, Boolean) else dt.datetime(2026, 1, 1)
                            if isinstance(kind, DateTime) else dt.date(2026, 1, 1) if isinstance(kind, Date)
                            else 1 if isinstance(kind, Integer | Numeric) else "x")
    return conn.execute(t.insert().values(**values).returning(t.c.id)).scalar_one()


def test_the_migration_merges_existing_duplicates_first(database_url, tmp_path):
    """A database at 0010 holding racing duplicates upgrades cleanly, one row kept per key."""
    from flask_migrate import upgrade

    from app import create_app
    from tests.conftest import make_config
    from tests.scratch_db import drop_scratch, scratch_url

    url = scratch_url(database_url, tmp_path, "uniq")
    app = create_app(make_config(url))
    try:
        with app.app_context():
            upgrade(revision="0010_department_removed")
            # Rows as the 0010 schema holds them (the models have moved on since): plain inserts.
            early = today().replace(year=today().year - 1)
            with db.engine.begin() as conn:
                acct_id = _insert(conn, "account", name="Dup Co")
                ann_id = _insert(conn, "user", email="ann@example.com", name="Ann")
                bob_id = _insert(conn, "user", email="bob@example.com", name="Bob")
                dept_id = _insert(conn, "department", account_id=acct_id, name="Quality")
                contact_id = _insert(conn, "contact", account_id=acct_id, name="Li Lei")
                for user_id, role, joined, left in ((ann_id, "member", today(), None),
                                                    (ann_id, "kam", early, None),  # the racing copy
                                                    (ann_id, "member", today(), today()),  # history stays
                                                    (bob_id, "member", today(), None)):
                    _insert(conn, "membership", account_id=acct_id, user_id=user_id, role=role,
                            joined_on=joined, left_on=left)
                for kw in ({"contact_id": contact_id}, {"department_id": dept_id}):
                    for _ in range(3):
                        _insert(conn, "coverage", account_id=acct_id, user_id=ann_id, **kw)
                    _insert(conn, "coverage", account_id=acct_id, user_id=ann_id, ended_on=today(), **kw)
            db.session.remove()

            upgrade()

            rows = db.session.scalars(db.select(Membership).where(
                Membership.account_id == acct_id, Membership.user_id == ann_id).order_by(Membership.id)).all()
            now = [m for m in rows if m.left_on is None]
            assert len(rows) == 2 and len(now) == 1
            assert now[0].role == "kam" and now[0].joined_on == early  # strongest role, earliest start
            pairings = db.session.scalars(db.select(Coverage).where(Coverage.user_id == ann_id)).all()
            assert len([p for p in pairings if p.ended_on is None]) == 2 and len(pairings) == 4
            db.session.add(Membership(account_id=acct_id, user_id=ann_id))
            with pytest.raises(IntegrityError):
                db.session.commit()
            db.session.rollback()
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_scratch(url)
