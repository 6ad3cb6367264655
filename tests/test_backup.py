"""Backup and restore round-trip a demo workspace, on SQLite and PostgreSQL alike."""
from app.extensions import db


def snapshot():
    """Every row of every table, as plain tuples, ordered."""
    out = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(db.select(table).order_by(*table.primary_key.columns)).all()
        out[table.name] = [tuple(r) for r in rows]
    return out


def test_backup_then_restore_gives_back_the_same_workspace(app, runner, tmp_path):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    before = snapshot()
    assert sum(len(v) for v in before.values()) > 50
    path = tmp_path / "kam.backup"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert path.stat().st_size > 0

    # Damage the data after the backup.
    from app.accounts.models import Account
    db.session.execute(db.update(Account).values(name="changed"))
    db.session.commit()
    db.session.remove()

    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert snapshot() == before


def test_restore_of_a_missing_file_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(args=["restore", str(tmp_path / "nope"), "--yes"])
    assert result.exit_code != 0 and "No backup file" in result.output
