"""设置 → 文书编号 with the real widgets: the patterns shown, edited and saved; the next
number follows; a pattern without a serial is refused at the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QSpinBox

from firecase.services.doc_numbers import number_patterns
from firecase.store import open_case_file
from firecase.ui.dialogs.settings_dialog import SettingsDialog
from firecase.ui.worker import Worker


@pytest.fixture
def case_file(tmp_path: Path) -> Any:
    cf = open_case_file(tmp_path / "numbers.sqlite", user="测试")
    yield cf
    cf.close()


@pytest.fixture
def dialog(qtbot: Any, case_file: Any) -> SettingsDialog:
    dlg = SettingsDialog(case_file, Worker(), today=lambda: TODAY)
    qtbot.addWidget(dlg, before_close_func=lambda d: QDialog.done(d, 0))
    dlg.show()
    wait_idle(qtbot, dlg.worker)
    return dlg


def test_the_numbering_page_edits_and_saves_pattern_and_next_serial(
    dialog: SettingsDialog, qtbot: Any, case_file: Any
) -> None:
    page = dialog.numbers
    dialog.tabs.setCurrentWidget(page)
    assert not dialog.save_button.isVisible()  # the page saves with its own button
    assert page.table.rowCount() == 8
    assert page.table.item(0, 0).text() == "成立调查组的通知"
    assert page.table.item(0, 5).text() == "天消发〔2026〕1号"
    assert page.table.item(1, 5).text() == "（不编号）"  # 回避申请书: the applicant writes it
    pattern = page.findChild(QLineEdit, "pattern_team_notice")
    serial = page.findChild(QSpinBox, "next_team_notice")
    assert pattern is not None and serial is not None
    pattern.setText("天消发〔{年}〕")
    assert "须含一个序号" in page.table.item(0, 5).text()
    pattern.setText("天消调发〔{年}〕{NNN}号")
    serial.setValue(8)
    assert page.table.item(0, 5).text() == "天消调发〔2026〕008号"
    assert page.save_button.isEnabled()
    with qtbot.waitSignal(page.patterns_saved, timeout=10000):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = number_patterns(case_file, year=2026)
    row = next(r for r in saved.rows if r.kind == "team_notice")
    assert (row.pattern, row.next_serial, row.next_number) == (
        "天消调发〔{年}〕{NNN}号",
        8,
        "天消调发〔2026〕008号",
    )
    assert "已保存" in page.status.text() and not page.save_button.isEnabled()
    # another year: its own counter, from 1
    page.year.setValue(2027)
    wait_idle(qtbot, dialog.worker)
    assert page.table.item(0, 5).text() == "天消调发〔2027〕001号"
