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


# Each account's own troubles, first in its log (what its business would really complain about);
# the generic ones above fill the rest, and goods-only ones go to companies that take goods.
OWN = {
    "northwind": [("冷链温度记录缺失 Cold-chain temperature log missing",
                   "Two pharma pallets arrived with a 6-hour gap in the temperature log. 两个医药托盘温度记录中断 6 小时。",
                   "quality", "high", "technical", [("acknowledged", 1), ("in_progress", 3), ("resolved", 30)],
                   "Logger firmware patched; the shipments were released after a stability check.", "", "")],
    "xingchen": [("洁净室备件交付超期 Clean-room spare parts late",
                  "光刻机维护窗口被迫推迟一天。The lithography maintenance window slipped a day waiting for parts.",
                  "delivery", "critical", "account_manager",
                  [("acknowledged", 1), ("escalate:management", 2), ("in_progress", 3), ("resolved", 20),
                   ("closed", 70)], "Parts flown from Singapore; consignment stock agreed.",
                  "备件安全库存按去年用量设定 Safety stock was set on last year's usage.",
                  "寄售库存放在客户园区，按月复核 Consignment stock on their campus, reviewed monthly.")],
    "contoso": [("Go-live training sessions cancelled twice",
                 "The ward staff training was cancelled twice by our side; the go-live date is at risk.",
                 "service", "high", "management", [("acknowledged", 4), ("in_progress", 8)], "", "", "")],
    "lanhai": [("门店收银系统高峰期卡顿 Checkout terminals freeze at peak hours",
                "周末晚高峰 40 家门店收银排队超过 15 分钟。Queues over 15 minutes in 40 stores on Saturday evening.",
                "technical", "critical", "technical", [], "", "", ""),
               ("促销价未同步到门店 Promotion prices not synced to stores",
                "Double-11 prices reached only half of the stores. 双十一价格只同步了一半门店。",
                "technical", "medium", "account_manager", [("acknowledged", 2), ("resolved", 12), ("closed", 50)],
                "Price sync re-run; stores reconciled.", "同步任务超时后未重试 The sync job gave up after a timeout.",
                "同步失败自动重试并告警 Failed syncs retry and alert the on-call engineer.")],
    "fabrikam": [("Turbine sensor data gaps after the firmware update",
                  "Three wind farms lost 10-minute SCADA readings for two days after our update.",
                  "technical", "high", "technical", [("acknowledged", 1), ("in_progress", 6), ("resolved", 52)],
                  "Firmware rolled back on the affected gateways; data back-filled from local buffers.", "", "")],
    "jinqiao": [("网银对账文件格式变更未通知 Statement file format changed without notice",
                 "客户财务系统导入失败两天。Their finance system failed to import statements for two days.",
                 "service", "high", "management",
                 [("acknowledged", 3), ("escalate:executive", 10), ("in_progress", 12), ("resolved", 40),
                  ("closed", 100)], "Old format restored in parallel for 90 days.",
                 "变更评审未包含对外接口 The change review did not cover outward-facing files.",
                 "对外文件变更提前 30 天通知并提供样例 30 days' notice and samples for any outward file change.")],
    "qingsong": [("冷库温控器误报 Cold-store thermostat false alarms",
                  "夜班每周误报三次，值班人员疲于奔命。Three false alarms a week wake the night shift.",
                  "quality", "medium", "technical", [("acknowledged", 5)], "", "", "")],
}
GOODS = {"huadong", "yuanhang", "xingchen"}  # makers of parts: the bearings, cartons and late lorries fit them


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


def _complaints_for(key, index):
    """The account's own complaints first, then generic ones that fit its business (3-6 in all)."""
    generic = [c for c in COMPLAINTS if key in GOODS or c[2] not in ("quality",) and "Delivery" not in c[0]]
    rotated = generic[index % len(generic):] + generic[:index % len(generic)]
    return (OWN.get(key, []) + rotated)[:3 + index % 4]


def _seed_complaints(ctx, account, index, key=""):
    by_kind = {c.kind: c for c in services.channels_of(account.id)}
    now = utcnow().replace(microsecond=0)
    actor = ctx.users["admin"]
    for n, row in enumerate(_complaints_for(key, index)):
        subject, desc, cat, sev, kind, steps, resolution, root, prevention = row
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
            created = _seed_complaints(ctx, account, index, key) or created
    return created
