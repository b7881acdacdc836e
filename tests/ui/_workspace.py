"""A case file with the shop fire and a ``CaseWorkspace`` on it, for tests through the widgets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from firecase.store import open_case_file
from firecase.ui.worker import Worker
from firecase.ui.workspace.workspace import CaseWorkspace
from tests._shop_fire import open_shop_fire
from tests.qt_teardown import delete_closed_widgets


class WorkspaceHarness:
    """``show()`` the workspace (1280×720), ``idle()`` until the worker is done, ``close()``."""

    def __init__(self, qtbot: Any, path: Path) -> None:
        self.qtbot = qtbot
        self.cf = open_case_file(path, user="测试员")
        self.case_id = open_shop_fire(self.cf)
        self.worker = Worker()
        self.ws: CaseWorkspace | None = None

    def show(self) -> CaseWorkspace:
        ws = CaseWorkspace(self.cf, self.case_id, worker=self.worker)
        ws.resize(1280, 720)
        ws.show()
        self.qtbot.waitUntil(lambda: ws.detail is not None, timeout=15000)
        self.idle()
        self.ws = ws
        return ws

    def idle(self) -> None:
        worker = self.worker
        self.qtbot.waitUntil(lambda: not worker.busy, timeout=15000)

    def close(self) -> None:
        if self.ws is not None:
            self.idle()
            self.ws.discard_changes()
            self.ws.close()
            self.ws.deleteLater()
        self.worker.wait()
        self.worker.deleteLater()  # with its thread pool, now, not in a later collection
        delete_closed_widgets()
        self.cf.close()
