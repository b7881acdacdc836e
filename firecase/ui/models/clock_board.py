"""The clock board model: every open clock across all cases, as ``clock_board()`` returns them.

The service orders the clocks (overdue first) and words their explanations; this model only
shows them. GUI thread only; ``set_clocks`` replaces the whole list.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from firecase.ui.models.case_list import (
    OVERDUE_BG,
    OVERDUE_FG,
    SOON_BG,
    SOON_FG,
)

if TYPE_CHECKING:
    from firecase.rules import ClockKind
    from firecase.services.dto import ClockView

LATE_FG = QColor("#8e3b36")  # done, but after the due date (the timeline's 逾期完成 colour)

AnyIndex = QModelIndex | QPersistentModelIndex

COLUMNS = ("状态", "案件编号", "期限", "事项", "截止日期", "剩余", "说明")
COL_STATUS, COL_CASE, COL_LABEL, COL_SUBJECT, COL_DUE, COL_LEFT, COL_EXPLANATION = range(7)


def days_left_text(clock: ClockView) -> str:
    """Days left as shown: "剩3天", "今天到期", "逾期2天", "暂停计算", "按期完成",
    "逾期3天完成" or "—" (the day it was done is in the tool tip, ``done_text``)."""
    if clock.done_on is not None:
        if is_window(clock):
            return "已届满"  # the 7-day window is not a task: it simply closes
        if clock.due is None:
            return "已完成"  # no due date to be on time or late against
        return f"逾期{clock.late_days}天完成" if clock.late_days else "按期完成"
    if clock.paused:
        return "暂停计算"
    if clock.days_left is None:
        return "—"
    if clock.days_left < 0:
        return f"逾期{-clock.days_left}天"
    if clock.days_left == 0:
        return "今天到期"
    return f"剩{clock.days_left}天"


def is_kind(clock: ClockView, kind: ClockKind) -> bool:
    """Whether ``clock`` is a ``kind`` clock (also when it could not be computed)."""
    return clock.kind in (kind.value, kind.label) or clock.label == kind.label


def is_window(clock: ClockView) -> bool:
    """Whether ``clock`` is the grade-change window (第四条), which closes rather than is done."""
    from firecase import rules  # loaded with the store, before any clock reaches the board

    return is_kind(clock, rules.ClockKind.GRADE_CHANGE)


def done_text(clock: ClockView) -> str:
    """When a done clock was done, against its due date: "2026-05-05 完成，晚于届满日3天"."""
    if clock.done_on is None:
        return ""
    if is_window(clock):
        return f"{clock.done_on.isoformat()} 届满"
    if clock.due is None:
        return f"{clock.done_on.isoformat()} 完成"
    if clock.late_days:
        return f"{clock.done_on.isoformat()} 完成，晚于届满日{clock.late_days}天"
    return f"{clock.done_on.isoformat()} 完成，未超过届满日"


def status_text(clock: ClockView) -> str:
    """The 状态 column: the rules' status; "逾期完成" for a clock done after its due date,
    "已届满" for the grade-change window once closed."""
    if clock.late_days:
        return "逾期完成"
    if clock.done_on is not None and is_window(clock):
        return "已届满"
    return clock.status


class ClockBoardModel(QAbstractTableModel):
    """Rows of the clock board dock. Owned by ``ClockBoardPanel``; GUI thread only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clocks: tuple[ClockView, ...] = ()

    def set_clocks(self, clocks: tuple[ClockView, ...]) -> None:
        """Show ``clocks`` in the order given (the service puts overdue ones first)."""
        self.beginResetModel()
        self._clocks = tuple(clocks)
        self.endResetModel()

    def replace_case(self, case_id: int, clocks: Sequence[ClockView]) -> None:
        """Put one case's ``clocks`` in place of its rows; the other rows are not touched
        (no reset: the view keeps its selection and scroll position)."""
        removed, inserted, board = merge_case_clocks(self._clocks, case_id, clocks)
        rest = list(self._clocks)
        for row in removed:
            self.beginRemoveRows(QModelIndex(), row, row)
            del rest[row]
            self._clocks = tuple(rest)
            self.endRemoveRows()
        for row, clock in inserted:
            self.beginInsertRows(QModelIndex(), row, row)
            rest.insert(row, clock)
            self._clocks = tuple(rest)
            self.endInsertRows()
        assert self._clocks == board

    def clock_at(self, row: int) -> ClockView | None:
        """The clock shown in ``row``."""
        return self._clocks[row] if 0 <= row < len(self._clocks) else None

    @property
    def overdue_count(self) -> int:
        """How many of the shown clocks are overdue."""
        return sum(1 for c in self._clocks if self.urgency(c) == "overdue")

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """One row per clock."""
        return 0 if parent.isValid() else len(self._clocks)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Status, case, clock, subject, due date, days left, explanation."""
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        """Selectable, read-only."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def urgency(self, clock: ClockView) -> str:
        """Urgency from the clock's status (``rules.ClockStatus``): "overdue", "soon" or ""."""
        from firecase import rules  # loaded with the store, before any clock reaches the board

        if clock.status == rules.ClockStatus.OVERDUE.value or (
            clock.overdue and clock.done_on is None
        ):
            return "overdue"
        if clock.kind == "escalation":  # 应报请上级人民政府 (第四条): an action owed now
            return "overdue"
        if clock.status == rules.ClockStatus.DUE_SOON.value:
            return "soon"
        return ""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text and urgency colours of the cached clocks."""
        if not index.isValid() or not 0 <= index.row() < len(self._clocks):
            return None
        clock = self._clocks[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                status_text(clock),
                clock.case_no,
                clock.label,
                clock.subject,
                clock.due_text("—" if clock.kind == "escalation" else "无法计算"),
                days_left_text(clock),
                clock.explanation.replace("\n", " "),
            )[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            done = f"\n{done_text(clock)}" if clock.done_on is not None else ""
            return (
                f"{clock.case_no} {clock.case_title}{done}\n{clock.explanation}\n"
                f"依据：{clock.basis}"
            )
        if role == Qt.ItemDataRole.UserRole:
            return clock.case_id
        if role == Qt.ItemDataRole.ForegroundRole and clock.late_days:
            return QBrush(LATE_FG)
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            urgency = self.urgency(clock)
            if urgency == "overdue":
                fg, bg = OVERDUE_FG, OVERDUE_BG
            elif urgency == "soon":
                fg, bg = SOON_FG, SOON_BG
            else:
                return None
            return QBrush(fg if role == Qt.ItemDataRole.ForegroundRole else bg)
        return None


def read_case_open_clocks(cf: Any, case_id: int, today: dt.date) -> tuple[ClockView, ...]:
    """The board's entries of one case (``services.clock_board.case_open_clocks``). Worker
    thread."""
    from firecase.services.clock_board import case_open_clocks

    return case_open_clocks(cf, case_id, today)


def merge_case_clocks(
    board: Sequence[ClockView], case_id: int, clocks: Sequence[ClockView]
) -> tuple[list[int], list[tuple[int, ClockView]], tuple[ClockView, ...]]:
    """Put one case's ``clocks`` in place of its entries on ``board`` (in the service's order).

    Returns the rows removed (descending), the rows inserted as (row in the result, clock),
    ascending, and the new board.
    """
    from firecase.services.clock_board import sort_key as _sort_key

    removed = [i for i, c in enumerate(board) if c.case_id == case_id]
    kept = [c for c in board if c.case_id != case_id]
    inserted: list[tuple[int, ClockView]] = []
    for clock in sorted(clocks, key=_sort_key):
        row = bisect.bisect_right(kept, _sort_key(clock), key=_sort_key)
        kept.insert(row, clock)
        inserted.append((row, clock))
    # rows of earlier inserts move down when a later one goes above them: recount at the end
    positions = {id(c): i for i, c in enumerate(kept)}
    final = sorted((positions[id(c)], c) for _row, c in inserted)
    return sorted(removed, reverse=True), final, tuple(kept)
