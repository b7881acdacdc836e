"""Reading a year of the holiday calendar from a CSV or JSON file the user picked. No Qt.

Accepted forms (UTF-8, with or without BOM):

* CSV: one day a line, ``日期,类型,名称`` — e.g. ``2027-01-01,节假日,元旦`` or
  ``2027-02-07,调休上班,春节``; the type may also be ``holiday``/``workday``; a header line is
  allowed.
* JSON: ``{"year": 2027, "days": [{"day": "2027-01-01", "kind": "holiday", "name": "元旦"}]}``,
  a bare list of such days, or the bundled calendar's layout
  ``{"holidays": {"2027-01-01": "元旦"}, "workdays": {"2027-02-07": "春节"}}``.

The result is the year and the ``CalendarDayInput``s for the ``add_calendar_year`` service,
which checks the days themselves. Problems raise ``ValidationError`` with a Chinese message.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from firecase.errors import ValidationError
from firecase.services.dto import CalendarDayInput

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


def _day(text: Any, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError as exc:
        raise ValidationError(f"{where}：日期“{text}”应写成 2027-01-01 的形式。") from exc


def _kind(text: Any, where: str) -> str:
    kind = KINDS.get(str(text).strip().lower())
    if kind is None:
        raise ValidationError(f"{where}：类型“{text}”应为“节假日”或“调休上班”。")
    return kind


def parse_calendar_text(text: str, suffix: str) -> tuple[int, tuple[CalendarDayInput, ...]]:
    """Parse the content of a calendar file (``suffix`` ".csv" or ".json")."""
    text = text.lstrip("\ufeff")
    days: list[CalendarDayInput] = []
    if suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValidationError(f"JSON 格式有误：{exc}") from exc
        items: list[Any]
        if isinstance(data, dict) and ("holidays" in data or "workdays" in data):
            for key, kind in (("holidays", "holiday"), ("workdays", "workday")):
                for day, name in dict(data.get(key) or {}).items():
                    days.append(CalendarDayInput(_day(day, key), kind, str(name)))
            items = []
        elif isinstance(data, dict):
            items = list(data.get("days") or [])
        elif isinstance(data, list):
            items = data
        else:
            raise ValidationError("JSON 文件中没有日历条目。")
        for n, item in enumerate(items, start=1):
            where = f"第{n}条"
            if not isinstance(item, dict):
                raise ValidationError(f'{where}应为对象，如 {{"day": "2027-01-01", ...}}。')
            days.append(
                CalendarDayInput(
                    _day(item.get("day") or item.get("date"), where),
                    _kind(item.get("kind") or item.get("type"), where),
                    str(item.get("name") or ""),
                )
            )
    elif suffix.lower() == ".csv":
        for n, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            cells = [c.strip() for c in row]
            if not any(cells):
                continue
            if n == 1 and cells[0] in ("日期", "date", "day"):
                continue
            if len(cells) < 2:
                raise ValidationError(f"第{n}行应有“日期,类型,名称”三列。")
            where = f"第{n}行"
            days.append(
                CalendarDayInput(
                    _day(cells[0], where),
                    _kind(cells[1], where),
                    cells[2] if len(cells) > 2 else "",
                )
            )
    else:
        raise ValidationError("只能导入 .csv 或 .json 文件。")
    if not days:
        raise ValidationError("文件中没有任何节假日或调休上班日。")
    years = sorted({d.day.year for d in days})
    if len(years) != 1:
        raise ValidationError(
            f"一个文件只能包含一个年份，此文件包含：{'、'.join(str(y) for y in years)}。"
        )
    return years[0], tuple(sorted(days, key=lambda d: d.day))


def read_calendar_file(path: Path) -> tuple[int, tuple[CalendarDayInput, ...]]:
    """Read and parse a calendar file (raises ``ValidationError`` or ``OSError``)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError("文件不是 UTF-8 编码，请另存为 UTF-8 后再导入。") from exc
    return parse_calendar_text(text, Path(path).suffix)


def missing_years(covered: tuple[int, ...], today: dt.date) -> tuple[int, ...]:
    """Years between the first covered year and next year that the calendar lacks."""
    if not covered:
        return (today.year, today.year + 1)
    last = max(max(covered), today.year + 1)
    return tuple(y for y in range(min(covered), last + 1) if y not in covered)
