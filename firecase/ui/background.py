"""Long work that must not hold up the window's worker: the daily automatic backup.

The window's :class:`~firecase.ui.worker.Worker` has one thread so that database work is
serialised; a full copy of a large case file (plus its integrity check) there made every query
typed meanwhile wait seconds, and closing the window waited for it. A
:class:`BackgroundTask` runs one callable on a thread of its own instead.

Threads:

* ``BackgroundTask`` is created on and used from the GUI thread; its callbacks run there.
* The callable runs on the task's own Python thread. Like a worker job it touches no widget
  and no QObject and returns plain data. SQLite's backup and integrity check release the GIL,
  so the GUI stays responsive.
* Closing the window does not wait: the thread is not a daemon, so the backup runs to its end
  (the process exits after it); its callbacks are dropped once the owner is gone. A process
  killed meanwhile leaves at most the backup's ``.part`` file (the backup is renamed to its
  final name only once complete and checked), which the next day's backup deletes.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject

from firecase.ui.worker import _Relay

log = logging.getLogger(__name__)

_running: set[threading.Thread] = set()
_lock = threading.Lock()
_undelivered: set[BackgroundTask] = set()  # GUI thread: kept alive until the callback ran


class BackgroundTask:
    """One callable on a thread of its own, its outcome delivered on the GUI thread."""

    def __init__(
        self,
        fn: Callable[[], Any],
        *,
        name: str,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        owner: QObject | None = None,
    ) -> None:
        def alive() -> bool:
            return owner is None or shiboken6.isValid(owner)

        def succeeded(result: Any) -> None:
            _undelivered.discard(self)
            self._relay.deleteLater()
            if alive() and on_success is not None:
                on_success(result)

        def failed(exc: BaseException) -> None:
            _undelivered.discard(self)
            self._relay.deleteLater()
            if alive() and on_failure is not None:
                on_failure(exc)
            elif on_failure is None:
                log.error("%s failed", name, exc_info=(type(exc), exc, exc.__traceback__))

        self._relay = _Relay(succeeded, failed)  # GUI thread: the signals are queued to it
        self._fn = fn
        self.thread = threading.Thread(target=self._run, name=name, daemon=False)

    def start(self) -> BackgroundTask:
        """Start the thread (returns at once)."""
        _undelivered.add(self)
        with _lock:
            _running.add(self.thread)
        self.thread.start()
        return self

    @property
    def running(self) -> bool:
        """Whether the callable has not finished yet."""
        return self.thread.is_alive()

    def _run(self) -> None:  # the task's thread
        try:
            try:
                result = self._fn()
            except Exception as exc:
                self._emit(self._relay.failed, exc)
            else:
                self._emit(self._relay.succeeded, result)
        finally:
            with _lock:
                _running.discard(self.thread)

    @staticmethod
    def _emit(signal: Any, value: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the relay was deleted: nobody to tell
            signal.emit(value)


def running_tasks() -> list[threading.Thread]:
    """The background threads still running (tests, shutdown)."""
    with _lock:
        return list(_running)


def wait_for_background_tasks(timeout: float | None = None) -> bool:
    """Block until every background task has finished (tests); True if none is left."""
    for thread in running_tasks():
        thread.join(timeout)
    return not running_tasks()
