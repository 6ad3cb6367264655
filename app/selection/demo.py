"""Demo data: the default criteria, believable scores, a few reviews and stage moves."""
from datetime import timedelta

from app.demo import demo_step
from app.extensions import db
from app.timeutil import utcnow

# account key -> scores for revenue potential, product fit, solvency, margin, relationship, with notes
SCORES = {
    "huadong": ((9, "新产线2027年投产"), (9, ""), (8, "Pays in 60 days, never late"), (7, ""), (9, "三条线的关系")),
    "yuanhang": ((8, ""), (7, "Distributed buying slows us"), (6, "付款常延迟两周"), (5, ""), (7, "")),
    "northwind": ((7, "APAC expansion"), (8, ""), (9, ""), (6, ""), (6, "")),
    "xingchen": ((10, "晶圆厂扩建，采购翻倍"), (8, ""), (7, ""), (8, ""), (4, "Only engineering knows us")),
    "contoso": ((5, ""), (7, ""), (8, ""), (5, "Heavy support load"), (8, "")),
    "lanhai": ((6, ""), (5, ""), (5, ""), (4, "价格压力大"), (5, "")),
    "fabrikam": ((6, "Pilot may scale"), (6, ""), (7, ""), (6, ""), (3, "")),
    "jinqiao": ((7, "总行集中采购"), (6, ""), (10, ""), (9, ""), (3, "New account")),
    "qingsong": ((3, ""), (5, ""), (6, ""), (3, "Low margin"), (6, "")),
}
ORDER = ("revenue_potential", "product_fit", "solvency", "margin", "relationship")

# account key -> (decision, tier after, rationale, days ago, decider)
DECISIONS = {
    "huadong": ("keep", "strategic", "Top score on four of five criteria; 18% growth. 保持战略客户。", 35, "admin"),
    "yuanhang": ("demote", "key", "Revenue down 4% for two quarters, payments two weeks late, buying spread "
                 "over five plants. 收入连续两季下降，付款延迟：由战略客户降为重点客户，半年后复评。", 10, "admin"),
    "qingsong": ("keep", "maintain", "收入下降19%，利润偏低：继续由经销商服务。Keep on maintain.", 120, "admin"),
    "northwind": ("keep", "key", "Steady growth, pays well; APAC rollout is the opportunity.", 200, "david"),
}
STAGES = {
    "xingchen": ("stabilize", "第二份框架协议已签，工程周会固定下来。Second framework order signed.", 20, "wang"),
}


@demo_step(15)
def seed_selection(ctx):
    """Criteria, scores for every demo account, and a few decisions and stage moves."""
    from app.selection import services
    from app.selection.models import Criterion, Score, SelectionDecision, StageChange

    created = services.ensure_default_criteria(ctx.users.get("admin"))
    by_key = {c.key: c for c in db.session.scalars(db.select(Criterion).where(Criterion.key.in_(ORDER)))}
    for key, scores in SCORES.items():
        account = ctx.accounts.get(key)
        if account is None or db.session.scalar(db.select(Score.id).where(Score.account_id == account.id).limit(1)):
            continue
        kam = ctx.users["wang"] if key in ("huadong", "yuanhang", "xingchen", "jinqiao", "qingsong") else ctx.users["david"]
        for ckey, (value, note) in zip(ORDER, scores, strict=True):
            if by_key.get(ckey) is not None and by_key[ckey].active:
                services.set_score(kam, account, by_key[ckey], value, note)
        created = True
    for key, (decision, tier, why, days, who) in DECISIONS.items():
        account = ctx.accounts.get(key)
        if account is None or db.session.scalar(
                db.select(SelectionDecision.id).where(SelectionDecision.account_id == account.id).limit(1)):
            continue
        if decision != "keep" and account.tier == tier:
            continue  # already there (e.g. the demo ran before): a demotion to the same tier is no decision
        if decision == "keep":
            tier = account.tier
        services.record_decision(ctx.users[who], account, decision, tier, why, at=utcnow() - timedelta(days=days))
        created = True
    for key, (stage, why, days, who) in STAGES.items():
        account = ctx.accounts.get(key)
        if account is None or db.session.scalar(
                db.select(StageChange.id).where(StageChange.account_id == account.id).limit(1)):
            continue
        if account.relationship_stage == stage:
            continue
        services.change_stage(ctx.users[who], account, stage, why, at=utcnow() - timedelta(days=days))
        created = True
    return created
