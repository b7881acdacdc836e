"""case list: a two-character index of the search text, so a search does not scan every case

``case_search_grams`` holds each distinct two-character piece of every case's
``search_text`` (pieces spanning two fields left out): a search of two or more characters
finds its candidates through the primary key, and the case list checks them with ``LIKE``.
Backfilled here from ``search_text`` and kept up to date by the services.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 17:35:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BATCH = 5000
SEPARATOR = '\x1f'


def _grams(text: str) -> set[str]:
    # the same as firecase.store.models.search_grams at this revision
    return {text[i:i + 2] for i in range(len(text) - 1) if SEPARATOR not in text[i:i + 2]}


def upgrade() -> None:
    """Upgrade schema."""
    table = op.create_table(
        'case_search_grams',
        sa.Column('gram', sa.String(length=2), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('gram', 'case_id', name=op.f('pk_case_search_grams')),
        sqlite_with_rowid=False,
    )
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(
            sa.text(
                'SELECT id, search_text FROM cases WHERE id > :last ORDER BY id LIMIT :n'
            ),
            {'last': last, 'n': BATCH},
        ).all()
        if not rows:
            break
        pieces = [
            {'gram': g, 'case_id': case_id}
            for case_id, text in rows
            for g in sorted(_grams(text or ''))
        ]
        if pieces:
            conn.execute(sa.insert(table), pieces)
        last = rows[-1][0]


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('case_search_grams')
