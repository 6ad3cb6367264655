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


# Each account's own meeting, the newest of its log: what its business would really meet about.
OWN = {
    "huadong": ("site_visit", "MES 二期技术澄清会 MES phase-2 technical clarification",
                "接口清单与验收标准 Interfaces and acceptance criteria",
                "客户 IT 与生产部门首次同场；验收标准需要书面确认。IT and production in one room for the first time.",
                "两周内提交接口规格书 Interface specification within two weeks", 8,
                [("接口规格书 Interface specification", "member", 14)]),
    "yuanhang": ("check_in", "宁波工厂质量整改复盘 Ningbo plant quality review",
                 "8D 报告逐条过 Walk through the 8D report", "Their quality head accepted 6 of 8 actions; two need data.",
                 "Send the missing capability data by Friday", 5, [("Capability data for 8D D5", "member", 5)]),
    "northwind": ("quarterly_review", "Malaysia hub expansion workshop",
                  "Volumes, customs, cold-chain partners in Port Klang",
                  "Their COO wants a pilot lane by February; the new CFO was absent.",
                  "Pilot lane Singapore–Port Klang from February", 7,
                  [("Pilot lane costing", "kam", 10), ("Meet the new CFO", "sponsor", 30)]),
    "xingchen": ("site_visit", "洁净室方案交流 Clean-room solution workshop",
                 "Fab 2 扩产 Fab 2 expansion", "工程师关注颗粒度数据。Their engineers asked for particle-count data.",
                 "提供同类晶圆厂案例 Share a reference fab's data", 8, [("Reference fab case", "member", 14)]),
    "contoso": ("check_in", "Go-live readiness check", "Training plan, ward roll-out, support rota",
                "Two wards are ready; the third waits for the rescheduled training.",
                "Run the training on Saturday with two trainers", 6, [("Book two trainers", "member", 3)]),
    "lanhai": ("executive", "双十一复盘 Singles' Day review with their CIO",
               "峰值表现与故障 Peak performance and incidents",
               "收银卡顿是主要不满；CIO 要求容量测试。The checkout freeze is the main grievance; the CIO wants a load test.",
               "双十二前完成容量测试 Load test before 12.12", 4, [("Load test plan", "member", 7)]),
    "fabrikam": ("quarterly_review", "Wind-farm analytics quarterly review",
                 "Availability, sensor data quality, 2027 scope",
                 "Availability up 1.2 points; the firmware incident cost trust with their ops director.",
                 "Staged firmware roll-outs with their sign-off", 6, [("Roll-out sign-off process", "kam", 14)]),
    "jinqiao": ("executive", "金桥银行科技条线年度会 Annual meeting with the bank's technology line",
                "对账文件事件与 2027 合作 The statement incident and 2027 scope",
                "行长助理认可整改速度，但要求变更提前通知。They accepted the fix but want notice of every change.",
                "对外接口变更提前 30 天通知 30 days' notice for outward changes", 7, []),
    "qingsong": ("check_in", "冷库改造方案讨论 Cold-store retrofit discussion", "Thermostats and alarms",
                 "值班人员希望减少误报。The night shift wants fewer false alarms.",
                 "Trial new thermostats in one store room", 7, [("Thermostat trial", "member", 21)]),
}
GOODS = {"huadong", "yuanhang", "xingchen"}  # the plant visit fits makers of parts


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


def _meetings_for(key, index):
    """The account's own meeting first (the newest), then generic ones that fit (3-6 in all)."""
    generic = [m for m in MEETINGS if key in GOODS or not m[1].startswith("Plant visit")]
    rotated = generic[index % len(generic):] + generic[:index % len(generic)]
    return ([OWN[key]] if key in OWN else []) + rotated[:2 + index % 4]


def _seed_meetings(ctx, account, index, key=""):
    team = _team(account.id)
    contacts = _contacts(account.id)
    actor = ctx.users["admin"]
    now = utcnow()
    for n, row in enumerate(_meetings_for(key, index)):
        kind, title, agenda, summary, decisions, sat, actions = row
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
    for index, (key, account) in enumerate(sorted(ctx.accounts.items())):
        if account is None:
            continue
        if not db.session.scalar(db.select(Meeting.id).where(Meeting.account_id == account.id).limit(1)):
            created = _seed_meetings(ctx, account, index, key) or created
        if account.tier in ("strategic", "key") and not db.session.scalar(
                db.select(ExecutiveCadence.id).where(ExecutiveCadence.account_id == account.id).limit(1)):
            created = _seed_cadences(ctx, account) or created
    return created
