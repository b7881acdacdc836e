"""case list: an index for every sort

Issue 22 (search and sort hold at 300k): sorting the case list by grade or by stage, or by
due date latest first (now written dated cases first, read backwards), had no index to read in
order, so every page sorted the whole archive
(sort by grade: 147 ms at 300k cases); on PostgreSQL the fire-date sort lacked its tie-break.
Each sort of ``services.reading._order_by`` gets an index that serves it to its unique end
(the case number's is the unique ``(year, seq)``), and the grade filter its due-date order.
The grade and stage ranks are indexed exactly as ``store.models.GRADE_RANK``/``STAGE_RANK``
write them (literals, not bound parameters); ``tests/unit/store/test_sort_indexes.py`` fails
for a sort without an index. ``ix_cases_fire_date`` gives way to ``(fire_date, id)``.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 22:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0022'
down_revision: Union[str, Sequence[str], None] = '0021'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# the same as firecase.store.models.GRADE_RANK / STAGE_RANK at this revision
GRADE_RANK = (
    "(CASE WHEN (grade = '一般') THEN 1 WHEN (grade = '较大') THEN 2"
    " WHEN (grade = '重大') THEN 3 WHEN (grade = '特别重大') THEN 4 ELSE 0 END)"
)
STAGE_RANK = (
    "(CASE WHEN (stage = '受理') THEN 0 WHEN (stage = '调查') THEN 1"
    " WHEN (stage = '报告已提交') THEN 2 WHEN (stage = '已批复') THEN 3"
    " WHEN (stage = '处理中') THEN 4 WHEN (stage = '评估') THEN 5"
    " WHEN (stage = '结案') THEN 6 ELSE 7 END)"
)
DUE_NULL = '(next_due_on IS NULL)'

INDEXES = (
    ('ix_cases_due_order_reversed', ['(next_due_on IS NOT NULL)', 'next_due_on', 'id']),
    ('ix_cases_fire_date_order', ['fire_date', 'id']),
    ('ix_cases_grade_order', [GRADE_RANK, 'fire_date', 'id']),
    ('ix_cases_stage_order', [STAGE_RANK, DUE_NULL, 'next_due_on', 'id']),
    ('ix_cases_stage_order_desc', [f'{STAGE_RANK} DESC', DUE_NULL, 'next_due_on', 'id']),
    ('ix_cases_grade_due_order', ['grade', DUE_NULL, 'next_due_on', 'id']),
)


def _columns(parts: list[str]) -> list[str | sa.TextClause]:
    return [p if p.isidentifier() else sa.text(p) for p in parts]


def upgrade() -> None:
    """Upgrade schema."""
    for name, parts in INDEXES:
        op.create_index(name, 'cases', _columns(parts), unique=False)
    op.drop_index('ix_cases_fire_date', table_name='cases')


def downgrade() -> None:
    """Downgrade schema."""
    op.create_index('ix_cases_fire_date', 'cases', ['fire_date'], unique=False)
    for name, _parts in reversed(INDEXES):
        op.drop_index(name, table_name='cases')
