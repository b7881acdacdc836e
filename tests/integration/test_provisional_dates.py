"""Provisional dates on SQLite and PostgreSQL: a clock that needs a year the calendar lacks
gets a 暂定 date (weekends the only rest days), everywhere, sortable and filterable; one
entered day covers nothing; importing the year makes the dates firm and says which moved;
the banner."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from firecase.services import (
    cases,
    evaluation as evaluation_svc,
    reading,
    recommendations,
    reply as reply_svc,
    settings,
)
from firecase.services.clock_board import clock_board, clocks_command
from firecase.services.dto import (
    CalendarDayInput,
    CasualtyInput,
    IncidentInput,
    MeasureInput,
    RecommendationInput,
)
from firecase.store import CaseFile, open_case_file

D = dt.date


def open_fire(cf: CaseFile, fire: dt.date, *, deaths: int = 1, loss: str = "600000") -> int:
    return cases.open_case(
        cf,
        IncidentInput("仓库火灾", fire, "天门市竟陵街道", "建筑火灾", Decimal(loss), Decimal(loss)),
        CasualtyInput(fire, deaths, 0),
        today=fire,
    ).id


def ver(cf: CaseFile, case_id: int) -> int:
    return reading.get_case_summary(cf, case_id).version


def clock(cf: CaseFile, case_id: int, label: str, today: dt.date) -> object:
    return next(c for c in reading.get_case(cf, case_id, today=today).clocks if c.label == label)


def test_a_clock_into_2027_is_provisional_everywhere(
    case_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_case_file(case_url, user="测试") as cf:
        assert 2027 not in settings.get_calendar(cf).years
        cid = open_fire(cf, D(2026, 12, 1))
        inv = clock(cf, cid, "调查期限", D(2026, 12, 2))
        # 60 days: 2027-01-30, a Saturday; with weekends as the only rest days: Monday 02-01
        assert inv.due == D(2027, 2, 1) and inv.provisional  # type: ignore[attr-defined]
        assert inv.explanation.startswith("暂定：节假日日历缺少2027年")  # type: ignore[attr-defined]
        assert inv.status == "进行中"  # type: ignore[attr-defined]
        window = clock(cf, cid, "等级变化报告期", D(2026, 12, 2))
        assert not window.provisional  # type: ignore[attr-defined]  # 7 days: no calendar

        row = reading.list_cases(cf, today=D(2026, 12, 2)).rows[0]
        assert row.next_due_on == D(2027, 2, 1) and row.next_due_provisional
        board = clock_board(cf, D(2026, 12, 2), include_done=False)
        stored = next(c for c in board if c.label == "调查期限")
        assert stored.provisional and stored.due == D(2027, 2, 1)
        assert [c for c in clock_board(cf, D(2026, 12, 2)) if c.label == "调查期限"] == [stored]

        # it sorts and filters by that date: overdue once 02-01 has passed
        late = reading.list_cases(cf, overdue_only=True, today=D(2027, 2, 2)).rows
        assert [r.id for r in late] == [cid]
    if "://" not in case_url:
        import argparse

        assert clocks_command(argparse.Namespace(db=case_url, today="2026-12-02")) == 0
        assert "2027-02-01（暂定）" in capsys.readouterr().out


def test_every_calendar_clock_kind_is_provisional_across_the_year(case_url: str) -> None:
    with open_case_file(case_url, user="测试") as cf:
        fire = D(2026, 10, 20)
        cid = open_fire(cf, fire, deaths=3)  # 较大: the evaluation clock too
        recommendations.add_recommendation(
            cf,
            cid,
            RecommendationInput(
                "个人", "王某", "使用管理责任", "行政处罚", "依据", "天门市应急管理局"
            ),
        )
        reply_svc.record_report_submitted(
            cf, cid, D(2026, 12, 10), expected_version=ver(cf, cid), today=D(2026, 12, 10)
        )
        reply_svc.record_report_received(
            cf, cid, D(2026, 12, 20), expected_version=ver(cf, cid), today=D(2026, 12, 20)
        )
        today = D(2026, 12, 21)
        reply = clock(cf, cid, "批复期限", today)
        assert reply.provisional and reply.due == D(2027, 1, 8)  # type: ignore[attr-defined]  # 1-1 counted
        reply_svc.record_reply(
            cf,
            cid,
            D(2026, 12, 28),
            "天政函〔2026〕9号",
            expected_version=ver(cf, cid),
            today=D(2026, 12, 28),
        )
        today = D(2026, 12, 28)
        handling = clock(cf, cid, "处理备案期限", today)
        assert handling.provisional and handling.due == D(2027, 1, 27)  # type: ignore[attr-defined]
        evaluation = clock(cf, cid, "整改评估期限", today)
        assert evaluation.provisional and evaluation.due == D(2027, 12, 28)  # type: ignore[attr-defined]
        evaluation_svc.add_measure(
            cf, cid, MeasureInput("整改", "某公司", D(2026, 12, 28), deadline=D(2027, 3, 1))
        )
        rect = clock(cf, cid, "整改期限", today)
        assert not rect.provisional  # type: ignore[attr-defined]  # a deadline set as a date


def test_one_day_covers_nothing_and_the_year_makes_the_dates_firm(case_url: str) -> None:
    with open_case_file(case_url, user="测试") as cf:
        cid = open_fire(cf, D(2026, 12, 1))
        reply_svc.record_report_submitted(
            cf, cid, D(2026, 12, 10), expected_version=ver(cf, cid), today=D(2026, 12, 10)
        )
        reply_svc.record_report_received(
            cf, cid, D(2027, 1, 28), expected_version=ver(cf, cid), today=D(2027, 1, 28)
        )
        today = D(2027, 1, 28)
        before = settings.provisional_dates(cf, today)
        reply = clock(cf, cid, "批复期限", today)
        # 15 working days from 2027-01-28 with weekends only: 2027-02-18
        assert reply.due == D(2027, 2, 18) and reply.provisional  # type: ignore[attr-defined]

        # one holiday entered: the year is still not covered, the date still 暂定 (but uses it)
        settings.set_calendar_day(cf, CalendarDayInput(D(2027, 2, 8), "holiday", "春节"))
        assert 2027 not in settings.get_calendar(cf).years
        reply = clock(cf, cid, "批复期限", today)
        assert reply.provisional and reply.due == D(2027, 2, 19)  # type: ignore[attr-defined]
        assert settings.calendar_banner(cf, today).startswith("2027年节假日安排尚未导入")

        # the whole year arrives (a Spring Festival week 02-06…02-12, make-up 02-20 Saturday)
        days = (
            *(CalendarDayInput(D(2027, 2, d), "holiday", "春节") for d in (8, 9, 10, 11, 12)),
            CalendarDayInput(D(2027, 2, 20), "workday", "春节"),
        )
        settings.add_calendar_year(cf, 2027, days)
        reply = clock(cf, cid, "批复期限", today)
        assert not reply.provisional and reply.due == D(2027, 2, 24)  # type: ignore[attr-defined]
        moved = settings.moved_dates(cf, before, today)
        by_label = {m.label: m for m in moved}
        assert by_label["批复期限"].before == D(2027, 2, 18)
        assert by_label["批复期限"].after == D(2027, 2, 24) and not by_label["批复期限"].provisional
        assert "改为2027-02-24（已确定）" in by_label["批复期限"].text
        row = reading.list_cases(cf, today=today).rows[0]
        assert not row.next_due_provisional
        assert settings.calendar_banner(cf, today) == ""


def test_marking_a_year_complete_is_audited_and_makes_dates_firm(case_url: str) -> None:
    with open_case_file(case_url, user="测试") as cf:
        cid = open_fire(cf, D(2026, 12, 1))
        assert clock(cf, cid, "调查期限", D(2026, 12, 2)).provisional  # type: ignore[attr-defined]
        settings.mark_year_complete(cf, 2027)
        assert not clock(cf, cid, "调查期限", D(2026, 12, 2)).provisional  # type: ignore[attr-defined]
        settings.mark_year_complete(cf, 2027, False)
        assert clock(cf, cid, "调查期限", D(2026, 12, 2)).provisional  # type: ignore[attr-defined]
        from firecase.services.maintenance import list_audit

        rows = [e for e in list_audit(cf, limit=1000) if e.entity == "calendar_years"]
        assert {e.action for e in rows} >= {"insert", "delete"}


def test_the_banner_from_1_november(case_url: str) -> None:
    with open_case_file(case_url, user="测试") as cf:
        assert settings.calendar_banner(cf, D(2026, 10, 31)) == ""
        assert settings.calendar_banner(cf, D(2026, 11, 1)) == "2027年节假日安排尚未导入"
        settings.mark_year_complete(cf, 2027)
        assert settings.calendar_banner(cf, D(2026, 11, 1)) == ""
