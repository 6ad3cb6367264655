"""`column IN (ids)` that stays one statement whatever the number of ids, on PostgreSQL (issue 22).

SQLAlchemy sends `IN (:ids)` as one parameter per id, so on PostgreSQL the health UNION ALL of a
sponsor's 40 accounts was 13 KB of SQL with 84 parameters, and every other number of accounts was
another statement for psycopg to parse and prepare and for PostgreSQL to plan (one per user, in a
workspace whose users have different numbers of accounts). Past a few ids they travel instead as
one integer array, `column = ANY(:ids)`: one statement of 4.8 KB for 9 accounts or 2,000 (the
counts of 40 accounts 12.1 → 9.9 ms). A few ids stay a list: PostgreSQL's one plan for an array
of any length cost one account's counts 2.5 ms more than a plan for `account_id = $1`. SQLite has
no arrays, and there the list is always expanded.
"""
from sqlalchemy import Integer, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY

FEW_IDS = 8  # up to this many ids, a list of parameters


def dialect_name():
    """The name of the dialect the session's engine speaks ("postgresql", "sqlite")."""
    from app.extensions import db

    return db.engine.dialect.name


def as_array(count):
    """Whether `count` ids go as one array (PostgreSQL, more than FEW_IDS) rather than a list."""
    return count > FEW_IDS and dialect_name() == "postgresql"


def in_ids(column, name, array):
    """`column IN (:name)` on bound parameter `name`, a list of integers: one array parameter
    if `array` (see as_array), else one parameter per id."""
    if array:
        return column == any_(bindparam(name, type_=ARRAY(Integer)))
    return column.in_(bindparam(name, expanding=True))


def among(column, values):
    """`column IN values` (integers) for a statement built per request (as_array decides the form)."""
    values = list(values)
    if as_array(len(values)):
        return column == any_(bindparam(None, value=values, type_=ARRAY(Integer)))
    return column.in_(values)
