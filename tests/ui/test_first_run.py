"""First run through the real main window: an empty case file offers the demo cases (yes loads
them, no is remembered for that file); the title names the open file; recent files persist."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import shiboken6
from conftest import wait_idle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from firecase.services.reading import count_cases
from firecase.settings import Preferences, PreferenceStore
from firecase.store import open_case_file
from firecase.ui.main_window import APP_TITLE, MainWindow


def _offer(qtbot: Any, window: MainWindow) -> QMessageBox:
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "demoOfferBox") is not None)
    box = window.findChild(QMessageBox, "demoOfferBox")
    assert isinstance(box, QMessageBox) and box.isVisible()
    return box


def _click(qtbot: Any, box: QMessageBox, name: str) -> None:
    button = box.findChild(QPushButton, name)
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _rows(window: MainWindow) -> list[str]:
    model = window.list_panel.model
    return [model.row_at(i).case_no for i in range(model.rowCount())]  # type: ignore[union-attr]


def test_empty_case_file_offers_the_demo_and_loads_it(
    make_window: Any, tmp_path: Path, qtbot: Any
) -> None:
    path = tmp_path / "新案卷.sqlite"
    window = make_window(path)
    box = _offer(qtbot, window)
    assert "新案卷.sqlite" in box.text() and "还没有案件" in box.text()
    assert "演示案件" in box.informativeText() and "不再询问" in box.informativeText()
    with qtbot.waitSignal(window.demo_loaded, timeout=60000) as loaded:
        _click(qtbot, box, "yesButton")
    assert len(loaded.args[0]) == 2
    wait_idle(qtbot, window.worker, timeout=20000)
    assert len(_rows(window)) == 2
    assert window.clock_panel.model.rowCount() > 0
    assert "演示案件" in window.statusBar().currentMessage()


def test_declining_is_remembered_for_that_file(
    make_window: Any, tmp_path: Path, qtbot: Any, prefs: PreferenceStore
) -> None:
    path = tmp_path / "空白.sqlite"
    window = make_window(path)
    _click(qtbot, _offer(qtbot, window), "noButton")
    assert str(path) in prefs.load().demo_declined
    assert _rows(window) == []
    window.close()
    with open_case_file(path, user="测试") as cf:
        assert count_cases(cf) == 0  # nothing was written

    again = make_window(path)  # the same file, a new window reading the saved preferences
    wait_idle(qtbot, again.worker)
    qtbot.wait(100)
    assert again.findChild(QMessageBox, "demoOfferBox") is None
    assert again.demo_offer is None

    other = make_window(tmp_path / "另一个.sqlite")  # another empty file still asks
    box = _offer(qtbot, other)
    box.reject()  # Esc / closing the box counts as "no"
    assert str(tmp_path / "另一个.sqlite") in prefs.load().demo_declined
    assert shiboken6.isValid(other)


def test_a_file_with_cases_never_asks(make_window: Any, demo_path: Path, qtbot: Any) -> None:
    window = make_window(demo_path)
    qtbot.wait(100)
    assert window.findChild(QMessageBox, "demoOfferBox") is None
    assert len(_rows(window)) == 2


def test_title_and_recent_files_follow_the_open_file(
    make_window: Any, demo_path: Path, tmp_path: Path, qtbot: Any, prefs: PreferenceStore
) -> None:
    second = tmp_path / "第二个案卷.sqlite"
    shutil.copyfile(demo_path, second)
    window = make_window(demo_path)
    assert window.windowTitle() == f"{demo_path.name} — {APP_TITLE}"
    assert window.file_label.text() == f"案卷文件：{demo_path}"

    with qtbot.waitSignal(window.case_file_opened, timeout=15000):
        window.open_location(str(second))
    wait_idle(qtbot, window.worker)
    assert window.windowTitle() == f"{second.name} — {APP_TITLE}"
    assert prefs.load().recent_files[:2] == (str(second), str(demo_path))

    # the 最近打开 menu lists both, newest first, and reopens the older one
    window.recent_menu.aboutToShow.emit()
    actions = [a for a in window.recent_menu.actions() if a.data()]
    assert [a.data() for a in actions] == [str(second), str(demo_path)]
    assert actions[0].text().startswith("&1")
    with qtbot.waitSignal(window.case_file_opened, timeout=15000):
        actions[1].trigger()
    wait_idle(qtbot, window.worker)
    assert window.windowTitle().startswith(demo_path.name)
    assert prefs.load().recent_files[:2] == (str(demo_path), str(second))
    window.close()

    # a new session reads them back; 清空列表 forgets them
    later = MainWindow(user="测试", prefs=prefs)
    qtbot.addWidget(later)
    assert later.windowTitle() == APP_TITLE
    later.recent_menu.aboutToShow.emit()
    assert [a.data() for a in later.recent_menu.actions() if a.data()][:2] == [
        str(demo_path),
        str(second),
    ]
    clear = next(a for a in later.recent_menu.actions() if a.text() == "清空列表")
    clear.trigger()
    assert prefs.load().recent_files == ()
    later.recent_menu.aboutToShow.emit()
    assert [a.text() for a in later.recent_menu.actions()] == ["（无）"]


def test_preferences_keep_declined_files_and_ignore_bad_values() -> None:
    prefs = Preferences().with_demo_declined("/a.sqlite").with_demo_declined("/a.sqlite")
    assert prefs.demo_declined == ("/a.sqlite",)
    again = Preferences.from_json(prefs.to_json())
    assert again.demo_declined == ("/a.sqlite",)
    assert Preferences.from_json({"demo_declined": "/a.sqlite"}).demo_declined == ()
    assert Preferences.from_json({"demo_declined": [1, 2]}).demo_declined == ()


def test_the_command_line_hands_the_gui_its_demo_writer(monkeypatch: Any) -> None:
    """The GUI does not import the samples: ``firecase`` (no subcommand) passes the writer."""
    import firecase.ui.app as app
    from firecase import cli

    seen: dict[str, Any] = {}
    monkeypatch.setattr(app, "run_gui", lambda args, demo=None: seen.setdefault("demo", demo) and 0)
    assert cli.main([]) == 0
    assert seen["demo"] is cli._write_demo


def test_a_window_without_a_demo_writer_offers_nothing(
    qtbot: Any, tmp_path: Path, prefs: PreferenceStore
) -> None:
    from firecase.ui.app import setup_application

    setup_application()
    window = MainWindow(user="测试", prefs=prefs)
    qtbot.addWidget(window)
    window.show()
    window.open_location(str(tmp_path / "空.sqlite"))
    qtbot.waitUntil(lambda: window.case_file is not None, timeout=15000)
    wait_idle(qtbot, window.worker)
    qtbot.wait(100)
    assert window.findChild(QMessageBox, "demoOfferBox") is None
    window.close()
