"""What each searchable model puts in the index: one builder per model, used by the session
events (ORM objects) and by the rebuild (table rows) alike."""
from app.search.text import fold, pinyin_of


class Lookups:
    """Names and ids a document needs from other tables, fetched once and cached."""

    def __init__(self, conn, preload=False):
        self.conn = conn
        self.cache = {"department": {}, "plan": {}, "objective": {}}
        if preload:
            self._load("department", "SELECT id, name FROM department")
            self._load("plan", "SELECT id, year FROM plan")
            self._load("objective", "SELECT id, plan_id FROM plan_objective")
        self.preloaded = preload

    def _load(self, key, sql, ids=None):
        from sqlalchemy import bindparam, text

        stmt = text(sql + (" WHERE id IN :ids" if ids else ""))
        if ids:
            stmt = stmt.bindparams(bindparam("ids", expanding=True))
        for k, v in self.conn.execute(stmt, {"ids": list(ids)} if ids else {}):
            self.cache[key][k] = v

    def get(self, key, obj_id):
        if obj_id is None:
            return None
        if obj_id not in self.cache[key] and not self.preloaded:
            table = {"department": "department", "plan": "plan", "objective": "plan_objective"}[key]
            column = {"department": "name", "plan": "year", "objective": "plan_id"}[key]
            self._load(key, f"SELECT id, {column} FROM {table}", {obj_id})
        return self.cache[key].get(obj_id)


def _join(*parts, sep="\n"):
    return sep.join(p.strip() for p in parts if p and p.strip())


def account(a, look):
    return dict(account_id=a.id, title=a.name, body=_join(a.industry, a.region, a.website, sep=" · "),
                pinyin=pinyin_of(a.name))


def contact(c, look):
    return dict(account_id=c.account_id, title=c.name,
                body=_join(c.title, look.get("department", c.department_id), c.email, c.phone, sep=" · "),
                pinyin=pinyin_of(c.name), extra=c.status)


def department(d, look):
    if d.removed_on is not None:  # gone from the map: gone from search
        return None
    return dict(account_id=d.account_id, title=d.name, body=d.notes, pinyin=pinyin_of(d.name))


def complaint(c, look):
    return dict(account_id=c.account_id, title=c.subject, body=_join(c.description, c.root_cause),
                extra=c.status)


def meeting(m, look):
    return dict(account_id=m.account_id, title=m.title, body=_join(m.agenda, m.summary, m.decisions),
                extra=m.starts_at.date().isoformat() if m.starts_at else "")


def _plan_doc(item, body, extra=""):
    if not body.strip():
        return None
    return dict(account_id=item.account_id, parent_id=item.plan_id, body=body, extra=extra)


def business(b, look):
    doc = _plan_doc(b, _join(b.strategy, b.short_term_needs, b.long_term_needs, b.financial_notes,
                             b.initiatives, b.competitors, b.industry_position))
    return doc and {**doc, "extra": str(look.get("plan", b.plan_id) or "")}


def position(p, look):
    doc = _plan_doc(p, p.narrative or "")
    return doc and {**doc, "extra": str(look.get("plan", p.plan_id) or "")}


def swot(s, look):
    doc = _plan_doc(s, s.text or "")
    return doc and {**doc, "extra": f"{s.quadrant}|{look.get('plan', s.plan_id) or ''}"}


def objective(o, look):
    return dict(account_id=o.account_id, parent_id=o.plan_id, title=o.title, body=o.target_value or "",
                extra=str(look.get("plan", o.plan_id) or ""))


def action(a, look):
    if a.objective_id is not None:
        parent, extra = look.get("objective", a.objective_id), "plan"
    elif a.meeting_id is not None:
        parent, extra = a.meeting_id, "meeting"
    else:
        parent, extra = None, ""
    return dict(account_id=a.account_id, parent_id=parent, title=a.title, extra=extra)


def interaction(i, look):
    if not (i.note or "").strip():
        return None
    return dict(account_id=i.account_id, body=i.note, extra=f"{i.kind}|{i.occurred_on.isoformat()}")


def checkin(n, look):
    if not (n.body or "").strip():
        return None
    return dict(account_id=n.account_id, body=n.body,
                extra=n.created_at.date().isoformat() if n.created_at else "")


def registry():
    """[(model, kind, builder, watched columns)]: the models whose writes change the index.

    The watched columns (with id and account_id) are all a builder reads, so the rebuild
    selects only them: it runs in the migration, before later migrations add columns.
    """
    from app.accounts.models import Account
    from app.actions.models import ActionItem
    from app.complaints.models import Complaint
    from app.health.models import CheckInNote
    from app.meetings.models import Meeting
    from app.plans.models import BusinessSection, Objective, PositionSection, SwotItem
    from app.stakeholders.models import Contact, Department, Interaction

    return [
        (Account, "account", account, {"name", "industry", "region", "website"}),
        (Contact, "contact", contact, {"name", "title", "department_id", "email", "phone", "status",
                                       "account_id"}),
        (Department, "department", department, {"name", "notes", "removed_on"}),
        (Complaint, "complaint", complaint, {"subject", "description", "root_cause", "status"}),
        (Meeting, "meeting", meeting, {"title", "agenda", "summary", "decisions", "starts_at"}),
        (Objective, "objective", objective, {"title", "target_value", "plan_id"}),
        (ActionItem, "action", action, {"title", "objective_id", "meeting_id"}),
        (BusinessSection, "business", business, {"strategy", "short_term_needs", "long_term_needs",
                                                 "financial_notes", "initiatives", "competitors",
                                                 "industry_position", "plan_id"}),
        (PositionSection, "position", position, {"narrative", "plan_id"}),
        (SwotItem, "swot", swot, {"text", "quadrant", "plan_id"}),
        (Interaction, "interaction", interaction, {"note", "kind", "occurred_on"}),
        (CheckInNote, "checkin", checkin, {"body", "created_at"}),
    ]


def build_doc(kind, builder, obj, look):
    """The row for search_doc (folded text), or None when the object has nothing to find."""
    doc = builder(obj, look)
    if doc is None:
        return None
    return {"kind": kind, "object_id": obj.id, "account_id": doc["account_id"],
            "parent_id": doc.get("parent_id"), "title": fold(doc.get("title", ""))[:300],
            "body": fold(doc.get("body", "")), "pinyin": doc.get("pinyin", ""),
            "extra": (doc.get("extra") or "")[:60]}
