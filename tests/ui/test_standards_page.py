"""设置 → 火灾等级标准: the standards shown, the 受灾户 editor and the confirmation, read-only for
users who are not 管理员."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QTableWidget

from firecase.services.dto import UserInput
from firecase.services.standards import standards_view
from firecase.services.users import add_user
from firecase.store import open_case_file
from firecase.ui.dialogs.settings_dialog import SettingsDialog
from firecase.ui.worker import Worker


@pytest.fixture
def case_file(tmp_path: Path) -> Any:
    cf = open_case_file(tmp_path / "standards.sqlite", user="测试")
    yield cf
    cf.close()


def _dialog(qtbot: Any, cf: Any) -> SettingsDialog:
    dlg = SettingsDialog(cf, Worker(), today=lambda: TODAY)
    qtbot.addWidget(dlg, before_close_func=lambda d: QDialog.done(d, 0))
    dlg.resize(1280, 720)
    dlg.tabs.setCurrentIndex(SettingsDialog.STANDARDS_PAGE)
    dlg.show()
    wait_idle(qtbot, dlg.worker)
    return dlg


def _texts(widget: Any) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel))


def test_page_shows_both_standards(qtbot: Any, case_file: Any) -> None:
    dlg = _dialog(qtbot, case_file)
    page = dlg.standards
    assert set(page.boxes) == {"xf-2025", "gb-2007"}
    new = _texts(page.boxes["xf-2025"])
    for text in ("消防〔2025〕17号", "国家消防救援局", "2025年3月14日发布", "2025年5月1日起施行"):
        assert text in new
    assert "30日内" in new and "轻微火灾" in new and "1000元以下" in new
    old = _texts(page.boxes["gb-2007"])
    assert "公安部办公厅" in old and "7日内" in old and "公通字〔1996〕82号" in old
    table = page.boxes["xf-2025"].findChild(QTableWidget, "thresholds_xf-2025")
    cells = [table.item(r, 2).text() for r in range(table.rowCount())]
    assert cells.count("未配置") == 3
    assert not dlg.save_button.isVisible()  # the page has its own 保存
    assert dlg.width() <= 1280 and dlg.height() <= 720


def test_enter_households_thresholds_and_confirm(qtbot: Any, case_file: Any) -> None:
    dlg = _dialog(qtbot, case_file)
    page = dlg.standards
    edits = page.households_edits
    save = page.save_households
    assert save is not None and not save.isEnabled()
    edits["households_large"].setText("500")
    edits["households_major"].setText("100")
    assert "应大于较大火灾的阈值" in page.field_messages["households_major"].text()
    assert "请填写依据" in page.field_messages["households_citation"].text()
    assert not save.isEnabled()
    edits["households_large"].setText("abc")
    assert "正整数" in page.field_messages["households_large"].text()
    edits["households_large"].setText("100")
    edits["households_major"].setText("500")
    edits["households_extraordinary"].setText("1000")
    assert page.citation_edit is not None
    page.citation_edit.setText("《火灾统计管理规定》（消防〔2025〕17号）第×条")
    assert save.isEnabled() and not any(m.isVisible() for m in page.field_messages.values())
    with qtbot.waitSignal(page.standards_changed, timeout=10000):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dlg.worker)
    entry = standards_view(case_file, today=TODAY).in_force.households
    assert entry is not None and entry.minimum("较大") == 100
    assert page.households_edits["households_large"].text() == "100"  # rebuilt from the saved
    table = page.boxes["xf-2025"].findChild(QTableWidget, "thresholds_xf-2025")
    assert any("100户以上" in table.item(r, 2).text() for r in range(table.rowCount()))

    confirm = page.confirm_button
    assert confirm is not None and confirm.isEnabled()
    with qtbot.waitSignal(page.standards_changed, timeout=10000):
        qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dlg.worker)
    assert page.confirmation is not None and "确认为现行标准" in page.confirmation.text()
    assert standards_view(case_file, today=TODAY).in_force.confirmed_on == TODAY


def test_read_only_for_a_non_administrator(qtbot: Any, tmp_path: Path) -> None:
    with open_case_file(tmp_path / "team.sqlite", user="admin") as cf:
        add_user(cf, UserInput("admin", "赵管理", "管理员"), today=TODAY)
        add_user(cf, UserInput("chen", "陈晓明", "调查员"), today=TODAY)
    cf = open_case_file(tmp_path / "team.sqlite", user="chen")
    try:
        dlg = _dialog(qtbot, cf)
        page = dlg.standards
        assert not page.editable
        assert page.findChild(QLabel, "standardsReadOnly") is not None
        assert page.confirm_button is not None and not page.confirm_button.isEnabled()
        assert all(e.isReadOnly() for e in page.households_edits.values())
        page.households_edits["households_large"].setText("100")
        assert page.save_households is not None and not page.save_households.isEnabled()
        assert not dlg.tabs.widget(0).isEnabled()  # 常规 read-only too
        assert not dlg.mark_holiday.isEnabled() and not dlg.import_button.isEnabled()
        dlg.close()
    finally:
        cf.close()
