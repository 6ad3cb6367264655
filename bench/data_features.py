"""Benchmark rows for the features on top of the foundation: selection, coverage, plans,
complaints, meetings. Bulk inserts only; sizes from the scale (see bench/data.py)."""
from datetime import datetime, time, timedelta

from app.extensions import db
from bench.data import bulk


def _users(ctx):
    return ctx.ids["users"]


def gen_selection(ctx):
    from app.selection.models import Criterion, Score
    from app.selection.services import ensure_default_criteria

    ensure_default_criteria()
    active = db.session.scalars(db.select(Criterion.id).where(Criterion.active.is_(True))).all()
    rows = [dict(account_id=aid, criterion_id=cid, value=ctx.rng.randint(3, 10), note="",
                 scored_by_id=_users(ctx)[1], scored_at=datetime.combine(ctx.today, time()), version=1)
            for aid in ctx.ids["accounts"] for cid in active]
    bulk(Score, rows)


def gen_coverage(ctx):
    from app.stakeholders.models import Coverage, Interaction, interaction_contact

    users, contacts, nc = _users(ctx), ctx.ids["contacts"], ctx.scale["contacts"]
    rows, touches = [], []
    for a_index, aid in enumerate(ctx.ids["accounts"]):
        first = a_index * nc
        for k in range(6):  # our people on their top six
            rows.append(dict(account_id=aid, user_id=users[1 + k % 4], contact_id=contacts[first + k],
                             current_level=["acquainted", "credible", "trusted_advisor"][k % 3],
                             target_level="trusted_advisor", started_on=ctx.today - timedelta(days=200),
                             created_at=ctx.today))
        for k in range(4):
            touches.append(dict(account_id=aid, kind="call", occurred_on=ctx.today - timedelta(days=k * 20),
                                note="电话沟通 Call", user_id=users[1], created_at=ctx.today))
    bulk(Coverage, rows)
    ids = bulk(Interaction, touches)
    links = [dict(interaction_id=iid, contact_id=contacts[(i // 4) * nc + i % nc]) for i, iid in enumerate(ids)]
    db.session.execute(interaction_contact.insert(), links)


def gen_plans(ctx):
    from app.actions.models import ActionItem
    from app.plans.models import BusinessSection, Objective, Opportunity, Plan, PositionSection, SwotItem

    plan_ids = bulk(Plan, [dict(account_id=aid, year=ctx.today.year, created_at=ctx.today)
                           for aid in ctx.ids["accounts"]])
    pairs = list(zip(plan_ids, ctx.ids["accounts"], strict=True))
    bulk(BusinessSection, [dict(plan_id=p, account_id=a, strategy="扩大华东产能 Expand capacity in East China",
                                short_term_needs="交期稳定 Stable lead times", long_term_needs="本地化研发 Local R&D",
                                financial_notes="", initiatives="", competitors="", industry_position="", version=1)
                           for p, a in pairs])
    bulk(PositionSection, [dict(plan_id=p, account_id=a, annual_value=ctx.rng.randint(1, 50) * 1_000_000,
                                category_spend=ctx.rng.randint(60, 200) * 1_000_000, potential=None,
                                narrative="", version=1) for p, a in pairs])
    bulk(SwotItem, [dict(plan_id=p, account_id=a, quadrant=q, text=f"{q} 要点 point {k}", position=k, version=1)
                    for p, a in pairs for q in ("strength", "weakness", "opportunity", "threat")
                    for k in range(2)])
    team = ctx.ids["team_of"]
    objectives = [dict(plan_id=p, account_id=a, title=f"目标 Objective {k}", horizon=["short", "mid", "long"][k % 3],
                       owner_id=team[a][k % len(team[a])], status=["on_track", "at_risk", "off_track"][k % 3],
                       progress=k * 15, position=k, target_value="", created_at=ctx.today, version=1)
                  for p, a in pairs for k in range(ctx.scale["objectives"])]
    obj_ids = bulk(Objective, objectives)
    actions = [dict(account_id=o["account_id"], title=f"行动 Action {j}",
                    owner_id=team[o["account_id"]][j % len(team[o["account_id"]])],
                    due_on=ctx.today + timedelta(days=ctx.rng.randint(-30, 90)), status="open",
                    objective_id=oid, version=1, created_at=ctx.today)
               for oid, o in zip(obj_ids, objectives, strict=True) for j in range(ctx.scale["actions"])]
    bulk(ActionItem, actions)
    stages = ["development", "proposal", "negotiation", "won", "lost"]
    bulk(Opportunity, [dict(account_id=a, name=f"项目 Project {k}", value=ctx.rng.randint(1, 30) * 100_000,
                            expected_close=ctx.today + timedelta(days=30 * k), probability=20 + 15 * k,
                            stage=stages[k % 5], reason="价格 Price" if stages[k % 5] in ("won", "lost") else "",
                            closed_on=ctx.today - timedelta(days=10) if stages[k % 5] in ("won", "lost") else None,
                            created_at=ctx.today, version=1)
                       for _, a in pairs for k in range(ctx.scale["opportunities"])])


def gen_complaints(ctx):
    from app.complaints.models import Complaint, ComplaintChannel, sla_columns

    users = _users(ctx)
    kinds = ["account_manager", "technical", "management", "executive"]
    chans = [dict(account_id=a, kind=kinds[k], owner_id=users[1 + k], phone="400-800-0000", email="", portal="",
                  hours="9-18", response_hours=[4, 8, 24, 48][k], resolution_hours=[48, 72, 120, 240][k], notes="",
                  created_at=ctx.today, version=1) for a in ctx.ids["accounts"] for k in range(4)]
    chan_ids = bulk(ComplaintChannel, chans)
    now = datetime.combine(ctx.today, time(12))
    statuses = ["open", "acknowledged", "in_progress", "resolved", "closed"]
    rows = []
    for a_index, a in enumerate(ctx.ids["accounts"]):
        for k in range(ctx.scale["complaints"]):
            ch = chan_ids[a_index * 4 + k % 4]
            received = now - timedelta(hours=ctx.rng.randint(1, 2000))
            st = statuses[k % 5]
            rows.append(dict(account_id=a, channel_id=ch, source_channel_id=ch, owner_id=users[1 + k % 4],
                             subject=f"交付延迟 Late delivery {k}", description="", category="delivery",
                             severity=["low", "medium", "high", "critical"][k % 4], status=st,
                             received_at=received, respond_by=received + timedelta(hours=8),
                             resolve_by=received + timedelta(hours=72),
                             acknowledged_at=received + timedelta(hours=2) if st != "open" else None,
                             resolved_at=received + timedelta(hours=50) if st in ("resolved", "closed") else None,
                             closed_at=received + timedelta(hours=60) if st == "closed" else None,
                             resolution="", root_cause="", prevention="", reopen_count=0, created_at=received,
                             version=1))
        for row in rows[-ctx.scale["complaints"]:]:
            row.update(sla_columns(row))  # what the ORM stores on every write; a bulk insert skips it
    bulk(Complaint, rows)


def gen_meetings(ctx):
    from app.meetings.models import ExecutiveCadence, Meeting, meeting_contact, meeting_user

    users, contacts, nc = _users(ctx), ctx.ids["contacts"], ctx.scale["contacts"]
    bulk(ExecutiveCadence, [dict(account_id=a, executive_id=users[1], contact_id=contacts[i * nc], every_days=90,
                                 started_on=ctx.today - timedelta(days=300), notes="", created_at=ctx.today,
                                 version=1) for i, a in enumerate(ctx.ids["accounts"])])
    rows = []
    for a in ctx.ids["accounts"]:
        for k in range(ctx.scale["meetings"]):
            held = k > 0
            rows.append(dict(account_id=a, kind=["executive", "quarterly_review", "check_in", "site_visit"][k % 4],
                             status="held" if held else "scheduled", title=f"高层会晤 Executive meeting {k}",
                             starts_at=datetime.combine(ctx.today, time(9)) + timedelta(days=14 if not held else -30 * k),
                             duration_minutes=60, location="", agenda="", summary="会谈顺利 Went well",
                             decisions="试点扩大 Extend the pilot", satisfaction=ctx.rng.randint(5, 10) if held else None,
                             created_by_id=users[1], created_at=ctx.today, version=1))
    ids = bulk(Meeting, rows)
    per = ctx.scale["meetings"]
    db.session.execute(meeting_user.insert(), [dict(meeting_id=m, user_id=users[1]) for m in ids])
    db.session.execute(meeting_contact.insert(),
                       [dict(meeting_id=m, contact_id=contacts[(i // per) * nc + i % 3]) for i, m in enumerate(ids)])


def gen_search(ctx):
    """The search index, filled from every table at once (the same bulk rebuild as `flask search-reindex`)."""
    from app.search.index import rebuild

    rebuild(db.session)


GENERATORS = [gen_selection, gen_coverage, gen_plans, gen_complaints, gen_meetings]


def gen_notifications(ctx):
    """Two notifications an account for each of its team (half read), so the bell and the
    notifications page have data that grows with the workspace."""
    import json

    from app.notify.models import Notification

    rows = []
    for n, aid in enumerate(ctx.ids["accounts"]):
        for k, uid in enumerate(ctx.ids["team_of"][aid][:3]):
            for j in range(2):
                rows.append(dict(user_id=uid, account_id=aid, kind=("action_due", "sla_breach")[j],
                                 params_json=json.dumps({"title": f"跟进报价 Follow up quote {n}", "subject": f"交付延迟 Late {n}",
                                                         "account": f"Group {n}", "target": "response",
                                                         "due": ctx.today.isoformat(), "severity": "high",
                                                         "channel": "account_manager", "overdue": 0},
                                                        ensure_ascii=False),
                                 url=f"/accounts/{aid}", created_at=ctx.today,
                                 read_at=ctx.today if (n + k + j) % 2 else None))
    bulk(Notification, rows)


GENERATORS.append(gen_notifications)

BIG_ORG = 200  # people in the one large account the org chart row draws


def gen_big_org(ctx):
    """One more account, on the measured KAM's list, with 200 people five levels deep in eight
    departments and 40 of our pairings: the drawn org chart's large case (bench row org_chart_200)."""
    from app.accounts.models import Account
    from app.stakeholders.models import Contact, Coverage, Department
    from app.team.models import Membership
    from bench.data import person

    users, rng = _users(ctx), ctx.rng
    aid = bulk(Account, [dict(name="巨石集团 Monolith Group", industry="Manufacturing 制造业", region="上海 Shanghai",
                              website="", procurement_model="centralised", purchase_pattern="recurring", currency="CNY",
                              revenue_this_year=90_000_000, revenue_last_year=80_000_000, margin_pct=25,
                              payment_terms="60 days", credit_note="", tier="strategic", relationship_stage="strengthen",
                              version=1, created_at=ctx.today)])[0]
    ctx.ids["big_org_account"] = aid
    bulk(Membership, [dict(account_id=aid, user_id=users[1 + k], role=role, function="sales",
                           joined_on=ctx.today - timedelta(days=300))
                      for k, role in enumerate(("kam", "member", "sponsor", "member"))])
    functions = ["executive", "procurement", "engineering", "finance", "quality", "operations", "other", "other"]
    dept_ids = bulk(Department, [dict(account_id=aid, name=f"部门 Division {d}", function=functions[d], notes="",
                                      created_at=ctx.today) for d in range(8)])
    start = (db.session.scalar(db.select(db.func.max(Contact.id))) or 0) + 1  # as bulk() numbers them
    rows = []

    def add(boss, dept, seniority):
        rows.append(dict(account_id=aid, department_id=dept_ids[dept], name=person(rng, len(rows)),
                         title=["总经理 General Manager", "副总裁 VP", "总监 Director", "经理 Manager", "工程师 Engineer"][
                             ["c_level", "vp", "director", "manager", "staff"].index(seniority)],
                         reports_to_id=None if boss is None else start + boss, seniority=seniority,
                         buying_role=rng.choice(["economic_buyer", "technical_buyer", "user_buyer", "coach", None, None]),
                         influence=rng.choice(["high", "medium", "low"]),
                         attitude=rng.choice(["champion", "supporter", "neutral", "skeptic", "opponent"]),
                         interests="", vested_interests="", needs_short="", needs_long="", email="", phone="",
                         status="left" if len(rows) % 37 == 11 else "active", left_to="", created_at=ctx.today,
                         last_contacted_on=ctx.today - timedelta(days=rng.randint(0, 200)), version=1))
        return len(rows) - 1

    add(None, 0, "c_level")
    vps = [add(0, d, "vp") for d in range(1, 8)]
    while len(rows) < BIG_ORG:  # directors, managers, staff under each VP, in the VP's department
        for vp in vps:
            dept = dept_ids.index(rows[vp]["department_id"])
            boss = rng.choice([vp] + [i for i, r in enumerate(rows) if r["department_id"] == rows[vp]["department_id"]
                                      and r["seniority"] in ("director", "manager")])
            level = {"vp": "director", "director": "manager"}.get(rows[boss]["seniority"], "staff")
            if len(rows) < BIG_ORG:
                add(boss, dept, level)
    ids = bulk(Contact, rows)
    bulk(Coverage, [dict(account_id=aid, user_id=users[1 + k % 4], contact_id=ids[(k * 7) % len(ids)],
                         current_level=["none", "acquainted", "credible", "trusted_advisor"][k % 4],
                         target_level="trusted_advisor", started_on=ctx.today - timedelta(days=100), created_at=ctx.today)
                    for k in range(40) if rows[(k * 7) % len(ids)]["status"] == "active"])


GENERATORS.append(gen_big_org)
GENERATORS.append(gen_search)  # last: it indexes what the others made
