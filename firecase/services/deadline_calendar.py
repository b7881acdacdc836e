"""Deadlines in the officer's own calendar: every open clock as an iCalendar (.ics) event.

One all-day event per open clock on its due date, with reminders three days and one day
before, that Outlook, WPS, phone calendars and Thunderbird import (RFC 5545, written with the
``icalendar`` package). The summary names the clock and the case; the description carries the
explanation and the basis FireCase shows (第十七条 …), and says when a due date is provisional.

Re-exporting updates the same events: each event's UID is derived from what identifies the
clock (case number, kind, subject, start date), not from its due date, and ``SEQUENCE`` grows
with the time of export, so an importing calendar replaces the older version of the event.
The grade-change window (等级变化报告期) is not a deadline to act on and is left out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from firecase.errors import CaseFileError, FirecaseError, ValidationError
from firecase.services import _common as v
from firecase.services._clocks import GRADE_CHANGE_LABEL
from firecase.services.clock_board import clock_board
from firecase.services.dto import ClockView
from firecase.services.reading import find_case_id, get_case_summary
from firecase.store import CaseFile, open_case_file

REMINDERS_DAYS = (3, 1)
PRODID = "-//FireCase//火灾事故调查处理期限//ZH"
_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class DeadlineCalendar:
    """What ``export_deadlines`` wrote: the file and how many events."""

    path: Path
    events: int
    cases: int


def event_uid(clock: ClockView) -> str:
    """A stable UID: the same clock keeps it when its due date moves."""
    start = clock.start.isoformat() if clock.start is not None else ""
    key = "|".join((clock.case_no, clock.kind, clock.label, clock.subject, start))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + "@firecase"


def _summary(clock: ClockView, today: dt.date | None) -> str:
    subject = f"（{clock.subject}）" if clock.subject else ""
    late = "【已逾期】" if today and clock.due is not None and clock.due < today else ""
    return f"{late}{clock.label}{subject}到期：{clock.case_no} {clock.case_title}"


def _description(clock: ClockView) -> str:
    lines = [clock.explanation]
    if clock.basis:
        lines.append(f"依据：{clock.basis}")
    if clock.provisional:
        lines.append("该日期为暂定：所在年份的节假日安排尚未录入，录入后请重新导出。")
    lines.append(f"由 FireCase 导出；案件 {clock.case_no}。")
    return "\n".join(line for line in lines if line)


def deadline_calendar(
    cf: CaseFile,
    *,
    case: int | str | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> tuple[bytes, int, int]:
    """The .ics text of every open clock (of one case when ``case``, its id or number):
    (bytes, events, cases)."""
    from icalendar import Alarm, Calendar, Event

    day = v.today_or(today)
    stamp = now or dt.datetime.now(dt.UTC)
    clocks = [
        c
        for c in clock_board(cf, day, include_done=False)
        if c.due is not None and c.done_on is None and c.label != GRADE_CHANGE_LABEL
    ]
    if case is not None:
        case_id = get_case_summary(cf, case).id if isinstance(case, int) else find_case_id(cf, case)
        clocks = [c for c in clocks if c.case_id == case_id]
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "火灾事故调查处理期限")
    sequence = max(0, int((stamp - _EPOCH).total_seconds() // 60))
    seen: dict[str, int] = {}
    for clock in clocks:
        assert clock.due is not None
        uid = event_uid(clock)
        seen[uid] = seen.get(uid, 0) + 1
        if seen[uid] > 1:  # two clocks alike in everything that identifies them
            uid = f"{seen[uid]}-{uid}"
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("sequence", sequence)
        event.add("dtstart", clock.due)
        event.add("dtend", clock.due + dt.timedelta(days=1))
        event.add("summary", _summary(clock, day))
        event.add("description", _description(clock))
        event.add("categories", ["火灾事故调查"])
        event.add("transp", "TRANSPARENT")
        for days in REMINDERS_DAYS:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", dt.timedelta(days=-days))
            alarm.add("description", f"{days}日后到期：{_summary(clock, None)}")
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical(), len(clocks), len({c.case_id for c in clocks})


def export_deadlines(
    cf: CaseFile,
    dest: str | os.PathLike[str],
    *,
    case: int | str | None = None,
    today: dt.date | None = None,
    overwrite: bool = False,
) -> DeadlineCalendar:
    """Write the .ics file (atomically; refused when it exists unless ``overwrite``)."""
    target = Path(dest).expanduser().resolve()
    if not target.parent.is_dir():
        raise ValidationError(f"文件夹不存在：{target.parent}", field="dest")
    if target.exists() and not overwrite:
        raise ValidationError(f"文件“{target.name}”已存在，请另选文件名。", field="dest")
    data, events, cases = deadline_calendar(cf, case=case, today=today)
    part = target.with_name(target.name + ".part")
    try:
        part.write_bytes(data)
        os.replace(part, target)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise ValidationError(
            f"无法写入“{target.name}”：{exc.strerror or exc}", field="dest"
        ) from exc
    return DeadlineCalendar(target, events, cases)


def export_deadlines_command(args: argparse.Namespace) -> int:
    """``firecase export-deadlines -o FILE.ics --db PATH [--case CASE_NO] [--today D]``."""
    try:
        today = None
        if getattr(args, "today", None):
            try:
                today = dt.date.fromisoformat(args.today)
            except ValueError as exc:
                raise ValidationError("--today 应为日期，如 2026-12-03。", field="today") from exc
        if "://" not in str(args.db) and not Path(args.db).is_file():  # never create one
            raise CaseFileError(f"案卷文件不存在：{args.db}")
        with open_case_file(args.db, user=getattr(args, "user", None)) as cf:
            result = export_deadlines(
                cf, args.output, case=args.case, today=today, overwrite=bool(args.force)
            )
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    print(
        f"已导出 {result.events} 个期限（{result.cases} 件案件）到 {result.path}；"
        f"每个期限在到期前 {'、'.join(map(str, REMINDERS_DAYS))} 日提醒。"
        "可导入 Outlook、WPS 日历或手机日历；重新导出会更新同一日程。"
    )
    return 0
