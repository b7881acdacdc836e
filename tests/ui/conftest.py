"""Fixtures of the main-window tests: a demo case file, preferences in tmp, the main window.

Shared by the ``tests/ui/test_*`` modules of the main window, intake, settings and viewer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6

from firecase.settings import PreferenceStore
from tests._demo import copy_case_file, demo_into

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case file with the demo cases, written once per session (tests copy it)."""

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    demo_into(path, today=TODAY, user="演示")
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo case file."""
    return copy_case_file(demo_template, tmp_path / "cases.sqlite")


@pytest.fixture
def prefs(tmp_path: Path) -> PreferenceStore:
    """Preferences kept in the test's tmp folder."""
    return PreferenceStore(tmp_path / "preferences.json")


def wait_idle(qtbot: Any, worker: Any, timeout: int = 10000) -> None:
    """Wait until the worker has no job queued or running (callbacks delivered)."""
    qtbot.waitUntil(lambda: not worker.busy, timeout=timeout)


@pytest.fixture
def make_window(qtbot: Any, prefs: PreferenceStore) -> Iterator[Any]:
    """Build a main window on a case file, as ``run_gui`` does, and wait until it is loaded."""
    from firecase.samples.demo import write_demo
    from firecase.ui.app import setup_application
    from firecase.ui.main_window import MainWindow

    setup_application()
    windows: list[Any] = []

    def make(location: Path | str, *, wait_backup: bool = True) -> MainWindow:
        window = MainWindow(user="测试", prefs=prefs, today=lambda: TODAY, demo=write_demo)
        qtbot.addWidget(window)
        window.show()
        window.open_location(str(location))
        # keys (Ctrl+F, Ctrl+W, Return in the list) reach the active window only: on a loaded
        # machine the window may be activated after the file has opened
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=15000)
        qtbot.waitUntil(lambda: window.case_file is not None, timeout=15000)
        wait_idle(qtbot, window.worker)
        # the day's automatic backup runs on its own thread: done (and said) before the test
        task = window.scheduled_backup
        if task is not None and wait_backup:
            task.thread.join(60)
            qtbot.waitUntil(lambda: not task.running, timeout=5000)
            qtbot.wait(20)  # its callback delivered
            wait_idle(qtbot, window.worker)
        windows.append(window)
        return window

    yield make
    for window in windows:
        if shiboken6.isValid(window):
            window.close()


@pytest.fixture(autouse=True)
def _background_tasks_finish() -> Iterator[None]:
    """A test's automatic backup (its own thread) ends before the next test starts."""
    yield
    from firecase.ui.background import wait_for_background_tasks

    assert wait_for_background_tasks(60), "a background task is still running"
