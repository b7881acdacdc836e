"""The settings dialog and the holiday calendar editor, over the settings services."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from ui_support import answer_next_box, type_chinese

from firecase.errors import FirecaseError
from firecase.services.settings import get_calendar, get_settings
from firecase.store import open_case_file
from firecase.ui.dialogs.settings_dialog import SettingsDialog
from firecase.ui.util import to_qdate
from firecase.ui.worker import Worker


@pytest.fixture
def case_file(tmp_path: Path) -> Any:
    cf = open_case_file(tmp_path / "settings.sqlite", user="测试")
    yield cf
    cf.close()


@pytest.fixture
def dialog(qtbot: Any, case_file: Any, qtmodeltester: Any) -> SettingsDialog:
    dlg = SettingsDialog(case_file, Worker(), today=lambda: TODAY)
    qtbot.addWidget(dlg, before_close_func=lambda d: QDialog.done(d, 0))
    dlg.show()
    wait_idle(qtbot, dlg.worker)
    qtmodeltester.check(dlg.days_model)
    return dlg


def test_general_settings_save_to_the_case_file(
    dialog: SettingsDialog, qtbot: Any, case_file: Any
) -> None:
    assert dialog.organisation.text() == get_settings(case_file).organisation_name
    dialog.organisation.clear()
    assert "请填写单位名称" in dialog.general_messages["organisation_name"].text()
    assert not dialog.save_button.isEnabled()
    type_chinese(dialog.organisation, "天门市消防救援支队")
    qtbot.mouseClick(dialog.roll, Qt.MouseButton.LeftButton)
    dialog.title_font.edit.setText("/no/such/font.ttf")
    assert "找不到该字体文件" in dialog.general_messages["report_title_font"].text()
    dialog.title_font.edit.clear()
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.settings_saved, timeout=10000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = get_settings(case_file)
    assert saved.organisation_name == "天门市消防救援支队"
    assert saved.roll_to_workday is False


def test_a_save_after_another_administrators_keeps_what_was_typed_and_says_what_changed(
    dialog: SettingsDialog, qtbot: Any, case_file: Any
) -> None:
    from firecase.services.dto import SettingsInput
    from firecase.services.settings import update_settings

    seen = get_settings(case_file)
    dialog.organisation.clear()
    type_chinese(dialog.organisation, "天门市消防救援支队")  # this administrator's edit
    # meanwhile another administrator turns 期限末日顺延 off and saves
    update_settings(
        case_file,
        SettingsInput(seen.organisation_name, seen.case_no_prefix, roll_to_workday=False),
        expected_version=seen.version,
    )
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "其他管理员" in dialog.general_status.text(), timeout=10000)
    wait_idle(qtbot, dialog.worker)
    status = dialog.general_status.text()
    assert "期限末日遇法定休假日顺延改为“否”" in status and "仍保留" in status
    assert dialog.organisation.text() == "天门市消防救援支队"  # nothing typed is lost
    assert dialog.roll.isChecked()  # still what this window showed: the officer decides
    now = get_settings(case_file)
    assert (now.organisation_name, now.roll_to_workday) == (seen.organisation_name, False)
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.settings_saved, timeout=10000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = get_settings(case_file)
    assert (saved.organisation_name, saved.roll_to_workday) == ("天门市消防救援支队", True)
    assert saved.version == now.version + 1
    assert dialog.general_status.text() == "设置已保存。"


def test_closing_with_unsaved_settings_asks(dialog: SettingsDialog, qtbot: Any) -> None:
    type_chinese(dialog.case_no_prefix, "乙")
    seen: list[str] = []
    answer_next_box("continueButton", seen)
    dialog.reject()
    assert seen and dialog.isVisible()
    answer_next_box("discardButton")
    dialog.reject()
    assert not dialog.isVisible()


def test_mark_and_unmark_a_holiday(dialog: SettingsDialog, qtbot: Any, case_file: Any) -> None:
    dialog.tabs.setCurrentIndex(1)
    day = dt.date(2026, 6, 3)  # a Wednesday
    dialog.month.setSelectedDate(to_qdate(day))
    assert dialog.mark_holiday.isEnabled() and not dialog.mark_workday.isEnabled()
    type_chinese(dialog.day_name, "测试假日")
    with qtbot.waitSignal(dialog.calendar_changed, timeout=10000):
        qtbot.mouseClick(dialog.mark_holiday, Qt.MouseButton.LeftButton)
    assert any(d.day == day and d.kind == "holiday" for d in get_calendar(case_file).days)
    assert dialog.days_model.row_of(day) >= 0
    assert dialog.unmark.isEnabled()
    with qtbot.waitSignal(dialog.calendar_changed, timeout=10000):
        qtbot.mouseClick(dialog.unmark, Qt.MouseButton.LeftButton)
    assert not any(d.day == day for d in get_calendar(case_file).days)


def test_import_a_year_from_csv_and_see_missing_years(
    dialog: SettingsDialog, qtbot: Any, case_file: Any, tmp_path: Path
) -> None:
    assert "2027" in dialog.missing.text()
    source = tmp_path / "2027.csv"
    source.write_text(
        "日期,类型,名称\n2027-01-01,节假日,元旦\n2027-02-06,调休上班,春节\n", encoding="utf-8"
    )
    with qtbot.waitSignal(dialog.calendar_changed, timeout=10000):
        dialog.import_file(source)
    assert 2027 in get_calendar(case_file).years
    assert dialog.year.value() == 2027
    assert dialog.days_model.rowCount() == 2
    assert "2027" not in dialog.missing.text()


def test_a_bad_calendar_file_is_refused_in_chinese(
    dialog: SettingsDialog, qtbot: Any, case_file: Any, tmp_path: Path
) -> None:
    source = tmp_path / "2027.csv"
    source.write_text("2027-01-01,放一天,元旦\n", encoding="utf-8")
    shown: list[BaseException] = []
    dialog.worker.show_error = shown.append
    with qtbot.waitSignal(dialog.worker.job_failed, timeout=10000):
        dialog.import_file(source)
    assert isinstance(shown[0], FirecaseError)
    assert "2027.csv" in str(shown[0]) and "第1行" in str(shown[0])
    assert 2027 not in get_calendar(case_file).years


def test_the_import_button_shows_the_formats_with_an_example(
    dialog: SettingsDialog, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    dialog.tabs.setCurrentIndex(1)
    help_text = dialog.import_help.text()
    assert dialog.import_help.isVisible()
    assert "2027/1/1,休,元旦" in help_text and "2027年2月7日,班,春节" in help_text
    assert "GBK" in help_text and ".ics" in help_text and "周末休息日可列出" in help_text
    asked: list[str] = []
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        staticmethod(lambda _parent, _title, _start, filters: asked.append(filters) or ("", "")),
    )
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert asked and asked[0].startswith("日历文件 (*.csv *.xlsx *.ics *.json *.txt)")


def test_import_a_gbk_file_listing_weekend_days_says_what_was_left_out(
    dialog: SettingsDialog, qtbot: Any, case_file: Any, tmp_path: Path
) -> None:
    source = tmp_path / "2027.csv"
    source.write_bytes(
        "日期,类型,名称\r\n2027/10/1~2027/10/7,休,国庆节\r\n2027年10月9日,班,国庆节\r\n".encode(
            "gbk"
        )
    )
    with qtbot.waitSignal(dialog.calendar_changed, timeout=10000):
        dialog.import_file(source)
    wait_idle(qtbot, dialog.worker)
    assert dialog.year.value() == 2027 and dialog.days_model.rowCount() == 6
    assert "其中2个周末休息日已忽略（本就是休息日）" in dialog.status.text()


def test_a_phone_calendar_of_several_years_asks_which(
    dialog: SettingsDialog, qtbot: Any, case_file: Any, tmp_path: Path
) -> None:
    source = tmp_path / "节假日.ics"
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:{day}\r\nSUMMARY:元旦 休\r\nDTSTART;VALUE=DATE:{day}\r\n"
        "END:VEVENT\r\n"
        for day in ("20260101", "20270101", "20280103")
    )
    source.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n", "utf-8")
    asked: list[tuple[int, ...]] = []
    dialog.choose_import_year = lambda exc: asked.append(exc.years) or 2027  # type: ignore[method-assign]
    with qtbot.waitSignal(dialog.calendar_changed, timeout=10000):
        dialog.import_file(source)
    assert asked == [(2026, 2027, 2028)]
    assert 2027 in get_calendar(case_file).years and 2028 not in get_calendar(case_file).years


def test_export_a_year_from_the_button(
    dialog: SettingsDialog, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from firecase.services.calendar_import import read_calendar_file

    dialog.tabs.setCurrentIndex(1)
    assert dialog.export_button.isVisible() and dialog.export_button.text() == "导出一年…"
    monkeypatch.setattr(QInputDialog, "getInt", staticmethod(lambda *_a: (2026, True)))
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *_a: (str(tmp_path / "2026年"), "CSV 文件 (*.csv)")),
    )
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dialog.worker)
    written = tmp_path / "2026年.csv"  # the chosen filter's suffix added
    assert written.exists() and read_calendar_file(written).year == 2026
    assert "已将 2026 年的节假日安排导出到" in dialog.status.text()
    dialog.export_file(2026, tmp_path / "2026.xlsx")
    wait_idle(qtbot, dialog.worker)
    assert read_calendar_file(tmp_path / "2026.xlsx").year == 2026


def test_each_font_role_shows_its_face_and_saves(
    dialog: SettingsDialog, qtbot: Any, case_file: Any, tmp_path: Path
) -> None:
    """设置 shows, role by role, the face the reports use and what stands in for what; a
    chosen 楷体 file is used for second-level headings and saved."""
    text = dialog.fonts_in_use.text()
    assert "正文（仿宋）：uming.ttc（随程序附带，以宋体代仿宋）" in text
    assert "二级标题（楷体）：LXGWWenKai-Regular.ttf（随程序附带）" in text
    kai = tmp_path / "simkai.ttf"
    kai.write_bytes(
        Path(__file__).parents[2].joinpath("resources/fonts/LXGWWenKai-Regular.ttf").read_bytes()
    )
    dialog.font_pickers["report_heading2_font"].edit.setText(str(kai))
    assert "二级标题（楷体）：simkai.ttf（设置）" in dialog.fonts_in_use.text()
    dialog.font_pickers["report_heading1_font"].edit.setText(str(tmp_path / "simhei.otf"))
    assert "找不到该字体文件" in dialog.general_messages["report_heading1_font"].text()
    assert not dialog.save_button.isEnabled()
    dialog.font_pickers["report_heading1_font"].edit.clear()
    with qtbot.waitSignal(dialog.settings_saved, timeout=10000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert get_settings(case_file).report_heading2_font == str(kai)


def test_the_font_hint_wraps_at_the_width_of_the_fields(dialog: SettingsDialog, qtbot: Any) -> None:
    """Seen at 1280×720 (the GUI review): the grey hint under the fonts wrapped at 520 pixels
    into six lines beside half a page of empty room. It takes the fields' width now."""
    from PySide6.QtWidgets import QLabel

    dialog.show()
    qtbot.wait(50)
    [hint] = [
        label for label in dialog.findChildren(QLabel) if "GB/T 9704 公文格式" in label.text()
    ]
    assert hint.width() >= dialog.organisation.width() - 8, (
        hint.width(),
        dialog.organisation.width(),
    )
