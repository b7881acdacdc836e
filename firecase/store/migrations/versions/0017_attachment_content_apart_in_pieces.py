"""attachments' content apart from their rows, once per SHA-256, in 1 MiB pieces

Issue 18 (photos at real sizes): an attachment's bytes were a column of its row, so reading a
case's attachments read every photo, an export held them all in memory (as base64 JSON, with
zip's 2 GiB limit), and the same photo attached twice was stored twice. The content moves to
``attachment_blobs`` (one row per SHA-256) and ``attachment_chunks`` (its pieces, at most
``store.blobs.CHUNK_BYTES`` each); ``attachments.sha256`` becomes a foreign key to it and
``attachments.content`` is dropped. Rows are moved one attachment at a time (at most one file
in memory). Content that no longer matches its recorded SHA-256 (a damaged file) is moved as
it is, under the recorded SHA-256, so ``firecase verify`` still reports it. Nothing a user
typed changes, so the audit trail gets no rows.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 09:00:00.000000

"""
import warnings
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0017'
down_revision: Union[str, Sequence[str], None] = '0016'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

CHUNK = 1 << 20


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'attachment_blobs',
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('sha256', name=op.f('pk_attachment_blobs')),
    )
    op.create_table(
        'attachment_chunks',
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ['sha256'], ['attachment_blobs.sha256'],
            name=op.f('fk_attachment_chunks_sha256_attachment_blobs'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('sha256', 'seq', name=op.f('pk_attachment_chunks')),
    )
    bind = op.get_bind()
    seen: set[str] = set()
    ids = [row[0] for row in bind.execute(sa.text('SELECT id FROM attachments ORDER BY id'))]
    for attachment_id in ids:
        sha, content = bind.execute(
            sa.text('SELECT sha256, content FROM attachments WHERE id = :i'), {'i': attachment_id}
        ).one()
        if sha in seen:
            continue
        seen.add(sha)
        data = bytes(content or b'')
        bind.execute(
            sa.text('INSERT INTO attachment_blobs (sha256, size) VALUES (:s, :n)'),
            {'s': sha, 'n': len(data)},
        )
        for seq, start in enumerate(range(0, len(data), CHUNK)):
            bind.execute(
                sa.text('INSERT INTO attachment_chunks (sha256, seq, data) VALUES (:s, :q, :d)'),
                {'s': sha, 'q': seq, 'd': data[start:start + CHUNK]},
            )
        del data, content
    with warnings.catch_warnings(), op.batch_alter_table(
        'attachments', schema=None, recreate='auto'
    ) as batch_op:
        # the recreated table's foreign keys reflect ``cases``, whose expression indexes
        # (migration 0003) SQLAlchemy cannot reflect and need not: they are not touched
        warnings.filterwarnings('ignore', message='Skipped unsupported reflection')
        batch_op.drop_column('content')
        batch_op.create_index(batch_op.f('ix_attachments_sha256'), ['sha256'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_attachments_sha256_attachment_blobs'),
            'attachment_blobs', ['sha256'], ['sha256'], ondelete='RESTRICT',
        )


def downgrade() -> None:
    """Downgrade schema."""
    bind = op.get_bind()
    with warnings.catch_warnings(), op.batch_alter_table(
        'attachments', schema=None, recreate='auto'
    ) as batch_op:
        warnings.filterwarnings('ignore', message='Skipped unsupported reflection')
        batch_op.drop_constraint(
            batch_op.f('fk_attachments_sha256_attachment_blobs'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_attachments_sha256'))
        batch_op.add_column(
            sa.Column('content', sa.LargeBinary(), nullable=False, server_default=sa.text("''"))
        )
    shas = [row[0] for row in bind.execute(sa.text('SELECT sha256 FROM attachment_blobs'))]
    for sha in shas:
        pieces = bind.execute(
            sa.text('SELECT data FROM attachment_chunks WHERE sha256 = :s ORDER BY seq'),
            {'s': sha},
        ).scalars()
        bind.execute(
            sa.text('UPDATE attachments SET content = :c WHERE sha256 = :s'),
            {'c': b''.join(bytes(p) for p in pieces), 's': sha},
        )
    op.drop_table('attachment_chunks')
    op.drop_table('attachment_blobs')
