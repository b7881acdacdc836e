"""The worker runs callables off the GUI thread and calls back on the GUI thread."""

from __future__ import annotations

import threading
from typing import Any

import shiboken6
from PySide6.QtWidgets import QWidget

from firecase.errors import ValidationError
from firecase.ui.worker import Worker


def test_success_runs_off_and_calls_back_on_the_gui_thread(qtbot: Any) -> None:
    worker = Worker()
    seen: dict[str, Any] = {}

    def job() -> int:
        seen["job_thread"] = threading.current_thread()
        return 42

    def done(result: int) -> None:
        seen["callback_thread"] = threading.current_thread()
        seen["result"] = result

    with qtbot.waitSignal(worker.busy_changed, check_params_cb=lambda busy: not busy):
        worker.run(job, on_success=done)
        assert worker.busy
    assert seen["result"] == 42
    assert seen["job_thread"] is not threading.main_thread()
    assert seen["callback_thread"] is threading.main_thread()


def test_failure_goes_to_the_failure_callback_or_show_error(qtbot: Any) -> None:
    worker = Worker()
    errors: list[BaseException] = []
    shown: list[BaseException] = []
    worker.show_error = shown.append

    def fail() -> None:
        raise ValidationError("不行")

    worker.run(fail, on_failure=errors.append)
    worker.run(fail)
    qtbot.waitUntil(lambda: not worker.busy)
    assert [str(e) for e in errors] == ["不行"]
    assert [str(e) for e in shown] == ["不行"]


def test_callback_of_a_deleted_owner_is_dropped(qtbot: Any) -> None:
    worker = Worker()
    owner = QWidget()
    called: list[object] = []
    gate = threading.Event()
    worker.run(lambda: gate.wait(5), on_success=called.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(owner))
    gate.set()
    qtbot.waitUntil(lambda: not worker.busy)
    assert called == []


def test_jobs_run_in_submission_order(qtbot: Any) -> None:
    worker = Worker()
    order: list[int] = []
    for n in range(5):
        worker.run(lambda n=n: n, on_success=order.append)
    qtbot.waitUntil(lambda: not worker.busy)
    assert order == [0, 1, 2, 3, 4]


def test_for_widget_finds_the_window_worker(qtbot: Any) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.worker = Worker(window)  # type: ignore[attr-defined]
    child = QWidget(window)
    assert Worker.for_widget(child) is window.worker  # type: ignore[attr-defined]
    assert isinstance(Worker.for_widget(None), Worker)


def test_a_finished_jobs_relay_is_deleted_only_once_no_job_runs(qtbot: Any) -> None:
    """The relay carrying a job's outcome is emitted on the pool thread; the GUI thread gets
    the outcome while that thread may still be inside the emit. Deleting the relay then
    crashed a test process; it is deleted once the pool has no job left."""
    from firecase.ui.worker import _Relay

    worker = Worker()
    gate = threading.Event()
    first: list[int] = []
    worker.run(lambda: 1, on_success=first.append)
    (relay,) = worker._pending  # its outcome reaches the GUI thread in the event loop
    worker.run(lambda: gate.wait(10))  # a second job holds the pool
    qtbot.waitUntil(lambda: first == [1], timeout=5000)
    qtbot.wait(100)  # deferred deletions and sweeps come and go while it runs
    assert shiboken6.isValid(relay), "deleted while the pool still ran a job"
    gate.set()
    qtbot.waitUntil(lambda: not worker.busy, timeout=5000)
    qtbot.waitUntil(lambda: not shiboken6.isValid(relay), timeout=5000)
    assert not worker.findChildren(_Relay)
    worker.wait()
