"""粘贴国务院通知: a year of the holiday calendar from the State Council's notice as published.

The user pastes the notice (国务院办公厅关于<year>年部分节假日安排的通知) or opens it saved as
.txt/.html; the preview lists every day it names and every stored day it no longer names, with
what applying does (新增 / 修改 / 删除 / 不变). Words the notice cannot be read at are shown in
Chinese under the text box. Preview and 应用 run on the worker
(``firecase.services.calendar_notice``). GUI thread only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from firecase.errors import FirecaseError
from firecase.services.calendar_notice import NoticePreview
from firecase.ui.dialogs.field_message import ERROR_STYLE
from firecase.ui.icons import icon
from firecase.ui.keyboard import FirstFieldFocus, tab_past
from firecase.ui.models.calendar_days import HOLIDAY_BG, WORKDAY_BG
from firecase.ui.util import fit_to_screen
from firecase.ui.worker import Worker

COLUMNS = ("日期", "星期", "放假/上班", "名称", "变化")
CHANGE_COLORS = {
    "add": QColor("#1b5e20"),
    "change": QColor("#e65100"),
    "remove": QColor("#b71c1c"),
    "same": QColor("#757575"),
}
FILE_FILTER = "通知文件 (*.txt *.html *.htm);;所有文件 (*)"
PREVIEW_DELAY_MS = 300


class NoticeDialog(FirstFieldFocus, QDialog):
    """Paste or open the notice, see the year it makes, apply it. ``applied(NoticePreview)`` is
    emitted after the calendar was changed."""

    applied = Signal(object)

    def __init__(
        self,
        case_file: Any,
        worker: Worker,
        year: int,
        parent: QWidget | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("noticeDialog")
        self.setWindowTitle("粘贴国务院通知")
        self.setWindowIcon(icon("calendar"))
        self.case_file = case_file
        self.worker = worker
        self.read_only = read_only
        self.preview: NoticePreview | None = None
        self._asked = 0  # the newest preview asked for; older answers are dropped

        self.year = QSpinBox()
        self.year.setObjectName("noticeYear")
        self.year.setRange(1950, 2200)
        self.year.setValue(year)
        self.year.setSuffix(" 年")
        self.open_button = QPushButton(icon("open-file"), "打开文件…")
        self.open_button.setObjectName("openNoticeFile")
        self.text = QPlainTextEdit()
        self.text.setObjectName("noticeText")
        self.text.setTabChangesFocus(True)  # Tab goes on to the preview; pasted tabs stay
        self.text.setPlaceholderText(
            "将《国务院办公厅关于某年部分节假日安排的通知》全文粘贴到这里，例如：\n"
            "一、元旦：1月1日至3日放假调休，共3天。1月4日（星期日）上班。\n"
            "二、春节：……"
        )
        self.error = QLabel()
        self.error.setObjectName("noticeError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("noticePreview")
        tab_past(self.table)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.summary = QLabel("粘贴通知后，这里列出它放假和上班的每一天。")
        self.summary.setObjectName("noticeSummary")
        self.summary.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("noticeStatus")
        self.status.setWordWrap(True)

        self.buttons = QDialogButtonBox()
        self.apply_button = self.buttons.addButton("应用", QDialogButtonBox.ButtonRole.ApplyRole)
        self.apply_button.setObjectName("applyNotice")
        self.apply_button.setEnabled(False)
        close = self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(QLabel("通知的年份"))
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(self.open_button)
        left = QVBoxLayout()
        left.addLayout(top)
        left.addWidget(self.text, 1)
        left.addWidget(self.error)
        right = QVBoxLayout()
        right.addWidget(QLabel("应用后该年的节假日日历"))
        right.addWidget(self.table, 1)
        right.addWidget(self.summary)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 1100, 620)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.refresh_preview)
        self.text.textChanged.connect(self._timer.start)
        self.year.valueChanged.connect(self._timer.start)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.apply_button.clicked.connect(self._on_apply_button_clicked)

    # ------------------------------------------------------------------ preview

    def refresh_preview(self) -> None:
        """Read the pasted text against the stored calendar (worker thread)."""
        from firecase.services.calendar_notice import notice_preview

        self._timer.stop()
        self._asked += 1
        asked = self._asked
        text, year, cf = self.text.toPlainText(), self.year.value(), self.case_file
        self.apply_button.setEnabled(False)
        if not text.strip():
            self._show(None, "")
            return
        self.worker.run(
            lambda: notice_preview(cf, text, year),
            on_success=lambda p: self._on_worker_preview(asked, p),
            on_failure=lambda exc: self._on_worker_preview_failed(asked, exc),
            owner=self,
            label="正在读取通知…",
        )

    def _on_worker_preview(self, asked: int, preview: NoticePreview) -> None:
        if asked == self._asked:
            self._show(preview, "")

    def _on_worker_preview_failed(self, asked: int, exc: BaseException) -> None:
        if asked != self._asked:
            return
        if not isinstance(exc, FirecaseError):
            raise exc
        self._show(None, exc.message)

    def _show(self, preview: NoticePreview | None, error: str) -> None:
        self.preview = preview
        self.error.setText(error)
        self.error.setVisible(bool(error))
        days = preview.days if preview else ()
        self.table.setRowCount(len(days))
        for row, d in enumerate(days):
            word = {True: "放假", False: "上班", None: "—"}[d.rest]
            cells = (
                d.day.isoformat(),
                f"周{'一二三四五六日'[d.day.weekday()]}",
                word,
                d.name or "—",
                d.change_label,
            )
            for col, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if d.rest is True:
                    item.setBackground(QBrush(HOLIDAY_BG))
                elif d.rest is False:
                    item.setBackground(QBrush(WORKDAY_BG))
                if col == 4:
                    item.setForeground(QBrush(CHANGE_COLORS[d.change]))
                self.table.setItem(row, col, item)
        if preview is None:
            self.summary.setText("" if error else "粘贴通知后，这里列出它放假和上班的每一天。")
            return
        covered = "" if preview.year_was_covered else f"（应用后日历将收录{preview.year}年）"
        self.summary.setText(f"{preview.year}年：{preview.summary()}{covered}")
        self.apply_button.setEnabled(
            not self.read_only and (bool(preview.changes) or not preview.year_was_covered)
        )

    # ------------------------------------------------------------------ slots

    def _on_open_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "打开保存的通知", str(Path.home()), FILE_FILTER)
        if path:
            self.open_file(Path(path))

    def open_file(self, path: Path) -> None:
        """Put the text of a saved notice (.txt or .html) in the text box."""
        from firecase.services.calendar_notice import read_notice_file

        try:
            text = read_notice_file(path)
        except FirecaseError as exc:
            self._show(None, exc.message)
            return
        self.text.setPlainText(text)
        self.refresh_preview()

    def _on_apply_button_clicked(self) -> None:
        self.apply()

    def apply(self) -> None:
        """Replace the year's days with the notice's (worker thread)."""
        from firecase.services.calendar_notice import apply_notice

        text, year, cf = self.text.toPlainText(), self.year.value(), self.case_file
        self.apply_button.setEnabled(False)
        self.worker.run(
            lambda: apply_notice(cf, text, year),
            on_success=self._on_worker_applied,
            on_failure=self._on_worker_apply_failed,
            owner=self,
            label="正在更新节假日日历…",
        )

    def _on_worker_applied(self, preview: NoticePreview) -> None:
        moved = "、".join(f"{d.day.month}月{d.day.day}日" for d in preview.changes)
        self.status.setText(
            f"已按通知更新{preview.year}年节假日日历：{preview.summary()}"
            + (f"。变动的日期：{moved}" if moved else "")
        )
        self.applied.emit(preview)
        self.refresh_preview()

    def _on_worker_apply_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, FirecaseError):
            raise exc
        self.error.setText(exc.message)
        self.error.setVisible(True)
        self.apply_button.setEnabled(True)
