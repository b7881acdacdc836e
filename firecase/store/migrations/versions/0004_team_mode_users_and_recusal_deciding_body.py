"""team mode: users and roles; the body that decided a recusal

``users`` holds who may use a shared case file and their role (管理员 / 调查组组长 / 调查员 /
只读). An empty table means single-user mode (whoever opens the file may do everything), so
existing case files keep working unchanged until someone adds the first user, who becomes
管理员. ``recusal_applications.deciding_body`` records who had the power to decide a recusal:
"调查组组长", or "人民政府" for the team leader's own recusal (第十五条); decisions taken before
this revision are marked "调查组组长" (the only kind the program recorded then).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 15:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'users',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('login', sa.String(length=64), nullable=False),
        sa.Column('display_name', sa.String(length=100), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_on', sa.Date(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
        sa.UniqueConstraint('login', name=op.f('uq_users_login')),
    )
    with op.batch_alter_table('recusal_applications', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('deciding_body', sa.String(length=16), server_default='', nullable=False)
        )
    op.execute(
        sa.text(
            "UPDATE recusal_applications SET deciding_body = :body WHERE decision <> ''"
        ).bindparams(body='调查组组长')
    )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('recusal_applications', schema=None) as batch_op:
        batch_op.drop_column('deciding_body')
    op.drop_table('users')
