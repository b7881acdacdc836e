"""粘贴国务院通知: paste or open the notice, see the year it makes, apply it on the worker."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from firecase.services.settings import get_calendar, remove_calendar_day
from firecase.store import open_case_file
from firecase.ui.dialogs.notice_dialog import NoticeDialog
from firecase.ui.dialogs.settings_dialog import SettingsDialog
from firecase.ui.worker import Worker
from tests.unit.rules.test_holiday_notice import NOTICE_2026


@pytest.fixture
def case_file(tmp_path: Path) -> Any:
    cf = open_case_file(tmp_path / "notice.sqlite", user="测试")
    get_calendar(cf)
    remove_calendar_day(cf, dt.date(2026, 2, 14))  # the notice will add it back
    yield cf
    cf.close()


@pytest.fixture
def settings_dialog(qtbot: Any, case_file: Any) -> SettingsDialog:
    dlg = SettingsDialog(case_file, Worker(), today=lambda: TODAY)
    qtbot.addWidget(dlg, before_close_func=lambda d: QDialog.done(d, 0))
    dlg.show()
    wait_idle(qtbot, dlg.worker)
    return dlg


def _notice(settings_dialog: SettingsDialog, qtbot: Any) -> NoticeDialog:
    settings_dialog.year.setValue(2026)
    dialog = settings_dialog.open_notice_dialog()
    qtbot.addWidget(dialog, before_close_func=lambda d: QDialog.done(d, 0))
    dialog.show()
    return dialog


def _cells(dialog: NoticeDialog, row: int) -> list[str]:
    return [dialog.table.item(row, c).text() for c in range(dialog.table.columnCount())]


def test_paste_preview_and_apply(
    settings_dialog: SettingsDialog, qtbot: Any, case_file: Any
) -> None:
    assert settings_dialog.notice_button.text() == "粘贴国务院通知…"
    dialog = _notice(settings_dialog, qtbot)
    assert dialog.year.value() == 2026
    dialog.text.setPlainText(NOTICE_2026)
    dialog.refresh_preview()
    wait_idle(qtbot, dialog.worker)
    assert dialog.error.text() == ""
    rows = [_cells(dialog, r) for r in range(dialog.table.rowCount())]
    assert ["2026-02-14", "周六", "上班", "春节", "新增"] in rows
    assert ["2026-02-21", "周六", "放假", "春节", "不变"] in rows
    assert "新增 1 天，修改 0 天，删除 0 天" in dialog.summary.text()
    assert dialog.apply_button.isEnabled()

    with qtbot.waitSignal(settings_dialog.calendar_changed, timeout=10000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
        wait_idle(qtbot, dialog.worker)
    assert "变动的日期：2月14日" in dialog.status.text()
    days = {d.day: (d.kind, d.source) for d in get_calendar(case_file).days}
    assert days[dt.date(2026, 2, 14)] == ("workday", "notice")
    wait_idle(qtbot, dialog.worker)
    assert not dialog.apply_button.isEnabled()  # nothing left to change
    assert settings_dialog.days_model.row_of(dt.date(2026, 2, 14)) >= 0


def test_unreadable_words_are_shown_in_chinese(settings_dialog: SettingsDialog, qtbot: Any) -> None:
    dialog = _notice(settings_dialog, qtbot)
    dialog.text.setPlainText(
        "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上斑。"
    )
    dialog.refresh_preview()
    wait_idle(qtbot, dialog.worker)
    assert "无法读懂通知中的“1月4日（周日）上斑”" in dialog.error.text()
    assert dialog.error.isVisibleTo(dialog)
    assert dialog.table.rowCount() == 0 and not dialog.apply_button.isEnabled()
    dialog.year.setValue(2025)  # the weekdays say 2026
    dialog.text.setPlainText("一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。")
    dialog.refresh_preview()
    wait_idle(qtbot, dialog.worker)
    assert "请检查年份" in dialog.error.text()


def test_open_a_saved_page(settings_dialog: SettingsDialog, qtbot: Any, tmp_path: Path) -> None:
    dialog = _notice(settings_dialog, qtbot)
    page = tmp_path / "2026.html"
    body = "".join(f"<p>{line}</p>" for line in NOTICE_2026.splitlines())
    page.write_bytes(f"<html><body>{body}</body></html>".encode("gb18030"))
    dialog.open_file(page)
    wait_idle(qtbot, dialog.worker)
    assert dialog.text.toPlainText().startswith("国务院办公厅关于2026年")
    assert dialog.table.rowCount() > 30 and dialog.error.text() == ""
    dialog.open_file(tmp_path / "无.txt")
    assert "找不到文件" in dialog.error.text()


def test_fits_720p(settings_dialog: SettingsDialog, qtbot: Any) -> None:
    dialog = _notice(settings_dialog, qtbot)
    hint = dialog.sizeHint()
    assert dialog.width() <= 1280 and dialog.height() <= 720
    assert hint.width() <= 1280 and hint.height() <= 720
    assert QApplication.instance() is not None
