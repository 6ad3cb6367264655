"""Time zones and calendars: each user's zone, a calendar feed token and a version; the
meeting's iCalendar SEQUENCE; workspace settings (the default zone)

Revision ID: 0016_timezones
Revises: 0015_health_honest
Create Date: 2026-12-01 11:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016_timezones'
down_revision = '0015_health_honest'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'workspace_setting',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=50), nullable=False),
        sa.Column('value', sa.String(length=200), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_workspace_setting')),
        sa.UniqueConstraint('key', name=op.f('uq_workspace_setting_key')),
    )
    has_version = _has_column('user', 'version')  # another branch may add it first
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('calendar_token', sa.String(length=64), nullable=True))
        if not has_version:
            batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.create_unique_constraint(batch_op.f('uq_user_calendar_token'), ['calendar_token'])
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=False, server_default='0'))


def downgrade():
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_column('sequence')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_calendar_token'), type_='unique')
        batch_op.drop_column('calendar_token')
        batch_op.drop_column('timezone')
    op.drop_table('workspace_setting')


def _has_column(table, column):
    return column in {c['name'] for c in sa.inspect(op.get_bind()).get_columns(table)}
