"""Departments: removed_on, so a closed or merged department leaves the map but not the history

Revision ID: 0010_department_removed
Revises: 0009_coverage_user_account
Create Date: 2026-11-22 20:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_department_removed'
down_revision = '0009_coverage_user_account'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('department', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('department', schema=None) as batch_op:
        batch_op.drop_column('removed_on')
