"""A closed window dies whole on the GUI thread: nothing of Qt is left for the cyclic collector.

The suite no longer runs a full collection after every Qt test (tests/qt_teardown.py): that is
safe only while a test's windows, once closed and deleted, leave no Qt object alive in reference
cycles, which a later collection would destroy. A collection destroys Qt objects only through
wrappers that still own them; these tests check there are none after a typical workspace test
and after a worker's jobs.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from conftest import TODAY, wait_idle
from PySide6.QtCore import Qt

from tests.qt_teardown import cyclic_garbage, delete_closed_widgets, live_qt_objects


def _qt_objects_now() -> list[object]:
    """Every Qt object's wrapper there is now. Held by a test, none of them can become garbage
    while it runs: what the test finds in the garbage afterwards is its own (an earlier test's
    parent-less worker, released meanwhile, is not this test's concern)."""
    from shiboken6 import Shiboken

    return [o for o in gc.get_objects() if isinstance(o, Shiboken.Object)]


def _live_firecase_widgets() -> list[str]:
    from PySide6.QtWidgets import QWidget

    return sorted(
        name
        for name, _count in live_qt_objects(
            [o for o in gc.get_objects() if isinstance(o, QWidget)]
        ).items()
        if name.startswith("firecase.")
    )


def test_a_closed_window_with_a_case_open_leaves_nothing_of_qt_behind(
    demo_path: Path, prefs: Any, qtbot: Any
) -> None:
    from firecase.ui.app import setup_application
    from firecase.ui.main_window import MainWindow

    setup_application()
    del cyclic_garbage()[:]  # what earlier tests left: not this test's concern
    earlier = _qt_objects_now()
    # built as make_window does, but not handed to qtbot: this test deletes it itself
    window = MainWindow(user="测试", prefs=prefs, today=lambda: TODAY)
    window.show()
    window.open_location(str(demo_path))
    qtbot.waitUntil(lambda: window.case_file is not None, timeout=15000)
    wait_idle(qtbot, window.worker)
    table = window.list_panel.table
    rect = table.visualRect(window.list_panel.model.index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_idle(qtbot, window.worker)
    workspace = window.tabs.currentWidget()
    qtbot.waitUntil(lambda: getattr(workspace, "detail", None) is not None, timeout=10000)
    wait_idle(qtbot, window.worker)
    for index in range(workspace.tabs.count()):  # every tab built and filled
        workspace.tabs.setCurrentIndex(index)
        wait_idle(qtbot, window.worker)
    assert _live_firecase_widgets()  # the window is there

    window.close()
    window.deleteLater()
    delete_closed_widgets()

    # without any collection: no firecase widget is alive any more (wrappers left in cycles
    # own nothing) ...
    assert _live_firecase_widgets() == []
    # ... and what a full collection would free holds no Qt object that still exists
    garbage = cyclic_garbage()
    assert live_qt_objects(garbage) == {}
    del earlier


def test_finished_jobs_leave_no_cycle_through_their_relay(qtbot: Any) -> None:
    from firecase.ui.worker import Worker, _Relay

    del cyclic_garbage()[:]
    earlier = _qt_objects_now()
    worker = Worker()
    results: list[int] = []
    for n in range(5):
        worker.run(lambda n=n: n, on_success=results.append)
    worker.run(lambda: 1 / 0, on_failure=lambda _exc: results.append(-1))
    wait_idle(qtbot, worker)
    assert sorted(results) == [-1, 0, 1, 2, 3, 4]
    delete_closed_widgets()  # the relays' deleteLater
    garbage = cyclic_garbage()
    assert [o for o in garbage if isinstance(o, _Relay)] == []
    assert live_qt_objects(garbage) == {}
    worker.wait()
    del earlier
