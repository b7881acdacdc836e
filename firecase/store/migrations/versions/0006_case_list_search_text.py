"""case list: one lower-cased, indexed search column instead of LIKE on four columns

``cases.search_text`` holds the case number, title, place and unit, lower-cased and joined by
U+001F (``firecase.store.models.case_search_text``); the case list's text filter is one
``LIKE`` on it. Its index lets SQLite count the matches by scanning the index instead of the
whole table. Backfilled here in Python (``str.lower`` folds all of Unicode, SQLite's
``lower()`` only ASCII) and kept up to date by the services.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 15:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BATCH = 5000


def _search_text(case_no: str, title: str, place: str, unit_name: str | None) -> str:
    # the same as firecase.store.models.case_search_text at this revision
    return '\x1f'.join((case_no, title, place, unit_name or '')).lower()


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('search_text', sa.String(length=800), server_default='', nullable=False)
        )
    conn = op.get_bind()
    cases = sa.table(
        'cases',
        sa.column('id', sa.Integer),
        sa.column('case_no', sa.String),
        sa.column('title', sa.String),
        sa.column('place', sa.String),
        sa.column('unit_name', sa.String),
        sa.column('search_text', sa.String),
    )
    rows = conn.execute(
        sa.select(cases.c.id, cases.c.case_no, cases.c.title, cases.c.place, cases.c.unit_name)
    ).all()
    update = (
        sa.update(cases)
        .where(cases.c.id == sa.bindparam('row_id'))
        .values(search_text=sa.bindparam('text'))
    )
    for start in range(0, len(rows), BATCH):
        conn.execute(
            update,
            [
                {'row_id': r[0], 'text': _search_text(r[1], r[2], r[3], r[4])}
                for r in rows[start : start + BATCH]
            ],
        )
    op.create_index(op.f('ix_cases_search_text'), 'cases', ['search_text'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    import sqlite3

    op.drop_index(op.f('ix_cases_search_text'), table_name='cases')
    native = op.get_bind().dialect.name != 'sqlite' or sqlite3.sqlite_version_info >= (3, 35)
    with op.batch_alter_table(
        'cases', schema=None, recreate='never' if native else 'auto'
    ) as batch_op:
        batch_op.drop_column('search_text')
