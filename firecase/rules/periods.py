"""How periods are counted, shared by the clocks (:mod:`firecase.rules.clocks`).

The last day of a period and its roll to a working day (民法典第二百零三条), the calendar entries
a working-day count used, appraisal intervals merged and counted (第十七条第二款), and a period in
years (民法典第二百零二条). Pure Python; the clocks import these, and ``firecase.rules`` exports
``merge_intervals`` and ``excluded_days`` as before.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
from collections.abc import Iterable

from firecase.rules._common import check_date, fmt_date
from firecase.rules.errors import RuleError
from firecase.rules.workdays import WorkdayCalendar


def calendar_or_bundled(calendar: WorkdayCalendar | None) -> WorkdayCalendar:
    return calendar if calendar is not None else WorkdayCalendar.bundled()


def roll_last_day(
    raw: dt.date, calendar: WorkdayCalendar | None, roll_to_workday: bool
) -> tuple[dt.date, str]:
    """Apply 民法典第二百零三条 to the last day ``raw``; returns (due, Chinese sentence)."""
    if not roll_to_workday:
        return raw, f"期间最后一日为{fmt_date(raw)}；按设置，不因法定休假日顺延。"
    cal = calendar_or_bundled(calendar)
    if cal.is_workday(raw):
        kind = cal.describe(raw)
        note = "，不顺延" if kind != "工作日" else ""
        if raw.year in cal.assumed_years:
            # not known to be a working day: the year's holidays are not in the calendar
            note += (
                f"；{raw.year}年节假日安排尚未导入，暂按仅周末休息推算，"
                "导入后如该日为法定节假日则顺延"
            )
        return raw, f"期间最后一日为{fmt_date(raw)}（{kind}{note}）。"
    due = cal.next_workday(raw)
    entries = calendar_entries(cal, raw - dt.timedelta(days=1), due)
    used = f"所用节假日安排：{entries}；" if entries else ""
    return due, (
        f"期间最后一日{fmt_date(raw)}为{cal.describe(raw)}（法定休假日），{used}"
        f"顺延至其后的第一个工作日{fmt_date(due)}（民法典第二百零三条）。"
    )


_WEEKDAYS = "一二三四五六日"


def calendar_entries(calendar: WorkdayCalendar, start: dt.date, end: dt.date) -> str:
    """The calendar's entries in ``(start, end]`` that a working-day count used, so a date
    explains itself when the calendar changes under it (e.g. "2027年2月8日至2月12日春节放假；
    2027年2月20日（星期六）春节调休上班"); "" when there are none."""
    parts: list[str] = []
    run: list[dt.date] = []
    run_name = ""

    def close() -> None:
        if run:
            span = fmt_date(run[0])
            if len(run) > 1:
                last = run[-1]
                span += "至" + (
                    f"{last.month}月{last.day}日" if last.year == run[0].year else fmt_date(last)
                )
            parts.append(f"{span}{run_name}放假")
            run.clear()

    day = start
    while day < end:
        day += dt.timedelta(days=1)
        holiday = calendar.holiday_name(day)
        makeup = calendar.makeup_name(day)
        if holiday is not None:
            gap = run and all(
                (run[-1] + dt.timedelta(days=k)).weekday() >= 5
                for k in range(1, (day - run[-1]).days)
            )
            if run and (holiday != run_name or not gap):
                close()
            run.append(day)
            run_name = holiday
        elif makeup is not None:
            close()
            parts.append(f"{fmt_date(day)}（星期{_WEEKDAYS[day.weekday()]}）{makeup}调休上班")
    close()
    return "；".join(parts)


def check_nonneg_int(value: object, label: str, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleError(f"{label}必须是整数", field=field)
    if value < 0:
        raise RuleError(f"{label}不能为负数（输入为{value}）", field=field)
    return value


def merge_intervals(
    intervals: Iterable[tuple[dt.date, dt.date]],
) -> tuple[tuple[dt.date, dt.date], ...]:
    """Merge appraisal intervals ``(commissioned, opinion)`` into disjoint spans, sorted.

    Each interval stands for the days ``commissioned+1 … opinion``. Overlapping intervals and
    adjacent ones (one starts on the day the other ends) become one span; empty intervals
    (opinion on the day of commissioning) vanish. The number of excluded days is the sum of
    ``opinion − commissioned`` over the result, and no day is ever counted twice. Raises
    RuleError for an interval that ends before it starts.
    """
    cleaned: list[tuple[dt.date, dt.date]] = []
    for start, end in intervals:
        check_date(start, "检验、鉴定委托日期", "commissioned_on")
        check_date(end, "检验、鉴定意见日期", "opinion_on")
        if end < start:
            raise RuleError(
                f"检验、鉴定意见日期{fmt_date(end)}早于委托日期{fmt_date(start)}",
                field="opinion_on",
            )
        if end > start:
            cleaned.append((start, end))
    cleaned.sort()
    merged: list[tuple[dt.date, dt.date]] = []
    for start, end in cleaned:
        if merged and start <= merged[-1][1]:
            last_start, last_end = merged[-1]
            merged[-1] = (last_start, max(last_end, end))
        else:
            merged.append((start, end))
    return tuple(merged)


def excluded_days(intervals: Iterable[tuple[dt.date, dt.date]]) -> int:
    """Total days excluded by the intervals after merging (each day once)."""
    return sum((end - start).days for start, end in merge_intervals(intervals))


def add_years(day: dt.date, years: int) -> dt.date:
    year = day.year + years
    last = _stdcal.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))
