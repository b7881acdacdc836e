"""a team member is not deleted from under a leader's rows

On a team server an investigator may delete team members (a member appointed in error), but
not sub-group memberships, sub-group leaders or decided recusals: those are the leader's
(``store.pg_team``: GRANTs and row-level security). Deleting the member cascaded past both:
PostgreSQL runs referential actions as the table's owner, without row security, so a
``DELETE FROM team_members`` by an investigator erased a decided recusal (第十五条) or a
sub-group membership, and set a sub-group's leader or a decision's deciding member to NULL;
deleting a party (investigators may) took it off a decided recusal the same way. These five
foreign keys now take no action: the database refuses the delete while such a row still names
the member or the party. ``services.team.remove_member`` removes the links a leader may remove
first and refuses, in Chinese, a member with a recusal record; ``services.parties.remove_party``
takes the party off a pending application itself and refuses one a decided recusal names.
Removing a whole case still removes everything in it (the check runs at the end of the
statement).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 17:40:00.000000

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0023'
down_revision: Union[str, Sequence[str], None] = '0022'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# (table, column, referred table, the action before this revision)
KEYS = (
    ('recusal_applications', 'member_id', 'team_members', 'CASCADE'),
    ('recusal_applications', 'decided_by_member_id', 'team_members', 'SET NULL'),
    ('recusal_applications', 'party_id', 'parties', 'SET NULL'),
    ('subgroup_members', 'member_id', 'team_members', 'CASCADE'),
    ('subgroups', 'leader_id', 'team_members', 'SET NULL'),
)


def _name(table: str, column: str, referred: str) -> str:
    return f'fk_{table}_{column}_{referred}'


def _replace(old_action: bool) -> None:
    for table in dict.fromkeys(k[0] for k in KEYS):  # one rebuild per table on SQLite
        with op.batch_alter_table(table, schema=None) as batch_op:
            for _t, column, referred, action in (k for k in KEYS if k[0] == table):
                batch_op.drop_constraint(_name(table, column, referred), type_='foreignkey')
                batch_op.create_foreign_key(
                    _name(table, column, referred),
                    referred,
                    [column],
                    ['id'],
                    ondelete=action if old_action else None,
                )


def upgrade() -> None:
    """Upgrade schema."""
    _replace(old_action=False)


def downgrade() -> None:
    """Downgrade schema."""
    _replace(old_action=True)
