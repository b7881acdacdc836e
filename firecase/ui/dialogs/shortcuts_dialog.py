"""帮助 → 快捷键: every key FireCase defines, read from the code that defines it.

Nothing here is a hand-written list. The rows come from
* the main window's ``QAction``s — every action with a shortcut, under the menu that holds it
  (or 工具栏 / 窗口 for the others) — and the access keys of its menus (文件(&F) → Alt+F);
* ``firecase.ui.keyboard.declared()``: the keys widgets and dialogs install themselves (the
  date field's calendar, the report preview's buttons, Enter / Esc / Tab in dialogs). The
  modules of ``firecase.ui`` are imported first, so every declaration is present.

GUI thread only; owned by the main window.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from firecase.ui import keyboard
from firecase.ui.keyboard import FirstFieldFocus
from firecase.ui.util import fit_to_screen

_MNEMONIC = re.compile(r"&([^&])")


@dataclass(frozen=True)
class ShortcutRow:
    """One line of the list: the keys, what they do, where they work."""

    keys: str
    what: str
    where: str


def _plain(text: str) -> str:
    """A menu text without its access-key marker and trailing dots: "文件(&F)" → "文件"."""
    text = re.sub(r"\(&.\)", "", text).replace("&", "")
    return text.replace("…", "").strip()


def _keys(action: QAction) -> str:
    seen = dict.fromkeys(keyboard.key_text(s) for s in action.shortcuts())
    return " / ".join(k for k in seen if k)


def _menu_rows(menu: QMenu, where: str, seen: set[int]) -> list[ShortcutRow]:
    rows: list[ShortcutRow] = []
    for action in menu.actions():
        if action.menu() is not None:
            sub = action.menu()
            assert isinstance(sub, QMenu)
            rows.extend(_menu_rows(sub, f"{where} → {_plain(sub.title())}", seen))
            continue
        if action.isSeparator() or id(action) in seen:
            continue
        seen.add(id(action))
        if action.shortcuts() and action.isVisible():
            rows.append(ShortcutRow(_keys(action), _plain(action.text()), where))
    return rows


def window_shortcuts(window: QMainWindow) -> list[ShortcutRow]:
    """The keys of ``window``: menu access keys, then every action with a shortcut."""
    rows: list[ShortcutRow] = []
    seen: set[int] = set()
    menus = [a.menu() for a in window.menuBar().actions() if isinstance(a.menu(), QMenu)]
    for menu in menus:
        assert isinstance(menu, QMenu)
        found = _MNEMONIC.search(menu.title())
        if found:
            rows.append(
                ShortcutRow(f"Alt+{found.group(1).upper()}", "打开菜单", f"{_plain(menu.title())}")
            )
    for menu in menus:
        assert isinstance(menu, QMenu)
        rows.extend(_menu_rows(menu, _plain(menu.title()), seen))
    for action in window.findChildren(QAction):
        if id(action) not in seen and action.shortcuts() and action.isVisible():
            seen.add(id(action))
            rows.append(ShortcutRow(_keys(action), _plain(action.text()), "主窗口"))
    return rows


def load_declarations() -> None:
    """Import every module of ``firecase.ui`` so each widget's ``declare_keys`` has run."""
    import firecase.ui

    for info in pkgutil.walk_packages(firecase.ui.__path__, "firecase.ui."):
        importlib.import_module(info.name)


def declared_rows() -> list[ShortcutRow]:
    """The keys widgets and dialogs declared (``keyboard.declare_keys``)."""
    load_declarations()
    return [ShortcutRow(" / ".join(b.keys), b.what, b.where) for b in keyboard.declared()]


def all_shortcuts(window: QMainWindow) -> list[ShortcutRow]:
    """Every row the dialog shows: the window's actions, then the widgets' keys."""
    return window_shortcuts(window) + declared_rows()


class ShortcutsDialog(FirstFieldFocus, QDialog):
    """快捷键: a searchable table of ``all_shortcuts(window)``. Owned by the main window."""

    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("快捷键")
        self.rows = all_shortcuts(window)
        self.find_edit = QLineEdit(self)
        self.find_edit.setObjectName("shortcutFind")
        self.find_edit.setPlaceholderText("查找：输入功能或按键，如 保存、Ctrl+S、日期")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.textChanged.connect(self._on_find_edit_text_changed)
        self.table = QTableWidget(len(self.rows), 3, self)
        self.table.setObjectName("shortcutTable")
        keyboard.tab_past(self.table)
        self.table.setHorizontalHeaderLabels(["按键", "功能", "位置"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        for r, row in enumerate(self.rows):
            for c, text in enumerate((row.keys, row.what, row.where)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        note = QLabel("此表由程序中实际定义的菜单命令和按键生成，随程序更新。", self)
        note.setStyleSheet("color:#6b6b6b;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText("关闭")
        close.setObjectName("closeButton")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.find_edit)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        fit_to_screen(self, 760, 600)

    def visible_rows(self) -> list[ShortcutRow]:
        """The rows the filter leaves shown."""
        return [row for r, row in enumerate(self.rows) if not self.table.isRowHidden(r)]

    def _on_find_edit_text_changed(self, text: str) -> None:
        needle = text.strip().lower()
        for r, row in enumerate(self.rows):
            hay = f"{row.keys} {row.what} {row.where}".lower()
            self.table.setRowHidden(r, bool(needle) and needle not in hay)
