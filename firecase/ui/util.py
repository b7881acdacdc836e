"""Small helpers shared by the widgets (GUI thread only)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

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
