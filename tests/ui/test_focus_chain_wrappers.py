"""Walking a dialog's tab chain leaves every widget's Python wrapper alive.

PySide6 6.11 records a widget returned by ``nextInFocusChain()`` (and ``window()``,
``focusProxy()``) as a child of the widget asked; once that one was deleted the wrappers of the
widgets after it raised "Internal C++ object … already deleted" (the settings dialog's 保存
button after the standards page replaced its placeholder). ``keyboard.tab_chain`` and
``util.window_of`` do not call those getters; these tests fail with the old walk.
"""

from __future__ import annotations

import gc
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from firecase.ui import keyboard
from firecase.ui.util import window_of


def _dialog(qtbot: Any) -> tuple[QDialog, QScrollArea, QLineEdit, Any]:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    scroll = QScrollArea(dialog)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    scroll.setWidget(QLabel("正在读取……"))  # a placeholder replaced once the data is read
    layout.addWidget(scroll)
    edit = QLineEdit(dialog)
    layout.addWidget(edit)
    buttons = QDialogButtonBox(dialog)
    save = buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
    layout.addWidget(buttons)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog, scroll, edit, save


def test_the_chain_is_what_tab_visits_and_the_wrappers_survive_a_deleted_widget(
    qtbot: Any,
) -> None:
    dialog, scroll, edit, save = _dialog(qtbot)
    edit.setFocus()
    chain = keyboard.tab_chain(dialog)
    assert chain.index(edit) < chain.index(save)
    assert dialog.focusWidget() is edit  # the walk put the focus back
    assert keyboard.first_field(dialog) is edit
    body = QWidget()
    QVBoxLayout(body).addWidget(QLabel("标准"))
    scroll.setWidget(body)  # deletes the placeholder
    qtbot.wait(10)
    gc.collect()
    assert shiboken6.isValid(save) and shiboken6.isValid(edit)
    assert save.text() == "保存"


def test_window_of_is_the_window_and_leaves_the_wrappers_alone(qtbot: Any) -> None:
    dialog, scroll, _edit, save = _dialog(qtbot)
    placeholder = scroll.widget()
    assert window_of(placeholder) is dialog and window_of(save) is dialog
    assert window_of(dialog) is dialog
    scroll.setWidget(QWidget())
    qtbot.wait(10)
    gc.collect()
    assert shiboken6.isValid(dialog) and dialog.isVisible()
