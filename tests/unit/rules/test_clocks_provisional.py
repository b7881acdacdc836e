"""Provisional dates for a year the calendar lacks, and dates that name the calendar
entries they used."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from firecase.rules import (
    CalendarYearMissing,
    WorkdayCalendar,
    handling_clock,
    investigation_clock,
    provisional_note,
    reply_clock,
    with_provisional,
)
from firecase.rules.clocks import calendar_entries

D = dt.date
CAL_2026 = WorkdayCalendar(
    [2026],
    {D(2026, 10, d): "国庆节" for d in (1, 2, 5, 6, 7, 8)},
    {D(2026, 9, 27): "国庆节", D(2026, 10, 10): "国庆节"},
)


def test_the_firm_rule_still_refuses_a_missing_year() -> None:
    with pytest.raises(CalendarYearMissing):
        reply_clock(D(2026, 12, 20), CAL_2026)


def test_a_missing_year_gives_a_provisional_date_with_weekends_only() -> None:
    clock, assumed = with_provisional(lambda c: reply_clock(D(2026, 12, 20), c), CAL_2026)
    assert assumed == (2027,)
    assert clock.due == D(2027, 1, 8)  # 2027-01-01 counted: not known as a holiday yet
    firm, none = with_provisional(lambda c: reply_clock(D(2026, 9, 20), c), CAL_2026)
    assert none == () and firm.due == reply_clock(D(2026, 9, 20), CAL_2026).due
    assert "暂定" in provisional_note(assumed) and "2027年" in provisional_note(assumed)


def test_days_entered_for_an_uncovered_year_are_used_but_cover_nothing() -> None:
    cal = WorkdayCalendar([2026], partial={D(2027, 1, 1): True})
    assert not cal.covers(2027)
    clock, assumed = with_provisional(lambda c: reply_clock(D(2026, 12, 20), c), cal)
    assert assumed == (2027,) and clock.due == D(2027, 1, 11)
    assumed_cal = cal.assuming([2027])
    assert not assumed_cal.covers(2027) and assumed_cal.assumed_years == (2027,)


def test_rolling_into_a_missing_year_is_provisional() -> None:
    # 30 days from 2026-12-02 end on 2027-01-01, which the calendar cannot judge
    clock, assumed = with_provisional(lambda c: handling_clock(D(2026, 12, 2), c), CAL_2026)
    assert assumed == (2027,) and clock.due == D(2027, 1, 1)
    # the lawyer's finding: "（工作日）" alone said 元旦 2027 is a working day
    assert "2027年节假日安排尚未导入" in clock.explanation
    firm = handling_clock(D(2026, 3, 2), CAL_2026)
    assert "尚未导入" not in firm.explanation


@given(st.dates(D(2026, 1, 1), D(2026, 12, 31)), st.integers(0, 60))
def test_a_provisional_date_is_never_before_the_weekend_only_count(
    fire: dt.date, extension: int
) -> None:
    clock, assumed = with_provisional(
        lambda c: investigation_clock(fire, extension_days=extension, calendar=c), CAL_2026
    )
    raw = fire + dt.timedelta(days=60 + extension)
    assert clock.due is not None and clock.due >= raw
    # 暂定 exactly when the last day falls in 2027 (2026-12-31 is a working day in CAL_2026)
    assert assumed == ((2027,) if raw.year > 2026 else ())


def test_a_working_day_count_names_the_calendar_entries_it_used() -> None:
    text = reply_clock(D(2026, 9, 25), CAL_2026).explanation
    assert "2026年9月27日（星期日）国庆节调休上班" in text
    assert "2026年10月1日至10月8日国庆节放假" in text  # the weekend 3–4 inside is bridged
    assert "2026年10月10日（星期六）国庆节调休上班" in text
    assert calendar_entries(CAL_2026, D(2026, 3, 1), D(2026, 3, 31)) == ""


def test_a_rolled_last_day_names_the_holiday_it_rolled_over() -> None:
    # 60 days from 2026-08-04 end on 2026-10-03 (Saturday inside the 国庆节 run)
    text = investigation_clock(D(2026, 8, 4), calendar=CAL_2026).explanation
    assert "国庆节放假" in text and "顺延" in text
