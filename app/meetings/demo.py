"""Demo meetings (3-6 per account, decisions, satisfaction, action items) and executive cadences."""
from datetime import datetime, time, timedelta

from app.demo import demo_step
from app.extensions import db
from app.meetings import services
from app.meetings.models import ExecutiveCadence, Meeting
from app.stakeholders.models import Contact
from app.team.models import Membership
from app.timeutil import utcnow

# kind, title, agenda, summary, decisions, satisfaction, actions [(title, owner role, due in days from meeting)]
MEETINGS = [
    ("executive", "高层季度会晤 Executive quarterly meeting",
     "1. 年度框架协议续签 Renewal of the frame agreement\n2. 新产线导入计划 New line ramp-up",
     "双方对交付改善表示认可，客户希望明年扩大份额。They acknowledged the delivery improvement and want to grow our share next year.",
     "框架协议续签三年 Renew the frame agreement for three years\n二季度启动新产线试点 Start the new-line pilot in Q2",
     8, [("起草续签条款 Draft the renewal terms", "kam", 14), ("Pilot plan with their engineering", "member", 30)]),
    ("quarterly_review", "Q3 business review Q3 业务回顾",
     "KPIs, open complaints, roadmap", "On-time delivery 96%; one critical quality complaint closed with root cause.",
     "Monthly quality call with their QA lead\n质量数据每周共享 Share quality data weekly", 7,
     [("Set up the monthly quality call", "member", 7)]),
    ("check_in", "采购例会 Procurement check-in", "价格与交期 Prices and lead times",
     "客户对价格敏感，要求阶梯价。Price-sensitive; they asked for volume tiers.",
     "两周内提交阶梯报价 Send tiered pricing within two weeks", 6,
     [("阶梯报价 Tiered quotation", "kam", 10)]),
    ("site_visit", "Plant visit, Line 2 参观二号线", "Walk the line with their plant manager",
     "Saw the bottleneck at final inspection; our vision system could cut it by half.",
     "Run a two-week trial of the vision system", 9, [("Ship the trial unit", "member", 21)]),
    ("executive", "CEO dinner 总经理晚宴", "Relationship, 2027 strategy",
     "Warm; their CEO is worried about supply security.", "Offer a dual-site supply guarantee", None, []),
]


def _business_hours(ctx, user_id, day, at):
    """Naive UTC of `day` `at` o'clock in the zone of the user (the KAM), so demo meetings sit
    in their working day, not at 2 AM."""
    from zoneinfo import ZoneInfo

    from app.timezones import zone_of

    user = next((u for u in ctx.users.values() if u is not None and u.id == user_id), None)
    zone = ZoneInfo(zone_of(user)) if user is not None else ZoneInfo("UTC")
    return datetime.combine(day, at, tzinfo=zone).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def _team(account_id):
    return {r: uid for r, uid in db.session.execute(db.select(Membership.role, Membership.user_id).where(
        Membership.account_id == account_id, Membership.left_on.is_(None)).order_by(Membership.id.desc()))}


def _contacts(account_id):
    rows = db.session.scalars(db.select(Contact).where(
        Contact.account_id == account_id, Contact.status == "active")).all()
    return sorted(rows, key=lambda c: (not c.is_decision_maker, c.id))


def _seed_meetings(ctx, account, index):
    team = _team(account.id)
    contacts = _contacts(account.id)
    actor = ctx.users["admin"]
    now = utcnow()
    count = 3 + index % 4
    for n in range(count):
        kind, title, agenda, summary, decisions, sat, actions = MEETINGS[(index + n) % len(MEETINGS)]
        day = ctx.today - timedelta(days=12 + 41 * n + 3 * index)
        starts = _business_hours(ctx, team["kam"], day, time(10 + n % 6, 0))  # 10:00-15:00 for the KAM
        ours = [team["kam"]] + ([team["sponsor"]] if kind == "executive" and "sponsor" in team else [])
        # On odd accounts the decision-maker skipped the latest meeting: their cadence runs overdue.
        start = n % max(len(contacts), 1) or (index % 2)
        theirs = [c.id for c in contacts[start:][:2]]
        m = services.create_meeting(actor, account, dict(
            kind=kind, status="held", title=title, starts_at=starts, duration_minutes=90,
            location="客户总部 Customer HQ" if n % 2 == 0 else "Video call 视频会议", agenda=agenda,
            summary=summary, decisions=decisions, satisfaction=sat), ours, theirs)
        for a_title, role, due_days in actions:
            item = services.add_action(actor, m, account, title=a_title, owner_id=team.get(role, team["kam"]),
                                       due_on=day + timedelta(days=due_days))
            if n >= 2:  # older meetings' actions are mostly done
                from app.actions.services import update_action
                update_action(actor, item, {"status": "done"})
    # One meeting ahead, to download to the calendar.
    services.create_meeting(actor, account, dict(
        kind="executive" if account.tier in ("strategic", "key") else "check_in", status="scheduled",
        title="下季度高层会晤 Next executive meeting",
        starts_at=_business_hours(ctx, team["kam"], now.date() + timedelta(days=9 + index), time(14, 30)),
        duration_minutes=60, location="客户总部 Customer HQ",
        agenda="年度计划 Annual plan; open complaints", summary="", decisions="", satisfaction=None),
        [team["kam"]], [c.id for c in contacts[:1]])
    return True


def _seed_cadences(ctx, account):
    team = _team(account.id)
    contacts = _contacts(account.id)[:2]
    execs = [team.get("sponsor"), team["kam"]]
    made = False
    for i, contact in enumerate(contacts):
        exec_id = execs[i] or team["kam"]
        services.create_cadence(ctx.users["admin"], account, executive_id=exec_id, contact_id=contact.id,
                                every_days=(60, 30)[i], started_on=ctx.today - timedelta(days=120))
        made = True
    return made


@demo_step(45)
def seed_meetings(ctx):
    """3-6 meetings per account; cadences on strategic and key accounts that have contacts."""
    created = False
    for index, (_key, account) in enumerate(sorted(ctx.accounts.items())):
        if account is None:
            continue
        if not db.session.scalar(db.select(Meeting.id).where(Meeting.account_id == account.id).limit(1)):
            created = _seed_meetings(ctx, account, index) or created
        if account.tier in ("strategic", "key") and not db.session.scalar(
                db.select(ExecutiveCadence.id).where(ExecutiveCadence.account_id == account.id).limit(1)):
            created = _seed_cadences(ctx, account) or created
    return created
