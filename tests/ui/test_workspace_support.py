"""Helpers shared by the workspace tests (imported by ``test_workspace_*.py``; no tests here)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QWidget


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` (Chinese allowed) the way an input method commits it."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def find_button(root: QWidget, name_or_text: str) -> QAbstractButton:
    """The button under ``root`` whose objectName or text is ``name_or_text``."""
    for button in root.findChildren(QAbstractButton):
        if button.objectName() == name_or_text or button.text() == name_or_text:
            return button
    raise LookupError(f"no button {name_or_text!r} in {root!r}")


def answer_next_box(
    name_or_text: str, seen: list[str] | None = None, *, attempts: int = 50
) -> None:
    """When the next modal message box opens (possibly blocking in ``exec``), click a button.

    ``seen`` collects the box's text so the test can check what the user was asked.
    """

    def attempt(left: int) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            if seen is not None:
                seen.append(box.text())
            find_button(box, name_or_text).click()
            return
        if left > 0:
            QTimer.singleShot(20, lambda: attempt(left - 1))

    QTimer.singleShot(0, lambda: attempt(attempts))


def wait_for(qtbot: object, predicate: Callable[[], object], timeout: int = 5000) -> None:
    """``qtbot.waitUntil`` with a friendlier default timeout."""
    qtbot.waitUntil(lambda: bool(predicate()), timeout=timeout)  # type: ignore[attr-defined]


def test_a_tab_without_set_detail_is_refused_when_defined() -> None:
    import pytest

    from firecase.ui.workspace.tabs.base import WorkspaceTab

    with pytest.raises(TypeError, match="set_detail"):

        class Forgetful(WorkspaceTab):
            title = "遗漏"

    class Complete(WorkspaceTab):
        def set_detail(self, detail: object) -> None:  # type: ignore[override]
            self.shown = detail

    assert "set_detail" in Complete.__dict__
