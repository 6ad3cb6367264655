"""`column IN (ids)` that stays one statement whatever the number of ids, on PostgreSQL (issue 22).

SQLAlchemy sends `IN (:ids)` as one parameter per id, so on PostgreSQL the health UNION ALL of a
sponsor's 40 accounts was 13 KB of SQL with 84 parameters, and every other number of accounts was
another statement for psycopg to parse and prepare and for PostgreSQL to plan (one per user, in a
workspace whose users have different numbers of accounts). On PostgreSQL the ids travel instead as
one integer array, `column = ANY(:ids)`: one statement of 4.8 KB for 1 account or 2,000. SQLite
has no arrays, and there the list is expanded as before.
"""
from sqlalchemy import Integer, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY


def dialect_name():
    """The name of the dialect the session's engine speaks ("postgresql", "sqlite")."""
    from app.extensions import db

    return db.engine.dialect.name


def in_ids(column, name, dialect):
    """`column IN (:name)` on bound parameter `name` (a list of integers) for `dialect`."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(Integer)))
    return column.in_(bindparam(name, expanding=True))


def among(column, values):
    """`column IN values` (integers) for a statement built per request: one array on PostgreSQL."""
    if dialect_name() == "postgresql":
        return column == any_(bindparam(None, value=list(values), type_=ARRAY(Integer)))
    return column.in_(list(values))
