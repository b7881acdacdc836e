"""The settings dialog: organisation and case numbers, deadline rolling, report fonts, the
holiday calendar editor, the fire grade standards (``standards_page``), the document numbers
(``document_numbers_page``) and the evidence numbers (``evidence_numbers_page``).

Everything shown is read from and written to the case file through the settings services
(``firecase.services.settings``) on the worker. The 常规 page is saved with "保存"; calendar
edits are saved one by one as they are made (each a transaction). A user who may not change
settings (not 管理员, in team mode) sees every page read-only. GUI thread only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from firecase.errors import ConflictError, FirecaseError
from firecase.services.calendar_import import (
    FORMATS_HELP,
    CalendarImported,
    SeveralYearsError,
    missing_years,
)
from firecase.services.dto import CalendarDayInput, CalendarView, SettingsInput, SettingsView
from firecase.ui import messages
from firecase.ui.dialogs.field_message import (
    ERROR_STYLE,
    with_message as with_field_message,
)
from firecase.ui.dialogs.standards_page import StandardsPage
from firecase.ui.icons import icon
from firecase.ui.keyboard import FirstFieldFocus
from firecase.ui.models.calendar_days import HOLIDAY_BG, WORKDAY_BG, CalendarDaysModel
from firecase.ui.parsing import InputError, parse_text
from firecase.ui.util import fit_to_screen, from_qdate, to_qdate
from firecase.ui.widgets.date_field import CHINA
from firecase.ui.worker import Worker

FONT_FILTER = "TrueType 字体 (*.ttf *.ttc);;所有文件 (*)"
CALENDAR_FILTER = "日历文件 (*.csv *.xlsx *.ics *.json *.txt);;所有文件 (*)"
EXPORT_FILTERS = {
    "Excel 工作簿 (*.xlsx)": ".xlsx",
    "CSV 文件 (*.csv)": ".csv",
    "日历文件，可导入手机或 Outlook (*.ics)": ".ics",
    "JSON 文件 (*.json)": ".json",
}


FONT_SETTING_LABELS = {
    "report_title_font": "报告标题字体（小标宋）",
    "report_body_font": "报告正文字体（仿宋）",
    "report_heading1_font": "一级标题字体（黑体）",
    "report_heading2_font": "二级标题字体（楷体）",
}


def fonts_in_use_text(values: dict[str, str]) -> str:
    """Which face each report role uses with these settings (chosen, installed, bundled)."""
    from firecase.reports.fonts import FontConfig

    roles = {
        "report_title_font": "title",
        "report_body_font": "body",
        "report_heading1_font": "heading1",
        "report_heading2_font": "heading2",
    }
    chosen = {roles[k]: Path(v) for k, v in values.items() if v and Path(v).is_file()}
    return "\n".join(FontConfig.resolve(dict(chosen)).describe())


class FontPicker(QWidget):
    """A report font: empty for the bundled face, else a TrueType file the user chose."""

    def __init__(self, name: str, default_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setObjectName(name)
        self.edit.setPlaceholderText(default_label)
        self.edit.setClearButtonEnabled(True)
        browse = QPushButton("选择…")
        browse.clicked.connect(self._on_browse_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(browse)

    def _on_browse_clicked(self) -> None:
        start = str(Path(self.edit.text()).parent) if self.edit.text() else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "选择字体文件", start, FONT_FILTER)
        if path:
            self.edit.setText(path)


class SettingsDialog(FirstFieldFocus, QDialog):
    """设置. Owned by the main window; GUI thread only.

    ``settings_saved(SettingsView)`` after the 常规 page was saved; ``calendar_changed()``
    after each calendar edit (clocks depend on it).
    """

    settings_saved = Signal(object)
    calendar_changed = Signal()
    standards_changed = Signal(object)

    STANDARDS_PAGE = 2

    def __init__(
        self,
        case_file: Any,
        worker: Worker,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("设置")
        self.setWindowIcon(icon("settings"))
        self.case_file = case_file
        self.worker = worker
        self.today = today()
        self.settings: SettingsView | None = None
        self.calendar: CalendarView | None = None
        self._loaded_general: tuple[Any, ...] | None = None
        self.read_only = False  # set once the standards page says the user is not 管理员
        self.tabs = QTabWidget()
        self.tabs.addTab(self._general_page(), icon("settings"), "常规")
        self.tabs.addTab(self._calendar_page(), icon("calendar"), "节假日日历")
        self.standards = StandardsPage(case_file, worker, self.today)
        self.standards.standards_changed.connect(self.standards_changed)
        self.tabs.addTab(self.standards, icon("regulation"), "火灾等级标准")
        from firecase.ui.dialogs.document_numbers_page import DocumentNumbersPage

        self.numbers = DocumentNumbersPage(case_file, worker, self.today)
        self.tabs.addTab(self.numbers, icon("print"), "文书编号")
        from firecase.ui.dialogs.evidence_numbers_page import EvidenceNumbersPage

        self.evidence_numbers = EvidenceNumbersPage(case_file, worker)
        self.tabs.addTab(self.evidence_numbers, icon("print"), "证据编号")
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveSettings")
        close = self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 1040, 700)
        self.save_button.setEnabled(False)
        # the standards page saves its own editor: the dialog's 保存 is the 常规 page's
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.load()

    # ------------------------------------------------------------------------------------------
    # 常规
    # ------------------------------------------------------------------------------------------

    def _general_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.organisation = QLineEdit()
        self.organisation.setObjectName("organisation_name")
        self.organisation.setPlaceholderText("如：天门市消防救援大队")
        self.case_no_prefix = QLineEdit()
        self.case_no_prefix.setObjectName("case_no_prefix")
        self.roll = QCheckBox(
            "期限末日为法定休假日的，顺延至休假日结束的次日（民法典第二百零三条）"
        )
        self.roll.setObjectName("roll_to_workday")
        self.font_pickers: dict[str, FontPicker] = {
            key: FontPicker(key, "留空：自动（本机标准字体，否则随程序附带）")
            for key in FONT_SETTING_LABELS
        }
        self.title_font = self.font_pickers["report_title_font"]
        self.body_font = self.font_pickers["report_body_font"]
        self.general_messages: dict[str, QLabel] = {}

        def with_message(key: str, widget: QWidget) -> QWidget:
            return with_field_message(key, widget, self.general_messages)

        form.addRow("单位名称（报告页眉）", with_message("organisation_name", self.organisation))
        form.addRow("案件编号前缀", with_message("case_no_prefix", self.case_no_prefix))
        form.addRow("期限计算", self.roll)
        hint = QLabel(
            "关闭后，按日计算的期限即使末日为法定休假日也不顺延。变更后各案件的期限将重新计算。"
        )
        hint.setStyleSheet("color:#6b6b6b;")
        form.addRow("", hint)
        for key, label in FONT_SETTING_LABELS.items():
            form.addRow(label, with_message(key, self.font_pickers[key]))
        self.fonts_in_use = QLabel()
        self.fonts_in_use.setObjectName("fonts_in_use")
        self.fonts_in_use.setWordWrap(False)  # one short line per role; wrapping clipped it
        self.fonts_in_use.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("报告实际使用", self.fonts_in_use)
        font_hint = QLabel(
            "按 GB/T 9704 公文格式：标题小标宋、正文仿宋、一级标题黑体、二级标题楷体。"
            "留空时自动使用本机已安装的标准字体（如 simfang.ttf、simkai.ttf、simhei.ttf、"
            "方正小标宋简体、仿宋_GB2312），本机没有的用随程序附带的字体代替（见上方“代”字）。"
            "只能选择 TrueType 字体文件（.ttf / .ttc）。\n"
            "报告中嵌入所用字形，在任何电脑上打印效果一致；PDF 的关键词记录了各部分所用字体。"
        )
        font_hint.setWordWrap(True)
        font_hint.setMinimumWidth(520)
        font_hint.setStyleSheet("color:#6b6b6b;")
        form.addRow("", font_hint)
        self.general_status = QLabel()
        self.general_status.setObjectName("generalStatus")
        self.general_status.setWordWrap(True)
        self.general_status.setMinimumWidth(520)  # wrapped in a form row it shrank to a column
        self.general_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("", self.general_status)
        for edit in (
            self.organisation,
            self.case_no_prefix,
            *(picker.edit for picker in self.font_pickers.values()),
        ):
            edit.textChanged.connect(self._on_general_changed)
        self.roll.toggled.connect(self._on_general_changed)
        return page

    def general_values(self) -> tuple[Any, ...]:
        """What the 常规 page shows now."""
        return (
            self.organisation.text(),
            self.case_no_prefix.text(),
            self.roll.isChecked(),
            *(picker.edit.text() for picker in self.font_pickers.values()),
        )

    def _general_of(self, view: SettingsView) -> tuple[Any, ...]:
        """``general_values`` as the page shows ``view``."""
        return (
            view.organisation_name,
            view.case_no_prefix,
            view.roll_to_workday,
            *(str(getattr(view, key, "")) for key in self.font_pickers),
        )

    def general_errors(self) -> dict[str, str]:
        """Messages of the 常规 page's invalid fields."""
        errors: dict[str, str] = {}
        try:
            parse_text(self.organisation.text(), "单位名称")
        except InputError as exc:
            errors["organisation_name"] = exc.message
        try:
            parse_text(self.case_no_prefix.text(), "案件编号前缀", max_len=20)
        except InputError as exc:
            errors["case_no_prefix"] = exc.message
        for key, picker in self.font_pickers.items():
            text = picker.edit.text().strip()
            if text and not Path(text).is_file():
                errors[key] = "找不到该字体文件，请重新选择或留空。"
            elif text and Path(text).suffix.lower() not in (".ttf", ".ttc"):
                errors[key] = "只能使用 TrueType 字体（.ttf 或 .ttc）。"
        return errors

    def has_unsaved_changes(self) -> bool:
        """Whether the 常规 page differs from what is saved."""
        return self._loaded_general is not None and self.general_values() != self._loaded_general

    def _show_general(self, view: SettingsView) -> None:
        self.settings = view
        widgets: list[QWidget] = [
            self.organisation,
            self.case_no_prefix,
            *(picker.edit for picker in self.font_pickers.values()),
            self.roll,
        ]
        for w in widgets:
            w.blockSignals(True)
        self.organisation.setText(view.organisation_name)
        self.case_no_prefix.setText(view.case_no_prefix)
        self.roll.setChecked(view.roll_to_workday)
        for key, picker in self.font_pickers.items():
            picker.edit.setText(str(getattr(view, key, "")))
        for w in widgets:
            w.blockSignals(False)
        self._loaded_general = self._general_of(view)
        self._on_general_changed()

    def save(self) -> None:
        """Save the 常规 page (worker thread)."""
        from firecase.services.settings import update_settings

        if self.general_errors():
            self._on_general_changed()
            return
        data = SettingsInput(
            organisation_name=self.organisation.text().strip(),
            case_no_prefix=self.case_no_prefix.text().strip(),
            roll_to_workday=self.roll.isChecked(),
            **{key: picker.edit.text().strip() for key, picker in self.font_pickers.items()},
        )
        cf = self.case_file
        expected = self.settings.version if self.settings is not None else 0
        self.save_button.setEnabled(False)
        self.worker.run(
            lambda: update_settings(cf, data, expected_version=expected),
            on_success=self._on_worker_settings_saved,
            on_failure=self._on_worker_settings_failed,
            owner=self,
            label="正在保存设置…",
        )

    def _on_worker_settings_saved(self, view: SettingsView) -> None:
        self._show_general(view)
        self.settings_saved.emit(view)
        self.general_status.setStyleSheet("")
        self.general_status.setText("设置已保存。")

    def _on_worker_settings_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ConflictError):
            # another administrator saved first: keep what this one typed, read what was saved
            from firecase.services.settings import get_settings

            cf = self.case_file
            self.worker.run(
                lambda: get_settings(cf),
                on_success=self._on_worker_conflict_read,
                on_failure=lambda err: messages.show_error(self, err),
                owner=self,
            )
            return
        key = getattr(exc, "field", None)
        if isinstance(exc, FirecaseError) and key in self.general_messages:
            self.general_messages[key].setText(exc.message)
            self.general_messages[key].show()
        else:
            messages.show_error(self, exc)
        self.save_button.setEnabled(True)

    def _on_worker_conflict_read(self, latest: SettingsView) -> None:
        """Say what the other administrator changed; the typed values stay, and saving again
        (now against the latest version) makes them the settings."""
        before = self.settings
        labels = {
            "organisation_name": "单位名称",
            "case_no_prefix": "案件编号前缀",
            "roll_to_workday": "期限末日遇法定休假日顺延",
            **FONT_SETTING_LABELS,
        }
        changes = []
        for name, label in labels.items():
            new = getattr(latest, name)
            if before is None or getattr(before, name) != new:
                shown = ("是" if new else "否") if isinstance(new, bool) else (new or "（空）")
                changes.append(f"{label}改为“{shown}”")
        self.settings = latest
        self._loaded_general = self._general_of(latest)
        what = "：" + "；".join(changes) if changes else ""
        self.general_status.setStyleSheet("color:#b00020;")
        self.general_status.setText(
            f"未保存：设置已被其他管理员修改{what}。您填写的内容仍保留在窗口中；"
            "核对后再次点击“保存”，将以您填写的内容为准。"
        )
        self._on_general_changed()

    def _on_general_changed(self, *_args: object) -> None:
        errors = self.general_errors()
        self.fonts_in_use.setText(
            fonts_in_use_text(
                {
                    key: picker.edit.text().strip()
                    for key, picker in self.font_pickers.items()
                    if key not in errors
                }
            )
        )
        for key, label in self.general_messages.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)
        self.save_button.setEnabled(
            self.has_unsaved_changes() and not errors and not self.read_only
        )

    # ------------------------------------------------------------------------------------------
    # 节假日日历
    # ------------------------------------------------------------------------------------------

    def _calendar_page(self) -> QWidget:
        page = QWidget()
        self.year = QSpinBox()
        self.year.setObjectName("calendarYear")
        self.year.setRange(1950, 2200)
        self.year.setValue(self.today.year)
        self.year.setSuffix(" 年")
        self.year.valueChanged.connect(self._on_year_value_changed)
        self.coverage = QLabel()
        self.coverage.setObjectName("calendarCoverage")
        self.coverage.setWordWrap(True)
        self.missing = QLabel()
        self.missing.setObjectName("calendarMissing")
        self.missing.setWordWrap(True)
        self.import_button = QPushButton(icon("import"), "从文件导入一年…")
        self.import_button.setObjectName("importCalendar")
        self.import_button.setToolTip(FORMATS_HELP)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.notice_button = QPushButton(icon("calendar"), "粘贴国务院通知…")
        self.notice_button.setObjectName("pasteNotice")
        self.notice_button.clicked.connect(self._on_notice_button_clicked)
        self.export_button = QPushButton("导出一年…")
        self.export_button.setObjectName("exportCalendar")
        self.export_button.setToolTip("将日历中的一年导出为 Excel、CSV、.ics 或 JSON 文件")
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.import_help = QLabel("可导入的文件：" + FORMATS_HELP)
        self.import_help.setObjectName("calendarImportHelp")
        self.import_help.setWordWrap(True)
        self.import_help.setStyleSheet("color:#555555;")

        self.month = QCalendarWidget()
        self.month.setObjectName("calendarMonth")
        self.month.setGridVisible(True)
        self.month.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.month.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.month.setLocale(CHINA)  # month and weekday names in Chinese, as the date field
        self.month.currentPageChanged.connect(self._on_month_current_page_changed)
        self.month.selectionChanged.connect(self._on_month_selection_changed)

        self.day_label = QLabel()
        self.day_name = QLineEdit()
        self.day_name.setObjectName("calendarDayName")
        self.day_name.setPlaceholderText("名称，如：春节")
        self.mark_holiday = QPushButton("设为法定节假日")
        self.mark_holiday.setObjectName("markHoliday")
        self.mark_workday = QPushButton("设为调休上班日")
        self.mark_workday.setObjectName("markWorkday")
        self.unmark = QPushButton("删除该日记录")
        self.unmark.setObjectName("unmarkDay")
        self.complete_button = QPushButton("标记本年已完整")
        self.complete_button.setObjectName("markYearComplete")
        self.complete_button.setToolTip(
            "逐日登记的日期不算收录该年：确认该年的节假日和调休上班日已全部登记后标记，"
            "涉及该年的期限才由暂定转为确定。标记记入审计记录。"
        )
        self.complete_button.clicked.connect(self._on_complete_button_clicked)
        self.moved = QLabel()
        self.moved.setObjectName("calendarMoved")
        self.moved.setWordWrap(True)
        self.moved.hide()
        self.provisional_before: tuple[Any, ...] = ()
        self.mark_holiday.clicked.connect(self._on_mark_holiday_clicked)
        self.mark_workday.clicked.connect(self._on_mark_workday_clicked)
        self.unmark.clicked.connect(self._on_unmark_clicked)

        self.days_model = CalendarDaysModel(self)
        self.days_table = QTableView()
        self.days_table.setObjectName("calendarDays")
        self.days_table.setModel(self.days_model)
        self.days_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.days_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.days_table.verticalHeader().setVisible(False)
        self.days_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.days_table.horizontalHeader().setStretchLastSection(True)
        self.days_table.clicked.connect(self._on_days_table_clicked)

        legend = QHBoxLayout()
        for color, text in ((HOLIDAY_BG, "法定节假日"), (WORKDAY_BG, "调休上班日")):
            swatch = QLabel()
            swatch.setFixedSize(18, 14)
            swatch.setStyleSheet(f"background-color:{color.name()}; border:1px solid #999999;")
            legend.addWidget(swatch)
            legend.addWidget(QLabel(text))
            legend.addSpacing(10)
        legend.addWidget(QLabel("周六、周日本为休息日，无需登记为节假日"))
        legend.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(QLabel("年份"))
        top.addWidget(self.year)
        top.addSpacing(12)
        top.addWidget(self.coverage, 1)
        top.addWidget(self.notice_button)
        top.addWidget(self.import_button)
        top.addWidget(self.complete_button)
        top.addWidget(self.export_button)

        edit_box = QGroupBox("所选日期")
        edit_grid = QGridLayout(edit_box)
        edit_grid.addWidget(self.day_label, 0, 0, 1, 3)
        edit_grid.addWidget(QLabel("名称"), 1, 0)
        edit_grid.addWidget(self.day_name, 1, 1, 1, 2)
        edit_grid.addWidget(self.mark_holiday, 2, 0)
        edit_grid.addWidget(self.mark_workday, 2, 1)
        edit_grid.addWidget(self.unmark, 2, 2)

        left = QVBoxLayout()
        left.addWidget(self.month, 1)
        left.addLayout(legend)
        left.addWidget(edit_box)
        right = QVBoxLayout()
        right.addWidget(QLabel("本年的节假日与调休上班日"))
        right.addWidget(self.days_table, 1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)

        self.status = QLabel()
        self.status.setObjectName("calendarStatus")
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.import_help)
        layout.addWidget(self.missing)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.moved)
        self.month.setSelectedDate(to_qdate(self.today))
        return page

    def load(self) -> None:
        """Read the settings and the calendar (worker thread)."""
        from firecase.services.permissions import Permission, allowed
        from firecase.services.settings import get_calendar, get_settings

        cf = self.case_file
        self.worker.run(lambda: get_settings(cf), on_success=self._show_general, owner=self)
        self.standards.load()
        self.numbers.load()
        self.evidence_numbers.load()
        self.worker.run(
            lambda: allowed(cf, Permission.MANAGE_SETTINGS),
            on_success=self._on_worker_permission_checked,
            owner=self,
        )
        self.worker.run(
            lambda: get_calendar(cf),
            on_success=self._on_worker_calendar_loaded,
            owner=self,
            label="正在读取节假日日历…",
        )
        self._take_provisional_snapshot()

    def _take_provisional_snapshot(self) -> None:
        """Remember the 暂定 dates, to say which moved after the next calendar change."""
        from firecase.services.settings import provisional_dates

        cf, today = self.case_file, self.today

        def keep(found: tuple[Any, ...]) -> None:
            self.provisional_before = found

        self.worker.run(lambda: provisional_dates(cf, today), on_success=keep, owner=self)

    def _on_complete_button_clicked(self) -> None:
        from firecase.services.settings import mark_year_complete

        cf, year = self.case_file, self.year.value()
        covered = self.calendar is not None and year in self.calendar.years
        self.worker.run(
            lambda: mark_year_complete(cf, year, not covered),
            on_success=self._on_worker_calendar_changed,
            owner=self,
            label="正在保存日历…",
        )

    def _on_tabs_current_changed(self, index: int) -> None:
        # the standards and numbering pages save with their own buttons
        own = (self.standards, self.numbers, self.evidence_numbers)
        self.save_button.setVisible(self.tabs.widget(index) not in own)

    def _on_worker_permission_checked(self, may: bool) -> None:
        """Not 管理员: the 常规 page and the calendar are shown read-only."""
        self.read_only = not may
        if self.read_only:
            self.tabs.widget(0).setEnabled(False)
            self.import_button.setEnabled(False)
            self.complete_button.setEnabled(False)
            self.day_name.setReadOnly(True)
            self._on_general_changed()
            self._on_month_selection_changed()

    def _on_worker_calendar_loaded(self, view: CalendarView) -> None:
        self.calendar = view
        years = view.years
        if years:
            self.coverage.setText(f"已收录 {len(years)} 年：{years[0]}–{years[-1]}")
        else:
            self.coverage.setText("日历中还没有任何年份")
        missing = missing_years(years, self.today)
        if missing:
            self.missing.setText(
                "缺少的年份（涉及这些年份的期限按仅周末休息暂定计算，请导入该年的节假日安排）："
                + "、".join(str(y) for y in missing)
            )
            self.missing.setStyleSheet(ERROR_STYLE)
        else:
            self.missing.setText("截至明年的年份均已收录。")
            self.missing.setStyleSheet("color:#2e7d32;")
        self._show_year()

    def _show_year(self) -> None:
        year = self.year.value()
        view = self.calendar
        days = tuple(d for d in view.days if d.day.year == year) if view else ()
        self.days_model.set_days(days)
        self.month.setDateTextFormat(QDate(), QTextCharFormat())  # clear all formats
        for d in days:
            fmt = QTextCharFormat()
            fmt.setBackground(HOLIDAY_BG if d.kind == "holiday" else WORKDAY_BG)
            fmt.setForeground(QColor("#b71c1c") if d.kind == "holiday" else QColor("#0d47a1"))
            fmt.setToolTip(f"{d.name}（{'法定节假日' if d.kind == 'holiday' else '调休上班日'}）")
            self.month.setDateTextFormat(to_qdate(d.day), fmt)
        covered = view is not None and year in view.years
        state = (
            "已收录"
            if covered
            else "未收录（逐日登记不算收录，涉及该年的期限按仅周末休息暂定计算）"
        )
        self.status.setText(f"{year} 年：{state}，登记 {len(days)} 天。")
        self.complete_button.setText("取消“已完整”标记" if covered else "标记本年已完整")
        self.complete_button.setEnabled(not self.read_only)
        self._on_month_selection_changed()

    def selected_day(self) -> dt.date:
        """The date selected in the month view."""
        return from_qdate(self.month.selectedDate())

    def _entry(self, day: dt.date) -> Any:
        if self.calendar is None:
            return None
        return next((d for d in self.calendar.days if d.day == day), None)

    def _apply_day(self, kind: str) -> None:
        from firecase.services.settings import set_calendar_day

        cf, data = (
            self.case_file,
            CalendarDayInput(self.selected_day(), kind, self.day_name.text().strip()),
        )
        self.worker.run(
            lambda: set_calendar_day(cf, data),
            on_success=self._on_worker_calendar_changed,
            owner=self,
            label="正在保存日历…",
        )

    def _on_worker_calendar_changed(self, view: CalendarView) -> None:
        self._on_worker_calendar_loaded(view)
        self.calendar_changed.emit()
        before = self.provisional_before
        if before:
            from firecase.services.settings import moved_dates

            cf, today = self.case_file, self.today
            self.worker.run(
                lambda: moved_dates(cf, before, today),
                on_success=self._on_worker_dates_moved,
                owner=self,
                label="正在重算暂定期限…",
            )

    def _on_worker_dates_moved(self, moved: tuple[Any, ...]) -> None:
        """Say which 暂定 dates the calendar change recomputed (and which are firm now)."""
        changed = [m for m in moved if m.after != m.before or not m.provisional]
        if changed:
            lines = [m.text for m in changed[:12]]
            more = f"<br/>……另有{len(changed) - 12}项" if len(changed) > 12 else ""
            self.moved.setText(
                f"<b>按新日历重算了{len(changed)}个暂定期限：</b><br/>" + "<br/>".join(lines) + more
            )
            self.moved.show()
        self._take_provisional_snapshot()

    # ------------------------------------------------------------------------------------------
    # slots
    # ------------------------------------------------------------------------------------------

    def _on_year_value_changed(self, year: int) -> None:
        if self.month.yearShown() != year:
            self.month.setCurrentPage(year, self.month.monthShown())
        self._show_year()

    def _on_month_current_page_changed(self, year: int, _month: int) -> None:
        if self.year.value() != year:
            self.year.setValue(year)

    def _on_month_selection_changed(self) -> None:
        day = self.selected_day()
        entry = self._entry(day)
        weekday = "一二三四五六日"[day.weekday()]
        if entry is None:
            kind = "休息日" if day.weekday() >= 5 else "工作日"
            self.day_label.setText(f"{day.isoformat()}（周{weekday}）：{kind}")
            self.day_name.clear()
        else:
            kind = "法定节假日" if entry.kind == "holiday" else "调休上班日"
            self.day_label.setText(f"{day.isoformat()}（周{weekday}）：{kind}　{entry.name}")
            self.day_name.setText(entry.name)
        weekend = day.weekday() >= 5
        edit = not self.read_only
        self.mark_holiday.setEnabled(
            edit and not weekend and (entry is None or entry.kind != "holiday")
        )
        self.mark_workday.setEnabled(
            edit and weekend and (entry is None or entry.kind != "workday")
        )
        self.unmark.setEnabled(edit and entry is not None)
        row = self.days_model.row_of(day)
        if row >= 0:
            self.days_table.selectRow(row)
        else:
            self.days_table.clearSelection()

    def _on_days_table_clicked(self, index: Any) -> None:
        entry = self.days_model.day_at(index.row())
        if entry is not None:
            self.month.setSelectedDate(to_qdate(entry.day))

    def _on_mark_holiday_clicked(self) -> None:
        self._apply_day("holiday")

    def _on_mark_workday_clicked(self) -> None:
        self._apply_day("workday")

    def _on_unmark_clicked(self) -> None:
        from firecase.services.settings import remove_calendar_day

        cf, day = self.case_file, self.selected_day()
        self.worker.run(
            lambda: remove_calendar_day(cf, day),
            on_success=self._on_worker_calendar_changed,
            owner=self,
            label="正在保存日历…",
        )

    def _on_import_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "导入一年的节假日安排", str(Path.home()), CALENDAR_FILTER
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path, year: int | None = None) -> None:
        """Import a year from ``path`` on the worker (``services.calendar_import``); a file of
        several years asks which one (``choose_import_year``)."""
        from firecase.services.calendar_import import import_calendar

        cf = self.case_file

        def job() -> CalendarImported | SeveralYearsError:
            try:
                return import_calendar(cf, path, year=year)
            except SeveralYearsError as exc:  # asked on the GUI thread
                return exc

        self.worker.run(
            job,
            on_success=lambda result: self._on_worker_calendar_imported(path, result),
            owner=self,
            label="正在导入日历…",
        )

    def choose_import_year(self, exc: SeveralYearsError) -> int | None:
        """Ask which year of a file of several to import (None: cancelled)."""
        covered = set(self.calendar.years) if self.calendar else set()
        choices = [f"{y} 年" + ("（已收录）" if y in covered else "") for y in exc.years]
        first_new = next((i for i, y in enumerate(exc.years) if y not in covered), 0)
        choice, ok = QInputDialog.getItem(
            self, "选择要导入的年份", f"{exc.message}\n\n要导入哪一年？", choices, first_new, False
        )
        return exc.years[choices.index(choice)] if ok and choice in choices else None

    def _on_worker_calendar_imported(
        self, path: Path, result: CalendarImported | SeveralYearsError
    ) -> None:
        if isinstance(result, SeveralYearsError):
            year = self.choose_import_year(result)
            if year is not None:
                self.import_file(path, year)
            return
        self._on_worker_calendar_changed(result.view)
        self.year.setValue(result.parsed.year)
        self.status.setText(result.parsed.summary())

    def _on_export_button_clicked(self) -> None:
        years = self.calendar.years if self.calendar else ()
        if not years:
            self.status.setText("日历中还没有任何年份，无法导出。")
            return
        shown = self.year.value()
        year, ok = QInputDialog.getInt(
            self,
            "导出一年的节假日安排",
            f"年份（已收录 {years[0]}–{years[-1]}）：",
            shown if shown in years else years[-1],
            years[0],
            years[-1],
        )
        if not ok:
            return
        path, chosen = QFileDialog.getSaveFileName(
            self,
            "导出节假日安排",
            str(Path.home() / f"{year}年节假日安排.xlsx"),
            ";;".join(EXPORT_FILTERS),
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() not in EXPORT_FILTERS.values():
            target = target.with_name(target.name + EXPORT_FILTERS.get(chosen, ".xlsx"))
        self.export_file(year, target)

    def export_file(self, year: int, path: Path) -> None:
        """Write ``year`` of the calendar to ``path`` on the worker (its suffix says the format)."""
        from firecase.services.calendar_import import export_calendar_year

        cf = self.case_file
        self.worker.run(
            lambda: export_calendar_year(cf, year, path),
            on_success=lambda written: self._on_worker_calendar_exported(year, written),
            owner=self,
            label="正在导出日历…",
        )

    def _on_worker_calendar_exported(self, year: int, path: Path) -> None:
        self.status.setText(f"已将 {year} 年的节假日安排导出到“{path}”。")

    def _on_notice_button_clicked(self) -> None:
        self.open_notice_dialog().open()

    def open_notice_dialog(self) -> Any:
        """The 粘贴国务院通知 dialog for the year shown; applying it reloads the calendar."""
        from firecase.ui.dialogs.notice_dialog import NoticeDialog

        dialog = NoticeDialog(
            self.case_file, self.worker, self.year.value(), self, read_only=self.read_only
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.applied.connect(self._on_notice_applied)
        return dialog

    def _on_notice_applied(self, preview: Any) -> None:
        from firecase.services.settings import get_calendar

        cf = self.case_file
        self.year.setValue(preview.year)
        self.worker.run(
            lambda: get_calendar(cf),
            on_success=self._on_worker_calendar_changed,
            owner=self,
            label="正在读取节假日日历…",
        )

    def _on_save_button_clicked(self) -> None:
        self.save()

    def reject(self) -> None:
        """Close; ask first when the 常规 page has unsaved changes."""
        if self.has_unsaved_changes():
            answer = messages.ask_discard(self, "设置", can_save=not self.general_errors())
            if answer is messages.DiscardAnswer.SAVE:
                self.save()
                return
            if answer is messages.DiscardAnswer.CANCEL:
                return
        if self.numbers.has_unsaved_changes() and not messages.confirm(
            self, "文书编号", "文书编号的修改尚未保存，关闭将放弃这些修改。", ok_text="放弃修改"
        ):
            return
        if self.evidence_numbers.has_unsaved_changes() and not messages.confirm(
            self, "证据编号", "证据编号格式的修改尚未保存，关闭将放弃这些修改。", ok_text="放弃修改"
        ):
            return
        super().reject()
