"""文件 → 导出台账…: choose a register, every case's or the selected case's, and where to save it.

The register is written on the worker (``services.registers.export_register``); success is
told in a message naming the file and how many rows, a failure through the worker's error
message. GUI thread only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from firecase.services.registers import REGISTERS
from firecase.ui import messages
from firecase.ui.icons import icon
from firecase.ui.keyboard import FirstFieldFocus
from firecase.ui.util import fit_to_screen
from firecase.ui.worker import Worker

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
_ABOUT = {
    "cases": "每个案件：起火情况、等级及定级标准、纳入条款、适用情况、办理阶段、"
    "各期限的到期日和状态",
    "deadlines": "所有未完成的期限，逾期在前，附计算说明和依据",
    "members": "调查组成员：姓名、单位、职务、所代表的机关、工作组、加入日期、回避情况",
    "parties": "当事人：类别、名称或姓名、身份、所在单位、近亲属、联系方式",
    "evidence": "证据：编号、名称、提取情况、保管链、附件及其 SHA-256",
    "recommendations": "处理建议：对象、建议、执行机关及其处理备案期限、反馈、备案、移送",
    "rectification": "整改措施：责任单位、整改期限、落实情况、评估结果",
}


class RegisterExportDialog(FirstFieldFocus, QDialog):
    """Pick the register and scope, then the file; owned by the main window. ``exported``
    (``RegisterExport``) is emitted after the file was written."""

    exported = Signal(object)

    def __init__(
        self,
        case_file: Any,
        worker: Worker,
        parent: QWidget | None = None,
        *,
        case: tuple[int, str] | None = None,
        folder: Path | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("registerExportDialog")
        self.setWindowTitle("导出台账")
        self.setWindowIcon(icon("export"))
        self.case_file = case_file
        self.worker = worker
        self.case = case
        self.folder = folder or Path.home()
        self.today = today
        self.result: Any = None

        self.kind = QComboBox()
        self.kind.setObjectName("registerKind")
        for slug, title in REGISTERS.items():
            self.kind.addItem(title, slug)
        self.about = QLabel()
        self.about.setObjectName("registerAbout")
        self.about.setWordWrap(True)
        self.about.setStyleSheet("color: #555;")
        self.only_case = QCheckBox(f"只导出本案件：{case[1]}" if case else "只导出所选案件")
        self.only_case.setObjectName("registerOnlyCase")
        self.only_case.setEnabled(case is not None)
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton("导出…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("registerExportButton")
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole).clicked.connect(
            self.reject
        )
        form = QFormLayout()
        form.addRow("台账", self.kind)
        form.addRow("", self.about)
        form.addRow("范围", self.only_case)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            QLabel("导出为 Excel 工作簿（.xlsx）：表头冻结、可筛选，日期和金额为真实的日期和数字。")
        )
        layout.addWidget(self.buttons)
        fit_to_screen(self, 560, 220)
        self.kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self._on_kind_current_index_changed()

    def slug(self) -> str:
        """The chosen register's slug."""
        return str(self.kind.currentData())

    def _on_kind_current_index_changed(self, *_: object) -> None:
        self.about.setText(_ABOUT.get(self.slug(), ""))

    def _on_export_button_clicked(self) -> None:
        title = REGISTERS[self.slug()]
        name = f"{title}（{self.case[1]}）" if self.case and self.only_case.isChecked() else title
        safe = "".join(ch for ch in name if ch not in '\\/:*?"<>|')
        target, _ = QFileDialog.getSaveFileName(
            self, "导出台账", str(self.folder / f"{safe}.xlsx"), XLSX_FILTER
        )
        if target:
            path = Path(target)
            self.export_to(
                path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")
            )

    def export_to(self, target: Path) -> None:
        """Write the chosen register to ``target`` on the worker."""
        from firecase.services.registers import export_register

        cf, slug, day = self.case_file, self.slug(), self.today()
        case = self.case[0] if self.case and self.only_case.isChecked() else None
        self.export_button.setEnabled(False)
        self.worker.run(
            lambda: export_register(cf, slug, target, case=case, today=day, overwrite=True),
            on_success=self._on_worker_exported,
            on_failure=self._on_worker_export_failed,
            owner=self,
            label="正在导出台账…",
        )

    def _on_worker_exported(self, result: Any) -> None:
        self.result = result
        self.exported.emit(result)
        messages.inform(
            self.parentWidget(),
            "导出完成",
            f"{result.title}（{result.rows} 条）已导出到：\n{result.path}\n"
            "可用 Excel 或 WPS 打开：表头已冻结，可按列筛选。",
        )
        self.accept()

    def _on_worker_export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        messages.show_error(self, exc)
