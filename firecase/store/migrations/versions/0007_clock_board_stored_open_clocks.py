"""clock board: every case's open clocks stored, read in one indexed query

``open_clocks`` holds, per case, each clock whose completion is not recorded yet and the
grade-change window (``closes_on``), with due date, pause, explanation and basis as the rules
computed them (``firecase.store.models.OpenClock``). Derived data kept by the services like
``cases.next_due_on``; existing cases are marked ``clocks_stale`` so the services compute
their rows on first use after the upgrade.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 17:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'open_clocks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=64), nullable=False),
        sa.Column('label', sa.String(length=64), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('start', sa.Date(), nullable=True),
        sa.Column('due', sa.Date(), nullable=True),
        sa.Column('paused', sa.Boolean(), nullable=False),
        sa.Column('computed', sa.Boolean(), nullable=False),
        sa.Column('explanation', sa.Text(), nullable=False),
        sa.Column('basis', sa.Text(), nullable=False),
        sa.Column('closes_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ['case_id'], ['cases.id'], name=op.f('fk_open_clocks_case_id_cases'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_open_clocks')),
    )
    op.create_index(op.f('ix_open_clocks_case_id'), 'open_clocks', ['case_id'], unique=False)
    op.create_index('ix_open_clocks_closes_on', 'open_clocks', ['closes_on'], unique=False)
    op.execute(sa.text('UPDATE cases SET clocks_stale = :t').bindparams(t=True))


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_open_clocks_closes_on', table_name='open_clocks')
    op.drop_index(op.f('ix_open_clocks_case_id'), table_name='open_clocks')
    op.drop_table('open_clocks')
