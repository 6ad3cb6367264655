"""`flask demo-data`: a believable workspace, built through the services.

Every step is idempotent on its own, so running the command again after an
upgrade adds the data of features that arrived since, and changes nothing else.
Features add a step with `@demo_step(order)`.
"""
from datetime import datetime, time, timedelta
from decimal import Decimal

from app.extensions import db
from app.timeutil import today

DEMO_PASSWORD = "demo-pass-2026"
STEPS = []


def demo_step(order):
    """Register a function(ctx) -> bool (True if it created anything)."""
    def register(fn):
        STEPS.append((order, fn))
        return fn
    return register


USERS = [
    # key, email, name, title, seniority, admin, language
    ("admin", "admin@example.com", "Alex Admin 管理员", "Sales operations", "manager", True, "en"),
    ("wang", "wang.fang@example.com", "王芳 Wang Fang", "Key-account manager", "manager", False, "zh"),
    ("david", "david.chen@example.com", "David Chen 陈大卫", "Key-account manager", "manager", False, "en"),
    ("li", "li.lei@example.com", "李雷 Li Lei", "Sales representative", "staff", False, "zh"),
    ("emma", "emma.zhou@example.com", "Emma Zhou 周艾玛", "Solutions engineer", "staff", False, "en"),
    ("zhang", "zhang.wei@example.com", "张伟 Zhang Wei", "VP Sales, Greater China", "vp", False, "zh"),
    ("sarah", "sarah.lin@example.com", "Sarah Lin 林莎", "Director, Customer Success", "director", False, "en"),
    ("chen", "chen.jing@example.com", "陈静 Chen Jing", "Finance analyst", "staff", False, "zh"),
    ("liu", "liu.yang@example.com", "刘洋 Liu Yang", "Sales representative (new)", "staff", False, "zh"),
]

ACCOUNTS = [
    # key, name, industry, region, tier, stage, currency, rev this, rev last, margin, procurement, kam
    ("huadong", "华东精密制造有限公司 East China Precision", "Manufacturing 制造业", "上海 Shanghai",
     "strategic", "strengthen", "CNY", 48_600_000, 41_200_000, 31.5, "centralised", "wang"),
    ("yuanhang", "远航汽车零部件集团 Yuanhang Auto Parts", "Automotive 汽车", "宁波 Ningbo",
     "strategic", "stabilize", "CNY", 36_900_000, 38_400_000, 24.0, "distributed", "wang"),
    ("northwind", "Northwind Logistics 北风物流", "Logistics 物流", "Singapore 新加坡",
     "key", "stabilize", "USD", 4_250_000, 3_600_000, 28.0, "centralised", "david"),
    ("xingchen", "星辰半导体 Xingchen Semiconductor", "Semiconductors 半导体", "苏州 Suzhou",
     "key", "establish", "CNY", 18_300_000, 9_800_000, 35.2, "centralised", "wang"),
    ("contoso", "Contoso Health Systems 康拓医疗", "Healthcare 医疗", "Hong Kong 香港",
     "key", "strengthen", "USD", 2_900_000, 2_750_000, 22.5, "distributed", "david"),
    ("lanhai", "蓝海零售连锁 Blue Ocean Retail", "Retail 零售", "广州 Guangzhou",
     "developing", "establish", "CNY", 6_400_000, 5_100_000, 18.0, "distributed", "david"),
    ("fabrikam", "Fabrikam Energy 法布瑞能源", "Energy 能源", "Sydney 悉尼",
     "developing", "establish", "USD", 880_000, 420_000, 26.0, "centralised", "david"),
    ("jinqiao", "金桥银行 Golden Bridge Bank", "Banking 银行", "北京 Beijing",
     "developing", "establish", "CNY", 3_200_000, 0, 40.0, "centralised", "wang"),
    ("qingsong", "青松食品股份 Evergreen Foods", "Food 食品", "成都 Chengdu",
     "maintain", "stabilize", "CNY", 2_100_000, 2_600_000, 15.5, "distributed", "wang"),
]

# account key -> [(user key, role, function)] besides the KAM
TEAMS = {
    "huadong": [("li", "member", "sales"), ("emma", "member", "solutions"), ("zhang", "sponsor", "management"),
                ("sarah", "member", "support"), ("chen", "observer", "management")],
    "yuanhang": [("li", "member", "sales"), ("zhang", "sponsor", "management"), ("sarah", "member", "implementation")],
    "northwind": [("emma", "member", "solutions"), ("zhang", "sponsor", "management"), ("chen", "observer", "management")],
    "xingchen": [("emma", "member", "solutions"), ("zhang", "sponsor", "management"), ("li", "member", "sales")],
    "contoso": [("sarah", "sponsor", "management"), ("emma", "member", "support")],
    "lanhai": [("li", "member", "sales"), ("zhang", "sponsor", "management")],
    "fabrikam": [("emma", "member", "solutions"), ("zhang", "sponsor", "management")],
    "jinqiao": [("li", "member", "sales"), ("sarah", "sponsor", "management")],
    "qingsong": [("li", "member", "sales")],
}


class DemoContext:
    """What steps share: the demo users and accounts by key."""

    def __init__(self):
        from app.accounts.models import Account
        from app.auth.models import User

        self.users = {k: db.session.scalar(db.select(User).where(User.email == e))
                      for k, e, *_ in USERS}
        self.accounts = {k: db.session.scalar(db.select(Account).where(Account.name == n))
                         for k, n, *_ in ACCOUNTS}
        self.today = today()


@demo_step(0)
def seed_users(ctx):
    from app.auth import services

    created = False
    for key, email, name, title, seniority, admin, lang in USERS:
        if ctx.users.get(key) is None:
            ctx.users[key] = services.create_user(
                None, email=email, name=name, password=DEMO_PASSWORD, is_admin=admin,
                seniority=seniority, title=title, language=lang)
            created = True
    return created


@demo_step(10)
def seed_accounts(ctx):
    from app.accounts import services
    from app.team import services as team

    created = False
    for (key, name, industry, region, tier, stage, cur, this, last, margin, proc, kam) in ACCOUNTS:
        if ctx.accounts.get(key) is not None:
            continue
        account = services.create_account(ctx.users[kam], dict(
            name=name, industry=industry, region=region, tier=tier, relationship_stage=stage,
            currency=cur, revenue_this_year=Decimal(this), revenue_last_year=Decimal(last),
            margin_pct=Decimal(str(margin)), procurement_model=proc,
            purchase_pattern="recurring" if tier != "developing" else "one_off",
            payment_terms="60 days net 月结60天" if cur == "CNY" else "Net 45",
            website=f"https://www.{key}.example.com",
        ), kam=ctx.users[kam], default_channels=False)  # the complaints demo sets up its own
        # The demo's accounts have been worked for over a year: their past quarters are history.
        account.created_at = datetime.combine(ctx.today - timedelta(days=430), time(9, 0))
        db.session.commit()
        for i, (ukey, role, function) in enumerate(TEAMS.get(key, [])):
            team.add_member(ctx.users[kam], account, ctx.users[ukey].id, role, function,
                            joined_on=ctx.today - timedelta(days=400 - 30 * i))
        ctx.accounts[key] = account
        created = True
    # A member who left keeps the team's history visible.
    huadong = ctx.accounts["huadong"]
    from app.team.models import Membership
    liu = ctx.users["liu"]
    if not db.session.scalar(db.select(Membership.id).where(
            Membership.account_id == huadong.id, Membership.user_id == liu.id)):
        m = team.add_member(ctx.users["wang"], huadong, liu.id, "member", "sales",
                            joined_on=ctx.today - timedelta(days=300))
        team.leave(ctx.users["wang"], m, left_on=ctx.today - timedelta(days=60))
        created = True
    return created


def load_demo():
    """Run every registered step in order; True if anything was created."""
    import app.features_demo  # noqa: F401  (registers the features' steps)

    ctx = DemoContext()
    created = False
    for _, step in sorted(STEPS, key=lambda s: s[0]):
        created = bool(step(ctx)) or created
    return created
