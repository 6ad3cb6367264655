"""Keeping the index in step: session events write search_doc in the flush's own transaction.

Every flush of a registered model (create, edit, delete, a contact leaving, a department
removed) rewrites that object's row; a renamed department rewrites its contacts' rows; an
ORM bulk UPDATE of a watched column rewrites the rows it touched. Nothing to call from the
services. `rebuild()` (flask search-reindex, the demo data, the bench) redoes it all.
"""
from functools import cache

from sqlalchemy import delete, event, inspect, select
from sqlalchemy.orm import Session

from app.search.docs import Lookups, build_doc, registry
from app.search.models import SearchDoc
from app.search.schema import create_search_schema, drop_search_schema
from app.timeutil import utcnow

PENDING = "search_pending"


@cache
def _by_class():
    return {model: (kind, builder, watched) for model, kind, builder, watched in registry()}


def _changed(obj, watched):
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in watched if name in state.attrs)


@event.listens_for(Session, "before_flush")
def _collect(session, flush_context, instances):
    """Note the registered objects this flush writes, before their history is reset."""
    models = _by_class()
    pending = session.info.setdefault(PENDING, {"upsert": [], "delete": [], "departments": set()})
    for obj in session.new:
        if type(obj) in models:
            pending["upsert"].append(obj)
    for obj in session.dirty:
        entry = models.get(type(obj))
        if entry and _changed(obj, entry[2]):
            pending["upsert"].append(obj)
            if entry[0] == "department" and _changed(obj, {"name"}) and obj.id is not None:
                pending["departments"].add(obj.id)
    for obj in session.deleted:
        entry = models.get(type(obj))
        if entry and obj.id is not None:
            pending["delete"].append((entry[0], obj.id))


@event.listens_for(Session, "after_flush")
def _write(session, flush_context):
    pending = session.info.pop(PENDING, None)
    if not pending or not (pending["upsert"] or pending["delete"] or pending["departments"]):
        return
    conn = session.connection()
    models = _by_class()
    look = Lookups(conn)
    docs, gone = [], list(pending["delete"])
    seen = set()
    for obj in pending["upsert"]:
        kind, builder, _ = models[type(obj)]
        if (kind, obj.id) in seen or inspect(obj).deleted:
            continue
        seen.add((kind, obj.id))
        doc = build_doc(kind, builder, obj, look)
        (docs.append(doc) if doc else gone.append((kind, obj.id)))
    if pending["departments"]:  # contacts carry their department's name
        from app.stakeholders.models import Contact
        kind, builder, watched = models[Contact]
        rows = conn.execute(_columns(Contact, watched).where(
            Contact.department_id.in_(pending["departments"]))).all()
        for row in rows:
            if ("contact", row.id) not in seen:
                seen.add(("contact", row.id))
                docs.append(build_doc(kind, builder, row, look))
    write(conn, docs, gone)


def _columns(model, watched):
    """A select of just what the builder reads."""
    table = model.__table__
    return select(*[table.c[n] for n in sorted(watched | ({"id", "account_id"} & set(table.c.keys())))])


def write(conn, docs, gone=()):
    """Replace the rows of `docs` and drop the rows of `gone` [(kind, object_id)]."""
    by_kind = {}
    for kind, obj_id in list(gone) + [(d["kind"], d["object_id"]) for d in docs]:
        by_kind.setdefault(kind, set()).add(obj_id)
    table = SearchDoc.__table__
    for kind, ids in by_kind.items():
        conn.execute(delete(table).where(table.c.kind == kind, table.c.object_id.in_(ids)))
    if docs:
        now = utcnow()
        conn.execute(table.insert(), [{**d, "updated_at": now} for d in docs])


@event.listens_for(Session, "do_orm_execute")
def _bulk(state):
    """An ORM bulk UPDATE/DELETE of a registered model skips the flush: reindex what it hits."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return None
    model = state.bind_mapper.class_
    entry = _by_class().get(model)
    if entry is None:
        return None
    kind, builder, watched = entry
    if state.is_update:
        keys = {getattr(k, "key", k) for k in getattr(state.statement, "_values", None) or {}}
        if keys and not keys & watched:
            return None
    where = state.statement.whereclause
    ids = state.session.execute(select(model.id).where(where) if where is not None
                                else select(model.id)).scalars().all()
    result = state.invoke_statement()
    if ids:
        conn = state.session.connection()
        rows = conn.execute(_columns(model, watched).where(model.__table__.c.id.in_(ids))).all()
        look = Lookups(conn)
        docs = [d for d in (build_doc(kind, builder, r, look) for r in rows) if d]
        write(conn, docs, [(kind, i) for i in ids])
    return result


def rebuild(session, chunk=5000, commit=True):
    """Rebuild the whole index from the tables, in bulk; returns the number of rows."""
    conn = session.connection()
    drop_search_schema(conn)  # filling without the FTS triggers / GIN indexes is much faster
    conn.execute(delete(SearchDoc.__table__))
    look = Lookups(conn, preload=True)
    now, total = utcnow(), 0
    for model, kind, builder, watched in registry():
        batch = []
        for row in conn.execute(_columns(model, watched)).all():
            doc = build_doc(kind, builder, row, look)
            if doc:
                batch.append({**doc, "updated_at": now})
            if len(batch) >= chunk:
                conn.execute(SearchDoc.__table__.insert(), batch)
                total, batch = total + len(batch), []
        if batch:
            conn.execute(SearchDoc.__table__.insert(), batch)
            total += len(batch)
    create_search_schema(conn)
    if commit:
        session.commit()
    return total
