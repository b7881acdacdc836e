"""The tables of the workspace tabs: ``DtoTableModel`` over frozen service DTOs, its columns,
``make_table``, and the case's dates and cell texts the tables and forms share (a part of
``crud``). GUI thread only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QWidget,
)

if TYPE_CHECKING:
    from firecase.ui.workspace.context import WorkspaceContext


MUTED = QColor("#8a8a8a")
ALERT = QColor("#b3261e")

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class DateContext:
    """What a form's dates are checked against: the case's fire date and the day it is."""

    fire_date: dt.date | None = None
    today: dt.date | None = None


DateContextFn = Callable[[], DateContext]


def case_dates(ctx: WorkspaceContext) -> DateContextFn:
    """The fire date of the workspace's case (as last read) and the workspace's today."""

    def read() -> DateContext:
        case = getattr(ctx.detail, "case", None)  # None before the first read
        today = getattr(ctx, "today", dt.date.today)
        return DateContext(getattr(case, "fire_date", None), today())

    return read


def _system_today() -> DateContext:
    return DateContext(None, dt.date.today())


def display_value(value: Any) -> str:
    """How a DTO value reads in a table cell or a comparison."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, (tuple, list)):
        return "、".join(display_value(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Column:
    """One column of a ``DtoTableModel``: header and how to read the cell from a DTO."""

    header: str
    value: Callable[[Any], Any]
    tooltip: Callable[[Any], str] | None = None


class DtoTableModel(QAbstractTableModel):
    """Read-only table over frozen DTOs. Owned by a ``CrudPanel`` (or a tab); GUI thread only.

    ``muted(dto)`` greys a row out (e.g. a recused member); ``alert(dto)`` shows it in red (an
    overdue measure). ``Qt.UserRole`` of any cell is the row's DTO.
    """

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        muted: Callable[[Any], bool] | None = None,
        alert: Callable[[Any], bool] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._rows: tuple[Any, ...] = ()
        self._muted = muted
        self._alert = alert

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def rows(self) -> tuple[Any, ...]:
        """The DTOs shown, in order."""
        return self._rows

    def row_of(self, index: Index) -> Any:
        """The DTO behind ``index`` (None if invalid)."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self._columns):
            return None
        dto = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display_value(column.value(dto))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip is not None:
                return column.tooltip(dto)
            return display_value(column.value(dto))
        if role == Qt.ItemDataRole.ForegroundRole:
            if self._alert is not None and self._alert(dto):
                return QBrush(ALERT)
            if self._muted is not None and self._muted(dto):
                return QBrush(MUTED)
            return None
        if role == Qt.ItemDataRole.FontRole:
            if self._muted is not None and self._muted(dto):
                font = QFont()
                font.setStrikeOut(True)
                return font
            return None
        if role == Qt.ItemDataRole.UserRole:
            return dto
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].header
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None


FIT_ROWS = 100
"""Rows besides the visible ones that column widths are fitted to (Qt's default is 1,000)."""


def make_table(model: DtoTableModel, parent: QWidget) -> QTableView:
    """A table view set up the way every workspace table looks (whole rows, single selection)."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setDefaultSectionSize(110)
    # fit to the rows on screen and FIT_ROWS more, not to every row: a list of 1,000
    # attachments sized by all its rows cost 0.27 s on every read of the case
    header.setResizeContentsPrecision(FIT_ROWS)
    view.column_fitter = ColumnFitter(view)  # type: ignore[attr-defined]
    return view


class ColumnFitter(QObject):
    """Keeps a workspace table's columns fitted (``fit_columns``): at every read of its rows,
    and when the table gets wider or narrower (a tab shown for the first time, the window
    resized) until the officer sizes a column by hand."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view
        self.by_hand = False
        self._fitting = False
        self._width = -1
        self._natural: dict[int, int] | None = None
        view.model().modelReset.connect(self._on_model_reset)
        view.horizontalHeader().sectionResized.connect(self._on_section_resized)
        view.viewport().installEventFilter(self)

    def fit(self, *, measure: bool = True) -> None:
        """Fit the columns: measured again (a new read of the rows) or, when the table is only
        resized, the room shared again by the widths measured last (measuring a table of long
        texts took 35 ms: every step of a window being dragged wider would have)."""
        self._fitting = True
        try:
            if measure or self._natural is None:
                self._natural = fit_columns(self.view)
            else:
                place_columns(self.view, self._natural)
        finally:
            self._fitting = False
        self._width = self.view.viewport().width()

    def _on_model_reset(self) -> None:
        self.by_hand = False
        self.fit()

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        # the last one stretches with the table: its resizes are not the officer's
        if not self._fitting and column != _last_shown(self.view.horizontalHeader()):
            self.by_hand = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Resize
            and not self.by_hand
            and self.view.model().rowCount()
            and self.view.viewport().width() != self._width
        ):
            self.fit(measure=False)
        return False


def fit_columns(view: QTableView, max_width: int = 280) -> dict[int, int]:
    """Size columns to their contents (``place_columns``); the widths their contents need."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    natural = {c: header.sectionSize(c) for c in _shown(header)}
    last = _last_shown(header)
    if last is not None:  # the last section's size is its stretch: its need is its contents'
        natural[last] = max(view.sizeHintForColumn(last), header.sectionSizeHint(last))
    place_columns(view, natural, max_width)
    return natural


def place_columns(view: QTableView, natural: dict[int, int], max_width: int = 280) -> None:
    """Give the columns the widths their contents need (``natural``), none wider than
    ``max_width`` at first; the room the table has beyond that goes to the columns cut off at
    ``max_width`` (a long 理由 shown whole, rather than elided beside an empty last column),
    shared equally, and the last one stretches."""
    header = view.horizontalHeader()
    visible = [c for c in _shown(header) if c in natural]
    last = _last_shown(header)
    if last is None or last not in natural:
        return
    for column in visible:
        if column != last:
            header.resizeSection(column, min(natural[column], max_width))
    # the room beyond that, shared equally among the columns that were cut (the last one
    # included: it takes its share by stretching), none given more than its text needs
    cut = [c for c in visible if natural[c] > max_width]
    room = view.viewport().width() - min(natural[last], max_width)
    room -= sum(header.sectionSize(c) for c in visible if c != last)
    extra = {c: 0 for c in cut}
    while room > 0 and cut:
        share = max(1, room // len(cut))
        for column in list(cut):
            grow = min(share, room, natural[column] - max_width - extra[column])
            extra[column] += grow
            room -= grow
            if max_width + extra[column] >= natural[column]:
                cut.remove(column)
    for column, grow in extra.items():
        if column != last and grow:
            header.resizeSection(column, max_width + grow)


def _shown(header: QHeaderView) -> list[int]:
    """The columns not hidden, by logical index."""
    return [c for c in range(header.count()) if not header.isSectionHidden(c)]


def _last_shown(header: QHeaderView) -> int | None:
    """The column shown rightmost (the one that stretches), or None."""
    shown = _shown(header)
    return max(shown, key=header.visualIndex) if shown else None
