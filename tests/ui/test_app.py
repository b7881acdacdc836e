"""Start-up: the app opens a case file, shows demo cases, has Chinese fonts and translations,
and sends every error through ``show_error``; the crash handler logs and shows a dialog."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any

import pytest
from conftest import wait_idle
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from firecase import errors, paths
from firecase.ui import app as ui_app, messages


def test_main_window_shows_demo_cases(make_window: Any, demo_path: Path) -> None:
    window = make_window(demo_path)
    model = window.list_panel.model
    assert model.rowCount() == 2
    numbers = {model.row_at(i).case_no for i in range(2)}
    assert all(n.startswith("天消调〔") for n in numbers)
    assert demo_path.name in window.windowTitle()
    assert "案件 2 件" in window.count_label.text()
    assert window.clock_panel.model.rowCount() > 0
    assert window.actions_by_name["new_case"].isEnabled()


def test_bundled_fonts_and_qt_translation_are_installed(qapp: QApplication) -> None:
    ui_app.setup_application()
    assert "WenQuanYi Micro Hei" in QFontDatabase.families()
    assert qapp.font().family() == "WenQuanYi Micro Hei"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_the_file_dialog_is_chinese(qtbot: Any) -> None:
    """A non-native QFileDialog (as the tests run it) labels every field in Chinese: Qt's own
    zh_CN lacks "&Look in:" and "Files of &type:", which ``QT_SUPPLEMENT`` adds."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel

    ui_app.setup_application()
    dialog = QFileDialog(None, "选择文件", str(Path.home()), "文本文件 (*.txt);;所有文件 (*)")
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    for mode in (QFileDialog.AcceptMode.AcceptOpen, QFileDialog.AcceptMode.AcceptSave):
        dialog.setAcceptMode(mode)
        dialog.show()
        qtbot.waitExposed(dialog)
        labels = {w.objectName(): w.text() for w in dialog.findChildren(QLabel)}
        assert labels["lookInLabel"] == "查找范围(&L)："
        assert labels["fileTypeLabel"] == "文件类型(&T)："
        assert labels["fileNameLabel"] == "文件名称(&N)："
        shown = [w.text() for w in dialog.findChildren(QLabel)]
        shown += [w.text() for w in dialog.findChildren(QAbstractButton) if w.isVisible()]
        shown += [w.toolTip() for w in dialog.findChildren(QAbstractButton) if w.isVisible()]
        english = [t for t in shown if re.search("[A-Za-z]{3}", t.replace("&", ""))]
        assert english == [], english
        dialog.hide()


def test_default_case_file_when_no_db_is_given() -> None:
    args = argparse.Namespace(db=None, user=None)
    assert ui_app.case_file_location(args) == str(paths.default_case_file())
    assert ui_app.case_file_location(argparse.Namespace(db="x.sqlite")) == "x.sqlite"


def test_firecase_error_shows_its_message_and_what_to_do(qtbot: Any) -> None:
    box = messages.show_error(None, errors.ConflictError("案件已被其他用户修改。"))
    assert box.text() == "案件已被其他用户修改。"
    assert "刷新" in box.informativeText()
    assert box.detailedText() == ""
    box.close()


def test_unexpected_error_is_logged_and_shown_generically(
    qtbot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    try:
        raise KeyError("internal")
    except KeyError as exc:
        with caplog.at_level(logging.ERROR):
            box = messages.show_error(None, exc)
    assert "意外错误" in box.text()
    assert "日志" in box.informativeText()
    assert "KeyError" in box.detailedText()
    assert any("unexpected error" in r.message for r in caplog.records)
    box.close()


def test_crash_handler_logs_traceback_and_shows_dialog(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shown: list[BaseException] = []
    monkeypatch.setattr(messages, "show_crash", shown.append)
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        with caplog.at_level(logging.CRITICAL):
            ui_app._excepthook(RuntimeError, exc, exc.__traceback__)
    assert shown and str(shown[0]) == "boom"
    assert any(r.exc_info and r.exc_info[0] is RuntimeError for r in caplog.records)


def test_rotating_log_file_in_user_data_dir(tmp_path: Path) -> None:
    from firecase.log import setup_logging

    target = setup_logging(folder=tmp_path)
    logging.getLogger("firecase.test").warning("记录一条")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "记录一条" in target.read_text(encoding="utf-8")
    setup_logging()  # back to the default folder for the rest of the session


def test_locked_case_file_error_reaches_the_user(
    make_window: Any, demo_path: Path, qtbot: Any, prefs: Any, monkeypatch: Any
) -> None:
    from firecase.store import casefile
    from firecase.ui.main_window import MainWindow

    monkeypatch.setattr(casefile, "OPEN_LOCK_WAIT", 0.05)  # the wait is test_first_page's

    first = make_window(demo_path)
    second = MainWindow(user="测试", prefs=prefs)
    qtbot.addWidget(second)
    second.show()
    second.open_location(str(demo_path))
    wait_idle(qtbot, second.worker)
    qtbot.waitUntil(lambda: second.findChild(QMessageBox, "errorBox") is not None)
    box = second.findChild(QMessageBox, "errorBox")
    assert "正被另一个" in box.text()
    assert second.case_file is None and first.case_file is not None
    box.close()
