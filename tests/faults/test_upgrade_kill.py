"""Atomic upgrades: SIGKILL the automatic upgrade of an old case file at step k, for many k.

For every old revision the tests can build (a demo file at the head, downgraded step by step,
as the upgrade tests do), a first run counts the steps the upgrade sends to the database (each
statement and the commit) and where each revision ends (``UPDATE alembic_version``). Then a
child process (``_upgrade_child.py``, forked by its ``serve`` mode) upgrades a fresh copy and
SIGKILLs itself just before step k. Every killed file must open again: still at its old
revision (the upgrade is one transaction), upgraded on this open, sound (integrity check,
audit chain) and with every case. The oldest revision is killed at its first and last two
steps, an even spread and the step after each revision's end; every newer one at its last
step, the commit (all steps of every revision with ``FIRECASE_FAULT_ALL_STEPS=1``).
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from _faultkit import (
    TODAY,
    child_env,
    demo_file,
    downgrade_snapshots,
    old_revisions,
    pg_schema,
)
from alembic import command
from sqlalchemy import Connection, create_engine, func, select, text

from firecase.errors import UpgradeFailedError
from firecase.store import head_revision, open_case_file
from firecase.store.filecheck import alembic_config
from firecase.store.models import Case, Party

CHILD = Path(__file__).with_name("_upgrade_child.py")
SPREAD = 3  # evenly spaced kill points per revision, besides the fixed ones

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name == "nt", reason="SIGKILL and fork are POSIX"),
]


class Server:
    """The forking child process: one upgrade attempt per request."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), "serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=child_env(),
        )

    def attempt(self, target: str, kill_at: int, report: Path | None = None) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"{kill_at}\t{report or ''}\t{target}\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    srv = Server()
    try:
        yield srv
    finally:
        srv.close()


def _counted(conn: Connection) -> tuple[int, int]:
    return (
        int(conn.execute(select(func.count()).select_from(Case)).scalar_one()),
        int(conn.execute(select(func.count()).select_from(Party)).scalar_one()),
    )


def _counts(url: str) -> tuple[int, int]:
    with open_case_file(url, user="检查员") as cf, cf.connect() as conn:
        return _counted(conn)


def _kill_points(steps: int, ends: list[int], *, oldest: bool) -> list[int]:
    """Where an upgrade is killed. The oldest file runs every revision's steps: it is killed at
    its first and last two steps, an even spread and right after each revision wrote its
    version. A newer file runs a tail of the same steps: a kill at its last step (everything
    done but the commit) shows that an upgrade starting there is one transaction too. (A kill
    before the first step, where nothing was sent yet, is the same for every file: the oldest
    one's shows it.)"""
    if os.environ.get("FIRECASE_FAULT_ALL_STEPS") == "1":
        return list(range(1, steps + 1))
    if not oldest:
        return [steps]
    points = {1, 2, steps - 1, steps} | {e + 1 for e in ends}
    points |= {1 + (steps - 1) * i // (SPREAD + 1) for i in range(1, SPREAD + 1)}
    return sorted(p for p in points if 1 <= p <= steps)


def _plan(server: Server, target: str, work: Path) -> tuple[int, list[int]]:
    report = work / "steps.txt"
    assert server.attempt(target, 0, report) == "finished"
    lines = dict(line.split(" ", 1) for line in report.read_text().splitlines())
    return int(lines["steps"]), [int(x) for x in lines["ends"].split()]


def _commits(work: Path) -> list[int]:
    lines = dict(line.split(" ", 1) for line in (work / "steps.txt").read_text().splitlines())
    return [int(x) for x in lines["commits"].split()]


def test_a_killed_sqlite_upgrade_leaves_the_old_file_which_upgrades_again(
    tmp_path: Path, server: Server, figure: Callable[[str], None]
) -> None:
    started = time.monotonic()
    base = demo_file(tmp_path / "head.sqlite")
    expected = _counts(str(base))
    for side in ("-wal", "-shm", ".lock"):
        Path(str(base) + side).unlink(missing_ok=True)
    olds = downgrade_snapshots(base, tmp_path, old_revisions())
    oldest = old_revisions()[-1]
    figures: list[str] = []
    total_attempts = total_recovered = 0
    for rev, old in olds.items():
        work_dir = tmp_path / f"work-{rev}"
        work_dir.mkdir()
        work = work_dir / "案卷.sqlite"
        shutil.copy(old, work)
        steps, ends = _plan(server, str(work), work_dir)
        assert len(ends) >= 1
        attempts = recovered = 0
        for k in _kill_points(steps, ends, oldest=rev == oldest):
            for stale in work_dir.iterdir():
                stale.unlink()
            shutil.copy(old, work)
            answer = server.attempt(str(work), k)
            assert answer == "killed", (rev, k, answer)
            attempts += 1
            if attempts % 25 == 0:
                gc.collect(1)
            with open_case_file(work, user="检查员") as cf:
                assert cf.upgraded_from == rev, (rev, k)
                assert cf.integrity_check() == (), (rev, k)
                assert cf.verify_audit().ok, (rev, k)
                with cf.connect() as conn:
                    version = conn.execute(text("SELECT version_num FROM alembic_version"))
                    assert version.scalar_one() == head_revision()
                    leftovers = conn.execute(
                        text("SELECT name FROM sqlite_master WHERE name LIKE '_alembic_tmp%'")
                    ).all()
                    assert leftovers == [], (rev, k)
                    assert _counted(conn) == expected, (rev, k)
            recovered += 1
        total_attempts += attempts
        total_recovered += recovered
        # the test session runs with gc off: each open leaves cycles behind, all of them young
        # (a full collection walked the session's whole heap: 25 of them cost ~15 s)
        gc.collect(1)
        figures.append(f"{rev}: {steps} steps, {attempts} kills, {recovered} recovered")
    figure(
        f"upgrade kills: {len(olds)} revisions, attempts={total_attempts}, "
        f"recovered={total_recovered}, lost={total_attempts - total_recovered}, "
        f"{time.monotonic() - started:.1f} s\n  " + "\n  ".join(figures)
    )
    assert total_attempts == total_recovered > 0


@pytest.mark.postgres
def test_a_killed_postgresql_upgrade_is_rolled_back_and_upgrades_again(
    tmp_path: Path, server: Server, figure: Callable[[str], None]
) -> None:
    from firecase.samples.demo import write_demo

    rev = old_revisions()[1]  # two revisions to go: a kill between them is tried too
    with pg_schema() as url:
        with open_case_file(url, user="测试") as cf:
            write_demo(cf, today=TODAY)
        expected = _counts(url)
        _downgrade(url, rev)
        steps, ends = _plan(server, url, tmp_path)
        # the upgrade is the transaction that commits after the last revision's version; what
        # the open does after that commit (its checks, the team policy) is not the upgrade
        commits = _commits(tmp_path)
        steps = min(c for c in commits if c > ends[-1])
        attempts = 0
        for k in sorted({1, 2, steps // 3, steps // 2, *(e + 1 for e in ends), steps}):
            _downgrade(url, rev)
            assert server.attempt(url, k) == "killed", k
            attempts += 1
            engine = create_engine(url)
            with engine.connect() as conn:
                assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == rev
            engine.dispose()
            with open_case_file(url, user="检查员") as cf:
                assert cf.upgraded_from == rev
                assert cf.verify_audit().ok
            assert _counts(url) == expected
        figure(
            f"postgresql upgrade kills from {rev}: {steps} steps, attempts={attempts}, "
            f"recovered={attempts}, lost=0"
        )


def _downgrade(url: str, rev: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), rev)
    engine.dispose()


def test_a_failing_migration_leaves_the_file_at_its_revision_and_names_the_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = demo_file(tmp_path / "head.sqlite")
    revisions = old_revisions()[:3]
    old = downgrade_snapshots(base, tmp_path, revisions)[revisions[-1]]
    real = command.upgrade

    def upgrade_then_fail(config: object, target: str) -> None:
        real(config, target)  # type: ignore[arg-type]  # every revision ran, then a failure
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)
    with pytest.raises(UpgradeFailedError) as info:
        open_case_file(old, user="测试")
    monkeypatch.undo()
    backup = info.value.backup
    assert backup is not None and Path(backup).exists()
    assert backup in info.value.message and "从备份恢复" in info.value.message
    assert "所有改动已撤销" in info.value.message
    raw = create_engine(f"sqlite:///{old}")
    with raw.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        tmp = conn.execute(text("SELECT count(*) FROM sqlite_master WHERE name LIKE '_alembic%'"))
        assert version == revisions[-1] and tmp.scalar() == 0
    raw.dispose()
    with open_case_file(old, user="测试") as cf:
        assert cf.upgraded_from == revisions[-1]
