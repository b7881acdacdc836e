"""The main window's cases: the clock board, case tabs, save and print, search, settings and
help (a part of ``MainWindow``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QMessageBox,
    QWidget,
)

from firecase import __version__
from firecase.errors import CaseFileError
from firecase.ui import messages
from firecase.ui._window_constants import DONE_CLOCKS_SHOWN
from firecase.ui.icons import app_icon, icon


class CasesMixin:
    """The clock board, the case tabs, settings and help."""

    # ------------------------------------------------------------------------------------------
    # cases
    # ------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """F5: read the case list and the clock board again (the list keeps its place)."""
        if self.case_file is None:
            return
        self.list_panel.model.refresh()
        self._refresh_clocks()

    def _refresh_clocks(self) -> None:
        """Read the open clocks on the worker (the done ones only when the board asks)."""
        cf, today = self.case_file, self.today()

        def job() -> Any:
            from firecase.services.clock_board import clock_board, exempt_cases

            return clock_board(cf, today=today, include_done=False), exempt_cases(cf)

        self.worker.run(
            job,
            on_success=self._on_worker_clocks_loaded,
            owner=self,
            label="正在计算期限…",
        )

    def _on_worker_clocks_loaded(self, result: Any) -> None:
        clocks, exempt = result
        self.clock_panel.set_exempt(exempt)
        self.clock_panel.set_clocks(tuple(clocks))
        cf, today = self.case_file, self.today()
        if cf is not None:
            from firecase.services.settings import calendar_banner
            from firecase.ui.preload import preload_case_reads, preload_reports

            self.worker.run(
                lambda: calendar_banner(cf, today),
                on_success=self._on_worker_banner_read,
                owner=self,
            )
            # the list and the board are shown: what opening a case and 生成报告 need loads
            # while the officer reads them (once per process)
            first = self.list_panel.model.row_at(0)
            if first is not None:
                preload_case_reads(self.worker, cf, first.id, today)
            preload_reports(cf)
        self.refreshed.emit()

    def _on_worker_banner_read(self, text: str) -> None:
        """Show (or hide) the banner asking for the holiday arrangement of a missing year."""
        if text:
            self.calendar_banner_text.setText(
                f"<b>{text}</b> — 导入国务院办公厅发布的节假日安排后，暂定的期限自动重算"
                "（民法典第二百零三条；第十九条的工作日）。"
            )
        self.calendar_banner.setVisible(bool(text))

    def _on_calendar_banner_button_clicked(self) -> None:
        self.open_calendar()

    def _on_clock_panel_done_requested(self) -> None:
        """The newest ``DONE_CLOCKS_SHOWN`` done clocks (显示已完成的期限), read on the worker."""
        cf, today = self.case_file, self.today()
        if cf is None:
            return

        def job() -> Any:
            from firecase.services.clock_board import done_clocks

            return done_clocks(cf, today=today, limit=DONE_CLOCKS_SHOWN)

        self.worker.run(
            job,
            on_success=lambda clocks: self._on_worker_done_clocks_loaded(cf, clocks),
            owner=self,
            label="正在读取已完成的期限…",
        )

    def _on_worker_done_clocks_loaded(self, case_file: Any, clocks: Any) -> None:
        if case_file is self.case_file:
            self.clock_panel.set_done_clocks(tuple(clocks))

    def new_case(self) -> None:
        """Ctrl+N: the intake dialog for a new incident."""
        from firecase.ui.dialogs.intake import IntakeDialog

        if self.case_file is None:
            messages.show_error(self, CaseFileError("请先打开一个案卷文件。"))
            return
        dialog = IntakeDialog(self.case_file, self.worker, self, today=self.today)
        dialog.case_saved.connect(self._on_intake_case_saved)
        self.intake_dialog = dialog
        dialog.open()

    def _on_intake_case_saved(self, summary: Any) -> None:
        self.statusBar().showMessage(f"已立案：{summary.case_no}", 10000)
        self.refresh()
        self.open_case(summary.id)

    def open_case(self, case_id: int) -> QWidget | None:
        """Show case ``case_id`` in a workspace tab (the existing tab if it is open)."""
        from firecase.ui.workspace import open_case_workspace

        if self.case_file is None:
            return None
        for index in range(1, self.tabs.count()):
            widget = self.tabs.widget(index)
            if getattr(widget, "case_id", None) == case_id:
                self.tabs.setCurrentIndex(index)
                return widget
        widget = open_case_workspace(self.tabs, self.case_file, case_id)
        widget.setProperty("firecase_case_id", case_id)
        if getattr(widget, "case_id", None) is None:
            widget.case_id = case_id  # type: ignore[attr-defined]
        index = self.tabs.addTab(widget, icon("new-case"), widget.windowTitle() or "案件")
        widget.windowTitleChanged.connect(
            lambda title, w=widget: self._on_workspace_title(w, title)
        )
        changed = getattr(widget, "case_changed", None)
        if changed is not None:
            changed.connect(self._on_workspace_case_changed)
        loaded = getattr(widget, "detail_loaded", None)
        if loaded is not None:
            loaded.connect(self._on_workspace_detail_loaded)
        self.tabs.setCurrentIndex(index)
        self.case_opened.emit(case_id)
        return widget

    def _on_workspace_title(self, widget: QWidget, title: str) -> None:
        index = self.tabs.indexOf(widget)
        if index >= 0:
            self.tabs.setTabText(index, title)

    def _on_workspace_case_changed(self, case_id: object = None) -> None:
        # A tab saved: it reads its case again right away (ctx.changed, then ctx.reload).
        # That case's list row and board entries are read after that read, not the whole
        # list and board before it (the case is repainted first).
        if isinstance(case_id, int) and hasattr(self.sender(), "detail_loaded"):
            self._changed_cases.add(case_id)
        else:
            self.refresh()

    def _on_workspace_detail_loaded(self, detail: Any) -> None:
        from firecase.ui.preload import preload_reports

        if self.case_file is not None:  # the first case shown: 生成报告 may come next
            preload_reports(self.case_file)
        case_id = detail.case.id
        if case_id in self._changed_cases and self.case_file is not None:
            self._changed_cases.discard(case_id)
            self._refresh_case(case_id)

    def _refresh_case(self, case_id: int) -> None:
        """Read one case's list row and its board entries again (one small job)."""
        cf, today = self.case_file, self.today()

        def job() -> Any:
            from firecase.ui.models.case_list import read_case_row
            from firecase.ui.models.clock_board import read_case_open_clocks

            return read_case_row(cf, case_id, today), read_case_open_clocks(cf, case_id, today)

        self.worker.run(
            job,
            on_success=lambda result: self._on_worker_case_refreshed(cf, case_id, result),
            owner=self,
        )

    def _on_worker_case_refreshed(self, case_file: Any, case_id: int, result: Any) -> None:
        if case_file is not self.case_file:
            return
        row, clocks = result
        if row is None or not self.list_panel.model.update_case_row(row):
            self.list_panel.model.refresh()  # it moved, left the filter, or is new to the list
        self.clock_panel.replace_case_clocks(case_id, tuple(clocks))
        self.refreshed.emit()

    def workspaces(self) -> list[QWidget]:
        """The open case tabs."""
        return [self.tabs.widget(i) for i in range(1, self.tabs.count())]

    def close_current_tab(self) -> None:
        """Ctrl+W: close the current case tab (asking first about unsaved changes)."""
        index = self.tabs.currentIndex()
        if index > 0:
            self._on_tabs_tab_close_requested(index)

    def _confirm_close_workspace(self, widget: QWidget) -> bool:
        has_unsaved = getattr(widget, "has_unsaved_changes", None)
        if has_unsaved is None or not has_unsaved():
            return True
        answer = messages.ask_discard(self, widget.windowTitle() or "案件")
        if answer is messages.DiscardAnswer.SAVE:
            widget.save()  # type: ignore[attr-defined]
            return not has_unsaved()
        return answer is messages.DiscardAnswer.DISCARD

    def _close_workspaces(self) -> bool:
        for widget in self.workspaces():
            if not self._confirm_close_workspace(widget):
                return False
        while self.tabs.count() > 1:
            widget = self.tabs.widget(1)
            self.tabs.removeTab(1)
            widget.deleteLater()
        return True

    def save_current(self) -> None:
        """Ctrl+S: save the current case tab, if it has something to save."""
        save = getattr(self.tabs.currentWidget(), "save", None)
        if save is not None:
            save()

    def print_current(self) -> None:
        """Ctrl+P: the report dialog of the current case tab, or of the case selected in the list.

        The dialog (``firecase.ui.dialogs.report_dialog``) is the reports layer's:
        ``ReportDialog(case_file, case_no, worker, today=..., now=...)``.
        """
        widget = self.tabs.currentWidget()
        printer = getattr(widget, "print_report", None)
        if printer is not None:
            printer()
            return
        case_no = self._selected_case_no()
        if case_no is None or self.case_file is None:
            self.statusBar().showMessage("请先选择一个案件，再生成报告。", 5000)
            return
        from firecase.ui.dialogs.report_dialog import open_report_dialog

        self.report_dialog = open_report_dialog(
            self, self.case_file, case_no, self.worker, today=self.today
        )

    @staticmethod
    def _report_service() -> object | None:
        """The report dialog module's spec, or None while it is not installed.

        Only looked up, not imported: the dialog pulls in ReportLab, pypdfium2 and Qt's print
        support, which the window does not need to paint. ``print_current`` imports it when a
        report is asked for, and the dialog builds the PDF on the worker.
        """
        import importlib.util

        return importlib.util.find_spec("firecase.ui.dialogs.report_dialog")

    def focus_search(self) -> None:
        """Ctrl+F: show the case list and put the cursor in its search box."""
        self.tabs.setCurrentIndex(0)
        self.list_panel.focus_search()

    def clear_filters(self) -> None:
        """Empty the search box and reset every filter."""
        p = self.list_panel
        for widget in (p.search, p.stage_filter, p.grade_filter, p.overdue_only):
            widget.blockSignals(True)
        p.search.clear()
        p.stage_filter.setCurrentIndex(0)
        p.grade_filter.setCurrentIndex(0)
        p.overdue_only.setChecked(False)
        for widget in (p.search, p.stage_filter, p.grade_filter, p.overdue_only):
            widget.blockSignals(False)
        p.apply_filters()

    def show_case_list(self) -> None:
        """Ctrl+1: back to the case list."""
        self.tabs.setCurrentIndex(0)

    # ------------------------------------------------------------------------------------------
    # settings, help
    # ------------------------------------------------------------------------------------------

    def open_settings(self, page: int = 0) -> None:
        """The settings dialog (``page`` 1: the holiday calendar)."""
        from firecase.ui.dialogs.settings_dialog import SettingsDialog

        if self.case_file is None:
            messages.show_error(self, CaseFileError("请先打开一个案卷文件。"))
            return
        dialog = SettingsDialog(self.case_file, self.worker, self, today=self.today)
        dialog.settings_saved.connect(self._on_settings_dialog_settings_saved)
        dialog.standards_changed.connect(self._on_settings_dialog_settings_saved)
        dialog.calendar_changed.connect(self._on_settings_dialog_calendar_changed)
        dialog.tabs.setCurrentIndex(page)
        self.settings_dialog = dialog
        dialog.open()

    def open_calendar(self) -> None:
        """The settings dialog at the holiday calendar."""
        self.open_settings(page=1)

    def open_standards(self) -> None:
        """The settings dialog at the fire grade standards (read-only unless 管理员)."""
        from firecase.ui.dialogs.settings_dialog import SettingsDialog

        self.open_settings(page=SettingsDialog.STANDARDS_PAGE)

    def _on_settings_dialog_settings_saved(self, *_args: object) -> None:
        self.refresh()

    def _on_settings_dialog_calendar_changed(self) -> None:
        """The calendar changed: 暂定 and firm dates move in the list, the board and every open
        case."""
        self.refresh()
        for ws in self.workspaces():
            reload = getattr(ws, "reload", None)
            if callable(reload):
                reload()

    def open_regulation_viewer(self, target: str | None = None) -> QWidget:
        """F1: the regulation viewer (at ``target``, e.g. "第五条第一项")."""
        from firecase.ui.dialogs.regulation_viewer import open_regulation

        return open_regulation(self, target)

    def open_log_folder(self) -> None:
        """Open the folder of the log files in the file manager."""
        from firecase.log import log_dir

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))

    def show_shortcuts(self) -> QWidget:
        """帮助 → 快捷键: every key the program defines (read from its actions and widgets)."""
        from firecase.ui.dialogs.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shortcuts_dialog = dialog
        dialog.finished.connect(self._on_shortcuts_dialog_finished)
        dialog.open()
        return dialog

    def _on_shortcuts_dialog_finished(self, _result: int) -> None:
        self.shortcuts_dialog = None

    def show_about(self) -> None:
        """The about box: version, what the program is for, the regulation it follows."""
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle("关于 FireCase")
        box.setIconPixmap(app_icon().pixmap(96, 96))
        box.setText(f"<h3>FireCase {__version__}</h3><p>火灾事故调查处理案件管理</p>")
        box.setInformativeText(
            "依据《天门市火灾事故调查处理办法》（天政办发〔2022〕40号）："
            "记录火灾、判定等级和纳入范围、组织调查组、管理法定期限、生成调查报告与评估报告。"
            "<br/><br/>界面字体：文泉驿微米黑；报告字体：AR PL UMing、文泉驿微米黑（随程序附带）。"
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
