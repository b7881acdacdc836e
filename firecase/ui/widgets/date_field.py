"""The one date field of FireCase: a line of text, a calendar button and the date in words.

Why not ``QDateEdit``: a date edit is made of sections, so typing a whole date over a
selection kept the old year (2024-10-15 became 2025-10-15), a year beyond the maximum was
silently clamped (2027 became 2026), and Tab moved into the month. Here the officer types
the date as text — ``2024-10-15``, ``2024/10/15``, ``2024.10.15``, ``2024年10月15日``,
``20241015``, ``2024-1-5`` — and ``firecase.ui.parsing.parse_date`` reads it or says what is
wrong; the typed text is never replaced behind the officer's back. Beside it the date read is
echoed in words (``2024年10月15日 星期二``), or the Chinese message once the officer leaves a
text that is not a date. The calendar (button, F4 or Alt+↓) is in Chinese with Monday first.
Tab goes to the next field: the calendar button takes no focus. An optional date may be left
empty. Whether a date is *plausible* (not before the fire, not in the future, not a year from
its neighbour) is asked by the form when it is saved (``parsing.date_doubts``).

GUI thread only; owned by the form or dialog that built it.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from firecase.ui.icons import icon
from firecase.ui.keyboard import KeyBinding, declare_keys
from firecase.ui.parsing import InputError, date_in_words, format_date, parse_date
from firecase.ui.util import show_placeholder_whole, to_qdate

CALENDAR_KEYS = declare_keys(
    "日期栏", "打开日历（方向键选日，回车选定，Esc 关闭）", "F4", "Alt+Down"
)
TODAY_KEYS = declare_keys("日期栏", "填入今天", "Ctrl+;")
ECHO_STYLE = "color:#4a4a4a;"
EMPTY_STYLE = "color:#8a8a8a;"
ERROR_STYLE = "color:#b3261e;"
INVALID_EDIT = "QLineEdit { border:1px solid #d32f2f; background:#fff6f6; }"
CHINA = QLocale(QLocale.Language.Chinese, QLocale.Country.China)


class CalendarPopup(QFrame):
    """The month calendar under a date field (a popup: a click outside or Esc closes it).

    Owned by its ``DateEdit``. ``picked(date)`` when a day was clicked or chosen with Enter.
    """

    picked = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("calendarPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget(self)
        self.calendar.setObjectName("calendar")
        self.calendar.setLocale(CHINA)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setMinimumDate(QDate(1900, 1, 1))
        self.calendar.setMaximumDate(QDate(2199, 12, 31))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.calendar)
        self.calendar.clicked.connect(self._on_calendar_chosen)
        self.calendar.activated.connect(self._on_calendar_chosen)

    def _on_calendar_chosen(self, day: QDate) -> None:
        self.close()
        self.picked.emit(day.toPython())


class DateEdit(QWidget):
    """A date typed as text, with a calendar and the date in words beside it.

    ``label`` names the date in messages; ``required`` refuses an empty text; ``maximum`` is
    the latest day the calendar offers (``value`` does not enforce it: the form says so);
    ``empty_text`` is shown beside an empty optional date ("尚未批准"); ``echo=False`` leaves
    the words and messages to the caller (the intake dialog has a column for them).

    ``edited`` when the officer typed or picked a day (not on ``set_value``); ``committed``
    when they finished (Enter, leaving the field, a day picked).
    """

    edited = Signal()
    committed = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        label: str = "日期",
        required: bool = True,
        maximum: dt.date | None = None,
        empty_text: str = "",
        echo: bool = True,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.label = label
        self.required = required
        self.maximum = maximum
        self.empty_text = empty_text
        self.today = today
        self._problem_shown = False
        self.line_edit = QLineEdit(self)
        self.line_edit.setObjectName("dateText")
        self.line_edit.setMaxLength(40)
        self.line_edit.setPlaceholderText("如 2024-10-15" + ("" if required else "（可不填）"))
        self.line_edit.setToolTip(
            f"{label}：可写成 2024-10-15、2024/10/15、2024年10月15日 或 20241015；"
            "F4 打开日历，Ctrl+; 填入今天"
        )
        show_placeholder_whole(self.line_edit, 120)  # at 120 pixels "（可不填）" was cut
        self.calendar_button = QToolButton(self)
        self.calendar_button.setObjectName("calendarButton")
        self.calendar_button.setIcon(icon("calendar"))
        self.calendar_button.setToolTip("从日历中选择（F4）")
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the next field
        self.echo_label = QLabel(self)
        self.echo_label.setObjectName("dateEcho")
        self.echo_label.setWordWrap(True)
        self.echo_label.setMinimumWidth(150)
        self.echo_label.setVisible(echo)
        self.popup: CalendarPopup | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.line_edit, 2)
        layout.addWidget(self.calendar_button)
        layout.addWidget(self.echo_label, 3)
        self.setFocusProxy(self.line_edit)
        self.calendar_action = self._key_action(CALENDAR_KEYS)
        self.calendar_action.triggered.connect(self._on_calendar_action_triggered)
        self.today_action = self._key_action(TODAY_KEYS)
        self.today_action.triggered.connect(self._on_today_action_triggered)
        self.calendar_button.clicked.connect(self._on_calendar_button_clicked)
        self.line_edit.textChanged.connect(self._on_line_edit_text_changed)
        self.line_edit.textEdited.connect(self._on_line_edit_text_edited)
        self.line_edit.editingFinished.connect(self._on_line_edit_editing_finished)
        self._show_echo()

    def _key_action(self, keys: KeyBinding) -> QAction:
        action = QAction(keys.what, self.line_edit)
        action.setShortcuts(keys.sequences)
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.line_edit.addAction(action)
        return action

    # -- value -----------------------------------------------------------------------------

    def text(self) -> str:
        """The text as typed."""
        return self.line_edit.text()

    def value(self) -> dt.date | None:
        """The date typed (None when an optional date is empty); ``InputError`` otherwise."""
        return parse_date(self.line_edit.text(), self.label, required=self.required)

    def date(self) -> dt.date | None:
        """The date typed, or None when it is empty or not a date."""
        try:
            return self.value()
        except InputError:
            return None

    def problem(self) -> str:
        """Why the text is not a usable date ("" when it is)."""
        try:
            self.value()
        except InputError as exc:
            return exc.message
        return ""

    def set_value(self, value: dt.date | None) -> None:
        """Show ``value`` (None: empty) as ``2024-10-15``; no ``edited``."""
        self._problem_shown = False
        self.line_edit.setText("" if value is None else format_date(value))

    def set_text(self, text: str) -> None:
        """Put ``text`` in the field as if it had been typed (``edited`` is emitted)."""
        self.line_edit.setText(text)
        self.edited.emit()

    def show_problem(self) -> str:
        """Show the message beside the field now (a form being saved); returns it."""
        self._problem_shown = True
        self._show_echo()
        return self.problem()

    # -- calendar --------------------------------------------------------------------------

    def open_calendar(self) -> CalendarPopup:
        """Show the calendar under the field, on the date typed (today when none)."""
        if self.popup is None:
            self.popup = CalendarPopup(self)
            self.popup.picked.connect(self._on_popup_picked)
        calendar = self.popup.calendar
        if self.maximum is not None:
            calendar.setMaximumDate(to_qdate(self.maximum))
        shown = self.date() or self.today or dt.date.today()
        if self.maximum is not None:
            shown = min(shown, self.maximum)
        calendar.setSelectedDate(to_qdate(shown))
        self.popup.adjustSize()
        where = self.line_edit.mapToGlobal(QPoint(0, self.line_edit.height()))
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        if screen is not None:
            size = self.popup.sizeHint()
            if where.y() + size.height() > screen.bottom():
                where.setY(self.line_edit.mapToGlobal(QPoint(0, 0)).y() - size.height())
            where.setX(max(screen.left(), min(where.x(), screen.right() - size.width())))
        self.popup.move(where)
        self.popup.show()
        calendar.setFocus()
        return self.popup

    def _on_calendar_button_clicked(self) -> None:
        self.open_calendar()

    def _on_calendar_action_triggered(self, _checked: bool = False) -> None:
        self.open_calendar()

    def _on_today_action_triggered(self, _checked: bool = False) -> None:
        self._fill_today()

    def _on_popup_picked(self, day: dt.date) -> None:
        self._problem_shown = False
        self.line_edit.setText(format_date(day))
        self.line_edit.setFocus()
        self.line_edit.selectAll()
        self.edited.emit()
        self.committed.emit()

    def _fill_today(self) -> None:
        self.line_edit.setText(format_date(self.today or dt.date.today()))
        self.edited.emit()

    # -- echo ------------------------------------------------------------------------------

    def _show_echo(self) -> None:
        text = self.line_edit.text()
        problem = ""
        day: dt.date | None = None
        try:
            day = self.value()
        except InputError as exc:
            problem = exc.message
        if problem and self._problem_shown:
            self.echo_label.setText(problem)
            self.echo_label.setStyleSheet(ERROR_STYLE)
            self.line_edit.setStyleSheet(INVALID_EDIT)
            return
        self.line_edit.setStyleSheet("")
        if day is not None:
            self.echo_label.setText(date_in_words(day))
            self.echo_label.setStyleSheet(ECHO_STYLE)
        elif not text.strip():
            self.echo_label.setText(self.empty_text if not self.required else "")
            self.echo_label.setStyleSheet(EMPTY_STYLE)
        else:
            self.echo_label.setText("")  # still typing: the message waits until they leave

    def _on_line_edit_text_changed(self, _text: str) -> None:
        if self._problem_shown and not self.problem():
            self._problem_shown = False  # fixed: the message goes at once
        self._show_echo()

    def _on_line_edit_text_edited(self, _text: str) -> None:
        self.edited.emit()

    def _on_line_edit_editing_finished(self) -> None:
        if self.popup is not None and self.popup.isVisible():
            return  # the calendar took the focus; the officer has not left the field
        self._problem_shown = bool(self.line_edit.text().strip())
        self._show_echo()
        self.committed.emit()


def empty_date_text(check_text: str) -> str:
    """What an empty optional date means, from what a filled one means: 已批准 → 尚未批准,
    限期 → 不限期."""
    if not check_text:
        return "未填写"
    if check_text.startswith("已"):
        return "尚未" + check_text[1:]
    return "不" + check_text
