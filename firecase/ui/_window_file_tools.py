"""The main window's file tools: backup, check, restore, close, export and import of cases,
deadlines and the register (a part of ``MainWindow``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
)

from firecase.ui import messages
from firecase.ui._window_constants import APP_TITLE, log
from firecase.ui.background import BackgroundTask


class FileToolsMixin:
    """Backup, check, restore and close the case file; export and import."""

    def backup_case_file(self) -> None:
        """Back up the whole open case file (SQLite copy, or a logical backup of a server)."""
        cf = self.case_file
        if cf is None:
            return
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        if cf.path is not None:
            proposed = str(Path(cf.path).with_name(f"{Path(cf.path).stem}.备份-{stamp}.sqlite"))
            filters = "案卷副本 (*.sqlite);;逻辑备份 (*.fcbackup)"
        else:
            proposed = str(
                Path(self.prefs.last_folder or Path.home()) / f"案卷.备份-{stamp}.fcbackup"
            )
            filters = "逻辑备份 (*.fcbackup)"
        target, _ = QFileDialog.getSaveFileName(self, "备份案卷文件", proposed, filters)
        if target:
            self.run_backup(Path(target))

    def verify_case_file(self, anchor: str = "") -> None:
        """检查案卷: the checks of ``firecase verify`` on the worker, the result in a dialog.

        ``anchor`` (``SEQ:HASH`` from a report's signature page) is asked for first when not
        given; an empty answer checks without one."""
        from PySide6.QtWidgets import QInputDialog

        cf = self.case_file
        if cf is None:
            return
        if not anchor:
            text, ok = QInputDialog.getText(
                self,
                "检查案卷",
                "如要核对报告上印的审计链锚点，请输入“序号:哈希”（可留空）：",
            )
            if not ok:
                return
            anchor = text.strip()
        self.run_verify(anchor)

    def quick_verify_case_file(self) -> None:
        """增量检查案卷: only what was written since the last sound check (its point)."""
        if self.case_file is not None:
            self.run_verify(quick=True)

    def run_verify(self, anchor: str = "", *, quick: bool = False) -> None:
        """Run the checks on the worker and show the result (``services.maintenance``); the
        steps and the time they still need are shown beside the busy indicator."""
        from firecase.services.maintenance import verify_case_file

        cf = self.case_file
        report = self.worker.report
        self.worker.run(
            lambda: verify_case_file(cf, anchor=anchor, quick=quick, progress=report),
            on_success=self._on_worker_verify_done,
            owner=self,
            label="正在增量检查案卷…" if quick else "正在检查案卷…",
        )

    def _on_worker_verify_done(self, report: Any) -> None:
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout

        from firecase.services.maintenance import verify_lines

        self.last_verify_report = report
        dialog = QDialog(self)
        dialog.setObjectName("verifyResult")
        dialog.setWindowTitle("检查案卷")
        headline = QLabel(
            (
                "检查点之后写入的内容完好：审计链完整，改动的数据与审计记录一致。"
                if report.quick_since is not None
                else "案卷完好：审计链完整，数据与审计记录一致，附件均与其 SHA-256 相符。"
            )
            if report.ok
            else "发现问题：以下数据与审计记录不符，或审计记录本身被改动。"
            "请保留此结果并报告管理员。"
        )
        headline.setObjectName("verifyHeadline")
        headline.setWordWrap(True)
        if not report.ok:
            headline.setStyleSheet("color: #b00020; font-weight: bold;")
        details = QPlainTextEdit("\n".join(verify_lines(report)))
        details.setObjectName("verifyDetails")
        details.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        layout = QVBoxLayout(dialog)
        layout.addWidget(headline)
        layout.addWidget(details, 1)
        layout.addWidget(buttons)
        dialog.resize(780, 420)
        dialog.open()

    def run_backup(self, target: Path) -> None:
        """Back up the open case file to ``target`` on the worker (``services.backup``)."""
        from firecase.services.backup import backup_case_file

        location = self._location
        report = self.worker.report
        self.worker.run(
            lambda: backup_case_file(location, target, overwrite=True, progress=report),
            on_success=self._on_worker_backup_done,
            owner=self,
            label="正在备份…",
        )

    def _on_worker_backup_done(self, result: Any) -> None:
        self.statusBar().showMessage(f"已备份到 {result.path}", 10000)
        messages.inform(self, "备份完成", f"案卷文件已完整备份到：\n{result.path}")
        self.backup_done.emit(result.path)

    def restore_from_backup(self) -> None:
        """文件 → 从备份恢复: replace the SQLite case file with a backup (``ui.restore``)."""
        from firecase.ui.restore import RestoreFlow

        self.restore_flow = RestoreFlow(self)
        self.restore_flow.start()

    def close_case_file(self) -> bool:
        """Close the case tabs (asking about unsaved edits) and the case file; False if kept.

        The file itself is closed on the worker after the jobs queued before now (which may
        still use it), so a job queued afterwards finds it closed and unlocked.
        """
        if not self._close_workspaces():
            return False
        old, self.case_file = self.case_file, None
        self._location = ""
        if old is not None:
            self._close_case_file_later(old)
        self.list_panel.model.set_fetcher(None)
        self.clock_panel.set_clocks(())
        self.setWindowTitle(APP_TITLE)
        self.setWindowFilePath("")
        self.file_label.setText("未打开案卷文件")
        self.file_label.setToolTip("")
        self.count_label.clear()
        self._update_actions()
        return True

    def _run_scheduled_backup(self, case_file: Any) -> None:
        """The daily automatic backup of a SQLite case file (at most one a day)."""
        from firecase.services.backup import (
            Retention,
            default_backup_folder,
            run_scheduled_backup,
        )

        if case_file.path is None:
            return
        path = case_file.path
        # its own thread, not the worker: a full copy and check of a large file must not
        # hold up the queries typed meanwhile, nor the closing of the window
        said = self.backup_progress.emit  # from the backup's thread, queued to the GUI
        self.scheduled_backup = BackgroundTask(
            lambda: run_scheduled_backup(
                path, default_backup_folder(), Retention(), dt.datetime.now(), progress=said
            ),
            name="firecase-automatic-backup",
            on_success=self._on_worker_scheduled_backup_done,
            on_failure=lambda exc: log.warning("automatic backup failed: %s", exc),
            owner=self,
        ).start()

    def _on_backup_progress(self, step: Any) -> None:
        """The day's automatic backup says how far it is in the status bar."""
        self.statusBar().showMessage(f"今日自动备份：{step.text()}", 3000)

    def _on_worker_scheduled_backup_done(self, result: Any) -> None:
        if result.created is not None:
            self.statusBar().showMessage(f"今日自动备份：{result.created}", 8000)

    def selected_case_id(self) -> int | None:
        """The case of the current tab, or the case selected in the list."""
        widget = self.tabs.currentWidget()
        if widget is not self.list_panel:
            return getattr(widget, "case_id", None)
        return self.list_panel.current_case_id()

    def _selected_case_no(self) -> str | None:
        case_id = self.selected_case_id()
        if case_id is None:
            return None
        widget = self.tabs.currentWidget()
        detail = getattr(widget, "detail", None)
        if detail is not None and getattr(detail, "case", None) is not None:
            return str(detail.case.case_no)
        row = self.list_panel.model.row_at(self.list_panel.model.row_of_case(case_id))
        return row.case_no if row else None

    def export_case(self) -> None:
        """Write the selected case with everything under it to a .fcase file."""
        case_id, case_no = self.selected_case_id(), self._selected_case_no()
        if case_id is None or case_no is None:
            self.statusBar().showMessage("请先在列表中选择一个案件。", 5000)
            return
        safe = "".join(ch for ch in case_no if ch not in '\\/:*?"<>|')
        folder = Path(self.prefs.last_folder or Path.home())
        target, _ = QFileDialog.getSaveFileName(
            self, "导出案件", str(folder / f"{safe}.fcase"), "案件导出文件 (*.fcase)"
        )
        if target:
            self.run_export(case_id, Path(target))

    def run_export(self, case_id: int, target: Path) -> None:
        """Export case ``case_id`` to ``target`` on the worker (``services.transfer``)."""
        from firecase.services.transfer import export_case

        cf = self.case_file
        self.worker.run(
            lambda: export_case(cf, case_id, target, overwrite=True),
            on_success=self._on_worker_export_done,
            owner=self,
            label="正在导出案件…",
        )

    def _on_worker_export_done(self, result: Any) -> None:
        self.statusBar().showMessage(f"已导出 {result.case_no} 到 {result.path}", 10000)
        messages.inform(
            self,
            "导出完成",
            f"案件 {result.case_no} 已导出到：\n{result.path}\n"
            f"（{result.rows} 行，附件 {result.attachments} 个）",
        )

    def export_deadlines(self) -> None:
        """Write every open clock to an .ics file the officer's calendar imports."""
        folder = Path(self.prefs.last_folder or Path.home())
        target, _ = QFileDialog.getSaveFileName(
            self, "导出期限日历", str(folder / "火灾事故调查处理期限.ics"), "日历文件 (*.ics)"
        )
        if target:
            self.run_export_deadlines(Path(target))

    def run_export_deadlines(self, target: Path) -> None:
        """Export the open clocks to ``target`` on the worker (``services.deadline_calendar``)."""
        from firecase.services.deadline_calendar import export_deadlines

        cf = self.case_file
        self.worker.run(
            lambda: export_deadlines(cf, target, overwrite=True),
            on_success=self._on_worker_deadlines_exported,
            owner=self,
            label="正在导出期限日历…",
        )

    def _on_worker_deadlines_exported(self, result: Any) -> None:
        self.statusBar().showMessage(f"已导出 {result.events} 个期限到 {result.path}", 10000)
        messages.inform(
            self,
            "导出完成",
            f"{result.events} 个未完成的期限（{result.cases} 件案件）已导出到：\n{result.path}\n"
            "每个期限在到期前3日、1日提醒。可导入 Outlook、WPS 日历或手机日历；"
            "期限变化后重新导出，会更新日历中的同一日程。",
        )

    def _register_dialog_args(self) -> dict[str, Any]:
        case_id, case_no = self.selected_case_id(), self._selected_case_no()
        return {
            "case": (case_id, case_no) if case_id is not None and case_no else None,
            "folder": Path(self.prefs.last_folder or Path.home()),
            "today": self.today,
        }

    def export_register(self) -> None:
        """文件 → 导出台账…: a register as an Excel workbook (``dialogs.register_export``)."""
        from firecase.ui.dialogs.register_export import RegisterExportDialog

        if self.case_file is None:
            return
        dialog = RegisterExportDialog(
            self.case_file, self.worker, self, **self._register_dialog_args()
        )
        dialog.exported.connect(self._on_register_dialog_exported)
        self.register_dialog: Any = dialog
        dialog.open()

    def _on_register_dialog_exported(self, result: Any) -> None:
        self.statusBar().showMessage(
            f"已导出{result.name}（{result.rows} 条）到 {result.path}", 10000
        )

    def import_register(self) -> None:
        """文件 → 从台账导入…: map, check and import a register (``dialogs.register_import``)."""
        from firecase.ui.dialogs.register_import import RegisterImportDialog

        if self.case_file is None:
            return
        dialog = RegisterImportDialog(
            self.case_file, self.worker, self, **self._register_dialog_args()
        )
        dialog.imported.connect(self._on_register_dialog_imported)
        self.register_dialog = dialog
        dialog.open()

    def _on_register_dialog_imported(self, result: Any) -> None:
        self.statusBar().showMessage(result.summary(), 10000)
        self.refresh()
        case = getattr(self.register_dialog, "case", None)
        if result.kind != "cases" and case is not None:
            self._reload_changed_workspaces(frozenset({case[0]}))

    def import_case(self) -> None:
        """Read a .fcase file, show what it holds, and import it after the user agrees."""
        folder = self.prefs.last_folder or str(Path.home())
        source, _ = QFileDialog.getOpenFileName(
            self, "导入案件", folder, "案件导出文件 (*.fcase);;所有文件 (*)"
        )
        if source:
            self.run_import(Path(source), ask=True)

    def run_import(self, source: Path, *, ask: bool = True) -> None:
        """Preview ``source`` on the worker, confirm (if ``ask``), then import it."""
        from firecase.services.transfer import preview_case_export

        cf = self.case_file
        self.worker.run(
            lambda: preview_case_export(cf, source),
            on_success=lambda preview: self._on_worker_import_previewed(source, preview, ask),
            owner=self,
            label="正在检查导出文件…",
        )

    def _on_worker_import_previewed(self, source: Path, preview: Any, ask: bool) -> None:
        from firecase.services.transfer import import_case

        as_copy = bool(preview.number_taken)
        text = (
            f"文件中的案件：{preview.case_no}　{preview.title}\n"
            f"起火日期：{preview.fire_date or '—'}；"
            f"导出时间：{preview.exported_at}；{preview.rows} 行。"
        )
        if as_copy:
            text += "\n\n本案卷中已有同一编号的案件，将作为副本导入并使用下一个空闲编号。"
        if ask and not messages.confirm(self, "导入案件", text, ok_text="导入"):
            return
        cf = self.case_file
        self.worker.run(
            lambda: import_case(cf, source, as_copy=as_copy),
            on_success=self._on_worker_import_done,
            owner=self,
            label="正在导入案件…",
        )

    def _on_worker_import_done(self, result: Any) -> None:
        self.statusBar().showMessage(f"已导入案件 {result.case_no}", 10000)
        self.refresh()
        self.open_case(result.case_id)
