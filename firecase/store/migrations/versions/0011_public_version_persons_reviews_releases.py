"""the public version withholds by content: register of persons, decisions, reviews, releases

Issue 16 (第二十一条 "除依法应当保密外"):

* ``persons``: the register of 死者、伤者、证人 (name, sex, age, ID number, phone) that the
  reports list and the public version masks.
* ``redactions.decided_by`` / ``decided_on``: who withheld a part and when (the 公开前审查
  lists it). Existing rows keep "" and NULL: the audit trail names who made them.
* ``disclosure_keeps``: personal data found in the public text that an officer chose to
  publish, with the reason (found items are masked unless kept).
* ``public_reviews``: each approved 公开前审查 with the fingerprint of the content approved.
* ``public_releases``: each publication (date, channel, approving body, file and its hash).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 19:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _case_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ['case_id'], ['cases.id'], name=op.f(f'fk_{table}_case_id_cases'), ondelete='CASCADE'
    )


def _index_case(table: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{table}_case_id'), ['case_id'], unique=False)


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'persons',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=8), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('sex', sa.String(length=4), nullable=False),
        sa.Column('age', sa.Integer(), nullable=True),
        sa.Column('id_no', sa.String(length=32), nullable=False),
        sa.Column('phone', sa.String(length=64), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        _case_fk('persons'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_persons')),
    )
    _index_case('persons')
    with op.batch_alter_table('redactions', schema=None, recreate='never') as batch_op:
        batch_op.add_column(
            sa.Column('decided_by', sa.String(length=100), server_default='', nullable=False)
        )
        batch_op.add_column(sa.Column('decided_on', sa.Date(), nullable=True))
    op.create_table(
        'disclosure_keeps',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('value', sa.String(length=200), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('decided_by', sa.String(length=100), nullable=False),
        sa.Column('decided_on', sa.Date(), nullable=False),
        _case_fk('disclosure_keeps'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_disclosure_keeps')),
        sa.UniqueConstraint(
            'case_id', 'kind', 'value', name=op.f('uq_disclosure_keeps_case_id')
        ),
    )
    _index_case('disclosure_keeps')
    op.create_table(
        'public_reviews',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('report', sa.String(length=16), nullable=False),
        sa.Column('reviewed_on', sa.Date(), nullable=False),
        sa.Column('reviewed_by', sa.String(length=100), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('withheld', sa.Integer(), nullable=False),
        sa.Column('masked', sa.Integer(), nullable=False),
        sa.Column('kept', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        _case_fk('public_reviews'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_public_reviews')),
    )
    _index_case('public_reviews')
    op.create_table(
        'public_releases',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('report', sa.String(length=16), nullable=False),
        sa.Column('published_on', sa.Date(), nullable=False),
        sa.Column('channel', sa.String(length=200), nullable=False),
        sa.Column('approved_by', sa.String(length=200), nullable=False),
        sa.Column('file_name', sa.String(length=255), nullable=False),
        sa.Column('file_format', sa.String(length=8), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=True),
        sa.Column('recorded_by', sa.String(length=100), nullable=False),
        sa.Column('recorded_on', sa.Date(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        _case_fk('public_releases'),
        sa.ForeignKeyConstraint(
            ['review_id'], ['public_reviews.id'],
            name=op.f('fk_public_releases_review_id_public_reviews'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_public_releases')),
    )
    _index_case('public_releases')
    with op.batch_alter_table('public_releases', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_public_releases_review_id'), ['review_id'], unique=False
        )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('public_releases')
    op.drop_table('public_reviews')
    op.drop_table('disclosure_keeps')
    with op.batch_alter_table('redactions', schema=None) as batch_op:
        batch_op.drop_column('decided_on')
        batch_op.drop_column('decided_by')
    op.drop_table('persons')
