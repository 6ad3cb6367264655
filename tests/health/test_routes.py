"""Health routes: the sponsor page, notes in place, the snapshot button, the admin's weights, the home page."""
from datetime import timedelta

from app.audit.models import AuditEvent
from app.extensions import db
from app.health.models import CheckInNote, HealthSnapshot, HomeSeen
from app.team.models import Membership
from app.timeutil import utcnow
from tests import factories
from tests.complaints.factories import make_channel, make_complaint, make_contact
from tests.health.factories import make_action, make_decision_maker, make_objective
from tests.meetings.factories import make_cadence, make_meeting
from tests.querycount import queries_for


def test_sponsor_page_lists_what_needs_the_sponsor(world, as_role):
    dm = make_decision_maker(world.account, owner=world.users["sponsor"], name="赵总 Zhao", last_days_ago=80)
    make_cadence(world.account, world.users["sponsor"], dm, every_days=30, started_days_ago=100)
    # Another executive's overdue meeting counts in the health, not in what needs this sponsor.
    theirs = make_contact(world.account, name="钱总 Qian")
    make_cadence(world.account, world.users["kam"], theirs, every_days=30, started_days_ago=100)
    ch = make_channel(world.account)
    make_complaint(world.account, ch, subject="Line stopped", severity="critical", hours_ago=100)
    make_objective(world.account, status="at_risk", title="Framework deal")
    make_meeting(world.account, status="scheduled", days_ago=-3, title="QBR with Zhao")
    page = as_role("sponsor").get("/sponsor").get_data(as_text=True)
    assert world.account.name in page and world.other.name not in page
    for text in ("赵总 Zhao, a decision-maker you own, was last met 80 days ago", "days overdue",
                 "Line stopped", "Framework deal", "QBR with Zhao", "Why it scored"):
        assert text in page, text
    assert page.count("days overdue") == 1 and "Qian" not in page
    assert 'href="/sponsor"' in page  # the nav link


def test_sponsor_page_takes_the_missed_quarter_snapshot_and_still_lists_its_accounts(world, as_role):
    """The page's one query finds the sponsored accounts and which missed the closed quarter's
    snapshot; taking it commits, and the page still shows every account (the same queries after)."""
    from datetime import datetime

    from app.health import services

    prev = services.shift_quarter(services.quarter_of_today(), -1)
    first, _last = services.quarter_bounds(prev)
    world.account.created_at = datetime.combine(first, datetime.min.time())
    db.session.commit()
    sponsor = as_role("sponsor")
    page = sponsor.get("/sponsor").get_data(as_text=True)
    assert world.account.name in page and world.other.name not in page
    snaps = db.session.scalars(db.select(HealthSnapshot).where(HealthSnapshot.quarter == prev)).all()
    assert [s.account_id for s in snaps] == [world.account.id]
    from tests.querycount import count_queries

    with count_queries() as q:
        again = sponsor.get("/sponsor").get_data(as_text=True)
    assert world.account.name in again
    assert db.session.scalar(db.select(db.func.count(HealthSnapshot.id)).where(HealthSnapshot.quarter == prev)) == 1
    assert not any("INSERT" in s for s in q.statements)


def test_sponsor_link_and_page_for_others(world, as_role):
    page = as_role("member").get("/sponsor").get_data(as_text=True)
    assert "You sponsor no account" in page and 'href="/sponsor"' not in page
    # Owning a decision-maker makes a member a sponsor of that account.
    make_decision_maker(world.account, owner=world.users["member"])
    page = as_role("member").get("/sponsor").get_data(as_text=True)
    assert world.account.name in page and 'href="/sponsor"' in page


def test_note_in_place_lands_on_the_timeline(world, as_role, hx):
    sponsor = as_role("sponsor")
    url = f"/accounts/{world.account.id}/health/notes"
    resp = sponsor.post(url, data={"body": "Met their CFO: budget is safe."}, headers=hx)
    assert resp.status_code == 200 and b"<html" not in resp.data
    assert b'id="notes-%d"' % world.account.id in resp.data and b"budget is safe" in resp.data
    timeline = as_role("kam").get(f"/accounts/{world.account.id}").get_data(as_text=True)
    assert "Met their CFO: budget is safe." in timeline and "Vic VP" in timeline
    # A plain post redirects back to the sponsor page.
    assert sponsor.post(url, data={"body": "Second"}).status_code == 302
    assert db.session.scalar(db.select(db.func.count(CheckInNote.id))) == 2


def test_bad_note_is_refused_with_a_message(world, as_role, hx):
    url = f"/accounts/{world.account.id}/health/notes"
    resp = as_role("sponsor").post(url, data={"body": "   "}, headers=hx)
    assert resp.status_code == 422 and b"Write the note first." in resp.data
    resp = as_role("sponsor").post(url, data={"body": "x" * 2001})
    assert resp.status_code == 422 and b"<html" in resp.data and b"x" * 50 in resp.data
    assert as_role("observer").post(url, data={"body": "hi"}).status_code == 403
    assert as_role("outsider").post(url, data={"body": "hi"}).status_code == 404
    assert db.session.scalar(db.select(db.func.count(CheckInNote.id))) == 0


def test_overview_section_and_snapshot_button(world, as_role, hx):
    kam = as_role("kam")
    page = kam.get(f"/accounts/{world.account.id}/sections/health").get_data(as_text=True)
    assert 'id="section-health"' in page and "Decision-maker coverage" in page and "snapshot" in page
    assert "snapshot" not in as_role("member").get(f"/accounts/{world.account.id}/sections/health").get_data(as_text=True).split(
        'id="section-health"')[1].split("</section>")[0]
    url = f"/accounts/{world.account.id}/health/snapshot"
    frag = kam.post(url, headers=hx)
    assert frag.status_code == 200 and frag.data.lstrip().startswith(b"<link")
    assert kam.post(url).status_code == 302
    assert as_role("member").post(url).status_code == 403
    assert db.session.scalar(db.select(db.func.count(HealthSnapshot.id))) == 1


def test_admin_sets_weights(world, as_role):
    admin = as_role("admin")
    assert admin.get("/admin/health").status_code == 200
    data = {"coverage": "30", "cadence": "10", "complaints": "20", "plan": "15", "freshness": "10",
            "satisfaction": "15"}
    assert admin.post("/admin/health", data=data).status_code == 302
    assert b'value="30"' in admin.get("/admin/health").data
    bad = admin.post("/admin/health", data=data | {"plan": "abc", "cadence": "500"})
    assert bad.status_code == 422 and b"whole number from 0 to 100" in bad.data and b'value="abc"' in bad.data
    assert as_role("kam").get("/admin/health").status_code == 403


def test_home_shows_health_and_changes_since_last_visit(world, as_role):
    kam = as_role("kam")
    first = kam.get("/").get_data(as_text=True)
    assert "Nothing changed on your accounts" in first and world.account.name in first
    seen = db.session.get(HomeSeen, world.users["kam"].id)
    seen.seen_at = utcnow() - timedelta(days=2)
    db.session.add(AuditEvent(actor_id=world.users["kam"].id, account_id=world.account.id, object_type="Contact",
                              object_id=1, action="update", summary="my own change"))
    db.session.add(AuditEvent(actor_id=world.users["member"].id, account_id=world.account.id,
                              object_type="Contact", object_id=1, action="update", summary="刘总 moved"))
    db.session.add(AuditEvent(actor_id=world.users["outsider"].id, account_id=world.other.id,
                              object_type="Contact", object_id=2, action="update", summary="not mine"))
    db.session.commit()
    page = kam.get("/").get_data(as_text=True)
    assert "刘总 moved" in page and "Mo Member" in page
    assert "my own change" not in page and "not mine" not in page
    assert "刘总 moved" in kam.get("/").get_data(as_text=True)  # a reload is the same visit


def _grow(world, n):
    """Add n more accounts on the sponsor's and KAM's teams, each with rows every part counts."""
    for i in range(n):
        a = factories.make_account(f"Grown {i}")
        for role in ("kam", "sponsor"):
            factories.make_member(a, world.users[role], role=role)
        dm = make_decision_maker(a, owner=world.users["sponsor"], last_days_ago=100)
        make_cadence(a, world.users["sponsor"], dm)
        make_complaint(a, make_channel(a), severity="critical", hours_ago=200)
        make_objective(a)
        make_action(a, owner=world.users["kam"])
        make_contact(a, name="Key", influence="high")
        make_meeting(a, [world.users["sponsor"]], [dm], satisfaction=6)
        make_meeting(a, status="scheduled", days_ago=-2)
        db.session.add(CheckInNote(account_id=a.id, author_id=world.users["sponsor"].id, body="n"))
        db.session.add(AuditEvent(actor_id=world.users["member"].id, account_id=a.id, object_type="Contact",
                                  object_id=1, action="update", summary="x"))
        db.session.commit()


def test_pages_run_a_fixed_number_of_queries(world, as_role):
    sponsor, kam = as_role("sponsor"), as_role("kam")
    _grow(world, 1)
    counts = {u: queries_for(c, u)[1] for c, u in ((sponsor, "/sponsor"), (kam, "/"), (kam, "/portfolio"),
                                                    (kam, f"/accounts/{world.account.id}"))}
    _grow(world, 4)
    for c, u in ((sponsor, "/sponsor"), (kam, "/"), (kam, "/portfolio"), (kam, f"/accounts/{world.account.id}")):
        resp, n = queries_for(c, u)
        assert resp.status_code == 200 and n == counts[u], (u, counts[u], n)


def test_sponsor_cards_are_paged_and_the_summary_lists_every_account(world, as_role):
    from app.health.routes import CARDS_PER_PAGE, NEEDS_SHOWN

    _grow(world, CARDS_PER_PAGE)  # with the world's account: one more than a page
    for i in range(NEEDS_SHOWN + 2):  # one account with more needs than a card shows
        make_objective(world.account, status="at_risk", title=f"Risky {i}")
    sponsor = as_role("sponsor")
    first = sponsor.get("/sponsor").get_data(as_text=True)
    second = sponsor.get("/sponsor?page=2").get_data(as_text=True)
    cards = [page.count('class="card sponsor-account"') for page in (first, second)]
    assert cards == [CARDS_PER_PAGE, 1]
    for page in (first, second):  # the summary ranks all of them on every page
        assert page.count('href="/accounts/') >= CARDS_PER_PAGE + 1
        assert "Page 1 of 2" in page or "Page 2 of 2" in page
    # The summary links a card on the other page through that page.
    assert "/sponsor?page=2#acc-" in first and "/sponsor?page=1#acc-" in second
    both = first + second
    assert both.count("more on the account") == 1
    assert "and 2 more on the account" in both  # seven at-risk objectives, five shown
    # A page past the end shows the last one, not an error.
    assert sponsor.get("/sponsor?page=99").status_code == 200
    assert sponsor.get("/sponsor?page=abc").status_code == 200


def test_portfolio_shows_health(world, as_role):
    page = as_role("kam").get("/portfolio").get_data(as_text=True)
    assert "health-score" in page


def test_needs_are_written_only_for_the_accounts_shown(world):
    from app.health import sponsor

    for i in range(3):
        make_objective(world.account, status="at_risk", title=f"Risky {i}")
    user = world.users["sponsor"]
    ids = sponsor.sponsor_account_ids(user)
    full = sponsor.needs_you(user, ids)
    counted = sponsor.needs_you(user, ids, detail=[])
    assert {k: len(v) for k, v in full.items()} == {k: len(v) for k, v in counted.items()}
    assert [k for k, _t in full[world.account.id]] == [k for k, _t in counted[world.account.id]]
    assert all(t is None for _k, t in counted[world.account.id]) and full[world.account.id]
    assert all(t is not None for _k, t in full[world.account.id])
    assert sponsor.needs_you(user, ids, detail=[world.account.id]) == full
    db.session.rollback()


def test_sparkline_points_are_the_trend_then_now_across_the_drawing(app):
    """spark_points: x from 2 to 62 in equal steps, y 16 at 0 and 2 at 100, one decimal; the score
    now is the last point only when it is known; nothing for fewer than two points."""
    from types import SimpleNamespace as NS

    from app.health.routes import spark_points

    trend = [NS(score=40), NS(score=55), NS(score=73)]
    assert spark_points(trend, NS(enough=True, score=100)) == "2.0,10.4 22.0,8.3 42.0,5.8 62.0,2.0 "
    assert spark_points(trend, NS(enough=False, score=None)) == "2.0,10.4 32.0,8.3 62.0,5.8 "
    assert spark_points([NS(score=0)], NS(enough=True, score=50)) == "2.0,16.0 62.0,9.0 "
    assert spark_points([], NS(enough=True, score=50)) == ""
    assert spark_points([NS(score=50)], NS(enough=False, score=None)) == ""


def _summary(page):
    """The sponsor summary's rows (the table before the cards)."""
    return page.split('id="sponsor-summary"')[1].split("</table>")[0]


def test_sponsor_summary_rows_follow_the_data_and_the_language(world, as_role):
    """The rows are rendered once a process for the same values and language (health.routes.
    sponsor_row): a change to the account, its health or the reader's language is a new row."""
    sponsor = as_role("sponsor")
    make_decision_maker(world.account, owner=world.users["sponsor"], name="孙总 Sun", last_days_ago=80)
    cadence = make_cadence(world.account, world.users["kam"], make_contact(world.account, name="李总 Li"),
                           every_days=30, started_days_ago=100)
    first = _summary(sponsor.get("/sponsor").get_data(as_text=True))
    assert world.account.name in first and 'data-label="Health"' in first
    assert _summary(sponsor.get("/sponsor").get_data(as_text=True)) == first  # the same row again

    def needs(rows):
        return int(rows.split('class="badge bad-badge">')[1].split("<")[0])

    assert needs(first) == 1  # the owned decision-maker
    # The same health, one need more: another executive's overdue cadence becomes the sponsor's.
    cadence.executive_id = world.users["sponsor"].id
    db.session.commit()
    mine = _summary(sponsor.get("/sponsor").get_data(as_text=True))
    assert needs(mine) == 2 and mine.replace(">2<", ">1<") == first
    make_complaint(world.account, make_channel(world.account), subject="Outage", severity="critical",
                   hours_ago=100)
    worse = _summary(sponsor.get("/sponsor").get_data(as_text=True))
    assert needs(worse) == 3 and worse != mine  # and now the complaint (the score fell too)
    world.account.name = "新名字 Renamed Ltd"
    db.session.commit()
    changed = _summary(sponsor.get("/sponsor").get_data(as_text=True))
    assert "新名字 Renamed Ltd" in changed and world.account.name not in worse

    world.users["sponsor"].language = "zh"
    db.session.commit()
    chinese = _summary(sponsor.get("/sponsor").get_data(as_text=True))
    assert 'data-label="Health"' not in chinese and "新名字 Renamed Ltd" in chinese
    world.users["sponsor"].language = "en"
    db.session.commit()
    assert _summary(sponsor.get("/sponsor").get_data(as_text=True)) == changed


def _my_accounts(page):
    return page.split('id="my-accounts"')[1].split("</table>")[0]


def test_home_rows_follow_the_data_and_the_language(world, as_role):
    """The home page's rows are rendered once a process for the same values and language
    (main.routes.home_row): each of the weakest part's sentence, the tier, the role and the
    language makes a new row."""
    kam = as_role("kam")
    first = _my_accounts(kam.get("/").get_data(as_text=True))
    assert world.account.name in first and _my_accounts(kam.get("/").get_data(as_text=True)) == first
    # A critical complaint: the complaints part has data now, the weakest part or its sentence moves.
    make_complaint(world.account, make_channel(world.account), severity="critical", hours_ago=200)
    worse = _my_accounts(kam.get("/").get_data(as_text=True))
    assert worse != first
    world.account.tier = "strategic" if world.account.tier != "strategic" else "key"
    db.session.commit()
    tiered = _my_accounts(kam.get("/").get_data(as_text=True))
    assert tiered != worse and f"tier-{world.account.tier}" in tiered
    membership = db.session.scalar(db.select(Membership).where(
        Membership.account_id == world.account.id, Membership.user_id == world.users["kam"].id,
        Membership.left_on.is_(None)))
    before_role = membership.role_label
    membership.role = "sponsor" if membership.role != "sponsor" else "kam"
    db.session.commit()
    roled = _my_accounts(kam.get("/").get_data(as_text=True))
    row = roled.split(world.account.name)[1].split("</tr>")[0]
    assert roled != tiered and str(membership.role_label) in row and str(before_role) not in row
    world.users["kam"].language = "zh"
    db.session.commit()
    chinese = _my_accounts(kam.get("/").get_data(as_text=True))
    assert chinese != roled and world.account.name in chinese
    world.users["kam"].language = "en"
    db.session.commit()
    assert _my_accounts(kam.get("/").get_data(as_text=True)) == roled


def test_a_home_row_with_another_weakest_sentence_is_a_new_row(world, app):
    """The same score and weakest part with another sentence (1 objective at risk, or 2 overdue
    actions: 20 points either way) must not reuse the row."""
    from app.health.parts import Health, Part
    from app.main.routes import home_row

    m = db.session.scalar(db.select(Membership).where(Membership.account_id == world.account.id))
    with app.test_request_context():
        rows = [home_row(m, Health(60, [Part("plan", 15, 80, text), Part("cadence", 15, 90, "Kept.")], 2, 6),
                         [], "new") for text in ("1 objective at risk.", "2 overdue actions.")]
    assert "1 objective at risk." in rows[0] and "2 overdue actions." in rows[1]


def _why(page, account):
    """The 'why it scored' block of `account`'s card on the sponsor page."""
    card = page.split(f'id="acc-{account.id}"')[1]
    return card.split("<details>")[1].split("</details>")[0]


def test_sponsor_card_why_block_follows_the_counts_the_weights_and_the_language(world, as_role):
    """A card's parts and sentences are rendered once a process for the same Health source
    (health.routes.health_why): another count, another weight or another language is a new block."""
    from app.health.models import HealthWeight

    sponsor = as_role("sponsor")
    make_decision_maker(world.account, owner=world.users["sponsor"], name="周总 Zhou", last_days_ago=80)
    channel = make_channel(world.account)
    first = _why(sponsor.get("/sponsor").get_data(as_text=True), world.account)
    assert "No open critical complaint" in first and "weight 20" in first
    assert _why(sponsor.get("/sponsor").get_data(as_text=True), world.account) == first
    make_complaint(world.account, channel, subject="Outage", severity="critical", hours_ago=1)
    worse = _why(sponsor.get("/sponsor").get_data(as_text=True), world.account)
    assert "1 open critical complaint" in worse and "No open critical complaint" not in worse
    db.session.add(HealthWeight(key="complaints", weight=35))
    db.session.commit()
    weighed = _why(sponsor.get("/sponsor").get_data(as_text=True), world.account)
    assert "weight 35" in weighed and weighed.replace("weight 35", "weight 20") != weighed
    world.users["sponsor"].language = "zh"
    db.session.commit()
    chinese = _why(sponsor.get("/sponsor").get_data(as_text=True), world.account)
    assert chinese != weighed and "weight 35" not in chinese
    world.users["sponsor"].language = "en"
    db.session.commit()
    assert _why(sponsor.get("/sponsor").get_data(as_text=True), world.account) == weighed


def test_the_why_block_of_the_same_counts_is_kept_and_of_a_hand_built_health_is_not(app):
    """The same counts and weights give the same block from the memo; a Health without a source
    (built by hand) is rendered each time, so two of them never share a block."""
    from app.health.parts import Counts, Health, Part, build
    from app.health.routes import health_why

    with app.test_request_context():
        a, b = build(Counts(channels=1, open_critical=1), {}), build(Counts(channels=1, open_critical=1), {})
        assert a.source == b.source and health_why(a) == health_why(b) and "1 open critical" in health_why(a)
        other = build(Counts(channels=1, breached=1), {})
        assert other.source != a.source and "past its promised time" in health_why(other)
        heavier = build(Counts(channels=1, open_critical=1), {"complaints": 40})
        assert heavier.source != a.source and "weight 40" in health_why(heavier)
        hand = [health_why(Health(50, [Part("plan", 15, 50, text)], 1, 6)) for text in ("One.", "Two.")]
        assert "One." in hand[0] and "Two." in hand[1]
