"""What the derivations read from the case file: its settings, its working-day calendar and the
grade standards it grades by.

The use cases that change them live in ``settings`` and ``standards``; ``_derive`` (stage,
clocks, grade) reads them through this module, so neither imports the other's reader.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase import rules
from firecase.services.dto import SettingsView
from firecase.store.models import CalendarDay, CalendarYear, Setting

# the standards' log, as before this module held them
log = logging.getLogger("firecase.services.standards")


# settings

DEFAULTS: dict[str, str] = {
    "organisation_name": "天门市消防救援大队",
    "case_no_prefix": "天消调",
    "roll_to_workday": "true",
    "report_title_font": "",
    "report_body_font": "",
    "report_heading1_font": "",
    "report_heading2_font": "",
}


# The settings' version, like every record's: raised by each save that changes a value, checked
# against the version the saving window read (two administrators with 设置 open: the second
# save is a conflict, not a silent reversal of the first). The team-warning acknowledgements
# (``team_ack:*``, written by leaders) are not settings an administrator edits and leave it be.
VERSION_KEY = "settings_version"


# The settings key of each font role (firecase.reports.fonts.ROLES) a user may choose.
FONT_KEYS: dict[str, str] = {
    "title": "report_title_font",
    "body": "report_body_font",
    "heading1": "report_heading1_font",
    "heading2": "report_heading2_font",
}


def read_settings(session: Session) -> SettingsView:
    """Settings inside an open unit of work (defaults for keys never saved)."""
    return settings_view(stored_settings(session))


def stored_settings(session: Session) -> dict[str, str]:
    """Every stored settings row (key → value), read in one statement."""
    return {str(k): str(val) for k, val in session.execute(select(Setting.key, Setting.value))}


def settings_view(stored: dict[str, str]) -> SettingsView:
    """The settings of these stored rows (``stored_settings``), defaults for keys never saved."""
    merged = {**DEFAULTS, **stored}
    return SettingsView(
        version=_version(stored.get(VERSION_KEY)),
        organisation_name=merged["organisation_name"],
        case_no_prefix=merged["case_no_prefix"],
        roll_to_workday=merged["roll_to_workday"] == "true",
        report_title_font=merged["report_title_font"],
        report_body_font=merged["report_body_font"],
        report_heading1_font=merged["report_heading1_font"],
        report_heading2_font=merged["report_heading2_font"],
    )


def _version(text: str | None) -> int:
    try:
        return max(0, int(text or "0"))
    except ValueError:  # a value edited outside FireCase: a save must not be refused forever
        return 0


def ensure_calendar(session: Session) -> None:
    """Copy the bundled calendar into the case file if it holds no calendar yet."""
    if session.scalar(select(CalendarYear.year).limit(1)) is not None:
        return
    years, days = bundled_calendar_rows()
    for year in years:
        session.add(CalendarYear(year=year, source="bundled"))
    for day, kind, name in days:
        session.add(CalendarDay(day=day, kind=kind, name=name, source="bundled"))
    session.flush()


# the working-day calendar and the grade standards


def grade_standards(session: Session) -> tuple[rules.GradeStandard, ...]:
    """The grade standards this case file grades by (bundled data; see services.standards)."""
    return configured_standards(session)


def bundled_calendar_rows() -> tuple[list[int], list[tuple[dt.date, str, str]]]:
    """The bundled calendar as (years, [(day, "holiday"|"workday", name)])."""
    data = rules.WorkdayCalendar.bundled().to_json_dict()
    years = [int(y) for y in data["years"]]
    days = [(dt.date.fromisoformat(k), "holiday", str(n)) for k, n in data["holidays"].items()]
    days += [(dt.date.fromisoformat(k), "workday", str(n)) for k, n in data["workdays"].items()]
    return years, sorted(days)


def stored_calendar(session: Session) -> rules.WorkdayCalendar:
    """The working-day calendar stored in the case file (bundled rows copied in on first use).

    Every service call that counts days asks for it: the rows are read each time (as stored,
    without type conversion) and the calendar is built once per distinct content."""
    session.flush()  # the rows are read below the ORM: what this session changed goes first
    years, days = _calendar_rows(session)
    if not years:  # no calendar yet: the bundled one is copied in, then read as stored
        ensure_calendar(session)
        session.flush()
        years, days = _calendar_rows(session)
    return _calendar_of(years, days)


# both calendar tables in one statement (one round trip to a server)
_CALENDAR_ROWS = (
    "SELECT 0, year, NULL, NULL, NULL FROM calendar_years "
    "UNION ALL SELECT 1, NULL, day, kind, name FROM calendar_days"
)


def _calendar_rows(
    session: Session,
) -> tuple[tuple[int, ...], tuple[tuple[str, str, str], ...]]:
    """The stored calendar's years and (day as ISO text, kind, name) rows, sorted."""
    years: list[int] = []
    days: list[tuple[str, str, str]] = []
    for table, year, day, kind, name in session.connection().exec_driver_sql(_CALENDAR_ROWS):
        if table == 0:
            years.append(int(year))
        else:
            days.append((str(day), str(kind), str(name)))
    return tuple(sorted(years)), tuple(sorted(days))


@lru_cache(maxsize=8)
def _calendar_of(
    years: tuple[int, ...], days: tuple[tuple[str, str, str], ...]
) -> rules.WorkdayCalendar:
    """The calendar of these stored rows (days as ISO text, as SQLite stores them)."""
    covered = set(years)
    holidays: dict[dt.date, str] = {}
    workdays: dict[dt.date, str] = {}
    partial: dict[dt.date, bool] = {}  # days of a year not covered (they cover nothing)
    for text, kind, name in days:
        day = dt.date.fromisoformat(text[:10])
        if day.year not in covered:
            partial[day] = kind == "holiday"
        else:
            (holidays if kind == "holiday" else workdays)[day] = name
    return rules.WorkdayCalendar(
        years, holidays, workdays, source="案卷文件中的节假日日历", partial=partial
    )


HOUSEHOLDS = "households_affected"


# the three graded grades, lowest first, with the field names the UI knows them by
HOUSEHOLD_FIELDS: tuple[tuple[rules.Grade, str], ...] = (
    (rules.Grade.LARGE, "households_large"),
    (rules.Grade.MAJOR, "households_major"),
    (rules.Grade.EXTRAORDINARY, "households_extraordinary"),
)


def households_key(standard_id: str) -> str:
    """The settings key holding a standard's administrator-entered 受灾户 thresholds."""
    return f"standard.{standard_id}.households"


def _stored(session: Session) -> tuple[tuple[str, str], ...]:
    """The ``standard.*`` settings rows, by key."""
    return _standard_rows(stored_settings(session))


def _standard_rows(stored: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, val) for k, val in stored.items() if k.startswith("standard.")))


def configured_standards(session: Session) -> tuple[rules.GradeStandard, ...]:
    """The bundled standards, with the thresholds an administrator entered in this case file."""
    return _apply(_stored(session))


def standards_of(stored: dict[str, str]) -> tuple[rules.GradeStandard, ...]:
    """``configured_standards`` from settings rows already read (``stored_settings``)."""
    return _apply(_standard_rows(stored))


@lru_cache(maxsize=8)
def _apply(stored: tuple[tuple[str, str], ...]) -> tuple[rules.GradeStandard, ...]:
    """The bundled standards with ``stored`` (the ``standard.*`` setting rows) applied.

    Cached by the rows' text: the standards are immutable, so equal rows give equal standards.
    A damaged entry is logged and ignored (its thresholds stay 未配置, never guessed).
    """
    entries = dict(stored)
    out: list[rules.GradeStandard] = []
    for standard in rules.load_standards():
        raw = entries.get(households_key(standard.id))
        if raw is not None and HOUSEHOLDS in standard.criteria:
            try:
                minimums, citation = _parse_entry(raw)
                standard = standard.with_thresholds(HOUSEHOLDS, minimums, citation)
            except (ValueError, TypeError, rules.RuleError):
                log.warning("ignoring damaged 受灾户 thresholds of %s", standard.id, exc_info=True)
        out.append(standard)
    return tuple(out)


def _parse_entry(raw: str) -> tuple[dict[rules.Grade, Decimal | None], str]:
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("not an object")
    minimums: dict[rules.Grade, Decimal | None] = {}
    for grade, _field in HOUSEHOLD_FIELDS:
        text = str(data.get(grade.value, "") or "")
        minimums[grade] = Decimal(int(text)) if text else None
    return minimums, str(data.get("citation", ""))
