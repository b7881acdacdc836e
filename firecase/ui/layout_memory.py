"""Splitters that remember where the officer put them (GUI thread only).

``remember(splitter, key)`` gives a splitter the sizes it had when FireCase last ran (or
``default`` proportions the first time) and keeps them, half a second after each drag, in
``splitters.json`` in the user data folder, apart from the preferences the main window writes
on closing (which would otherwise overwrite them with what it read at start). A damaged or
foreign file is ignored: the defaults apply.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QSplitter

from firecase import paths

log = logging.getLogger(__name__)

FILE_NAME = "splitters.json"
_sizes: dict[str, list[int]] | None = None
_timer: QTimer | None = None


def _file() -> Path:
    return paths.user_data_dir() / FILE_NAME


def _load() -> dict[str, list[int]]:
    global _sizes
    if _sizes is None:
        _sizes = {}
        try:
            data = json.loads(_file().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        if isinstance(data, dict):
            for key, value in data.items():
                if (
                    isinstance(key, str)
                    and isinstance(value, list)
                    and all(isinstance(v, int) and 0 <= v < 100_000 for v in value)
                ):
                    _sizes[key] = value
    return _sizes


def _write() -> None:
    try:
        target = _file()
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_suffix(".part")
        part.write_text(json.dumps(_load(), ensure_ascii=False), encoding="utf-8")
        part.replace(target)
    except OSError as exc:  # a read-only profile: the sizes are kept for this session only
        log.warning("could not keep the splitter sizes: %s", exc)


def _schedule() -> None:
    global _timer
    if _timer is None:
        _timer = QTimer()
        _timer.setSingleShot(True)
        _timer.setInterval(500)
        _timer.timeout.connect(_write)
    _timer.start()


def flush() -> None:
    """Write pending sizes now (the window closing)."""
    if _timer is not None and _timer.isActive():
        _timer.stop()
        _write()


def remember(splitter: QSplitter, key: str, default: Sequence[int] = ()) -> None:
    """Restore ``splitter``'s sizes kept under ``key`` (else ``default``) and keep each drag."""
    splitter.setObjectName(splitter.objectName() or f"splitter_{key}")
    kept = _load().get(key)
    if kept and len(kept) == splitter.count() and sum(kept) > 0:
        splitter.setSizes(kept)
    elif default:
        splitter.setSizes(list(default))

    def moved(_pos: int, _index: int) -> None:
        _load()[key] = [int(s) for s in splitter.sizes()]
        _schedule()

    splitter.splitterMoved.connect(moved)
