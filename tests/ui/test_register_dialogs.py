"""文件 → 导出台账… and 文件 → 从台账导入… through the real widgets:
the menu, the export dialog and its file dialog, the mapping dialog with a combo per field,
its preview table, 检查 listing the failing rows, and 导入."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, wait_idle
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from firecase.services.reading import find_case_id, get_case
from firecase.services.register_import import import_register, read_register
from firecase.services.registers import export_register
from firecase.store import open_case_file

CASE_NO = "天消调〔2025〕第001号"  # the demo's 较大 fire: 8 members in three sub-groups


def _menu_texts(window: Any) -> list[str]:
    file_menu = window.menuBar().actions()[0].menu()
    return [a.text() for a in file_menu.actions()]


def _select(window: Any, case_no: str) -> None:
    model = window.list_panel.model
    row = next(i for i in range(model.rowCount()) if model.row_at(i).case_no == case_no)
    window.list_panel.table.selectRow(row)
    assert window.selected_case_id() is not None


def test_file_menu_exports_a_register_of_the_selected_case(
    make_window: Any, demo_path: Path, qtbot: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    window = make_window(demo_path)
    assert {"导出台账…", "从台账导入…"} <= set(_menu_texts(window))
    _select(window, CASE_NO)
    window.actions_by_name["export_register"].trigger()
    dialog = window.register_dialog
    assert (
        dialog.isVisible() and dialog.only_case.isEnabled() and CASE_NO in dialog.only_case.text()
    )
    dialog.kind.setCurrentIndex(dialog.kind.findData("members"))
    assert "工作组" in dialog.about.text()
    dialog.only_case.setChecked(True)
    target = tmp_path / "名单"  # typed without the extension: .xlsx is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.worker)
    written = target.with_name("名单.xlsx")
    sheet = load_workbook(written).active
    title = get_case(window.case_file, find_case_id(window.case_file, CASE_NO)).case.title
    assert sheet["A1"].value == f"调查组名单（{CASE_NO} {title}）"
    names = [sheet.cell(row=r, column=4).value for r in range(4, sheet.max_row + 1)]
    assert len(names) == 8 and "周建国" in names
    assert "调查组名单（8 条）" in window.statusBar().currentMessage()
    assert not dialog.isVisible()


@pytest.fixture
def registers(demo_path: Path, tmp_path: Path) -> dict[str, Path]:
    """The demo's case register and the 较大 case's members register, and a case file that
    holds that case's intake facts only (imported from the case register)."""
    out = {"cases": tmp_path / "案件台账.xlsx", "members": tmp_path / "调查组名单.xlsx"}
    with open_case_file(demo_path, user="测试") as cf:
        export_register(cf, "cases", out["cases"], today=TODAY)
        export_register(cf, "members", out["members"], case=CASE_NO, today=TODAY)
    out["file"] = tmp_path / "新案卷.sqlite"
    with open_case_file(out["file"], user="测试") as cf:
        mapping = read_register(out["cases"], "cases").mapping
        import_register(cf, out["cases"], "cases", mapping, today=TODAY)
    return out


def test_mapping_dialog_previews_checks_and_imports_the_members(
    make_window: Any, registers: dict[str, Path], qtbot: Any, monkeypatch: Any
) -> None:
    book = load_workbook(registers["members"])
    sheet = book.active
    role_column = next(c.column for c in sheet[3] if c.value == "调查组职务")
    sheet.cell(row=6, column=role_column, value="队长")  # no such post on a team (第九条)
    bad = registers["members"].with_name("名单-有误.xlsx")
    book.save(bad)

    window = make_window(registers["file"])
    _select(window, CASE_NO)
    window.actions_by_name["import_register"].trigger()
    dialog = window.register_dialog
    assert not dialog.check_button.isEnabled()  # nothing read yet
    dialog.kind.setCurrentIndex(dialog.kind.findData("members"))
    assert CASE_NO in dialog.target.text()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.worker)

    # the proposed mapping: every field at the column FireCase's register names it by
    assert dialog.header_row.value() == 3 and dialog.sheet.currentText() == "调查组名单"
    assert dialog.combos["name"].currentText() == "D 姓名"
    assert dialog.combos["body"].currentText() == "H 所代表的机关"
    assert dialog.combos["subgroups"].currentText() == "I 工作组"
    assert dialog.combos["joined_on"].currentText() == "J 加入日期"
    headers = [
        dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())
    ]
    assert headers[:3] == ["案件编号", "姓名", "所在单位"]
    assert dialog.table.rowCount() == 8
    assert dialog.table.verticalHeaderItem(0).text() == "第4行"
    assert dialog.table.item(0, 1).text() == "周建国"

    # a required field left out is said before any row is read
    name_column = dialog.combos["name"].currentData()
    dialog.set_column("name", None)
    assert "姓名" not in [
        dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())
    ]
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.worker)
    assert dialog.error.isVisible() and "请为“姓名”选择" in dialog.error.text()
    dialog.set_column("name", name_column)

    # 检查: the bad row is listed with its row number, column and the service's reason
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.worker)
    listed = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert listed[0].startswith("第6行（调查组职务，G列）：调查组职务应为以下之一")
    assert "没有导入任何记录" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    case_id = find_case_id(window.case_file, CASE_NO)
    assert get_case(window.case_file, case_id).members == ()  # a check writes nothing

    # the corrected file: checked, then imported in one go
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(registers["members"]), "")
    )
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.worker)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.worker)
    assert "可以导入调查组成员 8 条" in dialog.summary.text()
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.worker)
    detail = get_case(window.case_file, case_id)
    assert [x.name for x in detail.members][:2] == ["周建国", "刘志强"] and len(detail.members) == 8
    assert {g.name for g in detail.subgroups} == {"综合组", "技术组", "管理组"}
    assert "已导入调查组成员 8 条" in window.statusBar().currentMessage()
    assert not dialog.import_button.isEnabled()  # not twice by accident


def test_a_file_that_is_not_a_register_is_said_at_the_top(
    make_window: Any, registers: dict[str, Path], qtbot: Any, tmp_path: Path
) -> None:
    window = make_window(registers["file"])
    window.actions_by_name["import_register"].trigger()
    dialog = window.register_dialog
    assert "新案件" in dialog.target.text()  # cases need no selected case
    text = tmp_path / "台账.xlsx"
    text.write_text("姓名,单位\n张三,天门市公安局\n", encoding="utf-8")
    dialog.open_file(text)
    wait_idle(qtbot, window.worker)
    assert dialog.error.isVisible() and "不是 Excel 工作簿" in dialog.error.text()
    assert not dialog.check_button.isEnabled() and dialog.table.rowCount() == 0
