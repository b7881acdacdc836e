"""The clock board: every statutory clock of every case, overdue first (``firecase clocks``)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from sqlalchemy import or_, select

from firecase.errors import FirecaseError, ValidationError
from firecase.services import _clock_inputs, _clocks, _common as v, _derive, _reads
from firecase.services.dto import ClockView
from firecase.store import CaseFile, open_case_file
from firecase.store.models import Case, OpenClock


def _sort_key(c: ClockView) -> tuple[int, dt.date, str, str]:
    if c.overdue or c.label == _clocks.ESCALATION_LABEL:
        rank = 0
    elif c.done_on is None and c.due is not None:
        rank = 1
    elif c.due is None:
        rank = 2
    else:
        rank = 3
    return (rank, c.due or dt.date.max, c.case_no, c.label)


def clock_board(
    cf: CaseFile, today: dt.date | None = None, *, include_done: bool = True
) -> tuple[ClockView, ...]:
    """Every clock of every case: overdue first, then open ones by due date, then the rest.

    With ``include_done=False`` only the clocks not yet done: what the board shows by default.
    Those are read from ``open_clocks`` (kept by the services whenever a case's clocks are
    recomputed, ``_clocks.store_open_clocks``) in one indexed query, and only their day-bound
    parts (status, days left, overdue, whether the grade-change window is still open) are
    worked out for ``today``; a test holds them equal to the computed board. With done clocks
    the clocks are computed from the clock columns and five batched queries of child rows
    (``_clock_inputs.clock_inputs``), never by loading whole cases one by one.
    """
    from firecase.services.settings import read_settings

    now = v.today_or(today)
    done_too = v.flag(include_done, "include_done", "包括已完成的期限")
    _derive.refresh_stale(cf, now)
    if not done_too:
        return _stored_open_clocks(cf, now)
    with cf.unit_of_work() as uow:
        s = uow.session
        calendar = _reads.stored_calendar(s)
        roll = read_settings(s).roll_to_workday
        stmt = select(*_clock_inputs.CLOCK_CASE_COLUMNS).order_by(Case.year, Case.seq)
        cases = [_clock_inputs.ClockCase._make(row) for row in s.execute(stmt)]
        inputs = _clock_inputs.clock_inputs(s)
        clocks: list[ClockView] = []
        memo: dict[tuple[Any, ...], Any] = {}
        for case in cases:
            clocks.extend(
                c
                for c in _clocks.clocks_of(
                    case,
                    inputs.get(case.id, _clock_inputs.NO_CLOCK_INPUTS),
                    now,
                    calendar=calendar,
                    roll_to_workday=roll,
                    memo=memo,
                )
                # a clock the measures do not impose is no one's deadline (its case says why)
                if c.status != _clocks.NOT_APPLICABLE
            )
        uow.commit()  # the calendar may have been copied in on first use
    return tuple(sorted(clocks, key=_sort_key))


def _stored_open_clocks(cf: CaseFile, today: dt.date) -> tuple[ClockView, ...]:
    """The open clocks from ``open_clocks``, cases in number order as the computed board."""
    t = OpenClock.__table__.c
    stmt = (
        select(*t, Case.case_no, Case.title)
        .join(Case, Case.id == t.case_id)
        # both terms are searches of the closes_on index (most rows are closed windows)
        .where(or_(t.closes_on.is_(None), t.closes_on >= today))
        .order_by(Case.year, Case.seq, t.position)
    )
    with cf.unit_of_work() as uow:
        rows = uow.session.connection().execute(stmt).all()
    view = _clocks.open_clock_view
    return tuple(sorted((view(r, r.case_no, r.title, today) for r in rows), key=_sort_key))


def exempt_cases(cf: CaseFile) -> tuple[tuple[str, str, int], ...]:
    """How many cases carry none of the measures' clocks, by why, for the board's
    summary: (reason, basis, count), from the case rows alone (one grouped query)."""
    from sqlalchemy import and_, case as sql_case, func

    from firecase import rules

    fire_types = [t.value for t in rules.FireType if not rules.check_scope(t).in_scope]
    reason = sql_case(
        (Case.fire_type.in_(fire_types), "out_of_scope"),
        (Case.fire_date < rules.MEASURES_IN_FORCE, "before_measures"),
        (Case.taken_over_on.is_not(None), "taken_over"),
        (
            and_(
                Case.jurisdiction_grade.in_(("重大", "特别重大")),
                Case.taken_over_on.is_(None),
            ),
            "above_city",
        ),
        (Case.included.is_not(True), "not_included"),
        else_="",
    )
    with cf.unit_of_work() as uow:
        counts: dict[str, int] = {
            str(key): int(n)
            for key, n in uow.session.execute(select(reason, func.count()).group_by(reason))
        }
    labels = (
        ("out_of_scope", "另有规定的火灾", "第二条第二款"),
        ("before_measures", "本办法施行前的火灾", "第二十六条"),
        ("taken_over", "已提级调查", "第四条第二款"),
        ("above_city", "由上级人民政府调查", "第四条第一款"),
        ("not_included", "不纳入调查处理", "第五条"),
    )
    return tuple((text, basis, int(counts[key])) for key, text, basis in labels if counts.get(key))


DONE_BATCH_CASES = 500
"""How many cases ``done_clocks`` computes at a time, newest first."""


def done_clocks(
    cf: CaseFile, today: dt.date | None = None, *, limit: int = 500, offset: int = 0
) -> tuple[ClockView, ...]:
    """One page of the clocks already done: newest cases first, a case's clocks by due date.

    ``offset`` done clocks are skipped and at most ``limit`` returned, so the board's
    "显示已完成的期限" never holds a whole archive's done clocks (half a million at 100,000
    cases). Cases are read newest first (year, number) in batches of ``DONE_BATCH_CASES`` and
    only until the page is full: the work grows with ``offset + limit``, not with the archive.
    """
    from firecase.services.settings import read_settings

    now = v.today_or(today)
    page = v.integer(limit, "limit", "每页期限数", minimum=1, maximum=100_000)
    skip = v.integer(offset, "offset", "跳过的期限数", maximum=10**9)
    _derive.refresh_stale(cf, now)
    found: list[ClockView] = []
    with cf.unit_of_work() as uow:
        s = uow.session
        calendar = _reads.stored_calendar(s)
        roll = read_settings(s).roll_to_workday
        memo: dict[tuple[Any, ...], Any] = {}
        start = 0
        while len(found) < skip + page:
            stmt = (
                select(*_clock_inputs.CLOCK_CASE_COLUMNS)
                .order_by(Case.year.desc(), Case.seq.desc())
                .offset(start)
                .limit(DONE_BATCH_CASES)
            )
            cases = [_clock_inputs.ClockCase._make(row) for row in s.execute(stmt)]
            if not cases:
                break
            start += len(cases)
            inputs = _clock_inputs.clock_inputs(s, [c.id for c in cases])
            for case in cases:
                clocks = _clocks.clocks_of(
                    case,
                    inputs.get(case.id, _clock_inputs.NO_CLOCK_INPUTS),
                    now,
                    calendar=calendar,
                    roll_to_workday=roll,
                    memo=memo,
                )
                found.extend(sorted((c for c in clocks if c.done_on is not None), key=_sort_key))
        uow.commit()  # the calendar may have been copied in on first use
    return tuple(found[skip : skip + page])


def format_clock(c: ClockView) -> str:
    """One clock as printed by ``firecase clocks``."""
    subject = f"（{c.subject}）" if c.subject else ""
    due = c.due_text("—")
    if c.done_on is not None:
        state = f"已完成于 {c.done_on.isoformat()}"
    elif c.overdue:
        state = f"已逾期 {-(c.days_left or 0)} 天"
    elif c.days_left is not None:
        state = f"剩余 {c.days_left} 天"
    else:
        state = c.status
    head = f"[{c.status}] {c.case_no} {c.label}{subject} 到期 {due} {state}"
    lines = [head, f"    {c.explanation}"]
    if c.basis:
        lines.append(f"    依据：{c.basis}")
    return "\n".join(lines)


def clocks_command(args: argparse.Namespace) -> int:
    """``firecase clocks --db PATH [--today YYYY-MM-DD]``."""
    try:
        today = None
        if args.today:
            try:
                today = dt.date.fromisoformat(args.today)
            except ValueError as exc:
                raise ValidationError(
                    f"日期格式应为 YYYY-MM-DD：{args.today}", field="today"
                ) from exc
        with open_case_file(args.db, user=getattr(args, "user", None)) as cf:
            board = clock_board(cf, today)
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    if not board:
        print("没有正在计算的期限（案卷中没有案件，或各案件的期限均已完成、不适用本办法）。")
        return 0
    overdue = sum(1 for c in board if c.overdue)
    print(f"共 {len(board)} 个期限，其中逾期 {overdue} 个。")
    for c in board:
        print(format_clock(c))
    return 0


def case_open_clocks(cf: CaseFile, case_id: int, today: dt.date) -> tuple[ClockView, ...]:
    """The board's entries of one case (its open clocks on ``today``), read from the stored
    ``open_clocks`` rows as ``clock_board(include_done=False)`` reads them for every case: what
    the window refreshes after a save in that case's tab."""
    t = OpenClock.__table__.c
    stmt = (
        select(*t, Case.case_no, Case.title)
        .join(Case, Case.id == t.case_id)
        .where(t.case_id == case_id, or_(t.closes_on.is_(None), t.closes_on >= today))
        .order_by(t.position)
    )
    with cf.unit_of_work() as uow:
        rows = uow.session.connection().execute(stmt).all()
    return tuple(_clocks.open_clock_view(r, r.case_no, r.title, today) for r in rows)


def sort_key(clock: ClockView) -> Any:
    """Where ``clock`` stands on the board (the order ``clock_board`` returns)."""
    return _sort_key(clock)
