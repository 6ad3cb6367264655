"""Test-speed helpers: empty the tables, and keep a built database as rows to put back.

`build(world)` (tests/route_params.py) makes one object of every feature through the
services: a third of a second, and a thousand tests call it on the same fresh world. The
first call in a worker builds for real and keeps every table's rows; later calls on an
identical world put those rows back with one insert per table. "Identical" is checked, not
assumed: the rows before the build (the world's users, accounts and memberships) must equal,
column by column apart from timestamps and the factories' running numbers, the rows the kept
build started from, and the app's settings must be the same; anything else builds for real.
"""
import datetime
import re

from sqlalchemy import func, inspect, select, text, union_all

from app.extensions import db


def empty_tables():
    """Delete every row of every table and start the ids again from 1.

    Only the tables with rows are emptied (one query finds them): most tests touch a few of the
    41 tables, and a TRUNCATE of all of them costs PostgreSQL a tenth of a second per test.
    PostgreSQL's id sequences are all set back in one statement."""
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        full = set(conn.execute(text(" UNION ALL ".join(
            f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables))).scalars())
        for t in tables:
            if t.name in full:
                conn.execute(t.delete())
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT " + ", ".join(
                f"setval('{seq}', 1, false)" for seq, _, _ in _sequences(conn))))


_SEQUENCES = {}


def _sequences(conn):
    """(sequence, table, column) for the tables' id sequences (looked up once per database)."""
    url = str(conn.engine.url)
    if url not in _SEQUENCES:
        _SEQUENCES[url] = conn.execute(text(
            "SELECT s.oid::regclass::text, t.relname, a.attname FROM pg_class s "
            "JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i') "
            "JOIN pg_class t ON t.oid = d.refobjid "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid "
            "WHERE s.relkind = 'S' AND t.relnamespace = current_schema()::regnamespace")).all()
    return _SEQUENCES[url]


def dump():
    """{table name: [row dict, ...]} for the tables that have rows, in a fixed order."""
    tables = db.metadata.sorted_tables
    with db.engine.connect() as conn:
        counts = conn.execute(union_all(*(
            select(func.count().label("n")).select_from(t) for t in tables))).scalars().all()
        out = {}
        for table, n in zip(tables, counts, strict=True):
            if n:
                pk = list(table.primary_key.columns) or list(table.columns)
                out[table.name] = [dict(r) for r in conn.execute(select(table).order_by(*pk)).mappings()]
    return out


# The factories' running numbers (tests/factories.py): user7@example.com, "User 7", "Account 7".
_SEQUENCE = re.compile(r"(?<=^user)\d+(?=@example\.com$)|(?<=^User )\d+$|(?<=^Account )\d+$")


def _same_start(rows):
    """The rows as a comparable text, without what differs from one test's world to the next:
    timestamps and the factories' running numbers in names and e-mails."""
    return repr({name: [{k: _SEQUENCE.sub("#", v) if isinstance(v, str) else v
                         for k, v in r.items() if not isinstance(v, datetime.datetime)}
                        for r in table_rows]
                 for name, table_rows in rows.items()})


def restore(rows):
    """Empty the tables and insert `rows` (as `dump` gives them), ids and all."""
    db.session.close()
    empty_tables()
    with db.engine.begin() as conn:
        for table in db.metadata.sorted_tables:
            if table.name in rows:
                conn.execute(table.insert(), rows[table.name])
        if conn.dialect.name == "postgresql":
            moved = [f'setval(\'{seq}\', (SELECT max("{col}") FROM "{table}"))'
                     for seq, table, col in _sequences(conn) if table in rows]
            if moved:
                conn.execute(text("SELECT " + ", ".join(moved)))


def _identities(holder):
    """{attribute: (class, id) or {key: (class, id)}} for the holder's model objects."""
    def ident(obj):
        return (type(obj), inspect(obj).identity)
    out = {}
    for name, value in vars(holder).items():
        if isinstance(value, dict):
            out[name] = {k: ident(v) for k, v in value.items()}
        elif hasattr(value, "_sa_instance_state"):
            out[name] = ident(value)
    return out


def _rebind(holder, ids):
    def get(pair):
        cls, identity = pair
        return db.session.get(cls, identity)
    for name, value in ids.items():
        setattr(holder, name, {k: get(v) for k, v in value.items()} if isinstance(value, dict) else get(value))


class Kept:
    """One worker's kept builds: {(settings, rows before): rows after}."""

    def __init__(self):
        self.builds = {}

    def run(self, app, build, holder):
        """Run `build()` on the database as it is, or put back a kept build of the same start.

        `holder` (the world) has its model objects swapped for the restored rows' objects."""
        settings = repr(sorted((k, repr(v)) for k, v in app.config.items()))
        before = dump()
        key = (settings, _same_start(before))
        kept = self.builds.get(key)
        if kept is not None:
            ids = _identities(holder)
            restore(kept)
            _rebind(holder, ids)
            return
        build()
        db.session.commit()
        self.builds[key] = dump()


KEPT = Kept()
