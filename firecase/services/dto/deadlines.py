"""Extensions (第十七条) and the clocks of a case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ExtensionInput:
    """An extension of the investigation period (approved by 人民政府)."""

    days: int
    requested_on: dt.date
    reason: str
    approved_on: dt.date | None = None
    approved_by: str = ""  # a government (第十七条), e.g. 天门市人民政府
    approval_ref: str = ""
    # the approval came after the period ran out: recorded only when the officer says so, and
    # counted only once confirmed (``confirm_late_extension``)
    late_ack: bool = False


@dataclass(frozen=True)
class ExtensionView:
    """An extension; only approved ones count towards the clock."""

    id: int
    days: int
    requested_on: dt.date
    reason: str
    approved_on: dt.date | None
    approved_by: str
    approval_ref: str
    version: int
    approved_late: bool = False
    late_confirmed_by: str = ""
    late_confirmed_on: dt.date | None = None


@dataclass(frozen=True)
class ClockView:
    """One statutory clock of a case, as computed by ``firecase.rules``.

    ``status`` is the ``ClockStatus`` value; ``due`` is None when the clock cannot be computed
    (e.g. the calendar lacks a year), in which case ``explanation`` says why. ``late_days``:
    how many days after ``due`` it was done (``rules.late_days``; 0 in time or not done).
    """

    case_id: int
    case_no: str
    case_title: str
    kind: str
    label: str
    subject: str
    start: dt.date | None
    due: dt.date | None
    done_on: dt.date | None
    status: str
    days_left: int | None
    overdue: bool
    paused: bool
    explanation: str
    basis: str
    late_days: int = 0
    # a due date computed for a year the calendar lacks, with weekends as the only
    # rest days; ``explanation`` begins with the reason (``rules.provisional_note``)
    provisional: bool = False

    def due_text(self, blank: str = "—") -> str:
        """The due date as every screen writes it: ``2027-02-01``, ``2027-02-01（暂定）``, or
        ``blank`` when there is none."""
        if self.due is None:
            return blank
        return self.due.isoformat() + ("（暂定）" if self.provisional else "")
