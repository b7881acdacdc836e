"""The clock board: every statutory clock of every case, overdue first (``firecase clocks``)."""

from __future__ import annotations

import argparse
import datetime as dt

from sqlalchemy import select

from firecase.errors import FirecaseError, ValidationError
from firecase.services import _common as v
from firecase.services import _derive
from firecase.services.dto import ClockView
from firecase.store import CaseFile, open_case_file
from firecase.store.models import Case


def _sort_key(c: ClockView) -> tuple[int, dt.date, str, str]:
    if c.overdue:
        rank = 0
    elif c.done_on is None and c.due is not None:
        rank = 1
    elif c.due is None:
        rank = 2
    else:
        rank = 3
    return (rank, c.due or dt.date.max, c.case_no, c.label)


def clock_board(cf: CaseFile, today: dt.date | None = None) -> tuple[ClockView, ...]:
    """Every clock of every case: overdue first, then open ones by due date, then the rest."""
    now = v.today_or(today)
    with cf.unit_of_work() as uow:
        s = uow.session
        calendar = _derive.stored_calendar(s)
        clocks: list[ClockView] = []
        for case in s.scalars(select(Case).order_by(Case.year, Case.seq)):
            clocks.extend(_derive.case_clocks(s, case, now, calendar=calendar))
        uow.commit()  # the calendar may have been copied in on first use
    return tuple(sorted(clocks, key=_sort_key))


def format_clock(c: ClockView) -> str:
    """One clock as printed by ``firecase clocks``."""
    subject = f"（{c.subject}）" if c.subject else ""
    due = c.due.isoformat() if c.due else "—"
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
        print("案卷中没有案件。")
        return 0
    overdue = sum(1 for c in board if c.overdue)
    print(f"共 {len(board)} 个期限，其中逾期 {overdue} 个。")
    for c in board:
        print(format_clock(c))
    return 0
