"""the audit and officer functions search the catalog and their schema before pg_temp

Issue 17 (an attacker with a desk in the same unit): the ``SECURITY DEFINER`` functions were
created with ``SET search_path FROM CURRENT``, which leaves ``pg_temp`` implicitly first for
tables: an officer's temporary ``audit_log``, ``users`` or ``pg_roles`` stood in for the real
one inside a function running with the owner's rights. They are created again with
``pg_catalog, <schema>, pg_temp``, and the audit functions are no longer executable by
PUBLIC. No table changes. (A team database gets its officer functions and grants again from
``pg_team.apply_policy``, which every upgrade runs after the migrations.)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 06:20:00.000000

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0015'
down_revision: Union[str, Sequence[str], None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    from firecase.store.pg_audit import install_audit

    install_audit(op.get_bind())  # a no-op on SQLite


def downgrade() -> None:
    pass  # the older functions were the defect; nothing to restore
