"""Demo complaint channels and complaints in every state (breached, escalated, closed with root causes)."""
from datetime import timedelta

from app.complaints import services
from app.complaints.models import Complaint, ComplaintChannel
from app.demo import demo_step
from app.extensions import db
from app.team.models import Membership
from app.timeutil import utcnow

# kind, response hours, resolution hours, hours text
CHANNELS = [
    ("account_manager", 4, 72, "周一至周五 9:00–18:00 Mon–Fri"),
    ("technical", 2, 48, "7×24"),
    ("management", 8, 120, "周一至周五 Mon–Fri 9:00–18:00"),
    ("executive", 24, 240, "预约 By appointment"),
]

# subject, description, category, severity, source kind, steps [(status or "escalate:<kind>", hours after receipt)],
# resolution, root cause, prevention
COMPLAINTS = [
    ("第三批轴承尺寸超差 Batch 3 bearings out of tolerance",
     "来料检验发现 12% 外径超差，产线停线 4 小时。12% of outer diameters out of tolerance; line stopped 4 h.",
     "quality", "critical", "account_manager",
     [("acknowledged", 1), ("escalate:technical", 3), ("in_progress", 4), ("resolved", 40), ("closed", 96)],
     "Replaced the batch by air freight; 100% inspection for two weeks. 空运补货并全检两周。",
     "磨床砂轮磨损未按期更换 Grinding wheel wear not caught: change interval was by calendar, not by output.",
     "按产量更换砂轮，SPC 实时监控并共享给客户质量部。Wheel changed by output count; live SPC shared with their quality team."),
    ("Invoice shows the old 2025 price list",
     "Procurement found the March invoice at last year's prices; they need a credit note before month end.",
     "billing", "medium", "account_manager",
     [("acknowledged", 2), ("in_progress", 5), ("resolved", 30)],
     "Credit note issued; invoices regenerated.", "", ""),
    ("交付延迟三天 Delivery three days late",
     "华南仓发货延迟，客户产线差点断料。The south China warehouse shipped three days late.",
     "delivery", "high", "account_manager",
     [("acknowledged", 9), ("escalate:management", 20), ("in_progress", 26)], "", "", ""),
    ("API 接口间歇超时 Integration API times out",
     "Their MES integration gets timeouts at shift change (08:00, 20:00). 换班高峰期接口超时。",
     "technical", "high", "technical", [], "", "", ""),
    ("Service engineer missed the on-site appointment",
     "Engineer did not show up on Tuesday; nobody called. 工程师未按约到场也未通知。",
     "service", "medium", "account_manager",
     [("acknowledged", 1), ("resolved", 20), ("closed", 60)],
     "Apologised; visit rescheduled next morning.",
     "Dispatch system double-booked the engineer after a calendar sync failure.",
     "Dispatch confirms every visit by SMS the day before; failures alert the service desk."),
    ("包装破损 Packaging damaged in transit",
     "三箱外包装破损，部分零件受潮。Three cartons crushed, some parts damp.",
     "quality", "low", "account_manager", [("acknowledged", 2)], "", "", ""),
]


def _team_by_role(account_id):
    rows = db.session.execute(db.select(Membership.role, Membership.user_id, Membership.function).where(
        Membership.account_id == account_id, Membership.left_on.is_(None))).all()
    return rows


def _owner(rows, *prefs):
    for role, function in prefs:
        for r, uid, fn in rows:
            if r == role and (function is None or fn == function):
                return uid
    return next(uid for r, uid, _ in rows if r == "kam")


def _seed_channels(ctx, key, account):
    rows = _team_by_role(account.id)
    owners = {
        "account_manager": _owner(rows, ("kam", None)),
        "technical": _owner(rows, ("member", "solutions"), ("member", "support"), ("member", None)),
        "management": _owner(rows, ("member", "support"), ("sponsor", None)),
        "executive": _owner(rows, ("sponsor", None)),
    }
    for kind, resp, resol, hours in CHANNELS:
        services.create_channel(ctx.users["admin"], account, dict(
            kind=kind, owner_id=owners[kind], phone=f"+86 21 6{account.id:03d} {resp:02d}{resol:03d}"[:20],
            email=f"{kind.replace('_', '-')}.{key}@support.example.com",
            portal=f"https://support.example.com/{key}" if kind in ("account_manager", "technical") else "",
            hours=hours, response_hours=resp, resolution_hours=resol, notes=""))


def _seed_complaints(ctx, account, index):
    by_kind = {c.kind: c for c in services.channels_of(account.id)}
    now = utcnow().replace(microsecond=0)
    actor = ctx.users["admin"]
    count = 3 + index % 4
    for n in range(count):
        subject, desc, cat, sev, kind, steps, resolution, root, prevention = COMPLAINTS[(index + n) % len(COMPLAINTS)]
        received = now - timedelta(days=3 + 11 * n + index, hours=5 * n)
        if not steps:  # the fresh, still open one: received a few hours ago, already late
            received = now - timedelta(hours=3 + index % 3)
        c = services.log_complaint(actor, account, channel_id=by_kind[kind].id, subject=subject,
                                   received_at=received, severity=sev, category=cat, description=desc,
                                   now=now)
        for step, hours in steps:
            at = min(received + timedelta(hours=hours), now)
            if step.startswith("escalate:"):
                services.escalate(actor, c, by_kind[step.split(":")[1]].id,
                                  note="客户要求升级 Customer asked to escalate", now=at)
            else:
                services.transition(actor, c, step, at=at, now=now,
                                    resolution=resolution if step == "resolved" else None,
                                    root_cause=root if step == "closed" else None,
                                    prevention=prevention if step == "closed" else None)
    return True


@demo_step(40)
def seed_complaints(ctx):
    """Channels for every demo account; 3-6 complaints in every state on each."""
    created = False
    for index, (key, account) in enumerate(sorted(ctx.accounts.items())):
        if account is None:
            continue
        if not db.session.scalar(db.select(ComplaintChannel.id).where(
                ComplaintChannel.account_id == account.id).limit(1)):
            _seed_channels(ctx, key, account)
            created = True
        if not db.session.scalar(db.select(Complaint.id).where(Complaint.account_id == account.id).limit(1)):
            created = _seed_complaints(ctx, account, index) or created
    return created
