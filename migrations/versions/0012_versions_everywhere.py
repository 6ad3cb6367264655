"""Versions everywhere: every object a person edits in a form carries a version, so a stale
save answers 409 instead of silently overwriting a teammate's

Revision ID: 0012_versions_everywhere
Revises: 0011_unique_constraints
Create Date: 2026-12-01 11:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012_versions_everywhere'
down_revision = '0011_unique_constraints'
branch_labels = None
depends_on = None

TABLES = ('department', 'coverage', 'membership', 'selection_criterion', 'selection_settings',
          'health_weight', 'user')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
