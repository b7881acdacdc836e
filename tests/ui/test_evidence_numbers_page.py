"""设置 → 证据编号 with the real widgets: one pattern per kind of evidence shown with the first
number it gives, edited and saved; a bad pattern is refused at its row, nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from firecase.services.evidence_numbers import evidence_patterns
from firecase.store import open_case_file
from firecase.ui.dialogs.settings_dialog import SettingsDialog
from firecase.ui.worker import Worker


@pytest.fixture
def case_file(tmp_path: Path) -> Any:
    cf = open_case_file(tmp_path / "evidence-numbers.sqlite", user="测试")
    yield cf
    cf.close()


@pytest.fixture
def dialog(qtbot: Any, case_file: Any) -> SettingsDialog:
    dlg = SettingsDialog(case_file, Worker(), today=lambda: TODAY)
    qtbot.addWidget(dlg, before_close_func=lambda d: QDialog.done(d, 0))
    dlg.show()
    wait_idle(qtbot, dlg.worker)
    return dlg


def test_the_evidence_numbering_page_edits_and_saves(
    dialog: SettingsDialog, qtbot: Any, case_file: Any
) -> None:
    page = dialog.evidence_numbers
    dialog.tabs.setCurrentWidget(page)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "证据编号"
    assert not dialog.save_button.isVisible()  # the page saves with its own button
    assert page.table.rowCount() == 8
    assert [page.table.item(r, 0).text() for r in range(3)] == ["物证", "书证", "视听资料"]
    assert page.table.item(0, 2).text() == "物证-001"
    assert page.table.item(2, 2).text() == "视听资料-001"
    edit = page.pattern_edit("物证")
    edit.setText("物证")
    assert "证据编号格式须含一个序号" in page.table.item(0, 2).text()
    # saved anyway: refused by the service, named at its row, nothing written
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dialog.worker)
    assert page.status.text().startswith("物证：证据编号格式须含一个序号")
    assert evidence_patterns(case_file).rows[0].pattern == "物证-{NNN}"
    edit.setText("WZ-{年}-{N}")
    assert page.table.item(0, 2).text() == "WZ-2026-1"
    page.pattern_edit("书证").setText("")
    assert page.table.item(1, 2).text() == "（不建议编号）"
    assert page.save_button.isEnabled() and page.has_unsaved_changes()
    with qtbot.waitSignal(page.patterns_saved, timeout=10000):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = evidence_patterns(case_file)
    assert (saved.rows[0].pattern, saved.rows[1].pattern) == ("WZ-{年}-{N}", "")
    assert "已保存" in page.status.text() and not page.has_unsaved_changes()
    assert not page.save_button.isEnabled()
