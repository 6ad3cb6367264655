"""What the index needs beyond the plain table: an FTS5 trigram table (SQLite) or pg_trgm
GIN indexes (PostgreSQL). Made by the migration and, for db.create_all(), by a DDL listener.
"""
from sqlalchemy import event, text

FTS = "search_fts"
TRGM_COLUMNS = ("title", "body", "pinyin")

SQLITE_DDL = [
    f"DROP TABLE IF EXISTS {FTS}",
    # External content: the text lives once, in search_doc; triggers keep the FTS index in step.
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(title, body, pinyin, content='search_doc', "
    "content_rowid='id', tokenize='trigram')",
    f"""CREATE TRIGGER search_doc_ai AFTER INSERT ON search_doc BEGIN
          INSERT INTO {FTS}(rowid, title, body, pinyin) VALUES (new.id, new.title, new.body, new.pinyin);
        END""",
    f"""CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN
          INSERT INTO {FTS}({FTS}, rowid, title, body, pinyin)
          VALUES ('delete', old.id, old.title, old.body, old.pinyin);
        END""",
    f"""CREATE TRIGGER search_doc_au AFTER UPDATE ON search_doc BEGIN
          INSERT INTO {FTS}({FTS}, rowid, title, body, pinyin)
          VALUES ('delete', old.id, old.title, old.body, old.pinyin);
          INSERT INTO {FTS}(rowid, title, body, pinyin) VALUES (new.id, new.title, new.body, new.pinyin);
        END""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]


def trgm_index(column):
    return f"ix_search_doc_{column}_trgm"


def postgres_ddl():
    return ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
        f"CREATE INDEX IF NOT EXISTS {trgm_index(c)} ON search_doc USING gin ({c} gin_trgm_ops)"
        for c in TRGM_COLUMNS]


def create_search_schema(conn):
    """Create the FTS table and triggers, or the trigram indexes, on an existing search_doc."""
    dialect = conn.dialect.name
    statements = SQLITE_DDL if dialect == "sqlite" else postgres_ddl() if dialect == "postgresql" else []
    for sql in statements:
        conn.execute(text(sql))


def drop_search_schema(conn):
    if conn.dialect.name == "sqlite":
        for trigger in ("search_doc_ai", "search_doc_ad", "search_doc_au"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
        conn.execute(text(f"DROP TABLE IF EXISTS {FTS}"))
    elif conn.dialect.name == "postgresql":
        for c in TRGM_COLUMNS:
            conn.execute(text(f"DROP INDEX IF EXISTS {trgm_index(c)}"))


def include_name(name, type_, parent_names):
    """For Alembic's comparison: the FTS tables and trigram indexes are made by hand, not models."""
    if type_ == "table":
        return not (name or "").startswith(FTS)
    if type_ == "index":
        return name not in {trgm_index(c) for c in TRGM_COLUMNS}
    return True


def listen(table):
    """db.create_all() / drop_all() make and drop the extras with the table."""
    event.listen(table, "after_create", lambda target, conn, **kw: create_search_schema(conn))
    event.listen(table, "before_drop", lambda target, conn, **kw: drop_search_schema(conn))
