"""the audit trail on PostgreSQL is written by the database

Issue 17 (the server knows who acts): on PostgreSQL every audited table gets a row trigger
that appends to ``audit_log`` in the same transaction, with ``session_user`` as the actor and
the server's clock as the time, hash-chained as the client does it (``store.pg_audit``);
``audit_log`` becomes append-only and ``audit_head`` movable only by the audit function. The
client stops writing audit rows on PostgreSQL. SQLite files do not change (the client keeps
writing their trail). The triggers are installed again after every later upgrade, so new
tables are audited too.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 23:10:00.000000

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0013'
down_revision: Union[str, Sequence[str], None] = '0012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    from firecase.store.pg_audit import install_audit

    install_audit(op.get_bind())


def downgrade() -> None:
    from firecase.store.pg_audit import uninstall_audit

    uninstall_audit(op.get_bind())
