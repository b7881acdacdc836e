"""Runs service calls off the GUI thread: one helper, one queue, callbacks on the GUI thread.

Threads:

* ``Worker`` is created on and used from the GUI thread only (``run``, ``busy``, signals).
* The callable given to ``run`` runs on the worker's pool thread. It must not touch any widget
  or QObject; it may use the ``CaseFile`` (thread-safe engine; each service call opens its own
  unit of work) and must return plain data (service DTOs).
* ``on_success(result)`` / ``on_failure(exc)`` run on the GUI thread, in submission order. A
  call whose ``owner`` widget was deleted meanwhile is dropped silently.

The pool has one thread: database work is serialised (one writer at a time, reads never race
writes of the same window), like Anki's ``CollectionOp``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

log = logging.getLogger(__name__)

_SWEEP_MS = 20
"""How often finished jobs' relays are looked at again while the pool still runs a job."""


class _Relay(QObject):
    """Lives on the GUI thread; its signals carry a job's outcome back from the pool thread.

    The signals are emitted on the pool thread and connected to this object's own slots, so Qt
    queues them and the slots (and the callbacks they call) run on the GUI thread.
    """

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        on_succeeded: Callable[[Any], None],
        on_failed: Callable[[BaseException], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_succeeded_cb = on_succeeded
        self._on_failed_cb = on_failed
        self.succeeded.connect(self._on_self_succeeded)
        self.failed.connect(self._on_self_failed)

    @Slot(object)
    def _on_self_succeeded(self, result: Any) -> None:  # GUI thread
        self._on_succeeded_cb(result)

    @Slot(object)
    def _on_self_failed(self, exc: BaseException) -> None:  # GUI thread
        self._on_failed_cb(exc)

    def release(self) -> None:
        """Drop the callbacks (GUI thread, once the outcome arrived).

        They refer to this relay: holding them would keep a reference cycle that only the
        cyclic collector frees, with the worker, the owner and everything their callbacks hold.
        """
        self._on_succeeded_cb = _ignore
        self._on_failed_cb = _ignore


def _ignore(_value: Any) -> None:
    """A released relay's callback."""


class _Job(QRunnable):
    """The pool-thread half of one ``Worker.run`` call: runs ``fn`` and emits the outcome."""

    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._relay = relay

    def run(self) -> None:  # pool thread
        try:
            result = self._fn()
        except Exception as exc:  # handed to the GUI thread
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


class Worker(QObject):
    """The one helper that runs slow work (queries, saves, PDF builds) off the GUI thread.

    Owned by the main window (one per window); GUI thread only. ``busy_changed(bool)`` drives the
    busy indicator; ``job_failed(exc)`` is emitted for failures without their own handler after
    the error has been shown.
    """

    busy_changed = Signal(bool)
    job_started = Signal(str)
    job_failed = Signal(object)
    progress = Signal(object)  # a firecase.progress.Step of the running job

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)  # the first child: deleted (and waited for) first
        self._pool.setMaxThreadCount(1)
        self._pending: set[_Relay] = set()
        # relays whose outcome arrived, deleted once the pool is idle (see _retire)
        self._retired: list[_Relay] = []
        self._sweep_timer = QTimer(self)
        self._sweep_timer.setSingleShot(True)
        self._sweep_timer.setInterval(_SWEEP_MS)
        self._sweep_timer.timeout.connect(self._on_sweep_timer_timeout)
        self.show_error: Callable[[BaseException], None] | None = None

    @property
    def busy(self) -> bool:
        """Whether any job is queued or running."""
        return bool(self._pending)

    def run(
        self,
        fn: Callable[[], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        owner: QObject | None = None,
        label: str = "",
    ) -> None:
        """Queue ``fn`` on the pool thread; call back on the GUI thread when it is done.

        Without ``on_failure`` the error goes to ``show_error`` (set by the main window).
        ``label`` (e.g. "正在查询案件…") is shown beside the busy indicator.
        """
        was_busy = self.busy

        def finish() -> bool:
            self._pending.discard(relay)
            relay.release()
            if shiboken6.isValid(self):  # else its relays went with it
                self._retire(relay)
            # a job may outlive its worker (a window closed while it ran): then only the
            # owner's callback is skipped below, and there is nobody to tell it is idle
            if shiboken6.isValid(self) and not self.busy:
                self.busy_changed.emit(False)
            return owner is None or shiboken6.isValid(owner)

        def succeeded(result: Any) -> None:
            if finish() and on_success is not None:
                on_success(result)

        def failed(exc: BaseException) -> None:
            alive = finish()
            if alive and on_failure is not None:
                on_failure(exc)
            elif alive:
                if self.show_error is not None:
                    self.show_error(exc)
                else:
                    log.error("job failed", exc_info=(type(exc), exc, exc.__traceback__))
                self.job_failed.emit(exc)

        relay = _Relay(succeeded, failed, self)
        self._pending.add(relay)
        if not was_busy:
            self.busy_changed.emit(True)
        self.job_started.emit(label)
        self._pool.start(_Job(fn, relay))

    def _retire(self, relay: _Relay) -> None:
        """Delete ``relay`` once no job runs (GUI thread, its outcome delivered).

        Its outcome is queued to the GUI thread from inside the pool thread's ``emit``, which
        may still be running (and the finished job, holding the relay, is destroyed on the
        pool thread after that): a relay deleted at once could be deleted while the pool
        thread still uses it, which crashed a test process (a segmentation fault in
        ``_Job.run``). The pool's count of active threads drops to 0 only after its last job
        has returned and been destroyed; until then the relays wait here (children of this
        worker: they go with it, after the pool, which waits for its job)."""
        self._retired.append(relay)
        self._sweep()

    def _sweep(self) -> None:
        if not self._retired:
            return
        if self._pool.activeThreadCount() == 0:
            retired, self._retired = self._retired, []
            for relay in retired:
                if shiboken6.isValid(relay):
                    relay.deleteLater()
        else:
            self._sweep_timer.start()

    def _on_sweep_timer_timeout(self) -> None:
        self._sweep()

    def report(self, step: Any) -> None:
        """A job's ``firecase.progress`` report: callable from the pool thread (the signal is
        delivered to the GUI thread, queued)."""
        if shiboken6.isValid(self):
            self.progress.emit(step)

    @staticmethod
    def for_widget(widget: QObject | None) -> Worker:
        """The worker of the window ``widget`` belongs to (its nearest ancestor's ``worker``).

        Widgets built by hooks that are not handed a worker (e.g. a case workspace) use this;
        outside any window a shared fallback worker is used.
        """
        node = widget
        while node is not None:
            found = getattr(node, "worker", None)
            if isinstance(found, Worker):
                return found
            node = node.parent()
        global _fallback
        if _fallback is None or not shiboken6.isValid(_fallback):
            _fallback = Worker()
        return _fallback

    def wait(self, msecs: int = -1) -> bool:
        """Block until the pool is idle (shutdown and tests); callbacks still need the loop."""
        return self._pool.waitForDone(msecs)


_fallback: Worker | None = None
