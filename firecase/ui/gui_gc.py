"""Python's garbage collector runs on the GUI thread only.

A cyclic garbage collection runs on whichever thread happens to allocate when a threshold is
crossed. If that is a worker thread and the garbage holds Qt objects (a widget in a reference
cycle with its slots), Qt objects are destroyed off the GUI thread and the process crashes
(seen here as a segfault in ``Garbage-collecting`` inside a worker's SQLAlchemy flush). As in
qutebrowser, automatic collection is switched off and a timer on the GUI thread collects
instead, generation by generation, when the allocation counts call for it.
"""

from __future__ import annotations

import gc

import shiboken6
from PySide6.QtCore import QObject, QTimer

_INTERVAL_MS = 250


class GuiThreadGarbageCollector(QObject):
    """Owned by the QApplication; its timer (GUI thread) does every cyclic collection."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(_INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()

    def _on_timer_timeout(self) -> None:
        """Collect the oldest generation whose allocation count passed its threshold."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                break


_INSTALLED: list[GuiThreadGarbageCollector] = []  # the one installed (one application)


def install_gui_thread_gc(app: QObject) -> GuiThreadGarbageCollector:
    """Switch automatic collection off and let a GUI-thread timer collect (idempotent).

    The collector already installed is remembered here, not looked up with ``findChild``:
    that wraps each of the application's children for Python, its style among them, and
    building the Python enums of ``QStyle`` was 5.7 ms of the start before the first paint."""
    if _INSTALLED and shiboken6.isValid(_INSTALLED[0]) and _INSTALLED[0].parent() is app:
        return _INSTALLED[0]
    _INSTALLED[:] = [GuiThreadGarbageCollector(app)]
    return _INSTALLED[0]
