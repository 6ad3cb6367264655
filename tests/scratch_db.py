"""A scratch database next to the test one (its own PostgreSQL database, or a SQLite file)."""
from sqlalchemy import create_engine, text


def scratch_url(database_url, tmp_path, name):
    """The URL of an empty database called after the test database plus `name`."""
    if not database_url.startswith("postgresql"):
        return f"sqlite:///{tmp_path / (name + '.sqlite')}"
    base, _, dbname = database_url.rpartition("/")
    scratch = f"{dbname}_{name}"
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{scratch}"'))
    admin.dispose()
    return f"{base}/{scratch}"


def drop_scratch(url):
    """Drop a scratch PostgreSQL database (a SQLite file goes with tmp_path)."""
    if url.startswith("postgresql"):
        base, _, dbname = url.rpartition("/")
        admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
        admin.dispose()
