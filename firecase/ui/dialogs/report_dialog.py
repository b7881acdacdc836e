"""The report dialog (Ctrl+P): pick a report of a case, write the PDF on the worker, open it.

The PDF is built by ``firecase.services.reporting.build_report`` (fonts embedded); this dialog
only chooses what and where. GUI thread only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from firecase.ui import messages
from firecase.ui.icons import icon
from firecase.ui.worker import Worker


class ReportDialog(QDialog):
    """生成报告 for one case. Owned by the main window; GUI thread only.

    ``report_built(Path)`` after the PDF was written.
    """

    report_built = Signal(object)

    def __init__(
        self,
        case_file: Any,
        worker: Worker,
        case_no: str,
        parent: QWidget | None = None,
        *,
        folder: Path | None = None,
        today: dt.date | None = None,
    ) -> None:
        from firecase.services.reporting import REPORT_NAMES

        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle(f"生成报告 — {case_no}")
        self.setWindowIcon(icon("print"))
        self.case_file, self.worker, self.case_no, self.today = case_file, worker, case_no, today
        self.folder = folder or Path.home()
        self.kind = QComboBox()
        self.kind.setObjectName("reportKind")
        for key, name in REPORT_NAMES.items():
            self.kind.addItem(name, key)
        self.kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self.output = QLineEdit()
        self.output.setObjectName("reportOutput")
        browse = QPushButton("选择…")
        browse.clicked.connect(self._on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.output, 1)
        row.addWidget(browse)
        self.open_after = QCheckBox("生成后打开 PDF")
        self.open_after.setChecked(True)
        self.status = QLabel()
        form = QFormLayout()
        form.addRow("案件编号", QLabel(case_no))
        form.addRow("报告", self.kind)
        form.addRow("保存为", row)
        form.addRow("", self.open_after)
        buttons = QDialogButtonBox()
        self.build_button = buttons.addButton("生成", QDialogButtonBox.ButtonRole.AcceptRole)
        self.build_button.setObjectName("buildReport")
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole).clicked.connect(
            self.reject
        )
        self.build_button.clicked.connect(self._on_build_button_clicked)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(620, 220)
        self._on_kind_current_index_changed(0)

    def _default_name(self) -> str:
        safe = "".join(ch for ch in self.case_no if ch not in '\\/:*?"<>|')
        return f"{safe}-{self.kind.currentText()}.pdf"

    def _on_kind_current_index_changed(self, _index: int) -> None:
        self.output.setText(str(self.folder / self._default_name()))

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "保存报告", self.output.text(), "PDF (*.pdf)")
        if path:
            self.output.setText(path)

    def build(self) -> None:
        """Write the chosen report to the chosen file (worker thread)."""
        from firecase.services.reporting import build_report

        out = Path(self.output.text().strip())
        if not out.name or not out.parent.is_dir():
            self.status.setText("请选择一个存在的文件夹和文件名。")
            self.status.setStyleSheet("color:#b71c1c;")
            return
        if out.suffix.lower() != ".pdf":
            out = out.with_suffix(".pdf")
        cf, kind, case_no, today = self.case_file, self.kind.currentData(), self.case_no, self.today
        self.build_button.setEnabled(False)
        self.status.setText("正在生成…")
        self.status.setStyleSheet("")

        def job() -> Path:
            build_report(cf, kind, case_no, out, generated_at=dt.datetime.now(), today=today)
            return out

        self.worker.run(
            job,
            on_success=self._on_worker_report_built,
            on_failure=self._on_worker_report_failed,
            owner=self,
            label="正在生成报告…",
        )

    def _on_worker_report_built(self, path: Path) -> None:
        self.build_button.setEnabled(True)
        self.status.setText(f"已生成：{path}")
        self.report_built.emit(path)
        if self.open_after.isChecked():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _on_worker_report_failed(self, exc: BaseException) -> None:
        self.build_button.setEnabled(True)
        self.status.setText("")
        messages.show_error(self, exc)

    def _on_build_button_clicked(self) -> None:
        self.build()
