"""Import what the first opened case needs while the officer is still looking at the list.

Opening the first case of a session imported the eleven workspace tabs and what they stand on
(the publication tab pulls in the disclosure rules and ReportLab): about 0.5 s on the GUI
thread between the double-click and the first tab, on a 2-core laptop. Once a case file is
open, ``preload_workspace`` imports those modules on a background thread instead. Only modules
are imported there — no Qt object is made off the GUI thread — and automatic garbage
collection is off in the GUI (``gui_gc``), so no Qt object can be collected on that thread.
A module the GUI thread needs meanwhile waits on Python's import lock, as it would have
imported it anyway.

``preload_case_reads`` reads one case of the list once on the window's worker, after the board:
the first read of a case in a process compiles its ~40 statements (SQLAlchemy caches them per
engine) and sets up the ORM's loading of each table — about 55 ms of a cold 85 ms read on a
team's server, 50 of 60 on a file — and that cost fell on the first case the officer opened.
The answer is dropped: nothing read ahead is ever shown. Once per process, as the imports:
a second case file opened in the same session compiles its statements on its first open.

``preload_reports`` does the same for 生成报告 once the list and the board are shown:
ReportLab, the PDF rasteriser, the case file's fonts (each CJK face is parsed once per
process, about a second on that laptop) and the title's word segmenter (jieba loads its
dictionary, half a second to two), so that the preview's first page does not wait for them.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import threading
from typing import Any

log = logging.getLogger(__name__)

WORKSPACE_MODULES = ("firecase.ui.workspace.workspace",)
"""Imported first; ``tab_classes`` then imports every tab."""

_started = threading.Event()


def _run() -> None:
    try:
        for name in WORKSPACE_MODULES:
            importlib.import_module(name)
        from firecase.ui.workspace.workspace import tab_classes

        tab_classes()
    except Exception:  # a failed preload is retried by the real import, which reports it
        return


def preload_workspace() -> threading.Thread | None:
    """Start importing the workspace's modules in the background, once per process."""
    if _started.is_set():
        return None
    _started.set()
    thread = threading.Thread(target=_run, name="firecase-preload", daemon=True)
    thread.start()
    return thread


REPORT_MODULES = (
    "firecase.reports.pdf",
    "firecase.reports.investigation",
    "firecase.ui.dialogs.report_dialog",
)

_reports_started = threading.Event()


def _run_reports(case_file: object) -> None:
    try:
        for name in REPORT_MODULES:
            importlib.import_module(name)
        from firecase.reports.fonts import FontSet
        from firecase.services.reporting import font_config
        from firecase.services.settings import get_settings

        FontSet(font_config(get_settings(case_file)))  # type: ignore[arg-type]
        from firecase.reports.titles import words

        words("天门市火灾事故调查报告")  # the title's word breaks: jieba's dictionary (~2 s)
    except Exception:  # the real build loads them again and reports what fails
        return


def preload_reports(case_file: object) -> threading.Thread | None:
    """Start loading what a report build needs in the background, once per process."""
    if _reports_started.is_set():
        return None
    _reports_started.set()
    thread = threading.Thread(
        target=_run_reports, args=(case_file,), name="firecase-preload-reports", daemon=True
    )
    thread.start()
    return thread


_case_reads_started = threading.Event()


def preload_case_reads(worker: Any, case_file: object, case_id: int, today: dt.date) -> bool:
    """Queue one read of case ``case_id`` on ``worker`` (a ``ui.worker.Worker``), once per
    process; its answer and any failure are dropped (the real open reads and reports)."""
    if _case_reads_started.is_set():
        return False
    _case_reads_started.set()

    def read() -> None:
        from firecase.services.reading import get_case

        get_case(case_file, case_id, today=today)  # type: ignore[arg-type]

    worker.run(read, on_success=_drop, on_failure=_drop)
    return True


def _drop(outcome: object) -> None:
    """A read ahead's answer or failure: not shown (a failure is logged; the officer's own
    open reads again and reports it)."""
    if isinstance(outcome, BaseException):
        log.debug("case read ahead failed", exc_info=outcome)
