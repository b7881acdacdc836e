"""Importing a year of the holiday calendar from the file the user picked, and exporting one.

Accepted files (``parse_calendar_bytes``; at most ``MAX_BYTES``):

* CSV / text (``.csv``, ``.txt``, ``.tsv``, text saved as ``.xls``): one day (or a range
  ``2027/10/1~2027/10/7``) a line, ``日期,类型,名称`` — e.g. ``2027/1/1,休,元旦`` or
  ``2027年2月7日,班,春节``. Separators: comma, tab, semicolon, the Chinese comma "，" (or,
  failing those, spaces). Encodings: UTF-8 with or without BOM, GBK/GB18030 (Chinese Excel's
  default), UTF-16 with BOM (Excel's "Unicode 文本"). Title/header rows are optional; with a
  header naming the columns (日期/类型/名称) any order works, without one the cells are
  recognised by content (a 星期 column or a number column is ignored). Type words are ``KINDS``.
* Excel ``.xlsx`` (openpyxl): the first sheet, laid out as the CSV; cells may be real dates,
  text, or date serial numbers.
* iCalendar ``.ics`` (as phone and Outlook calendars export): each VEVENT's DTSTART..DTEND
  (exclusive end for all-day events; DATE or DATE-TIME, converted to Beijing time) is expanded
  to days; a SUMMARY with 班 (上班、补班) is a make-up working day, one with 休/假 (放假) or a
  statutory holiday's name a rest day; any other event, or one longer than
  ``MAX_RANGE_DAYS`` (暑假), is left out and counted in the notes.
* JSON: ``{"year": 2027, "days": [{"day": "2027-01-01", "kind": "holiday", "name": "元旦"}]}``,
  a bare list of such days, or the bundled calendar's layout
  ``{"years": [2027], "holidays": {"2027-01-01": "元旦"}, "workdays": {"2027-02-07": "春节"}}``.

Dates may be written 2027-01-01, 2027/1/1, 2027.1.1, 2027年1月1日, 20270101, as Excel serial
numbers (46388) or with a time ("2027/1/1 0:00"). A rest day on a weekend and a working day on a
weekday change nothing: they are accepted and left out, and ``CalendarImport.notes`` says how
many (a holiday range such as 国庆 1–7 October lists its weekend days). A file mixing years
raises ``SeveralYearsError`` naming the dates (``year=`` picks one); a day listed both as rest
and as working day raises ``ValidationError`` naming it.

``import_calendar`` reads a file and stores its year through ``add_calendar_year`` (which checks
the days themselves) in one call; ``export_calendar_year`` writes a stored year as .csv, .xlsx,
.ics or .json, which import gives back. Every problem, an unreadable file included, raises
``ValidationError`` (a ``FirecaseError``) with a Chinese message saying what to fix.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from firecase.errors import ValidationError
from firecase.services.dto import CalendarDayInput, CalendarDayView, CalendarView
from firecase.store import CaseFile

FIELD = "file"
"""The ``field`` of every ``ValidationError`` raised here: the file the user chose."""

MAX_BYTES = 5 * 1024 * 1024
"""Largest file read (a year is a few KB; a phone calendar of many years a few hundred KB)."""
MAX_ROWS = 5000
"""Most rows read from a CSV or a sheet (a year listed day by day is 366)."""
MAX_RANGE_DAYS = 31
"""Longest range / event expanded to days (the longest holiday is 8 or 9 days)."""
_MAX_XLSX_UNPACKED = 50 * 1024 * 1024

HOLIDAY, WORKDAY = "holiday", "workday"

KINDS = {
    "holiday": HOLIDAY,
    "rest": HOLIDAY,
    "off": HOLIDAY,
    "节假日": HOLIDAY,
    "法定节假日": HOLIDAY,
    "法定假日": HOLIDAY,
    "节日": HOLIDAY,
    "假日": HOLIDAY,
    "假": HOLIDAY,
    "休": HOLIDAY,
    "休息": HOLIDAY,
    "休息日": HOLIDAY,
    "放假": HOLIDAY,
    "公休": HOLIDAY,
    "周末": HOLIDAY,
    "workday": WORKDAY,
    "work": WORKDAY,
    "调休上班": WORKDAY,
    "调休上班日": WORKDAY,
    "调休": WORKDAY,  # as timor.tech and most 节假日 tables use it: the make-up working day
    "班": WORKDAY,
    "上班": WORKDAY,
    "上班日": WORKDAY,
    "补班": WORKDAY,
    "补班日": WORKDAY,
    "工作日": WORKDAY,
}
"""Words accepted in the type column (compared without spaces, case-insensitively)."""

FORMATS_HELP = (
    "CSV/Excel：日期,类型,名称（如 2027/1/1,休,元旦；2027年2月7日,班,春节），"
    "UTF-8 或 GBK 均可，日期也可写成 2027-01-01；"
    "日历文件 .ics（手机、Outlook 导出）；周末休息日可列出，会自动忽略。"
)
"""What the import button's help label says (the accepted formats, with an example)."""

_HEADER_DATE = {"日期", "date", "day", "时间", "公历", "公历日期", "日子"}
_HEADER_KIND = {"类型", "kind", "type", "类别", "性质", "安排", "状态", "休/班", "休班"}
_HEADER_NAME = {"名称", "name", "节日", "节假日", "节日名称", "假日名称", "节假日名称", "说明"}
_STATUTORY = ("元旦", "春节", "清明", "劳动节", "五一", "端午", "中秋", "国庆")
_WEEKDAYS = "一二三四五六日"

_DATE_RE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
    r"(?:\s*T?\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # a time, as "2027/1/1 0:00"
    r"(?:\s*\(?\s*(?:星期|周|礼拜)[一二三四五六日天]\s*\)?)?"  # a weekday, as "（周五）"
)
_COMPACT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL_RE = re.compile(r"\d{5}(?:\.0*)?")
_DATEISH_RE = re.compile(r"\d+\s*[-/.年月]\s*\d+|^\d{5,8}(?:\.0*)?$")
_RANGE_RE = re.compile(r"\s*(?:~|～|至|到|—|–|\s-\s)\s*")
_WEEKDAY_RE = re.compile(r"\(?(?:星期|周|礼拜)[一二三四五六日天]\)?")
_TIME_RE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NAME_MARKERS_RE = re.compile(
    r"调休上班|补班|上班|调休|节假日|放假|假期|休假|休息日?|假日|[休班]|[()（）\[\]【】]"
)
_BEIJING = dt.timezone(dt.timedelta(hours=8))  # no daylight saving since 1991


class SeveralYearsError(ValidationError):
    """The file holds days of more than one year; ``years`` lists them (pass ``year=`` to pick
    one, as the settings dialog asks)."""

    def __init__(self, message: str, years: tuple[int, ...]) -> None:
        super().__init__(message, field=FIELD)
        self.years = years


@dataclass(frozen=True)
class CalendarImport:
    """A parsed calendar file: its year, the days to store and what was left out."""

    year: int
    days: tuple[CalendarDayInput, ...]
    weekend_rest_days: tuple[dt.date, ...] = ()
    """Rest days listed on a Saturday or Sunday (rest days anyway): left out."""
    weekday_workdays: tuple[dt.date, ...] = ()
    """Working days listed on Monday to Friday (working days anyway): left out."""
    skipped: tuple[str, ...] = ()
    """Other things left out, said in Chinese (e.g. calendar events naming no rest/work day)."""

    @property
    def notes(self) -> tuple[str, ...]:
        """What was left out, one Chinese sentence each."""
        out: list[str] = []
        if self.weekend_rest_days:
            out.append(f"其中{len(self.weekend_rest_days)}个周末休息日已忽略（本就是休息日）")
        if self.weekday_workdays:
            out.append(
                f"其中{len(self.weekday_workdays)}个周一至周五的上班日已忽略（本就是工作日）"
            )
        out.extend(self.skipped)
        return tuple(out)

    def summary(self) -> str:
        """The sentence the settings dialog shows: "已导入 2027 年的节假日安排：…" and the notes."""
        holidays = sum(1 for d in self.days if d.kind == HOLIDAY)
        text = (
            f"已导入 {self.year} 年的节假日安排：{holidays} 个节假日、"
            f"{len(self.days) - holidays} 个调休上班日。"
        )
        return text + "".join(f"{n}。" for n in self.notes)


@dataclass(frozen=True)
class CalendarImported:
    """What ``import_calendar`` did: the parsed file and the calendar after the import."""

    parsed: CalendarImport
    view: CalendarView


@dataclass(frozen=True)
class _Entry:
    day: dt.date
    kind: str
    name: str
    where: str


def _invalid(message: str) -> ValidationError:
    return ValidationError(message, field=FIELD)


# ---------------------------------------------------------------------------------------------
# cells
# ---------------------------------------------------------------------------------------------


def _norm(value: Any) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def _from_serial(serial: float) -> dt.date | None:
    """An Excel serial number (1900 date system, whose 1900-02-29 does not exist) as a date."""
    n = int(serial)
    if n != serial or not 18264 <= n <= 110000:  # 1950 .. 2201
        return None
    return dt.date(1899, 12, 30) + dt.timedelta(days=n)  # n > 59: Excel's leap-day bug


def _as_date(value: Any) -> dt.date | None:
    """``value`` as a date, or None when it is not written as one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return _from_serial(value)
    text = _norm(value)
    for pattern in (_DATE_RE, _COMPACT_RE):
        m = pattern.fullmatch(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    if _SERIAL_RE.fullmatch(text):
        return _from_serial(float(text))
    return None


def _as_days(value: Any) -> list[dt.date] | None:
    """A date or a range ``2027/10/1~2027/10/7`` as its days, or None."""
    one = _as_date(value)
    if one is not None:
        return [one]
    if not isinstance(value, str):
        return None
    parts = _RANGE_RE.split(_norm(value), maxsplit=1)
    if len(parts) != 2:
        return None
    first, last = _as_date(parts[0]), _as_date(parts[1])
    if first is None or last is None or last < first:
        return None
    if (last - first).days >= MAX_RANGE_DAYS:
        raise _invalid(f"“{value}”跨越{(last - first).days + 1}天，不像是一段节假日，请检查日期。")
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _dateish(value: Any) -> bool:
    return not isinstance(value, str) or bool(_DATEISH_RE.search(_norm(value)))


def _date_problem(value: Any, where: str) -> ValidationError:
    if value is None or not str(value).strip():
        return _invalid(f"{where}：缺少日期，应写成 2027-01-01 或 2027/1/1 的形式。")
    return _invalid(
        f"{where}：日期“{value}”无法识别，应写成 2027-01-01、2027/1/1 或 2027年1月1日 的形式。"
    )


def _day(value: Any, where: str) -> dt.date:
    day = _as_date(value)
    if day is None:
        raise _date_problem(value, where)
    return day


def _kind_of(value: Any) -> str | None:
    if value is None or isinstance(value, (int, float, dt.date)):
        return None
    return KINDS.get(re.sub(r"\s+", "", _norm(value)).lower())


def _kind(value: Any, where: str) -> str:
    kind = _kind_of(value)
    if kind is None:
        shown = "" if value is None else str(value).strip()
        raise _invalid(f"{where}：类型“{shown}”应为“休”（节假日）或“班”（调休上班）。")
    return kind


def _name(value: Any) -> str:
    return "" if value is None else str(value).strip()[:50]


# ---------------------------------------------------------------------------------------------
# tables: CSV, text and sheets
# ---------------------------------------------------------------------------------------------


def _header(cells: Sequence[str]) -> tuple[int, int, int | None] | None:
    """(date, type, name) columns when ``cells`` name them."""
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        key = re.sub(r"\s+", "", _norm(cell)).lower()
        for role, words in (("date", _HEADER_DATE), ("kind", _HEADER_KIND), ("name", _HEADER_NAME)):
            if key in words and role not in found:
                found[role] = i
                break
    if "date" in found and "kind" in found:
        return found["date"], found["kind"], found.get("name")
    return None


def _row_entries(
    row: Sequence[Any], where: str, columns: tuple[int, int, int | None] | None
) -> list[_Entry]:
    def cell(i: int | None) -> Any:
        return row[i] if i is not None and i < len(row) else None

    filled = [i for i, c in enumerate(row) if c is not None and str(c).strip()]
    if columns is not None:
        date_at, kind_at, name_at = columns
        days = _as_days(cell(date_at))
        if days is not None and _kind_of(cell(kind_at)) is not None:
            return [
                _Entry(d, _kind(cell(kind_at), where), _name(cell(name_at)), where) for d in days
            ]
        try:  # a row not as the header says: recognised by content, if it can be
            return _row_entries(row, where, None)
        except ValidationError:
            if days is None:
                raise _date_problem(cell(date_at), where) from None
            _kind(cell(kind_at), where)
            raise
    else:  # recognise the cells by what they hold
        found = next((i for i in filled if _as_days(row[i]) is not None), None)
        if found is None:
            raise _date_problem(row[filled[0]], where)
        days = _as_days(row[found])
        others = [i for i in filled if i != found]
        typed = next((i for i in others if _kind_of(row[i]) is not None), None)
        if typed is None and not others:
            raise _invalid(f"{where}应有“日期,类型,名称”三列，如 2027/1/1,休,元旦。")
        kind = _kind(row[typed if typed is not None else others[0]], where)
        rest = [
            row[i]
            for i in others
            if i != typed
            and not _dateish(row[i])
            and not _WEEKDAY_RE.fullmatch(_norm(row[i]))
            and not _norm(row[i]).isdigit()  # a 序号 column
        ]
        name = _name(rest[0]) if rest else ""
    assert days is not None
    return [_Entry(d, kind, name, where) for d in days]


def _table_entries(rows: Iterable[Sequence[Any]], unit: str = "行") -> list[_Entry]:
    entries: list[_Entry] = []
    columns: tuple[int, int, int | None] | None = None
    leading = True
    for n, row in enumerate(rows, start=1):
        if n > MAX_ROWS:
            raise _invalid(f"文件超过 {MAX_ROWS} 行，不像是一年的节假日安排，请检查文件。")
        if not any(c is not None and str(c).strip() for c in row):
            continue
        if leading and not any(_dateish(c) for c in row if c is not None and str(c).strip()):
            columns = _header([_norm(c) if c is not None else "" for c in row]) or columns
            continue  # a title or header row
        leading = False
        entries.extend(_row_entries(row, f"第{n}{unit}", columns))
    return entries


def _split_text(text: str) -> list[list[str]]:
    lines = text.splitlines()
    sample = [line for line in lines if line.strip()][:50]
    counts = {d: sum(line.count(d) for line in sample) for d in ("\t", ",", ";", "，")}
    delimiter = max(counts, key=lambda d: counts[d])
    if counts[delimiter] == 0:  # separated by spaces: "2027/1/1 0:00" stays one cell
        rows: list[list[str]] = []
        for line in lines:
            cells: list[str] = []
            for token in line.split():
                if cells and _TIME_RE.fullmatch(token) and _as_date(cells[-1]) is not None:
                    cells[-1] += " " + token
                else:
                    cells.append(token)
            rows.append(cells)
        return rows
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise _invalid("CSV 格式有误，请检查引号是否成对。") from exc


def _xlsx_rows(data: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    unreadable = (
        "无法打开此 Excel 文件（可能已损坏或不是 .xlsx），"
        "请在 Excel 中另存为 .xlsx 或 CSV 后再导入。"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _invalid(unreadable) from exc
    if unpacked > _MAX_XLSX_UNPACKED:
        raise _invalid("此 Excel 文件解压后过大，不像是一年的节假日安排，请检查文件。")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _invalid(unreadable) from exc
    try:
        if not book.worksheets:
            raise _invalid("此 Excel 文件中没有工作表。")
        epoch_1904 = getattr(book, "epoch", dt.datetime(1899, 12, 30)).year == 1904
        rows: list[tuple[Any, ...]] = []
        for n, row in enumerate(book.worksheets[0].iter_rows(values_only=True, max_col=16)):
            if n >= MAX_ROWS:
                raise _invalid(f"工作表超过 {MAX_ROWS} 行，不像是一年的节假日安排，请检查文件。")
            if epoch_1904:  # plain numbers are serials of the Mac 1904 date system
                row = tuple(
                    _from_serial(c + 1462) or c
                    if isinstance(c, (int, float)) and not isinstance(c, bool)
                    else c
                    for c in row
                )
            rows.append(tuple(row))
        return rows
    except ValidationError:
        raise
    except Exception as exc:
        raise _invalid(unreadable) from exc
    finally:
        book.close()


# ---------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------


def _json_entries(text: str) -> list[_Entry]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _invalid(
            f"JSON 格式有误（第{exc.lineno}行第{exc.colno}列），请检查括号、引号和逗号。"
        ) from exc
    except RecursionError as exc:
        raise _invalid("JSON 文件嵌套过深，不是日历文件。") from exc
    entries: list[_Entry] = []
    items: Any
    if isinstance(data, dict) and ("holidays" in data or "workdays" in data):
        for key, kind in (("holidays", HOLIDAY), ("workdays", WORKDAY)):
            mapping = data.get(key) or {}
            if not isinstance(mapping, dict):
                raise _invalid(f'“{key}”应为对象，如 {{"2027-01-01": "元旦"}}。')
            for day, name in mapping.items():
                entries.append(_Entry(_day(day, key), kind, _name(name or ""), key))
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
        entries.append(
            _Entry(
                _day(item.get("day") or item.get("date"), where),
                _kind(item.get("kind") or item.get("type"), where),
                _name(item.get("name") or ""),
                where,
            )
        )
    if isinstance(data, dict):
        listed = data.get("years")
        declared: list[Any] = listed if isinstance(listed, list) else [data.get("year")]
        allowed = {str(y) for y in declared if y is not None}
        if allowed and any(str(e.day.year) not in allowed for e in entries):
            raise _invalid(f"文件写明年份为 {'、'.join(sorted(allowed))}，但其中有其他年份的日期。")
    return entries


# ---------------------------------------------------------------------------------------------
# iCalendar
# ---------------------------------------------------------------------------------------------


def _event_kind(summary: str) -> str | None:
    text = _norm(summary)
    if "班" in text:
        return WORKDAY
    if "休" in text or "假" in text or any(h in text for h in _STATUTORY):
        return HOLIDAY
    return None


def _event_name(summary: str) -> str:
    name = re.sub(r"\s+", " ", _NAME_MARKERS_RE.sub(" ", _norm(summary)))
    name = name.strip(" ·:：,，、/|-")
    name = re.sub(r"(节|旦)[前后]$", r"\1", name)
    return name[:50]


def _event_day(value: Any) -> tuple[dt.date, bool] | None:
    """(the day, whether it is a DATE-TIME at midnight Beijing time) of DTSTART/DTEND."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_BEIJING)
        return value.date(), value.time() == dt.time(0)
    if isinstance(value, dt.date):
        return value, True
    return None


def _ics_entries(text: str) -> tuple[list[_Entry], list[str]]:
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(text)
        events = list(calendar.walk("VEVENT"))
    except Exception as exc:  # icalendar raises ValueError and others for a damaged file
        raise _invalid("日历文件（.ics）格式有误，无法读取；请从手机或 Outlook 重新导出。") from exc
    if not events:
        raise _invalid("日历文件（.ics）中没有任何日程。")
    entries: list[_Entry] = []
    unrelated: list[str] = []
    too_long: list[str] = []
    for event in events:
        summary = str(event.get("SUMMARY", "")).strip()
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        kind = _event_kind(summary)
        if kind is None:
            unrelated.append(summary or "（无标题）")
            continue
        where = f"日程“{summary}”"
        try:
            start = _event_day(event.decoded("DTSTART")) if "DTSTART" in event else None
            end_value: Any = event.decoded("DTEND") if "DTEND" in event else None
            if end_value is None and "DURATION" in event:
                end_value = event.decoded("DTSTART") + event.decoded("DURATION")
        except Exception as exc:
            raise _invalid(f"{where}的日期无法识别。") from exc
        if start is None:
            raise _invalid(f"{where}缺少开始日期或日期无法识别。")
        first, last = start[0], start[0]
        end = _event_day(end_value) if end_value is not None else None
        if end is not None and end[0] > first:
            # all-day events (DATE, or DATE-TIME at midnight) end the day before DTEND
            last = end[0] - dt.timedelta(days=1) if end[1] else end[0]
        if (last - first).days >= MAX_RANGE_DAYS:  # 寒假, 暑假: not a statutory holiday
            too_long.append(f"{summary}（{first.isoformat()} 起{(last - first).days + 1}天）")
            continue
        name = _event_name(summary)
        entries.extend(
            _Entry(first + dt.timedelta(days=i), kind, name, where)
            for i in range((last - first).days + 1)
        )
    # phone calendars name a make-up working day just "班": give it the nearest holiday's name
    named = [e for e in entries if e.kind == HOLIDAY and e.name]
    for i, e in enumerate(entries):
        if e.kind == WORKDAY and not e.name and named:
            near = min(named, key=lambda h: abs((h.day - e.day).days))
            if abs((near.day - e.day).days) <= 14:
                entries[i] = replace(e, name=near.name)
    skipped: list[str] = []
    if unrelated:
        shown = "、".join(f"“{s}”" for s in unrelated[:3])
        more = "等" if len(unrelated) > 3 else ""
        skipped.append(f"{len(unrelated)}个与放假、上班无关的日程未导入（{shown}{more}）")
    if too_long:
        shown = "、".join(f"“{s}”" for s in too_long[:3])
        more = "等" if len(too_long) > 3 else ""
        skipped.append(
            f"{len(too_long)}个超过{MAX_RANGE_DAYS}天的日程不像法定节假日，未导入（{shown}{more}）"
        )
    return entries, skipped


# ---------------------------------------------------------------------------------------------
# parsing
# ---------------------------------------------------------------------------------------------


def _dates_text(days: Sequence[dt.date], limit: int = 5) -> str:
    shown = "、".join(d.isoformat() for d in days[:limit])
    return shown + (f" 等{len(days)}天" if len(days) > limit else "")


def _finish(
    entries: list[_Entry], skipped: list[str], *, merge: bool, year: int | None
) -> CalendarImport:
    if not entries:
        raise _invalid("文件中没有任何节假日或调休上班日。")
    by_day: dict[dt.date, _Entry] = {}
    for e in entries:
        prior = by_day.get(e.day)
        if prior is None:
            by_day[e.day] = e
        elif prior.kind != e.kind:
            rest, work = (prior, e) if prior.kind == HOLIDAY else (e, prior)
            raise _invalid(
                f"{e.day.isoformat()} 既列为休息日（{rest.where}）又列为上班日（{work.where}），"
                "请删去其中一条。"
            )
        elif not merge:
            where = prior.where if prior.where == e.where else f"{prior.where}、{e.where}"
            raise _invalid(f"{e.day.isoformat()} 在文件中出现了不止一次（{where}）。")
        elif not prior.name and e.name:
            by_day[e.day] = e
    years = sorted({d.year for d in by_day})
    if year is not None:
        if year not in years:
            raise _invalid(
                f"文件中没有 {year} 年的日期（文件中的年份：{'、'.join(str(y) for y in years)}）。"
            )
        by_day = {d: e for d, e in by_day.items() if d.year == year}
    elif len(years) > 1:
        counts = {y: sorted(d for d in by_day if d.year == y) for y in years}
        main = max(years, key=lambda y: len(counts[y]))
        others = "；".join(f"{y} 年：{_dates_text(counts[y])}" for y in years if y != main)
        raise SeveralYearsError(
            f"一个文件只能导入一个年份，此文件包含：{'、'.join(str(y) for y in years)}"
            f"（除 {main} 年的 {len(counts[main])} 天外，{others}）。",
            tuple(years),
        )
    kept = sorted(by_day.values(), key=lambda e: e.day)
    weekend_rest = tuple(e.day for e in kept if e.kind == HOLIDAY and e.day.weekday() >= 5)
    weekday_work = tuple(e.day for e in kept if e.kind == WORKDAY and e.day.weekday() < 5)
    days = tuple(
        CalendarDayInput(e.day, e.kind, e.name)
        for e in kept
        if (e.kind == HOLIDAY) == (e.day.weekday() < 5)
    )
    the_year = kept[0].day.year
    if not days:
        raise _invalid(
            f"文件中 {the_year} 年的日子都是周末休息日或平常的工作日，"
            "没有节假日或调休上班日可导入。"
        )
    return CalendarImport(the_year, days, weekend_rest, weekday_work, tuple(skipped))


_TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".tab", ".xls", "")
_ICS_SUFFIXES = (".ics", ".ical", ".icalendar", ".ifb", ".vcs")


def parse_calendar_text(text: str, suffix: str, *, year: int | None = None) -> CalendarImport:
    """Parse the text of a calendar file (``suffix`` as ".csv", ".txt", ".ics" or ".json"; ICS
    and JSON content is recognised whatever the suffix).

    ``year``: import only that year's days of a file covering several. Raises
    ``ValidationError`` for anything else.
    """
    text = text.lstrip("\ufeff")
    suffix = suffix.lower()
    head = text.lstrip()[:20].upper()
    skipped: list[str] = []
    merge = False
    if suffix in _ICS_SUFFIXES or head.startswith("BEGIN:VCALENDAR"):
        entries, skipped = _ics_entries(text)
        merge = True  # overlapping events (春节 and 春节假期) list a day twice
    elif suffix == ".json" or (suffix != ".csv" and head[:1] in ("{", "[")):
        entries = _json_entries(text)
    elif suffix in _TABLE_SUFFIXES:
        entries = _table_entries(_split_text(text))
    else:
        raise _invalid("只能导入 .csv、.xlsx、.ics、.json 或 .txt 文件。")
    return _finish(entries, skipped, merge=merge, year=year)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode 文本" is UTF-16
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL_RE.search(text):
            break
        return text
    raise _invalid(
        "不是文本格式的日历文件，或编码无法识别（应为 UTF-8 或 GBK）；"
        "请在 Excel 中另存为 CSV 或 .xlsx 后再导入。"
    )


def parse_calendar_bytes(data: bytes, suffix: str, *, year: int | None = None) -> CalendarImport:
    """Parse a calendar file's content: .xlsx (recognised by content too), else text in
    UTF-8 (with or without BOM), GB18030/GBK or UTF-16 with BOM (``parse_calendar_text``)."""
    suffix = suffix.lower()
    if len(data) > MAX_BYTES:
        raise _invalid(_too_big(len(data)))
    if data.startswith(b"PK\x03\x04"):
        return _finish(_table_entries(_xlsx_rows(data)), [], merge=False, year=year)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _invalid(
            "旧版 Excel（.xls）文件无法直接导入，请在 Excel 中另存为 .xlsx 或 CSV 后再导入。"
        )
    if suffix in (".xlsx", ".xlsm"):
        raise _invalid("不是有效的 Excel（.xlsx）文件，请在 Excel 中重新保存后再导入。")
    if not data.strip():
        raise _invalid("文件是空的，其中没有任何节假日或调休上班日。")
    return parse_calendar_text(_decode(data), suffix, year=year)


def _too_big(size: int) -> str:
    return (
        f"文件有 {size / 1024 / 1024:.1f} MB，超过日历文件的上限 {MAX_BYTES // 1024 // 1024} MB"
        "（一年的节假日安排通常不到 10 KB），请确认选对了文件。"
    )


def read_calendar_file(path: str | os.PathLike[str], *, year: int | None = None) -> CalendarImport:
    """Read and parse a calendar file; every problem is a ``ValidationError`` naming the file."""
    source = Path(path)
    try:
        size = source.stat().st_size
        if size > MAX_BYTES:
            raise _invalid(f"“{source.name}”：{_too_big(size)}")
        data = source.read_bytes()
    except FileNotFoundError as exc:
        raise _invalid(f"找不到文件“{source}”，请重新选择。") from exc
    except OSError as exc:
        raise _invalid(
            f"无法读取文件“{source}”（{exc.strerror or exc}），请检查文件权限后重试。"
        ) from exc
    try:
        return parse_calendar_bytes(data, source.suffix, year=year)
    except SeveralYearsError as exc:
        raise SeveralYearsError(f"“{source.name}”：{exc.message}", exc.years) from exc
    except ValidationError as exc:
        raise _invalid(f"“{source.name}”：{exc.message}") from exc


def import_calendar(
    cf: CaseFile,
    path: str | os.PathLike[str],
    *,
    actor: str | None = None,
    year: int | None = None,
) -> CalendarImported:
    """Read a calendar file and add its year to the case file's calendar (one transaction).

    Weekend rest days and weekday working days are left out first (``CalendarImport.notes``).
    The year must not be in the calendar yet (``add_calendar_year`` says so otherwise);
    derived clocks of every case are recomputed on next use.
    """
    from firecase.services.settings import add_calendar_year

    parsed = read_calendar_file(path, year=year)
    view = add_calendar_year(cf, parsed.year, parsed.days, actor=actor)
    return CalendarImported(parsed, view)


def import_calendar_file(
    cf: CaseFile,
    path: str | os.PathLike[str],
    *,
    actor: str | None = None,
    year: int | None = None,
) -> CalendarView:
    """``import_calendar``, returning only the calendar after the import."""
    return import_calendar(cf, path, actor=actor, year=year).view


def missing_years(covered: tuple[int, ...], today: dt.date) -> tuple[int, ...]:
    """Years between the first covered year and next year that the calendar lacks."""
    if not covered:
        return (today.year, today.year + 1)
    last = max(max(covered), today.year + 1)
    return tuple(y for y in range(min(covered), last + 1) if y not in covered)


# ---------------------------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------------------------

_KIND_LABEL = {HOLIDAY: "法定节假日", WORKDAY: "调休上班日"}
_HEADER_ROW = ("日期", "类型", "名称", "星期")


def _rows(days: Sequence[CalendarDayView]) -> list[tuple[dt.date, str, str, str]]:
    return [(d.day, _KIND_LABEL[d.kind], d.name, f"星期{_WEEKDAYS[d.day.weekday()]}") for d in days]


def _csv_bytes(year: int, days: Sequence[CalendarDayView]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)  # "\r\n" line ends, as Excel writes them
    writer.writerow(_HEADER_ROW)
    writer.writerows((day.isoformat(), *rest) for day, *rest in _rows(days))
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def _xlsx_bytes(year: int, days: Sequence[CalendarDayView]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{year}年节假日"
    sheet.append(_HEADER_ROW)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _rows(days):
        sheet.append(row)
        sheet.cell(row=sheet.max_row, column=1).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCD", (14, 12, 16, 8), strict=True):
        sheet.column_dimensions[column].width = width
    book.properties.creator = "FireCase"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _ics_bytes(year: int, days: Sequence[CalendarDayView]) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//FireCase//节假日日历//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{year} 年节假日安排")
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for d in days:
        marker = "休" if d.kind == HOLIDAY else "班"
        event = Event()
        event.add("uid", f"{d.day.strftime('%Y%m%d')}-{d.kind}@firecase")
        event.add("dtstamp", stamp)
        event.add("dtstart", d.day)
        event.add("dtend", d.day + dt.timedelta(days=1))
        event.add("summary", f"{d.name} {marker}" if d.name else marker)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def _json_bytes(year: int, days: Sequence[CalendarDayView]) -> bytes:
    data = {
        "source": f"FireCase 导出的 {year} 年节假日安排",
        "years": [year],
        "holidays": {d.day.isoformat(): d.name for d in days if d.kind == HOLIDAY},
        "workdays": {d.day.isoformat(): d.name for d in days if d.kind == WORKDAY},
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


_WRITERS = {".csv": _csv_bytes, ".xlsx": _xlsx_bytes, ".ics": _ics_bytes, ".json": _json_bytes}


def export_calendar_year(
    cf: CaseFile, year: int, path: str | os.PathLike[str], *, actor: str | None = None
) -> Path:
    """Write the stored ``year`` to ``path`` as .csv (UTF-8 with BOM), .xlsx, .ics or .json,
    chosen by its suffix; importing the file gives the year back. Returns the path written."""
    from firecase.services.settings import get_calendar

    target = Path(path)
    writer = _WRITERS.get(target.suffix.lower())
    if writer is None:
        raise _invalid("导出文件的扩展名应为 .csv、.xlsx、.ics 或 .json。")
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValidationError("年份应为整数。", field="year")
    view = get_calendar(cf, actor=actor)
    if year not in view.years:
        raise ValidationError(f"{year} 年不在日历中，无法导出。", field="year")
    data = writer(year, [d for d in view.days if d.day.year == year])
    partial = target.with_name(f".{target.name}.part")
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise _invalid(
            f"无法写入文件“{target}”（{exc.strerror or exc}），请换一个位置或关闭占用它的程序。"
        ) from exc
    return target
