"""The lock every FireCase process takes on ``<case file>.lock`` (stdlib only, no SQLAlchemy)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from firecase.errors import CaseFileError


def lock_path(case_file: Path) -> Path:
    """The lock file beside a SQLite case file."""
    return case_file.with_name(case_file.name + ".lock")


class FileLock:
    """An exclusive, non-blocking lock on ``<case file>.lock`` held until ``release()``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None

    def acquire(self) -> None:
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
            raise CaseFileError(
                f"案卷文件“{self.path.with_suffix('').name}”正被另一个 FireCase 程序使用，"
                "请先关闭那个程序（或窗口）再打开。"
            ) from exc
        self._handle = handle

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
