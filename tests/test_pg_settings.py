"""PostgreSQL sessions are opened without parallel query unless PG_PARALLEL_WORKERS says otherwise."""
from app import create_app
from config import Config


def _options(uri, **extra):
    cfg = Config.from_env({}) | {"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "x" * 40, "TESTING": True} | extra
    return create_app(cfg).config["SQLALCHEMY_ENGINE_OPTIONS"]


def test_postgres_sessions_turn_parallel_query_off():
    opts = _options("postgresql+psycopg://u@127.0.0.1/db")
    assert opts["connect_args"]["options"] == "-c max_parallel_workers_per_gather=0"
    assert opts["pool_pre_ping"] is True
    assert "connect_args" not in Config.SQLALCHEMY_ENGINE_OPTIONS  # the class default is not changed


def test_sqlite_and_an_explicit_setting():
    assert "connect_args" not in _options("sqlite://")
    assert _options("postgresql+psycopg://u@127.0.0.1/db", PG_PARALLEL_WORKERS=2)["connect_args"]["options"] \
        == "-c max_parallel_workers_per_gather=2"
    assert Config.from_env({"PG_PARALLEL_WORKERS": "2"})["PG_PARALLEL_WORKERS"] == 2
