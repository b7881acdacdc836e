"""Settings, the working-day calendar, users, the audit trail, verification and polling."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SettingsInput:
    """Case-file settings."""

    organisation_name: str
    case_no_prefix: str
    roll_to_workday: bool = True
    report_title_font: str = ""
    report_body_font: str = ""
    report_heading1_font: str = ""
    report_heading2_font: str = ""


@dataclass(frozen=True)
class UserInput:
    """A user of the case file: login name (what the audit trail shows), name and role."""

    login: str
    display_name: str
    role: str  # UserRole value
    active: bool = True


@dataclass(frozen=True)
class CalendarDayInput:
    """A user edit of the working-day calendar."""

    day: dt.date
    kind: str  # "holiday" | "workday"
    name: str = ""


@dataclass(frozen=True)
class SettingsView:
    """Case-file settings (defaults filled in); ``version`` goes back as ``expected_version``."""

    organisation_name: str
    case_no_prefix: str
    roll_to_workday: bool
    report_title_font: str
    report_body_font: str
    report_heading1_font: str = ""
    report_heading2_font: str = ""
    version: int = 0


@dataclass(frozen=True)
class CalendarDayView:
    """A holiday or make-up working day and where it came from ("bundled" | "user")."""

    day: dt.date
    kind: str
    name: str
    source: str


@dataclass(frozen=True)
class CalendarView:
    """The working-day calendar stored in the case file."""

    years: tuple[int, ...]
    days: tuple[CalendarDayView, ...]


@dataclass(frozen=True)
class AuditEntryView:
    """One audit row."""

    seq: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: str
    case_id: int | None
    field: str
    old_value: str | None
    new_value: str | None


@dataclass(frozen=True)
class VerifyReport:
    """Result of ``verify_case_file``: database integrity and the audit chain."""

    integrity_problems: tuple[str, ...]
    audit_ok: bool
    audit_rows: int
    audit_problems: tuple[str, ...]
    # the data replayed against the trail, attachments against their SHA-256 (store.replay)
    data_records: int = 0
    data_problems: tuple[str, ...] = ()
    data_more: int = 0
    notes: tuple[str, ...] = ()
    # cases whose recomputed data (stage, next due, clock board) was recomputed and compared
    derived_cases: int = 0
    # a chain head printed on a report (``--anchor SEQ:HASH``), when one was given
    anchor: str = ""
    anchor_problems: tuple[str, ...] = ()
    # an incremental check: the audit row of the verified point it checked from (None: full)
    quick_since: int | None = None
    ok: bool = field(init=False)

    def __post_init__(self) -> None:
        sound = not self.integrity_problems and self.audit_ok
        sound = sound and not self.data_problems and not self.data_more
        object.__setattr__(self, "ok", sound and not self.anchor_problems)


@dataclass(frozen=True)
class UserView:
    """A user of the case file.

    ``registered`` is False for the implicit user of a case file without users (single-user
    mode), who is treated as 管理员; ``version`` is then 0.
    """

    login: str
    display_name: str
    role: str
    active: bool
    registered: bool
    version: int


@dataclass(frozen=True)
class CaseChanges:
    """What changed in the case file after audit position ``since`` (``changes_since``).

    ``seq`` is the position to pass next time; ``case_ids`` the cases with changes (including
    deleted ones); ``other_changed`` is True when something outside any case changed (settings,
    calendar, users); ``actors`` who made the changes.
    """

    since: int
    seq: int
    case_ids: frozenset[int]
    other_changed: bool
    actors: frozenset[str]

    @property
    def changed(self) -> bool:
        """Whether anything changed at all."""
        return self.seq != self.since
