"""Reading typed dates and judging their plausibility (``firecase.ui.parsing``, no Qt).

Properties: every date written in each accepted style reads back as itself; whatever text
is read as a date is one of that date's accepted spellings (garbage never becomes a date);
the plausibility doubts name exactly the dates before the fire, in the future, or a year
from their neighbour.
"""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from firecase.ui.parsing import (
    DATE_STYLES,
    MAX_YEAR,
    MIN_YEAR,
    DatedValue,
    InputError,
    add_years,
    date_doubts,
    date_in_words,
    date_spellings,
    format_date,
    normalise_date_text,
    parse_date,
)

DAY = dt.date(2024, 10, 15)
dates = st.dates(min_value=dt.date(MIN_YEAR, 1, 1), max_value=dt.date(MAX_YEAR, 12, 31))


@pytest.mark.parametrize(
    "text",
    [
        "2024-10-15",
        "2024/10/15",
        "2024.10.15",
        "2024年10月15日",
        "20241015",
        "2024年10月15",
        "2024年10月15号",
        " 2024-10-15 ",
        "2024 年 10 月 15 日",
        "２０２４－１０－１５",  # full-width, as some input methods type
        "２０２４年１０月１５日",
        "2024。10。15",
    ],
)
def test_each_way_of_writing_a_date_reads_as_that_date(text: str) -> None:
    assert parse_date(text, "起火日期") == DAY


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-1-5", dt.date(2024, 1, 5)),
        ("2024/1/5", dt.date(2024, 1, 5)),
        ("2024.1.05", dt.date(2024, 1, 5)),
        ("2024年1月5日", dt.date(2024, 1, 5)),
        ("2027-01-05", dt.date(2027, 1, 5)),  # a year ahead stays that year
        ("2024-02-29", dt.date(2024, 2, 29)),
    ],
)
def test_months_and_days_may_be_written_without_a_zero(text: str, day: dt.date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "起火日期“abc”无法识别为日期，请写成 2024-10-15"),
        ("2024-10", "无法识别为日期"),
        ("2024-10-15-1", "无法识别为日期"),
        ("2024-10/15", "无法识别为日期"),  # two different marks: not guessed
        ("15/10/2024", "无法识别为日期"),  # day first: not guessed
        ("2024101", "无法识别为日期"),
        ("202410150", "无法识别为日期"),
        ("24-10-15", "年份请写全四位"),
        ("24年10月15日", "年份请写全四位"),
        ("2024-13-01", "月份应为 1–12"),
        ("2024-00-10", "月份应为 1–12"),
        ("2023-02-29", "2023年2月只有28天"),
        ("2024-04-31", "2024年4月只有30天"),
        ("2024-10-00", "2024年10月只有31天"),
        ("1899-12-31", "超出可记录的范围"),
        ("2200-01-01", "超出可记录的范围"),
    ],
)
def test_a_text_that_is_no_date_is_refused_saying_why(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_date(text, "起火日期")
    assert message in caught.value.message


def test_an_empty_date_is_refused_when_required_and_none_when_optional() -> None:
    with pytest.raises(InputError, match="请填写批准日期"):
        parse_date("  ", "批准日期")
    assert parse_date("", "批准日期", required=False) is None
    assert parse_date("   ", "批准日期", required=False) is None


def test_a_long_text_is_shortened_in_the_message() -> None:
    with pytest.raises(InputError) as caught:
        parse_date("这" * 60, "日期")
    assert "…" in caught.value.message
    assert len(caught.value.message) < 120


def test_the_date_in_words_names_the_weekday() -> None:
    assert date_in_words(DAY) == "2024年10月15日 星期二"
    assert date_in_words(dt.date(2024, 1, 7)) == "2024年1月7日 星期日"
    assert date_in_words(dt.date(2024, 1, 1)) == "2024年1月1日 星期一"


@given(dates, st.sampled_from(DATE_STYLES))
def test_every_date_in_every_style_reads_back_as_itself(day: dt.date, style: str) -> None:
    text = format_date(day, style)
    assert parse_date(text) == day
    assert normalise_date_text(text) in date_spellings(day)


@given(dates)
def test_every_spelling_of_a_date_reads_as_that_date(day: dt.date) -> None:
    for text in date_spellings(day):
        assert parse_date(text) == day


_GARBAGE = st.text(alphabet=st.sampled_from("0123456789-/.年月日号 ０１－／abc:"), max_size=14)


@given(st.one_of(_GARBAGE, st.text(max_size=20)))
def test_garbage_never_becomes_a_date(text: str) -> None:
    """A text is read as a date only when it is one of that date's spellings; otherwise it
    is refused with a message (never an exception of another kind)."""
    try:
        day = parse_date(text, required=False)
    except InputError as exc:
        assert exc.message
        return
    if day is None:
        assert normalise_date_text(text) == ""
    else:
        assert normalise_date_text(text) in date_spellings(day)


# -- plausibility -------------------------------------------------------------------------

FIRE = dt.date(2026, 3, 10)
TODAY = dt.date(2026, 6, 1)


def _keys(dated: list[DatedValue]) -> list[str]:
    return [d.key for d in date_doubts(dated, fire_date=FIRE, today=TODAY)]


def test_plausible_dates_raise_no_doubt() -> None:
    dated = [
        DatedValue("requested_on", "申请日期", dt.date(2026, 4, 1)),
        DatedValue("approved_on", "批准日期", dt.date(2026, 4, 20)),
    ]
    assert date_doubts(dated, fire_date=FIRE, today=TODAY) == ()


def test_a_date_before_the_fire_is_doubted_with_both_dates_named() -> None:
    doubts = date_doubts(
        [DatedValue("as_of", "伤亡发生日期", dt.date(2026, 3, 1))], fire_date=FIRE, today=TODAY
    )
    assert [d.key for d in doubts] == ["as_of"]
    assert doubts[0].message == "伤亡发生日期（2026年3月1日）早于起火日期（2026年3月10日）。"


def test_a_date_in_the_future_is_doubted_unless_it_is_a_deadline() -> None:
    later = dt.date(2026, 7, 1)
    assert _keys([DatedValue("done_on", "完成日期", later)]) == ["done_on"]
    assert _keys([DatedValue("deadline", "整改期限", later, future_ok=True)]) == []
    assert _keys([DatedValue("done_on", "完成日期", TODAY)]) == []  # today is not the future
    message = date_doubts([DatedValue("d", "批准日期", later)], fire_date=None, today=TODAY)
    assert message[0].message == "批准日期（2026年7月1日）晚于今天（2026年6月1日）。"


def test_a_date_a_year_from_its_neighbour_is_doubted() -> None:
    dated = [
        DatedValue("requested_on", "申请日期", dt.date(2025, 4, 1)),
        DatedValue("approved_on", "批准日期", dt.date(2026, 4, 2)),
    ]
    doubts = date_doubts(dated, fire_date=None, today=TODAY)
    assert [d.key for d in doubts] == ["approved_on"]
    assert "与申请日期（2025年4月1日）相隔一年以上（366天）" in doubts[0].message
    # exactly a year apart is still plausible
    dated[1] = DatedValue("approved_on", "批准日期", dt.date(2026, 4, 1))
    assert date_doubts(dated, fire_date=None, today=TODAY) == ()


def test_the_records_own_fire_date_is_the_one_compared() -> None:
    fire = DatedValue("fire_date", "起火日期", dt.date(2026, 5, 1), is_fire_date=True)
    found = date_doubts([fire], fire_date=FIRE, today=TODAY)
    assert found == ()  # not "before the fire" by the old fire date
    judged = DatedValue("deemed_on", "决定日期", dt.date(2026, 4, 1))
    doubts = date_doubts([fire, judged], fire_date=FIRE, today=TODAY)
    assert [d.key for d in doubts] == ["deemed_on"]
    assert "早于起火日期（2026年5月1日）" in doubts[0].message


@given(st.lists(dates, min_size=1, max_size=5), dates, dates)
def test_a_doubt_names_exactly_what_is_wrong(
    days: list[dt.date], fire: dt.date, today: dt.date
) -> None:
    dated = [DatedValue(f"d{i}", f"日期{i}", d) for i, d in enumerate(days)]
    doubts = date_doubts(dated, fire_date=fire, today=today)
    expected = sum(d < fire for d in days) + sum(d > today for d in days)
    expected += sum(max(a, b) > add_years(min(a, b), 1) for a, b in itertools.pairwise(days))
    assert len(doubts) == expected
    assert all(d.message.endswith("。") for d in doubts)


def test_add_years_keeps_the_day_or_takes_the_last_of_february() -> None:
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert add_years(DAY, 1) == dt.date(2025, 10, 15)


def test_the_parsing_module_imports_without_qt() -> None:
    code = (
        "import sys, firecase.ui.parsing\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[3])
