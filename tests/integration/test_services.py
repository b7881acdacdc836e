"""Services end to end on SQLite and PostgreSQL: demo, list/count/get, clocks, conflicts, CLI."""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from firecase.errors import ConflictError, NotFoundError, ValidationError
from firecase.samples.demo import demo_command, write_demo
from firecase.services import cases, evidence, parties, reading, reply
from firecase.services.clock_board import clock_board, clocks_command
from firecase.services.dto import CaseSort, CasualtyInput, IncidentInput, PartyInput
from firecase.services.maintenance import list_audit, verify_case_file, verify_command
from firecase.store import open_case_file

TODAY = dt.date(2026, 5, 25)


def test_demo_and_reads(case_url: str) -> None:
    with open_case_file(case_url, user="演示") as cf:
        small, big = write_demo(cf, TODAY)
        d1 = reading.get_case(cf, small, today=TODAY)
        d2 = reading.get_case(cf, big, today=TODAY)
        assert d1.case.grade == "一般" and d1.deaths == 1
        assert d1.inclusion is not None and d1.inclusion.included
        assert 1 in d1.inclusion.clauses
        assert d2.case.grade == "较大" and d2.case.stage == "评估"
        assert d2.inclusion is not None and d2.inclusion.judgement.social_impact
        assert any(not m.active for m in d1.members)  # recused member left the roster
        assert len(d1.report_sections) == 8 and d1.report_sections[0].body
        assert d1.evidence[0].custody and d1.evidence[0].attachments
        assert d2.publication.redactions
        assert d2.evaluation is not None and d2.evaluation_items
        assert {c.label for c in d2.clocks} >= {"调查期限", "批复期限", "处理备案期限"}
        content = evidence.get_attachment_content(cf, d1.attachments[0].id)
        assert len(content) == d1.attachments[0].size

        page = reading.list_cases(cf, today=TODAY)
        assert page.total == 2 and len(page.rows) == 2
        assert page.rows[0].next_due_on is not None
        assert reading.count_cases(cf, grade="较大", today=TODAY) == 1
        assert reading.count_cases(cf, text="华纺", today=TODAY) == 1
        assert reading.count_cases(cf, text="100%_", today=TODAY) == 0
        overdue = reading.list_cases(cf, overdue_only=True, today=TODAY)
        assert [r.id for r in overdue.rows] == [big] and overdue.rows[0].overdue
        for sort in CaseSort:
            assert reading.list_cases(cf, sort=sort, limit=1, offset=1, today=TODAY).total == 2

        board = clock_board(cf, TODAY)
        assert board[0].overdue
        firsts = [c.overdue for c in board]
        assert firsts == sorted(firsts, reverse=True)

        report = verify_case_file(cf)
        assert report.ok, report
        assert list_audit(cf, case_id=small, limit=5)


def _open_january_case(cf: Any, title: str) -> Any:
    """A case of a fire on 2026-01-05 with ¥600,000 of loss (included), opened the next day."""
    return cases.open_case(
        cf,
        IncidentInput(
            title=title,
            fire_date=dt.date(2026, 1, 5),
            place="天门市",
            fire_type="建筑火灾",
            property_loss_yuan=Decimal("100"),
            economic_loss_yuan=Decimal("600000"),
        ),
        CasualtyInput(as_of=dt.date(2026, 1, 5), deaths=0, serious_injuries=0),
        today=dt.date(2026, 1, 6),
    )


def test_service_conflict_and_errors(case_url: str) -> None:
    with open_case_file(case_url, user="u") as cf:
        c = _open_january_case(cf, "测试")
        assert c.case_no == "天消调〔2026〕第001号" and c.included
        p = parties.add_party(cf, c.id, PartyInput(kind="个人", name="张三"))
        parties.update_party(
            cf, p.id, PartyInput(kind="个人", name="张三丰"), expected_version=p.version
        )
        with pytest.raises(ConflictError):
            parties.update_party(
                cf, p.id, PartyInput(kind="个人", name="张四"), expected_version=p.version
            )
        with pytest.raises(NotFoundError):
            reading.get_case(cf, 9999)
        with pytest.raises(ValidationError) as err:
            parties.add_party(cf, c.id, PartyInput(kind="个人", name="  "))
        assert err.value.field == "name"
        d = reading.get_case(cf, c.id, today=dt.date(2026, 1, 6))
        assert d.parties[0].name == "张三丰"


def test_cli_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "demo.sqlite")
    assert demo_command(argparse.Namespace(db=db, user="演示")) == 0
    assert clocks_command(argparse.Namespace(db=db, user=None, today="2026-05-25")) == 0
    out = capsys.readouterr().out
    assert "已逾期" in out and "调查期限" in out
    assert out.index("[已逾期]") < out.index("[已完成]")
    assert verify_command(argparse.Namespace(db=db, user=None)) == 0
    with open_case_file(db) as cf, cf.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = '别人' WHERE seq = 5"))
    assert verify_command(argparse.Namespace(db=db, user=None)) == 1
    assert "第5条" in capsys.readouterr().out
    assert clocks_command(argparse.Namespace(db=db, user=None, today="明天")) == 2


def test_a_report_submitted_after_the_due_date_is_done_late(case_url: str) -> None:
    """调查期限 done after its due date shows how late (the day itself is in time)."""
    from firecase.services.reporting import clock_sheet_data

    with open_case_file(case_url, user="u") as cf:
        c = _open_january_case(cf, "迟交报告")
        day = dt.date(2026, 5, 1)

        def investigation() -> object:
            d = reading.get_case(cf, c.id, today=day)
            return next(k for k in d.clocks if k.label == "调查期限")

        due = investigation().due  # 60 days after 2026-01-05, rolled: 2026-03-06 (a Friday)
        assert due == dt.date(2026, 3, 6)
        cases_ = ((due, 0), (due + dt.timedelta(days=1), 1), (dt.date(2026, 3, 20), 14))
        for submitted, late in cases_:
            version = reading.get_case_summary(cf, c.id).version
            reply.record_report_submitted(cf, c.id, submitted, expected_version=version, today=day)
            clock = investigation()
            assert clock.done_on == submitted and clock.late_days == late
            assert clock.status == "已完成" and not clock.overdue
            sheet = clock_sheet_data(cf, c.case_no, today=day)
            row = next(r for r in sheet.rows if r.label == "调查期限")
            assert row.status == ("已完成" if late == 0 else f"已完成（逾期{late}天）")
