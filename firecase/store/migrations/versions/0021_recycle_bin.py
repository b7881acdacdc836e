"""the recycle bin (回收站) of each case

Issue 19 part 4: a record removed from a case goes to ``recycle_bin`` (one row per removal: what
was removed, by whom and when, and as JSON every row the removal deleted and every link it
cleared), restorable with its links; ``recycle_contents`` keeps the attachments' content such an
entry needs from being pruned. Both are audited like every case table (on PostgreSQL by the
triggers installed after the upgrade); neither travels with a case in a ``.fcase`` export.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 19:30:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0021"
down_revision: Union[str, Sequence[str], None] = "0020"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "recycle_bin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=32), nullable=False),
        sa.Column("summary", sa.String(length=255), nullable=False),
        sa.Column("removed_by", sa.String(length=64), nullable=False),
        sa.Column("removed_at", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("restored_by", sa.String(length=64), nullable=False),
        sa.Column("restored_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recycle_bin")),
    )
    with op.batch_alter_table("recycle_bin", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recycle_bin_case_id"), ["case_id"], unique=False)
    op.create_table(
        "recycle_contents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["recycle_bin.id"],
            name=op.f("fk_recycle_contents_entry_id_recycle_bin"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sha256"],
            ["attachment_blobs.sha256"],
            name=op.f("fk_recycle_contents_sha256_attachment_blobs"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recycle_contents")),
        sa.UniqueConstraint(
            "entry_id", "sha256", name=op.f("uq_recycle_contents_entry_id")
        ),
    )
    with op.batch_alter_table("recycle_contents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recycle_contents_entry_id"), ["entry_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_recycle_contents_sha256"), ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("recycle_contents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recycle_contents_sha256"))
        batch_op.drop_index(batch_op.f("ix_recycle_contents_entry_id"))
    op.drop_table("recycle_contents")
    with op.batch_alter_table("recycle_bin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recycle_bin_case_id"))
    op.drop_table("recycle_bin")
