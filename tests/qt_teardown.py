"""How a Qt test's objects die: deterministically, on the GUI thread, at the end of the test.

pytest-qt closes a test's widgets and calls ``deleteLater`` on them, but processing events
outside an event loop does not carry out deferred deletions: the windows stayed alive, with
their workers, timers and pending jobs, until the next test's first wait and died in the middle
of it (or in a full collection after each test, which the suite used to run for that reason and
which was most of its time). ``delete_closed_widgets`` carries the deletions out at once. The
Python wrappers a test leaves in reference cycles then no longer own any Qt object: collecting
them later (a generation collection as due, still only on this thread) destroys nothing of Qt's.
"""

from __future__ import annotations

import gc
from collections import Counter


def delete_closed_widgets() -> None:
    """Carry out the pending ``deleteLater`` calls now, on this (the GUI) thread."""
    from PySide6.QtCore import QCoreApplication, QEvent

    app = QCoreApplication.instance()
    if app is None:
        return
    for _ in range(3):  # a destructor or a last event may ask for further deletions
        app.processEvents()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def live_qt_objects(objects: list[object]) -> Counter[str]:
    """The QObjects among ``objects`` whose C++ side still exists, by class: what a collection
    of ``objects`` would destroy (values such as a QRect may die anywhere)."""
    import shiboken6
    from PySide6.QtCore import QObject

    return Counter(
        f"{type(o).__module__}.{type(o).__qualname__}"
        for o in objects
        if isinstance(o, QObject) and shiboken6.isValid(o)
    )


def cyclic_garbage() -> list[object]:
    """What a full collection would free now (collected: the list holds it until dropped)."""
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        garbage = list(gc.garbage)
        gc.garbage.clear()
    finally:
        gc.set_debug(0)
    return garbage
