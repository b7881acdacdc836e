"""The clock board: every open clock of every case, overdue first, with its explanation.

Shown in a dock of the main window. The clocks come from the ``clock_board`` service (rules
applied there); selecting one shows how its due date was computed and its basis as a link.
GUI thread only.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from firecase.ui.models.clock_board import (
    COL_CASE,
    COL_DUE,
    COL_EXPLANATION,
    COL_LABEL,
    COL_LEFT,
    COL_STATUS,
    COL_SUBJECT,
    ClockBoardModel,
    days_left_text,
    done_text,
    merge_case_clocks,
    status_text,
)

if TYPE_CHECKING:
    from firecase.services.dto import ClockView


class ClockBoardPanel(QWidget):
    """Table of clocks and the selected clock's explanation. Owned by the main window's dock.

    GUI thread only. ``case_activated(case_id)`` on double-click. ``done_requested()`` when
    "显示已完成的期限" is ticked and the done clocks are not loaded yet: the owner reads a
    page of them on its worker (``services.clock_board.done_clocks``) and passes it to
    ``set_done_clocks``; the board itself is given the open clocks only.
    """

    case_activated = Signal(int)
    done_requested = Signal()
    # compact (a case tab): the explanation pane was shown (True, a clock selected) or hidden
    compact_pane_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clockBoard")
        self._compact = False  # a case tab is shown (``set_compact``)
        self.model = ClockBoardModel(self)
        self.summary = QLabel("尚未读取期限")
        self.summary.setObjectName("clockSummary")
        # a city archive's line (every exempt kind with its article) is wider than a laptop's
        # screen: it wraps, or it would widen the window past the screen's edge
        self.summary.setWordWrap(True)
        self.show_done = QCheckBox("显示已完成的期限")
        self.show_done.setObjectName("showDoneClocks")
        self.show_done.toggled.connect(self._on_show_done_toggled)
        self._all: tuple[ClockView, ...] = ()
        self._exempt: tuple[tuple[str, str, int], ...] = ()
        self._done: tuple[ClockView, ...] | None = None  # None: not read since the last refresh
        self.table = QTableView()
        self.table.setObjectName("clockTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        # 事项 names who must act ("天门经济开发区党工委"): at 110 pixels two 处理备案期限 rows
        # looked the same; the room came from 状态 and 截止日期, wider than their texts
        for col, width in {
            COL_STATUS: 130,
            COL_CASE: 170,
            COL_LABEL: 110,
            COL_SUBJECT: 180,
            COL_DUE: 130,
            COL_LEFT: 80,
        }.items():
            header.resizeSection(col, width)
        header.setSectionResizeMode(COL_EXPLANATION, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.detail = QTextBrowser()
        self.detail.setObjectName("clockDetail")
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._on_detail_anchor_clicked)
        self.detail.setPlaceholderText("选择一个期限，查看计算过程和依据")
        # small minimums: on a 720-pixel screen with a case open the board keeps a fifth
        self.table.setMinimumHeight(56)
        self.detail.setMinimumHeight(36)
        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.show_done)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        # Esc: no clock selected (compact: the selection's change folds the pane away again)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self.table,
            activated=self.table.clearSelection,
            context=Qt.ShortcutContext.WidgetShortcut,
        )

    def set_compact(self, compact: bool) -> None:
        """Compact while a case is shown (``MainWindow``): the explanation pane only once a
        clock is selected, so that the board's least height is its summary and two rows (at
        1280×720 the empty pane kept 40 of the case's pixels)."""
        self._compact = compact
        self._show_detail_pane()
        self._update_summary()

    def _show_detail_pane(self) -> None:
        selected = self.table.selectionModel().hasSelection()
        visible = not self._compact or selected
        if visible == self.detail.isVisibleTo(self):
            return
        self.detail.setVisible(visible)
        if self._compact:
            self.compact_pane_toggled.emit(visible)
            if visible:  # once the board has grown: half of it for the explanation
                QTimer.singleShot(0, self._share_with_pane)

    def _share_with_pane(self) -> None:
        total = sum(self.splitter.sizes())
        if self.detail.isVisible() and total > 0:
            self.splitter.setSizes([total - total * 11 // 20, total * 11 // 20])
            self.table.scrollTo(self.table.currentIndex())

    def set_clocks(self, clocks: tuple[ClockView, ...]) -> None:
        """Show ``clocks`` (as ordered by the service); completed ones only on request.

        The done clocks read before are dropped: while "显示已完成的期限" is ticked,
        ``done_requested`` asks for them again.
        """
        self._all = tuple(clocks)
        self._done = None
        self._show()
        if self.show_done.isChecked():
            self.done_requested.emit()

    def replace_case_clocks(self, case_id: int, clocks: tuple[ClockView, ...]) -> None:
        """Put one case's open ``clocks`` (just read, ``read_case_open_clocks``) in place of
        its entries: only those rows change (a save in a case tab)."""
        _removed, _inserted, board = merge_case_clocks(self._all, case_id, clocks)
        self._all = board
        if self.show_done.isChecked():
            self._show()  # the done clocks follow the open ones: shown again, not read again
            return
        self.model.replace_case(case_id, clocks)
        self._update_summary()

    def set_exempt(self, exempt: tuple[tuple[str, str, int], ...]) -> None:
        """The cases that carry none of the measures' clocks, by why (第二条, 第四条, 第五条,
        第二十六条): shown in the summary line with the article
        (``services.clock_board.exempt_cases``)."""
        self._exempt = tuple(exempt)

    def set_done_clocks(self, clocks: tuple[ClockView, ...]) -> None:
        """Show ``clocks`` (done ones, a page from the service) after the open clocks."""
        self._done = tuple(clocks)
        self._show()

    def _show(self) -> None:
        shown = self.open_clocks()
        if self.show_done.isChecked():
            done_given = tuple(c for c in self._all if c.done_on is not None)
            shown += done_given + (self._done or ())
        self.model.set_clocks(shown)
        self._update_summary()
        self.detail.clear()
        self._show_detail_pane()  # a reset clears the selection without saying so

    def _update_summary(self) -> None:
        overdue = self.model.overdue_count
        text = f"未完成的期限 {len(self.open_clocks())} 项"
        if overdue:
            text += f"，<span style='color:#b71c1c;'><b>逾期 {overdue} 项</b></span>"
        tip = ""
        if self._exempt:
            total = sum(n for _t, _b, n in self._exempt)
            parts = "、".join(f"{t}{n}件（{b}）" for t, b, n in self._exempt)
            tip = f"另有{total}件案件不计本办法的期限：{parts}"
            if self._compact:  # a case tab: the counts only, the archive's share in the tip
                text += f"<span style='color:#555555;'>；另有{total}件不计（见提示）</span>"
            else:
                text += f"<span style='color:#555555;'>；{tip}</span>"
        self.summary.setText(text)
        self.summary.setToolTip(tip)

    def open_clocks(self) -> tuple[ClockView, ...]:
        """The clocks not yet completed, in the service's order."""
        return tuple(c for c in self._all if c.done_on is None)

    def _on_show_done_toggled(self, checked: bool) -> None:
        self._show()
        if checked and self._done is None:
            self.done_requested.emit()

    def _on_table_selection_changed(
        self, selected: QItemSelection, _deselected: QItemSelection
    ) -> None:
        rows = selected.indexes()
        clock = self.model.clock_at(rows[0].row()) if rows else None
        self._show_detail_pane()
        if clock is None:
            self.detail.clear()
            return
        from firecase.ui.dialogs.regulation_viewer import linkify_basis

        due = clock.due_text("无法计算")
        self.detail.setHtml(
            f"<p><b>{html.escape(clock.case_no)}</b>　{html.escape(clock.case_title)}</p>"
            f"<p>{html.escape(clock.label)}"
            f"{('（' + html.escape(clock.subject) + '）') if clock.subject else ''}："
            f"截止 <b>{due}</b>，{html.escape(self._state_text(clock))}</p>"
            f"<p>{html.escape(clock.explanation).replace(chr(10), '<br/>')}</p>"
            f"<p>依据：{linkify_basis(clock.basis)}</p>"
        )

    @staticmethod
    def _state_text(clock: ClockView) -> str:
        """ "剩3天，进行中", "逾期2天，已逾期", or for a done clock when it was done."""
        if clock.done_on is not None:
            return f"{done_text(clock)}（{status_text(clock)}）"
        return f"{days_left_text(clock)}，{clock.status}"

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        clock = self.model.clock_at(index.row())
        if clock is not None:
            self.case_activated.emit(clock.case_id)

    def _on_detail_anchor_clicked(self, url: QUrl) -> None:
        from firecase.ui.dialogs.regulation_viewer import open_regulation

        open_regulation(self, url)
