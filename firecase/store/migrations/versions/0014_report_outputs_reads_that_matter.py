"""reads that matter are audited: every file written from a case

Issue 17 (the record proves what happened): ``report_outputs`` holds one row per report
printed or exported, public version published and case exported: who, when, which case,
the file's name, size and SHA-256, and the audit chain's head the file carries. Rows are
inserted through the unit of work, so the trail audits each one (the client on SQLite, the
database's triggers on PostgreSQL, installed for the new table after the upgrade).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 00:20:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0014"
down_revision: Union[str, Sequence[str], None] = "0013"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "report_outputs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("case_no", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("written_by", sa.String(length=64), nullable=False),
        sa.Column("written_at", sa.String(length=40), nullable=False),
        sa.Column("anchor_seq", sa.Integer(), nullable=False),
        sa.Column("anchor_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_report_outputs_case_id_cases"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_outputs")),
    )
    with op.batch_alter_table("report_outputs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_outputs_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("report_outputs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_outputs_case_id"))
    op.drop_table("report_outputs")
