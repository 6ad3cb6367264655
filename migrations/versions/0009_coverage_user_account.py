"""Coverage: index pairings by person and account, not by person alone

The sponsor check ("does this person own a decision-maker of this account?") runs for
every account on the sponsor page and in the nav. With an index on user_id alone it read
every pairing the person has across the workspace for each account (4,000 rows for the
benchmark's busy KAM, 15 ms); (user_id, account_id) goes straight to the pairs.

Revision ID: 0009_coverage_user_account
Revises: 0007_health
Create Date: 2026-11-22 19:55:00

"""
from alembic import op


revision = '0009_coverage_user_account'
down_revision = '0007_health'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('coverage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coverage_user_id'))
        batch_op.create_index('ix_coverage_user_account', ['user_id', 'account_id'], unique=False)


def downgrade():
    with op.batch_alter_table('coverage', schema=None) as batch_op:
        batch_op.drop_index('ix_coverage_user_account')
        batch_op.create_index(batch_op.f('ix_coverage_user_id'), ['user_id'], unique=False)
