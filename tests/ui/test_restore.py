"""文件 → 从备份恢复 through the real main window: back up, add a case, restore; the list is
back to the backed-up cases and the replaced file is kept as 恢复前备份. A bad backup changes
nothing; a server case file is explained, not replaced."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import TODAY, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton
from ui_support import answer_next_box

from firecase.services.backup import default_backup_folder
from firecase.services.cases import open_case
from firecase.services.dto import CasualtyInput, IncidentInput
from firecase.services.reading import count_cases
from firecase.store import open_case_file


def _rows(window: Any) -> list[str]:
    model = window.list_panel.model
    return [model.row_at(i).case_no for i in range(model.rowCount())]


def _box(qtbot: Any, window: Any, name: str) -> QMessageBox:
    qtbot.waitUntil(
        lambda: any(b.isVisible() for b in window.findChildren(QMessageBox, name)), timeout=10000
    )
    return next(b for b in window.findChildren(QMessageBox, name) if b.isVisible())


def _click(qtbot: Any, box: QMessageBox, name: str) -> None:
    button = box.findChild(QPushButton, name)
    assert button is not None, name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _answer_open_dialog(monkeypatch: pytest.MonkeyPatch, chosen: Path) -> list[str]:
    """Make 选择备份文件 return ``chosen``; returns the folders the dialog was started in."""
    started_in: list[str] = []

    def fake(_parent: Any, _caption: str, folder: str, filters: str) -> tuple[str, str]:
        started_in.append(folder)
        assert "*.sqlite" in filters and "*.fcbackup" in filters
        return str(chosen), filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake))
    return started_in


def _add_case(window: Any, qtbot: Any) -> None:
    open_case(
        window.case_file,
        IncidentInput(
            title="备份之后登记的火灾",
            fire_date=TODAY - dt.timedelta(days=3),
            place="竟陵街道",
            fire_type="建筑火灾",
            property_loss_yuan=Decimal(2000),
            economic_loss_yuan=Decimal(2000),
        ),
        CasualtyInput(as_of=TODAY, deaths=0, serious_injuries=0),
        today=TODAY,
    )
    window.refresh()
    wait_idle(qtbot, window.worker)


def _backed_up(window: Any, qtbot: Any, target: Path) -> Path:
    with qtbot.waitSignal(window.backup_done, timeout=10000):
        window.run_backup(target)
    _box(qtbot, window, "infoBox").close()
    return target


def test_restore_brings_back_the_backed_up_cases_and_keeps_the_replaced_file(
    make_window: Any, demo_path: Path, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(demo_path)
    assert len(_rows(window)) == 2
    backup = _backed_up(window, qtbot, tmp_path / "备份.sqlite")
    _add_case(window, qtbot)
    assert len(_rows(window)) == 3

    started_in = _answer_open_dialog(monkeypatch, backup)
    window.actions_by_name["restore"].trigger()
    assert started_in == [str(default_backup_folder())]
    box = _box(qtbot, window, "restoreConfirmBox")
    assert "备份.sqlite" in box.text() and str(demo_path) in box.text()
    assert "cases.恢复前备份-" in box.informativeText()
    assert "不会丢失" in box.informativeText()
    with qtbot.waitSignal(window.case_file_opened, timeout=20000):
        _click(qtbot, box, "yesButton")
    wait_idle(qtbot, window.worker)

    assert window.case_file is not None and Path(window.case_file.path) == demo_path.resolve()
    assert len(_rows(window)) == 2
    kept = sorted(demo_path.parent.glob("cases.恢复前备份-*.sqlite"))
    assert len(kept) == 1
    assert str(kept[0]) in window.statusBar().currentMessage()
    assert "恢复前备份" in _box(qtbot, window, "infoBox").text()
    with open_case_file(kept[0], user="复核") as previous:
        assert count_cases(previous, today=TODAY) == 3  # the replaced version, case included
    assert window.windowTitle().startswith("cases.sqlite")


def test_cancelling_the_confirmation_changes_nothing(
    make_window: Any, demo_path: Path, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(demo_path)
    backup = _backed_up(window, qtbot, tmp_path / "备份.sqlite")
    _add_case(window, qtbot)
    _answer_open_dialog(monkeypatch, backup)
    window.actions_by_name["restore"].trigger()
    _click(qtbot, _box(qtbot, window, "restoreConfirmBox"), "noButton")
    wait_idle(qtbot, window.worker)
    assert window.case_file is not None and len(_rows(window)) == 3
    assert not list(demo_path.parent.glob("*恢复前备份*"))


def test_a_bad_backup_is_refused_and_the_case_file_reopened_unchanged(
    make_window: Any, demo_path: Path, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(demo_path)
    bad = tmp_path / "不是备份.sqlite"
    bad.write_text("这不是备份文件。\n" * 20, encoding="utf-8")
    _answer_open_dialog(monkeypatch, bad)
    window.actions_by_name["restore"].trigger()
    with qtbot.waitSignal(window.case_file_opened, timeout=20000):
        _click(qtbot, _box(qtbot, window, "restoreConfirmBox"), "yesButton")
    wait_idle(qtbot, window.worker)
    error = _box(qtbot, window, "errorBox")
    assert "不是 FireCase 备份文件" in error.text()
    assert window.case_file is not None and len(_rows(window)) == 2
    assert not list(demo_path.parent.glob("*恢复前备份*"))


def test_a_server_case_file_is_explained_not_replaced(
    make_window: Any, demo_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(demo_path)
    asked: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a: asked.append("open") or ("", ""))
    )
    real = window.case_file
    window.case_file = SimpleNamespace(path=None, display_name="postgresql://dadui@db/firecase")
    try:
        window.actions_by_name["restore"].trigger()
        box = _box(qtbot, window, "infoBox")
    finally:
        window.case_file = real
    assert "firecase restore" in box.text() and "空数据库" in box.text()
    assert asked == []


def test_unsaved_case_tab_is_asked_about_before_the_file_is_closed(
    make_window: Any, demo_path: Path, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(demo_path)
    backup = _backed_up(window, qtbot, tmp_path / "备份.sqlite")
    _add_case(window, qtbot)
    tab = window.open_case(window.list_panel.model.row_at(0).id)
    wait_idle(qtbot, window.worker)
    unsaved = [True]
    tab.has_unsaved_changes = lambda: unsaved[0]  # as if the officer had typed into the case
    _answer_open_dialog(monkeypatch, backup)
    try:
        _restore_with_an_unsaved_tab(qtbot, window, demo_path, tab)
    finally:
        unsaved[0] = False  # never leave a blocking question for the window's close


def _restore_with_an_unsaved_tab(qtbot: Any, window: Any, demo_path: Path, tab: Any) -> None:
    seen: list[str] = []
    window.actions_by_name["restore"].trigger()
    answer_next_box("continueButton", seen)
    _click(qtbot, _box(qtbot, window, "restoreConfirmBox"), "yesButton")
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    wait_idle(qtbot, window.worker)
    assert "尚未保存" in seen[0]
    assert window.case_file is not None and window.workspaces() == [tab]
    assert not list(demo_path.parent.glob("*恢复前备份*"))

    window.actions_by_name["restore"].trigger()
    answer_next_box("discardButton")
    with qtbot.waitSignal(window.case_file_opened, timeout=20000):
        _click(qtbot, _box(qtbot, window, "restoreConfirmBox"), "yesButton")
    wait_idle(qtbot, window.worker)
    assert window.workspaces() == [] and len(_rows(window)) == 2
    assert len(list(demo_path.parent.glob("cases.恢复前备份-*.sqlite"))) == 1
