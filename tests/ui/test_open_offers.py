"""Opening through the main window: an empty file is used as a new case file only when the user
says so; a damaged file whose message names a sound backup offers to restore from it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from conftest import wait_idle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from firecase.services.reading import count_cases
from firecase.store import open_case_file


def _box(qtbot: Any, window: Any, name: str) -> QMessageBox:
    qtbot.waitUntil(
        lambda: any(b.isVisible() for b in window.findChildren(QMessageBox, name)), timeout=15000
    )
    return next(b for b in window.findChildren(QMessageBox, name) if b.isVisible())


def _click(qtbot: Any, box: QMessageBox, name: str) -> None:
    button = box.findChild(QPushButton, name)
    assert button is not None, name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_an_empty_file_is_used_only_when_the_user_agrees(
    make_window: Any, demo_path: Path, tmp_path: Path, qtbot: Any
) -> None:
    window = make_window(demo_path)
    before = window.case_file
    empty = tmp_path / "空文件.sqlite"
    empty.write_bytes(b"")

    window.open_location(str(empty))
    box = _box(qtbot, window, "emptyFileBox")
    assert box.text() == "该文件为空，是否作为新的案卷文件使用？"
    _click(qtbot, box, "noButton")
    wait_idle(qtbot, window.worker)
    assert window.case_file is before and empty.stat().st_size == 0

    window.open_location(str(empty))
    box = _box(qtbot, window, "emptyFileBox")
    with qtbot.waitSignal(window.case_file_opened, timeout=20000):
        _click(qtbot, box, "yesButton")
    wait_idle(qtbot, window.worker)
    assert Path(window.case_file.path) == empty.resolve()
    assert empty.stat().st_size > 0


def test_a_damaged_file_offers_its_newest_sound_backup(
    make_window: Any, demo_template: Path, tmp_path: Path, qtbot: Any
) -> None:
    folder = tmp_path / "损坏"
    folder.mkdir()
    damaged = folder / "独有名称的案卷.sqlite"
    shutil.copyfile(demo_template, damaged)
    backup = folder / "独有名称的案卷.备份-0009-20260301-101500.sqlite"
    shutil.copyfile(demo_template, backup)
    with open(damaged, "r+b") as fh:
        fh.truncate(damaged.stat().st_size // 2)
    window = make_window(tmp_path / "另一个.sqlite")
    assert window.close_case_file()
    wait_idle(qtbot, window.worker)

    window.open_location(str(damaged))
    box = _box(qtbot, window, "restoreOfferBox")
    assert "截断" in box.text() and backup.name in box.text() and "2026年03月01日" in box.text()
    with qtbot.waitSignal(window.case_file_opened, timeout=30000):
        _click(qtbot, box, "yesButton")
    wait_idle(qtbot, window.worker)
    assert Path(window.case_file.path) == damaged.resolve()
    with open_case_file(backup, user="复核") as cf:
        expected = count_cases(cf)
    assert count_cases(window.case_file) == expected
    assert list(folder.glob("独有名称的案卷.恢复前备份-*.sqlite"))  # the damaged one is kept
