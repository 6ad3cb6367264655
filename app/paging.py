"""One page of a list and how many rows the whole list has (issue 22).

A count of its own is a round trip more on every list; `count(*) over ()` on the page's own rows
answers it in the same statement. But the window needs every matching row before the LIMIT: for
a few (a member's accounts, one account's complaints) that costs nothing, while over a whole
workspace (an admin's 2,000 accounts) it kept the page from stopping early on the name index
(the accounts list 3.3 -> 4.8 ms on SQLite). So the caller says which it is.
"""
from sqlalchemy import func

from app.extensions import db

COUNT_ALL = func.count().over()  # every row of the statement before its LIMIT


def count_of(stmt):
    """How many rows `stmt` has."""
    return db.session.scalar(db.select(func.count()).select_from(stmt.order_by(None).subquery()))


def counted_page(stmt, limit, offset, few):
    """(the rows of `stmt` (ordered) from `offset`, at most `limit`; how many rows `stmt` has).

    With `few` (the list is small whatever the workspace's size) one statement: the count rides
    on the rows as a window, and only a page past the end counts on its own. Otherwise a count,
    then the page."""
    if not few:
        total = count_of(stmt)
        return db.session.execute(stmt.limit(limit).offset(offset)).all(), total
    rows = db.session.execute(stmt.add_columns(COUNT_ALL).limit(limit).offset(offset)).all()
    if rows:
        return [r[:-1] for r in rows], rows[0][-1]
    return [], count_of(stmt) if offset else 0
