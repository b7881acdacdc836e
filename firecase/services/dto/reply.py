"""After the 批复: the handling tasks (第二十条)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class HandlingTaskInput:
    """What one department must handle after the 批复 (第二十条)."""

    department: str
    task: str
    reported_on: dt.date | None = None
    filed_on: dt.date | None = None
    result: str = ""


@dataclass(frozen=True)
class HandlingTaskView:
    """A department's handling task."""

    id: int
    department: str
    task: str
    reported_on: dt.date | None
    filed_on: dt.date | None
    result: str
    version: int
    source: str = ""  # "recommendation": created on the 批复 (第二十条)
    removed_on: dt.date | None = None
    removed_by: str = ""
    removed_reason: str = ""
