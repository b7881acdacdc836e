"""R6 working-day calendar: bundled data, make-up days, missing years, user edits, properties."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, strategies as st

from firecase.paths import resource
from firecase.rules import CalendarYearMissing, RuleError, WorkdayCalendar

CAL = WorkdayCalendar.bundled()


def test_bundled_covers_2004_to_2026() -> None:
    assert CAL.years == tuple(range(2004, 2027))
    assert WorkdayCalendar.bundled() is CAL  # loaded once


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        (dt.date(2024, 10, 1), False),  # 国庆节
        (dt.date(2024, 10, 7), False),  # 国庆节 (Monday)
        (dt.date(2024, 10, 8), True),
        (dt.date(2024, 9, 29), True),  # make-up Sunday
        (dt.date(2024, 10, 12), True),  # make-up Saturday
        (dt.date(2024, 10, 13), False),  # ordinary Sunday
        (dt.date(2024, 10, 11), True),  # ordinary Friday
        (dt.date(2015, 9, 3), False),  # 抗战胜利70周年纪念日
        (dt.date(2026, 1, 1), False),
    ],
)
def test_is_workday(day: dt.date, workday: bool) -> None:
    assert CAL.is_workday(day) is workday
    assert CAL.is_rest_day(day) is not workday


def test_names_and_descriptions() -> None:
    assert CAL.holiday_name(dt.date(2024, 10, 1)) == "国庆节"
    assert CAL.makeup_name(dt.date(2024, 10, 12)) == "国庆节"
    assert CAL.describe(dt.date(2024, 10, 12)) == "国庆节调休上班日"
    assert CAL.describe(dt.date(2024, 10, 1)) == "国庆节假日"
    assert CAL.describe(dt.date(2024, 10, 13)) == "周末"
    assert CAL.holiday_name(dt.date(2024, 10, 8)) is None


@pytest.mark.parametrize(
    "call",
    [
        lambda: CAL.is_workday(dt.date(2027, 1, 4)),
        lambda: CAL.is_workday(dt.date(2003, 12, 31)),
        lambda: CAL.add_workdays(dt.date(2026, 12, 25), 10),
        lambda: CAL.add_workdays(dt.date(2027, 1, 1), 0),
    ],
)
def test_missing_year_raises(call: object) -> None:
    with pytest.raises(CalendarYearMissing) as info:
        call()  # type: ignore[operator]
    assert isinstance(info.value, RuleError)
    assert "年的数据" in info.value.message
    assert "设置 → 节假日日历" in info.value.message


def test_missing_year_message_names_the_year() -> None:
    with pytest.raises(CalendarYearMissing) as info:
        CAL.is_workday(dt.date(2027, 3, 1))
    assert info.value.year == 2027
    assert str(info.value) == "节假日日历缺少2027年的数据，请在 设置 → 节假日日历 中导入该年数据"


def test_add_workdays_start_not_counted() -> None:
    assert CAL.add_workdays(dt.date(2024, 10, 11), 0) == dt.date(2024, 10, 11)
    assert CAL.add_workdays(dt.date(2024, 10, 11), 1) == dt.date(2024, 10, 12)  # make-up Sat
    assert CAL.add_workdays(dt.date(2024, 9, 30), 1) == dt.date(2024, 10, 8)
    with pytest.raises(RuleError):
        CAL.add_workdays(dt.date(2024, 9, 30), -1)


def test_constructor_and_overrides() -> None:
    cal = WorkdayCalendar([2027], {dt.date(2027, 1, 1): "元旦"}, [dt.date(2027, 1, 2)])
    assert not cal.is_workday(dt.date(2027, 1, 1))
    assert cal.is_workday(dt.date(2027, 1, 2))  # Saturday made a workday
    assert cal.is_workday(dt.date(2027, 1, 4))
    edited = cal.with_overrides(
        holidays={dt.date(2027, 1, 4): "调整"},
        workdays=[dt.date(2027, 1, 1)],
        normal_days=[dt.date(2027, 1, 2)],
    )
    assert edited.is_workday(dt.date(2027, 1, 1))
    assert not edited.is_workday(dt.date(2027, 1, 2))
    assert not edited.is_workday(dt.date(2027, 1, 4))
    assert cal.is_workday(dt.date(2027, 1, 4))  # original unchanged
    with pytest.raises(CalendarYearMissing):
        edited.is_workday(dt.date(2028, 1, 3))
    imported = CAL.with_overrides(years=[2027], holidays={dt.date(2027, 1, 1): "元旦"})
    assert imported.years[-1] == 2027
    assert imported.is_workday(dt.date(2024, 10, 12))


def test_day_outside_years_rejected() -> None:
    with pytest.raises(RuleError):
        WorkdayCalendar([2027], [dt.date(2028, 1, 1)])


def test_json_round_trip() -> None:
    again = WorkdayCalendar.from_json_dict(CAL.to_json_dict())
    assert again == CAL
    with pytest.raises(RuleError, match="格式"):
        WorkdayCalendar.from_json_dict({"years": [2024]})


def test_bundled_file_structure() -> None:
    data = json.loads(resource("calendars", "cn_workdays.json").read_text(encoding="utf-8"))
    assert data["years"] == list(range(2004, 2027))
    assert data["holidays"]["2024-10-01"] == "国庆节"
    assert data["workdays"]["2024-10-12"] == "国庆节"
    assert "chinese_calendar 1.11.0" in data["source"]


covered_days = st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2025, 12, 31))
small = st.integers(min_value=0, max_value=120)


@given(covered_days, small, small)
def test_add_workdays_is_monotone(start: dt.date, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert CAL.add_workdays(start, low) <= CAL.add_workdays(start, high)
    if low < high:
        assert CAL.add_workdays(start, low) < CAL.add_workdays(start, high)


@given(covered_days, st.integers(min_value=1, max_value=120))
def test_add_workdays_lands_on_a_workday_and_counts_exactly(start: dt.date, n: int) -> None:
    end = CAL.add_workdays(start, n)
    assert end > start
    assert CAL.is_workday(end)
    assert CAL.workdays_between(start, end) == n


@given(covered_days)
def test_next_workday(day: dt.date) -> None:
    nxt = CAL.next_workday(day)
    assert CAL.is_workday(nxt)
    assert all(not CAL.is_workday(day + dt.timedelta(i)) for i in range((nxt - day).days))
