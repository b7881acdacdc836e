"""case list and clock board at scale: open-clock flag and indexes

``cases.has_open_clocks`` marks cases with a clock not yet done (apart from the 7-day
grade-change window, which depends on the day), so the clock board computes clocks only for
those cases. Indexes: the case list's due-date order exactly as ``list_cases`` sorts
(``next_due_on IS NULL, next_due_on, id``, also after a stage filter), the stale-case lookup
every list call makes, and the open-clock flag. Existing cases are marked ``clocks_stale`` so
the services compute the flag on first use after the upgrade.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 14:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('has_open_clocks', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_index('ix_cases_has_open_clocks', 'cases', ['has_open_clocks'], unique=False)
    op.create_index('ix_cases_clocks_stale', 'cases', ['clocks_stale'], unique=False)
    op.create_index(
        'ix_cases_due_order',
        'cases',
        [sa.text('(next_due_on IS NULL)'), 'next_due_on', 'id'],
        unique=False,
    )
    op.create_index(
        'ix_cases_stage_due_order',
        'cases',
        ['stage', sa.text('(next_due_on IS NULL)'), 'next_due_on', 'id'],
        unique=False,
    )
    op.execute(sa.text('UPDATE cases SET clocks_stale = :t').bindparams(t=True))


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_cases_stage_due_order', table_name='cases')
    op.drop_index('ix_cases_due_order', table_name='cases')
    op.drop_index('ix_cases_clocks_stale', table_name='cases')
    op.drop_index('ix_cases_has_open_clocks', table_name='cases')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('has_open_clocks')
