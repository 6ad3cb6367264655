"""Search: the search_doc index table, its FTS5 trigram table (SQLite) or pg_trgm GIN indexes
(PostgreSQL), filled from the existing rows

Revision ID: 0017_search
Revises: 0016_timezones
Create Date: 2026-12-01 11:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0017_search'
down_revision = '0016_timezones'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_doc',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('object_id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('pinyin', sa.String(length=600), nullable=False),
        sa.Column('extra', sa.String(length=60), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_doc')),
    )
    with op.batch_alter_table('search_doc', schema=None) as batch_op:
        batch_op.create_index('ix_search_doc_kind_object', ['kind', 'object_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_search_doc_account_id'), ['account_id'], unique=False)

    from sqlalchemy.orm import Session

    from app.search.index import rebuild

    # Fill the index from what is already there; rebuild() also makes the FTS table / GIN indexes.
    session = Session(bind=op.get_bind())
    rebuild(session, commit=False)


def downgrade():
    from app.search.schema import drop_search_schema

    drop_search_schema(op.get_bind())
    with op.batch_alter_table('search_doc', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_doc_account_id'))
        batch_op.drop_index('ix_search_doc_kind_object')
    op.drop_table('search_doc')
