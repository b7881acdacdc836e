"""The ``spin(until, timeout)`` of the GUI benchmarks' child processes, as source text.

It waits in a real event loop, as the program does: Qt sleeps in ``poll()`` with the GIL
released between events, and the condition is checked every millisecond. (A loop of
``processEvents()`` calls held the GIL and starved the worker thread: a case read from a server
took 3-10 times as long as it does in the program.)
"""

SPIN = r"""
def spin(until, timeout=300.0):
    import time as _time
    from PySide6.QtCore import QEventLoop as _Loop, QTimer as _Timer
    if until():
        return True
    end = _time.monotonic() + timeout
    loop = _Loop()
    timer = _Timer()
    timer.setInterval(int(__import__("os").environ.get("SPIN_MS", "1")))
    timer.timeout.connect(lambda: (until() or _time.monotonic() > end) and loop.quit())
    timer.start()
    loop.exec()
    timer.stop()
    return until()
"""
