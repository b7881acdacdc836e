"""an administrator ends a session holding the data

On a team server any login that may write can hold locks (``SELECT … FOR UPDATE``, ``LOCK
TABLE``) or leave a transaction open, and every other officer's save then gives up after
``store.casefile.SERVER_LOCK_WAIT_MS``. Until now only a PostgreSQL superuser could end that
session. Two officer functions (``firecase_officer_sessions``, ``firecase_officer_end_session``,
``store._pg_team_sql``) let the team's 管理员 list the sessions of this team's officers on this
database, with how many sessions wait on each, and end one; the owner role gets
``pg_read_all_stats`` and ``pg_signal_backend`` for them. Nothing changes in the tables: the
functions and grants are renewed by ``pg_team.apply_policy`` and
``pg_team.grant_server_powers``, which every upgrade by the database administrator runs, so a
team set up before this revision gets them at its upgrade. On SQLite the revision does nothing.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 19:50:00.000000

"""
from typing import Sequence, Union


# revision identifiers, used by Alembic.
revision: str = '0024'
down_revision: Union[str, Sequence[str], None] = '0023'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Nothing in the tables (see the module's docstring)."""


def downgrade() -> None:
    """Nothing in the tables: the functions stay until the policy is applied again."""
