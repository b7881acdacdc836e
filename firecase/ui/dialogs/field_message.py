"""A widget with its error message under it, for the forms of the settings dialog's pages.

GUI thread only; the caller owns the returned widget (it parents it into its layout).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

ERROR_STYLE = "color:#b71c1c;"


def with_message(key: str, widget: QWidget, messages: dict[str, QLabel]) -> QWidget:
    """``widget`` above a hidden red label, registered in ``messages[key]`` (objectName
    ``<key>_message``) so a refusal naming ``key`` shows beside the field."""
    box = QWidget()
    col = QVBoxLayout(box)
    col.setContentsMargins(0, 0, 0, 0)
    col.setSpacing(2)
    col.addWidget(widget)
    label = QLabel()
    label.setObjectName(f"{key}_message")
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    col.addWidget(label)
    messages[key] = label
    return box
