"""Ending sessions: the gaps the attacker's review found in migration 0024 (closed by 0025).

- An officer deactivated while connected kept the session (NOLOGIN refuses new connections
  only) and, no longer in a group, dropped off the 管理员's list: nobody but a superuser could
  end it. Deactivation now ends it, and the list shows it when the server may not.
- ``firecase upgrade`` on a team already at this version granted nothing, though the message
  for missing powers sends the administrator to it.
- A member of the owner role (a database administrator's login) was listed and could be ended.
- A session number can be reused between the list and the ending: the login is checked.
- The officer whose session was ended read PostgreSQL's English under a Chinese prefix."""

from __future__ import annotations

import subprocess
import uuid

import pytest
import test_pg_team as pg
from sqlalchemy import create_engine, text
from test_pg_locks import _hold
from test_pg_team import PASSWORD, PG_URL, TODAY, Team

from firecase.cli import main
from firecase.errors import CaseFileError, ValidationError
from firecase.services import reading, sessions, users
from firecase.services.dto import PartyInput, UserInput
from firecase.services.parties import add_party
from firecase.store import pg_team

pytestmark = pytest.mark.postgres

team = pg.team

LOCK = "LOCK TABLE parties IN ACCESS EXCLUSIVE MODE"


def _deactivate(team: Team, who: str) -> None:
    with team.open("admin") as cf:
        current = {u.login: u for u in users.list_users(cf)}[team.login(who)]
        users.update_user(
            cf,
            current.login,
            UserInput(current.login, current.display_name, current.role, False),
            expected_version=current.version,
        )


def _endings(team: Team) -> list[tuple[str, str]]:
    """The audit trail's rows of ended sessions: (who ended it, what it records)."""
    dba = create_engine(team.url())
    with dba.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT actor, new_value FROM audit_log WHERE action = 'end' "
                "AND entity = 'server_sessions' ORDER BY seq"
            )
        ).all()
    dba.dispose()
    return [(str(a), str(n)) for a, n in rows]


def _kill(*procs: subprocess.Popen[str]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_deactivating_an_officer_ends_their_sessions(team: Team) -> None:
    holder = _hold(team, "chen", LOCK, "parties")
    try:
        _deactivate(team, "chen")
        assert holder.wait(timeout=30) != 0  # its transaction rolled back, the lock let go
        [(actor, recorded)] = _endings(team)  # in the trail, under the administrator
        assert actor == team.login("admin")
        assert f'"login": "{team.login("chen")}"' in recorded and '"deactivated"' in recorded
        with team.open("zhou") as cf:
            case_id = reading.list_cases(cf).rows[0].id
            add_party(cf, case_id, PartyInput("个人", "张三"), today=TODAY)
        refused = team.psql("chen", "SELECT 1")
        assert refused.returncode != 0 and "not permitted to log in" in refused.stderr
    finally:
        _kill(holder)


def test_without_the_powers_a_deactivated_officer_stays_listed_until_the_upgrade(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    dba = create_engine(team.url())
    with dba.begin() as conn:
        conn.execute(text(f"REVOKE {', '.join(pg_team.SERVER_POWERS)} FROM {team.roles.owner}"))
    holder = _hold(team, "chen", LOCK, "parties")
    try:
        _deactivate(team, "chen")  # the server may not end the session: it stays
        assert holder.poll() is None
        with team.open("admin") as cf:
            chen = next(x for x in sessions.list_sessions(cf) if x.login == team.login("chen"))
            with pytest.raises(ValidationError, match="请超级用户运行 firecase upgrade"):
                sessions.end_session(cf, chen.pid, chen.login)
        # the database administrator's upgrade of a team already at this version grants them
        assert main(["upgrade", "--db", team.url()]) == 0
        said = capsys.readouterr().out
        assert "无需升级" in said and "已更新本案卷在服务器上的用户管理函数" in said
        assert "GRANT" not in said  # nothing left to grant by hand
        with team.open("admin") as cf:
            chen = next(x for x in sessions.list_sessions(cf) if x.login == team.login("chen"))
            assert chen.display_name == "陈晓明"
            with pytest.raises(ValidationError, match=r"不是用户“.*”的连接"):
                sessions.end_session(cf, chen.pid, team.login("zhou"))  # not zhou's number
            assert holder.poll() is None
            assert _endings(team) == []  # refused and reused numbers leave no row
            assert sessions.end_session(cf, chen.pid, chen.login) is True
        assert holder.wait(timeout=30) != 0
        [(actor, recorded)] = _endings(team)
        assert actor == team.login("admin") and f'"login": "{chen.login}"' in recorded
        assert '"reason": "ended"' in recorded and '"waiting": 0' in recorded
        assert main(["verify", "--db", team.url()]) == 0  # the chain holds with the row
    finally:
        _kill(holder)
        dba.dispose()


def test_an_owner_members_upgrade_at_head_gives_the_grant_to_ask_for(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    """A member of the owner role renews the policy but cannot grant the server powers: the
    command line gives the statement a superuser runs. Its sessions are not the team's to end."""
    assert PG_URL
    login = f"dba_{uuid.uuid4().hex[:6]}"
    dba = create_engine(team.url())
    with dba.begin() as conn:
        conn.execute(text(f"REVOKE {', '.join(pg_team.SERVER_POWERS)} FROM {team.roles.owner}"))
        conn.execute(text(f"CREATE ROLE {login} LOGIN PASSWORD '{PASSWORD}'"))
        conn.execute(text(f"GRANT {team.roles.owner} TO {login}"))
    holder = None
    try:
        assert main(["upgrade", "--db", team.url(login)]) == 0
        said = capsys.readouterr().out
        assert "已更新本案卷在服务器上的用户管理函数" in said
        assert pg_team.grant_statement(team.roles) in said
        args, env = team.psql_command(login, "SELECT pg_sleep(30)")
        args[args.index("-U") + 1] = login
        holder = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True)
        with dba.connect() as conn:
            for _ in range(200):
                conn.execute(text("SELECT pg_stat_clear_snapshot()"))  # not the first read's
                if conn.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE usename = :u"), {"u": login}
                ).scalar():
                    break
                conn.execute(text("SELECT pg_sleep(0.05)"))
            else:
                raise AssertionError(f"{login} never connected")
        with team.open("admin") as cf:
            assert login not in {x.login for x in sessions.list_sessions(cf)}
    finally:
        if holder is not None:
            _kill(holder)
        with dba.begin() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :u"),
                {"u": login},
            )
            conn.execute(text(f"DROP ROLE {login}"))
        dba.dispose()


def test_the_officer_whose_session_is_ended_is_told_in_chinese(team: Team) -> None:
    with team.open("zhou") as cf:
        with pytest.raises(CaseFileError) as ended, cf.unit_of_work() as uow:
            pid = int(uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one())
            with team.open("admin") as admin:
                assert sessions.end_session(admin, pid, team.login("zhou")) is True
            uow.session.execute(text("SELECT 1"))
        assert "数据库服务器结束了您的这个连接" in ended.value.message
        assert "terminating" not in ended.value.message
        # the next operation connects again
        assert reading.list_cases(cf).rows


def _officer_row(team: Team, login: str) -> None:
    """A ``users`` row for ``login`` as a case file kept it from before team mode."""
    dba = create_engine(team.url())
    with dba.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (login, display_name, role, active, created_on, version) "
                "VALUES (:l, '旧用户', '调查员', false, current_date, 1)"
            ),
            {"l": login},
        )
    dba.dispose()


def test_a_users_row_from_before_team_mode_hands_over_no_unrelated_login(team: Team) -> None:
    """A login of the server that this team did not create (another team's officer, another
    program's account) is not enabled, granted a group or given a password by the team's
    管理员 because a ``users`` row left from before team mode has its name."""
    victim = f"other_{uuid.uuid4().hex[:6]}"
    own_password = "Other-program-2026"
    dba = create_engine(team.url())
    with dba.begin() as conn:
        conn.execute(text(f"CREATE ROLE {victim} LOGIN PASSWORD '{own_password}'"))
    try:
        _officer_row(team, victim)
        with team.open("admin") as cf:
            row = {u.login: u for u in users.list_users(cf)}[victim]
            for attempt in (
                lambda: users.update_user(
                    cf,
                    victim,
                    UserInput(victim, "旧用户", "管理员", True),
                    expected_version=row.version,
                ),
                lambda: users.set_password(cf, victim, "Taken-over-2026"),
            ):
                with pytest.raises(ValidationError, match="不是由本案卷创建的") as refused:
                    attempt()
                assert f"GRANT {team.roles.officers} TO {victim};" in refused.value.message
        args, env = team.psql_command("admin", "SELECT 1")
        args[args.index("-U") + 1] = victim
        still = subprocess.run(
            args, env={**env, "PGPASSWORD": own_password}, capture_output=True, text=True
        )
        assert still.returncode == 0, still.stderr  # its own password, unchanged
        with dba.connect() as conn:
            groups = conn.execute(
                text(
                    "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member "
                    "WHERE r.rolname = :v"
                ),
                {"v": victim},
            ).scalar()
        assert groups == 0
    finally:
        with dba.begin() as conn:
            conn.execute(text(f"DROP ROLE {victim}"))
        dba.dispose()


def test_the_teams_own_logins_are_marked_and_one_deactivated_before_is_marked_by_hand(
    team: Team,
) -> None:
    """A team set up before migration 0025: its officers in a group are marked at the upgrade;
    one deactivated before then (in no group) is re-enabled once the database administrator
    has run the statement the refusal gives."""
    chen = team.login("chen")
    _deactivate(team, "chen")
    dba = create_engine(team.url())
    with dba.begin() as conn:  # the team as migration 0024 left it: nobody marked
        for who in ("admin", "zhou", "chen", "guest"):
            conn.execute(text(f"REVOKE {team.roles.officers} FROM {team.login(who)}"))
    try:
        assert main(["upgrade", "--db", team.url()]) == 0  # at head: the functions renewed
        with dba.connect() as conn:
            marked = set(
                conn.execute(
                    text(
                        "SELECT r.rolname FROM pg_auth_members m "
                        "JOIN pg_roles o ON o.oid = m.roleid JOIN pg_roles r ON r.oid = m.member "
                        "WHERE o.rolname = :o"
                    ),
                    {"o": team.roles.officers},
                ).scalars()
            )
        assert marked == {team.login(w) for w in ("admin", "zhou", "guest")}
        with team.open("admin") as cf:
            row = {u.login: u for u in users.list_users(cf)}[chen]
            enable = UserInput(chen, row.display_name, row.role, True)
            with pytest.raises(ValidationError, match="不是由本案卷创建的") as refused:
                users.update_user(cf, chen, enable, expected_version=row.version)
            statement = refused.value.message.rsplit("执行：", 1)[1]
            with dba.begin() as conn:
                conn.execute(text(statement))
            assert users.update_user(cf, chen, enable, expected_version=row.version).active
        assert team.psql("chen", "SELECT 1").returncode == 0
    finally:
        dba.dispose()


def test_the_administrators_own_other_session_is_marked_as_theirs(team: Team) -> None:
    with team.open("admin") as other, other.unit_of_work() as uow:
        uow.session.execute(text("SELECT 1"))  # a session of theirs, held open
        with team.open("admin") as cf:
            mine = [x for x in sessions.list_sessions(cf) if x.login == team.login("admin")]
            assert mine and all(x.own for x in mine)
            assert not any(x.own for x in sessions.list_sessions(cf) if x not in mine)
