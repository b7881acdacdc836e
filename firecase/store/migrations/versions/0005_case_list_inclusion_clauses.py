"""case list: the 第五条 items of the current inclusion decision on the case row

The case list shows whether a case is included under the measures and by which items of
第五条 ("纳入（第五条第一项、第二项）") without reading the decision rows: ``cases.included``
already holds the verdict; ``cases.inclusion_clauses`` now holds the items ("1,2"), copied
from each case's latest inclusion decision here and kept up to date by the services.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 15:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('inclusion_clauses', sa.String(length=32), server_default='', nullable=False)
        )
    op.execute(
        sa.text(
            "UPDATE cases SET inclusion_clauses = COALESCE(("
            "SELECT d.clauses FROM inclusion_decisions d WHERE d.case_id = cases.id "
            "ORDER BY d.id DESC LIMIT 1), '')"
        )
    )


def downgrade() -> None:
    """Downgrade schema."""
    # SQLite 3.35+ drops a column in place; copying the table instead would lose 0003's
    # expression indexes (Alembic cannot reflect them)
    import sqlite3

    native = op.get_bind().dialect.name != 'sqlite' or sqlite3.sqlite_version_info >= (3, 35)
    with op.batch_alter_table(
        'cases', schema=None, recreate='never' if native else 'auto'
    ) as batch_op:
        batch_op.drop_column('inclusion_clauses')
