"""SQLite's online backup API with progress: a copy of a case file that says how far it is.

The copy goes a slice of pages at a time and tells the ``Meter`` after each slice. Another
connection writing the source makes SQLite start the copy again; after ``MAX_RESTARTS`` such
restarts the rest is copied in one step (which holds the source's read lock throughout, so no
writer can restart it), as the copy without progress always did.
"""

from __future__ import annotations

import sqlite3

from firecase.progress import Meter

# pages a slice copies at the least, and how many slices a copy is cut into at the most
MIN_SLICE_PAGES = 1024
SLICES = 100
MAX_RESTARTS = 2


class _Restarted(Exception):
    """The source was written during the copy too often: copy the rest in one step."""


def copy_database(
    source: sqlite3.Connection,
    target: sqlite3.Connection,
    meter: Meter | None = None,
    *,
    phase: str = "复制数据",
) -> None:
    """Copy ``source`` into ``target`` (which it replaces), reporting pages to ``meter``."""
    if meter is None:
        source.backup(target)
        return
    total = int(source.execute("PRAGMA page_count").fetchone()[0])
    meter.phase(phase, total=total)
    restarts = 0
    best = 0

    def progress(_status: int, remaining: int, pages: int) -> None:
        nonlocal restarts, best
        done = pages - remaining
        if best and done <= best:  # each slice copies pages: no gain means it started again
            restarts += 1
            if restarts > MAX_RESTARTS:
                raise _Restarted
        best = max(best, done)
        meter.total = pages
        meter.set_done(done)

    try:
        source.backup(target, pages=max(MIN_SLICE_PAGES, total // SLICES), progress=progress)
    except _Restarted:
        source.backup(target)
    meter.set_done(meter.total or 0)
