"""Build a synthetic workspace fast, with bulk inserts, at a named scale.

Each feature's rows are made by one generator function registered in GENERATORS;
they run in order and share `ctx` (ids made so far). Names are Chinese and English.
"""
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from werkzeug.security import generate_password_hash

from app.extensions import db

SCALES = {
    "small": dict(accounts=50, users=20, contacts=30, departments=8, objectives=6, actions=4,
                  opportunities=5, complaints=20, meetings=12),
    "large": dict(accounts=2000, users=60, contacts=30, departments=8, objectives=6, actions=4,
                  opportunities=5, complaints=20, meetings=12),
    # Everything in proportion: 300,000 contacts, 200,000 complaints, 120,000 meetings ...
    "xlarge": dict(accounts=10000, users=300, contacts=30, departments=8, objectives=6, actions=4,
                   opportunities=5, complaints=20, meetings=12),
}
PASSWORD = "bench-password-1"
BENCH_USER_ACCOUNTS = 40
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "涛", "明", "超", "霞"]
FIRST = ["Anna", "Ben", "Chloe", "Daniel", "Emma", "Felix", "Grace", "Henry", "Iris", "Jack"]
LAST = ["Smith", "Chen", "Müller", "Tan", "Garcia", "Lee", "Wong", "Brown", "Ng", "Kim"]
INDUSTRIES = ["Manufacturing 制造业", "Automotive 汽车", "Logistics 物流", "Retail 零售",
              "Healthcare 医疗", "Energy 能源", "Semiconductors 半导体", "Banking 银行"]
REGIONS = ["上海 Shanghai", "北京 Beijing", "深圳 Shenzhen", "Singapore 新加坡", "Hong Kong 香港", "成都 Chengdu"]


@dataclass
class Ctx:
    scale: dict
    rng: random.Random
    today: date
    ids: dict = field(default_factory=dict)


def person(rng, i):
    if i % 2:
        return f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(GIVEN)}"
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def bulk(model, rows):
    """Insert rows (dicts) in one executemany per chunk; returns the new ids in order."""
    if not rows:
        return []
    table = model.__table__
    start = (db.session.scalar(db.select(db.func.max(table.c.id))) or 0) + 1
    for i, row in enumerate(rows):
        row["id"] = start + i
    for chunk in range(0, len(rows), 5000):
        db.session.execute(table.insert(), rows[chunk:chunk + 5000])
    if db.session.get_bind().dialect.name == "postgresql":  # explicit ids do not move the sequence
        db.session.execute(db.text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                                   f"{start + len(rows) - 1})"))
    return [r["id"] for r in rows]


def gen_users(ctx):
    from app.auth.models import User

    pw = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    seniorities = ["staff"] * 5 + ["manager"] * 3 + ["director"] * 2 + ["vp"]
    rows = [dict(email=f"bench{i}@example.com", name=person(ctx.rng, i), title="Sales",
                 seniority=seniorities[i % len(seniorities)], is_admin=i == 0, active=True,
                 password_hash=pw, session_version=1, created_at=ctx.today,
                 calendar_token=f"bench-feed-{i}")
            for i in range(ctx.scale["users"])]
    ctx.ids["users"] = bulk(User, rows)


def gen_accounts(ctx):
    from app.accounts.models import Account
    from app.team.models import Membership

    tiers = ["strategic", "key", "key", "developing", "developing", "maintain"]
    rows = []
    for i in range(ctx.scale["accounts"]):
        this = ctx.rng.randint(500_000, 80_000_000)
        rows.append(dict(name=f"{ctx.rng.choice(SURNAMES)}{i}集团 Group {i}", industry=ctx.rng.choice(INDUSTRIES),
                         region=ctx.rng.choice(REGIONS), website="", procurement_model="centralised",
                         purchase_pattern="recurring", currency="CNY", revenue_this_year=this,
                         revenue_last_year=int(this * ctx.rng.uniform(0.6, 1.3)), margin_pct=25,
                         payment_terms="60 days", credit_note="", tier=tiers[i % len(tiers)],
                         relationship_stage="stabilize", version=1, created_at=ctx.today))
    ctx.ids["accounts"] = bulk(Account, rows)
    users = ctx.ids["users"]
    # The measured user (users[1]) is KAM of 40 accounts at both scales, a busy KAM; every
    # account has four others in mixed roles, so what grows between scales is the workspace.
    members = []
    step = max(1, len(ctx.ids["accounts"]) // BENCH_USER_ACCOUNTS)
    for n, aid in enumerate(ctx.ids["accounts"]):
        if n % step == 0 and n // step < BENCH_USER_ACCOUNTS:
            members.append(dict(account_id=aid, user_id=users[1], role="kam", function="sales",
                                joined_on=ctx.today - timedelta(days=400)))
        for k, role in enumerate(("member", "sponsor", "member", "observer")):
            uid = users[2 + (n * 4 + k) % (len(users) - 2)]
            members.append(dict(account_id=aid, user_id=uid, role=role, function="sales",
                                joined_on=ctx.today - timedelta(days=300)))
    bulk(Membership, members)
    ctx.ids["team_of"] = {}
    for m in members:
        ctx.ids["team_of"].setdefault(m["account_id"], []).append(m["user_id"])


def gen_stakeholders(ctx):
    from app.stakeholders.models import Contact, Department

    functions = ["procurement", "engineering", "finance", "quality", "operations", "executive", "other", "other"]
    deps = [dict(account_id=aid, name=f"部门 Dept {d}", function=functions[d % 8], notes="", created_at=ctx.today)
            for aid in ctx.ids["accounts"] for d in range(ctx.scale["departments"])]
    dep_ids = bulk(Department, deps)
    roles = ["economic_buyer", "technical_buyer", "user_buyer", "coach", None, None, "influencer", None]
    sen = ["c_level", "vp", "director", "manager", "manager", "staff", "staff", "staff"]
    contacts = []
    nd = ctx.scale["departments"]
    for a_index, aid in enumerate(ctx.ids["accounts"]):
        for c in range(ctx.scale["contacts"]):
            contacts.append(dict(
                account_id=aid, department_id=dep_ids[a_index * nd + c % nd], name=person(ctx.rng, c),
                title="Manager", seniority=sen[c % 8], buying_role=roles[c % 8],
                influence=["high", "medium", "low"][c % 3], attitude=["champion", "supporter", "neutral", "skeptic"][c % 4],
                interests="", vested_interests="", needs_short="", needs_long="", email="", phone="",
                status="active", left_to="", created_at=ctx.today,
                last_contacted_on=ctx.today - timedelta(days=ctx.rng.randint(0, 200))))
    ctx.ids["contacts"] = bulk(Contact, contacts)


def gen_actions(ctx):
    from app.actions.models import ActionItem

    team = ctx.ids["team_of"]
    rows = [dict(account_id=aid, title=f"跟进报价 Follow up quote {k}", owner_id=team[aid][k % len(team[aid])],
                 due_on=ctx.today + timedelta(days=ctx.rng.randint(-30, 90)), status="open",
                 version=1, created_at=ctx.today)
            for aid in ctx.ids["accounts"] for k in range(4)]  # loose actions; the plans add the rest
    bulk(ActionItem, rows)


def generators():
    """Foundation generators, then the features'."""
    from bench.data_features import GENERATORS as FEATURES

    return [gen_users, gen_accounts, gen_stakeholders, gen_actions, *FEATURES]


def build(scale, seed=7, reset=True):
    """Fill the schema at a scale (a name in SCALES or a dict like them). Returns the context.

    `reset` drops and re-creates the schema first; the test suite passes False on its empty tables.
    """
    from app.timeutil import today

    if reset:
        db.drop_all()
        db.create_all()
    ctx = Ctx(scale=SCALES[scale] if isinstance(scale, str) else scale, rng=random.Random(seed), today=today())
    for gen in generators():
        gen(ctx)
        db.session.commit()
    if db.session.get_bind().dialect.name == "postgresql":
        # The tables as autovacuum keeps them on a live database: planner statistics (right
        # after a bulk load PostgreSQL has none and plans every join as if the tables were
        # empty) and the visibility map (without it every index scan also reads the table's
        # rows, and an index-only scan cannot be one: the bell's unread count, on every page,
        # took 0.7 ms instead of 0.1). A server with autovacuum off, as on the bench machine,
        # would otherwise never get there. VACUUM runs outside a transaction.
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    return ctx
