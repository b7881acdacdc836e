"""the team's founding document and the body that set it up

Issue 19 part 6: ``cases.team_document_no`` (成立文件文号, e.g. 天政办函〔2026〕12号) and
``cases.team_formed_by`` (组建机关, e.g. 天门市人民政府, or 天门市消防救援支队 when the city
authorised the fire-rescue agency to lead, 第四条) beside ``team_formed_on``. Both default to
"" (not recorded). Two plain columns of an existing table: on PostgreSQL in team mode the
audit triggers of ``cases`` record them as they are, and the column grants (only leaders write
the team's set-up) are renewed by ``pg_team.apply_policy``, which every upgrade runs after the
migrations.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 09:00:00.000000

"""

import sqlite3
import warnings
from typing import Literal, Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0019"
down_revision: Union[str, Sequence[str], None] = "0018"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # SQLite adds columns in place: recreating ``cases`` would lose its expression indexes
    with op.batch_alter_table("cases", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("team_document_no", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("team_formed_by", sa.String(length=200), server_default="", nullable=False)
        )


def downgrade() -> None:
    # DROP COLUMN in place where SQLite has it (3.35); an older one recreates the table
    native = op.get_bind().dialect.name != "sqlite" or sqlite3.sqlite_version_info >= (3, 35)
    mode: Literal["never", "auto"] = "never" if native else "auto"
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection")
        with op.batch_alter_table("cases", schema=None, recreate=mode) as batch_op:
            batch_op.drop_column("team_formed_by")
            batch_op.drop_column("team_document_no")
