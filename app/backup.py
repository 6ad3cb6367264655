"""`flask backup PATH` and `flask restore PATH`: the whole workspace to one file and back, safely.

SQLite uses its online backup API (consistent while the app runs); PostgreSQL uses
pg_dump's custom format and pg_restore, which must be on the PATH (postgresql-client).

Nothing is trusted blindly. A backup is only made of a database that is this app's (its
tables and a migration revision this code knows: a mistyped or relative SQLite path must not
quietly create an empty database and call it a backup), written readable by its owner only
(it holds password hashes), then read back and its row counts printed. A restore refuses any
file that is not such a backup (empty, truncated, another format, missing the app's tables,
or from a newer migration than the code), and first writes a safety copy of the live
database, saying where.
"""
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect, text

from app.extensions import db
from app.timeutil import utcnow

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
# Tables every version of the app has had: without them a file is not this app's.
CORE_TABLES = {"user", "account", "membership", "audit_event", "alembic_version"}


class BackupError(click.ClickException):
    """A refusal with a message for the person at the terminal (exit code 1)."""


@dataclass
class Contents:
    """What a database or backup file holds: row counts per table and the migration revision."""

    kind: str  # "sqlite" or "postgresql"
    counts: dict = field(default_factory=dict)
    revision: str | None = None

    @property
    def rows(self):
        return sum(self.counts.values())


def _url():
    """The engine's URL: Flask-SQLAlchemy has already made a relative SQLite path absolute."""
    return db.engine.url


def _pg_args(url):
    """Connection arguments for pg_dump/pg_restore, and the password for the environment."""
    args = ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432),
            "--username", url.username or "postgres", "--dbname", url.database]
    env = {"PGPASSWORD": url.password} if url.password else {}
    return args, env


def _run(cmd, env=None):
    if not shutil.which(cmd[0]):
        raise BackupError(f"{cmd[0]} is not installed (apt-get install postgresql-client).")
    result = subprocess.run(cmd, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{cmd[0]} failed: {result.stderr.strip()[-500:]}")
    return result.stdout


def _migrations():
    """(known revisions, head revisions) of this code's migrations."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(current_app.extensions["migrate"].directory)
    return {s.revision for s in script.walk_revisions()}, set(script.get_heads())


# --- reading what a file or database holds ----------------------------------------------------

def _header(path):
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    if path.stat().st_size == 0:
        raise BackupError(f"{path} is empty: it is not a backup.")
    with path.open("rb") as f:
        return f.read(16)


def read_sqlite(path):
    """Contents of a SQLite file, opened read-only (never created); refuses damaged files."""
    if _header(path) != SQLITE_MAGIC:
        raise BackupError(f"{path} is not a SQLite database.")
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        try:
            check = conn.execute("PRAGMA integrity_check").fetchall()
            if check != [("ok",)]:
                raise BackupError(f"{path} is damaged or truncated: {check[0][0]}")
            names = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
            counts = {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
            revision = None
            if "alembic_version" in counts:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise BackupError(f"{path} is damaged or truncated: {e}") from None
    return Contents("sqlite", counts, revision)


_COPY = re.compile(r'^COPY (?:"?[\w$]+"?\.)?"?([^"\s(]+)"? \(')


def read_pg_archive(path):
    """Contents of a pg_dump custom archive: its table list and every data block, read in full
    (a truncated archive fails here, not halfway through a restore)."""
    if not _header(path).startswith(PG_MAGIC):
        raise BackupError(f"{path} is not a pg_dump custom-format archive.")
    listing = _run(["pg_restore", "--list", str(path)])
    tables = set(re.findall(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", listing, re.M))
    counts, revision, current = dict.fromkeys(tables, 0), None, None
    for line in _run(["pg_restore", "--data-only", "--file", "-", str(path)]).splitlines():
        if current is None:
            m = _COPY.match(line)
            if m:
                current = m.group(1)
                counts.setdefault(current, 0)
        elif line == "\\.":
            current = None
        else:
            counts[current] += 1
            if current == "alembic_version":
                revision = line.strip()
    return Contents("postgresql", counts, revision)


def read_live():
    """Contents of the configured database (None: a SQLite file that does not exist)."""
    url = _url()
    if url.get_backend_name() == "sqlite":
        if not url.database or not Path(url.database).is_file():
            return None
        db.session.remove()
        return read_sqlite(url.database)
    names = inspect(db.engine).get_table_names()
    with db.engine.connect() as conn:
        counts = {n: conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar() for n in names}
        revision = (conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                    if "alembic_version" in names else None)
    return Contents("postgresql", counts, revision)


def check_is_ours(contents, what):
    """Refuse contents that are not this app's, or that come from a newer migration."""
    missing = CORE_TABLES - set(contents.counts)
    if missing:
        raise BackupError(f"{what} is not a database of this app: it has no "
                          f"{', '.join(sorted(missing))} table(s).")
    known, heads = _migrations()
    if contents.revision is None:
        raise BackupError(f"{what} records no migration revision (alembic_version is empty).")
    if contents.revision not in known:
        raise BackupError(f"{what} is from migration {contents.revision}, newer than this code "
                          "knows: install the newer version of the app first.")
    if contents.revision in heads:
        missing = set(db.metadata.tables) - set(contents.counts)
        if missing:
            raise BackupError(f"{what} lacks the app's tables {', '.join(sorted(missing))}.")


def read_file(path, kind):
    """Contents of a backup file for a database of `kind`; refuses the other kind's files."""
    head = _header(path)
    if kind == "sqlite" and head.startswith(PG_MAGIC):
        raise BackupError(f"{path} is a PostgreSQL backup; the configured database is SQLite.")
    if kind == "postgresql" and head == SQLITE_MAGIC:
        raise BackupError(f"{path} is a SQLite backup; the configured database is PostgreSQL.")
    return read_sqlite(path) if kind == "sqlite" else read_pg_archive(path)


# --- backup and restore ---------------------------------------------------------------------

def _private_file(path):
    """Create `path` empty, readable and writable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def backup(path):
    """Write a backup of the configured database to `path` (0600); its contents, read back."""
    url = _url()
    kind = url.get_backend_name()
    if kind not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups of {kind} are not supported.")
    live = read_live()
    if live is None:
        raise BackupError(f"There is no database at {url.database}: check DATABASE_URL. "
                          "Nothing was backed up (and no empty database was made).")
    check_is_ours(live, "The configured database")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    _private_file(part)
    try:
        if kind == "sqlite":
            src = sqlite3.connect(f"file:{url.database}?mode=ro", uri=True)
            dst = sqlite3.connect(str(part))
            with dst:
                src.backup(dst)
            src.close()
            dst.close()
        else:
            args, env = _pg_args(url)
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(part), *args], env)
        os.chmod(part, 0o600)
        written = read_file(part, kind)
        check_is_ours(written, "The backup just written")
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    return written


def safety_path(kind, directory=None):
    """Where the safety copy before a restore goes: instance/backups/ by default."""
    directory = Path(directory or Path(current_app.instance_path) / "backups")
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    return directory / f"before-restore-{stamp}.{'sqlite' if kind == 'sqlite' else 'dump'}"


def restore(path, safety_dir=None, echo=click.echo):
    """Replace the configured database's contents with the backup at `path`, after checking it
    and writing a safety copy of the live database; returns the backup's contents."""
    url = _url()
    kind = url.get_backend_name()
    if kind not in ("sqlite", "postgresql"):
        raise BackupError(f"Restores of {kind} are not supported.")
    contents = read_file(path, kind)
    check_is_ours(contents, str(path))
    live = read_live()
    if live is None or not live.counts:
        echo("The live database is empty: no safety copy needed.")
    else:
        check_is_ours(live, "The configured database (before restoring over it)")
        copy = safety_path(kind, safety_dir)
        backup(copy)
        echo(f"Safety copy of the live database ({live.rows} rows): {copy}")
    db.session.remove()
    db.engine.dispose()
    if kind == "sqlite":
        src = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        dst = sqlite3.connect(url.database)
        with dst:
            src.backup(dst)
        src.close()
        dst.close()
    else:
        args, env = _pg_args(url)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              *args, str(path)], env)
    return contents


def _print_counts(contents):
    for name, n in sorted(contents.counts.items()):
        if n:
            click.echo(f"  {name}: {n}")


@click.command("backup")
@click.argument("path")
@with_appcontext
def backup_cmd(path):
    """Back up the whole workspace to PATH (readable by you only)."""
    written = backup(path)
    click.echo(f"Backed up to {path} (mode 0600, migration {written.revision}): "
               f"{written.rows} rows in {len(written.counts)} tables, read back from the file:")
    _print_counts(written)


@click.command("restore")
@click.argument("path")
@click.option("--yes", is_flag=True, help="Do not ask before replacing the data.")
@click.option("--safety-dir", help="Where to write the safety copy (default: instance/backups).")
@with_appcontext
def restore_cmd(path, yes, safety_dir):
    """Replace the workspace's data with the backup at PATH (a safety copy is made first)."""
    contents = read_file(path, _url().get_backend_name())
    check_is_ours(contents, path)
    if not yes:
        click.confirm(f"This replaces every record with the backup's {contents.rows} rows. Continue?",
                      abort=True)
    restore(path, safety_dir)
    click.echo(f"Restored from {path}: {contents.rows} rows in {len(contents.counts)} tables.")
    _, heads = _migrations()
    if contents.revision not in heads:
        click.echo("The backup is from an older migration: run `flask db upgrade` now.")
