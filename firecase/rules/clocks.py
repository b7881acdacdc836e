"""Statutory clocks (第四条, 第十七条, 第十九条, 第二十条, 第二十二条, 第二十四条): each returns a
:class:`Clock` with its due date and a Chinese explanation of how the date was computed.

How periods are counted (applies to every clock below):

* The start day is not counted (民法典第二百零一条): a period of N days starting on day S ends at
  the end of S + N.
* A calendar-day period whose last day is a statutory rest day (a weekend or holiday that is not
  a make-up working day) ends on the next working day (民法典第二百零三条), unless the caller
  passes ``roll_to_workday=False`` (a user setting). A period counted in working days (the
  15-working-day reply) always ends on a working day. The grade-change window (第四条) is a
  window in which casualty changes are counted, not a time limit for an act, so it never rolls;
  a rectification deadline is a date set by the authority and is kept as set.
* A period in years ends on the corresponding day of the final year; a 29 February start with no
  corresponding day ends on the last day of February (民法典第二百零二条).

Excluded appraisal time (第十七条第二款). An appraisal (检验、鉴定) commissioned on day C with its
opinion issued on day O excludes the days C+1 … O, i.e. ``O − C`` days: the day of commissioning
still counts as an investigation day, the day the opinion is issued does not (the clock resumes
the day after it). Intervals are merged as sets of days before they are counted, so overlapping
appraisals are never counted twice, and adjacent ones (the second commissioned on the day the
first's opinion is issued) join into one span with no day counted twice or lost. An appraisal
commissioned after the investigation period has already run out does not revive it. An appraisal
with no opinion yet pauses the clock from its commissioning: no due date, and ``remaining_days``
says how many investigation days are left.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum

from firecase.rules._common import check_date, fmt_date
from firecase.rules.errors import CalendarYearMissing, RuleError
from firecase.rules.periods import (
    add_years,
    calendar_entries as calendar_entries,
    calendar_or_bundled,
    check_nonneg_int,
    excluded_days as excluded_days,
    merge_intervals as merge_intervals,
    roll_last_day,
)
from firecase.rules.urgency import DUE_SOON_DAYS
from firecase.rules.workdays import WorkdayCalendar

INVESTIGATION_DAYS = 60
MAX_EXTENSION_DAYS = 60
REPLY_WORKDAYS = 15
HANDLING_DAYS = 30
GRADE_CHANGE_DAYS = 7
EVALUATION_YEARS = 1

START_NOT_COUNTED = "起算日不计入（民法典第二百零一条）"


class ClockKind(Enum):
    """Which statutory clock; ``.value`` is a stable key, ``.label`` the Chinese name."""

    GRADE_CHANGE = "grade_change"
    INVESTIGATION = "investigation"
    REPLY = "reply"
    HANDLING = "handling"
    EVALUATION = "evaluation"
    RECTIFICATION = "rectification"

    @property
    def label(self) -> str:
        """Chinese name of the clock, e.g. ``调查期限``."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ClockKind.GRADE_CHANGE: "等级变化报告期",
    ClockKind.INVESTIGATION: "调查期限",
    ClockKind.REPLY: "批复期限",
    ClockKind.HANDLING: "处理备案期限",
    ClockKind.EVALUATION: "整改评估期限",
    ClockKind.RECTIFICATION: "整改期限",
}


class ClockStatus(Enum):
    """Where a clock stands on a given day; ``.value`` is the Chinese label."""

    RUNNING = "进行中"
    DUE_SOON = "即将到期"
    OVERDUE = "已逾期"
    PAUSED = "暂停（检验、鉴定中）"
    DONE = "已完成"


@dataclass(frozen=True)
class Clock:
    """One statutory clock: when it started, when it is due, and how that was computed.

    ``due`` is None only while the clock is paused (an appraisal without an opinion).
    ``raw_due`` is the last day before rolling to a working day. ``remaining_days`` is set while
    paused: the investigation days still left when the clock resumes.
    """

    kind: ClockKind
    start: dt.date
    due: dt.date | None
    length: str
    explanation: str
    basis: str
    paused: bool = False
    raw_due: dt.date | None = None
    remaining_days: int | None = None

    @property
    def label(self) -> str:
        """Chinese name of the clock."""
        return self.kind.label

    def days_left(self, today: dt.date) -> int | None:
        """Days from ``today`` to the due date (0 on the due day, negative when overdue);
        None while paused."""
        return days_left(self.due, self.paused, today)

    def is_overdue(self, today: dt.date, done_on: dt.date | None = None) -> bool:
        """Whether the clock ran out: done after the due date, or not done and past it."""
        if self.due is None:
            return False
        if done_on is not None:
            return done_on > self.due
        return today > self.due

    def status(
        self, today: dt.date, done_on: dt.date | None = None, *, soon_days: int = DUE_SOON_DAYS
    ) -> ClockStatus:
        """The status on ``today``: DONE if ``done_on`` is given, PAUSED, OVERDUE after the due
        day, DUE_SOON within ``soon_days`` of it (inclusive), else RUNNING."""
        return clock_status(self.due, self.paused, today, done_on, soon_days=soon_days)


def days_left(due: dt.date | None, paused: bool, today: dt.date) -> int | None:
    """``Clock.days_left`` of a clock known only by its due date and pause (a stored clock)."""
    if paused or due is None:
        return None
    return (due - today).days


def clock_status(
    due: dt.date | None,
    paused: bool,
    today: dt.date,
    done_on: dt.date | None = None,
    *,
    soon_days: int = DUE_SOON_DAYS,
) -> ClockStatus:
    """``Clock.status`` of a clock known only by its due date and pause (a stored clock)."""
    if done_on is not None:
        return ClockStatus.DONE
    if paused or due is None:
        return ClockStatus.PAUSED
    left = (due - today).days
    if left < 0:
        return ClockStatus.OVERDUE
    if left <= soon_days:
        return ClockStatus.DUE_SOON
    return ClockStatus.RUNNING


def late_days(due: dt.date | None, done_on: dt.date | None) -> int:
    """Days a clock was done after its due date: 0 when done on or before it, not done yet,
    or without a due date. Done on the due day itself is in time (the period includes its last
    day, 民法典第二百零三条)."""
    if due is None or done_on is None or done_on <= due:
        return 0
    return (done_on - due).days


# ---------------------------------------------------------------------------- clocks


def grade_change_clock(fire_date: dt.date) -> Clock:
    """The 7-day window in which a casualty change that raises the grade beyond the city must
    be reported to the higher government (第四条第一款). Not rolled: see the module docstring."""
    check_date(fire_date, "火灾发生日期", "fire_date")
    due = fire_date + dt.timedelta(days=GRADE_CHANGE_DAYS)
    explanation = (
        f"自火灾发生之日（{fmt_date(fire_date)}）起七日内，{START_NOT_COUNTED}，至{fmt_date(due)}。"
        "在此期间因伤亡人数变化导致事故等级变化、应由上级人民政府负责调查的，"
        "应当报请上级人民政府或其授权的部门组织调查（第四条第一款）。"
        "此为统计伤亡变化的期间，不因节假日顺延。"
    )
    return Clock(
        kind=ClockKind.GRADE_CHANGE,
        start=fire_date,
        due=due,
        length=f"{GRADE_CHANGE_DAYS}日",
        explanation=explanation,
        basis="第四条第一款；民法典第二百零一条",
        raw_due=due,
    )


def investigation_clock(
    fire_date: dt.date,
    *,
    extension_days: int = 0,
    appraisals: Iterable[tuple[dt.date, dt.date | None]] = (),
    calendar: WorkdayCalendar | None = None,
    roll_to_workday: bool = True,
    approver: str = "人民政府",
    unconfirmed_late_days: int = 0,
) -> Clock:
    """The investigation period (第十七条): 60 days from the fire, plus an approved extension
    (``extension_days`` in all, 0–60), not counting appraisal time.

    ``approver`` names who approved the extension (a government, 第十七条);
    ``unconfirmed_late_days``: days approved only after the period ran out and not yet confirmed
    by an officer: not counted, and the explanation says so.

    ``appraisals``: ``(commissioned, opinion)`` pairs; ``opinion`` None = still open, which
    pauses the clock. See the module docstring for exactly which days are excluded. Raises
    RuleError for an extension outside 0–60, an appraisal commissioned before the fire or with
    its opinion before its commissioning; CalendarYearMissing when rolling needs a year the
    calendar lacks.
    """
    check_date(fire_date, "火灾发生日期", "fire_date")
    ext = check_nonneg_int(extension_days, "延长天数", "extension_days")
    if ext > MAX_EXTENSION_DAYS:
        raise RuleError(
            f"调查期限延长不得超过{MAX_EXTENSION_DAYS}日（第十七条第一款），输入为{ext}日",
            field="extension_days",
        )
    closed: list[tuple[dt.date, dt.date]] = []
    open_starts: list[dt.date] = []
    for commissioned, opinion in appraisals:
        check_date(commissioned, "检验、鉴定委托日期", "commissioned_on")
        if commissioned < fire_date:
            raise RuleError(
                f"检验、鉴定委托日期{fmt_date(commissioned)}早于火灾发生日期{fmt_date(fire_date)}",
                field="commissioned_on",
            )
        if opinion is None:
            open_starts.append(commissioned)
        else:
            closed.append((commissioned, opinion))
    spans: list[tuple[dt.date, dt.date | None]] = list(merge_intervals(closed))
    spans += [(c, None) for c in open_starts]
    spans.sort(key=lambda s: s[0])
    merged: list[tuple[dt.date, dt.date | None]] = []
    for s_start, s_end in spans:  # an open span (end None) absorbs everything after it
        if merged and (merged[-1][1] is None or s_start <= merged[-1][1]):
            m_start, m_end = merged[-1]
            new_end = None if m_end is None or s_end is None else max(m_end, s_end)
            merged[-1] = (m_start, new_end)
        else:
            merged.append((s_start, s_end))
    total = INVESTIGATION_DAYS + ext

    # Walk the calendar: count investigation days after fire_date, skipping excluded spans.
    cursor = fire_date  # last day accounted for
    remaining = total
    used_spans: list[tuple[dt.date, dt.date]] = []
    late_starts: list[dt.date] = []
    in_roll: list[tuple[dt.date, dt.date]] = []  # (commissioned, the rolled last day then)
    rolled_days = 0  # days of a rolled last day counted as the period's (see below)
    raw_due: dt.date | None = None
    paused = False
    for s_start, s_end in merged:
        if raw_due is not None:
            late_starts.append(s_start)
            continue
        available = (s_start - cursor).days
        # strictly less: an appraisal commissioned on the last day still falls in the period
        if remaining < available:
            last = cursor + dt.timedelta(days=remaining)
            rolled, _ = roll_last_day(last, calendar, roll_to_workday)
            if s_start > rolled:
                raw_due = last
                late_starts.append(s_start)
                continue
            # the last day fell on a rest day and rolled past the commissioning: the period
            # was still running (民法典第二百零三条), so this appraisal's time is not counted
            # either; the days up to the rolled last day count as the period's own
            in_roll.append((s_start, rolled))
            rolled_days += (rolled - last).days
            remaining = (rolled - cursor).days
        remaining -= available
        cursor = s_start
        if s_end is None:
            paused = True
            break
        used_spans.append((s_start, s_end))
        cursor = s_end
    if raw_due is None and not paused:
        raw_due = cursor + dt.timedelta(days=remaining)

    parts = [f"自火灾发生之日（{fmt_date(fire_date)}）起算，{START_NOT_COUNTED}。"]
    parts.append(f"调查期限{INVESTIGATION_DAYS}日（第十七条第一款）")
    if ext:
        who = approver or "人民政府"
        parts.append(f"；经{who}批准延长{ext}日，合计{total}日（延长期限不超过60日）")
    parts.append("。")
    if unconfirmed_late_days:
        parts.append(
            f"另有调查期限届满后才批准的延长{unconfirmed_late_days}日（逾期后批准），"
            "经确认前不计入，期限仍按已逾期计算。"
        )
    if used_spans or paused:
        parts.append(
            "检验、鉴定时间不计入调查期限（第十七条第二款），自委托次日起至出具意见之日止："
        )
        span_texts = [
            f"{fmt_date(s)}委托至{fmt_date(e)}出具意见，扣除{(e - s).days}日" for s, e in used_spans
        ]
        if span_texts:
            parts.append("；".join(span_texts))
            excluded = sum((e - s).days for s, e in used_spans)
            parts.append(f"；共扣除{excluded}日")
            if len(merge_intervals(closed)) < sum(1 for c in closed if c[1] > c[0]):
                parts.append("（重叠或相接的检验、鉴定时间已合并，同一日不重复扣除）")
            parts.append("。")
    for commissioned, rolled in in_roll:
        parts.append(
            f"{fmt_date(commissioned)}委托时，期限最后一日因节假日顺延至{fmt_date(rolled)}，"
            "期限尚未届满（民法典第二百零三条），该检验、鉴定时间同样不计入，"
            "期限自顺延后的最后一日起相应后延。"
        )
    if late_starts:
        parts.append(
            "调查期限届满后委托的检验、鉴定不影响调查期限："
            + "；".join(f"{fmt_date(s)}委托" for s in late_starts)
            + "。"
        )
    if paused:
        used = total + rolled_days - remaining
        pending = "、".join(fmt_date(c) for c in sorted(open_starts) if c >= cursor)
        parts.append(
            f"{pending}委托的检验、鉴定尚未出具意见，调查期限自{fmt_date(cursor)}"
            f"次日起暂停计算；已计{used}日，尚余{remaining}日，出具意见后继续计算。"
        )
        return Clock(
            kind=ClockKind.INVESTIGATION,
            start=fire_date,
            due=None,
            length=f"{total}日",
            explanation="".join(parts),
            basis="第十七条；民法典第二百零一条、第二百零三条",
            paused=True,
            remaining_days=remaining,
        )
    assert raw_due is not None
    due, roll_text = roll_last_day(raw_due, calendar, roll_to_workday)
    parts.append(roll_text)
    parts.append(f"调查期限届满日期：{fmt_date(due)}。")
    return Clock(
        kind=ClockKind.INVESTIGATION,
        start=fire_date,
        due=due,
        length=f"{total}日",
        explanation="".join(parts),
        basis="第十七条；民法典第二百零一条、第二百零三条",
        raw_due=raw_due,
    )


def reply_clock(received: dt.date, calendar: WorkdayCalendar | None = None) -> Clock:
    """The government's reply (批复): 15 working days from receiving the report (第十九条).

    Weekends and statutory holidays are skipped, make-up working days count. Raises
    CalendarYearMissing when the count reaches a year the calendar lacks (e.g. into 2027).
    """
    check_date(received, "收到调查报告日期", "received")
    cal = calendar_or_bundled(calendar)
    due = cal.add_workdays(received, REPLY_WORKDAYS)
    text = (
        f"自收到火灾事故调查报告之日（{fmt_date(received)}）起算，{START_NOT_COUNTED}；"
        f"{REPLY_WORKDAYS}个工作日内作出批复（第十九条）。工作日不含周末和法定节假日，"
        "调休上班日计入"
    )
    entries = calendar_entries(cal, received, due)
    if entries:
        text += f"；所用节假日安排：{entries}"
    text += f"。批复期限届满日期：{fmt_date(due)}（第{REPLY_WORKDAYS}个工作日）。"
    return Clock(
        kind=ClockKind.REPLY,
        start=received,
        due=due,
        length=f"{REPLY_WORKDAYS}个工作日",
        explanation=text,
        basis="第十九条；民法典第二百零一条",
        raw_due=due,
    )


def handling_clock(
    reply_date: dt.date,
    calendar: WorkdayCalendar | None = None,
    roll_to_workday: bool = True,
) -> Clock:
    """Handling and filing (处理、备案): 30 days from the government's reply (第二十条)."""
    check_date(reply_date, "批复日期", "reply_date")
    raw = reply_date + dt.timedelta(days=HANDLING_DAYS)
    due, roll_text = roll_last_day(raw, calendar, roll_to_workday)
    text = (
        f"自人民政府批复之日（{fmt_date(reply_date)}）起算，{START_NOT_COUNTED}；"
        f"有关部门和单位应在{HANDLING_DAYS}日内依法依规处理、落实整改措施并报备案（第二十条）。"
        f"{roll_text}处理备案期限届满日期：{fmt_date(due)}。"
    )
    return Clock(
        kind=ClockKind.HANDLING,
        start=reply_date,
        due=due,
        length=f"{HANDLING_DAYS}日",
        explanation=text,
        basis="第二十条；民法典第二百零一条、第二百零三条",
        raw_due=raw,
    )


def evaluation_clock(
    closure_date: dt.date,
    calendar: WorkdayCalendar | None = None,
    roll_to_workday: bool = True,
) -> Clock:
    """The evaluation of a 较大 fire: within one year of closing the case (第二十二条).

    ``closure_date`` is the 批复 date unless a later closure date is recorded (the caller
    decides). One year ends on the corresponding day (29 Feb → 28 Feb; 民法典第二百零二条).
    """
    check_date(closure_date, "结案日期", "closure_date")
    raw = add_years(closure_date, EVALUATION_YEARS)
    due, roll_text = roll_last_day(raw, calendar, roll_to_workday)
    text = (
        f"较大火灾事故自调查结案之日（{fmt_date(closure_date)}）起一年内完成事故责任追究和"
        f"整改措施落实情况评估（第二十二条），{START_NOT_COUNTED}；按年计算的期间，"
        "到期年的对应日为最后一日（民法典第二百零二条）。"
        f"{roll_text}评估期限届满日期：{fmt_date(due)}。"
    )
    return Clock(
        kind=ClockKind.EVALUATION,
        start=closure_date,
        due=due,
        length="1年",
        explanation=text,
        basis="第二十二条；民法典第二百零一条、第二百零二条、第二百零三条",
        raw_due=raw,
    )


def rectification_clock(set_on: dt.date, deadline: dt.date) -> Clock:
    """A rectification order (限期整改, 第二十四条): due on the deadline as set, not rolled."""
    check_date(set_on, "整改措施提出日期", "set_on")
    check_date(deadline, "整改期限", "deadline")
    if deadline < set_on:
        raise RuleError(
            f"整改期限{fmt_date(deadline)}早于整改措施提出日期{fmt_date(set_on)}", field="deadline"
        )
    days = (deadline - set_on).days
    text = (
        f"整改措施于{fmt_date(set_on)}提出，整改期限至{fmt_date(deadline)}（{days}日），"
        "按所定日期执行，不因节假日顺延。整改措施未落实或落实不到位的，由市消防安全委员会"
        "办公室督促限期整改落实；逾期仍未整改造成严重后果的，应予以通报并严肃处理（第二十四条）。"
    )
    return Clock(
        kind=ClockKind.RECTIFICATION,
        start=set_on,
        due=deadline,
        length=f"{days}日（限期）",
        explanation=text,
        basis="第二十四条",
        raw_due=deadline,
    )


# ---------------------------------------------------------------- the public rules API


def investigation_due(
    fire_date: dt.date,
    *,
    extension_days: int = 0,
    excluded: Iterable[tuple[dt.date, dt.date]] = (),
    calendar: WorkdayCalendar | None = None,
    roll_to_workday: bool = True,
) -> dt.date:
    """Due date of the investigation (public rules API); same date as :func:`investigation_clock`.

    ``excluded``: closed appraisal intervals ``(commissioned, opinion)``. An interval without an
    opinion cannot be given here (the clock would be paused): RuleError.
    """
    intervals: list[tuple[dt.date, dt.date | None]] = []
    for item in excluded:
        start, end = item
        if end is None:
            raise RuleError(
                "尚有未出具意见的检验、鉴定，调查期限暂停，无法计算届满日期", field="excluded"
            )
        intervals.append((start, end))
    clock = investigation_clock(
        fire_date,
        extension_days=extension_days,
        appraisals=intervals,
        calendar=calendar,
        roll_to_workday=roll_to_workday,
    )
    assert clock.due is not None
    return clock.due


def reply_due(received: dt.date, calendar: WorkdayCalendar | None = None) -> dt.date:
    """Due date of the government's reply: 15 working days after ``received`` (public rules API)."""
    due = reply_clock(received, calendar).due
    assert due is not None
    return due


def handling_due(
    reply_date: dt.date,
    calendar: WorkdayCalendar | None = None,
    roll_to_workday: bool = True,
) -> dt.date:
    """Due date of handling and filing: 30 days after the reply (public rules API)."""
    due = handling_clock(reply_date, calendar, roll_to_workday).due
    assert due is not None
    return due


PROVISIONAL_BASIS = "民法典第二百零三条；国务院办公厅部分节假日安排的通知"


def with_provisional(
    compute: Callable[[WorkdayCalendar], Clock], calendar: WorkdayCalendar
) -> tuple[Clock, tuple[int, ...]]:
    """``compute(calendar)``, or when it needs a year the calendar lacks, the same clock on
    a calendar assuming that year has no holidays (a provisional date, 暂定).

    Returns the clock and the years assumed (empty: a firm date). Each missing year is
    assumed once; any other error propagates.
    """
    cal = calendar
    for _ in range(12):
        try:
            return compute(cal), cal.assumed_years
        except CalendarYearMissing as exc:
            if exc.year in cal.assumed_years:  # pragma: no cover - assuming covers the year
                raise
            cal = cal.assuming([exc.year])
    return compute(cal), cal.assumed_years  # pragma: no cover - a period of 12 years


def provisional_note(years: Iterable[int]) -> str:
    """Why a date is 暂定, as every screen shows it."""
    named = "、".join(f"{y}年" for y in sorted(years))
    return (
        f"暂定：节假日日历缺少{named}的节假日安排，暂按仅周末休息计算；"
        "导入该年的节假日安排后自动重算。"
    )
