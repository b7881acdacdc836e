"""Keyboard and focus rules shared by every dialog (GUI thread only).

* ``FirstFieldFocus``: a mixin for dialogs: when the dialog is shown, its first field (the
  first input in the tab chain) has the keyboard focus, so the first keystrokes are never
  lost. A dialog that chose another field itself (say, the password of a known user) keeps it.
* ``first_field(root)``: that widget.
* ``declare_keys(where, what, *keys)``: a key a widget defines outside the main window's menus
  (the date field's calendar, the report preview's buttons). The widget installs the returned
  ``KeyBinding.sequences`` itself, so 帮助 → 快捷键, which lists every ``declared()`` binding with
  the main window's ``QAction`` shortcuts, shows what the code really does.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QPushButton,
    QRadioButton,
    QTextBrowser,
    QWidget,
)

Key = str | QKeySequence.StandardKey


def key_text(key: QKeySequence) -> str:
    """A key as the officer reads it (帮助 → 快捷键): Qt's native text, in the user's language
    once the translator is loaded ("Ctrl+回车"; "Ctrl+Return" without)."""
    return key.toString(QKeySequence.SequenceFormat.NativeText)


@dataclass(frozen=True)
class KeyBinding:
    """A key of a widget or dialog: where it works, what it does, its keys (text such as
    "F4", or a standard key, which stands for its first binding on this platform as
    ``setShortcut`` uses it; resolved when asked, once a ``QGuiApplication`` exists)."""

    where: str
    what: str
    raw: tuple[Key, ...]

    @property
    def sequences(self) -> list[QKeySequence]:
        """The keys as ``QKeySequence``s (for ``setShortcut`` / ``setShortcuts``)."""
        return [QKeySequence(k) for k in self.raw]

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys as the officer reads them ("Ctrl+S"); a standard key this platform
        does not bind is left out."""
        texts = (key_text(s) for s in self.sequences)
        return tuple(dict.fromkeys(t for t in texts if t))


_DECLARED: list[KeyBinding] = []


def declare_keys(where: str, what: str, *keys: Key) -> KeyBinding:
    """Register a key binding (at import time of the module that installs it)."""
    binding = KeyBinding(where, what, tuple(keys))
    if binding not in _DECLARED:
        _DECLARED.append(binding)
    return binding


def declared() -> tuple[KeyBinding, ...]:
    """Every binding declared so far, in declaration order."""
    return tuple(_DECLARED)


# the keys every dialog understands (QDialog's own handling, the date field, the forms)
DIALOG_ACCEPT = declare_keys("对话框", "确定 / 保存（多行文字框中为换行）", "Return", "Enter")
DIALOG_ACCEPT_ANYWHERE = declare_keys("对话框", "确定 / 保存（在多行文字框中也可）", "Ctrl+Return")
DIALOG_CANCEL = declare_keys("对话框", "取消 / 关闭", "Esc")
NEXT_FIELD = declare_keys(
    "对话框", "下一栏 / 上一栏（日期栏整体跳过，不进入年月日）", "Tab", "Shift+Tab"
)


def _is_field(widget: QWidget) -> bool:
    """An input the officer types or chooses in (not a push button or a read-only view)."""
    if isinstance(widget, QAbstractButton) and not isinstance(widget, QCheckBox | QRadioButton):
        return False
    if isinstance(widget, QTextBrowser):
        return False
    return not (isinstance(widget, QAbstractItemView) and widget.objectName().startswith("qt_"))


def _takes_tab(widget: QWidget, root: QWidget) -> bool:
    # root.isAncestorOf: a descendant in the same window (not widget.window(): see tab_chain)
    return (
        bool(widget.focusPolicy().value & 0x1)  # Qt.TabFocus
        and widget.isEnabled()
        and widget.isVisibleTo(root)
        and root.isAncestorOf(widget)
    )


def tab_chain(root: QWidget) -> list[QWidget]:
    """The widgets of ``root`` Tab visits, in order: found by doing what Tab does (Qt's
    ``focusNextChild`` from the top), the focus then put back where it was.

    Not by reading the chain with ``nextInFocusChain()``: PySide6 records each widget it
    returns as a child of the widget asked (see ``util.window_of``), so once any widget of the
    chain was deleted — a placeholder replaced, a row removed — the wrappers of every widget
    after it (a dialog's 保存 button) said "already deleted". The focus moves only inside
    ``root``; ``QWidget.focusWidget()`` of ``root`` returns widgets it outlives.
    """
    before = root.focusWidget()
    out: list[QWidget] = []
    root.setFocus()  # the walk starts at the top of the chain
    try:
        for _ in range(2000):
            if not _focus_next(root):
                break
            widget = root.focusWidget()
            if widget is None or widget is root or (out and widget is out[0]):
                break
            if not root.isAncestorOf(widget):
                break
            out.append(widget)
    finally:
        if before is not None and before is not root:
            before.setFocus()
        else:
            current = root.focusWidget()
            if current is not None and current is not root:
                current.clearFocus()
    return out


def _focus_next(root: QWidget) -> bool:
    """Qt's Tab from the focus widget of ``root``'s window (protected in C++; PySide exposes
    it on widgets made in Python, which every FireCase window is)."""
    step = getattr(root, "focusNextChild", None)
    return bool(step()) if callable(step) else False


def first_field(root: QWidget) -> QWidget | None:
    """The first input of ``root``'s tab chain (its first button when it has none), or the
    field the dialog marked with the property ``firstField`` (``mark_first_field``)."""
    marked = next(
        (w for w in root.findChildren(QWidget) if w.property("firstField") and _takes_tab(w, root)),
        None,
    )
    if marked is not None:
        return marked
    chain = tab_chain(root)
    return next((w for w in chain if _is_field(w)), chain[0] if chain else None)


def mark_first_field(widget: QWidget) -> None:
    """Make ``widget`` the field that has the focus when its dialog opens (the one the
    officer types in first, when a read-only list comes before it)."""
    widget.setProperty("firstField", True)


def tab_past(view: QAbstractItemView) -> None:
    """Tab leaves ``view`` for the next field instead of moving from cell to cell (a list
    to read in a dialog; the arrow keys still move inside it)."""
    view.setTabKeyNavigation(False)


def focus_first_field(root: QWidget) -> None:
    """Give the keyboard focus to ``root``'s first field, unless a field of it has it."""
    current = root.focusWidget()
    if (
        current is not None
        and root.isAncestorOf(current)
        and _is_field(current)
        and _takes_tab(current, root)
    ):
        return
    target = first_field(root)
    if target is not None:
        target.setFocus()


def default_button(root: QWidget) -> QPushButton | None:
    """The button Enter presses in ``root`` (its visible default push button)."""
    return next(
        (b for b in root.findChildren(QPushButton) if b.isDefault() and b.isVisibleTo(root)),
        None,
    )


class FirstFieldFocus:
    """Mixin for a ``QDialog`` (list it first among the bases): the first field has the focus
    when the dialog is shown, and Ctrl+Enter accepts it from anywhere, a text box included
    (``accept_from_keyboard``: its default button, when enabled)."""

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)  # type: ignore[misc]
        assert isinstance(self, QWidget)
        if self.findChild(QShortcut, "acceptAnywhere") is None:
            shortcut = QShortcut(DIALOG_ACCEPT_ANYWHERE.sequences[0], self)
            shortcut.setObjectName("acceptAnywhere")
            shortcut.activated.connect(self.accept_from_keyboard)
        focus_first_field(self)
        # after the show: the window takes the keyboard (a dialog opened with open() over the
        # main window may otherwise leave it there, and the first keys with it)
        QTimer.singleShot(0, self, self._settle_focus)  # type: ignore[attr-defined]

    def _settle_focus(self) -> None:
        assert isinstance(self, QWidget)
        if not self.isVisible():
            return
        modal = QApplication.activeModalWidget()
        if QApplication.activePopupWidget() is None and modal in (None, self):
            self.activateWindow()
        focus_first_field(self)  # also a field the layout showed after the first try

    def accept_from_keyboard(self) -> None:
        """What Ctrl+Enter does: press the default button (a dialog may do more)."""
        assert isinstance(self, QWidget)
        button = default_button(self)
        if button is not None and button.isEnabled():
            button.click()


# the keys of an open case (installed by ``workspace.CaseWorkspace``)
WORKSPACE_UNDO = declare_keys(
    "案件工作区",
    "撤销本页最近一次添加、编辑或删除（删除的记录从回收站恢复；在文字框中为撤销输入）",
    QKeySequence.StandardKey.Undo,
)
WORKSPACE_RECYCLE_BIN = declare_keys("案件工作区", "打开本案回收站", "Ctrl+Shift+Del")
