"""Notifications: sent records (idempotent jobs), the bell, preferences, chat-bot targets

Revision ID: 0014_notify
Revises: 0013_jobs
Create Date: 2026-12-01 11:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014_notify'
down_revision = '0013_jobs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'notification',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('params_json', sa.Text(), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('read_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_notification_account_id_account')),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_user_id', ['user_id', 'id'], unique=False)
        batch_op.create_index('ix_notification_user_read', ['user_id', 'read_at'], unique=False)
    op.create_table(
        'notify_preference',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('channels', sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notify_preference_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_preference')),
        sa.UniqueConstraint('user_id', 'kind', name='uq_notify_preference_kind'),
    )
    with op.batch_alter_table('notify_preference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notify_preference_user_id'), ['user_id'], unique=False)
    op.create_table(
        'webhook_target',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('platform', sa.String(length=20), nullable=False),
        sa.Column('url', sa.String(length=1000), nullable=False),
        sa.Column('secret', sa.String(length=200), nullable=False),
        sa.Column('events', sa.String(length=400), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('paused_at', sa.DateTime(), nullable=True),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('last_ok_at', sa.DateTime(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_webhook_target_account_id_account')),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_webhook_target_created_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_target')),
    )
    with op.batch_alter_table('webhook_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_target_account_id'), ['account_id'], unique=False)


def downgrade():
    with op.batch_alter_table('webhook_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_target_account_id'))
    op.drop_table('webhook_target')
    with op.batch_alter_table('notify_preference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notify_preference_user_id'))
    op.drop_table('notify_preference')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user_read')
        batch_op.drop_index('ix_notification_user_id')
    op.drop_table('notification')
