"""The current memberships by (user, role): the nav's sponsor flag, on every request, walked every
membership of the workspace on PostgreSQL for a user without a sponsor role

Revision ID: 0021_membership_user_role
Revises: 0020_complaint_sla_state
Create Date: 2026-12-01 19:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0021_membership_user_role'
down_revision = '0020_complaint_sla_state'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_membership_user_role', 'membership', ['user_id', 'role'], unique=False,
                    sqlite_where=sa.text('left_on IS NULL'), postgresql_where=sa.text('left_on IS NULL'))


def downgrade():
    op.drop_index('ix_membership_user_role', table_name='membership')
