"""Small helpers shared by the widgets (GUI thread only)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Platforms without a window manager: raise()/activateWindow() only print warnings there.
_HEADLESS = {"offscreen", "minimal"}


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
