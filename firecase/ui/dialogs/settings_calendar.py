"""设置 → 节假日日历: the calendar page of the settings dialog (``SettingsDialog``).

A mixin of the dialog (its widgets, worker calls and slots live on the dialog itself): a year's
holidays and make-up working days on a month calendar and in a table, marking a day, a year
marked complete, importing a year from a file or from the State Council's notice, exporting a
year, and the dates a calendar edit moved. GUI thread only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QFileDialog,
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
    QVBoxLayout,
    QWidget,
)

from firecase.services.calendar_import import (
    FORMATS_HELP,
    CalendarImported,
    SeveralYearsError,
    missing_years,
)
from firecase.services.dto import CalendarDayInput, CalendarView
from firecase.ui.dialogs.field_message import (
    ERROR_STYLE,
)
from firecase.ui.icons import icon
from firecase.ui.models.calendar_days import HOLIDAY_BG, WORKDAY_BG, CalendarDaysModel
from firecase.ui.util import from_qdate, to_qdate
from firecase.ui.widgets.date_field import CHINA

CALENDAR_FILTER = "日历文件 (*.csv *.xlsx *.ics *.json *.txt);;所有文件 (*)"
EXPORT_FILTERS = {
    "Excel 工作簿 (*.xlsx)": ".xlsx",
    "CSV 文件 (*.csv)": ".csv",
    "日历文件，可导入手机或 Outlook (*.ics)": ".ics",
    "JSON 文件 (*.json)": ".json",
}


class CalendarPage:
    """The 节假日日历 page's widgets and slots, mixed into ``SettingsDialog`` (which provides
    ``case_file``, ``worker``, ``today``, ``calendar`` and the ``calendar_changed`` signal)."""

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
