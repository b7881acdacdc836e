"""Ctrl+Z of a case workspace: the last addition, edit or removal of each tab, undone.

A tab's ``CrudPanel`` pushes an ``UndoStep`` after each successful save: undoing an edit saves
the values the record had (with the version the edit left, so a change made since by someone
else is a ``ConflictError``, never overwritten), undoing a removal restores it from the case's
回收站 (``services.recycle``), undoing an addition removes the record again (into the 回收站).
The steps live as long as the workspace; each runs through the workspace's worker like any save,
so the guards of a replied case ask here too. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

LIMIT = 50
"""Steps kept per workspace (the oldest go first)."""


@dataclass(frozen=True)
class UndoStep:
    """One thing Ctrl+Z can take back: what it was (shown as 撤销…), on which tab, and the
    service call (run on the worker thread) that takes it back."""

    text: str
    tab: str
    call: Callable[[], Any]


class UndoStack(QObject):
    """The undo steps of one workspace, newest last. ``changed`` after each push or pop."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: list[UndoStep] = []

    def push(self, step: UndoStep) -> None:
        self._steps.append(step)
        del self._steps[:-LIMIT]
        self.changed.emit()

    def last_for(self, tab: str) -> UndoStep | None:
        """The newest step of tab ``tab``, or None."""
        return next((s for s in reversed(self._steps) if s.tab == tab), None)

    def discard(self, step: UndoStep) -> None:
        """Drop ``step`` (taken back, or no longer possible)."""
        if step in self._steps:
            self._steps.remove(step)
            self.changed.emit()

    def __len__(self) -> int:
        return len(self._steps)


# The class attribute by which a workspace tab is known without importing the tabs.
WORKSPACE_TAB = "is_workspace_tab"


def tab_of(widget: QObject) -> str:
    """The title of the workspace tab ``widget`` is on ("" outside a workspace): the nearest
    ancestor marked ``WORKSPACE_TAB`` (``tabs.base.WorkspaceTab`` marks itself)."""
    node = widget.parent()
    while node is not None and not getattr(node, WORKSPACE_TAB, False):
        node = node.parent()
    return str(getattr(node, "title", "")) if node is not None else ""


class KnownVersions:
    """The version each record has after this workspace's own last save or undo of it: an
    undo of an older edit goes on from there (a change by someone else since is a conflict)."""

    def __init__(self) -> None:
        self._versions: dict[Any, int] = {}

    def get(self, key: Any, default: int) -> int:
        return self._versions.get(key, default)

    def saw(self, key: Any, result: Any) -> Any:
        """Remember ``result.version`` for ``key``; returns ``result`` (for use in a call)."""
        version = getattr(result, "version", None)
        if isinstance(version, int):
            self._versions[key] = version
        return result
