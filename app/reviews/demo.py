"""Demo reviews: next-quarter priorities (actions with owners and dates) on several accounts, a finalised 2026-Q3 review on two strategic ones."""
from app.demo import demo_step
from app.extensions import db
from app.reviews import quarters, services
from app.reviews.models import FinalReview

FINALISED_QUARTER = "2026-Q3"

PRIORITIES = {
    "huadong": "1. 完成 MES 二期投标并锁定框架协议 Close the MES phase-2 tender and sign the frame agreement\n"
               "2. 质量部：SPC 数据每周共享，砂轮按产量更换 Weekly SPC sharing with their quality team\n"
               "3. 张伟与刘总季度高层会 Zhang Wei meets CEO Liu for the quarterly executive meeting",
    "yuanhang": "1. 止住收入下滑：恢复宁波工厂的二级供应商地位 Win back tier-2 supplier status at the Ningbo plant\n"
                "2. 为分散采购的三个事业部各找一位教练 Find a coach in each of the three buying divisions\n"
                "3. 关闭所有超期的投诉整改项 Close every overdue complaint action",
    "northwind": "1. Expand from Singapore to the Malaysia hub (pilot by February)\n"
                 "2. Replace the single-threaded link: meet their new CFO and head of operations\n"
                 "3. Agree response targets for the technical channel",
    "xingchen": "1. 从建立阶段进入稳定阶段：完成首个年度合同 Sign the first annual contract\n"
                "2. 技术交流会：洁净室方案 Clean-room solution workshop with their fab engineers",
    "contoso": "1. Renew the service agreement before it lapses in March\n"
               "2. Executive sponsor visit to Hong Kong; satisfaction check-in after go-live",
}


# What the two finalised accounts committed to for this quarter in their 2026-Q3 review (one is done).
THIS_QUARTER = {
    "huadong": ["砂轮更换周期写入控制计划 Put the wheel-change interval into the control plan",
                "MES 二期技术澄清会 Technical clarification meeting for the MES phase-2 tender"],
    "yuanhang": ["向采购总监汇报质量改进 Present the quality fixes to their purchasing director",
                 "宁波工厂试样交付 Deliver trial parts to the Ningbo plant"],
}


# The KAM's account of the current quarter, on the accounts the demo reviews are shown for.
COMMENTARY = {
    "huadong": "本季度 MES 二期进入投标阶段，质量部对磨削工序的投诉在三周内关闭，根因是砂轮更换周期。"
               "The MES phase-2 tender opened this quarter; the grinding complaint was closed in three weeks "
               "(root cause: wheel change interval). 🚀 Next: lock the frame agreement before the budget freeze.",
    "yuanhang": "收入仍在下滑：宁波工厂转向了竞争对手。我们重新接触了采购总监，并在质量投诉上按时回复。"
                "Revenue is still sliding: the Ningbo plant moved to a competitor. We reopened the door with "
                "their purchasing director and answered the quality complaint on time.",
    "northwind": "A steady quarter in Singapore; the new CFO has not met us yet, which is the main risk for "
                 "the Malaysia expansion. Satisfaction held at the last two meetings.",
}


@demo_step(75)
def settle_history(ctx):
    """The demo's contacts and pairings were typed in today; date them to when the team made them.

    Most go back a year; the newest contact and pairing of each account stay in this quarter,
    so the review's "what changed" tells of a quarter, not of the day the demo was loaded.
    Only rows made by this very run (dated today) move, so running it twice changes nothing.
    """
    from datetime import datetime, time, timedelta

    from app.stakeholders.models import Contact, Coverage

    moved = False
    today, recent = ctx.today, ctx.today - timedelta(days=24)
    for account in (a for a in ctx.accounts.values() if a is not None):
        typed_in = datetime.combine(today - timedelta(days=1), time(0, 0))  # made by this demo run
        fresh = db.session.scalars(db.select(Contact).where(
            Contact.account_id == account.id, Contact.created_at >= typed_in).order_by(Contact.id)).all()
        for i, c in enumerate(fresh):
            keep_recent = i == len(fresh) - 1 and c.status == "active"
            # Spread over the account's life before this quarter: never into the run's own day,
            # or the next run would take them for new ones (the deep demo org has 60 people).
            span = max(typed_in - timedelta(days=30) - account.created_at, timedelta(days=1))
            c.created_at = (c.created_at.replace(year=recent.year, month=recent.month, day=recent.day)
                            if keep_recent else account.created_at + span * (i + 1) / (len(fresh) + 1))
            moved = True
        pairings = db.session.scalars(db.select(Coverage).where(
            Coverage.account_id == account.id, Coverage.started_on >= today - timedelta(days=1))
            .order_by(Coverage.id)).all()
        for i, p in enumerate(pairings):
            span = max(typed_in - timedelta(days=30) - account.created_at, timedelta(days=1))
            p.started_on = recent if i == len(pairings) - 1 and p.ended_on is None else \
                (account.created_at + span * (i + 1) / (len(pairings) + 1)).date()
            moved = True
    if moved:
        db.session.commit()
    return moved


@demo_step(80)
def seed_reviews(ctx):
    """Priorities for the current quarter (and Q3 on the finalised ones), then two frozen Q3 reviews."""
    from datetime import timedelta

    from app.actions.models import ActionItem
    from app.team.services import current_memberships

    created = False
    current = quarters.current()
    for key, text in PRIORITIES.items():
        account = ctx.accounts.get(key)
        if account is None or db.session.scalar(db.select(ActionItem.id).where(
                ActionItem.account_id == account.id, ActionItem.priority_quarter.is_not(None)).limit(1)):
            continue
        kam = ctx.users["wang"] if key in ("huadong", "yuanhang", "xingchen") else ctx.users["david"]
        team = [m.user_id for m in current_memberships(account.id) if m.role != "observer"] or [kam.id]
        plans = {quarters.shift(current, 1): [ln.strip().split(". ", 1)[-1] for ln in text.splitlines() if ln.strip()],
                 current: THIS_QUARTER.get(key, [])}
        for nxt, titles in plans.items():
            end = quarters.bounds(nxt)[1]
            for i, title in enumerate(titles):
                item = services.new_priority(kam, account, nxt, title=title, owner_id=team[i % len(team)],
                                             due_on=end - timedelta(days=20 * (len(team) - i % len(team))))
                if nxt == current and i == 0:
                    item.status, item.done_on = "done", min(item.due_on, ctx.today)
        db.session.commit()
        created = True
    for key, text in COMMENTARY.items():
        account = ctx.accounts.get(key)
        note = services.note_for(account.id, current) if account is not None else None
        if account is None or (note is not None and note.commentary):
            continue
        kam = ctx.users["wang"] if key in ("huadong", "yuanhang") else ctx.users["david"]
        services.save_note(kam, account, current, text)
        created = True
    for key in ("huadong", "yuanhang"):
        account = ctx.accounts.get(key)
        if account is None or db.session.scalar(db.select(FinalReview.id).where(
                FinalReview.account_id == account.id).limit(1)):
            continue
        services.finalise(ctx.users["wang"], account, FINALISED_QUARTER, "a4", "zh")
        created = True
    return created
