"""Logging for the desktop app and the commands: one rotating file in the user data folder.

``setup_logging()`` is called once at start-up (by ``firecase.ui.app.run_gui``); it is safe to
call again (the handler is installed once). Stdlib only, no Qt.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from firecase import paths

LOG_FILE_NAME = "firecase.log"
_MAX_BYTES = 2 * 1024 * 1024
_BACKUPS = 5
_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"
_HANDLER_NAME = "firecase-file"


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
    handler = logging.handlers.RotatingFileHandler(
        target, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8", delay=True
    )
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    logging.captureWarnings(True)
    return target
