"""Team mode on the real PostgreSQL server CI starts: officers are server logins, the server
enforces each role, the database writes the audit trail, and nobody acts as somebody else.

Every probe of the security review (docs/TEAM.md) is here, run against the server: psql as
each role trying what the role may not do; the client's own permission check switched off so
that only the server stands in the way; impersonation through every client path; a direct
psql edit audited under its login. (What ``verify`` finds in data edited behind FireCase's
back is tested with verify.) What the review of an officer with psql found, and the
founding document: ``test_pg_team_review.py``, which shares the ``team`` fixture.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from firecase.errors import PermissionDeniedError
from firecase.services import (
    cases,
    deadlines,
    permissions,
    reading,
    recusal,
    settings as settings_svc,
    team as team_svc,
    users,
)
from firecase.services.dto import (
    ExtensionInput,
    IncidentInput,
    MemberInput,
    RecusalApplicationInput,
    RecusalDecisionInput,
    SettingsInput,
    TeamSetupInput,
    UserInput,
)
from firecase.store import CaseFile, open_case_file, pg_team
from firecase.store.audit import verify_audit_chain
from firecase.store.casefile import alembic_config

pytestmark = pytest.mark.postgres

PG_URL = os.environ.get("FIRECASE_TEST_PG_URL")
D = dt.date
TODAY = D(2026, 4, 1)
PASSWORD = "Secret-2026"
ROLES = {"admin": "管理员", "zhou": "调查组组长", "chen": "调查员", "guest": "只读"}
NAMES = {"admin": "赵管理", "zhou": "周建国", "chen": "陈晓明", "guest": "孙只读"}


def _sv(cf: object) -> int:
    """The settings' version, to save them against."""
    return settings_svc.get_settings(cf).version  # type: ignore[arg-type]


@dataclass
class Team:
    """A fresh schema in team mode with one officer per role (logins get a unique suffix)."""

    schema: str
    suffix: str
    roles: pg_team.TeamRoles
    created: list[str] = field(default_factory=list)

    def login(self, who: str) -> str:
        return f"{who}_{self.suffix}"

    def url(self, who: str | None = None, password: str = PASSWORD) -> str:
        assert PG_URL
        url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={self.schema}"})
        if who is not None:
            url = url.set(
                username=self.login(who) if who in ROLES or who == "wang" else who,
                password=password,
            )
        return url.render_as_string(hide_password=False)

    def open(self, who: str, **kw: object) -> CaseFile:
        return open_case_file(self.url(who), **kw)  # type: ignore[arg-type]

    def psql(
        self, who: str, *statements: str, password: str = PASSWORD
    ) -> subprocess.CompletedProcess[str]:
        """Run ``statements`` with the psql program as ``who`` (one session, stop at error)."""
        args, env = self.psql_command(who, *statements, password=password)
        return subprocess.run(args, capture_output=True, text=True, env=env, timeout=60)

    def psql_command(
        self, who: str, *statements: str, password: str = PASSWORD
    ) -> tuple[list[str], dict[str, str]]:
        """The psql command line and environment that run ``statements`` as ``who``."""
        assert PG_URL
        url = make_url(PG_URL)
        args = [
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            str(url.host),
            "-p",
            str(url.port or 5432),
            "-U",
            self.login(who),
            "-d",
            str(url.database),
            "-c",
            f"SET search_path = {self.schema}",
        ]
        for sql in statements:
            args += ["-c", sql]
        env = {**os.environ, "PGPASSWORD": password, "PGCONNECT_TIMEOUT": "5"}
        return args, env


def _incident(title: str = "竟陵街道商铺火灾") -> IncidentInput:
    return IncidentInput(
        title=title,
        fire_date=D(2026, 3, 1),
        place="天门市竟陵街道",
        fire_type="建筑火灾",
        property_loss_yuan=Decimal("120000.00"),
        economic_loss_yuan=Decimal("650000.00"),
    )


def make_schema(schema: str | None = None) -> tuple[str, URL]:
    """A new schema on the test server (a fresh name unless given) and the superuser's URL
    of it."""
    assert PG_URL
    schema = schema or "t_" + uuid.uuid4().hex[:10]
    dba = create_engine(PG_URL)
    with dba.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    dba.dispose()
    return schema, make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})


@pytest.fixture
def team() -> Iterator[Team]:
    if not PG_URL:
        pytest.skip("FIRECASE_TEST_PG_URL not set")
    if shutil.which("psql") is None:
        pytest.skip("psql not installed")
    schema, url = make_schema()
    suffix = uuid.uuid4().hex[:6]
    dba = create_engine(PG_URL)
    with open_case_file(url.render_as_string(hide_password=False)) as cf:  # the superuser
        case = cases.open_case(cf, _incident(), today=TODAY)
        team_svc.add_member(
            cf,
            case.id,
            MemberInput("周建国", "天门市", "人民政府", "组长", D(2026, 3, 3)),
            today=TODAY,
        )
        member = team_svc.add_member(
            cf,
            case.id,
            MemberInput("陈晓明", "天门市", "消防救援机构", "成员", D(2026, 3, 3)),
            today=TODAY,
        )
        recusal.apply_recusal(
            cf,
            case.id,
            RecusalApplicationInput(member.id, "本人", "本人", 3, "有债务往来。", D(2026, 3, 5)),
            today=TODAY,
        )
        other = team_svc.add_member(
            cf,
            case.id,
            MemberInput("刘志强", "天门市", "消防救援机构", "成员", D(2026, 3, 3)),
            today=TODAY,
        )
        recusal.apply_recusal(
            cf,
            case.id,
            RecusalApplicationInput(other.id, "本人", "本人", 3, "系当事人近亲属。", D(2026, 3, 5)),
            today=TODAY,
        )
    engine = create_engine(url)
    with engine.begin() as conn:
        roles = pg_team.init_team(
            conn,
            admin_login=f"admin_{suffix}",
            admin_name=NAMES["admin"],
            verifier=pg_team.scram_verifier(PASSWORD),
        )
    engine.dispose()
    t = Team(schema, suffix, roles, created=[f"admin_{suffix}"])
    with t.open("admin") as cf:
        for who in ("zhou", "chen", "guest"):
            users.add_user(cf, UserInput(t.login(who), NAMES[who], ROLES[who]), password=PASSWORD)
            t.created.append(t.login(who))
    try:
        yield t
    finally:
        with dba.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            pg_team.drop_team(conn, roles, [*t.created, f"wang_{suffix}"])
        dba.dispose()


def _refused(result: subprocess.CompletedProcess[str]) -> bool:
    return result.returncode != 0 and (
        "permission denied" in result.stderr
        or "row-level security" in result.stderr
        or "审计" in result.stderr
        or "must have admin option" in result.stderr
        or "must be owner" in result.stderr
        or "只有管理员" in result.stderr
    )


# statement -> the roles that may run it (in a transaction rolled back afterwards)
PROBES: dict[str, set[str]] = {
    "SELECT count(*) FROM cases": {"admin", "zhou", "chen", "guest"},
    "UPDATE cases SET property_loss_yuan = 1": {"admin", "zhou", "chen"},
    "UPDATE cases SET team_formed_on = DATE '2026-03-02'": {"admin", "zhou"},
    "DELETE FROM cases": {"admin", "zhou"},
    "INSERT INTO extensions (case_id, days, requested_on, reason, approved_by, approval_ref,"
    " approved_late, late_confirmed_by, version) SELECT id, 30, DATE '2026-04-01', '补充鉴定',"
    " '', '', false, '', 1 FROM cases": {"admin", "zhou"},
    "UPDATE recusal_applications SET decision = '批准', decided_on = DATE '2026-03-06',"
    " decided_by = '周建国'": {"admin", "zhou"},
    "UPDATE recusal_applications SET reason = '补充说明'": {"admin", "zhou", "chen"},
    "INSERT INTO settings (key, value) VALUES ('deadline.roll', '0')": {"admin"},
    "INSERT INTO settings (key, value) VALUES ('team_ack:1:x', '{}')": {"admin", "zhou"},
    "INSERT INTO calendar_years (year, source) VALUES (2031, 'user')": {"admin"},
    # an issued document is added by any writer and never changed
    "INSERT INTO case_documents (case_id, kind, subject, number, year, serial, issued_on, title,"
    " file_name, file_format, sha256, size, issued_by, recorded_at, anchor, content)"
    " SELECT id, 'team_notice', '', '天消发〔2026〕9号', 2026, 9, DATE '2026-03-15', '通知',"
    " 'a.pdf', 'pdf', repeat('0', 64), 1, 'chen', '2026-03-15T00:00:00+00:00', '', ''"
    " FROM cases": {"admin", "zhou", "chen"},
    "UPDATE case_documents SET number = '天消发〔2026〕1号'": set(),
    # nobody, whatever their role: the users table, the audit trail, the owner, the schema
    "UPDATE users SET role = '管理员'": set(),
    "DELETE FROM audit_log": set(),
    "UPDATE audit_log SET actor = 'someone'": set(),
    "TRUNCATE audit_log": set(),
    "UPDATE audit_head SET last_seq = 1": set(),
    "ALTER TABLE cases DISABLE TRIGGER firecase_audit": set(),
    "CREATE TABLE stray (id integer)": set(),
}


@pytest.mark.parametrize("who", ["guest", "chen", "zhou", "admin"])
def test_psql_as_each_role_may_do_only_what_the_role_may(team: Team, who: str) -> None:
    for sql, allowed in PROBES.items():
        result = team.psql(who, "BEGIN", sql, "ROLLBACK")
        if who in allowed:
            assert result.returncode == 0, (who, sql, result.stderr)
        else:
            assert _refused(result), (who, sql, result.returncode, result.stderr)


def test_psql_escalation_attempts_are_refused(team: Team) -> None:
    admin_group = team.roles.group("管理员")
    for who in ("guest", "chen", "zhou"):
        me = team.login(who)
        for sql in (
            f'GRANT "{admin_group}" TO {me}',
            f'SET ROLE "{team.roles.owner}"',
            f"SELECT firecase_officer_set('{me}', '我', '{admin_group}', true)",
            f"SELECT firecase_officer_add('x{me}', '我', '{admin_group}', 'SCRAM-SHA-256$1:a$b:c')",
        ):
            result = team.psql(who, sql)
            assert result.returncode != 0, (who, sql)
            assert (
                "permission denied" in result.stderr
                or "must have admin option" in (result.stderr)
                or "只有管理员" in result.stderr
            ), result.stderr
    # even an administrator cannot take over the server's superuser or the owner role
    superuser = make_url(PG_URL or "").username
    for target in (superuser, team.roles.owner):
        result = team.psql(
            "admin", f"SELECT firecase_officer_set('{target}', 'x', '{admin_group}', true)"
        )
        assert result.returncode != 0 and target is not None, result.stderr
    result = team.psql(
        "admin",
        f"SELECT firecase_officer_add('plain_{team.suffix}', '明文', '{admin_group}', 'secret')",
    )
    assert result.returncode != 0 and "SCRAM" in result.stderr


def test_a_psql_edit_is_audited_under_its_login(team: Team) -> None:
    result = team.psql("chen", "UPDATE cases SET property_loss_yuan = 7.5")
    assert result.returncode == 0, result.stderr
    with team.open("admin") as cf, cf.connect() as conn:
        row = conn.execute(
            text(
                "SELECT actor, action, entity, field, old_value, new_value FROM audit_log "
                "ORDER BY seq DESC LIMIT 1"
            )
        ).one()
        assert tuple(row) == (
            team.login("chen"),
            "update",
            "cases",
            "property_loss_yuan",
            "120000.00",
            "7.50",
        )
        assert verify_audit_chain(conn).ok


def test_the_client_check_switched_off_leaves_the_server_refusing(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(permissions, "check", lambda *a, **k: None)
    with team.open("guest") as cf, pytest.raises(PermissionDeniedError, match="数据库服务器拒绝"):
        cases.open_case(cf, _incident("只读者的案件"), today=TODAY)
    with team.open("chen") as cf:
        case_id = reading.list_cases(cf).rows[0].id
        with pytest.raises(PermissionDeniedError, match="数据库服务器拒绝"):
            deadlines.request_extension(
                cf, case_id, ExtensionInput(30, D(2026, 4, 20), "需补充鉴定。"), today=TODAY
            )
        with pytest.raises(PermissionDeniedError, match="数据库服务器拒绝"):
            settings_svc.update_settings(
                cf, SettingsInput("天门市消防救援大队", "天消调"), expected_version=_sv(cf)
            )
        detail = reading.get_case(cf, case_id, today=TODAY)
        app = max(detail.recusals, key=lambda r: r.id)
        leader = next(m for m in detail.members if m.name == "周建国")
        with pytest.raises(PermissionDeniedError, match="行级安全策略"):
            recusal.decide_recusal(
                cf,
                app.id,
                RecusalDecisionInput("批准", D(2026, 3, 6), "", "符合第十五条第三项。", leader.id),
                expected_version=app.version,
                today=TODAY,
            )
        summary = reading.get_case_summary(cf, case_id)
        with pytest.raises(PermissionDeniedError, match="数据库服务器拒绝"):
            cases.set_team_setup(
                cf, case_id, TeamSetupInput(D(2026, 3, 3)), expected_version=summary.version
            )
    with (
        team.open("zhou") as cf,
        pytest.raises(PermissionDeniedError, match=r"数据库服务器拒绝|只有管理员"),
    ):
        users.add_user(cf, UserInput(f"wang_{team.suffix}", "王五", "管理员"), password=PASSWORD)
    with team.open("admin") as cf, cf.connect() as conn:
        assert verify_audit_chain(conn).ok
        assert conn.execute(text("SELECT count(*) FROM extensions")).scalar() == 0


def test_nobody_acts_as_somebody_else(team: Team, tmp_path: Path) -> None:
    admin = team.login("admin")
    # open_case_file(url, user=...) as another login
    with pytest.raises(PermissionDeniedError, match="不能以"):
        team.open("guest", user=admin)
    with team.open("guest") as cf:
        assert cf.user == team.login("guest") and cf.team is not None
        assert users.login_choices(cf) == ()  # nothing to pick from
        assert not users.needs_login(cf)
        me = users.current_user(cf)
        assert (me.login, me.role, me.display_name) == (team.login("guest"), "只读", "孙只读")
        # actor= on a service
        with pytest.raises(PermissionDeniedError, match="不能以"):
            cases.open_case(cf, _incident(), actor=admin, today=TODAY)
        # sign in as somebody else
        with pytest.raises(PermissionDeniedError, match="不能切换"):
            users.sign_in(cf, admin)
        # changing the case file's user behind the services' back
        cf.user = admin
        with pytest.raises(PermissionDeniedError, match="不能以"):
            reading.list_cases(cf)
        cf.user = team.login("guest")
        # the 只读 officer promoting himself
        mine = next(u for u in users.list_users(cf) if u.login == team.login("guest"))
        with pytest.raises(PermissionDeniedError):
            users.update_user(
                cf,
                mine.login,
                UserInput(mine.login, mine.display_name, "管理员"),
                expected_version=mine.version,
            )
        assert users.current_user(cf).role == "只读"
    # --user on the command line
    out = subprocess.run(
        [sys.executable, "-m", "firecase", "--user", admin, "clocks", "--db", team.url("guest")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in out.stdout + out.stderr
    for cmd in (
        ["demo", "--user", admin],
        ["export", "X", "--user", admin, "-o", str(tmp_path / "x.fcase")],
    ):
        out = subprocess.run(
            [sys.executable, "-m", "firecase", *cmd, "--db", team.url("guest")],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 2 and "不能以" in out.stdout, out.stdout + out.stderr


def test_a_login_that_is_no_officer_of_the_team_is_refused(team: Team) -> None:
    stranger = f"wang_{team.suffix}"
    assert PG_URL
    dba = create_engine(PG_URL)
    with dba.begin() as conn:
        conn.execute(text(f"CREATE ROLE {stranger} LOGIN PASSWORD '{PASSWORD}'"))
    dba.dispose()
    # the schema is not even visible to it (no USAGE); given USAGE, it may still read nothing
    # (no SELECT); in the public schema the unit of work's identity check refuses it too
    # (store.uow.resolve_server_actor)
    with (
        pytest.raises(PermissionDeniedError, match="不是本案卷的用户"),
        open_case_file(team.url(stranger)) as cf,
    ):
        reading.list_cases(cf)
    dba = create_engine(PG_URL)
    with dba.begin() as conn:
        conn.execute(text(f'GRANT USAGE ON SCHEMA "{team.schema}" TO {stranger}'))
    dba.dispose()
    with pytest.raises(PermissionDeniedError, match="不是本案卷的用户"):
        open_case_file(team.url(stranger)).close()


def test_administrator_manages_officers_on_the_server(
    team: Team, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``firecase users …``: the first command through the real entry point in a process of
    its own (its password on a real standard input), the others through ``cli.main``."""
    import io

    from firecase.cli import main

    wang = f"wang_{team.suffix}"
    db = ["--db", team.url("admin")]
    cli = (sys.executable, "-m", "firecase", "users")
    weak = subprocess.run(
        [*cli, "add", wang, "--name", "王五", "--role", "调查员", "--password-stdin", *db],
        input="123\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert weak.returncode == 2 and "至少 8 个字符" in weak.stdout

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["users", *args, *db])
        return subprocess.CompletedProcess(list(args), code, capsys.readouterr().out, "")

    bad = run(
        "add",
        "王五",
        "--name",
        "王五",
        "--role",
        "调查员",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert bad.returncode == 2 and "登录名" in bad.stdout
    added = run(
        "add", wang, "--name", "王五", "--role", "调查员", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert added.returncode == 0, added.stdout
    assert team.psql("wang", "SELECT 1").returncode == 0  # a real login, with that password
    assert run("role", wang, "只读").returncode == 0
    assert _refused(team.psql("wang", "UPDATE cases SET title = 'x'"))
    assert run("disable", wang).returncode == 0
    denied = team.psql("wang", "SELECT 1")
    assert denied.returncode != 0 and "not permitted to log in" in denied.stderr
    assert run("enable", wang).returncode == 0
    assert team.psql("wang", "SELECT 1").returncode == 0
    new = "Another-2027"
    assert run("password", wang, "--password-stdin", stdin=new + "\n").returncode == 0
    assert team.psql("wang", "SELECT 1").returncode != 0
    assert team.psql("wang", "SELECT 1", password=new).returncode == 0
    listed = run("list")
    assert f"{wang}\t王五\t只读\t在用" in listed.stdout
    # the last administrator cannot be deactivated or re-roled
    last = run("disable", team.login("admin"))
    assert last.returncode == 2 and "至少要保留一名在用的管理员" in last.stdout
    with team.open("admin") as cf, cf.connect() as conn:
        actors = set(
            conn.execute(
                text("SELECT DISTINCT actor FROM audit_log WHERE entity = 'users'")
            ).scalars()
        )
        assert team.login("admin") in actors  # who added and changed officers is audited


def test_an_officer_cannot_upgrade_the_server_database(team: Team) -> None:
    assert PG_URL
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={team.schema}"})
    dba = create_engine(url)
    with dba.begin() as conn:
        # one revision back (the newest migration's own downgrade): an upgrade an officer
        # may not run
        conn.execute(text("SET LOCAL session_replication_role = replica"))  # no audit rows
        command.downgrade(alembic_config(conn), "-1")
        previous = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    with pytest.raises(PermissionDeniedError, match="只有数据库管理员可以升级"):
        team.open("admin")
    out = subprocess.run(
        [sys.executable, "-m", "firecase", "upgrade", "--db", team.url("admin")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2 and "firecase upgrade" in out.stdout, out.stdout
    out = subprocess.run(  # the superuser
        [
            sys.executable,
            "-m",
            "firecase",
            "upgrade",
            "--db",
            url.render_as_string(hide_password=False),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0 and f"已从数据版本 {previous} 升级" in out.stdout, out.stdout
    with open_case_file(url.render_as_string(hide_password=False)) as cf:
        assert cf.upgraded_from is None and cf.team is not None
    dba.dispose()
    with team.open("chen") as cf:  # after the upgrade the grants still hold
        assert users.current_user(cf).role == "调查员"
        assert reading.list_cases(cf).total == 1
