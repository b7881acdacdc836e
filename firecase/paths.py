"""Where FireCase finds its bundled resources and keeps user data.

One module for both ways FireCase runs: from a source checkout (resources/ beside the package)
and frozen by PyInstaller (resources/ inside the bundle, ``sys._MEIPASS``).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

APP_NAME = "FireCase"


def resources_dir() -> Path:
    """The bundled ``resources/`` folder (fonts, calendars, rules, translations, icons)."""
    override = os.environ.get("FIRECASE_RESOURCES")
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    """Path of one bundled resource, e.g. ``resource("calendars", "cn_workdays.json")``."""
    return resources_dir().joinpath(*parts)


def user_data_dir() -> Path:
    """The platform's per-user data folder for FireCase (created on demand)."""
    override = os.environ.get("FIRECASE_DATA_DIR")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_case_file() -> Path:
    """The case file opened when no ``--db`` is given."""
    return user_data_dir() / "firecase.sqlite"


def replace_atomically(path: Path, write: Callable[[str], T]) -> T:
    """Run ``write(name)`` on a temporary file beside ``path``, then move it over ``path`` in
    one step: a reader never sees half a file, and a failed write leaves nothing behind."""
    fd, tmp = tempfile.mkstemp(prefix=".firecase-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        result = write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return result
