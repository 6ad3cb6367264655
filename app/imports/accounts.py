"""Accounts from a file: match (our id, else name among the accounts the user sees),
preview, apply in one transaction audited as one import. The importer becomes the
key-account manager of accounts it creates; an account the user may only read is refused."""
from app.accounts.models import Account
from app.audit.services import record
from app.extensions import db
from app.imports import engine
from app.team.models import Membership
from app.translate import lazy_gettext as _l

DIRECT = ("name", "industry", "region", "website", "revenue_this_year", "revenue_last_year", "currency",
          "margin_pct", "tier", "relationship_stage", "procurement_model", "purchase_pattern", "payment_terms")
DEFAULTS = {"tier": "developing", "relationship_stage": "establish", "currency": "CNY",
            "procurement_model": "centralised", "purchase_pattern": "recurring",
            "revenue_this_year": 0, "revenue_last_year": 0}


def _low(text):
    return (text or "").strip().lower()


class _Book:
    def __init__(self, actor):
        stmt = db.select(Account).where(Account.archived_at.is_(None))
        self.writable = None
        if not actor.is_admin:
            rows = db.session.execute(db.select(Membership.account_id, Membership.role).where(
                Membership.user_id == actor.id, Membership.left_on.is_(None))).all()
            self.writable = {aid for aid, role in rows if role != "observer"}
            stmt = stmt.where(Account.id.in_([aid for aid, _role in rows]))
        self.accounts = db.session.scalars(stmt).all()
        self.by_id = {a.id: a for a in self.accounts}
        self.by_name = {}
        for a in self.accounts:
            self.by_name.setdefault(_low(a.name), a)

    def may_write(self, account):
        return self.writable is None or account.id in self.writable


def _value(key, value):
    if value in (None, "") and key in DEFAULTS:
        return DEFAULTS[key]
    return value


def _walk(plan, table, book, progress=None):
    seen = {}
    for line, values, errors in engine.rows(plan, table, progress):
        outcome = engine.Outcome(line, values.get("name") or "")
        for e in errors:
            outcome.refuse(e)
        account = None
        if not outcome.errors:
            if values.get("id"):
                account = book.by_id.get(values["id"])
                if account is None:
                    outcome.refuse(_l("No account of yours has the id %(id)d.", id=values["id"]))
            elif values.get("name"):
                account = book.by_name.get(_low(values["name"]))
            else:
                outcome.refuse(_l("The name is empty."))
        if account is not None and not book.may_write(account):
            outcome.refuse(_l("You may only read %(name)s.", name=account.name))
        if account is not None and "name" in values and not values["name"]:
            outcome.refuse(_l("The name is empty."))
        key = ("a", account.id) if account else ("n", _low(values.get("name")))
        if not outcome.errors:
            if key in seen:
                outcome.refuse(_l("The same account is on line %(line)d too.", line=seen[key]))
            seen.setdefault(key, line)
        if account is not None and not outcome.errors:
            outcome.label = values.get("name") or account.name
            outcome.changes = [k for k in DIRECT if k in values
                               and not engine.same(getattr(account, k), _value(k, values[k]))]
            outcome.action = "update" if outcome.changes else "unchanged"
        yield outcome, values, account


def plan(path, filename, actor, mapping=None, progress=None):
    """Check every row; nothing is written."""
    plan_, table = engine.open_plan("accounts", path, filename, mapping)
    if table is None or plan_.problems:
        return plan_
    book = _Book(actor)
    plan_.outcomes = [o for o, _v, _a in _walk(plan_, table, book, progress)]
    plan_.count()
    if not plan_.total and not plan_.problems:
        plan_.problems.append(_l("The file has a header but no account rows."))
    return plan_


def apply(actor, path, filename, mapping, progress=None):
    """Create and update the accounts of a clean plan, all in one transaction."""
    checked = plan(path, filename, actor, mapping, progress)
    if not checked.ok:
        return checked
    _plan, table = engine.open_plan("accounts", path, filename, checked.mapping)
    book = _Book(actor)
    try:
        created = []
        for n, (_o, values, account) in enumerate(_walk(_plan, table, book), start=1):
            data = {k: _value(k, values[k]) for k in DIRECT if k in values}
            if account is None:
                account = Account(**{k: v for k, v in DEFAULTS.items()} | data)
                db.session.add(account)
                created.append(account)
            else:
                for k, v in data.items():
                    if not engine.same(getattr(account, k), v):
                        setattr(account, k, v)
            if progress and n % 500 == 0:
                progress(checked.total + n)
        db.session.flush()
        for account in created:
            db.session.add(Membership(account_id=account.id, user_id=actor.id, role="kam", function="sales"))
        c = checked.counts
        record(actor, actor, "import", account_id=None, changes={
            "file": [None, filename], "created": [None, c["create"]], "updated": [None, c["update"]],
            "unchanged": [None, c["unchanged"]]},
            summary=f"accounts: {c['create']} created, {c['update']} updated ({filename})")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return checked
