"""回收站: the records removed from one case, restorable with their links; emptied by an
administrator (``services.recycle``). Non-modal, owned by the case workspace; GUI thread only."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from firecase.ui import messages
from firecase.ui.keyboard import FirstFieldFocus
from firecase.ui.util import fit_to_screen

if TYPE_CHECKING:
    from firecase.services.recycle import RecycleEntryView, RestoreResult
    from firecase.ui.workspace.context import WorkspaceContext

COLUMNS = ("删除时间", "类别", "记录", "一并删除的", "删除人", "状态")
MUTED = QColor("#8a8a8a")


def local_time(stamp: str) -> str:
    """An entry's UTC timestamp as the officer's local time ("2026-03-10 14:05")."""
    try:
        when = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if when.tzinfo is not None:
        when = when.astimezone()
    return when.strftime("%Y-%m-%d %H:%M")


class RecycleBinDialog(FirstFieldFocus, QDialog):
    """The case's 回收站: 恢复 puts the selected record back (with its custody events,
    attachments and links), 清空回收站 removes every entry for good (管理员 only)."""

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recycleBinDialog")
        self.ctx = ctx
        self.entries: tuple[RecycleEntryView, ...] = ()
        case_no = getattr(getattr(ctx.detail, "case", None), "case_no", "")
        self.setWindowTitle(f"回收站 — {case_no}" if case_no else "回收站")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "本案删除的记录都在这里，可连同其保管记录、附件和关联一并恢复；恢复和清空都记入审计"
            "记录。清空回收站后无法恢复，只有管理员可以清空。",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("recycleTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self._on_restore_clicked)
        layout.addWidget(self.table, 1)
        self.status = QLabel("正在读取回收站…", self)
        self.status.setObjectName("recycleStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        self.restore_button = QPushButton("恢复", self)
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.empty_button = QPushButton("清空回收站…", self)
        self.empty_button.setObjectName("emptyButton")
        self.empty_button.clicked.connect(self._on_empty_clicked)
        close = QPushButton("关闭", self)
        close.setObjectName("closeButton")
        close.clicked.connect(self.accept)
        # Enter closes, as in every dialog; restoring is a deliberate click (or double-click)
        for button in (self.restore_button, self.empty_button):
            button.setAutoDefault(False)
        close.setDefault(True)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        row.addWidget(self.empty_button)
        row.addWidget(close)
        layout.addLayout(row)
        self.may_empty = False
        self._note = ""  # what was just done, shown above the count after the next read
        self.resize(900, 420)
        fit_to_screen(self, 900, 420)
        self._update_buttons()
        self.refresh()

    # -- reading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the bin (and whether this officer may empty it) again."""
        from firecase.services import recycle
        from firecase.services.permissions import Permission, allowed

        cf, case_id = self.ctx.case_file, self.ctx.case_id

        def read() -> tuple[tuple[RecycleEntryView, ...], bool]:
            return recycle.list_bin(cf, case_id), allowed(cf, Permission.EMPTY_RECYCLE_BIN)

        self.ctx.run(read, on_success=self._show, label="正在读取回收站…")

    def _show(self, result: tuple[tuple[RecycleEntryView, ...], bool]) -> None:
        self.entries, self.may_empty = result
        self.table.setRowCount(len(self.entries))
        for r, e in enumerate(self.entries):
            state = f"已恢复（{e.restored_by}，{local_time(e.restored_at)}）" if e.restored else ""
            cells = (
                local_time(e.removed_at),
                e.label,
                e.summary,
                e.contents,
                e.removed_by,
                state,
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if e.restored:
                    item.setForeground(QBrush(MUTED))
                self.table.setItem(r, c, item)
        waiting = sum(1 for e in self.entries if not e.restored)
        count = (
            f"回收站中有 {waiting} 条可恢复的记录。" if waiting else "回收站中没有可恢复的记录。"
        )
        self.status.setText(f"{self._note}\n{count}" if self._note else count)
        self._note = ""
        if waiting and not self.table.selectedItems():
            first = next(i for i, e in enumerate(self.entries) if not e.restored)
            self.table.selectRow(first)
        self._update_buttons()

    def selected(self) -> RecycleEntryView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.entries):
            return None
        return self.entries[rows[0].row()]

    def _update_buttons(self) -> None:
        entry = self.selected()
        self.restore_button.setEnabled(entry is not None and not entry.restored)
        self.empty_button.setEnabled(self.may_empty and bool(self.entries))
        self.empty_button.setToolTip(
            "" if self.may_empty else "只有管理员可以清空回收站（清空后无法恢复）。"
        )

    # -- acting ------------------------------------------------------------------------------

    def _on_restore_clicked(self, *_args: Any) -> None:
        entry = self.selected()
        if entry is None or entry.restored:
            return
        from firecase.services import recycle

        cf, today = self.ctx.case_file, self.ctx.today
        self.restore_button.setEnabled(False)
        self.ctx.run(
            lambda: recycle.restore(cf, entry.id, today=today()),
            on_success=lambda result: self._restored(entry, result),
            on_failure=self._failed,
            label=f"正在恢复{entry.label}…",
        )

    def _restored(self, entry: RecycleEntryView, result: RestoreResult) -> None:
        text = f"已恢复{entry.label}“{entry.summary}”。"
        if result.notes:
            text += "\n" + "\n".join(result.notes)
        self._note = text
        self.ctx.changed()
        self.ctx.reload()
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        if getattr(exc, "declined", False):
            self._update_buttons()
            return  # the officer chose not to give a reason: nothing changed
        messages.show_error(self, exc)
        self.refresh()

    def _on_empty_clicked(self) -> None:
        if not self.may_empty or not self.entries:
            return
        if not messages.confirm(
            self,
            "清空回收站",
            f"确定清空本案回收站中的 {len(self.entries)} 条记录？清空后这些记录无法恢复"
            "（审计记录仍保留其内容）。",
            ok_text="清空",
        ):
            return
        from firecase.services import recycle

        cf, case_id = self.ctx.case_file, self.ctx.case_id
        self.ctx.run(
            lambda: recycle.empty(cf, case_id),
            on_success=self._emptied,
            on_failure=self._failed,
            label="正在清空回收站…",
        )

    def _emptied(self, count: int) -> None:
        self._note = f"已清空回收站（{count} 条）。"
        self.refresh()


def open_recycle_bin(ctx: WorkspaceContext, parent: QWidget) -> RecycleBinDialog:
    """Show the case's 回收站 (non-modal; deleted when closed)."""
    dialog = RecycleBinDialog(ctx, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
