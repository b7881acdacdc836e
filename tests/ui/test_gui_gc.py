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
    for _ in range(2000):  # push generation 0 past its threshold
        _Node()
    assert collector._timer.isActive()
    # a loaded CI box may take seconds for the full collection the timer starts with
    try:
        qtbot.waitUntil(lambda: ref() is None, timeout=20000)
    except Exception:
        alive = ref()
        referrers = [type(r).__name__ for r in gc.get_referrers(alive)] if alive else []
        raise AssertionError(
            f"not collected: counts {gc.get_count()}, thresholds {collector._thresholds}, "
            f"enabled {gc.isenabled()}, frozen {gc.get_freeze_count()}, referrers {referrers}"
        ) from None
