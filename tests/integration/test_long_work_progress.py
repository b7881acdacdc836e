"""Long work says what it does: a backup, a restore and an upgrade report their steps, the
pages copied and the revisions applied (``firecase.progress``), on the command line too; a
copy whose source is written meanwhile still ends whole."""

from __future__ import annotations

import itertools
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine

from firecase.progress import Meter, Step
from firecase.services import backup
from firecase.store import open_case_file, sqlite_copy
from firecase.store.filecheck import alembic_config, head_revision
from tests._demo import demo_into


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("progress") / "演示.sqlite"
    demo_into(path, user="测试")
    return path


def _phases(steps: list[Step]) -> list[str]:
    return [s.phase for s in steps if s.done == 0]


def _finished(steps: list[Step], phase: str) -> bool:
    mine = [s for s in steps if s.phase == phase]
    return bool(mine) and mine[-1].total is not None and mine[-1].done == mine[-1].total


def test_a_backup_reports_its_pages_and_its_check(demo_file: Path, tmp_path: Path) -> None:
    steps: list[Step] = []
    backup.backup_case_file(demo_file, tmp_path / "备份.sqlite", progress=steps.append)
    assert _phases(steps) == ["复制数据", "检查副本"]
    assert all(s.task == "备份案卷文件" and s.steps == 2 for s in steps)
    assert _finished(steps, "复制数据")
    steps.clear()
    folder = tmp_path / "自动"
    folder.mkdir()
    backup.backup_case_file(
        demo_file, folder / "自动备份.sqlite", share_content=True, progress=steps.append
    )
    assert _phases(steps) == ["复制数据", "检查副本", "附件存入附件库"]


def test_a_restore_reports_its_steps(demo_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "副本.sqlite"
    backup.backup_case_file(demo_file, copy)
    steps: list[Step] = []
    backup.restore_case_file(copy, tmp_path / "恢复.sqlite", progress=steps.append)
    assert _phases(steps) == ["检查备份文件", "复制数据", "检查副本"]
    assert [s.index for s in steps] == sorted(s.index for s in steps)


def test_an_upgrade_reports_the_backup_and_each_revision(demo_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "旧.sqlite"
    backup.backup_case_file(demo_file, path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0018")
    engine.dispose()
    steps: list[Step] = []
    with open_case_file(path, user="测试", progress=steps.append) as cf:
        assert cf.upgraded_from is not None
    assert _phases(steps) == ["升级前备份", "升级数据结构", "检查外键"]
    assert all(s.task == "升级案卷文件" and s.steps == 3 for s in steps)
    revisions = [s for s in steps if s.phase == "升级数据结构"]
    assert revisions[-1].total == int(head_revision()[:4]) - 18
    assert _finished(steps, "升级数据结构") and _finished(steps, "升级前备份")
    steps.clear()
    with open_case_file(path, user="测试", progress=steps.append):
        pass
    assert steps == []  # an up-to-date file opens without a word


def test_a_copy_written_meanwhile_ends_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each write to the source restarts SQLite's copy; after MAX_RESTARTS the rest goes in
    one step (no writer can restart that), and the copy holds every row."""
    source_path = tmp_path / "源.sqlite"
    with sqlite3.connect(source_path) as db:
        db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        db.executemany("INSERT INTO t (v) VALUES (?)", [("x" * 500,)] * 4000)
    monkeypatch.setattr(sqlite_copy, "MIN_SLICE_PAGES", 16)
    writer = sqlite3.connect(source_path)
    steps: list[Step] = []

    def report(step: Step) -> None:
        steps.append(step)
        if 0 < step.done < (step.total or 0):  # someone saves while the copy runs
            writer.execute("INSERT INTO t (v) VALUES ('写入')")
            writer.commit()

    source = sqlite3.connect(source_path)
    target = sqlite3.connect(tmp_path / "副本.sqlite")
    sqlite_copy.copy_database(source, target, Meter("备份", report, every=0.0))
    copied = target.execute("SELECT count(*) FROM t").fetchone()[0]
    assert copied == source.execute("SELECT count(*) FROM t").fetchone()[0] > 4000
    assert target.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    pairs = itertools.pairwise(steps)
    stalls = sum(1 for a, b in pairs if 0 < b.done <= a.done)
    assert stalls >= 1  # the writes did restart the copy (a slice that gained nothing)
    for db in (source, target, writer):
        db.close()


def test_the_command_line_backup_reports_progress_on_stderr(
    demo_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "命令行备份.sqlite"
    done = subprocess.run(
        [sys.executable, "-m", "firecase", "backup", "--db", str(demo_file), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "备份案卷文件（第 1/2 步：复制数据）" in done.stderr
    assert "已备份到" in done.stdout and "步" not in done.stdout


def test_a_restore_from_a_logical_backup_reports_the_rows_loaded(
    demo_file: Path, tmp_path: Path
) -> None:
    logical = tmp_path / "逻辑备份.fcbackup"
    result = backup.backup_case_file(demo_file, logical)
    steps: list[Step] = []
    backup.restore_case_file(logical, tmp_path / "恢复.sqlite", progress=steps.append)
    assert _phases(steps) == ["检查备份文件", "载入数据", "检查恢复出的文件"]
    loaded = [s for s in steps if s.phase == "载入数据"]
    assert loaded[-1].total == result.rows and loaded[-1].done == result.rows


def test_a_logical_backup_reports_the_rows_written(demo_file: Path, tmp_path: Path) -> None:
    steps: list[Step] = []
    result = backup.backup_case_file(
        demo_file, tmp_path / "逻辑备份.fcbackup", progress=steps.append
    )
    assert _phases(steps) == ["复制数据", "检查副本", "导出数据"]
    assert all(s.steps == 3 for s in steps)
    exported = [s for s in steps if s.phase == "导出数据"]
    assert exported[-1].total == result.rows and exported[-1].done == result.rows
