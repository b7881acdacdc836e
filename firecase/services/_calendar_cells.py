"""Calendar import: the limits, the result types, and reading one cell (a date, a kind, a
name)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from firecase.errors import ValidationError
from firecase.services.dto import CalendarDayInput, CalendarView

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
