"""设置 → 文书编号: the number pattern of each kind of document and the next serial of a year
(``services.doc_numbers.number_patterns`` / ``save_number_patterns``).

One row per kind: its basis, the pattern (``{年}`` the year, ``{N}`` the serial; empty: issued
without a number), how many numbers the year has used, the next serial (which an administrator
may raise, never below one already issued) and the number it gives. The page saves with its own
button; for a user who may not change settings (not 管理员) it is read-only. GUI thread only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from firecase.errors import ConflictError, FirecaseError
from firecase.ui import messages
from firecase.ui.worker import Worker

__all__ = ["DocumentNumbersPage"]

_COLUMNS = ("文书", "依据", "编号格式", "本年已编号", "下一个序号", "下一个文号")
_PATTERN, _NEXT, _SHOWN = 2, 4, 5
_ERROR_STYLE = "color:#b00020;"


class DocumentNumbersPage(QWidget):
    """The 文书编号 page of 设置. ``patterns_saved(NumberPatternsView)`` after a save."""

    patterns_saved = Signal(object)

    def __init__(self, case_file: Any, worker: Worker, today: dt.date) -> None:
        super().__init__()
        self.case_file, self.worker = case_file, worker
        self.view: Any = None
        self.read_only = False
        self.year = QSpinBox(self)
        self.year.setObjectName("numbersYear")
        self.year.setRange(2000, 2200)
        self.year.setValue(today.year)
        self.year.valueChanged.connect(self._on_year_value_changed)
        self.table = QTableWidget(0, len(_COLUMNS), self)
        self.table.setObjectName("numbersTable")
        self.table.setHorizontalHeaderLabels(list(_COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(_PATTERN, QHeaderView.ResizeMode.Stretch)
        self.save_button = QPushButton("保存文书编号", self)
        self.save_button.setObjectName("saveNumbers")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.status = QLabel(self)
        self.status.setObjectName("numbersStatus")
        self.status.setWordWrap(True)
        hint = QLabel(
            "“{年}”为成文日期的年份，“{N}”为序号（写作“{NNN}”补足三位），每种文书每年分别从1编号；"
            "生成文书时建议下一个编号，可在文书中修改。公文（通知、请示、函）按 GB/T 9704 编发文"
            "字号，如“天消发〔2026〕3号”（不加“第”字、不编虚位）；文书（决定书、委托书、备案表、"
            "通知书）如“天消调回字〔2026〕第3号”。编号格式留空的文书不编号（如回避申请书由申请人"
            "提出）。已手工编过号的，可把“下一个序号”调大。",
            self,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#6b6b6b;")
        top = QHBoxLayout()
        top.addWidget(QLabel("年份：", self))
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addWidget(self.status)
        self.save_button.setEnabled(False)

    # -- reading ------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the patterns of the year shown and whether the user may change them."""
        from firecase.services.doc_numbers import number_patterns
        from firecase.services.permissions import Permission, allowed

        cf, year = self.case_file, self.year.value()
        self.worker.run(lambda: number_patterns(cf, year=year), on_success=self._show, owner=self)
        self.worker.run(
            lambda: allowed(cf, Permission.MANAGE_SETTINGS),
            on_success=self._on_worker_permission_checked,
            owner=self,
        )

    def _show(self, view: Any) -> None:
        self.view = view
        self.table.blockSignals(True)
        self.table.setRowCount(len(view.rows))
        for row, r in enumerate(view.rows):
            for col, value in ((0, r.label), (1, r.basis), (3, str(r.issued))):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, col, item)
            pattern = QLineEdit(r.pattern, self.table)
            pattern.setObjectName(f"pattern_{r.kind}")
            pattern.setPlaceholderText("（不编号）")
            pattern.setToolTip(f"默认：{r.default_pattern or '（不编号）'}")
            pattern.textChanged.connect(self._on_row_edited)
            self.table.setCellWidget(row, _PATTERN, pattern)
            serial = QSpinBox(self.table)
            serial.setObjectName(f"next_{r.kind}")
            serial.setRange(1, 99999)
            serial.setValue(r.next_serial)
            serial.valueChanged.connect(self._on_row_edited)
            self.table.setCellWidget(row, _NEXT, serial)
            self.table.setItem(row, _SHOWN, self._shown(r.next_number or "（不编号）"))
        self.table.blockSignals(False)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(_PATTERN, QHeaderView.ResizeMode.Stretch)
        self._set_editable(not self.read_only)
        self.save_button.setEnabled(False)

    def _on_worker_permission_checked(self, may: bool) -> None:
        self.read_only = not may
        self._set_editable(may)
        if not may:
            self.status.setText("只有管理员可以修改文书编号。")

    def _set_editable(self, editable: bool) -> None:
        for row in range(self.table.rowCount()):
            for col in (_PATTERN, _NEXT):
                widget = self.table.cellWidget(row, col)
                if widget is not None:
                    widget.setEnabled(editable)

    # -- editing ------------------------------------------------------------------------------

    def values(self) -> list[tuple[str, str, int]]:
        """(kind, pattern, next serial) of every row as shown."""
        out = []
        if self.view is None:
            return out
        for row, r in enumerate(self.view.rows):
            pattern = self.table.cellWidget(row, _PATTERN)
            serial = self.table.cellWidget(row, _NEXT)
            assert isinstance(pattern, QLineEdit) and isinstance(serial, QSpinBox)
            out.append((r.kind, pattern.text().strip(), serial.value()))
        return out

    def has_unsaved_changes(self) -> bool:
        """Whether a pattern or serial differs from what is saved."""
        if self.view is None:
            return False
        saved = [(r.kind, r.pattern, r.next_serial) for r in self.view.rows]
        return self.values() != saved

    def _on_row_edited(self, *_args: object) -> None:
        from firecase.services.doc_numbers import check_pattern, format_number

        year = self.year.value()
        for row, (_kind, pattern, serial) in enumerate(self.values()):
            try:
                shown = format_number(check_pattern(pattern), year, serial) or "（不编号）"
            except FirecaseError as exc:
                shown = exc.message
            self.table.setItem(row, _SHOWN, self._shown(shown))
        self.save_button.setEnabled(self.has_unsaved_changes() and not self.read_only)
        self.status.setText("")

    @staticmethod
    def _shown(text: str) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        return item

    def _on_year_value_changed(self, _year: int) -> None:
        self.load()

    # -- saving -------------------------------------------------------------------------------

    def save(self) -> None:
        """Save every row (worker thread)."""
        from firecase.services.doc_numbers import NumberPatternInput, save_number_patterns

        if self.view is None:
            return
        rows = [NumberPatternInput(k, p, n) for k, p, n in self.values()]
        cf, year, version = self.case_file, self.year.value(), self.view.version
        self.save_button.setEnabled(False)
        self.worker.run(
            lambda: save_number_patterns(cf, rows, year=year, expected_version=version),
            on_success=self._on_worker_saved,
            on_failure=self._on_worker_save_failed,
            owner=self,
            label="正在保存文书编号…",
        )

    def _on_worker_saved(self, view: Any) -> None:
        self._show(view)
        self.status.setStyleSheet("")
        self.status.setText("文书编号已保存。")
        self.patterns_saved.emit(view)

    def _on_worker_save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, ConflictError):
            self.status.setStyleSheet(_ERROR_STYLE)
            self.status.setText(exc.message)
            self.load()
        elif isinstance(exc, FirecaseError):
            self.status.setStyleSheet(_ERROR_STYLE)
            self.status.setText(exc.message)
        else:
            messages.show_error(self, exc)

    def _on_save_button_clicked(self) -> None:
        self.save()
