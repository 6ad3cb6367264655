"""PostgreSQL statements prepared once a connection, not planned on every request (issue 22).

psycopg prepares a statement after its fifth execution on a connection, so PostgreSQL stops
planning it; but it forgets every prepared statement on ROLLBACK (and deallocates them), and
every request ended with one: the session's close and the pool's reset roll back even a
transaction that only read. So each page planned all of its statements each time, most of the
gap between the same page on PostgreSQL and on SQLite.

Here a transaction that ran nothing but SELECTs ends with COMMIT, which for a read-only
transaction is the same as ROLLBACK and keeps the prepared statements. A transaction that ran
anything else (INSERT, UPDATE, DELETE, DDL, SET, a WITH that may write), or that failed, is
rolled back as before: an error path still loses what it wrote. PG_PREPARED=0 turns this off.

The pool's check before lending a connection (`pool_pre_ping`) was a `SELECT 1`: a round trip
on every request, before the page's first statement. `socket_ping` asks the socket instead: an
idle connection has nothing to read, so a readable one is a server that said goodbye (a restart
or a terminated backend sends its FATAL, then closes) and the pool reconnects. PG_PING=query keeps SQLAlchemy's `SELECT 1`.
"""
import select

from sqlalchemy import event

PREPARED_MAX = 300  # psycopg keeps 100 a connection; the app's pages run about 250 distinct statements


def _reads_only(statement):
    return statement.lstrip()[:6].upper() == "SELECT"


def _driver_connection(dbapi_connection):
    """psycopg's connection (SQLAlchemy hands the first connect's checks a proxy of it)."""
    return getattr(dbapi_connection, "dbapi_connection", dbapi_connection)


def socket_ping(dbapi_connection):
    """The pool's liveness check without a round trip: True if the idle connection is usable."""
    conn = _driver_connection(dbapi_connection)
    if conn.closed or conn.broken:
        return False
    try:
        readable, _w, _x = select.select([conn.pgconn.socket], [], [], 0)
    except (OSError, ValueError):  # a closed socket
        return False
    return not readable


def install_ping(engine):
    """Use socket_ping as `engine`'s pre-ping (psycopg)."""
    engine.dialect.do_ping = socket_ping


def install(engine):
    """End read-only transactions on `engine` (psycopg) with COMMIT, so prepared statements stay."""
    dialect = engine.dialect
    plain_rollback = dialect.do_rollback

    @event.listens_for(engine, "connect")
    def _more_prepared(dbapi_connection, _record):
        dbapi_connection.prepared_max = PREPARED_MAX

    @event.listens_for(engine, "before_cursor_execute")
    def _note_writes(conn, _cursor, statement, _params, _context, _many):
        if not _reads_only(statement):
            conn.connection.dbapi_connection.kam_wrote = True

    def do_rollback(dbapi_connection):
        from psycopg.pq import TransactionStatus

        conn = _driver_connection(dbapi_connection)
        wrote = getattr(conn, "kam_wrote", False)
        conn.kam_wrote = False
        if not wrote and conn.info.transaction_status == TransactionStatus.INTRANS:
            conn.commit()  # read-only: same effect, and psycopg keeps its prepared statements
            return
        plain_rollback(dbapi_connection)

    def do_commit(dbapi_connection):
        _driver_connection(dbapi_connection).kam_wrote = False
        dbapi_connection.commit()

    dialect.do_rollback = do_rollback
    dialect.do_commit = do_commit
