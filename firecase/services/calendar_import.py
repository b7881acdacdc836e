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

The limits, result types and the reading of one cell are in ``_calendar_cells``, the file
formats (CSV/text/sheets, JSON, iCalendar) in ``_calendar_formats``.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
from collections.abc import Sequence
from pathlib import Path

from firecase.errors import ValidationError
from firecase.services._calendar_cells import (
    _CONTROL_RE,
    _WEEKDAYS,
    FIELD as FIELD,
    FORMATS_HELP as FORMATS_HELP,
    HOLIDAY as HOLIDAY,
    KINDS as KINDS,
    MAX_BYTES as MAX_BYTES,
    MAX_RANGE_DAYS as MAX_RANGE_DAYS,
    MAX_ROWS as MAX_ROWS,
    WORKDAY as WORKDAY,
    CalendarImport as CalendarImport,
    CalendarImported as CalendarImported,
    SeveralYearsError as SeveralYearsError,
    _Entry,
    _invalid,
)
from firecase.services._calendar_formats import (
    _ics_entries,
    _json_entries,
    _split_text,
    _table_entries,
    _xlsx_rows,
)
from firecase.services.dto import CalendarDayInput, CalendarDayView, CalendarView
from firecase.store import CaseFile

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
