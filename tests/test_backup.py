"""Backup and restore: a round trip gives back every row; anything that is not a backup of this
app is refused (exit code 1) before anything is touched; a safety copy comes first. On SQLite
and PostgreSQL alike (the suite's database)."""
import sqlite3
import stat

import pytest
from flask_migrate import stamp
from sqlalchemy import text

from app.accounts.models import Account
from app.extensions import db
from tests import factories


def snapshot():
    """Every row of every table, as plain tuples, ordered."""
    out = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(db.select(table).order_by(*table.primary_key.columns)).all()
        out[table.name] = [tuple(r) for r in rows]
    return out


def _drop_alembic_version():
    db.session.remove()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
def stamped(app):
    """The suite builds its schema from the models; a real database is stamped by migrations."""
    _drop_alembic_version()
    stamp()
    yield
    _drop_alembic_version()


@pytest.fixture
def workspace(stamped, runner):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    db.session.remove()


def damage():
    db.session.execute(db.update(Account).values(name="changed"))
    db.session.commit()
    db.session.remove()


def test_backup_then_restore_gives_back_the_same_workspace(app, runner, workspace, tmp_path):
    before = snapshot()
    assert sum(len(v) for v in before.values()) > 50
    path = tmp_path / "kam.backup"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds password hashes
    accounts = len(before["account"])
    assert f"  account: {accounts}\n" in result.output and "read back from the file" in result.output
    assert not list(tmp_path.glob("*.part"))

    damage()
    result = runner.invoke(args=["restore", str(path), "--yes", "--safety-dir", str(tmp_path / "safety")])
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert snapshot() == before

    # The safety copy holds the workspace as it was just before the restore, owner-only too.
    (copy,) = (tmp_path / "safety").iterdir()
    assert "Safety copy of the live database" in result.output and str(copy) in result.output
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    damaged = runner.invoke(args=["restore", str(copy), "--yes", "--safety-dir", str(tmp_path / "s2")])
    assert damaged.exit_code == 0, damaged.output
    db.session.remove()
    assert {a.name for a in db.session.scalars(db.select(Account))} == {"changed"}


def _not_backups(app, path, tmp_path):
    """(name, file, expected message) for every kind of file restore must refuse."""
    data = path.read_bytes()
    kind = db.engine.url.get_backend_name()
    files = {
        "empty": (b"", "is empty"),
        "truncated": (data[: len(data) // 2], "damaged or truncated" if kind == "sqlite" else "pg_restore failed"),
        "text": (b"id,name\n1,Acme\n" * 50, "is not a" ),
    }
    out = []
    for name, (content, message) in files.items():
        f = tmp_path / f"{name}.bin"
        f.write_bytes(content)
        out.append((name, f, message))
    # A real database of the wrong kind, or of another app.
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE invoices (id integer primary key, total real)")
    conn.execute("INSERT INTO invoices (total) VALUES (9.5)")
    conn.commit()
    conn.close()
    if kind == "sqlite":
        out.append(("another app", other, "is not a database of this app"))
    else:
        out.append(("wrong kind", other, "is a SQLite backup; the configured database is PostgreSQL"))
    # From a newer migration than the code.
    future = tmp_path / "future.backup"
    with db.engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    db.session.remove()
    import app.backup as backup_module
    from app.backup import backup as write_backup
    from app.backup import check_is_ours

    real_check = check_is_ours
    backup_module.check_is_ours = lambda contents, what: None  # write it as a newer app would
    try:
        write_backup(future)
    finally:
        backup_module.check_is_ours = real_check
        with db.engine.begin() as c:
            c.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": _head()})
    out.append(("newer migration", future, "is from migration 9999_from_the_future, newer than this code"))
    return out


def _head():
    from alembic.script import ScriptDirectory
    from flask import current_app

    return ScriptDirectory(current_app.extensions["migrate"].directory).get_current_head()


def test_restore_refuses_anything_that_is_not_a_backup_and_changes_nothing(app, runner, workspace, tmp_path):
    good = tmp_path / "good.backup"
    assert runner.invoke(args=["backup", str(good)]).exit_code == 0
    cases = _not_backups(app, good, tmp_path)
    before = snapshot()
    for name, f, message in cases:
        result = runner.invoke(args=["restore", str(f), "--yes", "--safety-dir", str(tmp_path / "safety")])
        assert result.exit_code == 1, (name, result.output)
        assert message in result.output, (name, result.output)
        assert "Traceback" not in result.output
        db.session.remove()
        assert snapshot() == before, name
    assert not (tmp_path / "safety").exists()  # refused before anything, even the safety copy


def test_restore_of_a_missing_file_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(args=["restore", str(tmp_path / "nope"), "--yes"])
    assert result.exit_code == 1 and "No backup file" in result.output


def test_backup_refuses_a_database_that_is_not_this_apps(app, database_url, tmp_path, monkeypatch):
    """A mistyped or relative SQLite path, or an empty PostgreSQL database, is not backed up."""
    from app import create_app
    from tests.conftest import make_config
    from tests.scratch_db import drop_scratch, scratch_url

    if database_url.startswith("postgresql"):
        wrong = [scratch_url(database_url, tmp_path, "empty")]
    else:
        monkeypatch.chdir(tmp_path)
        wrong = [f"sqlite:///{tmp_path / 'typo' / 'kma.sqlite'}", "sqlite:///relative-typo.sqlite"]
    try:
        for url in wrong:
            other = create_app(make_config(url))
            with other.app_context():
                out = tmp_path / "out.backup"
                result = other.test_cli_runner().invoke(args=["backup", str(out)])
                assert result.exit_code == 1, result.output
                assert ("There is no database at" in result.output
                        or "is not a database of this app" in result.output), result.output
                assert not out.exists()
                if url.startswith("sqlite"):
                    assert not db.engine.url.database or not __import__("os").path.exists(db.engine.url.database)
                    assert not (tmp_path / "relative-typo.sqlite").exists()
                db.engine.dispose()
    finally:
        for url in wrong:
            drop_scratch(url)


def test_backup_refuses_a_database_without_a_migration_revision(app, runner, tmp_path):
    factories.make_account()  # tables made from the models, never stamped by migrations
    result = runner.invoke(args=["backup", str(tmp_path / "x.backup")])
    assert result.exit_code == 1 and "alembic_version" in result.output
