"""One function gathers a quarterly review as a plain dict; the preview page and the PDF both render it.

The dict holds only strings, numbers, booleans, lists and dicts, already formatted in the
reader's language, so it can be stored as JSON when the review is finalised and shown
again exactly as it was. The number of queries is fixed, whatever the rows.
"""
from datetime import datetime, timedelta

from flask_babel import get_locale, get_timezone
from sqlalchemy.orm import joinedload, selectinload

from app.actions.models import OPEN_STATUSES, ActionItem
from app.complaints.models import SEVERITIES, Complaint
from app.extensions import db
from app.meetings.models import Meeting
from app.plans.models import Objective, Opportunity, Plan
from app.plans.vocab import OPEN_STAGES
from app.reviews import quarters, story
from app.reviews.models import ReviewNote
from app.team.services import current_memberships
from app.templating import date_, money, pct
from app.timeutil import today, utcnow
from app.translate import gettext as _
from app.translate import lazy_gettext as _l
from app.vocab import ACTION_STATUS

ACTION_STATES = {"done": _l("done"), "open": _l("open"), "overdue": _l("overdue")}


_NO_NOTE = object()
# The review's parts. The preview page renders MAIN at once and loads RELATIONS (stakeholders,
# complaints, meetings) in place, so neither request runs more than a few queries; the PDF and
# the finalised copy gather both in one go. Each key of the dict belongs to exactly one part.
MAIN, STORY, RELATIONS = "main", "story", "relations"
PARTS = (MAIN, STORY, RELATIONS)


def gather(account, quarter=None, user=None, note=_NO_NOTE, parts=PARTS):
    """The review of `account` for `quarter` ("2026-Q3", default the current one), whole by default.

    `note`: the quarter's ReviewNote (or None) when the caller has it already.
    `parts`: which parts to gather (see PARTS); the keys of the others are left out.
    """
    quarter = quarter if quarters.parse(quarter or "") else quarters.current()
    start, end = quarters.bounds(quarter)
    smap = _stakeholder_map(account) if RELATIONS in parts else None
    out = {"format": 1, "lang": str(get_locale()), "quarter": quarter,
           "account": {"id": account.id, "name": account.name, "industry": account.industry,
                       "region": account.region, "currency": account.currency}}
    if MAIN in parts:
        out |= _main(account, quarter, start, end, user, note,
                     team=smap.team if smap is not None else current_memberships(account.id))
    if STORY in parts:
        out |= _story(account, quarter, start, end, note)
    if RELATIONS in parts:
        out |= {"stakeholders": _stakeholders(smap, start, end), "complaints": _complaints(account, start, end),
                "meetings": _meetings(account, start, end)}
    return out


def _story(account, quarter, start, end, note):
    """The KAM's commentary, what changed in the quarter and the sponsor's notes (about ten queries)."""
    from app.health.services import health_for

    if note is _NO_NOTE:
        note = db.session.scalar(db.select(ReviewNote).where(
            ReviewNote.account_id == account.id, ReviewNote.quarter == quarter))
    objectives = db.session.scalars(db.select(Objective).join(Plan, Plan.id == Objective.plan_id).where(
        Objective.account_id == account.id, (Plan.year == start.year) | Plan.closed_at.is_(None))
        .order_by(Objective.horizon, Objective.position, Objective.id)).all()
    now = None
    if not quarters.ended(quarter):
        h = health_for([account.id])[account.id]
        now = {"score": h.score, "parts_by_key": {p.key: p.score for p in h.parts}}
    return {"commentary": note.commentary if note else "", "kam": _kam_names(account),
            "changed": story.changes(account, quarter, start, end, objectives)
            | {"health": story.health_change(account.id, quarter, now)},
            "sponsor_notes": story.sponsor_notes(account.id, start, end)}


def _kam_names(account):
    """The KAMs' names (one query)."""
    from app.auth.models import User
    from app.team.models import Membership

    return ", ".join(db.session.scalars(db.select(User.name).join(Membership, Membership.user_id == User.id).where(
        Membership.account_id == account.id, Membership.role == "kam", Membership.left_on.is_(None))))


def _main(account, quarter, start, end, user, note, team):
    """Cover, summary, plan, opportunities, priorities and sign-off."""
    if note is _NO_NOTE:
        note = db.session.scalar(db.select(ReviewNote).where(
            ReviewNote.account_id == account.id, ReviewNote.quarter == quarter))
    return {
        "next_quarter": quarters.shift(quarter, 1),
        "period": _("%(start)s to %(end)s", start=date_(start, "medium"), end=date_(end, "medium")),
        "generated_on": date_(utcnow(), "long"),  # the reader's today
        "timezone": str(get_timezone()),
        "prepared_by": user.name if user is not None else "",
        "kam": ", ".join(m.user.name for m in team if m.role == "kam"),
        "sponsors": [m.user.name for m in team if m.role == "sponsor"],
        "team": [{"name": m.user.name, "role": str(m.role_label)} for m in team if m.role != "observer"],
        **_plan_and_summary(account, start, end, account.currency),
        "priorities": note.priorities if note else "",  # legacy text; migration 0019 made it actions
        "priority_actions": _priority_actions(account, quarters.shift(quarter, 1)),
    }


def _priority_actions(account, next_quarter):
    """Next quarter's priorities: each action's title, owner, due date, state and objective (one query)."""
    return priority_rows(account.id, next_quarter)


def priority_rows(account_id, next_quarter):
    """The priority actions of `next_quarter` as plain dicts, soonest first (one query)."""
    from app.auth.models import User

    rows = db.session.execute(
        db.select(ActionItem.id, ActionItem.title, User.name, ActionItem.due_on, ActionItem.status, Objective.title)
        .outerjoin(User, User.id == ActionItem.owner_id)
        .outerjoin(Objective, Objective.id == ActionItem.objective_id)
        .where(ActionItem.account_id == account_id, ActionItem.priority_quarter == next_quarter)
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)).all()
    on = today()
    return [{"id": i, "title": t, "owner": o or "", "due": date_(d, "medium") if d else "",
             "status": str(ACTION_STATUS.label(st)), "objective": ob or "",
             "overdue": st in OPEN_STATUSES and d is not None and d < on}
            for i, t, o, d, st, ob in rows]


def health_of(account):
    """Health score, reasons and trend from app.health when that feature is installed, else None."""
    try:
        from app.health.services import direction, health_for, trend_for
    except ImportError:  # the health feature is merged separately; the review works without it
        return None
    health = health_for([account.id]).get(account.id)
    if health is None:
        return None
    trend = trend_for([account.id], quarters=4).get(account.id) or []
    now = [[str(_l("now")), int(health.score)]] if health.score is not None else []
    return {"score": health.score, "direction": direction(trend, health.score),
            "known": health.known, "counted": health.counted,
            "parts_by_key": {p.key: p.score for p in health.parts},
            "trend": [[str(p.quarter), int(p.score)] for p in trend] + now,
            "reasons": [{"label": str(p.label), "score": p.score, "sentence": str(p.sentence), "known": p.known}
                        for p in health.parts]}


def _summary(account, share):
    """Tier, stage, health and trend, revenue against last year, share of wallet, selection score."""
    from app.selection.queries import account_total

    growth = account.growth_pct
    total = account_total(account.id)
    return {
        "tier": str(account.tier_label), "tier_code": account.tier,
        "stage": str(account.stage_label), "stage_code": account.relationship_stage,
        "health": health_of(account),
        "revenue": money(account.revenue_this_year, account.currency),
        "revenue_last": money(account.revenue_last_year, account.currency),
        "revenue_value": float(account.revenue_this_year or 0),
        "revenue_last_value": float(account.revenue_last_year or 0),
        "growth": None if growth is None else round(growth, 1),
        "growth_text": pct(growth, 1) if growth is not None else "—",
        "share": share, "share_text": pct(share, 1) if share is not None else "—",
        "selection": None if total is None else round(float(total)),
    }


def _plans(account, year):
    """(the quarter's plan: that year's, else the open one; the open plan), each with its position (one query)."""
    plans = db.session.scalars(
        db.select(Plan).where(Plan.account_id == account.id, (Plan.year == year) | Plan.closed_at.is_(None))
        .options(joinedload(Plan.position))).unique().all()
    open_plan = next((p for p in plans if p.closed_at is None), None)
    return next((p for p in plans if p.year == year), open_plan), open_plan


def _plan_and_summary(account, start, end, cur):
    """The summary and the plan part; the open plan's position gives the share of wallet."""
    from app.plans.services import wallet_share

    plan, open_plan = _plans(account, start.year)
    position = open_plan.position if open_plan is not None else None
    share = wallet_share(position.annual_value, position.category_spend) if position is not None else None
    summary = _summary(account, share)
    part = _plan(account, plan, start, end, cur)
    part.pop("_objective_rows")
    return {"summary": summary, **part}


def _plan(account, plan, start, end, cur):
    """Objectives with their progress; actions done and overdue; opportunities won, lost and open."""
    objectives, done, overdue = [], [], []
    if plan is not None:
        rows = db.session.scalars(db.select(Objective).where(Objective.plan_id == plan.id)
                                  .options(joinedload(Objective.owner))
                                  .order_by(Objective.horizon, Objective.position, Objective.id)).all()
        by_id = {o.id: o for o in rows}
        actions = db.session.scalars(db.select(ActionItem).where(
            ActionItem.objective_id.in_(list(by_id) or [0])).options(joinedload(ActionItem.owner))
            .order_by(ActionItem.due_on, ActionItem.id)).all() if by_id else []
        cutoff = min(end, today() - timedelta(days=1))
        counts, per = {}, {}
        for a in actions:
            c = counts.setdefault(a.objective_id, [0, 0])
            row = {"title": a.title, "objective": by_id[a.objective_id].title,
                   "owner": a.owner.name if a.owner_id else "—"}
            state = None
            if a.done_on and start <= a.done_on <= end:
                c[0] += 1
                done.append(row | {"date": date_(a.done_on, "medium")})
                state, when = "done", a.done_on
            elif a.status in OPEN_STATUSES and a.due_on and a.due_on <= cutoff:
                c[1] += 1
                overdue.append(row | {"date": date_(a.due_on, "medium")})
                state, when = "overdue", a.due_on
            elif a.status in OPEN_STATUSES:
                state, when = "open", a.due_on
            if state:  # each objective's own actions: what got done, what is open, what is late
                per.setdefault(a.objective_id, []).append(
                    row | {"state": state, "state_label": str(ACTION_STATES[state]),
                           "date": date_(when, "medium") if when else "—"})
        objectives = [{"title": o.title, "horizon": str(o.horizon_label), "status": str(o.status_label),
                       "status_code": o.status, "progress": o.progress,
                       "owner": o.owner.name if o.owner_id else "—",
                       "target": date_(o.target_date, "medium") if o.target_date else "—",
                       "done": counts.get(o.id, [0, 0])[0], "overdue": counts.get(o.id, [0, 0])[1],
                       "actions": per.get(o.id, [])}
                      for o in rows]
    opps = db.session.scalars(db.select(Opportunity).where(
        Opportunity.account_id == account.id,
        Opportunity.stage.in_(OPEN_STAGES) | Opportunity.closed_on.between(start, end))
        .order_by(Opportunity.expected_close, Opportunity.id)).all()

    def opp(o):
        """One opportunity as a row."""
        when = o.closed_on if o.closed_on else o.expected_close
        return {"name": o.name, "value": money(o.value, cur), "stage": str(o.stage_label),
                "probability": o.probability, "date": date_(when, "medium") if when else "—",
                "reason": o.reason}

    groups = {k: [o for o in opps if (o.stage == k if k != "open" else o.stage in OPEN_STAGES)]
              for k in ("won", "lost", "open")}
    totals = {k: money(sum((o.value or 0) for o in v), cur) for k, v in groups.items()}
    return {"_objective_rows": rows if plan is not None else [],
            "plan_year": plan.year if plan else None, "objectives": objectives,
            "actions": {"done": done, "overdue": overdue},
            "opportunities": {k: [opp(o) for o in v] for k, v in groups.items()} | {"totals": totals}}


def _stakeholder_map(account):
    """Departments, contacts, pairings and the current team (four queries)."""
    from app.stakeholders.services import load_map

    return load_map(account.id)


def _stakeholders(smap, start, end):
    """The org chart drawn with our coverage lines (one drawing per department), and the gaps.

    The drawing is plain data (app/stakeholders/orgdraw.py), so a finalised review keeps it as it
    was. People who left during the quarter stay on it, marked; earlier leavers are gone, their
    reports drawn under the nearest remaining manager.
    """
    from dataclasses import replace

    from app.stakeholders.gaps import is_warm
    from app.stakeholders.orgdraw import draw

    warm, covered = set(), set()
    for p in smap.pairings:
        if p.contact_id:
            covered.add(p.contact_id)
            if is_warm(p.current_level):
                warm.add(p.contact_id)
    shown = replace(smap, contacts=[c for c in smap.contacts if c.status == "active"
                                    or (c.left_on is not None and start <= c.left_on <= end)])
    chart = draw(shown, min(today(), end), group=True, coverage=True, show_left=True)
    active = smap.active_contacts
    return {"chart": chart, "contacts": len(active),
            "covered": sum(1 for c in active if c.id in covered),
            "warm": sum(1 for c in active if c.id in warm),
            "gaps": [g.sentence for g in smap.gaps()]}


def _utc_bounds(start, end):
    """The quarter's first and last day, midnight to midnight in the reader's zone, as naive UTC."""
    from app.complaints.services import local_to_utc

    zone = get_timezone()
    return (local_to_utc(datetime.combine(start, datetime.min.time()), zone),
            local_to_utc(datetime.combine(end + timedelta(days=1), datetime.min.time()), zone))


def _complaints(account, start, end):
    """Complaints received in the quarter: by severity, response and resolution against target."""
    lo, hi = _utc_bounds(start, end)
    rows = db.session.scalars(db.select(Complaint).where(
        Complaint.account_id == account.id, Complaint.received_at >= lo, Complaint.received_at < hi)
        .order_by(Complaint.received_at)).all()
    now = utcnow()
    by_sev = {v: 0 for v in SEVERITIES.values}
    for c in rows:
        by_sev[c.severity] = by_sev.get(c.severity, 0) + 1
    resp_ok = sum(1 for c in rows if not c.response_breached(now))
    res_ok = sum(1 for c in rows if not c.resolution_breached(now))
    return {
        "count": len(rows),
        "by_severity": [{"code": k, "label": str(SEVERITIES.label(k)), "count": n} for k, n in by_sev.items()],
        "response_on_time": resp_ok, "resolution_on_time": res_ok,
        "open": sum(1 for c in rows if c.is_open),
        "rows": [{"subject": c.subject, "severity": str(c.severity_label), "severity_code": c.severity,
                  "status": str(c.status_label), "received": date_(c.received_at, "medium"),
                  "response_ok": not c.response_breached(now), "resolution_ok": not c.resolution_breached(now),
                  "root_cause": c.root_cause, "prevention": c.prevention} for c in rows],
    }


def _meetings(account, start, end):
    """Meetings held in the quarter: who met, what was decided, how satisfied the customer was."""
    lo, hi = _utc_bounds(start, end)
    rows = db.session.scalars(db.select(Meeting).where(
        Meeting.account_id == account.id, Meeting.status == "held",
        Meeting.starts_at >= lo, Meeting.starts_at < hi)
        .options(selectinload(Meeting.their_attendees), selectinload(Meeting.our_attendees))
        .order_by(Meeting.starts_at)).all()
    scores = [m.satisfaction for m in rows if m.satisfaction]
    return {
        "count": len(rows),
        "satisfaction": round(sum(scores) / len(scores), 1) if scores else None,
        "rows": [{"date": date_(m.starts_at, "medium"), "title": m.title, "kind": str(m.kind_label),
                  "theirs": ", ".join(c.name for c in m.their_attendees),
                  "ours": ", ".join(u.name for u in m.our_attendees),
                  "decisions": m.decision_list, "satisfaction": m.satisfaction} for m in rows],
    }
