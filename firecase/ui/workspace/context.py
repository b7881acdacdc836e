"""The shared state of one open case workspace: which case, which file, the latest ``CaseDetail``.

Every tab of a workspace holds the same ``WorkspaceContext``. Service calls go through
``run`` (the window's ``Worker``: the callable runs on the pool thread, callbacks on the GUI
thread); after each change a tab calls ``reload`` and every tab receives the new detail through
``detail_loaded``. The UI keeps only frozen DTOs, never a session or an ORM object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from firecase.ui import messages
from firecase.ui.worker import Worker

if TYPE_CHECKING:
    from firecase.services.dto import CaseDetail
    from firecase.store.casefile import CaseFile


class WorkspaceContext(QObject):
    """One case in one workspace. Owned by the ``CaseWorkspace``; GUI thread only.

    ``detail_loaded(CaseDetail)`` is emitted after every successful ``reload``;
    ``load_failed(exc)`` when reading the case failed (the error has been shown);
    ``case_changed(case_id)`` after a tab saved something. ``today()`` is the day clocks are
    computed for (the main window's, so the workspace agrees with the case list).
    """

    detail_loaded = Signal(object)
    load_failed = Signal(object)
    case_changed = Signal(int)

    def __init__(
        self,
        case_file: CaseFile,
        case_id: int,
        worker: Worker,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.case_file = case_file
        self.case_id = case_id
        self.worker = worker
        self.detail: CaseDetail | None = None
        self.error_parent: QWidget | None = None
        self.today: Callable[[], dt.date] = dt.date.today
        # the reason given once for editing this replied/closed case: each later save in this
        # workspace goes on with it (and records it) instead of asking again
        self.session_reasons: dict[str, str] = {}
        self.reason_question: Any = None
        from firecase.ui.workspace.undo import UndoStack

        self.undo = UndoStack(self)  # Ctrl+Z of each tab (``workspace.undo``)

    @property
    def actor(self) -> str:
        """Who the audit rows name: the case file's user."""
        return str(self.case_file.user)

    def run(
        self,
        fn: Callable[[], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        label: str = "",
    ) -> None:
        """Run ``fn`` off the GUI thread; failures without a handler are shown to the user.

        A ``NeedsReasonError`` (a guard of ``services.guards``) is asked about first
        (``ReasonQuestion``, window-modal over the active dialog): with a reason ``fn`` runs
        again with it (``guards.reasons_given``); 不继续 hands the error, marked ``declined``,
        to ``on_failure`` (nothing is shown: the form stays as it was)."""
        self._run_with(fn, dict(self.session_reasons), on_success, on_failure, label)

    def _run_with(
        self,
        fn: Callable[[], Any],
        given: dict[str, str],
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[BaseException], None] | None,
        label: str,
    ) -> None:
        from firecase.errors import NeedsReasonError
        from firecase.services import guards

        reasons = {**given, **self.session_reasons}

        def call() -> Any:
            with guards.reasons_given(reasons):
                return fn()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, NeedsReasonError) and exc.guard not in reasons:
                self._ask(exc, fn, reasons, on_success, on_failure, label)
                return
            if on_failure is not None:
                on_failure(exc)
            else:
                messages.show_error(self.error_parent, exc)

        self.worker.run(call, on_success=on_success, on_failure=failed, owner=self, label=label)

    def _ask(
        self,
        exc: Any,
        fn: Callable[[], Any],
        given: dict[str, str],
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[BaseException], None] | None,
        label: str,
    ) -> None:
        from PySide6.QtWidgets import QApplication, QDialog

        from firecase.services import guards
        from firecase.ui.workspace.guard import ReasonQuestion

        parent = QApplication.activeModalWidget() or self.error_parent
        question = ReasonQuestion(exc, parent)
        self.reason_question = question

        def answered(code: int) -> None:
            reason = question.text
            self.reason_question = None
            question.deleteLater()
            if code == QDialog.DialogCode.Accepted and reason:
                if exc.guard == guards.EDIT_AFTER_REPLY:
                    self.session_reasons[exc.guard] = reason
                self._run_with(fn, {**given, exc.guard: reason}, on_success, on_failure, label)
                return
            exc.declined = True
            if on_failure is not None:
                on_failure(exc)

        question.finished.connect(answered)
        question.open()

    def changed(self) -> None:
        """Say that something of the case was saved (the main window refreshes its lists)."""
        self.case_changed.emit(self.case_id)

    def reload(self, then: Callable[[CaseDetail], None] | None = None) -> None:
        """Read the case again (one transaction) and hand it to every tab."""
        from firecase.services.reading import get_case

        case_file, case_id, today = self.case_file, self.case_id, self.today()

        def loaded(detail: CaseDetail) -> None:
            self.detail = detail
            self.detail_loaded.emit(detail)
            if then is not None:
                then(detail)

        def failed(exc: BaseException) -> None:
            messages.show_error(self.error_parent, exc)
            self.load_failed.emit(exc)

        self.run(
            lambda: get_case(case_file, case_id, today=today),
            on_success=loaded,
            on_failure=failed,
            label="正在读取案件…",
        )
