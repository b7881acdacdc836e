"""Importing a year of the holiday calendar from a CSV or JSON file the user picked.

Accepted forms (UTF-8, with or without BOM):

* CSV: one day a line, ``日期,类型,名称`` — e.g. ``2027-01-01,节假日,元旦`` or
  ``2027-02-07,调休上班,春节``; the type may also be ``holiday``/``workday``; a header line is
  allowed.
* JSON: ``{"year": 2027, "days": [{"day": "2027-01-01", "kind": "holiday", "name": "元旦"}]}``,
  a bare list of such days, or the bundled calendar's layout
  ``{"holidays": {"2027-01-01": "元旦"}, "workdays": {"2027-02-07": "春节"}}``.

``parse_calendar_text``/``read_calendar_file`` return the year and the ``CalendarDayInput``s;
``import_calendar_file`` reads a file and stores the year through ``add_calendar_year`` (which
checks the days themselves) in one call. Every problem, an unreadable file included, raises
``ValidationError`` (a ``FirecaseError``) with a Chinese message saying what to fix.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path
from typing import Any

from firecase.errors import ValidationError
from firecase.services.dto import CalendarDayInput, CalendarView
from firecase.store import CaseFile

FIELD = "file"
"""The ``field`` of every ``ValidationError`` raised here: the file the user chose."""

KINDS = {
    "holiday": "holiday",
    "节假日": "holiday",
    "法定节假日": "holiday",
    "休": "holiday",
    "放假": "holiday",
    "workday": "workday",
    "调休上班": "workday",
    "调休上班日": "workday",
    "班": "workday",
    "上班": "workday",
}


def _invalid(message: str) -> ValidationError:
    return ValidationError(message, field=FIELD)


def _day(text: Any, where: str) -> dt.date:
    if text is None or not str(text).strip():
        raise _invalid(f"{where}：缺少日期，应写成 2027-01-01 的形式。")
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError as exc:
        raise _invalid(f"{where}：日期“{text}”应写成 2027-01-01 的形式。") from exc


def _kind(text: Any, where: str) -> str:
    kind = KINDS.get(str(text).strip().lower()) if text is not None else None
    if kind is None:
        raise _invalid(f"{where}：类型“{text or ''}”应为“节假日”或“调休上班”。")
    return kind


def _json_days(text: str) -> list[CalendarDayInput]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _invalid(
            f"JSON 格式有误（第{exc.lineno}行第{exc.colno}列），请检查括号、引号和逗号。"
        ) from exc
    days: list[CalendarDayInput] = []
    items: Any
    if isinstance(data, dict) and ("holidays" in data or "workdays" in data):
        for key, kind in (("holidays", "holiday"), ("workdays", "workday")):
            mapping = data.get(key) or {}
            if not isinstance(mapping, dict):
                raise _invalid(f'“{key}”应为对象，如 {{"2027-01-01": "元旦"}}。')
            for day, name in mapping.items():
                days.append(CalendarDayInput(_day(day, key), kind, str(name or "")))
        items = []
    elif isinstance(data, dict):
        items = data.get("days") or []
    elif isinstance(data, list):
        items = data
    else:
        raise _invalid("JSON 文件中没有日历条目。")
    if not isinstance(items, list):
        raise _invalid('“days”应为列表，每一项如 {"day": "2027-01-01", ...}。')
    for n, item in enumerate(items, start=1):
        where = f"第{n}条"
        if not isinstance(item, dict):
            raise _invalid(f'{where}应为对象，如 {{"day": "2027-01-01", ...}}。')
        days.append(
            CalendarDayInput(
                _day(item.get("day") or item.get("date"), where),
                _kind(item.get("kind") or item.get("type"), where),
                str(item.get("name") or ""),
            )
        )
    declared = data.get("year") if isinstance(data, dict) else None
    if declared is not None and days and any(str(d.day.year) != str(declared) for d in days):
        raise _invalid(f"文件写明年份为 {declared}，但其中有其他年份的日期。")
    return days


def _csv_days(text: str) -> list[CalendarDayInput]:
    days: list[CalendarDayInput] = []
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise _invalid("CSV 格式有误，请检查引号是否成对。") from exc
    for n, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if n == 1 and cells[0].lower() in ("日期", "date", "day"):
            continue
        if len(cells) < 2:
            raise _invalid(f"第{n}行应有“日期,类型,名称”三列。")
        where = f"第{n}行"
        days.append(
            CalendarDayInput(
                _day(cells[0], where),
                _kind(cells[1], where),
                cells[2] if len(cells) > 2 else "",
            )
        )
    return days


def parse_calendar_text(text: str, suffix: str) -> tuple[int, tuple[CalendarDayInput, ...]]:
    """Parse the content of a calendar file (``suffix`` ".csv" or ".json").

    Returns the year and its days, sorted; raises ``ValidationError`` for anything else.
    """
    text = text.lstrip("\ufeff")
    if suffix.lower() == ".json":
        days = _json_days(text)
    elif suffix.lower() == ".csv":
        days = _csv_days(text)
    else:
        raise _invalid("只能导入 .csv 或 .json 文件。")
    if not days:
        raise _invalid("文件中没有任何节假日或调休上班日。")
    years = sorted({d.day.year for d in days})
    if len(years) != 1:
        raise _invalid(
            f"一个文件只能包含一个年份，此文件包含：{'、'.join(str(y) for y in years)}。"
        )
    seen: set[dt.date] = set()
    for d in days:
        if d.day in seen:
            raise _invalid(f"{d.day.isoformat()} 在文件中出现了不止一次。")
        seen.add(d.day)
    return years[0], tuple(sorted(days, key=lambda d: d.day))


def read_calendar_file(path: str | os.PathLike[str]) -> tuple[int, tuple[CalendarDayInput, ...]]:
    """Read and parse a calendar file; every problem is a ``ValidationError`` naming the file."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _invalid(
            f"“{source.name}”不是 UTF-8 编码，请用记事本或 Excel 另存为 UTF-8 后再导入。"
        ) from exc
    except FileNotFoundError as exc:
        raise _invalid(f"找不到文件“{source}”，请重新选择。") from exc
    except OSError as exc:
        raise _invalid(
            f"无法读取文件“{source}”（{exc.strerror or exc}），请检查文件权限后重试。"
        ) from exc
    try:
        return parse_calendar_text(text, source.suffix)
    except ValidationError as exc:
        raise _invalid(f"“{source.name}”：{exc.message}") from exc


def import_calendar_file(
    cf: CaseFile, path: str | os.PathLike[str], *, actor: str | None = None
) -> CalendarView:
    """Read a calendar file and add its year to the case file's calendar (one transaction).

    The year must not be in the calendar yet (``add_calendar_year`` says so otherwise);
    derived clocks of every case are recomputed on next use.
    """
    from firecase.services.settings import add_calendar_year

    year, days = read_calendar_file(path)
    return add_calendar_year(cf, year, days, actor=actor)


def missing_years(covered: tuple[int, ...], today: dt.date) -> tuple[int, ...]:
    """Years between the first covered year and next year that the calendar lacks."""
    if not covered:
        return (today.year, today.year + 1)
    last = max(max(covered), today.year + 1)
    return tuple(y for y in range(min(covered), last + 1) if y not in covered)
