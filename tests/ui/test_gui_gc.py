"""Cyclic garbage is collected by the GUI thread's timer, never by a worker thread."""

from __future__ import annotations

import gc
import weakref
from typing import Any

from firecase.ui.app import setup_application
from firecase.ui.gui_gc import GuiThreadGarbageCollector


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_automatic_collection_is_off_and_the_timer_collects(qtbot: Any) -> None:
    app = setup_application()
    collector = app.findChild(GuiThreadGarbageCollector)
    assert collector is not None
    assert not gc.isenabled()
    node = _Node()
    ref = weakref.ref(node)
    del node

    def collected() -> bool:
        # the program goes on allocating: generation 0's count (allocations less
        # deallocations) passes its threshold even while the last test's widgets are freed
        for _ in range(1000):
            _Node()
        return ref() is None

    try:
        qtbot.waitUntil(collected, timeout=20000)
    except Exception:
        raise AssertionError(
            f"not collected: counts {gc.get_count()}, thresholds {collector._thresholds}, "
            f"enabled {gc.isenabled()}, timer active {collector._timer.isActive()}"
        ) from None
