"""The case list on SQLite and PostgreSQL: the inclusion column and sorting in both directions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from alembic import command
from sqlalchemy import create_engine, text

from firecase.services import cases, reading, reply
from firecase.services.dto import CaseRow, CaseSort, CasualtyInput, IncidentInput, JudgementInput
from firecase.services.vocab import inclusion_clause_text
from firecase.store import CaseFile, open_case_file
from firecase.store.filecheck import alembic_config

TODAY = dt.date(2026, 5, 25)


def _open(cf: CaseFile, day: int, *, deaths: int = 0, loss: str = "1000", month: int = 3) -> int:
    fire = dt.date(2026, month, day)
    summary = cases.open_case(
        cf,
        IncidentInput(
            title=f"测试火灾{month}-{day}",
            fire_date=fire,
            place="天门市竟陵街道",
            fire_type="建筑火灾",
            property_loss_yuan=Decimal(loss),
            economic_loss_yuan=Decimal(loss),
        ),
        CasualtyInput(as_of=fire, deaths=deaths, serious_injuries=0),
        today=TODAY,
    )
    return summary.id


def _ids(cf: CaseFile, sort: CaseSort) -> list[int]:
    return [r.id for r in reading.list_cases(cf, sort=sort, today=TODAY).rows]


def _row(cf: CaseFile, case_id: int) -> CaseRow:
    return next(r for r in reading.list_cases(cf, today=TODAY).rows if r.id == case_id)


def test_clause_text() -> None:
    assert inclusion_clause_text("1,2") == "第五条第一项、第二项"
    assert inclusion_clause_text("4") == "第五条第四项"
    assert inclusion_clause_text("") == ""


def test_rows_carry_the_inclusion_decision(case_url: str) -> None:
    with open_case_file(case_url, user="测试") as cf:
        both = _open(cf, 1, deaths=1, loss="600000")
        death = _open(cf, 2, deaths=1)
        small = _open(cf, 3)
        assert (_row(cf, both).included, _row(cf, both).inclusion_basis) == (
            True,
            "第五条第一项、第二项",
        )
        assert _row(cf, death).inclusion_basis == "第五条第一项"
        assert (_row(cf, small).included, _row(cf, small).inclusion_basis) == (False, "")

        # a judgement (第五条第四项) brings the small fire in; the list follows at once
        cases.record_judgement(
            cf,
            small,
            JudgementInput(
                deemed_necessary=True,
                deemed_by="天门市消防救援支队",
                deemed_on=dt.date(2026, 3, 5),
                deemed_reason="群众反映强烈",
            ),
            today=TODAY,
        )
        assert (_row(cf, small).included, _row(cf, small).inclusion_basis) == (
            True,
            "第五条第四项",
        )
        # fewer deaths after a correction: the first item no longer holds
        cases.add_casualty_update(
            cf,
            death,
            CasualtyInput(as_of=dt.date(2026, 3, 4), deaths=0, serious_injuries=0),
            today=TODAY,
        )
        assert (_row(cf, death).included, _row(cf, death).inclusion_basis) == (False, "")


def test_upgrade_fills_the_clauses_from_the_stored_decisions(case_url: str) -> None:
    with open_case_file(case_url, user="测试") as cf:
        both = _open(cf, 1, deaths=1, loss="600000")
        small = _open(cf, 2)
    url = case_url if "://" in case_url else f"sqlite:///{case_url}"
    engine = create_engine(url)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0004")
    engine.dispose()
    with open_case_file(case_url, user="测试") as cf:
        assert cf.upgraded_from == "0004"
        assert _row(cf, both).inclusion_basis == "第五条第一项、第二项"
        assert _row(cf, small).inclusion_basis == ""
        with cf.connect() as conn:
            stored = dict(conn.execute(text("SELECT id, inclusion_clauses FROM cases")).all())
        assert stored == {both: "1,2", small: ""}


def test_every_sortable_column_sorts_both_ways(case_url: str) -> None:
    with open_case_file(case_url, user="测试") as cf:
        # numbers follow the order of entry; fire dates do not; grades and stages differ
        a = _open(cf, 20, loss="600000")  # included (第五条第二项): its clocks run
        b = _open(cf, 5, deaths=4)  # 较大
        c = _open(cf, 12, deaths=1)
        d = _open(cf, 1, month=1, loss="600000")  # long past: its investigation clock is overdue
        version = reading.get_case_summary(cf, a).version
        reply.record_report_submitted(
            cf, a, dt.date(2026, 4, 1), expected_version=version, today=TODAY
        )
        version = reading.get_case_summary(cf, a).version
        reply.record_report_received(
            cf, a, dt.date(2026, 4, 2), expected_version=version, today=TODAY
        )
        for sort in CaseSort:
            assert sorted(_ids(cf, sort)) == sorted([a, b, c, d]), sort
            assert sort.opposite.opposite is sort

        assert _ids(cf, CaseSort.CASE_NO) == [d, c, b, a]
        assert _ids(cf, CaseSort.CASE_NO_ASC) == [a, b, c, d]
        assert _ids(cf, CaseSort.FIRE_DATE_DESC) == [a, c, b, d]
        assert _ids(cf, CaseSort.FIRE_DATE_ASC) == [d, b, c, a]
        assert _ids(cf, CaseSort.GRADE)[0] == b
        assert _ids(cf, CaseSort.GRADE_ASC)[-1] == b
        assert _ids(cf, CaseSort.GRADE_ASC) == list(reversed(_ids(cf, CaseSort.GRADE)))

        rows = reading.list_cases(cf, sort=CaseSort.NEXT_DUE, today=TODAY).rows
        dues = [r.next_due_on for r in rows]
        assert all(dues), dues
        assert dues == sorted(dues)  # type: ignore[type-var]
        back = reading.list_cases(cf, sort=CaseSort.NEXT_DUE_DESC, today=TODAY).rows
        assert [r.next_due_on for r in back] == sorted(dues, reverse=True)  # type: ignore[type-var]

        stages = [_row(cf, i).stage for i in _ids(cf, CaseSort.STAGE)]
        assert stages[-1] == _row(cf, a).stage != stages[0]
        stages_back = [_row(cf, i).stage for i in _ids(cf, CaseSort.STAGE_DESC)]
        assert stages_back[0] == _row(cf, a).stage
        # paging is stable in both directions
        for sort in (CaseSort.CASE_NO, CaseSort.CASE_NO_ASC, CaseSort.GRADE_ASC):
            paged = [
                r.id
                for off in range(4)
                for r in reading.list_cases(cf, sort=sort, offset=off, limit=1, today=TODAY).rows
            ]
            assert paged == _ids(cf, sort)


def _found(cf: CaseFile, needle: str) -> set[int]:
    return {r.id for r in reading.list_cases(cf, text=needle, today=TODAY).rows}


def test_text_search_uses_the_search_column_and_follows_edits(case_url: str) -> None:
    with open_case_file(case_url, user="测试") as cf:
        a = _open(cf, 1)
        b = _open(cf, 2)
        summary = reading.get_case_summary(cf, b)
        cases.update_incident(
            cf,
            b,
            IncidentInput(
                title="测试火灾3-2",
                fire_date=dt.date(2026, 3, 2),
                place="天门市岳口镇",
                unit_name="ABC纺织有限公司",
                fire_type="建筑火灾",
                property_loss_yuan=Decimal("1000"),
                economic_loss_yuan=Decimal("1000"),
            ),
            expected_version=summary.version,
            today=TODAY,
        )
        assert _found(cf, "岳口") == {b}
        assert _found(cf, "abc纺织") == _found(cf, "Abc") == {b}  # any letter case
        assert _found(cf, "测试火灾3-1") == {a}
        assert _found(cf, reading.get_case_summary(cf, a).case_no) == {a}
        assert _found(cf, "竟陵") == {a}
        assert _found(cf, "100%") == set()
        assert reading.count_cases(cf, text="天门市", today=TODAY) == 2

    # an older file gets the column filled when it is upgraded
    url = case_url if "://" in case_url else f"sqlite:///{case_url}"
    engine = create_engine(url)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0005")
    engine.dispose()
    with open_case_file(case_url, user="测试") as cf:
        assert cf.upgraded_from == "0005"
        assert _found(cf, "abc") == {b}
        assert _found(cf, "竟陵") == {a}
