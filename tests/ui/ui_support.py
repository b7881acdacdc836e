"""Helpers of the main-window tests (no tests here)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QInputMethodEvent, QTextCursor
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QTextBrowser, QWidget


def type_chinese(widget: QWidget, text: str) -> None:
    """Type ``text`` the way an input method commits it (keyClicks cannot type Chinese)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def answer_next_box(object_name: str, seen: list[str] | None = None, attempts: int = 100) -> None:
    """Click the button ``object_name`` of the next modal message box when it opens."""

    def attempt(left: int) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            if seen is not None:
                seen.append(box.text())
            button = box.findChild(QAbstractButton, object_name)
            assert button is not None, f"no button {object_name} in {box.text()}"
            button.click()
            return
        if left:
            QTimer.singleShot(20, lambda: attempt(left - 1))

    QTimer.singleShot(0, lambda: attempt(attempts))


def link_position(browser: QTextBrowser, href: str) -> QPoint:
    """Where in ``browser``'s viewport the link to ``href`` is drawn (its middle)."""
    doc = browser.document()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(doc)
                cursor.setPosition(fragment.position() + max(1, fragment.length() // 2))
                browser.ensureCursorVisible()
                browser.setTextCursor(cursor)
                browser.ensureCursorVisible()
                return browser.cursorRect(cursor).center()
            it += 1
        block = block.next()
    raise LookupError(f"no link {href} in the browser")
