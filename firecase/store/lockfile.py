"""The lock every FireCase process takes on ``<case file>.lock`` (stdlib only, no SQLAlchemy).

Between processes the lock is the operating system's (``flock``, ``msvcrt.locking``), never
waited for. Within one process its holders take turns: the window's early reads of the case
list (``services.first_page``) hold it for a moment while the store may be opening the file,
so each ``FileLock`` of a path first takes that path's in-process lock, waiting at most
``wait`` seconds (``acquire``).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import IO

from firecase.errors import CaseFileError

_IN_PROCESS: dict[str, threading.Lock] = {}
_REGISTRY = threading.Lock()


def _turn(path: Path) -> threading.Lock:
    with _REGISTRY:
        return _IN_PROCESS.setdefault(str(path.resolve()), threading.Lock())


def lock_path(case_file: Path) -> Path:
    """The lock file beside a SQLite case file."""
    return case_file.with_name(case_file.name + ".lock")


class FileLock:
    """An exclusive, non-blocking lock on ``<case file>.lock`` held until ``release()``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None
        self._turn: threading.Lock | None = None

    def acquire(self, *, wait: float = 0.0) -> None:
        """Take the lock; ``CaseFileError`` when another process holds it, or a holder in
        this process has not let go within ``wait`` seconds."""
        turn = _turn(self.path)
        taken = turn.acquire(timeout=wait) if wait > 0 else turn.acquire(blocking=False)
        if not taken:
            raise self._held()
        try:
            self._acquire_file()
        except BaseException:
            turn.release()
            raise
        self._turn = turn

    def _acquire_file(self) -> None:
        handle = open(self.path, "a+b")  # noqa: SIM115 - held open for the lock's lifetime
        try:
            if os.name == "nt":  # pragma: no cover - Windows
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.close()
            raise self._held() from exc
        self._handle = handle

    def _held(self) -> CaseFileError:
        return CaseFileError(
            f"案卷文件“{self.path.with_suffix('').name}”正被另一个 FireCase 程序使用，"
            "请先关闭那个程序（或窗口）再打开。"
        )

    def release(self) -> None:
        if self._handle is None:
            return
        try:
            if os.name == "nt":  # pragma: no cover - Windows
                import msvcrt

                self._handle.seek(0)
                msvcrt.locking(self._handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
            else:
                import fcntl

                fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
        finally:
            self._handle.close()
            self._handle = None
            if self._turn is not None:
                self._turn.release()
                self._turn = None
