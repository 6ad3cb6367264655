"""Versions on the last edit forms without one: a chat bot's events and switch, and the
workspace settings (the zone), so a stale save answers 409 instead of overwriting

Revision ID: 0018_versions_settings
Revises: 0017_search
Create Date: 2026-12-01 15:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018_versions_settings'
down_revision = '0017_search'
branch_labels = None
depends_on = None

TABLES = ('webhook_target', 'workspace_setting')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
