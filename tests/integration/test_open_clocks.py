"""The clock board's stored open clocks (``open_clocks``) against the computed board.

``clock_board(include_done=False)`` reads the stored rows and works out only what depends on
the day; it must equal the computed board without its done clocks on any day, after the
services change a case, after a calendar edit (every case recomputed), and after a case is
removed — on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from _derived import stored_derived
from sqlalchemy import func, select

from firecase.samples.synth import synthesize
from firecase.services import cases, deadlines, evidence, reading, reply, settings
from firecase.services.clock_board import clock_board
from firecase.services.dto import (
    AppraisalInput,
    CalendarDayInput,
    CasualtyInput,
    ClockView,
    ExtensionInput,
    IncidentInput,
)
from firecase.store import CaseFile, open_case_file
from firecase.store.models import Case, OpenClock

TODAY = dt.date(2026, 6, 1)
DAYS = [
    TODAY - dt.timedelta(days=10),
    TODAY,
    TODAY + dt.timedelta(days=1),
    TODAY + dt.timedelta(days=7),
    TODAY + dt.timedelta(days=8),
    TODAY + dt.timedelta(days=45),
    TODAY + dt.timedelta(days=400),
]


def _computed(cf: CaseFile, day: dt.date) -> tuple[ClockView, ...]:
    return tuple(c for c in clock_board(cf, day) if c.done_on is None)


def _assert_same_boards(cf: CaseFile, days: list[dt.date] = DAYS) -> None:
    for day in days:
        stored = clock_board(cf, day, include_done=False)
        assert stored == _computed(cf, day), day


def _new_case(cf: CaseFile, fire: dt.date) -> int:
    summary = cases.open_case(
        cf,
        IncidentInput(
            title="测试仓库“5·28”火灾",
            fire_date=fire,
            place="天门市竟陵街道",
            fire_type="建筑火灾",
            property_loss_yuan=Decimal("600000"),
            economic_loss_yuan=Decimal("600000"),
        ),
        CasualtyInput(as_of=fire, deaths=1, serious_injuries=0),
        today=TODAY,
    )
    return summary.id


def test_stored_board_equals_the_computed_board_on_every_day(case_url: str) -> None:
    with open_case_file(case_url, user="测试") as cf:
        synthesize(cf, 240, seed=11, today=TODAY, batch=100)
        fresh = _new_case(cf, TODAY - dt.timedelta(days=3))  # inside the 7-day window
        open_board = clock_board(cf, TODAY, include_done=False)
        labels = {c.label for c in open_board}
        assert {"调查期限", "等级变化报告期"} <= labels
        assert any(c.paused for c in open_board) and any(c.overdue for c in open_board)
        assert any(c.case_id == fresh and c.label == "等级变化报告期" for c in open_board)
        _assert_same_boards(cf)
        later = clock_board(cf, TODAY + dt.timedelta(days=8), include_done=False)
        assert not any(c.case_id == fresh and c.label == "等级变化报告期" for c in later)


def test_stored_rows_follow_every_change(case_url: str) -> None:
    with open_case_file(case_url, user="测试") as cf:
        first = _new_case(cf, dt.date(2026, 5, 20))
        second = _new_case(cf, dt.date(2026, 4, 2))
        _assert_same_boards(cf)
        evidence.commission_appraisal(
            cf,
            first,
            AppraisalInput("鉴定", "电气线路熔痕", "省消防救援总队火灾物证鉴定中心", TODAY),
            today=TODAY,
        )
        board = clock_board(cf, TODAY, include_done=False)
        assert next(c for c in board if c.case_id == first and c.label == "调查期限").paused
        _assert_same_boards(cf)
        deadlines.request_extension(
            cf,
            second,
            ExtensionInput(
                days=30,
                requested_on=dt.date(2026, 5, 25),
                reason="技术鉴定未完成",
                approved_on=dt.date(2026, 5, 28),
                approved_by="天门市人民政府",
            ),
            today=TODAY,
        )
        _assert_same_boards(cf)
        summary = reading.get_case(cf, second, today=TODAY).case
        reply.record_report_submitted(
            cf, second, dt.date(2026, 5, 30), expected_version=summary.version, today=TODAY
        )
        summary = reading.get_case(cf, second, today=TODAY).case
        reply.record_report_received(
            cf, second, dt.date(2026, 5, 31), expected_version=summary.version, today=TODAY
        )
        board = clock_board(cf, TODAY, include_done=False)
        assert {c.label for c in board if c.case_id == second} >= {"批复期限"}
        assert "调查期限" not in {c.label for c in board if c.case_id == second}
        _assert_same_boards(cf)
        # a calendar edit marks every case stale: the stored rows are recomputed with it
        before = next(c for c in board if c.case_id == second and c.label == "批复期限")
        assert before.due is not None
        settings.set_calendar_day(cf, CalendarDayInput(before.due, "holiday", "测试假日"))
        after = next(
            c
            for c in clock_board(cf, TODAY, include_done=False)
            if c.case_id == second and c.label == "批复期限"
        )
        assert after.due is not None and after.due > before.due
        _assert_same_boards(cf)
        summary = reading.get_case(cf, first, today=TODAY).case
        cases.remove_case(cf, first, expected_version=summary.version)
        assert not any(c.case_id == first for c in clock_board(cf, TODAY, include_done=False))
        with cf.connect() as conn:
            left = conn.execute(
                select(func.count()).select_from(OpenClock).where(OpenClock.case_id == first)
            ).scalar()
            assert left == 0
            cases_left = conn.execute(select(func.count()).select_from(Case)).scalar()
            assert cases_left == 1
        _assert_same_boards(cf)
        assert cf.verify_audit().ok


@pytest.mark.parametrize("label", ["调查期限", "等级变化报告期"])
def test_stored_rows_are_not_audited(case_url: str, label: str) -> None:
    with open_case_file(case_url, user="测试") as cf:
        _new_case(cf, TODAY - dt.timedelta(days=2))
        assert any(c.label == label for c in clock_board(cf, TODAY, include_done=False))
        with cf.connect() as conn:
            from firecase.store.models import AuditEntry

            entities = {r[0] for r in conn.execute(select(AuditEntry.entity).distinct()).all()}
        assert "open_clocks" not in entities


def test_batched_refresh_of_stale_cases_derives_what_the_services_derived(
    case_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import delete, update

    from firecase.services import _derive

    monkeypatch.setattr(_derive, "STALE_BATCH", 37)  # several batches, the last one short
    with open_case_file(case_url, user="测试") as cf:
        synthesize(cf, 200, seed=5, today=TODAY, batch=100)
        _new_case(cf, TODAY - dt.timedelta(days=1))
        before = stored_derived(cf)
        with cf.connect() as conn:  # what an upgrade or a calendar edit leaves behind
            conn.execute(
                update(Case).values(
                    clocks_stale=True,
                    stage="受理",
                    next_due_on=None,
                    next_due_label="",
                    has_open_clocks=False,
                    search_text="",
                )
            )
            conn.execute(delete(OpenClock))
            conn.commit()
        assert _derive.refresh_stale(cf, TODAY) == 201
        assert _derive.refresh_stale(cf, TODAY) == 0
        assert stored_derived(cf) == before
        _assert_same_boards(cf, [TODAY])
        assert cf.verify_audit().ok
