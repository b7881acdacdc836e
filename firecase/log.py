"""Logging for the desktop app and the commands: one rotating file in the user data folder.

``setup_logging()`` is called once at start-up (by ``firecase.ui.app.run_gui``); it is safe to
call again (the handler is installed once). Stdlib only, no Qt.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from firecase import paths

LOG_FILE_NAME = "firecase.log"
_MAX_BYTES = 2 * 1024 * 1024
_BACKUPS = 5
_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"
_HANDLER_NAME = "firecase-file"


class RotatingFile(logging.FileHandler):
    """A UTF-8 log file that is renamed to ``.1`` (``.1`` to ``.2`` …) when it would pass
    ``max_bytes``; the oldest of ``backups`` is dropped.

    What ``logging.handlers.RotatingFileHandler`` does, without importing that module (it
    brings sockets, pickle and queues along: a tenth of the window's start-up budget).
    """

    def __init__(self, path: Path, *, max_bytes: int, backups: int) -> None:
        # a message holding a lone surrogate (a hostile file's key) is still written
        super().__init__(path, encoding="utf-8", delay=True, errors="backslashreplace")
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._should_roll(record):
                self._roll()
        except Exception:  # a log file that cannot be rolled must not stop the program
            self.handleError(record)
            return
        super().emit(record)

    def _should_roll(self, record: logging.LogRecord) -> bool:
        if self.max_bytes <= 0:
            return False
        if self.stream is None:
            self.stream = self._open()
        size = len((self.format(record) + self.terminator).encode("utf-8", "backslashreplace"))
        return bool(self.stream.tell()) and self.stream.tell() + size > self.max_bytes

    def _roll(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        base = self.baseFilename
        for index in range(self.backups - 1, 0, -1):
            older = f"{base}.{index}"
            if os.path.exists(older):
                os.replace(older, f"{base}.{index + 1}")
        if self.backups > 0 and os.path.exists(base):
            os.replace(base, f"{base}.1")
        self.stream = self._open()


def log_dir() -> Path:
    """Folder of the log files (``logs/`` under the user data folder, created on demand)."""
    folder = paths.user_data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_file() -> Path:
    """The current log file (older ones are ``firecase.log.1`` … ``.5``)."""
    return log_dir() / LOG_FILE_NAME


def setup_logging(level: int = logging.INFO, *, folder: Path | None = None) -> Path:
    """Send the ``firecase`` loggers (and warnings) to a rotating UTF-8 file; return its path."""
    target = (folder or log_dir()) / LOG_FILE_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in root.handlers:
        if handler.get_name() == _HANDLER_NAME:
            if Path(getattr(handler, "baseFilename", "")) == target:
                return target
            root.removeHandler(handler)
            handler.close()
    handler = RotatingFile(target, max_bytes=_MAX_BYTES, backups=_BACKUPS)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    logging.captureWarnings(True)
    return target
