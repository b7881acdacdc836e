"""The report dialog's output: save as PDF, export as Word, print (a part of ``ReportDialog``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
)

from firecase.ui import messages
from firecase.ui.dialogs._report_render import (
    _KIND_BY_KEY,
    _write_atomically,
    default_file_name,
    explain_failure,
    export_docx,
    print_pdf,
)

_last_folder: str = ""


def _save_folder() -> str:
    """Where the save dialog opens: the folder of the last save, else the documents folder."""
    if _last_folder and Path(_last_folder).is_dir():
        return _last_folder
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


class ReportOutputMixin:
    """Saving the report as PDF, exporting it as Word and printing it."""

    # -- save ---------------------------------------------------------------------------------

    def suggested_path(self) -> Path:
        """Where the save dialog proposes to put the PDF."""
        return Path(_save_folder()) / default_file_name(self.case_no, self.kind)

    def choose_and_save(self) -> None:
        """Ask where to save the PDF (file dialog), then save it there."""
        if self.report is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, "保存为PDF", str(self.suggested_path()), "PDF 文件 (*.pdf)"
        )
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        """Write the PDF shown to ``path`` (off the GUI thread); ``report_saved`` when done."""
        report = self.report
        if report is None:
            return
        data = report.pdf
        self._run(
            lambda: _write_atomically(path, data),
            f"正在保存 {path.name}……",
            self._on_worker_report_saved,
            self._on_worker_job_failed,
        )

    def _on_worker_report_saved(self, path: Path) -> None:
        global _last_folder
        _last_folder = str(path.parent)
        self.status_label.setText(f"已保存：{path}")
        self.report_saved.emit(str(path))

    def _on_worker_job_failed(self, exc: BaseException) -> None:
        self._restore_status()
        messages.show_error(self, exc)

    # -- Word ---------------------------------------------------------------------------------

    def suggested_docx_path(self) -> Path:
        """Where the export dialog proposes to put the Word document."""
        return Path(_save_folder()) / default_file_name(self.case_no, self.kind, ".docx")

    def choose_and_export_docx(self) -> None:
        """Ask where to save the Word document (file dialog), then build it there."""
        path, _filter = QFileDialog.getSaveFileName(
            self, "导出为Word文档", str(self.suggested_docx_path()), "Word 文档 (*.docx)"
        )
        if not path:
            return
        if not path.lower().endswith(".docx"):
            path += ".docx"
        self.export_docx_to(Path(path))

    def export_docx_to(self, path: Path) -> None:
        """Build the chosen report as a Word document at ``path`` (off the GUI thread);
        ``report_exported`` when done."""
        kind, case_file, case_no = self.kind, self.case_file, self.case_no
        generated_at, today = self._now().replace(microsecond=0), self._today()
        self._run(
            lambda: export_docx(
                case_file, kind, case_no, path, generated_at=generated_at, today=today
            ),
            f"正在导出 {path.name}……",
            self._on_worker_docx_exported,
            self._on_worker_export_failed,
        )

    def _on_worker_docx_exported(self, path: Path) -> None:
        global _last_folder
        _last_folder = str(path.parent)
        self.status_label.setText(f"已导出Word文档：{path}")
        self.report_exported.emit(str(path))

    def _on_worker_export_failed(self, exc: BaseException) -> None:
        self._restore_status()
        if self.report is None:
            self.status_label.setText("Word文档没有导出。")
        messages.show_error(self, explain_failure(exc))

    # -- print --------------------------------------------------------------------------------

    def choose_printer_and_print(self) -> None:
        """Ask for printer, page range and copies (print dialog), then print."""
        report = self.report
        if report is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"{report.case_no} {_KIND_BY_KEY[report.kind].file_label}")
        printer.setFromTo(1, report.page_count)
        printer.setPrintRange(QPrinter.PrintRange.AllPages)
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("printDialog")
        dialog.setWindowTitle("打印报告")
        dialog.setMinMax(1, report.page_count)
        option = QAbstractPrintDialog.PrintDialogOption
        dialog.setOptions(
            option.PrintPageRange
            | option.PrintCurrentPage
            | option.PrintToFile
            | option.PrintShowPageSize
        )
        dialog.accepted.connect(lambda: self._on_print_dialog_accepted(printer))
        dialog.finished.connect(dialog.deleteLater)
        self._print_dialog = dialog
        QDialog.open(dialog)  # window-modal, no nested event loop (QPrintDialog hides open())

    def _on_print_dialog_accepted(self, printer: QPrinter) -> None:
        self._print_dialog = None
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Print the report shown on ``printer`` as its settings say (range, copies), off the
        GUI thread; ``report_printed(pages)`` when done. The printer is the job's until then."""
        report = self.report
        if report is None:
            return
        pdf, current = report.pdf, max(1, self.preview.current_page)
        self._run(
            lambda: print_pdf(pdf, printer, current_page=current),
            "正在发送到打印机……",
            self._on_worker_report_printed,
            self._on_worker_job_failed,
        )

    def _on_worker_report_printed(self, pages: int) -> None:
        self.status_label.setText(f"已发送到打印机：{pages}页。")
        self.report_printed.emit(pages)
