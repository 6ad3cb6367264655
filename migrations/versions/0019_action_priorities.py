"""Next quarter's priorities are actions: action_item.priority_quarter, and each line of the
old free-text priorities becomes an open action of that quarter (nothing typed is lost)

Revision ID: 0019_action_priorities
Revises: 0018_versions_settings
Create Date: 2026-12-01 15:45:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = '0019_action_priorities'
down_revision = '0018_versions_settings'
branch_labels = None
depends_on = None


def _next(quarter):
    year, q = int(quarter[:4]), int(quarter[-1])
    idx = year * 4 + q  # (q - 1) + 1
    return f"{idx // 4}-Q{idx % 4 + 1}"


def upgrade():
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority_quarter', sa.String(length=7), nullable=True))
        batch_op.create_index('ix_action_item_account_priority', ['account_id', 'priority_quarter'], unique=False)
    conn = op.get_bind()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    notes = conn.execute(sa.text("SELECT id, account_id, quarter, priorities FROM review_note "
                                 "WHERE priorities IS NOT NULL AND priorities <> ''")).all()
    for note_id, account_id, quarter, text in notes:
        for line in (ln.strip() for ln in text.splitlines()):
            if line:
                conn.execute(sa.text(
                    "INSERT INTO action_item (account_id, title, status, priority_quarter, created_at, version) "
                    "VALUES (:a, :t, 'open', :q, :now, 1)"), {"a": account_id, "t": line[:300],
                                                              "q": _next(quarter), "now": now})
        conn.execute(sa.text("UPDATE review_note SET priorities = '' WHERE id = :id"), {"id": note_id})


def downgrade():
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.drop_index('ix_action_item_account_priority')
        batch_op.drop_column('priority_quarter')
