"""Attacker's review of migration 0025 (deactivation ends sessions, the sessions list, ending
by (pid, login), the ``<prefix>_officers`` marker, ``firecase upgrade`` renewing at head).

Each test FAILS on the code under review when the defect is real; the comment above the final
assertion says what was expected and what happens instead."""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterator

import psycopg
import pytest
import test_pg_team as pg
from sqlalchemy import create_engine, make_url, text
from test_pg_team import PASSWORD, PG_URL, TODAY, Team

from firecase.cli import main
from firecase.errors import FirecaseError, PermissionDeniedError, ValidationError
from firecase.services import cases, sessions, users
from firecase.services.dto import UserInput
from firecase.store import casefile, open_case_file, pg_team

pytestmark = pytest.mark.postgres

team = pg.team


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _connect(
    login: str, *, schema: str | None = None, password: str = PASSWORD, dbname: str | None = None
) -> psycopg.Connection:
    assert PG_URL
    url = make_url(PG_URL)
    kw: dict[str, object] = {
        "host": url.host,
        "port": url.port or 5432,
        "dbname": dbname or url.database,
        "user": login,
        "password": password,
        "connect_timeout": 5,
    }
    if schema:
        kw["options"] = f"-csearch_path={schema}"
    return psycopg.connect(**kw)  # type: ignore[arg-type]


def _su() -> psycopg.Connection:
    assert PG_URL
    url = make_url(PG_URL)
    return psycopg.connect(
        host=url.host,
        port=url.port or 5432,
        dbname=url.database,
        user=url.username,
        password=url.password,
        autocommit=True,
    )


def _pid_of(login: str, timeout: float = 10) -> int:
    """The (one) backend of ``login``, as a superuser sees it now."""
    with _su() as su:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            row = su.execute(
                "SELECT pid FROM pg_stat_activity WHERE usename = %s ORDER BY backend_start",
                (login,),
            ).fetchone()
            if row:
                return int(row[0])
            time.sleep(0.05)
    raise AssertionError(f"{login} never connected")


def _alive(pid: int) -> bool:
    with _su() as su:
        return bool(
            su.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()[0]
        )  # type: ignore[index]


def _wait_gone(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


def _sleeper(team: Team, who: str, *before: str) -> subprocess.Popen[str]:
    args, env = team.psql_command(who, *before, "SELECT pg_sleep(30)")
    return subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _kill(*procs: subprocess.Popen[str] | None) -> None:
    for proc in procs:
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()


def _terminate_all(login: str) -> None:
    with _su() as su:
        su.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (login,)
        )


def _endings(team: Team) -> list[str]:
    with _su() as su:
        su.execute(f'SET search_path = "{team.schema}"')
        rows = su.execute(
            "SELECT new_value FROM audit_log WHERE action = 'end' AND entity = 'server_sessions'"
        ).fetchall()
    return [str(r[0]) for r in rows]


def _leftover_row(team: Team, login: str) -> None:
    """A ``users`` row as a case file kept it from before team mode (as in the 0025 tests)."""
    with _su() as su:
        su.execute(f'SET search_path = "{team.schema}"')
        su.execute(
            "INSERT INTO users (login, display_name, role, active, created_on, version) "
            "VALUES (%s, '旧用户', '调查员', false, current_date, 1)",
            (login,),
        )


@pytest.fixture
def other_team(team: Team) -> Iterator[Team]:
    """A second team on the same server and database (another schema), like two detachments
    sharing the unit's PostgreSQL server. Its admin is ``admin`` (login ``admin_<suffix>``)."""
    assert PG_URL
    schema, url = pg.make_schema()
    suffix = uuid.uuid4().hex[:6]
    dba = create_engine(PG_URL)
    with open_case_file(url.render_as_string(hide_password=False)) as cf:
        cases.open_case(cf, pg._incident("另一支队的案件"), today=TODAY)
    engine = create_engine(url)
    with engine.begin() as conn:
        roles = pg_team.init_team(
            conn,
            admin_login=f"admin_{suffix}",
            admin_name="钱管理",
            verifier=pg_team.scram_verifier(PASSWORD),
        )
    engine.dispose()
    t = Team(schema, suffix, roles, created=[f"admin_{suffix}"])
    try:
        yield t
    finally:
        with dba.begin() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ANY(:u)"
                ),
                {"u": t.created},
            )
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            pg_team.drop_team(conn, roles, t.created)
        dba.dispose()


# --------------------------------------------------------------------------------------------
# 1. A member of the owner role who is also one of the team's officers: another 管理员 resets
#    its password (and so becomes the owner: CREATEROLE on PostgreSQL 15), or deactivates it.
# --------------------------------------------------------------------------------------------


def test_an_owner_member_is_the_databases_administrator_not_the_teams(team: Team) -> None:
    """The database administrator makes the leader zhou a member of the owner role (so that
    zhou may run ``firecase upgrade``, as TEAM.md allows). The team's 管理员 reset zhou's
    password through ``firecase_officer_password`` and logged in as zhou: SET ROLE owner, i.e.
    CREATEROLE (on PostgreSQL < 16: GRANT any non-superuser role, e.g.
    pg_execute_server_program, to anyone) and ownership of every table (triggers off). And
    disabling zhou ended the database administrator's sessions (an upgrade under way)."""
    zhou = team.login("zhou")
    with _su() as su:
        su.execute(f'GRANT "{team.roles.owner}" TO "{zhou}"')
    holder = _sleeper(team, "zhou")
    try:
        pid = _pid_of(zhou)
        with team.open("admin") as cf:
            with pytest.raises(PermissionDeniedError, match="数据库服务器的管理账号"):
                users.set_password(cf, zhou, "Taken-over-2026")
            current = {u.login: u for u in users.list_users(cf)}[zhou]
            with pytest.raises(PermissionDeniedError, match="数据库服务器的管理账号"):
                users.update_user(
                    cf,
                    zhou,
                    UserInput(zhou, current.display_name, current.role, False),
                    expected_version=current.version,
                )
        taken = team.psql(
            "zhou",
            f'SET ROLE "{team.roles.owner}"',
            "SELECT current_user",
            password="Taken-over-2026",
        )
        assert taken.returncode != 0, taken.stdout  # its password is its own
        assert _alive(pid), "the owner member's session was terminated by the team's 管理员"
    finally:
        _kill(holder)
        with _su() as su:
            su.execute(f'ALTER ROLE "{zhou}" LOGIN')
            su.execute(f'REVOKE "{team.roles.owner}" FROM "{zhou}"')


# --------------------------------------------------------------------------------------------
# 2. The audit row of an ending is rolled back with the caller's transaction; the ending is
#    not (pg_terminate_backend is not transactional).
# --------------------------------------------------------------------------------------------


def _server_log() -> str:
    """The server's log (Debian's ``pg_ctlcluster`` writes it under /var/log/postgresql), or
    "" where it cannot be read."""
    from pathlib import Path

    with _su() as su:
        name = str(su.execute("SHOW cluster_name").fetchone()[0])  # type: ignore[index]
    path = Path("/var/log/postgresql") / f"postgresql-{name.replace('/', '-')}.log"
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


def test_an_ending_rolled_back_is_still_in_the_servers_log(team: Team) -> None:
    """The ending cannot wait for the commit (the session to end may hold the audit chain's
    head, which the audit row needs), so a 管理员 who calls the function in a transaction and
    rolls it back removes the audit row; the server's log, written before the session is
    signalled, keeps it (the review's finding: the ending was nowhere). Both ways: ending the
    session, and deactivating its officer."""
    chen = team.login("chen")
    group = team.roles.group("调查员")
    for how in ("end_session", "deactivate"):
        holder = _sleeper(team, "chen")
        try:
            pid = _pid_of(chen)
            call = (
                f"SELECT firecase_officer_end_session({pid}, '{chen}')"
                if how == "end_session"
                else f"SELECT firecase_officer_set('{chen}', '陈晓明', '{group}', false)"
            )
            result = team.psql("admin", "BEGIN", call, "ROLLBACK")
            assert result.returncode == 0, result.stderr
            assert _wait_gone(pid)
            log = _server_log()
            if not log:
                pytest.skip("the server's log cannot be read here")
            said = (
                f"FireCase: {team.login('admin')} ends session {pid} of {chen}"
                if how == "end_session"
                else f"FireCase: {team.login('admin')} deactivates {chen} and ends session {pid}"
            )
            assert said in log, how
        finally:
            _kill(holder)


# --------------------------------------------------------------------------------------------
# 3. Deactivation is impossible while the officer holds the audit chain's head (an open
#    write): the UPDATE of users waits on it before any session is ended.
# --------------------------------------------------------------------------------------------


def test_an_officer_holding_an_open_write_is_still_deactivated(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(casefile, "SERVER_LOCK_WAIT_MS", 1500)
    chen = team.login("chen")
    # an investigator's open write: holds audit_head FOR UPDATE until the transaction ends
    holder = _sleeper(team, "chen", "BEGIN", "UPDATE cases SET property_loss_yuan = 7")
    try:
        pid = _pid_of(chen)
        time.sleep(0.5)
        error = None
        with team.open("admin") as cf:
            current = {u.login: u for u in users.list_users(cf)}[chen]
            try:
                users.update_user(
                    cf,
                    chen,
                    UserInput(chen, current.display_name, current.role, False),
                    expected_version=current.version,
                )
            except FirecaseError as exc:
                error = exc.message
        # expected: deactivation ends chen's sessions (the point of 0025: nobody keeps the
        # data locked past it); actual: "另一个连接正在占用…" after the lock wait, chen stays
        # connected, active and holding the data (a script reconnecting after each
        # end-session keeps the officer undeactivatable through FireCase)
        assert error is None and _wait_gone(pid), error
    finally:
        _kill(holder)
        _terminate_all(chen)


# --------------------------------------------------------------------------------------------
# 4. "Ended only while it is still that officer's": the check reads pg_stat_activity, which
#    is a snapshot taken at its first use in the transaction. In a transaction that listed the
#    sessions earlier, a number reused since then is ended whoever has it now -- another
#    database's session, another program's login.
# --------------------------------------------------------------------------------------------


def _take_pid(pid: int, login: str, password: str) -> psycopg.Connection | None:
    """A new session of ``login`` on database ``postgres`` whose backend gets ``pid`` (Linux:
    the next pid is ns_last_pid + 1). None when this machine does not let us steer it."""
    for _ in range(20):
        try:
            with open("/proc/sys/kernel/ns_last_pid", "w") as f:
                f.write(str(pid - 1))
        except OSError:
            return None
        conn = _connect(login, password=password, dbname="postgres")
        if conn.info.backend_pid == pid:
            return conn
        conn.close()
        time.sleep(0.05)
    return None


def test_end_session_does_not_end_a_reused_number_in_a_long_transaction(team: Team) -> None:
    chen = team.login("chen")
    bystander = f"bystander_{uuid.uuid4().hex[:6]}"
    with _su() as su:
        su.execute(f"CREATE ROLE {bystander} LOGIN PASSWORD 'Bystander-2026'")
    admin = _connect(team.login("admin"), schema=team.schema)  # a transaction, as with psql
    victim = None
    try:
        officer = _connect(
            chen,
            schema=team.schema,
        )
        pid = officer.info.backend_pid
        listed = [r[0] for r in admin.execute("SELECT pid FROM firecase_officer_sessions()")]
        assert pid in listed
        officer.close()
        assert _wait_gone(pid)
        victim = _take_pid(pid, bystander, "Bystander-2026")
        try:
            ended = admin.execute(
                "SELECT firecase_officer_end_session(%s, %s)", (pid, chen)
            ).fetchone()[0]  # type: ignore[index]
        except psycopg.Error:
            ended = None  # refused: what should happen
        admin.rollback()
        if victim is None:
            # could not steer the pid: still, the session is gone and the check passed
            # expected: refused ("连接 … 不是用户…的连接，或已经结束"); actual: it returns
            # false, the check having read the transaction's stale snapshot
            assert ended is None, "the login check passed on a session that had ended"
        else:
            time.sleep(0.3)
            # expected: refused; actual: the bystander's session on database "postgres"
            # (no officer, no team) is terminated and the trail says chen's was
            assert ended is None and _alive(pid), "another database's session was ended"
    finally:
        admin.close()
        if victim is not None:
            victim.close()
        _terminate_all(bystander)
        with _su() as su:
            su.execute(f"DROP ROLE {bystander}")


# --------------------------------------------------------------------------------------------
# 5. The session list trusts any users row: a row left from before team mode that names
#    another team's officer lets this team's 管理员 end that officer's sessions (0025 guarded
#    firecase_officer_set/_password against exactly such rows, not the sessions functions).
# --------------------------------------------------------------------------------------------


def test_a_leftover_users_row_does_not_expose_another_teams_officer(
    team: Team, other_team: Team
) -> None:
    foreign = other_team.login("admin")  # the other team's 管理员, created by its init
    _leftover_row(team, foreign)
    args, env = other_team.psql_command("admin", "SELECT pg_sleep(30)")
    holder = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        pid = _pid_of(foreign)
        with team.open("admin") as cf:
            listed = {x.pid: x.login for x in sessions.list_sessions(cf)}
            if pid in listed:
                sessions.end_session(cf, pid, foreign)
        # expected: another team's officer is neither listed nor ended (TEAM.md: "never …
        # another team's"); actual: listed under "旧用户" and ended by this team's 管理员
        assert pid not in listed and _alive(pid)
    finally:
        _kill(holder)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# 6. The marker role is taken over if a role of that name already exists: another team's
#    管理员 creates a *login* called "<prefix>_officers" before this team's policy creates the
#    marker (a team set up before 0025, upgraded later); the DO block reuses it and makes
#    every officer of this team a member of the other team's login -- which carries whatever
#    groups that team gives it.
# --------------------------------------------------------------------------------------------


def test_a_foreign_role_named_like_the_marker_is_not_adopted(team: Team, other_team: Team) -> None:
    marker = team.roles.officers
    with _su() as su:  # the team as 0024 left it: no marker yet
        su.execute(f'DROP OWNED BY "{marker}"')
        su.execute(f'DROP ROLE "{marker}"')
    # another team's 管理员 may not create a login so named, through FireCase or the server
    with other_team.open("admin") as cf, pytest.raises(ValidationError, match="_officers"):
        users.add_user(cf, UserInput(marker, "占位", "管理员"), password=PASSWORD)
    refused = other_team.psql(
        "admin",
        f"SELECT firecase_officer_add('{marker}', '占位', '{other_team.roles.group('管理员')}', "
        f"'{pg_team.scram_verifier(PASSWORD)}')",
    )
    assert refused.returncode != 0 and "不符合要求" in refused.stderr, refused.stderr
    # a login of that name made some other way (by a superuser, for another program)
    with _su() as su:
        su.execute(f"CREATE ROLE \"{marker}\" LOGIN PASSWORD '{PASSWORD}'")
        su.execute(f'GRANT "{other_team.roles.group("管理员")}" TO "{marker}"')
    other_team.created.append(marker)
    assert main(["upgrade", "--db", team.url()]) == 2  # refused, in Chinese
    with _su() as su:
        inherited = su.execute(
            "SELECT pg_has_role(%s, %s, 'MEMBER')",
            (team.login("guest"), other_team.roles.group("管理员")),
        ).fetchone()[0]  # type: ignore[index]
    # expected: the upgrade refuses when a role of that name exists that is not the team's;
    # it was adopted, and this team's 只读 officer became a member of the other team's 管理员
    assert not inherited, "this team's officers inherit the other team's 管理员 group"


# --------------------------------------------------------------------------------------------
# 7. Robustness: `firecase upgrade` at head while another renewal (a second administrator's
#    `firecase upgrade`, or the GUI's) is under way prints the server's English.
# --------------------------------------------------------------------------------------------


def test_two_upgrades_at_head_at_once_are_told_in_chinese(team: Team) -> None:
    import sys

    from firecase.store import pg_audit

    first = _su()
    first.autocommit = False
    first.execute(f'SET search_path = "{team.schema}"')
    # the first renewal, not yet committed (what renew_team runs, as the owner, under the
    # team's upgrade lock)
    first.execute(
        "SELECT pg_advisory_xact_lock(hashtext(%s))", (f"firecase.upgrade.{team.roles.prefix}",)
    )
    first.execute(f'SET LOCAL ROLE "{team.roles.owner}"')
    for sql in pg_team._officer_functions(team.roles):
        first.execute(sql.replace(pg_audit.SCHEMA_PLACEHOLDER, f'"{team.schema}"'))
    second = subprocess.Popen(
        [sys.executable, "-m", "firecase", "upgrade", "--db", team.url()],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)  # the second waits on the first's rows of pg_proc
        first.commit()
        out, err = second.communicate(timeout=60)
    finally:
        first.close()
        _kill(second)
    # expected: done, or refused in Chinese ("另一位管理员正在升级…，请稍后重试"); actual:
    # "错误：数据库错误：tuple concurrently updated" (the server's English, SQLSTATE XX000)
    assert "Traceback" not in err
    assert "concurrently" not in out, out


def test_a_team_whose_role_prefix_collides_with_anothers_is_refused(team: Team) -> None:
    """Role names come from the database and schema names ("a" + "b" and "a_b" give one
    prefix; "x-1" and "x_1" too): the second team would have taken the first one's roles, its
    administrators becoming the other's. Its init is refused while the first team's owner
    owns another schema's tables."""
    assert PG_URL
    twin = team.schema.replace("_", "-", 1)  # "t-…": the same prefix as "t_…"
    dba = create_engine(PG_URL)
    _, url = pg.make_schema(twin)
    try:
        with open_case_file(url.render_as_string(hide_password=False)) as cf:
            cases.open_case(cf, pg._incident("同名前缀的案卷"), today=TODAY)
        engine = create_engine(url)
        with engine.begin() as conn:
            assert pg_team.team_roles(conn).prefix == team.roles.prefix
            with pytest.raises(ValidationError, match="已属于另一个案卷"):
                pg_team.init_team(
                    conn,
                    admin_login=f"twin_{team.suffix}",
                    admin_name="钱管理",
                    verifier=pg_team.scram_verifier(PASSWORD),
                )
        engine.dispose()
    finally:
        with dba.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{twin}" CASCADE'))
        dba.dispose()
