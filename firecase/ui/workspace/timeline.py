"""A statutory clock drawn as a timeline: a bar from start to due date, appraisal pauses shaded,
extensions marked, and today's line.

The widget draws what it is given (``TimelineSpec``): it computes no rule. ``spec_from_clock``
builds a spec from a service ``ClockView`` (due date, status and explanation as
``firecase.rules`` computed them) plus the case's recorded appraisals and approved extensions,
which are only drawn where they fall on the calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from firecase.rules.urgency import NOT_APPLICABLE

if TYPE_CHECKING:
    from firecase.services.dto import AppraisalView, ClockView, ExtensionView

# Colours by state: fill of the bar, and its outline.
STATE_COLOURS: dict[str, tuple[str, str]] = {
    "ok": ("#cfe8d4", "#2e7d32"),
    "soon": ("#ffe0b2", "#e65100"),
    "overdue": ("#f8d0cc", "#b3261e"),
    "paused": ("#d6e4f5", "#1f5fa8"),
    "done": ("#e3e3e3", "#616161"),
    "done_late": ("#eedcdc", "#8e3b36"),
    "unknown": ("#f2f2f2", "#9e9e9e"),
    "not_applicable": ("#f2f2f2", "#757575"),
}
STATE_TEXT = {
    "ok": "进行中",
    "soon": "即将到期",
    "overdue": "已逾期",
    "paused": "暂停计算（鉴定中）",
    "done": "已完成",
    "done_late": "逾期完成",
    "unknown": "无法计算",
    "not_applicable": "不适用",
}
TODAY_COLOUR = "#d32f2f"
PAUSE_COLOUR = "#5c6bc0"
EXTENSION_COLOUR = "#6a1b9a"
SOON_DAYS = 7


@dataclass(frozen=True)
class TimelineMark:
    """A dated mark on the timeline (an approved extension)."""

    on: dt.date
    text: str


@dataclass(frozen=True)
class TimelineSpec:
    """What one timeline shows. ``due`` None: the clock could not be computed (no bar)."""

    label: str
    start: dt.date | None
    due: dt.date | None
    today: dt.date
    state: str = "ok"
    done_on: dt.date | None = None
    pauses: tuple[tuple[dt.date, dt.date | None], ...] = ()
    marks: tuple[TimelineMark, ...] = ()
    provisional: bool = False  # the due date is 暂定 (a year the calendar lacks)

    def span(self) -> tuple[dt.date, dt.date] | None:
        """First and last date the axis must show (None without start)."""
        if self.start is None:
            return None
        # a finished clock is drawn on its own span; a running one reaches today
        dates = [self.start] if self.done_on is not None else [self.start, self.today]
        if self.due is not None:
            dates.append(self.due)
        if self.done_on is not None:
            dates.append(self.done_on)
        for begin, end in self.pauses:
            dates.append(begin)
            if end is not None:
                dates.append(end)
        dates.extend(m.on for m in self.marks)
        first, last = min(dates), max(dates)
        if last <= first:
            last = first + dt.timedelta(days=1)
        return first, last


def clock_state(clock: ClockView) -> str:
    """The colour state of a clock from what the services report about it."""
    if clock.done_on is not None:
        return "done_late" if clock.late_days else "done"
    if clock.status == NOT_APPLICABLE:
        return "not_applicable"
    if clock.due is None:
        return "unknown"
    if clock.overdue:
        return "overdue"
    if clock.paused:
        return "paused"
    if clock.days_left is not None and clock.days_left <= SOON_DAYS:
        return "soon"
    return "ok"


def spec_from_clock(
    clock: ClockView,
    today: dt.date,
    *,
    appraisals: Sequence[AppraisalView] = (),
    extensions: Sequence[ExtensionView] = (),
) -> TimelineSpec:
    """The timeline of ``clock``; give the appraisals and extensions for the investigation clock."""
    pauses = tuple((a.commissioned_on, a.opinion_on) for a in appraisals)
    marks = tuple(
        TimelineMark(e.approved_on, f"延长{e.days}日")
        for e in extensions
        if e.approved_on is not None and (not e.approved_late or e.late_confirmed_on is not None)
    )
    return TimelineSpec(
        label=clock.label,
        start=clock.start,
        due=clock.due,
        today=today,
        state=clock_state(clock),
        done_on=clock.done_on,
        pauses=pauses,
        marks=marks,
        provisional=clock.provisional,
    )


class ClockTimeline(QWidget):
    """Custom-painted timeline of one clock. Owned by the 期限 tab's clock row; GUI thread only.

    Layout inside the widget: marks' labels on top, the bar in the middle, start/due dates
    below. ``date_x`` maps a date to an x coordinate (tests and tooltips use it).
    """

    MARGIN = 34
    BAR_TOP = 22
    BAR_HEIGHT = 18

    def __init__(self, spec: TimelineSpec | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._spec = spec
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(260)
        self._update_text()

    def sizeHint(self) -> QSize:
        return QSize(460, 64)

    def minimumSizeHint(self) -> QSize:
        return QSize(260, 64)

    @property
    def spec(self) -> TimelineSpec | None:
        """What the widget shows."""
        return self._spec

    def set_spec(self, spec: TimelineSpec | None) -> None:
        """Show ``spec`` (None: nothing)."""
        self._spec = spec
        self._update_text()
        self.update()

    def _update_text(self) -> None:
        spec = self._spec
        if spec is None:
            self.setToolTip("")
            return
        parts = [spec.label, STATE_TEXT.get(spec.state, "")]
        if spec.start is not None:
            parts.append(f"起算 {spec.start.isoformat()}")
        if spec.due is not None:
            parts.append(f"届满 {spec.due.isoformat()}" + ("（暂定）" if spec.provisional else ""))
        for begin, end in spec.pauses:
            parts.append(f"鉴定暂停 {begin.isoformat()}—{end.isoformat() if end else '未出意见'}")
        parts.extend(f"{m.text}（{m.on.isoformat()}批准）" for m in spec.marks)
        text = "；".join(p for p in parts if p)
        self.setToolTip(text)
        self.setAccessibleName(text)

    def date_x(self, day: dt.date) -> float:
        """The x coordinate of ``day`` (the left edge of the day) on the current axis."""
        span = self._spec.span() if self._spec is not None else None
        left, right = self.MARGIN, max(self.MARGIN + 1, self.width() - self.MARGIN)
        if span is None:
            return float(left)
        first, last = span
        total = (last - first).days or 1
        return left + (right - left) * (day - first).days / total

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, p: QPainter) -> None:
        spec = self._spec
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.85))
        p.setFont(small)
        metrics = QFontMetrics(small)
        top, height = self.BAR_TOP, self.BAR_HEIGHT
        if spec is None or spec.start is None:
            p.setPen(QColor("#757575"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "尚未起算")
            return
        fill, line = STATE_COLOURS.get(spec.state, STATE_COLOURS["unknown"])
        x0 = self.date_x(spec.start)
        # axis
        p.setPen(QPen(QColor("#bdbdbd"), 1))
        p.drawLine(
            QPointF(self.MARGIN, top + height / 2),
            QPointF(self.width() - self.MARGIN, top + height / 2),
        )
        if spec.due is not None:
            x1 = self.date_x(spec.due)
            bar = QRectF(x0, top, max(2.0, x1 - x0), height)
            p.setPen(QPen(QColor(line), 1.5))
            p.setBrush(QColor(fill))
            p.drawRoundedRect(bar, 3, 3)
        else:
            p.setPen(QPen(QColor(line), 1.2, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(x0, top, self.width() - self.MARGIN - x0, height))
            p.drawText(
                QRectF(x0, top, self.width() - self.MARGIN - x0, height),
                Qt.AlignmentFlag.AlignCenter,
                "本办法的期限不适用" if spec.state == "not_applicable" else "无法计算届满日",
            )
        # appraisal pauses: shaded and hatched, open ones run to today
        for begin, end in spec.pauses:
            stop = end or min(spec.today, spec.span()[1])  # type: ignore[index]
            xa, xb = self.date_x(begin), self.date_x(stop)
            rect = QRectF(xa, top - 3, max(3.0, xb - xa), height + 6)
            p.setPen(Qt.PenStyle.NoPen)
            shade = QColor(PAUSE_COLOUR)
            shade.setAlpha(70)
            p.setBrush(shade)
            p.drawRect(rect)
            hatch = QBrush(QColor(PAUSE_COLOUR), Qt.BrushStyle.BDiagPattern)
            p.setBrush(hatch)
            p.drawRect(rect)
        # extensions: a flag at the approval date
        p.setBrush(QColor(EXTENSION_COLOUR))
        for mark in spec.marks:
            x = self.date_x(mark.on)
            p.setPen(QPen(QColor(EXTENSION_COLOUR), 1.5))
            p.drawLine(QPointF(x, top - 8), QPointF(x, top + height))
            p.setPen(Qt.PenStyle.NoPen)
            p.drawPolygon(
                QPolygonF([QPointF(x, top - 8), QPointF(x + 8, top - 5), QPointF(x, top - 2)])
            )
            p.setPen(QColor(EXTENSION_COLOUR))
            p.drawText(QPointF(x + 10, top - 3), mark.text)
        # done
        if spec.done_on is not None:
            x = self.date_x(spec.done_on)
            p.setPen(QPen(QColor("#2e7d32"), 2.5))
            p.drawLine(QPointF(x - 5, top + height / 2), QPointF(x - 1, top + height - 4))
            p.drawLine(QPointF(x - 1, top + height - 4), QPointF(x + 7, top + 3))
        # overdue: the days past the due date, in red
        if spec.state == "overdue" and spec.due is not None and spec.today > spec.due:
            p.setPen(QPen(QColor(line), 3, Qt.PenStyle.DotLine))
            mid = top + height / 2
            p.drawLine(QPointF(self.date_x(spec.due), mid), QPointF(self.date_x(spec.today), mid))
        # start and due labels (the due label moves right when they would overlap)
        p.setPen(QColor("#424242"))
        label_y = top + height + metrics.ascent() + 3
        start_text = spec.start.strftime("%m-%d")
        start_left = max(0.0, x0 - metrics.horizontalAdvance(start_text) / 2)
        p.drawText(QPointF(start_left, label_y), start_text)
        if spec.due is not None:
            due_text = spec.due.strftime("%Y-%m-%d")
            width = metrics.horizontalAdvance(due_text)
            xd = self.date_x(spec.due)
            left = max(xd - width / 2, start_left + metrics.horizontalAdvance(start_text) + 6)
            left = min(left, self.width() - width - 1)
            p.setPen(QColor(line))
            p.drawText(QPointF(left, label_y), due_text)
        # today's line (not drawn when today is beyond a finished clock's span)
        first, last = spec.span() or (spec.today, spec.today)
        if not first <= spec.today <= last:
            return
        xt = self.date_x(spec.today)
        p.setPen(QPen(QColor(TODAY_COLOUR), 2))
        p.drawLine(QPointF(xt, 4), QPointF(xt, top + height + 4))
        p.setPen(QColor(TODAY_COLOUR))
        p.drawText(QPointF(xt - metrics.horizontalAdvance("今天") / 2, 12), "今天")
