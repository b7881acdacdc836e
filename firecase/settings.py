"""Typed preferences of this PC's user: recent case files, window geometry, last folders.

These are preferences of the program on this machine, not facts of a case: the holiday calendar,
roll-to-workday and the organisation's name live in the case file (services), not here.

Stored as one small JSON file in the user data folder; no Qt (window geometry is kept as the
base64 text of ``QWidget.saveGeometry()`` by the UI). Unknown or damaged content falls back to
defaults rather than stopping the program.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from firecase import paths

log = logging.getLogger(__name__)

SETTINGS_FILE_NAME = "preferences.json"
MAX_RECENT = 8
MAX_DEMO_DECLINED = 50


@dataclass(frozen=True)
class Preferences:
    """The user's preferences (immutable: change with the ``with_*`` helpers or ``replace``)."""

    recent_files: tuple[str, ...] = ()
    window_geometry: str = ""
    window_state: str = ""
    last_folder: str = ""
    clock_board_visible: bool = True
    page_size: int = 200
    # the last PostgreSQL case file (连接数据库), WITHOUT its password: asked each session
    server_url: str = ""
    # case files whose offer to load the demo cases was declined: never asked again
    demo_declined: tuple[str, ...] = ()

    def with_recent(self, location: str) -> Preferences:
        """A copy with ``location`` first in the recent files (no duplicates, at most 8)."""
        rest = [r for r in self.recent_files if r != location]
        return replace(self, recent_files=tuple([location, *rest][:MAX_RECENT]))

    def without_recent(self, location: str) -> Preferences:
        """A copy without ``location`` in the recent files (e.g. the file was deleted)."""
        return replace(self, recent_files=tuple(r for r in self.recent_files if r != location))

    def with_demo_declined(self, location: str) -> Preferences:
        """A copy that remembers the user declined the demo cases for ``location``."""
        if location in self.demo_declined:
            return self
        kept = (*self.demo_declined, location)[-MAX_DEMO_DECLINED:]
        return replace(self, demo_declined=kept)

    def to_json(self) -> dict[str, Any]:
        """The JSON object stored on disk."""
        data = asdict(self)
        data["recent_files"] = list(self.recent_files)
        data["demo_declined"] = list(self.demo_declined)
        return data

    @classmethod
    def from_json(cls, data: object) -> Preferences:
        """Read a stored object; fields of the wrong type keep their defaults."""
        if not isinstance(data, dict):
            return cls()
        defaults = cls()
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = data.get(f.name)
            default = getattr(defaults, f.name)
            if f.name == "recent_files":
                if isinstance(raw, list) and all(isinstance(x, str) for x in raw):
                    values[f.name] = tuple(raw[:MAX_RECENT])
            elif f.name == "demo_declined":
                if isinstance(raw, list) and all(isinstance(x, str) for x in raw):
                    values[f.name] = tuple(raw[-MAX_DEMO_DECLINED:])
            elif isinstance(default, bool):
                if isinstance(raw, bool):
                    values[f.name] = raw
            elif isinstance(default, int):
                if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0:
                    values[f.name] = raw
            elif isinstance(raw, type(default)):
                values[f.name] = raw
        return cls(**values)


@dataclass
class PreferenceStore:
    """Loads and saves ``Preferences`` in one JSON file (atomic replace on save)."""

    path: Path = field(default_factory=lambda: paths.user_data_dir() / SETTINGS_FILE_NAME)

    def load(self) -> Preferences:
        """The stored preferences, or the defaults when the file is missing or unreadable."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Preferences()
        except OSError:
            log.warning("cannot read %s", self.path, exc_info=True)
            return Preferences()
        try:
            return Preferences.from_json(json.loads(text))
        except ValueError:
            log.warning("damaged preferences file %s; using defaults", self.path)
            return Preferences()

    def save(self, prefs: Preferences) -> None:
        """Write ``prefs`` (to a temporary file first, then replace)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(prefs.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, self.path)
