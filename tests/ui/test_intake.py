"""The intake dialog: a message beside each invalid field and nothing saved; the live verdict
with its clauses; saving opens the case in the file; basis links; the discard prompt."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, wait_idle
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QPlainTextEdit
from ui_support import answer_next_box, link_position, type_chinese

from firecase.services.reading import count_cases, list_cases
from firecase.store import open_case_file
from firecase.ui.dialogs.intake import IntakeDialog
from firecase.ui.widgets.date_field import DateEdit
from firecase.ui.worker import Worker


@pytest.fixture
def case_file(tmp_path: Path) -> Any:
    cf = open_case_file(tmp_path / "intake.sqlite", user="测试")
    yield cf
    cf.close()


@pytest.fixture
def dialog(qtbot: Any, case_file: Any) -> IntakeDialog:
    worker = Worker()
    dlg = IntakeDialog(case_file, worker, today=lambda: TODAY)
    # close without the discard prompt when the test is over
    qtbot.addWidget(dlg, before_close_func=lambda d: QDialog.done(d, 0))
    dlg.show()
    return dlg


def fill_valid(dlg: IntakeDialog, qtbot: Any) -> None:
    """A complete, valid incident typed as an officer would."""
    type_chinese(dlg.editor("place"), "竟陵街道西湖路")
    type_chinese(dlg.editor("unit_name"), "天门市某某商贸有限公司")
    qtbot.keyClicks(dlg.editor("fire_time"), "14:35")
    dlg.editor("fire_type").setCurrentIndex(1)
    type_date(dlg.editor("fire_date"), qtbot, TODAY.replace(day=1))
    for key, value in (
        ("property_loss_yuan", "120000"),
        ("economic_loss_yuan", "150000"),
    ):
        qtbot.keyClicks(dlg.editor(key), value)


def type_date(editor: Any, qtbot: Any, value: Any) -> None:
    """Select the date field's text and type ``value`` over it, as an officer would."""
    assert isinstance(editor, DateEdit)
    editor.line_edit.selectAll()
    qtbot.keyClicks(editor.line_edit, value.isoformat())


def set_field(dlg: IntakeDialog, qtbot: Any, key: str, value: Any) -> None:
    editor = dlg.editor(key)
    if isinstance(editor, DateEdit):
        type_date(editor, qtbot, value)
    elif isinstance(editor, QPlainTextEdit):
        editor.setPlainText(value)
    elif isinstance(editor, QLineEdit):
        editor.clear()
        if value.isascii():
            qtbot.keyClicks(editor, value)
        else:
            type_chinese(editor, value)
    else:  # the fire type combo: index 0 is "请选择…"
        editor.setCurrentIndex(value)


INVALID = [
    ("fire_date", TODAY.replace(year=TODAY.year + 1), "不能晚于今天"),
    ("fire_time", "25:00", "不存在"),
    ("fire_time", "下午", "时:分"),
    ("place", "", "请填写起火地点"),
    ("address", "路" * 301, "过长"),
    ("unit_name", "单" * 201, "过长"),
    ("fire_type", 0, "请选择火灾类别"),
    ("title", "", "请填写案件名称"),
    ("deaths", "-1", "不能为负数"),
    ("deaths", "abc", "应为数字"),
    ("serious_injuries", "1.5", "应为整数"),
    ("serious_injuries", "", "没有请填 0"),
    ("property_loss_yuan", "十万", "金额数字"),
    ("property_loss_yuan", "-5", "不能为负数"),
    ("economic_loss_yuan", "100.123", "两位小数"),
    ("economic_loss_yuan", "", "没有请填 0"),
    ("economic_loss_yuan", "100000", "不能小于直接财产损失"),
    ("households_affected", "-3", "不能为负数"),
]


@pytest.mark.parametrize(
    ("key", "value", "expected"), INVALID, ids=[f"{k}-{e}" for k, _, e in INVALID]
)
def test_invalid_value_shows_message_beside_field_and_saves_nothing(
    dialog: IntakeDialog, qtbot: Any, case_file: Any, key: str, value: Any, expected: str
) -> None:
    fill_valid(dialog, qtbot)
    assert dialog.save_button.isEnabled()
    set_field(dialog, qtbot, key, value)
    assert expected in dialog.message(key)
    assert dialog.fields[key].message.isVisible()
    assert not dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    dialog.save()  # even a direct call refuses
    wait_idle(qtbot, dialog.worker)
    assert dialog.saved is None
    assert count_cases(case_file) == 0


JUDGEMENT_INVALID = [
    ("social_impact", "social_impact_by", "", "请填写认定机关或人员"),
    (
        "social_impact",
        "social_impact_on",
        TODAY.replace(day=1).replace(month=1),
        "不能早于起火日期",
    ),
    ("social_impact", "social_impact_reason", "", "请填写认定理由"),
    ("deemed_necessary", "deemed_by", "", "请填写作出决定的政府或消防救援机构"),
    ("deemed_necessary", "deemed_on", TODAY.replace(year=TODAY.year + 1), "不能晚于今天"),
    ("deemed_necessary", "deemed_reason", "", "请填写决定理由"),
]


@pytest.mark.parametrize(("box", "key", "value", "expected"), JUDGEMENT_INVALID)
def test_judgement_fields_are_required_once_claimed(
    dialog: IntakeDialog, qtbot: Any, case_file: Any, box: str, key: str, value: Any, expected: str
) -> None:
    fill_valid(dialog, qtbot)
    checkbox = getattr(dialog, box)
    qtbot.mouseClick(checkbox, Qt.MouseButton.LeftButton, pos=QPoint(6, checkbox.height() // 2))
    assert checkbox.isChecked()
    prefix = "social_impact" if box == "social_impact" else "deemed"
    set_field(dialog, qtbot, f"{prefix}_by", "天门市人民政府")
    set_field(dialog, qtbot, f"{prefix}_reason", "网络舆情广泛关注")
    set_field(dialog, qtbot, key, value)
    assert expected in dialog.message(key)
    assert not dialog.save_button.isEnabled()
    dialog.save()
    wait_idle(qtbot, dialog.worker)
    assert count_cases(case_file) == 0


def test_one_death_is_included_under_clause_one(dialog: IntakeDialog, qtbot: Any) -> None:
    fill_valid(dialog, qtbot)
    assert not dialog.verdict.inclusion.included
    set_field(dialog, qtbot, "deaths", "1")
    inclusion = dialog.verdict.inclusion
    assert inclusion.included and inclusion.clauses == (1,)
    html = dialog.verdict_view.toPlainText()
    assert "纳入调查处理范围" in html and "第五条第一项" in html
    assert dialog.verdict.grade.grade.value == "一般"
    assert "市人民政府" in html


@pytest.mark.parametrize(
    ("typed", "included"), [("500000", True), ("50万", True), ("499999.99", False)]
)
def test_economic_loss_threshold_is_inclusive(
    dialog: IntakeDialog, qtbot: Any, typed: str, included: bool
) -> None:
    fill_valid(dialog, qtbot)
    set_field(dialog, qtbot, "economic_loss_yuan", typed)
    assert dialog.verdict.inclusion.included is included
    assert ("第五条第二项" in dialog.verdict_view.toPlainText()) is included


def test_a_fire_before_the_measures_says_their_clocks_do_not_apply(
    dialog: IntakeDialog, qtbot: Any
) -> None:
    import datetime as dt

    fill_valid(dialog, qtbot)
    set_field(dialog, qtbot, "deaths", "1")
    set_field(dialog, qtbot, "serious_injuries", "0")
    text = dialog.verdict_view.toPlainText()
    assert "本办法的期限不适用" not in text
    set_field(dialog, qtbot, "fire_date", dt.date(2022, 11, 27))
    text = dialog.verdict_view.toPlainText()
    assert "本办法的期限不适用" in text and "第二十六条" in text
    set_field(dialog, qtbot, "fire_date", dt.date(2022, 11, 28))
    assert "本办法的期限不适用" not in dialog.verdict_view.toPlainText()


def test_grade_and_out_of_scope_warning(dialog: IntakeDialog, qtbot: Any) -> None:
    fill_valid(dialog, qtbot)
    set_field(dialog, qtbot, "deaths", "3")
    assert dialog.verdict.grade.grade.value == "较大"
    assert "standard" not in dialog.verdict_view.toPlainText()
    assert "适用标准" in dialog.verdict_view.toPlainText()
    combo = dialog.editor("fire_type")
    combo.setCurrentIndex(combo.findText("森林草原火灾"))
    assert not dialog.verdict.scope.in_scope
    assert "不适用本办法" in dialog.verdict_view.toPlainText()


def test_valid_intake_saves_and_the_case_is_in_the_file(
    dialog: IntakeDialog, qtbot: Any, case_file: Any, tmp_path: Path
) -> None:
    fill_valid(dialog, qtbot)
    set_field(dialog, qtbot, "deaths", "1")
    set_field(dialog, qtbot, "economic_loss_yuan", "500000")
    with qtbot.waitSignal(dialog.case_saved, timeout=10000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    summary = saved.args[0]
    assert summary.case_no.startswith("天消调〔2026〕")
    assert not dialog.isVisible()
    path = case_file.path
    case_file.close()
    with open_case_file(path, user="复核") as again:
        rows = list_cases(again, today=TODAY).rows
        assert [r.title for r in rows] == ["天门市某某商贸有限公司火灾"]
        from firecase.services.reading import get_case

        detail = get_case(again, rows[0].id, today=TODAY)
        assert detail.deaths == 1
        assert detail.inclusion.included and detail.inclusion.clauses == (1, 2)
        assert detail.case.fire_time == "14:35"


def test_clicking_a_basis_link_opens_the_regulation_at_that_item(
    dialog: IntakeDialog, qtbot: Any
) -> None:
    fill_valid(dialog, qtbot)
    set_field(dialog, qtbot, "deaths", "1")
    browser = dialog.verdict_view
    pos = link_position(browser, "reg:5:i1")
    with qtbot.waitSignal(browser.anchorClicked, timeout=3000):
        qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    viewer = dialog._regulation_viewer  # the window's one viewer
    assert viewer.isVisible()
    assert viewer.current_anchor == "a5-i1"
    assert viewer.toc.currentItem().text().startswith("第五条")
    viewer.close()


def test_cancel_with_typed_input_asks_before_discarding(dialog: IntakeDialog, qtbot: Any) -> None:
    type_chinese(dialog.editor("place"), "竟陵街道")
    seen: list[str] = []
    answer_next_box("continueButton", seen)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert seen and "尚未保存" in seen[0]
    assert dialog.isVisible()
    assert dialog.editor("place").text() == "竟陵街道"
    answer_next_box("discardButton")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.saved is None


def test_closing_an_untouched_form_does_not_ask(dialog: IntakeDialog, qtbot: Any) -> None:
    dialog.reject()
    assert not dialog.isVisible()


def test_discard_prompt_can_save_instead(dialog: IntakeDialog, qtbot: Any, case_file: Any) -> None:
    fill_valid(dialog, qtbot)
    answer_next_box("saveButton")
    with qtbot.waitSignal(dialog.case_saved, timeout=10000):
        dialog.close()
    assert count_cases(case_file) == 1
