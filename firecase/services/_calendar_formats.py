"""Calendar import: the entries of each file format (CSV, text and sheets; JSON;
iCalendar)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from firecase.errors import ValidationError
from firecase.services._calendar_cells import (
    _BEIJING,
    _HEADER_DATE,
    _HEADER_KIND,
    _HEADER_NAME,
    _MAX_XLSX_UNPACKED,
    _NAME_MARKERS_RE,
    _STATUTORY,
    _TIME_RE,
    _WEEKDAY_RE,
    HOLIDAY,
    MAX_RANGE_DAYS,
    MAX_ROWS,
    WORKDAY,
    _as_date,
    _as_days,
    _date_problem,
    _dateish,
    _day,
    _Entry,
    _from_serial,
    _invalid,
    _kind,
    _kind_of,
    _name,
    _norm,
)

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
