"""How the route-walking test fills URL parameters. Every feature adds its own.

PARAMS maps a URL parameter name to a function (world, account) -> the id of such an
object under `account` (both account A and B of the world have one). BUILDERS are
functions(world) that create a feature's objects in both accounts. A route with a
parameter that has no entry here fails the walk, so new routes cannot slip past it.
"""
from app.actions.models import ActionItem
from app.complaints.models import Complaint, ComplaintChannel
from app.extensions import db
from app.meetings.models import ExecutiveCadence, Meeting
from app.plans.models import Objective, Opportunity, Plan, SwotItem
from app.selection.models import Criterion
from app.stakeholders.models import Contact, Coverage, Department
from app.team.models import Membership
from tests.complaints import factories as complaint_factories
from tests.meetings import factories as meeting_factories


def first_id(model):
    """Provider: the first object of `model` under the account."""
    def provide(world, account):
        return db.session.scalar(
            db.select(model.id).where(model.account_id == account.id).order_by(model.id).limit(1))
    return provide


PARAMS = {
    "membership_id": lambda w, account: db.session.scalar(
        db.select(Membership.id).where(Membership.account_id == account.id,
                                       Membership.role != "kam").order_by(Membership.id).limit(1))
    or first_id(Membership)(w, account),
    "user_id": lambda w, account: w.users["member"].id,
    "action_id": first_id(ActionItem),
    "key": lambda w, account: "plan",  # an overview section
    "department_id": first_id(Department),
    "contact_id": first_id(Contact),
    "coverage_id": first_id(Coverage),
    "complaint_id": first_id(Complaint),
    "channel_id": first_id(ComplaintChannel),
    "meeting_id": first_id(Meeting),
    "cadence_id": first_id(ExecutiveCadence),
    "criterion_id": lambda w, account: db.session.scalar(
        db.select(Criterion.id).where(Criterion.active.is_(True)).order_by(Criterion.id).limit(1)),
    # The account plan (app/plans)
    "plan_id": lambda w, account: first_id(Plan)(w, account),
    "section": lambda w, account: "business",
    "op": lambda w, account: "down",
    "swot_id": lambda w, account: first_id(SwotItem)(w, account),
    "objective_id": lambda w, account: first_id(Objective)(w, account),
    "plan_action_id": lambda w, account: db.session.scalar(
        db.select(ActionItem.id).where(ActionItem.account_id == account.id,
                                       ActionItem.objective_id.isnot(None)).limit(1)),
    "opportunity_id": lambda w, account: first_id(Opportunity)(w, account),
}

# Parameters that name something outside any account (not checked across accounts).
GLOBAL_PARAMS = {"user_id", "filename", "criterion_id", "key"}


def build_selection(world):
    """Default criteria, and a score, a decision and a stage change on both accounts."""
    from app.selection import services

    services.ensure_default_criteria()
    criterion = services.list_criteria(active_only=True)[0]
    admin = world.users["admin"]
    for account in (world.account, world.other):
        services.set_score(admin, account, criterion, 7, "solid")
        services.record_decision(admin, account, "keep", account.tier, "Reviewed: stays.")
        services.change_stage(admin, account, "stabilize", "Second order signed.")


BUILDERS = [build_selection]


def build_stakeholders(world):
    """A department, a contact, a pairing and a touch in both accounts."""
    from app.stakeholders import coverage, services

    for account, kam in ((world.account, world.users["kam"]), (world.other, world.users["outsider"])):
        dept = services.create_department(kam, account, {"name": "Procurement", "function": "procurement"})
        person = services.create_contact(kam, account, {"name": "王建国", "department_id": dept.id,
                                                        "seniority": "vp", "influence": "high"})
        coverage.add_pairing(kam, account, user_id=kam.id, contact_id=person.id)
        from app.timeutil import today
        services.log_interaction(kam, account, kind="call", occurred_on=today(), contact_ids=[person.id])


BUILDERS.extend([build_stakeholders, complaint_factories.build, meeting_factories.build])


def build_plans(world):
    """An open plan with a SWOT line, an objective with an action, and an opportunity, in A and B."""
    from app.plans import objectives, services

    for account in (world.account, world.other):
        plan = services.start_plan(None, account)
        services.add_swot_item(None, plan, "strength", "Trusted by the plant manager")
        objective = objectives.add_objective(None, plan, {"title": "Win the MES tender", "horizon": "short"})
        objectives.add_objective_action(None, plan, objective, "Book the reference visit")
        objectives.add_opportunity(None, account, {"name": "MES phase 2", "stage": "proposal", "value": 1000})


BUILDERS.append(build_plans)


def build(world):
    """Give both accounts of the world one object of each feature.

    After a worker's first build the rows are put back from tests/snapshot.py's copy when the
    world is the same (each builder's files outside the database are made every time)."""
    from flask import current_app

    from tests.snapshot import KEPT

    write_outbox_sample()
    KEPT.run(current_app, lambda: _build(world), world)


def _build(world):
    from tests import factories

    factories.make_member(world.other, factories.make_user("B Member"), role="member")
    for account in (world.account, world.other):
        db.session.add(ActionItem(account_id=account.id, title="Send the revised quote"))
    db.session.commit()
    for builder in BUILDERS:
        builder(world)


def build_reviews(world):
    """A finalised review row (small stand-in bytes, no rendering) and priorities in A and B."""
    from app.reviews.models import FinalReview, ReviewNote

    for account in (world.account, world.other):
        db.session.add(ReviewNote(account_id=account.id, quarter="2026-Q3", priorities="Renew the frame deal"))
        db.session.add(FinalReview(account_id=account.id, quarter="2026-Q3", number=1, data_json="{}",
                                   pdf=b"%PDF-1.7 stand-in", size=17, sha256="0" * 64))
    db.session.commit()


BUILDERS.append(build_reviews)
PARAMS["final_id"] = lambda w, account: db.session.scalar(db.text(
    "SELECT id FROM review_final WHERE account_id = :a ORDER BY id LIMIT 1"), {"a": account.id})

# Spreadsheet exports (app/sheets): the format in the URL.
PARAMS["fmt"] = lambda w, account: "xlsx"
GLOBAL_PARAMS.add("fmt")

def build_notify(world):
    """A chat bot on A and B (pointing nowhere: the discard port) and a notification for A's member
    (`build` puts one mail in the test outbox)."""
    from app.notify.models import Notification, WebhookTarget

    for account in (world.account, world.other):
        db.session.add(WebhookTarget(account_id=account.id, name="Team chat", platform="wecom",
                                     url="http://127.0.0.1:9/cgi-bin/webhook/send?key=x", events="sla_breach"))
    db.session.add(Notification(user_id=world.users["member"].id, account_id=world.account.id,
                                kind="action_due", params_json='{"title": "Quote", "account": "A"}',
                                url=f"/accounts/{world.account.id}"))
    db.session.commit()


def write_outbox_sample():
    """One mail in the test outbox (a file, so `build` writes it even when it restores rows)."""
    from pathlib import Path

    from flask import current_app

    folder = Path(current_app.config["MAIL_OUTBOX_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / OUTBOX_SAMPLE).write_bytes(b"Subject: =?utf-8?b?5rWL6K+V?=\r\nTo: a@example.com\r\n\r\nHello\r\n")


OUTBOX_SAMPLE = "20261201T000000-0000beef.eml"
BUILDERS.append(build_notify)
PARAMS["notification_id"] = lambda w, account: db.session.scalar(db.text(
    "SELECT id FROM notification ORDER BY id LIMIT 1"))
PARAMS["webhook_id"] = lambda w, account: db.session.scalar(db.text(
    "SELECT id FROM webhook_target WHERE account_id = :a ORDER BY id LIMIT 1"), {"a": account.id})
PARAMS["hook_id"] = PARAMS["webhook_id"]
PARAMS["mail_name"] = lambda w, account: OUTBOX_SAMPLE


def _unsubscribe_token(w, account):
    from app.notify.services import unsubscribe_token

    return unsubscribe_token(w.users["member"].id, "sla_breach")


PARAMS["token"] = _unsubscribe_token
GLOBAL_PARAMS.update({"notification_id", "webhook_id", "mail_name", "token"})

def _calendar_token(world, account):
    """The KAM's calendar feed token (made on first use)."""
    kam = world.users["kam"]
    if not kam.calendar_token:
        kam.calendar_token = "walk-" + str(kam.id) + "-feed-token"
        db.session.commit()
    return kam.calendar_token


PARAMS["feed_token"] = _calendar_token  # /calendar/<feed_token>.ics
GLOBAL_PARAMS.add("feed_token")
