"""Jobs: sent-records (idempotent notifications); exports on the queue (lease, one active per user, files)

Revision ID: 0013_jobs
Revises: 0012_versions_everywhere
Create Date: 2026-12-01 11:10:00

Export ZIPs move from a database blob to files under instance/exports: finished jobs of
before become 'expired' (their blob is dropped; the page offers "Export again"), and
jobs left queued or running by the old worker processes become failed.
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_jobs'
down_revision = '0012_versions_everywhere'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sent_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_record')),
    sa.UniqueConstraint('key', name=op.f('uq_sent_record_key'))
    )
    with op.batch_alter_table('sent_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sent_record_sent_at'), ['sent_at'], unique=False)

    op.execute("UPDATE review_export_job SET status = 'expired' WHERE status = 'done'")
    op.execute("UPDATE review_export_job SET status = 'failed', error = 'worker-lost' "
               "WHERE status IN ('queued', 'running')")
    with op.batch_alter_table('review_export_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active_user_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('file_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('size', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('started_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_review_export_job_active_user_id'), ['active_user_id'])
        batch_op.drop_column('result')
    with op.batch_alter_table('review_export_job', schema=None) as batch_op:
        batch_op.alter_column('size', server_default=None)


def downgrade():
    with op.batch_alter_table('review_export_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('result', sa.LargeBinary(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_review_export_job_active_user_id'), type_='unique')
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('started_at')
        batch_op.drop_column('size')
        batch_op.drop_column('file_name')
        batch_op.drop_column('active_user_id')

    with op.batch_alter_table('sent_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sent_record_sent_at'))

    op.drop_table('sent_record')
