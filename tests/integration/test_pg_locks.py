"""A login that holds a lock on the team's server makes the others wait seconds, not for ever.

The attacker's finding (a desk in the same unit, the 只读 login, psql): ``BEGIN; LOCK TABLE
case_search_grams IN ACCESS EXCLUSIVE MODE`` and an open transaction hung every officer's
search and save until the attacker let go. A login cannot be kept from locking what it may
write (只读 refreshes the recomputed tables), but every FireCase connection now gives up after
``store.casefile.SERVER_LOCK_WAIT_MS`` with a message and writes nothing."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import test_pg_team as pg
from sqlalchemy import create_engine, text
from test_pg_team import PG_URL, TODAY, Team

from firecase.errors import CaseFileError, FirecaseError
from firecase.services import cases, reading as reading_svc
from firecase.store import casefile

pytestmark = pytest.mark.postgres

team = pg.team


def _hold(
    team: Team, who: str, lock: str, table: str = "case_search_grams"
) -> subprocess.Popen[str]:
    """psql as ``who`` holding ``lock`` (on ``table``) in an open transaction (until ended)."""
    args, env = team.psql_command(who, "BEGIN", lock, "SELECT pg_sleep(30)")
    holder = subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert PG_URL
    dba = create_engine(PG_URL)
    try:
        for _ in range(100):
            with dba.connect() as conn:
                held = conn.execute(
                    text(
                        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :s "
                        "AND c.relname = :t AND l.mode = 'AccessExclusiveLock' AND l.granted"
                    ),
                    {"s": team.schema, "t": table},
                ).scalar()
            if held:
                return holder
            assert holder.poll() is None, holder.stderr.read() if holder.stderr else ""
            time.sleep(0.05)
    finally:
        dba.dispose()
    holder.kill()
    raise AssertionError("the lock was never taken")


def _correct(cf: Any, case_id: int, version: int) -> None:
    """Save a corrected title of the case (a write through the unit of work)."""
    cases.update_incident(
        cf, case_id, pg._incident("竟陵街道商铺火灾（更正）"), expected_version=version, today=TODAY
    )


def _end(team: Team, who: str, holder: subprocess.Popen[str]) -> None:
    """End the holder's session on the server, as the note tells an administrator to (a
    killed psql alone leaves its backend asleep, the lock held)."""
    assert PG_URL
    dba = create_engine(PG_URL)
    with dba.begin() as conn:
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :u"),
            {"u": team.login(who)},
        )
    dba.dispose()
    holder.kill()
    holder.wait()


def test_a_reader_locking_the_search_index_holds_nobody_up_for_long(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(casefile, "SERVER_LOCK_WAIT_MS", 700)
    with team.open("chen") as cf:
        case = reading_svc.list_cases(cf, today=TODAY).rows[0]
        summary = reading_svc.get_case_summary(cf, case.id)
        holder = _hold(team, "guest", "LOCK TABLE case_search_grams IN ACCESS EXCLUSIVE MODE")
        try:
            started = time.monotonic()
            with pytest.raises(CaseFileError, match="锁住") as searched:
                reading_svc.list_cases(cf, text="竟陵", today=TODAY)
            with pytest.raises(CaseFileError, match="没有写入任何内容"):
                _correct(cf, case.id, summary.version)
            waited = time.monotonic() - started
        finally:
            _end(team, "guest", holder)
        assert "pg_stat_activity" in searched.value.message
        assert waited < 30  # two waits of 0.7 s (for ever before)
        # nothing of the refused save was written; once the lock is gone both work
        again = reading_svc.get_case_summary(cf, case.id)
        assert again.version == summary.version and again.title == "竟陵街道商铺火灾"
        assert reading_svc.list_cases(cf, text="竟陵", today=TODAY).total == 1
        _correct(cf, case.id, summary.version)


def test_a_backup_of_the_server_gives_up_on_a_held_lock(
    team: Team, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The attacker's finding: a backup of the team's server made its own engine without the
    lock wait, and waited as long as a 只读 login held the lock."""
    from firecase.services import backup

    monkeypatch.setattr(casefile, "SERVER_LOCK_WAIT_MS", 700)
    holder = _hold(team, "guest", "LOCK TABLE case_search_grams IN ACCESS EXCLUSIVE MODE")
    try:
        started = time.monotonic()
        with pytest.raises(FirecaseError):
            backup.backup_case_file(team.url("admin"), tmp_path / "服务器.fcbackup")
        waited = time.monotonic() - started
    finally:
        _end(team, "guest", holder)
    assert waited < 30
    assert not (tmp_path / "服务器.fcbackup").exists()


def test_checking_the_case_file_under_a_held_lock_says_so_in_chinese(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attacker's finding: 检查案卷 reads outside a unit of work (``cf.connect``) and
    showed the driver's LockNotAvailable as 程序出错 with a traceback."""
    from firecase.services import maintenance

    monkeypatch.setattr(casefile, "SERVER_LOCK_WAIT_MS", 700)
    holder = _hold(team, "chen", "LOCK TABLE parties IN ACCESS EXCLUSIVE MODE", "parties")
    try:
        with team.open("zhou") as cf, pytest.raises(CaseFileError, match="锁住"):
            maintenance.verify_case_file(cf, today=TODAY)
    finally:
        _end(team, "chen", holder)


def test_exporting_a_case_under_a_held_lock_says_so_and_leaves_no_file(
    team: Team, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The attacker's second review: export read through the engine, not ``cf.connect``, and
    showed the driver's LockNotAvailable as 程序出错."""
    from firecase.services import transfer

    monkeypatch.setattr(casefile, "SERVER_LOCK_WAIT_MS", 700)
    holder = _hold(team, "chen", "LOCK TABLE parties IN ACCESS EXCLUSIVE MODE", "parties")
    try:
        with team.open("zhou") as cf:
            case_no = reading_svc.list_cases(cf, today=TODAY).rows[0].case_no
            with pytest.raises(CaseFileError, match="锁住"):
                transfer.export_case(cf, case_no, tmp_path / "案件.fcase")
    finally:
        _end(team, "chen", holder)
    assert not (tmp_path / "案件.fcase").exists()
