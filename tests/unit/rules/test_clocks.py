"""R6 clocks: start day not counted, rolling (民法典第二百零三条), appraisal exclusion, status.

Dates worked by hand are commented where they are asserted.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, strategies as st

from firecase.rules import (
    CalendarYearMissing,
    Clock,
    ClockKind,
    ClockStatus,
    RuleError,
    WorkdayCalendar,
    evaluation_clock,
    excluded_days,
    grade_change_clock,
    handling_clock,
    handling_due,
    investigation_clock,
    investigation_due,
    merge_intervals,
    rectification_clock,
    reply_clock,
    reply_due,
)

D = dt.date
CAL = WorkdayCalendar.bundled()
FIRE = D(2024, 1, 1)  # 2024-01-01 + 60 days = 2024-03-01 (Friday)


# ------------------------------------------------------------------ handling (30 days, rolled)


def test_handling_due_on_national_day_rolls_to_next_workday() -> None:
    # 2024-09-01 + 30 days = 2024-10-01 (国庆节); 10-01..10-07 are holidays -> 10-08 (Tuesday)
    clock = handling_clock(D(2024, 9, 1))
    assert clock.raw_due == D(2024, 10, 1)
    assert clock.due == D(2024, 10, 8)
    assert handling_due(D(2024, 9, 1)) == D(2024, 10, 8)
    assert "顺延" in clock.explanation and "民法典第二百零三条" in clock.explanation
    assert "起算日不计入" in clock.explanation


def test_handling_due_on_makeup_saturday_does_not_roll() -> None:
    # 2024-09-12 + 30 days = 2024-10-12, a Saturday made a working day (国庆节调休)
    clock = handling_clock(D(2024, 9, 12))
    assert clock.due == D(2024, 10, 12)
    assert "调休上班日" in clock.explanation
    assert "顺延至" not in clock.explanation


def test_rolling_can_be_turned_off() -> None:
    assert handling_due(D(2024, 9, 1), roll_to_workday=False) == D(2024, 10, 1)
    clock = handling_clock(D(2024, 9, 1), roll_to_workday=False)
    assert "不因法定休假日顺延" in clock.explanation


def test_ordinary_weekend_rolls_to_monday() -> None:
    # 2024-10-15 + 30 = 2024-11-14 (Thursday); 2024-10-20 + 30 = 2024-11-19; 2024-10-17 + 30 =
    # 2024-11-16 (Saturday) -> 2024-11-18 (Monday)
    assert handling_due(D(2024, 10, 15)) == D(2024, 11, 14)
    assert handling_due(D(2024, 10, 17)) == D(2024, 11, 18)


def test_no_calendar_needed_when_not_rolling() -> None:
    assert handling_due(D(2027, 5, 1), roll_to_workday=False) == D(2027, 5, 31)
    with pytest.raises(CalendarYearMissing):
        handling_due(D(2027, 5, 1))


def test_custom_calendar_is_used() -> None:
    cal = WorkdayCalendar([2027], {D(2027, 5, 31): "测试假日"})
    assert handling_due(D(2027, 5, 1), cal) == D(2027, 6, 1)


# ------------------------------------------------------------------ reply (15 working days)


def test_reply_across_national_day_worked_by_hand() -> None:
    # Received Friday 2024-09-20 (not counted). Working days: 09-23(1) 24(2) 25(3) 26(4) 27(5)
    # 09-29 Sun make-up(6) 09-30(7) | 10-01..10-07 国庆节 | 10-08(8) 09(9) 10(10) 11(11)
    # 10-12 Sat make-up(12) 10-14(13) 15(14) 16(15)  -> 2024-10-16
    assert reply_due(D(2024, 9, 20)) == D(2024, 10, 16)
    clock = reply_clock(D(2024, 9, 20))
    assert clock.due == D(2024, 10, 16)
    assert clock.kind is ClockKind.REPLY
    assert clock.basis.startswith("第十九条")
    assert "国庆节" in clock.explanation
    assert "2024年9月29日" in clock.explanation and "2024年10月12日" in clock.explanation


def test_reply_ordinary_weeks() -> None:
    # Monday 2024-11-04 + 15 working days = three full weeks -> Monday 2024-11-25
    assert reply_due(D(2024, 11, 4)) == D(2024, 11, 25)


def test_reply_crossing_into_2027_raises() -> None:
    with pytest.raises(CalendarYearMissing) as info:
        reply_due(D(2026, 12, 20))
    assert info.value.year == 2027
    assert "2027" in info.value.message
    with pytest.raises(CalendarYearMissing):
        reply_clock(D(2026, 12, 20))


def test_reply_inside_2026_works() -> None:
    assert reply_due(D(2026, 11, 2)) == D(2026, 11, 23)


# ------------------------------------------------------------------ investigation (第十七条)


def test_investigation_plain_60_days() -> None:
    clock = investigation_clock(FIRE)
    assert clock.due == D(2024, 3, 1)
    assert clock.length == "60日"
    assert clock.basis.startswith("第十七条")
    assert investigation_due(FIRE) == D(2024, 3, 1)


def test_extension_60_ok_61_error() -> None:
    # 2024-01-01 + 120 days = 2024-04-30 (Tuesday, a working day)
    assert investigation_due(FIRE, extension_days=60) == D(2024, 4, 30)
    clock = investigation_clock(FIRE, extension_days=60)
    assert "延长60日" in clock.explanation and "合计120日" in clock.explanation
    with pytest.raises(RuleError, match="不得超过60日"):
        investigation_due(FIRE, extension_days=61)
    with pytest.raises(RuleError):
        investigation_due(FIRE, extension_days=-1)


def test_single_appraisal_excludes_opinion_minus_commissioned() -> None:
    # (01-10, 01-20] = 10 days; 03-01 + 10 = 03-11 (Monday)
    assert investigation_due(FIRE, excluded=[(D(2024, 1, 10), D(2024, 1, 20))]) == D(2024, 3, 11)


def test_overlapping_appraisals_counted_once() -> None:
    # (01-10, 01-20] ∪ (01-15, 01-25] = (01-10, 01-25] = 15 days (not 10 + 10)
    spans = [(D(2024, 1, 10), D(2024, 1, 20)), (D(2024, 1, 15), D(2024, 1, 25))]
    assert excluded_days(spans) == 15
    due = investigation_due(FIRE, excluded=spans, roll_to_workday=False)
    assert due == D(2024, 3, 16)  # 03-01 + 15; a Saturday
    assert investigation_due(FIRE, excluded=spans) == D(2024, 3, 18)  # rolled to Monday
    clock = investigation_clock(FIRE, appraisals=spans)
    assert "共扣除15日" in clock.explanation and "已合并" in clock.explanation


def test_adjacent_appraisals_not_double_counted() -> None:
    # second commissioned on the day the first's opinion came: (01-10,01-20] ∪ (01-20,01-30]
    spans = [(D(2024, 1, 10), D(2024, 1, 20)), (D(2024, 1, 20), D(2024, 1, 30))]
    assert merge_intervals(spans) == ((D(2024, 1, 10), D(2024, 1, 30)),)
    assert excluded_days(spans) == 20
    assert investigation_due(FIRE, excluded=spans) == D(2024, 3, 21)  # 03-01 + 20, Thursday


def test_disjoint_appraisals_add_up() -> None:
    spans = [(D(2024, 1, 10), D(2024, 1, 20)), (D(2024, 1, 21), D(2024, 1, 30))]
    assert excluded_days(spans) == 19
    assert investigation_due(FIRE, excluded=spans) == D(2024, 3, 20)


def test_same_day_opinion_excludes_nothing() -> None:
    assert investigation_due(FIRE, excluded=[(D(2024, 1, 10), D(2024, 1, 10))]) == D(2024, 3, 1)


def test_interval_ending_before_start_is_an_error() -> None:
    with pytest.raises(RuleError, match="早于委托日期"):
        investigation_due(FIRE, excluded=[(D(2024, 1, 20), D(2024, 1, 10))])
    with pytest.raises(RuleError):
        merge_intervals([(D(2024, 1, 20), D(2024, 1, 19))])


def test_appraisal_before_fire_is_an_error() -> None:
    with pytest.raises(RuleError, match="早于火灾发生日期"):
        investigation_due(FIRE, excluded=[(D(2023, 12, 31), D(2024, 1, 5))])


def test_open_appraisal_pauses_the_clock() -> None:
    # counted 01-02..02-01 = 31 days before the pause; 29 left
    clock = investigation_clock(FIRE, appraisals=[(D(2024, 2, 1), None)])
    assert clock.paused
    assert clock.due is None
    assert clock.remaining_days == 29
    assert clock.days_left(D(2024, 2, 10)) is None
    assert clock.status(D(2024, 2, 10)) is ClockStatus.PAUSED
    assert "暂停" in clock.explanation and "尚余29日" in clock.explanation
    with pytest.raises(RuleError, match="暂停"):
        investigation_due(FIRE, excluded=[(D(2024, 2, 1), None)])  # type: ignore[list-item]


def test_open_appraisal_inside_a_closed_one_pauses_from_the_closed_start() -> None:
    clock = investigation_clock(
        FIRE, appraisals=[(D(2024, 1, 10), D(2024, 1, 20)), (D(2024, 1, 15), None)]
    )
    assert clock.paused
    assert clock.remaining_days == 60 - 9  # counted 01-02..01-10


def test_closed_opinion_resumes_the_clock() -> None:
    paused = investigation_clock(FIRE, appraisals=[(D(2024, 2, 1), None)])
    resumed = investigation_clock(FIRE, appraisals=[(D(2024, 2, 1), D(2024, 2, 11))])
    assert paused.remaining_days == 29
    assert resumed.due == D(2024, 2, 11) + dt.timedelta(days=29)  # 2024-03-11


def test_appraisal_commissioned_after_the_period_ran_out_changes_nothing() -> None:
    clock = investigation_clock(FIRE, appraisals=[(D(2024, 3, 5), None)])
    assert not clock.paused
    assert clock.due == D(2024, 3, 1)
    assert "届满后委托" in clock.explanation
    late = investigation_clock(FIRE, appraisals=[(D(2024, 3, 5), D(2024, 3, 20))])
    assert late.due == D(2024, 3, 1)


def test_appraisal_commissioned_on_the_last_day_still_counts() -> None:
    # commissioned 03-01 (the 60th day) with opinion 03-05: excludes 4 days -> 03-05
    assert investigation_due(FIRE, excluded=[(D(2024, 3, 1), D(2024, 3, 5))]) == D(2024, 3, 5)


def test_investigation_due_rolls_over_national_day() -> None:
    # fire 2024-08-02 + 60 = 2024-10-01 -> 2024-10-08
    assert investigation_due(D(2024, 8, 2)) == D(2024, 10, 8)
    assert investigation_due(D(2024, 8, 2), roll_to_workday=False) == D(2024, 10, 1)
    # fire 2024-08-13 + 60 = 2024-10-12 (make-up Saturday) -> stays
    assert investigation_due(D(2024, 8, 13)) == D(2024, 10, 12)


# ------------------------------------------------------------------ other clocks


def test_grade_change_window() -> None:
    clock = grade_change_clock(D(2024, 9, 24))
    assert clock.due == D(2024, 10, 1)  # a window, not an act: never rolled
    assert clock.basis.startswith("第四条")
    assert "起算日不计入" in clock.explanation


def test_evaluation_one_year() -> None:
    assert evaluation_clock(D(2023, 6, 15)).due == D(2024, 6, 17)  # 2024-06-15 is a Saturday
    leap = evaluation_clock(D(2024, 2, 29))
    assert leap.raw_due == D(2025, 2, 28)
    assert "第二百零二条" in leap.explanation
    assert evaluation_clock(D(2023, 10, 1)).due == D(2024, 10, 8)
    assert evaluation_clock(D(2023, 10, 1), roll_to_workday=False).due == D(2024, 10, 1)
    assert evaluation_clock(D(2023, 10, 1)).basis.startswith("第二十二条")


def test_rectification_as_set() -> None:
    clock = rectification_clock(D(2024, 9, 1), D(2024, 10, 1))
    assert clock.due == D(2024, 10, 1)  # as set by the authority
    assert clock.basis == "第二十四条"
    with pytest.raises(RuleError):
        rectification_clock(D(2024, 9, 1), D(2024, 8, 31))
    # the lawyer's finding: "责令限期整改" is a power 第二十四条 does not give; the office 督促
    assert "责令" not in clock.explanation and "督促限期整改" in clock.explanation


def test_status_and_days_left() -> None:
    clock = handling_clock(D(2024, 9, 12))  # due 2024-10-12
    assert clock.days_left(D(2024, 10, 1)) == 11
    assert clock.status(D(2024, 10, 1)) is ClockStatus.RUNNING
    assert clock.status(D(2024, 10, 5)) is ClockStatus.DUE_SOON
    assert clock.status(D(2024, 10, 12)) is ClockStatus.DUE_SOON
    assert clock.days_left(D(2024, 10, 12)) == 0
    assert clock.status(D(2024, 10, 13)) is ClockStatus.OVERDUE
    assert clock.days_left(D(2024, 10, 14)) == -2
    assert clock.status(D(2024, 10, 20), done_on=D(2024, 10, 20)) is ClockStatus.DONE
    assert clock.is_overdue(D(2024, 10, 20), done_on=D(2024, 10, 20))
    assert not clock.is_overdue(D(2024, 10, 20), done_on=D(2024, 10, 12))
    assert clock.status(D(2024, 10, 1), soon_days=20) is ClockStatus.DUE_SOON


def test_labels_are_chinese() -> None:
    assert ClockKind.INVESTIGATION.label == "调查期限"
    assert {s.value for s in ClockStatus} >= {"进行中", "已逾期", "已完成"}
    assert all(k.label for k in ClockKind)
    assert isinstance(reply_clock(D(2024, 9, 20)), Clock)


def test_datetime_rejected() -> None:
    with pytest.raises(RuleError):
        handling_due(dt.datetime(2024, 9, 1, 8, 0))


# ------------------------------------------------------------------ properties

days = st.dates(min_value=D(2004, 1, 1), max_value=D(2025, 6, 30))
offsets = st.integers(min_value=0, max_value=200)
lengths = st.integers(min_value=0, max_value=40)
intervals = st.lists(st.tuples(offsets, lengths), max_size=6)


def _spans(base: dt.date, raw: list[tuple[int, int]]) -> list[tuple[dt.date, dt.date]]:
    return [(base + dt.timedelta(days=o), base + dt.timedelta(days=o + n)) for o, n in raw]


@given(days, intervals)
def test_merging_never_counts_a_day_twice(base: dt.date, raw: list[tuple[int, int]]) -> None:
    spans = _spans(base, raw)
    covered = {s + dt.timedelta(days=i) for s, e in spans for i in range(1, (e - s).days + 1)}
    assert excluded_days(spans) == len(covered)
    merged = merge_intervals(spans)
    for (_, e1), (s2, _) in itertools.pairwise(merged):
        assert e1 < s2  # disjoint and not touching
    assert merge_intervals(merged) == merged


@given(days, intervals, st.integers(min_value=0, max_value=60))
def test_due_matches_spec_formula_for_appraisals_within_the_period(
    fire: dt.date, raw: list[tuple[int, int]], ext: int
) -> None:
    total = 60 + ext
    spans = [(s, e) for s, e in _spans(fire, raw) if s <= fire + dt.timedelta(days=total)]
    due = investigation_due(fire, extension_days=ext, excluded=spans, roll_to_workday=False)
    assert due == fire + dt.timedelta(days=total + excluded_days(spans))


@given(days, intervals)
def test_investigation_due_is_monotone_in_extension(
    fire: dt.date, raw: list[tuple[int, int]]
) -> None:
    spans = _spans(fire, raw)
    a = investigation_due(fire, extension_days=0, excluded=spans, roll_to_workday=False)
    b = investigation_due(fire, extension_days=30, excluded=spans, roll_to_workday=False)
    assert a < b


@given(days)
def test_rolled_due_is_the_first_workday_on_or_after_the_last_day(start: dt.date) -> None:
    clock = handling_clock(start)
    assert clock.raw_due == start + dt.timedelta(days=30)
    assert clock.due is not None and clock.raw_due is not None
    assert CAL.is_workday(clock.due)
    assert clock.due >= clock.raw_due
    gap = (clock.due - clock.raw_due).days
    assert all(CAL.is_rest_day(clock.raw_due + dt.timedelta(days=i)) for i in range(gap))
    assert investigation_clock(start).due == investigation_due(start)
    assert reply_clock(start).due == reply_due(start)


# --------------------------------------------------------------------- done after the due date


def test_late_days_at_the_due_date_boundary() -> None:
    from firecase.rules import late_days

    due = dt.date(2026, 3, 2)
    assert late_days(due, due) == 0  # done on the last day: in time
    assert late_days(due, due - dt.timedelta(days=5)) == 0
    assert late_days(due, due + dt.timedelta(days=1)) == 1
    assert late_days(due, dt.date(2026, 4, 1)) == 30
    assert late_days(due, None) == 0  # not done yet: that is 已逾期, not 逾期完成
    assert late_days(None, due) == 0  # paused or not computable: nothing to compare


@given(st.dates(dt.date(2004, 1, 1), dt.date(2030, 12, 31)), st.integers(-400, 400))
def test_late_days_agrees_with_is_overdue(due: dt.date, offset: int) -> None:
    from firecase.rules import late_days

    done = due + dt.timedelta(days=offset)
    clock = handling_clock(due - dt.timedelta(days=30), roll_to_workday=False)
    assert clock.due == due
    assert late_days(due, done) == max(offset, 0)
    assert (late_days(due, done) > 0) == clock.is_overdue(done, done_on=done)
