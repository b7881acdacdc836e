"""Deadlines as an iCalendar file: parsed back with the ``icalendar``
package, every open clock is an all-day event on its due date with reminders 3 days and 1 day
before, and re-exporting keeps each clock's UID."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from icalendar import Calendar

from firecase.cli import main as cli_main
from firecase.errors import NotFoundError, ValidationError
from firecase.services._clocks import GRADE_CHANGE_LABEL
from firecase.services.clock_board import clock_board
from firecase.services.deadline_calendar import deadline_calendar, event_uid, export_deadlines
from firecase.store import open_case_file

TODAY = dt.date(2026, 4, 1)


def _events(data: bytes) -> list[object]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


@pytest.fixture
def demo_file(tmp_path: Path, demo_copy: Callable[..., Path]) -> Path:
    """The demo cases as of TODAY (written once per process, a private copy per test)."""
    return demo_copy(tmp_path / "案卷.sqlite", today=TODAY)


def test_every_open_clock_is_an_event_with_two_reminders(demo_file: Path) -> None:
    with open_case_file(demo_file, user="测试") as cf:
        board = [
            c
            for c in clock_board(cf, TODAY, include_done=False)
            if c.due is not None and c.label != GRADE_CHANGE_LABEL
        ]
        data, events, cases = deadline_calendar(cf, today=TODAY)
    assert board and events == len(board) and cases == len({c.case_id for c in board})
    parsed = _events(data)
    assert len(parsed) == len(board)
    by_uid = {str(e["uid"]): e for e in parsed}  # type: ignore[index]
    assert len(by_uid) == len(parsed)  # every UID distinct
    for clock in board:
        event = by_uid[event_uid(clock)]
        assert event["dtstart"].dt == clock.due  # type: ignore[index]
        assert event["dtend"].dt == clock.due + dt.timedelta(days=1)  # type: ignore[index,operator]
        summary = str(event["summary"])  # type: ignore[index]
        assert clock.case_no in summary and clock.label in summary
        assert clock.basis in str(event["description"])  # type: ignore[index]
        alarms = event.walk("VALARM")  # type: ignore[attr-defined]
        assert sorted(a["trigger"].dt for a in alarms) == [
            dt.timedelta(days=-3),
            dt.timedelta(days=-1),
        ]


def test_re_exporting_keeps_the_uids_and_moves_the_dates(demo_file: Path) -> None:
    with open_case_file(demo_file, user="测试") as cf:
        first, _, _ = deadline_calendar(
            cf, today=TODAY, now=dt.datetime(2026, 4, 1, 8, 0, tzinfo=dt.UTC)
        )
        later, _, _ = deadline_calendar(
            cf, today=TODAY + dt.timedelta(days=5), now=dt.datetime(2026, 4, 6, 8, 0, tzinfo=dt.UTC)
        )
    before = {str(e["uid"]): e for e in _events(first)}  # type: ignore[index]
    after = {str(e["uid"]): e for e in _events(later)}  # type: ignore[index]
    assert set(after) <= set(before)  # the same clocks, the same events
    for uid, event in after.items():
        assert int(event["sequence"]) > int(before[uid]["sequence"])  # type: ignore[index]
        assert event["dtstart"].dt == before[uid]["dtstart"].dt  # type: ignore[index]


def test_one_case_only_and_an_unknown_case_is_refused(demo_file: Path, tmp_path: Path) -> None:
    with open_case_file(demo_file, user="测试") as cf:
        board = [c for c in clock_board(cf, TODAY, include_done=False) if c.due is not None]
        case_no = board[0].case_no
        data, events, cases = deadline_calendar(cf, case=case_no, today=TODAY)
        assert cases == 1 and all(case_no in str(e["summary"]) for e in _events(data))  # type: ignore[index]
        with pytest.raises(NotFoundError, match="没有编号为"):
            deadline_calendar(cf, case="天消调〔1999〕第999号", today=TODAY)
        out = export_deadlines(cf, tmp_path / "期限.ics", today=TODAY)
        assert out.events >= events and out.path.read_bytes().startswith(b"BEGIN:VCALENDAR")
        with pytest.raises(ValidationError, match="已存在"):
            export_deadlines(cf, tmp_path / "期限.ics", today=TODAY)


def test_the_command_line(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "全部期限.ics"
    args = ["export-deadlines", "--db", str(demo_file), "-o", str(out), "--today", "2026-04-01"]
    assert cli_main(args) == 0
    assert "到期前 3、1 日提醒" in capsys.readouterr().out and _events(out.read_bytes())
    assert cli_main(args) == 2 and "已存在" in capsys.readouterr().out
    bad = [
        "export-deadlines",
        "--db",
        str(demo_file),
        "-o",
        str(tmp_path / "x.ics"),
        "--today",
        "明天",
    ]
    assert cli_main(bad) == 2 and "--today 应为日期" in capsys.readouterr().out


def test_a_mistyped_case_file_is_refused_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "没有这个案卷.fcdb"
    out = tmp_path / "期限.ics"
    assert cli_main(["export-deadlines", "--db", str(missing), "-o", str(out)]) == 2
    assert "案卷文件不存在" in capsys.readouterr().out
    assert not missing.exists() and not out.exists()
