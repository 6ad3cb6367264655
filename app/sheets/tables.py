"""What each export holds: typed columns and the rows, loaded in a fixed number of queries."""
from app.extensions import db
from app.sheets.writer import Col
from app.timeutil import utcnow
from app.translate import lazy_gettext as _l
from app.vocab import RELATIONSHIP_STRENGTH

CONTACT_KEYS = ("id", "name", "title", "department", "reports_to", "seniority", "buying_role",
                "influence", "attitude", "strength", "email", "phone", "interests", "vested_interests",
                "needs_short", "needs_long", "status", "left_on", "left_to", "last_contacted_on")
KIND = {"date": "date", "long": "long", "id": "int"}


def contacts(account_id):
    """An account's contacts: department, reports-to, buying role, influence, attitude,
    our best relationship strength and the last contact; columns import back as they are."""
    from app.imports.fields import CONTACT_FIELDS  # the headers import reads back
    from app.stakeholders.services import load_map

    smap = load_map(account_id)
    by_key = {f.key: f for f in CONTACT_FIELDS}
    cols = [Col(by_key[k].label, KIND.get(by_key[k].kind, "text")) for k in CONTACT_KEYS]
    names = {c.id: c.name for c in smap.contacts}
    best = {}
    for p in smap.pairings:
        if p.contact_id:
            rank = RELATIONSHIP_STRENGTH.rank(p.current_level)
            if rank > best.get(p.contact_id, (-1, ""))[0]:
                best[p.contact_id] = (rank, p.current_level)
    rows = []
    for c in smap.contacts:
        strength = best.get(c.id, (0, ""))[1]
        rows.append([c.id, c.name, c.title, c.department.name if c.department else "",
                     names.get(c.reports_to_id, ""), c.seniority_label, c.buying_role_label,
                     c.influence_label, c.attitude_label,
                     RELATIONSHIP_STRENGTH.label(strength) if strength else "", c.email, c.phone,
                     c.interests, c.vested_interests, c.needs_short, c.needs_long,
                     _status_label(c.status), c.left_on, c.left_to, c.last_contacted_on])
    return cols, rows


def _status_label(status):
    from app.stakeholders.models import CONTACT_STATUS
    return CONTACT_STATUS.label(status)


def complaints(account_id):
    """The complaint log with its service-level columns."""
    from app.complaints.services import list_complaints

    now = utcnow()
    cols = [Col(_l("Id"), "int"), Col(_l("Subject"), "long"), Col(_l("Severity")), Col(_l("Status")),
            Col(_l("Category")), Col(_l("Channel")), Col(_l("Contact")), Col(_l("Owner")),
            Col(_l("Received"), "datetime"), Col(_l("Respond by"), "datetime"),
            Col(_l("Acknowledged"), "datetime"), Col(_l("Resolve by"), "datetime"),
            Col(_l("Resolved"), "datetime"), Col(_l("Closed"), "datetime"),
            Col(_l("Response target (h)"), "int"), Col(_l("Resolution target (h)"), "int"),
            Col(_l("Response breached"), "bool"), Col(_l("Resolution breached"), "bool"),
            Col(_l("Root cause"), "long"), Col(_l("Prevention"), "long")]
    rows = []
    for c in list_complaints(account_id, limit=100_000):
        rows.append([c.id, c.subject, c.severity_label, c.status_label, c.category_label,
                     c.channel.kind_label if c.channel else "", c.contact.name if c.contact else "",
                     c.owner.name if c.owner else "", c.received_at, c.respond_by, c.acknowledged_at,
                     c.resolve_by, c.resolved_at, c.closed_at,
                     round((c.respond_by - c.received_at).total_seconds() / 3600),
                     round((c.resolve_by - c.received_at).total_seconds() / 3600),
                     bool(c.response_breached(now)), bool(c.resolution_breached(now)),
                     c.root_cause, c.prevention])
    return cols, rows


def actions(account_id):
    """The account's actions with owner, due date and status."""
    from sqlalchemy.orm import joinedload

    from app.actions.models import ActionItem

    items = db.session.scalars(db.select(ActionItem).where(ActionItem.account_id == account_id)
                               .options(joinedload(ActionItem.owner))
                               .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)).all()
    cols = [Col(_l("Id"), "int"), Col(_l("Action"), "long"), Col(_l("Owner")), Col(_l("Due"), "date"),
            Col(_l("Status")), Col(_l("Done on"), "date"), Col(_l("Overdue"), "bool"),
            Col(_l("Created"), "datetime")]
    rows = [[a.id, a.title, a.owner.name if a.owner else "", a.due_on, a.status_label, a.done_on,
             a.is_overdue, a.created_at] for a in items]
    return cols, rows


def portfolio(user):
    """The accounts the user sees, ranked by weighted score, with health and the numbers."""
    from app.health.services import health_for
    from app.selection import queries

    ranked, _criteria, _due = queries.portfolio(user)
    health = health_for([r.account.id for r in ranked])
    cols = [Col(_l("Id"), "int"), Col(_l("Rank"), "int"), Col(_l("Name")), Col(_l("Tier")),
            Col(_l("Relationship stage")), Col(_l("Industry")), Col(_l("Region")), Col(_l("Website")),
            Col(_l("Weighted score"), "number"), Col(_l("Criteria scored"), "int"), Col(_l("Health"), "int"),
            Col(_l("Currency"), width=9), Col(_l("Revenue this year"), "money", 16),
            Col(_l("Revenue last year"), "money", 16), Col(_l("Margin"), "pct"),
            Col(_l("Review due"), "bool"), Col(_l("Last decision"), "datetime")]
    rows = []
    for r in ranked:
        a, h = r.account, health.get(r.account.id)
        rows.append([a.id, r.rank, a.name, a.tier, a.relationship_stage, a.industry, a.region, a.website,
                     r.total, r.scored, h.score if h else None, a.currency, a.revenue_this_year,
                     a.revenue_last_year, a.margin_pct, r.due, r.last_decided_at])
    from app.vocab import STAGES, TIERS
    for row in rows:
        row[3], row[4] = TIERS.label(row[3]), STAGES.label(row[4])
    return cols, rows


def coverage(account_id):
    """The coverage matrix: their departments (rows) against our people (columns)."""
    from app.stakeholders import coverage as cov
    from app.stakeholders.services import load_map

    people, matrix, contacts_ = cov.coverage_matrix(load_map(account_id))
    cols = [Col(_l("Department"))] + [Col(p.name, width=22) for p in people]
    rows = []
    for row in matrix:
        cells = [row.department.name if row.department else str(_l("Contacts without a department"))]
        for p in people:
            parts = []
            for pairing in row.cells.get(p.id, []):
                who = contacts_[pairing.contact_id].name if pairing.contact_id else str(_l("whole department"))
                parts.append(f"{who}: {RELATIONSHIP_STRENGTH.label(pairing.current_level)}"
                             f" → {RELATIONSHIP_STRENGTH.label(pairing.target_level)}")
            cells.append("; ".join(parts))
        rows.append(cells)
    return cols, rows
