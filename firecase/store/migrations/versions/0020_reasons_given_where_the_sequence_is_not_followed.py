"""the reasons given where the measures' sequence is not followed

Issue 19 part 5: ``guard_reasons`` holds one row per reason an officer gave for going on where
the sequence of the measures was not followed — the investigation report submitted while a
检验/鉴定 was still open (第十七条第二款), the 批复 recorded before the report's receipt
(第十九条), a record of a replied or closed case changed (第十九条): the check, the record
written, what FireCase said, the reason, who gave it and when. Rows are inserted through the
unit of work and audited like every case table (on PostgreSQL by the triggers installed after
the upgrade); they travel with the case in a ``.fcase`` export.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 09:00:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0020"
down_revision: Union[str, Sequence[str], None] = "0019"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "guard_reasons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("guard", sa.String(length=32), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_guard_reasons_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guard_reasons")),
    )
    with op.batch_alter_table("guard_reasons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_guard_reasons_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("guard_reasons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guard_reasons_case_id"))
    op.drop_table("guard_reasons")
