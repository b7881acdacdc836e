"""The daily automatic backup runs on a thread of its own, not on the window's worker: queries
are answered while it runs, closing the window does not wait for it, and a process killed
while it runs leaves no file under a backup's name (issue 22)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from firecase.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle


def test_automatic_backup_runs_off_the_worker_and_close_does_not_wait(
    make_window: Any, demo_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import firecase.services.backup as backup
    from firecase.ui.worker import Worker

    release, started = threading.Event(), threading.Event()
    ran_on: list[str] = []
    real = backup.run_scheduled_backup

    def slow_backup(*args: Any, **kwargs: Any) -> Any:
        ran_on.append(threading.current_thread().name)
        started.set()
        assert release.wait(30), "the test never let the backup finish"
        return real(*args, **kwargs)

    monkeypatch.setattr(backup, "run_scheduled_backup", slow_backup)
    # the folder may hold other tests' backups (of another day, when the run spans midnight)
    before = set(backup.default_backup_folder().glob("cases.自动备份-*.sqlite"))
    started_on = dt.datetime.now()
    window = make_window(demo_path, wait_backup=False)  # worker idle: the backup is not on it
    assert started.wait(10)
    task = window.scheduled_backup
    assert task is not None and task.running
    assert ran_on == ["firecase-automatic-backup"]
    # a query typed while the backup runs is answered at once, not after it
    answered: list[int] = []
    window.worker.run(lambda: 42, on_success=answered.append)
    qtbot.waitUntil(lambda: answered == [42], timeout=5000)
    assert task.running
    # closing the window does not wait for the worker, nor for the backup
    waited: list[int] = []
    monkeypatch.setattr(Worker, "wait", lambda self, msecs=-1: waited.append(msecs) or True)
    window.close()
    # the structure, not a timing: nothing was waited for (the worker's wait is recorded, and
    # the backup is still running once the window has closed)
    assert not window.isVisible() and waited == [] and window.case_file is None
    assert task.running  # it goes on, and finishes once released
    release.set()
    task.thread.join(30)
    assert not task.running
    made = set(backup.default_backup_folder().glob("cases.自动备份-*.sqlite")) - before
    assert len(made) <= 1 and not list(backup.default_backup_folder().glob("*.part"))
    days = {d.strftime("%Y%m%d") for d in (started_on, dt.datetime.now())}
    todays = [f for f in before | made if any(f".自动备份-{d}" in f.name for d in days)]
    assert len(todays) == 1  # the day's backup: made now, or already there from another test


def test_automatic_backup_reports_when_done(
    make_window: Any, demo_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from firecase.services.backup import default_backup_folder

    shutil.rmtree(default_backup_folder())  # no backup of today yet (another test's)
    said: list[str] = []
    real = MainWindow._on_backup_progress
    monkeypatch.setattr(
        MainWindow,
        "_on_backup_progress",
        lambda self, step: (said.append(step.text()), real(self, step)),
    )
    window = make_window(demo_path)
    task = window.scheduled_backup
    assert task is not None
    task.thread.join(30)
    qtbot.waitUntil(lambda: "今日自动备份：" in window.statusBar().currentMessage(), timeout=5000)
    wait_idle(qtbot, window.worker)
    # its steps were said on the way (from the backup's thread, in the status bar)
    assert any(t.startswith("备份案卷文件（第 1/3 步：复制数据）") for t in said), said
    assert any("附件存入附件库" in t for t in said)


_KILLED_CHILD = r"""
import os, signal, sys, time, datetime as dt
from pathlib import Path
from PySide6.QtCore import QCoreApplication
import firecase.services.backup as backup
from firecase.ui.background import BackgroundTask

app = QCoreApplication([])
source, folder = Path(sys.argv[1]), Path(sys.argv[2])
real = backup.backup_content.detach_content

def detach_then_stall(partial, store):  # the copy is written and checked, not yet renamed
    real(partial, store)
    time.sleep(60)

backup.backup_content.detach_content = detach_then_stall
BackgroundTask(
    lambda: backup.run_scheduled_backup(source, folder, backup.Retention(), dt.datetime.now()),
    name="firecase-automatic-backup",
).start()
deadline = time.time() + 30
while not list(folder.glob("*.part")) and time.time() < deadline:
    time.sleep(0.02)
print("part" if list(folder.glob("*.part")) else "none", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_a_killed_backup_leaves_no_file_under_a_backup_name(
    demo_path: Path, tmp_path: Path
) -> None:
    import datetime as dt

    from firecase.services.backup import PART_AGE, Retention, run_scheduled_backup

    folder = tmp_path / "备份"
    folder.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_CHILD, str(demo_path), str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert done.stdout.strip() == "part"
    names = [p.name for p in folder.iterdir() if p.is_file()]
    assert names and all(".part" in name for name in names), names  # only the partial copy
    # the next start's backup replaces it and removes the leftover
    later = dt.datetime.now() + PART_AGE + dt.timedelta(minutes=5)
    made = run_scheduled_backup(demo_path, folder, Retention(), later)
    assert made.created is not None and made.created.exists()
    assert not list(folder.glob("*.part*"))
