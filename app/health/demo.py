"""Demo data: three closed quarters of health per account, and 张伟 Zhang Wei's check-in notes."""
from app.demo import demo_step
from app.extensions import db
from app.health import services, sponsor
from app.health.models import CheckInNote, HealthSnapshot

# How each account's health moved over the last three quarters, oldest first, relative to now.
DRIFT = {
    "huadong": (-12, -6, -3), "yuanhang": (14, 9, 4), "northwind": (-2, 1, 0), "xingchen": (-18, -10, -7),
    "contoso": (3, 0, 1), "lanhai": (6, 8, 10), "fabrikam": (-5, -9, -8), "jinqiao": (-4, -2, 0),
    "qingsong": (9, 4, 2),
}
NOTES = {
    "huadong": ["与陈总通话：新产线预算已批，下月安排双方高层会面。Called their GM: the new line's budget is "
                "approved; senior meeting next month."],
    "yuanhang": ["质量投诉已升级到我这里，周五前给客户书面答复。The quality complaint reached me; written reply "
                 "to the customer by Friday."],
    "xingchen": ["Their CTO wants a roadmap session before the tender. 王芳, please book it for week 3."],
    "northwind": ["Met their new CFO at the Singapore summit: cost per unit is her first question. "
                  "David, bring the three-year TCO to the next meeting."],
    "lanhai": ["蓝海的新门店计划提前了，库存系统要在三月前上线。Their store roll-out moved up; the inventory "
               "system must be live before March."],
    "fabrikam": ["Two escalations in a month is too many. I asked for a root-cause review before the QBR."],
}


@demo_step(60)
def seed_health(ctx):
    """Snapshots for the three closed quarters; a few sponsor notes. Skips accounts that have them."""
    created = False
    quarters = services.previous_snapshot_quarters(3, ctx.today)
    ids = [a.id for a in ctx.accounts.values() if a is not None]
    have = set(db.session.scalars(db.select(HealthSnapshot.account_id).where(
        HealthSnapshot.account_id.in_(ids))))
    now = services.health_for([i for i in ids if i not in have])
    for key, account in ctx.accounts.items():
        if account is None or account.id in have:
            continue
        h = now[account.id]
        if not h.enough:  # no number now: no invented past either
            continue
        for quarter, drift in zip(quarters, DRIFT.get(key, (0, 0, 0)), strict=True):
            parts = {p.key: (max(0, min(100, p.score + drift)) if p.known else None) for p in h.parts}
            services.store_snapshot(account.id, quarter, max(0, min(100, h.score + drift)), parts)
        created = True
    zhang = ctx.users.get("zhang")
    noted = set(db.session.scalars(db.select(CheckInNote.account_id).where(CheckInNote.author_id == zhang.id)))
    for key, bodies in NOTES.items():
        account = ctx.accounts.get(key)
        if account is None or account.id in noted:
            continue
        for body in bodies:
            sponsor.add_note(zhang, account, body)
        created = True
    return created
