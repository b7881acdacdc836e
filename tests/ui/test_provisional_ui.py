"""Provisional dates (暂定) through the real widgets: the banner from 1 November and while a
暂定 date runs, the list and the board marking 暂定 dates, and importing the year making them
firm everywhere with the moved dates listed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from conftest import wait_idle

from firecase.services import cases
from firecase.services.dto import CasualtyInput, IncidentInput
from firecase.settings import PreferenceStore
from firecase.store import open_case_file

TODAY = dt.date(2026, 12, 2)


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "cases.sqlite"
    with open_case_file(path, user="测试") as cf:
        cases.open_case(
            cf,
            IncidentInput(
                "超市火灾",
                dt.date(2026, 12, 1),
                "天门市竟陵街道",
                "建筑火灾",
                Decimal(650000),
                Decimal(700000),
            ),
            CasualtyInput(dt.date(2026, 12, 1), 1, 0),
            today=TODAY,
        )
    return path


def _window(qtbot: Any, prefs: PreferenceStore, path: Path, today: dt.date) -> Any:
    from firecase.ui.app import setup_application
    from firecase.ui.main_window import MainWindow

    setup_application()
    window = MainWindow(user="测试", prefs=prefs, today=lambda: today)
    qtbot.addWidget(window)
    window.show()
    window.open_location(str(path))
    qtbot.waitUntil(lambda: window.case_file is not None, timeout=15000)
    wait_idle(qtbot, window.worker)
    return window


def test_banner_list_board_and_the_swap_to_firm_dates(
    qtbot: Any, prefs: PreferenceStore, tmp_path: Path
) -> None:
    window = _window(qtbot, prefs, _file(tmp_path), TODAY)
    assert window.calendar_banner.isVisible()
    assert "2027年节假日安排尚未导入" in window.calendar_banner_text.text()
    model = window.list_panel.model
    due_col = model.columnCount() - 1
    assert "2027-02-01（暂定）" in model.data(model.index(0, due_col))
    board = window.clock_panel.model
    texts = [board.data(board.index(r, 4)) for r in range(board.rowCount())]
    assert "2027-02-01（暂定）" in texts

    # the banner's 导入… opens the calendar; a whole 2027 arrives from a file
    window.calendar_banner_button.click()
    dialog = window.settings_dialog
    wait_idle(qtbot, window.worker)
    csv = tmp_path / "2027.csv"
    csv.write_text("日期,类型,名称\n2027/1/1,休,元旦\n2027/2/1,休,春节\n", encoding="gbk")
    dialog.import_file(csv)
    wait_idle(qtbot, window.worker)
    qtbot.waitUntil(lambda: dialog.moved.isVisible(), timeout=10000)
    assert "调查期限" in dialog.moved.text() and "已确定" in dialog.moved.text()
    wait_idle(qtbot, window.worker)
    qtbot.waitUntil(lambda: not window.calendar_banner.isVisible(), timeout=10000)
    # 2027-02-01 is now a holiday: the investigation period rolls to 02-02, firm
    assert model.data(model.index(0, due_col)).startswith("2027-02-02　")
    dialog.close()


def test_no_banner_before_november_without_provisional_dates(
    qtbot: Any, prefs: PreferenceStore, tmp_path: Path
) -> None:
    path = tmp_path / "empty.sqlite"
    with open_case_file(path, user="测试"):
        pass
    window = _window(qtbot, prefs, path, dt.date(2026, 10, 31))
    assert not window.calendar_banner.isVisible()
    window.close()
    window = _window(qtbot, prefs, path, dt.date(2026, 11, 1))
    assert window.calendar_banner.isVisible()
