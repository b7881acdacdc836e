"""Icons drawn for FireCase (``resources/icons/*.svg``), loaded by name. GUI thread only."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from firecase import paths


@cache
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` (an empty icon if it is missing)."""
    path = paths.resource("icons", f"{name}.svg")
    return QIcon(str(path)) if path.exists() else QIcon()


def app_icon() -> QIcon:
    """The application icon (window title bars, task bar, about box)."""
    return icon("firecase")
