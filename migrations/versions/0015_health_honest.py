"""Honest health: a snapshot may say "not enough data" (score NULL) and "taken late"; snapshots of
quarters that ended before their account existed are deleted (they described a quarter it never lived);
the review note gets the KAM's commentary of the quarter.

Revision ID: 0015_health_honest
Revises: 0014_notify
Create Date: 2026-12-01 11:30:00

"""
from datetime import date, datetime

import sqlalchemy as sa
from alembic import op

revision = '0015_health_honest'
down_revision = '0014_notify'
branch_labels = None
depends_on = None


def _quarter_end_exclusive(quarter):
    """The first moment after '2026-Q3' (naive UTC), or None for a malformed label."""
    year, _sep, q = (quarter or "").partition("-Q")
    if not (year.isdigit() and q in ("1", "2", "3", "4")):
        return None
    year, q = int(year), int(q)
    return datetime.combine(date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1), datetime.min.time())


def upgrade():
    with op.batch_alter_table('review_note', schema=None) as batch_op:
        batch_op.add_column(sa.Column('commentary', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('health_snapshot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('late', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.alter_column('score', existing_type=sa.Integer(), nullable=True)
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT s.id, s.quarter, a.created_at FROM health_snapshot s JOIN account a ON a.id = s.account_id")).all()
    doomed = []
    for sid, quarter, created in rows:
        end = _quarter_end_exclusive(quarter)
        if isinstance(created, str):  # SQLite hands back text
            created = datetime.fromisoformat(created)
        if end is not None and created is not None and created >= end:
            doomed.append(sid)
    for start in range(0, len(doomed), 500):
        conn.execute(sa.text("DELETE FROM health_snapshot WHERE id IN :ids")
                     .bindparams(sa.bindparam("ids", expanding=True)), {"ids": doomed[start:start + 500]})


def downgrade():
    op.execute("DELETE FROM health_snapshot WHERE score IS NULL")
    with op.batch_alter_table('health_snapshot', schema=None) as batch_op:
        batch_op.alter_column('score', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('late')
    with op.batch_alter_table('review_note', schema=None) as batch_op:
        batch_op.drop_column('commentary')
