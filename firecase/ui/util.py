"""Small helpers shared by the widgets (GUI thread only)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QLineEdit, QWidget

# Platforms without a window manager: raise()/activateWindow() only print warnings there.
_HEADLESS = {"offscreen", "minimal"}


def window_of(widget: QWidget) -> QWidget:
    """The window ``widget`` is in, as ``QWidget.window()`` but without calling it.

    PySide6 (6.11) applies shiboken's return-value heuristic to ``QWidget`` getters that return
    a ``QWidget*`` and are not marked otherwise (``window()``, ``nextInFocusChain()``,
    ``focusProxy()`` …): the wrapper returned is recorded as a child of the one asked. When
    the one asked is deleted, the wrappers recorded as its children are marked deleted too,
    though their widgets live on ("Internal C++ object … already deleted"). ``parentWidget()``
    is exempt, so the window is found by walking up with it.
    """
    while not widget.isWindow():
        parent = widget.parentWidget()
        if parent is None:
            break
        widget = parent
    return widget


# room left on the screen around a window: its title bar and frame, which Qt does not count
FRAME_ROOM = (16, 48)


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize a window to ``width`` × ``height``, or to the screen's free area when that is
    smaller (a 1366×768 laptop, a 1280×720 projector, 1920×1080 at 150 %: 1280×720 logical),
    leaving room for the title bar; never below the window's own minimum."""
    screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, room.width() - FRAME_ROOM[0])
        height = min(height, room.height() - FRAME_ROOM[1])
    hint = widget.minimumSizeHint()
    widget.resize(max(width, hint.width(), 1), max(height, hint.height(), 1))


_EDIT_CHROME = 16  # a QLineEdit's frame and text margins, in pixels


def show_placeholder_whole(edit: QLineEdit, minimum: int = 0) -> None:
    """Make ``edit`` at least as wide as its placeholder (its text, the frame and the text
    margins) and ``minimum``: a hint cut short ("如 2024-10-15（…") tells nothing."""
    needed = edit.fontMetrics().horizontalAdvance(edit.placeholderText()) + _EDIT_CHROME
    edit.setMinimumWidth(max(minimum, needed))


def bring_to_front(widget: QWidget) -> None:
    """Show ``widget`` and, where the platform has a window manager, raise and activate it."""
    widget.show()
    if QGuiApplication.platformName() not in _HEADLESS:
        widget.raise_()
        widget.activateWindow()


def to_qdate(value: dt.date) -> QDate:
    """``datetime.date`` → ``QDate``."""
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    """``QDate`` → ``datetime.date``."""
    return dt.date(value.year(), value.month(), value.day())
