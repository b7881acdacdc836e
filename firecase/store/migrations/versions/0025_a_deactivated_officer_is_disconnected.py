"""a deactivated officer is disconnected

Deactivating an officer on a team server (``firecase_officer_set`` with ``p_active`` false)
made the login NOLOGIN and revoked its group, but left its open sessions on the server: an
officer let go could keep a transaction open and the data locked, and, no longer in a group,
dropped off the 管理员's list of sessions (``firecase_officer_sessions``), so nobody but a
PostgreSQL superuser could end them. Now deactivation ends that login's sessions on this
database; the list shows every login of ``users`` (a deactivated officer still connected
included) and no longer a member of the owner role (the database's own administrators); and
ending a session names whose it is (``firecase_officer_end_session(pid, login)``), so a number
reused by another session in between is not ended. Nothing changes in the tables: the functions
are renewed by ``pg_team.apply_policy`` at this upgrade. On SQLite the revision does nothing.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 23:55:00.000000

"""
from typing import Sequence, Union


# revision identifiers, used by Alembic.
revision: str = '0025'
down_revision: Union[str, Sequence[str], None] = '0024'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Nothing in the tables (see the module's docstring)."""


def downgrade() -> None:
    """Nothing in the tables: the functions stay until the policy is applied again."""
