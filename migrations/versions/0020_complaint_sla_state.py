"""Complaint SLA state stored with the row: breach_at (when a promise was or will be missed,
NULL when every promise was kept) and severity_rank, with the worst-first index
(severity_rank, received_at, id), so the breach lists filter and sort on indexed columns

Revision ID: 0020_complaint_sla_state
Revises: 0019_action_priorities
Create Date: 2026-12-01 15:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0020_complaint_sla_state'
down_revision = '0019_action_priorities'
branch_labels = None
depends_on = None

# The same rule as app.complaints.models.sla_columns, for the rows already there.
MISSED_RESPONSE = "(acknowledged_at IS NULL OR acknowledged_at > respond_by)"
MISSED_RESOLUTION = "(resolved_at IS NULL OR resolved_at > resolve_by)"
BACKFILL = f"""
UPDATE complaint SET
  severity_rank = CASE severity WHEN 'critical' THEN -3 WHEN 'high' THEN -2 WHEN 'medium' THEN -1 ELSE 0 END,
  breach_at = CASE
    WHEN {MISSED_RESPONSE} AND {MISSED_RESOLUTION} AND resolve_by < respond_by THEN resolve_by
    WHEN {MISSED_RESPONSE} THEN respond_by
    WHEN {MISSED_RESOLUTION} THEN resolve_by
    ELSE NULL END
"""


def upgrade():
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.add_column(sa.Column('breach_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('severity_rank', sa.Integer(), nullable=False, server_default='0'))
    op.execute(BACKFILL)
    op.create_index('ix_complaint_worst', 'complaint', ['severity_rank', 'received_at', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_complaint_worst', table_name='complaint')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_column('severity_rank')
        batch_op.drop_column('breach_at')
