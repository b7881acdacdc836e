"""The list of the documents issued from a case: kind, number, date, file, SHA-256, who."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem, QWidget

if TYPE_CHECKING:
    from firecase.services.documents import IssuedDocumentView

__all__ = ["IssuedDocumentsTable"]

COLUMNS = ("文书", "文号", "成文日期", "文件", "SHA-256", "经办人", "登记时间")
EMPTY_TEXT = "尚未登记文书。保存为 Word 或 PDF 后，文书即登记于此。"


class IssuedDocumentsTable(QTableWidget):
    """Read-only rows of ``IssuedDocumentView``s (the record of ``case_documents``). Owned by
    the 生成文书 dialog; GUI thread only. The SHA-256 cell shows 16 digits, its tooltip all 64;
    the kind's tooltip says what the document is about."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("issuedTable")
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        self.setMaximumHeight(150)

    def paintEvent(self, event: QPaintEvent) -> None:
        """The rows; with none, what the list is for (an empty grid said nothing)."""
        super().paintEvent(event)
        if self.rowCount():
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().placeholderText().color())
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(self.viewport().rect().adjusted(8, 4, -8, -4), int(flags), EMPTY_TEXT)
        painter.end()

    def show_documents(self, views: Sequence[IssuedDocumentView]) -> None:
        """Show ``views``, oldest first."""
        self.setRowCount(len(views))
        for row, x in enumerate(views):
            cells = (
                x.kind_label,
                x.number or "（不编号）",
                x.issued_on.isoformat(),
                x.file_name,
                x.sha256[:16] + "…",
                x.issued_by,
                x.recorded_at.replace("T", " ")[:19],
            )
            for col, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if col == 4:
                    item.setToolTip(x.sha256)
                elif col == 0 and x.subject:
                    item.setToolTip(x.subject)
                self.setItem(row, col, item)
        self.resizeColumnsToContents()
