"""an index on every foreign key

Issue 22 (deleting grows with the archive): twelve foreign-key columns had no index, so
deleting a team member, a party, a recommendation or a measure made the database scan every
row of the tables that point at it (ON DELETE CASCADE / SET NULL). Removing one member took
138 ms at 100k cases and 390 ms at 300k, removing a case 6.9 s and 21 s. Each column gets its
index; ``tests/unit/store/test_foreign_key_indexes.py`` fails for any foreign key added
later without one.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 06:45:00.000000

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0016'
down_revision: Union[str, Sequence[str], None] = '0015'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

INDEXED = (
    ("appraisals", "evidence_id"),
    ("dissents", "member_id"),
    ("findings", "party_id"),
    ("recommendations", "party_id"),
    ("recusal_applications", "member_id"),
    ("recusal_applications", "party_id"),
    ("recusal_applications", "decided_by_member_id"),
    ("subgroups", "leader_id"),
    ("evaluation_items", "recommendation_id"),
    ("evaluation_items", "measure_id"),
    ("evaluation_items", "order_id"),
    ("subgroup_members", "member_id"),
)


def upgrade() -> None:
    for table, column in INDEXED:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def downgrade() -> None:
    for table, column in reversed(INDEXED):
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
