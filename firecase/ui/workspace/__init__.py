"""The case workspace: how the main window opens a case, and the tabs that show it.

Contract with the main window (``firecase.ui.main_window``):

``open_case_workspace(parent, case_file, case_id) -> QWidget`` builds the widget that shows one
case (a ``CaseWorkspace``); the main window puts it in a tab. The widget:

* sets its ``windowTitle()`` to the case number (the main window follows ``windowTitleChanged``);
* does every service call through the window's worker (``Worker.for_widget(parent)``), never on
  the GUI thread, and keeps only frozen DTOs;
* has ``has_unsaved_changes() -> bool`` and ``save()`` (Ctrl+S; without a callback it waits for
  the saves and returns whether all succeeded, so the main window can close the tab after it);
* emits ``case_changed(case_id)`` after it saved anything;
* shows every basis as a link into the regulation viewer.

Modules: ``workspace`` (the tab widget and the unsaved-input guard), ``context`` (the shared
state and worker access), ``crud`` and ``fields`` (the reusable table/form/dialog pieces),
``timeline`` (the clock timeline), ``basis`` (basis links), ``richtext`` (report section text),
``tabs/`` (one module per tab).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from firecase.store import CaseFile

__all__ = ["open_case_workspace"]


def open_case_workspace(parent: QWidget | None, case_file: CaseFile, case_id: int) -> QWidget:
    """The widget that shows case ``case_id`` of ``case_file`` in the main window."""
    from firecase.ui.workspace.workspace import CaseWorkspace

    return CaseWorkspace(case_file, case_id, parent)
