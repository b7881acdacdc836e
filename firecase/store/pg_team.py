"""Team mode on PostgreSQL: each officer is a server login, each role a group role.

PostgreSQL already solves identity and authority, so FireCase uses it instead of a list of
names in a table:

* **Logins.** Every officer connects with their own PostgreSQL login and password (SCRAM).
  FireCase's user is ``session_user``; there is no name to pick and nothing on the client
  side that changes who acts.
* **Roles.** The four roles are group roles, named after the database (and schema):
  ``<prefix>_admin`` (管理员), ``<prefix>_leader`` (调查组组长), ``<prefix>_investigator``
  (调查员) and ``<prefix>_reader`` (只读). An officer's role is the group they belong to.
* **Ownership.** Every table, sequence and function belongs to ``<prefix>_owner``, a role
  nobody logs in as. Officers get GRANTs per group; 只读 can only SELECT (and refresh the
  recomputed columns the case list keeps). Where a role may touch only some rows, row-level
  security says so: an investigator may record a recusal application but not its decision,
  a team leader may write only the team-warning acknowledgements among the settings.
* **Officers.** Administrators create, re-role and deactivate officers through three
  ``SECURITY DEFINER`` functions owned by the owner role, which check that the caller is an
  administrator and that the target is one of this team's officers (never a superuser or
  another team's role). Passwords reach the server only as SCRAM verifiers computed here.
* **The audit trail** is written by the database (``store.pg_audit``).

``init_team`` turns a FireCase database into team mode; it needs a superuser (or a role that
may create roles) and is run by ``firecase team init``. ``apply_policy`` (re)applies every
GRANT, policy and function; it runs at ``init_team`` and after every upgrade.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

from firecase.errors import PermissionDeniedError, ValidationError
from firecase.store import pg_audit
from firecase.store._pg_team_sql import _OFFICER_SQL
from firecase.store.models import DERIVED_CASE_COLUMNS, DERIVED_TABLES, Base
from firecase.store.pg_team_checks import refuse_foreign_roles
from firecase.store.team_names import owner_role, role_prefix

ROLE_SUFFIXES: dict[str, str] = {
    "管理员": "admin",
    "调查组组长": "leader",
    "调查员": "investigator",
    "只读": "reader",
}
"""Role label (``services.vocab.UserRole`` value) → group role suffix."""

_RANK = ("管理员", "调查组组长", "调查员", "只读")  # an officer in two groups gets the first

LOGIN_PATTERN = re.compile(r"[a-z][a-z0-9_.]{1,62}")
# the names of a team's roles (``TeamRoles``): no officer's login may look like one
TEAM_ROLE_NAME = re.compile(r"_(owner|admin|leader|investigator|reader|officers)$")
_VERIFIER_PATTERN = r"^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$"
SCRAM_ITERATIONS = 4096
MIN_PASSWORD = 8

# tables and columns only some roles may write (the rest: 调查员, 调查组组长 and 管理员)
_LEADER_TABLES = frozenset(
    {"subgroups", "subgroup_members", "extensions", "public_reviews", "public_releases"}
)
_ADMIN_TABLES = frozenset({"calendar_years", "calendar_days", "users"})
_LEADER_CASE_COLUMNS = frozenset(
    {"team_formed_on", "team_authorised_fire_agency", "team_document_no", "team_formed_by"}
)
_RLS_TABLES = frozenset({"settings", "recusal_applications", "recycle_bin", "recycle_contents"})
# the 回收站: every writer adds to it and restores from it; emptying is an administrator's,
# and a leader removing a whole case removes its entries once the case row is gone
_BIN_TABLES = frozenset({"recycle_bin", "recycle_contents"})
_BIN_RESTORE_COLUMNS = ("restored_by", "restored_at")
_EVERYONE_INSERTS = frozenset({"report_outputs"})
# issued documents and the reasons given past a guard: added, never changed
_WRITERS_INSERT = frozenset({"case_documents", "guard_reasons"})
_NOT_GRANTED = frozenset({"audit_log", "audit_head", "alembic_version"})
ACK_PREFIX = "team_ack:"  # services.workspace_extra's settings keys


@dataclass(frozen=True)
class TeamRoles:
    """The server roles of one FireCase database (schema): owner and the four groups."""

    prefix: str

    @property
    def owner(self) -> str:
        return owner_role(self.prefix)

    def group(self, label: str) -> str:
        """The group role of a role label such as "调查员"."""
        return f"{self.prefix}_{ROLE_SUFFIXES[label]}"

    @property
    def groups(self) -> dict[str, str]:
        return {label: self.group(label) for label in _RANK}

    @property
    def officers(self) -> str:
        """The role every login this team created is a direct member of, active or not: the
        officer functions manage only those (a ``users`` row left from before team mode may
        name an unrelated login of the server). It carries no privilege."""
        return f"{self.prefix}_officers"


def team_roles(conn: Connection) -> TeamRoles:
    """The role names for the connection's database and schema."""
    db, schema = conn.execute(text("SELECT current_database(), current_schema()")).one()
    return TeamRoles(role_prefix(str(db), schema))


def find_team(conn: Connection) -> TeamRoles | None:
    """The team roles if this PostgreSQL database is in team mode (its tables belong to the
    owner role), else None (a database every officer reaches through one shared account)."""
    if conn.dialect.name != "postgresql":
        return None
    roles = team_roles(conn)
    owner = conn.execute(
        text(
            "SELECT r.rolname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_catalog.pg_roles r ON r.oid = c.relowner "
            "WHERE c.relname = 'cases' AND n.nspname = current_schema()"
        )
    ).scalar()
    return roles if owner == roles.owner else None


@dataclass(frozen=True)
class Identity:
    """Who the connection is: the login, its role label (None: not an officer of this team),
    whether it is a superuser or the owner (a database administrator) and its display name."""

    login: str
    role: str | None
    dba: bool
    display_name: str


def identity(conn: Connection, team: TeamRoles) -> Identity:
    """The officer behind this connection (``session_user``), as the server sees them."""
    groups = team.groups
    row = conn.execute(
        text(
            "SELECT session_user, r.rolsuper OR pg_has_role(session_user, :owner, 'MEMBER'), "
            "ARRAY(SELECT g FROM unnest(CAST(:groups AS text[])) AS g "
            "      WHERE to_regrole(g) IS NOT NULL AND pg_has_role(session_user, g, 'MEMBER')), "
            "(SELECT display_name FROM users WHERE login = session_user) "
            "FROM pg_catalog.pg_roles r WHERE r.rolname = session_user"
        ),
        {"owner": team.owner, "groups": list(groups.values())},
    ).one()
    login, dba, member_of, name = str(row[0]), bool(row[1]), set(row[2] or ()), row[3]
    role = next((label for label in _RANK if groups[label] in member_of), None)
    if role is None and dba:
        role = "管理员"
    return Identity(login=login, role=role, dba=dba, display_name=str(name or login))


# --------------------------------------------------------------------------------------------
# Passwords
# --------------------------------------------------------------------------------------------


def check_password(password: str) -> str:
    """``password`` if acceptable; ``ValidationError`` in Chinese otherwise."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ValidationError(f"密码至少 {MIN_PASSWORD} 个字符。", field="password")
    if len(password) > 128:
        raise ValidationError("密码不能超过 128 个字符。", field="password")
    if not all(" " < ch < "\x7f" for ch in password):
        # non-ASCII passwords depend on SASLprep normalisation, which differs between clients
        raise ValidationError(
            "密码只能由英文字母、数字和英文标点组成（不含空格和中文）。", field="password"
        )
    return password


def scram_verifier(password: str, *, salt: bytes | None = None) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for ``password`` (RFC 5802/7677).

    Computed here so the password itself never reaches the server or its logs.
    """
    check_password(password)
    salt = salt if salt is not None else os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, SCRAM_ITERATIONS)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    return f"SCRAM-SHA-256${SCRAM_ITERATIONS}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def check_login(login: str) -> str:
    """A server login name FireCase may create: lower-case letters, digits, ``_`` and ``.``."""
    if not isinstance(login, str) or not LOGIN_PATTERN.fullmatch(login) or login.startswith("pg_"):
        raise ValidationError(
            "服务器登录名须以小写英文字母开头，由 2 至 63 个小写字母、数字、下划线或点组成"
            "（如 zhou.jg）。",
            field="login",
        )
    if TEAM_ROLE_NAME.search(login):
        raise ValidationError(
            "服务器登录名不能以 _owner、_admin、_leader、_investigator、_reader 或 _officers "
            "结尾：这些是案卷在服务器上的角色名（可能被当作另一个案卷的角色）。",
            field="login",
        )
    return login


# --------------------------------------------------------------------------------------------
# Grants, policies and the officer functions
# --------------------------------------------------------------------------------------------


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _statements(team: TeamRoles, tables: set[str]) -> list[str]:
    g = {label: _q(name) for label, name in team.groups.items()}
    everyone = ", ".join(g.values())
    writers = ", ".join(g[r] for r in ("管理员", "调查组组长", "调查员"))
    leaders = ", ".join(g[r] for r in ("管理员", "调查组组长"))
    out = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {_q_schema()} FROM PUBLIC, {everyone}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {_q_schema()} FROM PUBLIC, {everyone}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {_q_schema()} TO {everyone}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {_q_schema()} TO {writers}, {g['只读']}",
    ]
    model = {t.name: t for t in Base.metadata.sorted_tables}
    for name in sorted(tables):
        if name in _NOT_GRANTED or name not in model:
            continue
        t = _q(name)
        if name in DERIVED_TABLES:
            out.append(f"GRANT INSERT, UPDATE, DELETE ON {t} TO {everyone}")
        elif name in _EVERYONE_INSERTS:  # a record of a read: every officer, insert only
            out.append(f"GRANT INSERT ON {t} TO {everyone}")
            # removing a case unlinks the files written from it (services._derive)
            out.append(f"GRANT UPDATE (case_id) ON {t} TO {leaders}")
        elif name in _WRITERS_INSERT:
            out.append(f"GRANT INSERT ON {t} TO {writers}")
            out.append(f"GRANT DELETE ON {t} TO {leaders}")  # removing a whole case
        elif name == "cases":
            columns = [c.name for c in model[name].columns]
            record = [c for c in columns if c not in _LEADER_CASE_COLUMNS]
            out.append(f"GRANT INSERT ON {t} TO {writers}")
            out.append(f"GRANT UPDATE ({', '.join(map(_q, record))}) ON {t} TO {writers}")
            out.append(f"GRANT UPDATE, DELETE ON {t} TO {leaders}")
            derived = ", ".join(_q(c) for c in sorted(DERIVED_CASE_COLUMNS))
            out.append(f"GRANT UPDATE ({derived}) ON {t} TO {g['只读']}")
        elif name == "users":
            continue  # written only by the officer functions
        elif name in _ADMIN_TABLES:
            out.append(f"GRANT INSERT, UPDATE, DELETE ON {t} TO {g['管理员']}")
        elif name in _LEADER_TABLES or name == "settings":
            out.append(f"GRANT INSERT, UPDATE, DELETE ON {t} TO {leaders}")
        elif name in _BIN_TABLES:
            out.append(f"GRANT INSERT ON {t} TO {writers}")
            out.append(f"GRANT DELETE ON {t} TO {leaders}")  # limited by the policies below
            if name == "recycle_bin":
                restore = ", ".join(map(_q, _BIN_RESTORE_COLUMNS))
                out.append(f"GRANT UPDATE ({restore}) ON {t} TO {writers}")
        elif name == "recusal_applications":
            out.append(f"GRANT INSERT, UPDATE ON {t} TO {writers}")
            out.append(f"GRANT DELETE ON {t} TO {leaders}")
        else:
            out.append(f"GRANT INSERT, UPDATE, DELETE ON {t} TO {writers}")
    # row-level security
    for name in sorted(_RLS_TABLES & tables):
        out.append(f"ALTER TABLE {_q(name)} ENABLE ROW LEVEL SECURITY")
        for policy in (
            "fc_read",
            "fc_leaders",
            "fc_admin",
            "fc_acks",
            "fc_pending_insert",
            "fc_pending_update",
            "fc_insert",
            "fc_restore",
            "fc_case_removed",
        ):
            out.append(f"DROP POLICY IF EXISTS {policy} ON {_q(name)}")
        out.append(f"CREATE POLICY fc_read ON {_q(name)} FOR SELECT USING (true)")
    if "settings" in tables:
        out.append(
            f"CREATE POLICY fc_admin ON settings FOR ALL TO {g['管理员']} "
            "USING (true) WITH CHECK (true)"
        )
        out.append(
            f"CREATE POLICY fc_acks ON settings FOR ALL TO {g['调查组组长']} "
            f"USING (key LIKE {_lit(ACK_PREFIX + '%')}) "
            f"WITH CHECK (key LIKE {_lit(ACK_PREFIX + '%')})"
        )
    if "recusal_applications" in tables:
        pending = "decision = '' AND decided_on IS NULL AND decided_by = ''"
        out.append(
            f"CREATE POLICY fc_leaders ON recusal_applications FOR ALL TO {leaders} "
            "USING (true) WITH CHECK (true)"
        )
        out.append(
            f"CREATE POLICY fc_pending_insert ON recusal_applications FOR INSERT "
            f"TO {g['调查员']} WITH CHECK ({pending})"
        )
        out.append(
            f"CREATE POLICY fc_pending_update ON recusal_applications FOR UPDATE "
            f"TO {g['调查员']} USING ({pending}) WITH CHECK ({pending})"
        )
    if "recycle_bin" in tables:
        out.extend(_bin_policies(g, writers))
    out.extend(_officer_functions(team))
    return out


def _bin_policies(g: dict[str, str], writers: str) -> list[str]:
    """Row-level security of the 回收站: anyone who records may add and restore; an
    administrator may empty it; a leader may delete entries only of a case already removed."""
    gone = "NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = {case})"
    entry_gone = (
        "NOT EXISTS (SELECT 1 FROM recycle_bin b JOIN cases c ON c.id = b.case_id "
        "WHERE b.id = recycle_contents.entry_id)"
    )
    # the officer's name as services.recycle writes it (removed_by, restored_by)
    me = (
        "left(coalesce((SELECT u.display_name FROM users u WHERE u.login = session_user), "
        "session_user), 64)"
    )
    # an entry is added under the officer's own name, not yet restored
    added = {
        "recycle_bin": f"removed_by = {me} AND restored_at = '' AND restored_by = ''",
        "recycle_contents": "true",
    }
    out: list[str] = []
    for name, removed in (
        ("recycle_bin", gone.format(case="recycle_bin.case_id")),
        ("recycle_contents", entry_gone),
    ):
        t = _q(name)
        out.append(
            f"CREATE POLICY fc_insert ON {t} FOR INSERT TO {writers} WITH CHECK ({added[name]})"
        )
        out.append(f"CREATE POLICY fc_admin ON {t} FOR DELETE TO {g['管理员']} USING (true)")
        leader = g["调查组组长"]
        out.append(f"CREATE POLICY fc_case_removed ON {t} FOR DELETE TO {leader} USING ({removed})")
    # restored under the officer's own name, never another's
    out.append(
        f"CREATE POLICY fc_restore ON recycle_bin FOR UPDATE TO {writers} "
        f"USING (restored_at = '') WITH CHECK (restored_at <> '' AND restored_by = {me})"
    )
    return out


def _q_schema() -> str:
    return pg_audit.SCHEMA_PLACEHOLDER


OFFICER_FUNCTIONS = (
    "firecase_officer_privileged(text)",
    "firecase_officer_check(text)",
    "firecase_officer_ours(text)",
    "firecase_officer_require_ours(text)",
    "firecase_officer_admins()",
    "firecase_officer_label(text)",
    "firecase_officer_add(text, text, text, text)",
    "firecase_officer_set(text, text, text, boolean)",
    "firecase_officer_password(text, text)",
    "firecase_officer_sessions()",
    "firecase_officer_end_session(integer, text)",
)


def _officer_functions(team: TeamRoles) -> list[str]:
    sql = _OFFICER_SQL
    values = {
        ":owner": _lit(team.owner),
        ":officers": _lit(team.officers),
        ":admin": _lit(team.group("管理员")),
        ":leader": _lit(team.group("调查组组长")),
        ":investigator": _lit(team.group("调查员")),
        ":reader": _lit(team.group("只读")),
        ":verifier_pattern": _lit(_VERIFIER_PATTERN),
    }
    for key, value in values.items():
        sql = sql.replace(key, value)
    g = team.groups
    out = [sql]
    for fn in OFFICER_FUNCTIONS:
        out.append(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn in (
        "firecase_officer_add(text, text, text, text)",
        "firecase_officer_set(text, text, text, boolean)",
    ):
        out.append(f"GRANT EXECUTE ON FUNCTION {fn} TO {_q(g['管理员'])}")
    out.append(
        "GRANT EXECUTE ON FUNCTION firecase_officer_password(text, text) TO "
        + ", ".join(_q(n) for n in g.values())
    )
    out.append(
        "GRANT EXECUTE ON FUNCTION firecase_officer_check(text), firecase_officer_admins(), "
        "firecase_officer_sessions(), firecase_officer_end_session(integer, text) TO "
        + _q(g["管理员"])
    )
    # the provenance note of an imported case (``UnitOfWork.write_notes``): who may record
    out.append(
        "GRANT EXECUTE ON FUNCTION firecase_audit_note(text, text, text, integer, text) TO "
        + ", ".join(_q(g[r]) for r in ("管理员", "调查组组长", "调查员"))
    )
    return out


def _tables(conn: Connection) -> set[str]:
    rows = conn.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    ).scalars()
    return {str(r) for r in rows}


def apply_policy(conn: Connection, team: TeamRoles) -> None:
    """(Re)apply every GRANT, row-level policy, officer function and the audit triggers.

    Run as the owner role (or a superuser); idempotent.
    """
    pg_audit.install_audit(conn)
    pg_audit.run_sql(conn, *_statements(team, _tables(conn)))


SERVER_POWERS = ("pg_read_all_stats", "pg_signal_backend")
"""What the owner role holds for ``firecase_officer_sessions`` and ``_end_session``: the state
of others' sessions, and ending a session that is not a superuser's (the functions let an
administrator end only this team's officers' sessions on this database)."""


def grant_server_powers(conn: Connection, team: TeamRoles) -> None:
    """Grant the owner ``SERVER_POWERS`` (a superuser's connection: ``init_team`` and every
    upgrade by the database administrator)."""
    conn.exec_driver_sql(f"GRANT {', '.join(SERVER_POWERS)} TO {_q(team.owner)}")


def is_dba(conn: Connection) -> bool:
    """Whether the connection may create roles (a superuser or a CREATEROLE role)."""
    row = conn.execute(
        text("SELECT rolsuper, rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = session_user")
    ).one()
    return bool(row[0] or row[1])


def init_team(conn: Connection, *, admin_login: str, admin_name: str, verifier: str) -> TeamRoles:
    """Turn this FireCase database into team mode and create its first administrator.

    Creates the owner and the four group roles, hands every table, sequence and function of
    the schema to the owner, applies the policy and creates ``admin_login``. Needs a
    superuser; ``PermissionDeniedError`` otherwise. Idempotent for the roles and grants.
    """
    if not conn.execute(
        text("SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user")
    ).scalar():
        raise PermissionDeniedError(
            "启用团队模式需要数据库服务器的超级用户（如 postgres）连接执行。", field="db"
        )
    check_login(admin_login)
    team = team_roles(conn)
    existing = {
        str(r)
        for r in conn.execute(
            text("SELECT rolname FROM pg_catalog.pg_roles WHERE rolname LIKE :p"),
            {"p": team.prefix + "\\_%"},
        ).scalars()
    }
    refuse_foreign_roles(conn, team, existing)
    if team.owner not in existing:
        conn.exec_driver_sql(f"CREATE ROLE {_q(team.owner)} NOLOGIN CREATEROLE")
    for name in team.groups.values():
        if name not in existing:
            conn.exec_driver_sql(f"CREATE ROLE {_q(name)} NOLOGIN")
        conn.exec_driver_sql(f"GRANT {_q(name)} TO {_q(team.owner)} WITH ADMIN OPTION")
    schema = str(conn.execute(text("SELECT current_schema()")).scalar())
    conn.exec_driver_sql(f"GRANT USAGE, CREATE ON SCHEMA {_q(schema)} TO {_q(team.owner)}")
    conn.exec_driver_sql(f"REVOKE CREATE ON SCHEMA {_q(schema)} FROM PUBLIC")
    # FireCase needs no temporary tables; an officer's would only serve to shadow real ones
    database = str(conn.execute(text("SELECT current_database()")).scalar())
    if conn.execute(
        text("SELECT has_database_privilege('public', current_database(), 'TEMP')")
    ).scalar():
        # only when still granted: two team set-ups at once must not update the same row
        conn.exec_driver_sql(f"REVOKE TEMPORARY ON DATABASE {_q(database)} FROM PUBLIC")
    everyone = ", ".join(_q(n) for n in team.groups.values())
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {_q(schema)} TO {everyone}")
    if schema != "public":
        conn.exec_driver_sql(f"ALTER SCHEMA {_q(schema)} OWNER TO {_q(team.owner)}")
    for name in sorted(_tables(conn)):
        conn.exec_driver_sql(f"ALTER TABLE {_q(name)} OWNER TO {_q(team.owner)}")
    functions = conn.execute(
        text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND p.proname LIKE 'firecase\\_%'"
        )
    ).scalars()
    for fn in list(functions):
        conn.exec_driver_sql(f"ALTER FUNCTION {fn} OWNER TO {_q(team.owner)}")
    grant_server_powers(conn, team)
    conn.exec_driver_sql(f"SET LOCAL ROLE {_q(team.owner)}")
    apply_policy(conn, team)
    conn.exec_driver_sql("RESET ROLE")
    # existing FireCase users (from before team mode) are kept, deactivated, until re-added
    conn.execute(text("UPDATE users SET active = false WHERE login <> :l"), {"l": admin_login})
    exists = conn.execute(
        text("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = :l"), {"l": admin_login}
    ).first()
    if exists is None:
        conn.execute(
            text("SELECT firecase_officer_add(:l, :n, :g, :v)"),
            {"l": admin_login, "n": admin_name, "g": team.group("管理员"), "v": verifier},
        )
    else:
        raise ValidationError(
            f"服务器上已有名为“{admin_login}”的账号，请另选管理员登录名。", field="login"
        )
    return team


def drop_team(conn: Connection, team: TeamRoles, logins: list[str]) -> None:
    """Drop the team's roles and ``logins`` (tests and ``firecase team drop``); superuser."""
    for login in logins:
        conn.exec_driver_sql(f"DROP ROLE IF EXISTS {_q(login)}")
    for name in [*team.groups.values(), team.officers, team.owner]:
        exists = conn.execute(
            text("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = :n"), {"n": name}
        )
        if exists.first() is not None:
            conn.exec_driver_sql(f"DROP OWNED BY {_q(name)} CASCADE")
            conn.exec_driver_sql(f"DROP ROLE {_q(name)}")


def become_owner(conn: Connection) -> TeamRoles | None:
    """On a team database, act as the owner role for the upgrade (so what it creates belongs
    to the owner); refuse an officer who may not. None when not in team mode."""
    team = find_team(conn)
    if team is None:
        return None
    if not may_become_owner(conn, team):
        raise PermissionDeniedError(
            "服务器上的案卷需要升级到本版本 FireCase 的数据格式，只有数据库管理员可以升级。"
            "请数据库管理员以超级用户连接运行：firecase upgrade --db <数据库地址>。",
            field="db",
        )
    _act_as_owner(conn, team)
    return team


def _act_as_owner(conn: Connection, team: TeamRoles) -> None:
    """Take the team's upgrade lock (one upgrade or renewal at a time: two at once end in
    "tuple concurrently updated"), give the owner ``SERVER_POWERS`` when a superuser (a team set
    up before it held them, migration 0024) and act as the owner until the transaction ends."""
    conn.exec_driver_sql(
        "SELECT pg_advisory_xact_lock(hashtext(%(k)s))", {"k": f"firecase.upgrade.{team.prefix}"}
    )
    if is_superuser(conn):
        grant_server_powers(conn, team)
    conn.exec_driver_sql(f'SET LOCAL ROLE "{team.owner}"')


def is_superuser(conn: Connection) -> bool:
    """Whether the connection's login is a superuser."""
    return bool(
        conn.exec_driver_sql(
            "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user"
        ).scalar()
    )


def may_become_owner(conn: Connection, team: TeamRoles) -> bool:
    """Whether the connection may act as the team's owner (a superuser or a member of it)."""
    return bool(
        conn.exec_driver_sql(
            "SELECT r.rolsuper OR pg_has_role(session_user, %(o)s, 'MEMBER') "
            "FROM pg_catalog.pg_roles r WHERE r.rolname = session_user",
            {"o": team.owner},
        ).scalar()
    )


def holds_server_powers(conn: Connection, team: TeamRoles) -> bool:
    """Whether the owner holds every one of ``SERVER_POWERS``."""
    return bool(
        conn.exec_driver_sql(
            "SELECT bool_and(pg_has_role(%(o)s, p, 'MEMBER')) FROM unnest(%(p)s::text[]) p",
            {"o": team.owner, "p": list(SERVER_POWERS)},
        ).scalar()
    )


def grant_statement(team: TeamRoles) -> str:
    """The statement a superuser runs to give the owner ``SERVER_POWERS`` by hand."""
    return f"GRANT {', '.join(SERVER_POWERS)} TO {_q(team.owner)};"


def renew_team(conn: Connection) -> tuple[TeamRoles, bool] | None:
    """``firecase upgrade`` on a team database already at this version: renew its officer
    functions as the owner (a superuser also grants ``SERVER_POWERS``), so that running it
    always does what the messages that send the administrator to it say. Nothing that locks
    a table (the grants and policies on tables change only with a revision): it runs while
    officers work, and when one holds the data, which is when it is needed. The team and
    whether its owner now holds the powers; None when not in team mode or when the login may
    not act as the owner (nothing to do for an officer)."""
    team = find_team(conn)
    if team is None or not may_become_owner(conn, team):
        return None
    _act_as_owner(conn, team)
    pg_audit.run_sql(conn, *_officer_functions(team))
    conn.exec_driver_sql("RESET ROLE")
    return team, holds_server_powers(conn, team)
