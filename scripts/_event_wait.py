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
    timer.setInterval(1)
    raised = []

    def check():
        try:
            done = until() or _time.monotonic() > end
        except BaseException as exc:  # a slot's exception would only be printed, forever
            raised.append(exc)
            done = True
        if done:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    if raised:
        raise raised[0]
    return until()
"""
