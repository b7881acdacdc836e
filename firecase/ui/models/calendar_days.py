"""The days of one year of the holiday calendar, as the settings dialog lists them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from firecase.services.dto import CalendarDayView

AnyIndex = QModelIndex | QPersistentModelIndex

COLUMNS = ("日期", "星期", "类型", "名称", "来源")
KIND_LABELS = {"holiday": "法定节假日", "workday": "调休上班日"}
SOURCE_LABELS = {"bundled": "随程序附带", "user": "用户修改", "notice": "国务院通知"}
WEEKDAYS = "一二三四五六日"
HOLIDAY_BG = QColor("#ffe3e0")
WORKDAY_BG = QColor("#e1ecff")


class CalendarDaysModel(QAbstractTableModel):
    """Holidays and make-up working days of the year shown. Owned by the settings dialog's
    calendar page; GUI thread only; ``set_days`` replaces the list."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._days: tuple[CalendarDayView, ...] = ()

    def set_days(self, days: tuple[CalendarDayView, ...]) -> None:
        """Show ``days`` (already filtered to one year, in date order)."""
        self.beginResetModel()
        self._days = tuple(days)
        self.endResetModel()

    def day_at(self, row: int) -> CalendarDayView | None:
        """The entry shown in ``row``."""
        return self._days[row] if 0 <= row < len(self._days) else None

    def row_of(self, day: Any) -> int:
        """The row of date ``day``, or -1."""
        return next((i for i, d in enumerate(self._days) if d.day == day), -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """One row per entry."""
        return 0 if parent.isValid() else len(self._days)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Date, weekday, kind, name, source."""
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
        """Selectable, read-only (edits go through the buttons and the service)."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text and the kind's colour."""
        if not index.isValid() or not 0 <= index.row() < len(self._days):
            return None
        d = self._days[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                d.day.isoformat(),
                f"周{WEEKDAYS[d.day.weekday()]}",
                KIND_LABELS.get(d.kind, d.kind),
                d.name,
                SOURCE_LABELS.get(d.source, d.source),
            )[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(HOLIDAY_BG if d.kind == "holiday" else WORKDAY_BG)
        return None
