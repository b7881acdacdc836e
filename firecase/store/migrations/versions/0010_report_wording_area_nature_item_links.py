"""the investigation report as the officer words it, 过火面积 and 事故性质, evaluation links

Issue 14 (the reviewer's defects in the printed reports, 第十八条 and 第二十三条):

* ``cases.burned_area_m2`` (过火面积, exact 平方米) and ``cases.nature`` (事故性质).
* ``cases.team_name`` (the 调查组 that signs the report, 第四条/第六条), ``cases.report_title``
  (the title with the officer's line breaks), ``cases.report_opening`` (the opening summary)
  and ``cases.report_composition`` (the team-composition paragraph): "" means generated
  from the case, so every existing case prints as before until the officer words them.
* ``evaluation_item_recommendations``: the recommendations one evaluation item covers (an
  item may check several persons). Every item's ``recommendation_id`` is copied in.
* ``evaluation_items.order_id``: the measure the evaluation set for an item it found not
  (fully) done — the 限期整改 with its new deadline (第二十四条). Existing files had no link: an
  item on a measure not fully done is linked to the measure of the same responsible unit set
  on or after the evaluation began, when there is exactly one (the audit trail notes each).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-09 07:00:00.000000

"""
import datetime as dt
import warnings
from typing import Literal, Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UPGRADE_ACTOR = 'FireCase升级（0010）'


def _add(table: str, *columns: sa.Column) -> None:  # type: ignore[type-arg]
    # SQLite adds columns in place: recreating ``cases`` would lose its expression indexes
    with op.batch_alter_table(table, schema=None, recreate='never') as batch_op:
        for column in columns:
            batch_op.add_column(column)


def upgrade() -> None:
    """Upgrade schema."""
    _add(
        'cases',
        sa.Column('burned_area_m2', sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column('nature', sa.String(length=100), server_default='', nullable=False),
        sa.Column('team_name', sa.String(length=200), server_default='', nullable=False),
        sa.Column('report_title', sa.String(length=400), server_default='', nullable=False),
        sa.Column('report_opening', sa.Text(), server_default='', nullable=False),
        sa.Column('report_composition', sa.Text(), server_default='', nullable=False),
    )
    op.create_table(
        'evaluation_item_recommendations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('recommendation_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['case_id'], ['cases.id'],
            name=op.f('fk_evaluation_item_recommendations_case_id_cases'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['item_id'], ['evaluation_items.id'],
            name=op.f('fk_evaluation_item_recommendations_item_id_evaluation_items'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['recommendation_id'], ['recommendations.id'],
            name=op.f('fk_evaluation_item_recommendations_recommendation_id_recommendations'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_item_recommendations')),
        sa.UniqueConstraint(
            'item_id', 'recommendation_id', name=op.f('uq_evaluation_item_recommendations_item_id')
        ),
    )
    with op.batch_alter_table('evaluation_item_recommendations', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_evaluation_item_recommendations_case_id'), ['case_id'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_evaluation_item_recommendations_item_id'), ['item_id'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_evaluation_item_recommendations_recommendation_id'),
            ['recommendation_id'],
            unique=False,
        )
    op.execute(
        sa.text(
            'INSERT INTO evaluation_item_recommendations (case_id, item_id, recommendation_id, '
            'position) SELECT case_id, id, recommendation_id, 0 FROM evaluation_items '
            'WHERE recommendation_id IS NOT NULL'
        )
    )
    # a small table without expression indexes: recreated to carry the foreign key. Reflecting
    # it reflects ``cases`` too, whose expression indexes SQLAlchemy cannot reflect; ``cases``
    # is not recreated, so they are untouched and the warning says nothing
    with warnings.catch_warnings():
        warnings.filterwarnings('ignore', message='Skipped unsupported reflection')
        with op.batch_alter_table('evaluation_items', schema=None) as batch_op:
            batch_op.add_column(sa.Column('order_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                op.f('fk_evaluation_items_order_id_rectification_measures'),
                'rectification_measures',
                ['order_id'],
                ['id'],
                ondelete='SET NULL',
            )
    _link_orders()


def _link_orders() -> None:
    """Link each 限期整改 the evaluation set to the measure it re-orders, where that is
    unambiguous, with one audit row per link."""
    from firecase.store.audit import GENESIS_HASH, row_hash

    bind = op.get_bind()
    starts: dict[int, object] = dict(
        bind.execute(
            sa.text('SELECT case_id, started_on FROM evaluations WHERE started_on IS NOT NULL')
        ).all()
    )
    measures = bind.execute(
        sa.text(
            'SELECT id, case_id, responsible, set_on, status FROM rectification_measures '
            'ORDER BY id'
        )
    ).all()

    def day(value: object) -> dt.date:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))

    items = bind.execute(
        sa.text(
            "SELECT id, case_id, measure_id FROM evaluation_items WHERE measure_id IS NOT NULL"
            " AND result <> '已落实' ORDER BY id"
        )
    ).all()
    by_id = {x[0]: x for x in measures}
    links: list[tuple[int, int, int]] = []  # (item, order measure, case)
    for item_id, case_id, measure_id in items:
        start = starts.get(case_id)
        measure = by_id.get(measure_id)
        if start is None or measure is None:
            continue
        later = [
            x[0]
            for x in measures
            if x[1] == case_id
            and x[0] != measure_id
            and x[2] == measure[2]
            and day(x[3]) >= day(start)
        ]
        if len(later) == 1:
            links.append((item_id, later[0], case_id))
    if not links:
        return
    head = bind.execute(sa.text('SELECT last_seq, last_hash FROM audit_head WHERE id = 1')).first()
    if head is None:
        bind.execute(
            sa.text('INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, :h)'),
            {'h': GENESIS_HASH},
        )
        last_seq, last_hash = 0, GENESIS_HASH
    else:
        last_seq, last_hash = int(head[0]), str(head[1])
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec='microseconds')
    rows = []
    for item_id, order_id, case_id in links:
        bind.execute(
            sa.text('UPDATE evaluation_items SET order_id = :o WHERE id = :i'),
            {'o': order_id, 'i': item_id},
        )
        last_seq += 1
        row = {
            'seq': last_seq,
            'at': stamp,
            'actor': UPGRADE_ACTOR,
            'action': 'update',
            'entity': 'evaluation_items',
            'entity_id': str(item_id),
            'case_id': case_id,
            'field': 'order_id',
            'old_value': None,
            'new_value': f'{order_id}（升级：评估开始后对同一责任单位提出的唯一措施视为限期整改，'
            '第二十四条）',
            'prev_hash': last_hash,
        }
        last_hash = row_hash(row)
        row['row_hash'] = last_hash
        rows.append(row)
    bind.execute(
        sa.text(
            'INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, case_id, field, '
            'old_value, new_value, prev_hash, row_hash) VALUES (:seq, :at, :actor, :action, '
            ':entity, :entity_id, :case_id, :field, :old_value, :new_value, :prev_hash, '
            ':row_hash)'
        ),
        rows,
    )
    bind.execute(
        sa.text('UPDATE audit_head SET last_seq = :s, last_hash = :h WHERE id = 1'),
        {'s': last_seq, 'h': last_hash},
    )


def downgrade() -> None:
    """Downgrade schema."""
    import sqlite3

    with warnings.catch_warnings():
        warnings.filterwarnings('ignore', message='Skipped unsupported reflection')
        with op.batch_alter_table('evaluation_items', schema=None) as batch_op:
            batch_op.drop_constraint(
                op.f('fk_evaluation_items_order_id_rectification_measures'),
                type_='foreignkey',
            )
            batch_op.drop_column('order_id')
    op.drop_table('evaluation_item_recommendations')
    native = op.get_bind().dialect.name != 'sqlite' or sqlite3.sqlite_version_info >= (3, 35)
    mode: Literal['never', 'auto'] = 'never' if native else 'auto'
    with warnings.catch_warnings():
        warnings.filterwarnings('ignore', message='Skipped unsupported reflection')
        with op.batch_alter_table('cases', schema=None, recreate=mode) as batch_op:
            for name in (
                'report_composition',
                'report_opening',
                'report_title',
                'team_name',
                'nature',
                'burned_area_m2',
            ):
                batch_op.drop_column(name)
