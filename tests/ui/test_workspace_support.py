"""Helpers and fixtures shared by the workspace tests (imported by ``test_workspace_*.py`` and
``test_report_fields.py``): the ``Harness`` that opens a workspace on a copy of the demo case
file, the fixtures that make it, and one test of the tab base class."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QWidget

from firecase.services import reading
from firecase.store import open_case_file
from firecase.ui.worker import Worker
from firecase.ui.workspace.crud import CrudPanel, RecordDialog
from firecase.ui.workspace.workspace import CaseWorkspace
from tests._demo import demo_into


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


INVESTIGATING, EVALUATING = 0, 1  # the two demo cases


class Harness:
    """Opens a workspace on the demo file, and reopens the file to check what was saved."""

    def __init__(self, qtbot: Any, path: Path) -> None:
        self.qtbot = qtbot
        self.path = path
        self.cf: Any = None
        self.ws: CaseWorkspace | None = None
        self.worker: Worker | None = None

    def open(self, which: int) -> CaseWorkspace:
        self.close()
        self.cf = open_case_file(self.path, user="测试员")
        ids = [r.id for r in reading.list_cases(self.cf).rows]
        case_id = sorted(ids)[which]
        self.worker = Worker()
        ws = CaseWorkspace(self.cf, case_id, worker=self.worker)
        # closed and deleted by close(), not by qtbot (reopen replaces it mid-test)
        ws.resize(1400, 900)
        ws.show()
        self.qtbot.waitUntil(lambda: ws.detail is not None, timeout=15000)
        self.idle()
        self.ws = ws
        return ws

    def reopen(self) -> CaseWorkspace:
        """Close everything and open the case file again (what a restart would show)."""
        assert self.ws is not None
        which = sorted(r.id for r in reading.list_cases(self.cf).rows).index(self.ws.case_id)
        return self.open(which)

    def idle(self) -> None:
        assert self.worker is not None or self.ws is not None
        worker = self.worker
        self.qtbot.waitUntil(lambda: not worker.busy, timeout=15000)

    def close(self) -> None:
        if self.ws is not None:
            self.idle()
            self.ws.discard_changes()
            self.ws.close()
            self.ws.deleteLater()
            self.ws = None
        if self.worker is not None:
            self.worker.wait()
        if self.cf is not None:
            self.cf.close()
            self.cf = None


TODAY = dt.date(2026, 6, 1)  # the demo is written as of this day


@pytest.fixture(scope="module")
def workspace_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case file with the demo cases, written once per module (each test copies it)."""

    path = tmp_path_factory.mktemp("workspace-demo") / "demo.sqlite"
    demo_into(path, today=TODAY, user="演示")
    return path


@pytest.fixture
def demo_path(workspace_demo: Path, tmp_path: Path) -> Path:
    """A private copy of the demo case file."""
    import sqlite3

    target = tmp_path / "cases.sqlite"
    src, dst = sqlite3.connect(workspace_demo), sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


@pytest.fixture
def harness(qtbot: Any, demo_path: Path) -> Iterator[Harness]:
    from firecase.ui.app import setup_application

    setup_application()
    h = Harness(qtbot, demo_path)
    yield h
    h.close()


def save_dialog(h: Harness, dialog: RecordDialog) -> None:
    """Click 保存 and wait until the dialog closed and the case was read again."""
    h.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    h.qtbot.waitUntil(
        lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=10000
    )
    h.idle()


def texts(panel: CrudPanel, column: int) -> list[str]:
    m = panel.model
    return [m.data(m.index(r, column)) for r in range(m.rowCount())]
