"""设置 → 证据编号: the number pattern of each kind of evidence
(``services.evidence_numbers.evidence_patterns`` / ``save_evidence_patterns``).

One row per kind: the pattern (the syntax of 文书编号: ``{N}`` the serial, ``{NNN}`` zero-padded,
``{年}`` the case's year; empty: no number proposed) and the first number it gives. Adding an
evidence item proposes the next free number of its kind in the case. The page saves with its
own button; for a user who may not change settings (not 管理员) it is read-only. GUI thread only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from firecase.errors import ConflictError, FirecaseError
from firecase.ui import messages
from firecase.ui.worker import Worker

__all__ = ["EvidenceNumbersPage"]

_COLUMNS = ("证据种类", "编号格式", "第一个编号示例")
_PATTERN, _SHOWN = 1, 2
_ERROR_STYLE = "color:#b00020;"


class EvidenceNumbersPage(QWidget):
    """The 证据编号 page of 设置. ``patterns_saved(EvidencePatternsView)`` after a save."""

    patterns_saved = Signal(object)

    def __init__(self, case_file: Any, worker: Worker) -> None:
        super().__init__()
        self.case_file, self.worker = case_file, worker
        self.view: Any = None
        self.read_only = False
        self.table = QTableWidget(0, len(_COLUMNS), self)
        self.table.setObjectName("evidenceNumbersTable")
        self.table.setHorizontalHeaderLabels(list(_COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.save_button = QPushButton("保存证据编号", self)
        self.save_button.setObjectName("saveEvidenceNumbers")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.status = QLabel(self)
        self.status.setObjectName("evidenceNumbersStatus")
        self.status.setWordWrap(True)
        hint = QLabel(
            "添加证据时，按其种类的格式建议本案下一个未用的编号，可在添加时修改；本案已用的编号"
            "不能再用。“{N}”为序号（写作“{NNN}”补足三位），“{年}”为案件年份，如“物证-{NNN}”"
            "编为物证-001、物证-002……；几种证据用同一格式的，共用一个序号。格式留空的种类不建议"
            "编号。",
            self,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#6b6b6b;")
        top = QHBoxLayout()
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
        """Read the patterns and whether the user may change them."""
        from firecase.services.evidence_numbers import evidence_patterns
        from firecase.services.permissions import Permission, allowed

        cf = self.case_file
        self.worker.run(lambda: evidence_patterns(cf), on_success=self._show, owner=self)
        self.worker.run(
            lambda: allowed(cf, Permission.MANAGE_SETTINGS),
            on_success=self._on_worker_permission_checked,
            owner=self,
        )

    def _show(self, view: Any) -> None:
        self.view = view
        self.table.setRowCount(len(view.rows))
        for row, r in enumerate(view.rows):
            self.table.setItem(row, 0, self._fixed(r.kind))
            pattern = QLineEdit(r.pattern, self.table)
            pattern.setObjectName(f"evidencePattern_{r.kind}")
            pattern.setPlaceholderText("（不建议编号）")
            pattern.setToolTip(f"默认：{r.default_pattern}")
            pattern.textChanged.connect(self._on_row_edited)
            self.table.setCellWidget(row, _PATTERN, pattern)
            self.table.setItem(row, _SHOWN, self._fixed(r.example or "（不建议编号）"))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(_PATTERN, QHeaderView.ResizeMode.Stretch)
        self._set_editable(not self.read_only)
        self.save_button.setEnabled(False)

    def _on_worker_permission_checked(self, may: bool) -> None:
        self.read_only = not may
        self._set_editable(may)
        if not may:
            self.status.setText("只有管理员可以修改证据编号格式。")

    def _set_editable(self, editable: bool) -> None:
        for row in range(self.table.rowCount()):
            widget = self.table.cellWidget(row, _PATTERN)
            if widget is not None:
                widget.setEnabled(editable)

    def pattern_edit(self, kind: str) -> QLineEdit:
        """The pattern editor of evidence ``kind``."""
        found = self.table.findChild(QLineEdit, f"evidencePattern_{kind}")
        assert isinstance(found, QLineEdit)
        return found

    # -- editing ------------------------------------------------------------------------------

    def values(self) -> list[tuple[str, str]]:
        """(kind, pattern) of every row as shown."""
        out: list[tuple[str, str]] = []
        if self.view is None:
            return out
        for row, r in enumerate(self.view.rows):
            pattern = self.table.cellWidget(row, _PATTERN)
            assert isinstance(pattern, QLineEdit)
            out.append((r.kind, pattern.text().strip()))
        return out

    def has_unsaved_changes(self) -> bool:
        """Whether a pattern differs from what is saved."""
        if self.view is None:
            return False
        return self.values() != [(r.kind, r.pattern) for r in self.view.rows]

    def _on_row_edited(self, *_args: object) -> None:
        from firecase.services.doc_numbers import format_number
        from firecase.services.evidence_numbers import check_evidence_pattern

        for row, (_kind, pattern) in enumerate(self.values()):
            try:
                shown = format_number(check_evidence_pattern(pattern), 2026, 1) or "（不建议编号）"
            except FirecaseError as exc:
                shown = exc.message
            self.table.setItem(row, _SHOWN, self._fixed(shown))
        self.save_button.setEnabled(self.has_unsaved_changes() and not self.read_only)
        self.status.setStyleSheet("")
        self.status.setText("")

    @staticmethod
    def _fixed(text: str) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        return item

    # -- saving -------------------------------------------------------------------------------

    def save(self) -> None:
        """Save every row (worker thread)."""
        from firecase.services.evidence_numbers import (
            EvidencePatternInput,
            save_evidence_patterns,
        )

        if self.view is None:
            return
        rows = [EvidencePatternInput(k, p) for k, p in self.values()]
        cf, version = self.case_file, self.view.version
        self.save_button.setEnabled(False)
        self.worker.run(
            lambda: save_evidence_patterns(cf, rows, expected_version=version),
            on_success=self._on_worker_saved,
            on_failure=self._on_worker_save_failed,
            owner=self,
            label="正在保存证据编号…",
        )

    def _on_worker_saved(self, view: Any) -> None:
        self._show(view)
        self.status.setStyleSheet("")
        self.status.setText("证据编号格式已保存。")
        self.patterns_saved.emit(view)

    def _on_worker_save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if not isinstance(exc, FirecaseError):
            messages.show_error(self, exc)
            return
        self.status.setStyleSheet(_ERROR_STYLE)
        kind = str(getattr(exc, "field", "") or "").removeprefix("pattern:")
        where = f"{kind}：" if kind in dict(self.values()) else ""
        self.status.setText(where + exc.message)
        if isinstance(exc, ConflictError):
            self.load()
        elif where:
            self.pattern_edit(kind).setFocus()

    def _on_save_button_clicked(self) -> None:
        self.save()
