"""exact money on SQLite: the loss amounts as integer 分

Issue 18 (nothing lost): SQLite has no exact decimal type. A ``NUMERIC(18, 2)`` column keeps a
float there, so beyond 15 significant digits (from about 10^13 元) the 分 could be lost. On
SQLite ``cases.property_loss_yuan`` and ``cases.economic_loss_yuan`` become ``BIGINT`` columns holding integer 分 (the model's
``Money`` type converts, Python still sees ``Decimal`` 元). Each stored amount is read as
SQLite kept it (integer, float or text), taken as its shortest decimal form and rounded to 分,
which gives back exactly what was typed for every amount of at most 15 digits. The amounts do
not change, so the audit trail gets no rows. PostgreSQL keeps ``NUMERIC(18, 2)`` (exact).

``cases`` is not recreated (that would lose its expression indexes): a new column is added,
filled, the old one dropped and the new one renamed (SQLite 3.35 or later; with an older
SQLite the table is recreated and the two expression indexes of migration 0003 rebuilt).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-20 09:00:00.000000

"""
import sqlite3
import warnings
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0012'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

MONEY_COLUMNS = ('property_loss_yuan', 'economic_loss_yuan')
_CENT = Decimal('0.01')


def _to_fen(value: object) -> int:
    if value is None:
        return 0
    text = repr(value) if isinstance(value, float) else str(value)
    return int(Decimal(text).quantize(_CENT, rounding=ROUND_HALF_EVEN).scaleb(2))


def _to_yuan(value: object) -> str:
    return format(Decimal(str(value or 0)).scaleb(-2).quantize(_CENT), 'f')


def _replace(column: str, new_type: sa.types.TypeEngine, convert) -> None:  # type: ignore[type-arg,no-untyped-def]
    bind = op.get_bind()
    new = f'{column}__new'
    with op.batch_alter_table('cases', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column(new, new_type, nullable=False, server_default='0'))
    rows = bind.execute(sa.text(f'SELECT id, {column} FROM cases')).all()
    if rows:
        bind.execute(
            sa.text(f'UPDATE cases SET {new} = :v WHERE id = :i'),
            [{'i': case_id, 'v': convert(value)} for case_id, value in rows],
        )
    if sqlite3.sqlite_version_info >= (3, 35):
        op.execute(f'ALTER TABLE cases DROP COLUMN {column}')
        op.execute(f'ALTER TABLE cases RENAME COLUMN {new} TO {column}')
        return
    with warnings.catch_warnings():  # pragma: no cover - SQLite before 3.35
        warnings.filterwarnings('ignore', message='Skipped unsupported reflection')
        with op.batch_alter_table('cases', schema=None, recreate='always') as batch_op:
            batch_op.drop_column(column)
            batch_op.alter_column(new, new_column_name=column)
    _rebuild_expression_indexes()  # pragma: no cover


def _rebuild_expression_indexes() -> None:  # pragma: no cover - SQLite before 3.35
    op.execute('DROP INDEX IF EXISTS ix_cases_due_order')
    op.execute('DROP INDEX IF EXISTS ix_cases_stage_due_order')
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


def upgrade() -> None:
    """Upgrade schema."""
    if op.get_bind().dialect.name != 'sqlite':
        return  # PostgreSQL's NUMERIC(18, 2) is exact
    for column in MONEY_COLUMNS:
        _replace(column, sa.BigInteger(), _to_fen)


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name != 'sqlite':
        return
    for column in MONEY_COLUMNS:
        _replace(column, sa.Numeric(precision=18, scale=2), _to_yuan)
