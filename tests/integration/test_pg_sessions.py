"""The team's 管理员 ends the session that holds the data (migration 0024).

The attacker's finding, left open before: a login that may write can hold a lock (``LOCK
TABLE``, ``SELECT … FOR UPDATE``) or an open transaction for as long as it likes; every other
officer's save gives up after ``SERVER_LOCK_WAIT_MS``, and only a PostgreSQL superuser could end
that session. Now the server's own functions let the team's administrators, and nobody else,
list the team's officers' sessions and end one; never a superuser's session, nor their own."""

from __future__ import annotations

import subprocess
import time

import pytest
import test_pg_team as pg
from sqlalchemy import create_engine, make_url, text
from test_pg_locks import _end, _hold
from test_pg_team import PG_URL, TODAY, Team

from firecase.cli import main
from firecase.errors import CaseFileError, PermissionDeniedError, ValidationError
from firecase.services import reading, sessions
from firecase.services.dto import PartyInput
from firecase.services.parties import add_party
from firecase.store import casefile

pytestmark = pytest.mark.postgres

team = pg.team

LOCK = "LOCK TABLE parties IN ACCESS EXCLUSIVE MODE"


def _waited_on(team: Team, login: str) -> sessions.ServerSession:
    """The administrator's view of ``login``'s session once another session waits on it."""
    with team.open("admin") as cf:
        for _ in range(200):
            found = [x for x in sessions.list_sessions(cf) if x.login == login]
            if found and found[0].waiting:
                return found[0]
            time.sleep(0.05)
    raise AssertionError(f"nobody came to wait on {login}")


def test_the_administrator_ends_the_session_holding_the_data(
    team: Team, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(casefile, "SERVER_LOCK_WAIT_MS", 700)
    holder = _hold(team, "chen", LOCK, "parties")
    args, env = team.psql_command("guest", "SELECT count(*) FROM parties")
    waiter = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True)
    try:
        with team.open("zhou") as cf:
            case_id = reading.list_cases(cf).rows[0].id
            with pytest.raises(CaseFileError, match="没有写入任何内容"):
                add_party(cf, case_id, PartyInput("个人", "张三"), today=TODAY)
            with pytest.raises(PermissionDeniedError, match="只有管理员可以管理用户"):
                sessions.list_sessions(cf)
        for who in ("zhou", "chen", "guest"):  # the server refuses them as well
            for sql in (
                "SELECT * FROM firecase_officer_sessions()",
                "SELECT firecase_officer_end_session(1, 'x')",
            ):
                refused = team.psql(who, sql)
                assert refused.returncode != 0, (who, sql)
                assert "permission denied" in refused.stderr, refused.stderr
        chen = _waited_on(team, team.login("chen"))
        assert (chen.display_name, chen.waiting) == ("陈晓明", 1)
        assert chen.state == "正在执行" and chen.since is not None
        assert main(["users", "sessions", "--db", team.url("admin")]) == 0
        listed = capsys.readouterr().out
        assert f"{chen.pid}\t{team.login('chen')}\t陈晓明\t正在执行\t" in listed
        assert "1个连接在等它" in listed
        with team.open("admin") as cf:
            assert sessions.end_session(cf, chen.pid, chen.login) is True
        assert holder.wait(timeout=30) != 0  # its transaction rolled back, the lock let go
        out, _ = waiter.communicate(timeout=30)
        assert waiter.returncode == 0 and "0" in out
        with team.open("zhou") as cf:
            add_party(cf, case_id, PartyInput("个人", "张三"), today=TODAY)
    finally:
        for proc in (holder, waiter):
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_only_the_teams_officers_sessions_are_ended(team: Team) -> None:
    """Not a superuser's session (the database administrator's), not the caller's own, not a
    number that is no session; the command line says so in Chinese."""
    assert PG_URL
    dba = create_engine(PG_URL)
    with dba.connect() as conn:
        superuser_pid = int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
        with team.open("admin") as cf:
            listed = sessions.list_sessions(cf)
            assert superuser_pid not in {x.pid for x in listed}
            dba_login = str(make_url(PG_URL).username)
            with pytest.raises(ValidationError, match=f"不是用户“{dba_login}”的连接"):
                sessions.end_session(cf, superuser_pid, dba_login)
            own = team.psql(
                "admin",
                f"SELECT firecase_officer_end_session(pg_backend_pid(), '{team.login('admin')}')",
            )
            assert own.returncode != 0 and "不能结束您自己的这个连接" in own.stderr, own.stderr
            with pytest.raises(ValidationError, match="正整数") as bad:
                sessions.end_session(cf, -1, "x")
            assert bad.value.field == "pid"
        # the superuser's session is still there
        assert conn.execute(text("SELECT 1")).scalar() == 1
    dba.dispose()
    assert main(["users", "end-session", str(superuser_pid), "--db", team.url("admin")]) == 2


def test_a_team_set_up_before_gets_the_power_at_its_upgrade(team: Team) -> None:
    """A team whose owner lacks the server powers (set up before migration 0024): ending a
    session says in Chinese what to do; the database administrator's upgrade grants them."""
    from alembic import command

    from firecase.store import open_case_file, pg_team
    from firecase.store.filecheck import alembic_config

    dba = create_engine(team.url())  # the superuser, in the team's schema
    with dba.begin() as conn:
        conn.execute(text(f"REVOKE {', '.join(pg_team.SERVER_POWERS)} FROM {team.roles.owner}"))
    holder = _hold(team, "chen", LOCK, "parties")
    try:
        with team.open("admin") as cf:
            chen = next(x for x in sessions.list_sessions(cf) if x.login == team.login("chen"))
            assert chen.state == "（不可见）"  # no pg_read_all_stats: the server hides it
            with pytest.raises(ValidationError, match="请超级用户运行 firecase upgrade"):
                sessions.end_session(cf, chen.pid, chen.login)
        _end(team, "chen", holder)  # the database administrator can, as before
        with dba.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # no audit rows
            command.downgrade(alembic_config(conn), "0023")
        with pytest.raises(PermissionDeniedError, match="只有数据库管理员可以升级"):
            team.open("admin")
        open_case_file(team.url()).close()  # the database administrator's upgrade
        with dba.connect() as conn:
            for power in pg_team.SERVER_POWERS:
                held = conn.execute(
                    text("SELECT pg_has_role(:o, :p, 'MEMBER')"),
                    {"o": team.roles.owner, "p": power},
                ).scalar()
                assert held, power
        holder = _hold(team, "chen", LOCK, "parties")
        with team.open("admin") as cf:
            chen = next(x for x in sessions.list_sessions(cf) if x.login == team.login("chen"))
            assert chen.state == "正在执行"
            assert sessions.end_session(cf, chen.pid, chen.login) is True
        assert holder.wait(timeout=30) != 0
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
        dba.dispose()
