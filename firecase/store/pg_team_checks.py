"""Checks before a team takes the server roles of its names (``pg_team.init_team``): a role that
already has one of those names and is not this team's is refused, never adopted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from firecase.errors import ValidationError

if TYPE_CHECKING:
    from firecase.store.pg_team import TeamRoles


def refuse_foreign_roles(conn: Connection, team: TeamRoles, existing: set[str]) -> None:
    """A role that already has the name of one of the team's own (a login some other team's
    管理员 created so named, say) is not adopted: whoever may log in as it would hold the
    team's role. The team's roles may not log in, and its groups and marker belong to no role."""
    for name in sorted(existing & {team.owner, team.officers, *team.groups.values()}):
        row = conn.execute(
            text(
                "SELECT r.rolcanlogin OR r.rolsuper, EXISTS (SELECT 1 FROM "
                "pg_catalog.pg_auth_members m WHERE m.member = r.oid) "
                "FROM pg_catalog.pg_roles r WHERE r.rolname = :n"
            ),
            {"n": name},
        ).one()
        if row[0] or (row[1] and name != team.owner):
            raise ValidationError(
                f"服务器上已有名为“{name}”的角色，但它不是本案卷的角色（它可以登录或属于其他"
                "角色），不能使用。请数据库管理员查明它属于谁，改名或删除后再启用团队模式。",
                field="db",
            )
    if team.owner in existing:
        # the prefix is the database and schema names joined: database "a" with schema "b"
        # and database "a_b" give the same one. An owner that owns anything in another
        # database, or tables of another schema here, is another team's
        elsewhere = conn.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_shdepend d "
                "JOIN pg_catalog.pg_database db ON db.oid = d.dbid "
                "WHERE d.refobjid = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = :o) "
                "AND d.deptype = 'o' AND db.datname <> current_database()) "
                "OR EXISTS (SELECT 1 FROM pg_catalog.pg_class c "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "JOIN pg_catalog.pg_roles r ON r.oid = c.relowner "
                "WHERE r.rolname = :o AND n.nspname <> current_schema())"
            ),
            {"o": team.owner},
        ).scalar()
        if elsewhere:
            raise ValidationError(
                f"服务器上的角色“{team.owner}”已属于另一个案卷（另一数据库或另一模式中同名"
                "前缀的案卷），不能共用。请把本案卷放在名称不同的数据库或模式中再启用团队模式。",
                field="db",
            )
