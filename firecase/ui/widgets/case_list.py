"""The case list panel: search box, filters and the table of cases.

Owns a ``CaseListModel``; every keystroke in the search box and every filter change becomes a
new SQL query (debounced) run by the worker. GUI thread only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from firecase.services.vocab import Stage
from firecase.ui.icons import icon
from firecase.ui.keyboard import declare_keys
from firecase.ui.models.case_list import (
    COL_CASE_NO,
    COL_FIRE_DATE,
    COL_GRADE,
    COL_INCLUDED,
    COL_NEXT_DUE,
    COL_PLACE,
    COL_STAGE,
    COL_TITLE,
    CaseListModel,
    CaseQuery,
    column_for_sort,
)
from firecase.ui.worker import Worker

ALL_STAGES = "全部阶段"
ALL_GRADES = "全部等级"
SEARCH_DELAY_MS = 150  # a pause in typing this long runs the search
OPEN_CASE_KEYS = declare_keys("案件列表", "打开所选案件", "Return")


def grade_labels() -> list[str]:
    """The fire grades, most serious first (labels from ``firecase.rules.Grade``)."""
    from firecase.rules import Grade

    return [g.value for g in sorted(Grade, key=lambda g: g.rank, reverse=True)]


PAINT_WAIT_MS = 500
"""The longest ``after_next_paint`` waits for a paint (e.g. the window is covered)."""


class _AfterPaint(QObject):
    """Runs a callback once after its widget's next paint, or after ``PAINT_WAIT_MS``."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback: Callable[[], None] | None = callback
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)
        self._timer.start(PAINT_WAIT_MS)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            # the paint runs after this filter returns; the callback after the paint
            QTimer.singleShot(0, self._fire)
        return super().eventFilter(watched, event)

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is None:
            return
        parent = self.parent()
        if isinstance(parent, QWidget):
            parent.removeEventFilter(self)
        self.deleteLater()
        callback()


class CaseListPanel(QWidget):
    """Search, filters and the case table of the main window. Owned by ``MainWindow``.

    GUI thread only. ``case_activated(case_id)`` when the user opens a case (double-click or
    Enter); ``count_changed(total)`` when the number of matching cases is known.
    """

    case_activated = Signal(int)
    count_changed = Signal(int)

    def __init__(
        self,
        worker: Worker,
        parent: QWidget | None = None,
        *,
        page_size: int = 200,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("caseListPanel")
        self.model = CaseListModel(worker, self, page_size=page_size, today=today)
        self.model.page_loaded.connect(self._on_model_page_loaded)

        self.search = QLineEdit()
        self.search.setObjectName("caseSearch")
        self.search.setPlaceholderText("搜索案件编号、名称、地点、单位（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.textChanged.connect(self._on_search_text_changed)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)

        self.stage_filter = QComboBox()
        self.stage_filter.setObjectName("stageFilter")
        self.stage_filter.addItem(ALL_STAGES, None)
        for stage in Stage:
            self.stage_filter.addItem(stage.value, stage.value)
        self.stage_filter.currentIndexChanged.connect(self._on_stage_filter_current_index_changed)

        self.grade_filter = QComboBox()
        self.grade_filter.setObjectName("gradeFilter")
        self.grade_filter.addItem(ALL_GRADES, None)
        for grade in grade_labels():
            self.grade_filter.addItem(grade, grade)
        self.grade_filter.currentIndexChanged.connect(self._on_grade_filter_current_index_changed)

        self.overdue_only = QCheckBox("仅显示逾期")
        self.overdue_only.setObjectName("overdueOnly")
        self.overdue_only.toggled.connect(self._on_overdue_only_toggled)

        self.count_label = QLabel()
        self.count_label.setObjectName("caseCount")

        self.table = QTableView()
        self.table.setObjectName("caseTable")
        self.table.setModel(self.model)
        # after setModel: the view and its selection model handle a reset first, then
        # _on_model_reset puts the selection back
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        self.model.modelReset.connect(self._on_model_reset)
        self._place: tuple[int | None, int | None, int] | None = None
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        # Tab leaves the list (it stepped from cell to cell, eight stops a row); the arrow keys
        # still move in it
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        widths = {
            COL_CASE_NO: 175,
            COL_TITLE: 250,
            COL_FIRE_DATE: 95,
            COL_PLACE: 170,
            COL_GRADE: 70,
            COL_INCLUDED: 190,
            COL_STAGE: 90,
        }
        for col, width in widths.items():
            header.resizeSection(col, width)
        header.setSectionResizeMode(COL_NEXT_DUE, QHeaderView.ResizeMode.Stretch)
        column, order = column_for_sort(self.model.query.sort)
        header.setSortIndicator(column, order)
        self.table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        QShortcut(
            OPEN_CASE_KEYS.sequences[0],
            self.table,
            activated=self._open_current,
            context=Qt.ShortcutContext.WidgetShortcut,
        )

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(QLabel("阶段"))
        filters.addWidget(self.stage_filter)
        filters.addWidget(QLabel("等级"))
        filters.addWidget(self.grade_filter)
        filters.addWidget(self.overdue_only)
        filters.addStretch(0)
        filters.addWidget(self.count_label)
        # no case listed: why, and what to do (a blank table said nothing)
        self.no_match = QLabel()
        self.no_match.setObjectName("noMatchLabel")
        self.no_match.setStyleSheet("color:#555; padding:6px 2px;")
        self.no_match.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(filters)
        layout.addWidget(self.no_match)
        layout.addWidget(self.table, 1)

    # -- API of the main window ----------------------------------------------------------------

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the search box with its text selected."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def after_next_paint(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the table has painted its rows (at once if it is hidden).

        The main window queues the store's loading only after the early first page is on the
        screen (``MainWindow._read_first_page``). ``PAINT_WAIT_MS`` bounds the wait.
        """
        viewport = self.table.viewport()
        if not viewport.isVisible():
            callback()
            return
        _AfterPaint(viewport, callback)

    def current_case_id(self) -> int | None:
        """The case selected in the table."""
        row = self.model.row_at(self.table.currentIndex().row())
        return row.id if row else None

    def apply_filters(self) -> None:
        """Query with the search text and filters as they are now."""
        self._search_timer.stop()
        text = self.search.text().strip()
        self.model.set_query(
            replace(
                self.model.query,
                text=text,
                stage=self.stage_filter.currentData(),
                grade=self.grade_filter.currentData(),
                overdue_only=self.overdue_only.isChecked(),
            )
        )

    def query(self) -> CaseQuery:
        """The filter and sort shown."""
        return self.model.query

    # -- slots ----------------------------------------------------------------------------------

    def _on_search_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _on_stage_filter_current_index_changed(self, _index: int) -> None:
        self.apply_filters()

    def _on_grade_filter_current_index_changed(self, _index: int) -> None:
        self.apply_filters()

    def _on_overdue_only_toggled(self, _checked: bool) -> None:
        self.apply_filters()

    def _on_header_sort_indicator_changed(self, _column: int, _order: Qt.SortOrder) -> None:
        # The model ignores clicks on columns SQL cannot sort (and every sortable column sorts
        # both ways): the indicator always shows the sort actually used.
        column, order = column_for_sort(self.model.query.sort)
        header = self.table.horizontalHeader()
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != (column, order):
            header.blockSignals(True)
            header.setSortIndicator(column, order)
            header.blockSignals(False)

    def _on_model_about_to_be_reset(self) -> None:
        top = self.model.row_at(self.table.rowAt(0))
        self._place = (
            self.current_case_id(),
            top.id if top else None,
            max(self.table.currentIndex().column(), 0),
        )

    def _on_model_reset(self) -> None:
        """Rows read again (``CaseListModel.refresh``): the same case stays selected and the
        same case stays at the top of the table, wherever they moved (when still listed). An
        empty reset (a new filter, ``reload``) starts at the top."""
        place, self._place = self._place, None
        if not self.model.rowCount():  # read again from the start (a new filter): the top
            self.table.scrollToTop()
            return
        if place is None:
            return
        selected, top, column = place
        if selected is not None and (row := self.model.row_of_case(selected)) >= 0:
            self.table.setCurrentIndex(self.model.index(row, column))
        if top is not None and (row := self.model.row_of_case(top)) >= 0:
            self.table.scrollTo(
                self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop
            )

    def _on_model_page_loaded(self, total: int) -> None:
        self.count_label.setText(f"共 {total} 件")
        q = self.model.query
        if total:
            self.no_match.hide()
        else:
            filtered = bool(q.text or q.stage or q.grade or q.overdue_only)
            self.no_match.setText(
                "没有符合条件的案件。请修改或清除上面的搜索文字和筛选条件。"
                if filtered
                else "本案卷还没有案件：点击工具栏上的“新建案件”登记一起火灾。"
            )
            self.no_match.show()
        self.count_changed.emit(total)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.case_activated.emit(row.id)

    def _open_current(self) -> None:
        case_id = self.current_case_id()
        if case_id is not None:
            self.case_activated.emit(case_id)
