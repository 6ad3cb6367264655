"""Read-only transactions end with COMMIT on PostgreSQL so prepared statements stay (app/pgprepared.py);
anything that wrote is still rolled back."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.extensions import db


@pytest.fixture
def pg(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    return app


def _raw(conn_holder):
    return conn_holder.connection().connection.dbapi_connection


def _names_table():
    db.session.execute(text("CREATE TABLE IF NOT EXISTS kam_prep_probe (n int)"))
    db.session.commit()


def test_statements_stay_prepared_across_read_only_requests(pg):
    for _ in range(8):  # psycopg prepares on the fifth run; each round ends its transaction as a request does
        db.session.execute(text("SELECT count(*) FROM account WHERE id > :n"), {"n": 0}).scalar()
        db.session.remove()
    raw = _raw(db.session)
    assert raw._prepared._names, "the read-only transactions' ends must not discard prepared statements"
    db.session.remove()


def test_a_transaction_that_wrote_is_rolled_back_at_close(pg):
    _names_table()
    db.session.execute(text("INSERT INTO kam_prep_probe VALUES (1)"))
    db.session.remove()  # no commit: a request that failed after writing
    assert db.session.execute(text("SELECT count(*) FROM kam_prep_probe")).scalar() == 0
    db.session.execute(text("DROP TABLE kam_prep_probe"))
    db.session.commit()


def test_an_orm_flush_then_rollback_stores_nothing(pg, world):
    from app.accounts.models import Account

    before = db.session.scalar(db.select(db.func.count()).select_from(Account))
    account_id = world.account.id
    db.session.remove()
    account = db.session.get(Account, account_id)
    old = account.name
    account.name = "Renamed and never saved"
    db.session.add(Account(name="Never saved 从未保存", tier="strategic"))
    db.session.flush()
    db.session.remove()  # closed without commit, as a request that failed after its flush
    assert db.session.get(Account, account_id).name == old
    assert db.session.scalar(db.select(db.func.count()).select_from(Account)) == before


def test_a_failed_statement_still_rolls_back(pg):
    with pytest.raises(DBAPIError):
        db.session.execute(text("SELECT 1/0"))
    db.session.rollback()
    assert db.session.execute(text("SELECT 2")).scalar() == 2
    db.session.remove()


def test_the_pools_check_sends_nothing_to_the_server(pg, monkeypatch):
    """SQLAlchemy's check ran SELECT 1 on a cursor, a round trip before the page's first
    statement; the socket check opens no cursor."""
    import psycopg

    db.session.execute(text("SELECT 1"))
    db.session.remove()  # back to the pool; the next checkout checks it
    cursors = []
    real = psycopg.Connection.cursor
    monkeypatch.setattr(psycopg.Connection, "cursor", lambda self, *a, **k: cursors.append(1) or real(self, *a, **k))
    with db.engine.connect() as conn:
        assert conn.connection.dbapi_connection is not None and cursors == []


def test_a_terminated_backend_is_replaced_before_the_request_uses_it(pg, database_url):
    import time

    import psycopg

    pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
    db.session.remove()
    with psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]
    time.sleep(0.2)  # the backend's goodbye reaches the pooled socket
    assert db.session.execute(text("SELECT pg_backend_pid()")).scalar() != pid  # no error: reconnected
    db.session.remove()


def test_pg_ping_query_keeps_sqlalchemys_check():
    from app import create_app, pgprepared
    from config import Config

    def dialect(**extra):
        cfg = Config.from_env({}) | {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@127.0.0.1/db",
                                     "SECRET_KEY": "x" * 40, "TESTING": True} | extra
        app = create_app(cfg)
        with app.app_context():
            return db.engine.dialect

    assert dialect().do_ping is pgprepared.socket_ping
    assert dialect(PG_PING="query").do_ping is not pgprepared.socket_ping
    assert Config.from_env({"PG_PING": "query"})["PG_PING"] == "query"
