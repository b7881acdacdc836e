"""dated casualties, jurisdiction grade, late extensions, recusal decider, handling from the 批复

Dated facts (docs/DESIGN.md, "Dated facts"):

* ``casualty_updates.as_of``: the date the counts became true (the date of death or injury);
  ``recorded_on`` keeps the date the record was entered. Existing records carried only one
  date, the one the officer typed as 统计日期: it becomes ``as_of`` and the audit trail notes
  the change, one row per record.
* ``cases.jurisdiction_grade``: the grade by the casualties of the first 7 days (第四条), which
  decides who investigates; ``cases.report_signed_on``: the day the report was signed (the
  signature list is fixed at that day).
* ``extensions.approved_late`` / ``late_confirmed_by`` / ``late_confirmed_on``: an approval
  recorded after the period ran out, counted only once an officer confirms it (第十七条).
* ``recusal_applications.decided_by_member_id``: the team member who decided (the leader).
* ``cases.next_due_provisional`` and ``open_clocks.provisional``: a due date computed for a
  year the holiday calendar lacks (暂定), so the list and the board can say so.
* ``handling_tasks.source`` / ``removed_on`` / ``removed_by`` / ``removed_reason``: tasks
  created from the recommendations' acting authorities on the 批复 (第二十条); a removed one is
  kept with who removed it.

Every case is marked for re-decision (``jurisdiction_grade`` NULL) and its clocks as stale.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 07:00:00.000000

"""
import datetime as dt
import warnings
from typing import Literal, Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UPGRADE_ACTOR = 'FireCase升级（0009）'


def _add(table: str, *columns: sa.Column) -> None:  # type: ignore[type-arg]
    # SQLite adds columns in place: recreating ``cases`` would lose its expression indexes
    with op.batch_alter_table(table, schema=None, recreate='never') as batch_op:
        for column in columns:
            batch_op.add_column(column)


def upgrade() -> None:
    """Upgrade schema."""
    _add('casualty_updates', sa.Column('as_of', sa.Date(), nullable=True))
    op.execute(sa.text('UPDATE casualty_updates SET as_of = recorded_on'))
    _add(
        'cases',
        sa.Column('jurisdiction_grade', sa.String(length=8), nullable=True),
        sa.Column('report_signed_on', sa.Date(), nullable=True),
        sa.Column(
            'next_due_provisional', sa.Boolean(), server_default=sa.false(), nullable=False
        ),
    )
    _add(
        'open_clocks',
        sa.Column('provisional', sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    _add(
        'extensions',
        sa.Column('approved_late', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('late_confirmed_by', sa.String(length=100), server_default='', nullable=False),
        sa.Column('late_confirmed_on', sa.Date(), nullable=True),
    )
    # a small table without expression indexes: recreated to carry the foreign key (a case
    # moved to another file remaps it like every other reference). Reflecting it reflects
    # ``cases`` too, whose expression indexes SQLAlchemy cannot reflect; ``cases`` is not
    # recreated, so they are untouched and the warning says nothing
    with warnings.catch_warnings():
        warnings.filterwarnings('ignore', message='Skipped unsupported reflection')
        _add_decider()
    _add(
        'handling_tasks',
        sa.Column('source', sa.String(length=16), server_default='', nullable=False),
        sa.Column('removed_on', sa.Date(), nullable=True),
        sa.Column('removed_by', sa.String(length=100), server_default='', nullable=False),
        sa.Column('removed_reason', sa.Text(), server_default='', nullable=False),
    )
    # one record (the intake's) decides nothing new: its grade is also the jurisdiction grade;
    # cases with more records are re-decided by the services on first use (jurisdiction_grade
    # stays NULL until then, _derive.redecide_pending)
    op.execute(
        sa.text(
            'UPDATE cases SET jurisdiction_grade = grade WHERE (SELECT count(*) FROM '
            'casualty_updates u WHERE u.case_id = cases.id) <= 1'
        )
    )
    op.execute(sa.text('UPDATE cases SET clocks_stale = :t').bindparams(t=True))
    _audit_as_of()


def _add_decider() -> None:
    with op.batch_alter_table('recusal_applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decided_by_member_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f('fk_recusal_applications_decided_by_member_id_team_members'),
            'team_members',
            ['decided_by_member_id'],
            ['id'],
            ondelete='SET NULL',
        )


def _audit_as_of() -> None:
    """One audit row per migrated casualty record: its date is now the as-of date."""
    from firecase.store.audit import GENESIS_HASH, row_hash

    bind = op.get_bind()
    records = list(
        bind.execute(
            sa.text('SELECT id, case_id, as_of FROM casualty_updates ORDER BY id')
        )
    )
    if not records:
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
    for rid, case_id, as_of in records:
        last_seq += 1
        day = as_of if isinstance(as_of, str) else as_of.isoformat()
        row = {
            'seq': last_seq,
            'at': stamp,
            'actor': UPGRADE_ACTOR,
            'action': 'update',
            'entity': 'casualty_updates',
            'entity_id': str(rid),
            'case_id': case_id,
            'field': 'as_of',
            'old_value': None,
            'new_value': f'{day}（升级：原“统计日期”视为伤亡发生（截至）日期，录入日期不详）',
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

    with op.batch_alter_table('recusal_applications', schema=None) as batch_op:
        batch_op.drop_constraint(
            op.f('fk_recusal_applications_decided_by_member_id_team_members'), type_='foreignkey'
        )
        batch_op.drop_column('decided_by_member_id')

    native = op.get_bind().dialect.name != 'sqlite' or sqlite3.sqlite_version_info >= (3, 35)
    mode: Literal['never', 'auto'] = 'never' if native else 'auto'
    for table, names in (
        ('handling_tasks', ('removed_reason', 'removed_by', 'removed_on', 'source')),
        ('extensions', ('late_confirmed_on', 'late_confirmed_by', 'approved_late')),
        ('open_clocks', ('provisional',)),
        ('cases', ('next_due_provisional', 'report_signed_on', 'jurisdiction_grade')),
        ('casualty_updates', ('as_of',)),
    ):
        with op.batch_alter_table(table, schema=None, recreate=mode) as batch_op:
            for name in names:
                batch_op.drop_column(name)
