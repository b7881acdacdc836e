"""``firecase synth``: a synthetic case file that verifies, reads and derives like a real one."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from firecase.cli import main as cli_main
from firecase.samples.synth import LARGE_CASE_TITLE, synthesize
from firecase.services import _derive
from firecase.services.clock_board import clock_board, done_clocks
from firecase.services.dto import CaseSort, Stage
from firecase.services.maintenance import verify_case_file
from firecase.services.reading import get_case, list_cases
from firecase.store import models as m, open_case_file

TODAY = dt.date(2026, 6, 1)
N = 300


def _synth(url: str, seed: int = 7, n: int = N) -> None:
    with open_case_file(url, user="测试") as cf:
        result = synthesize(cf, n, seed=seed, today=TODAY, batch=120)
        assert result.cases == n
        if cf.is_sqlite:
            assert result.audit_entries == -(-n // 120)  # one per batch of 120
        else:  # the database's triggers audit each row written (derived tables excepted)
            audited = sum(k for t, k in result.rows.items() if t not in m.DERIVED_TABLES)
            assert result.audit_entries == audited
            with cf.connect() as conn:
                head = conn.exec_driver_sql("SELECT last_seq FROM audit_head").scalar()
            assert head is not None and head >= audited
        assert result.large_case_id is not None


def test_synthesized_file_verifies_and_reads(case_url: str) -> None:
    _synth(case_url)
    with open_case_file(case_url, user="测试") as cf:
        check = cf.verify_audit()
        assert check.ok, check.problems
        assert cf.integrity_check() == ()
        page = list_cases(cf, limit=200, today=TODAY)
        assert page.total == N and len(page.rows) == 200
        dues = [r.next_due_on for r in page.rows if r.next_due_on is not None]
        assert dues == sorted(dues)
        by_stage = list_cases(cf, stage=Stage.CLOSED.value, today=TODAY)
        assert by_stage.rows and all(r.stage == Stage.CLOSED.value for r in by_stage.rows)
        town = list_cases(cf, text="岳口", today=TODAY)
        assert all("岳口" in r.title or "岳口" in r.place for r in town.rows)
        assert list_cases(cf, sort=CaseSort.FIRE_DATE_DESC, offset=200, today=TODAY).rows

        board = clock_board(cf, TODAY)
        open_board = clock_board(cf, TODAY, include_done=False)
        assert open_board == tuple(c for c in board if c.done_on is None)
        statuses = Counter(c.status for c in open_board)
        assert statuses["已逾期"] > 0 and statuses["进行中"] + statuses["即将到期"] > 0
        assert any(c.paused for c in open_board)

        # done clocks a page at a time, newest cases first: the same clocks as the full board
        done = [c for c in board if c.done_on is not None]
        first = done_clocks(cf, TODAY, limit=40)
        second = done_clocks(cf, TODAY, limit=40, offset=40)
        assert len(first) == len(second) == 40
        assert all(c.done_on is not None for c in first + second)
        assert len(set(first + second)) == 80 and set(first + second) <= set(done)
        assert first[0].case_id == max(c.case_id for c in done)
        everything = done_clocks(cf, TODAY, limit=100_000)
        assert sorted(everything, key=repr) == sorted(done, key=repr)
        assert everything[:80] == first + second

        with cf.unit_of_work() as uow:
            large = uow.session.scalar(select(m.Case.id).where(m.Case.title == LARGE_CASE_TITLE))
        assert large is not None
        detail = get_case(cf, large, today=TODAY)
        assert len(detail.members) == 50 and len(detail.evidence) == 200
        assert all(len(e.custody) == 1 for e in detail.evidence)


def test_spread_of_grades_stages_and_clocks(tmp_path: Path) -> None:
    db = str(tmp_path / "synth.sqlite")
    _synth(db)
    with open_case_file(db, user="测试") as cf, cf.unit_of_work() as uow:
        s = uow.session
        grades = Counter(s.scalars(select(m.Case.grade)))
        stages = Counter(s.scalars(select(m.Case.stage)))
        assert grades["一般"] > 0.8 * N and grades["较大"] >= 1
        assert {Stage.INVESTIGATING.value, Stage.CLOSED.value} <= set(stages)
        assert len(stages) >= 4
        for model in (m.Party, m.TeamMember, m.SubGroupMember, m.Appraisal, m.Extension):
            assert s.scalar(select(model).limit(1)) is not None, model.__name__
        assert s.scalar(select(m.Appraisal).where(m.Appraisal.opinion_on.is_(None)).limit(1))
        assert s.scalar(select(m.Case).where(m.Case.clocks_stale.is_(True)).limit(1)) is None


def test_derived_columns_agree_with_the_services(tmp_path: Path) -> None:
    db = str(tmp_path / "synth.sqlite")
    _synth(db)
    with open_case_file(db, user="测试") as cf, cf.unit_of_work() as uow:
        s = uow.session
        cases = list(s.scalars(select(m.Case)))
        stored = {
            c.id: (c.stage, c.next_due_on, c.next_due_label, c.has_open_clocks) for c in cases
        }
        for c in cases:
            _derive.refresh_derived(s, c, TODAY)
        again = {c.id: (c.stage, c.next_due_on, c.next_due_label, c.has_open_clocks) for c in cases}
        assert again == stored  # nothing for the services to change (and no commit)


def _snapshot(db: str) -> list[tuple[object, ...]]:
    with open_case_file(db, user="测试") as cf, cf.connect() as conn:
        rows: list[tuple[object, ...]] = []
        for table in (m.Case, m.TeamMember, m.EvidenceItem, m.Appraisal, m.HandlingTask):
            t = table.__table__
            rows += [tuple(r) for r in conn.execute(select(t).order_by(t.c.id))]  # type: ignore[attr-defined]
        return rows


def test_same_seed_same_data(tmp_path: Path) -> None:
    a, b, c = (str(tmp_path / f"{x}.sqlite") for x in "abc")
    _synth(a, seed=11, n=120)
    _synth(b, seed=11, n=120)
    _synth(c, seed=12, n=120)
    assert _snapshot(a) == _snapshot(b)
    assert _snapshot(a) != _snapshot(c)


def test_cli_synth_then_verify(tmp_path: Path, capsys: object) -> None:
    db = str(tmp_path / "cli.sqlite")
    args = ["synth", "--db", db, "--cases", "40", "--seed", "3", "--today", "2026-06-01"]
    assert cli_main(args) == 0
    assert cli_main(["verify", "--db", db]) == 0
    assert cli_main(["synth", "--db", db, "--cases", "0"]) == 2  # refused in Chinese


def test_synthesized_clock_boards_are_what_the_services_compute(tmp_path: Path) -> None:
    """verify recomputes every case's derived data: at 3,000 cases (seed 5) the synthesized
    clock board once named the extension's approver differently from the services."""
    db = str(tmp_path / "board.sqlite")
    args = ["synth", "--db", db, "--cases", "3000", "--seed", "5", "--today", "2026-06-01"]
    assert cli_main(args) == 0
    with open_case_file(db, user="测试") as cf:
        report = verify_case_file(cf)
    assert report.ok and report.derived_cases == 3000, report.data_problems
