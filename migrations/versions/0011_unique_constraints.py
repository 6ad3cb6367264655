"""Unique where history is kept: one current membership, one open pairing per person and target

Twenty "add to team" requests at once could leave two current memberships of one person
(removing them once left access through the other). The services check first; these
partial unique indexes make the database refuse the racing duplicate. Existing duplicates are
merged first: the earliest row of each group stays (with the earliest start date and, for a
membership, the strongest role among the duplicates, so no account loses its KAM); the others
are deleted (they were copies of the same stint; their audit records keep what happened).

Revision ID: 0011_unique_constraints
Revises: 0010_department_removed
Create Date: 2026-12-01 11:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011_unique_constraints'
down_revision = '0010_department_removed'
branch_labels = None
depends_on = None

ROLE_STRENGTH = {"kam": 0, "sponsor": 1, "member": 2, "observer": 3}


def _groups(conn, sql):
    """{key: [row, ...]} for keys with more than one row, rows in id order."""
    groups = {}
    for row in conn.execute(sa.text(sql)).mappings():
        groups.setdefault(tuple(row[k] for k in row.keys() if k.startswith("k_")), []).append(row)
    return {k: rows for k, rows in groups.items() if len(rows) > 1}


def merge_duplicates(conn):
    """Fold duplicate current memberships and open pairings into their earliest row."""
    memberships = _groups(conn, "SELECT account_id AS k_a, user_id AS k_u, id, role, joined_on "
                                "FROM membership WHERE left_on IS NULL ORDER BY id")
    for rows in memberships.values():
        keep, rest = rows[0], rows[1:]
        role = min((r["role"] for r in rows), key=lambda r: ROLE_STRENGTH.get(r, 9))
        joined = min(r["joined_on"] for r in rows)
        conn.execute(sa.text("UPDATE membership SET role = :role, joined_on = :joined WHERE id = :id"),
                     {"role": role, "joined": joined, "id": keep["id"]})
        for r in rest:
            conn.execute(sa.text("DELETE FROM membership WHERE id = :id"), {"id": r["id"]})
    for target in ("contact_id", "department_id"):
        pairings = _groups(conn, f"SELECT user_id AS k_u, {target} AS k_t, id, started_on FROM coverage "
                                 f"WHERE ended_on IS NULL AND {target} IS NOT NULL ORDER BY id")
        for rows in pairings.values():
            keep, rest = rows[0], rows[1:]
            conn.execute(sa.text("UPDATE coverage SET started_on = :s WHERE id = :id"),
                         {"s": min(r["started_on"] for r in rows), "id": keep["id"]})
            for r in rest:
                conn.execute(sa.text("DELETE FROM coverage WHERE id = :id"), {"id": r["id"]})


def upgrade():
    merge_duplicates(op.get_bind())
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index('uq_membership_current', ['account_id', 'user_id'], unique=True,
                              sqlite_where=sa.text('left_on IS NULL'),
                              postgresql_where=sa.text('left_on IS NULL'))
    with op.batch_alter_table('coverage', schema=None) as batch_op:
        batch_op.create_index('uq_coverage_open_contact', ['user_id', 'contact_id'], unique=True,
                              sqlite_where=sa.text('ended_on IS NULL AND contact_id IS NOT NULL'),
                              postgresql_where=sa.text('ended_on IS NULL AND contact_id IS NOT NULL'))
        batch_op.create_index('uq_coverage_open_department', ['user_id', 'department_id'], unique=True,
                              sqlite_where=sa.text('ended_on IS NULL AND department_id IS NOT NULL'),
                              postgresql_where=sa.text('ended_on IS NULL AND department_id IS NOT NULL'))


def downgrade():
    with op.batch_alter_table('coverage', schema=None) as batch_op:
        batch_op.drop_index('uq_coverage_open_department')
        batch_op.drop_index('uq_coverage_open_contact')
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index('uq_membership_current')
