"""The incremental check (``verify_case_file(quick=True)``, ``firecase verify --quick``): it
checks from the point the last sound check recorded, finds what was done behind FireCase's
back since, refuses a point whose history was rewritten, and says what it did not check
(both backends). Progress is reported step by step while it runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from _fill import fill_case
from _pg import as_superuser_without_triggers
from sqlalchemy import text
from test_verify_replay import _rewrite_history

from firecase.progress import Step
from firecase.services import findings
from firecase.services.dto import CauseInput
from firecase.services.maintenance import verified_point, verify_case_file, verify_lines
from firecase.store import CaseFile, open_case_file


def _tamper(cf: CaseFile, sql: str) -> None:
    with cf.engine.begin() as conn:
        as_superuser_without_triggers(conn)
        conn.execute(text(sql))


def _case_id(cf: CaseFile) -> int:
    with cf.connect() as conn:
        return int(conn.execute(text("SELECT min(id) FROM cases")).scalar_one())


def test_without_a_point_the_full_check_is_made(case_url: str) -> None:
    with open_case_file(case_url, user="填表员") as cf:
        fill_case(cf, 1)
        report = verify_case_file(cf, quick=True)
        assert report.ok and report.quick_since is None
        assert any("还没有检查点" in n for n in report.notes)
        assert verified_point(cf) is not None  # the sound check recorded one


def test_a_sound_quick_check_moves_the_point_on(checked: CaseFile) -> None:
    first = verified_point(checked)
    assert first is not None
    findings.add_cause(
        checked,
        _case_id(checked),
        CauseInput(kind="间接原因", text="新原因"),
        override_reason="测试",
    )
    report = verify_case_file(checked, quick=True)
    assert report.ok and report.quick_since == first.seq
    assert report.audit_rows > 0 and report.data_records > 0
    assert report.derived_cases == 1  # only the case written since
    lines = "\n".join(verify_lines(report))
    assert "增量检查" in lines and "只有完整检查能发现" in lines and "未做" in lines
    later = verified_point(checked)
    assert later is not None and later.seq > first.seq and later.full_at == first.full_at


QUICK_EDITS = {  # what -> (SQL behind FireCase's back after the point, text in the problem)
    "row inserted": (
        "INSERT INTO causes (case_id, kind, text, version) "
        "SELECT case_id, kind, text, 1 FROM causes ORDER BY id LIMIT 1",
        "在 FireCase 之外写入",
    ),
    "row deleted": ("DELETE FROM causes WHERE id = (SELECT max(id) FROM causes)", "删除"),
}


@pytest.mark.parametrize("what", list(QUICK_EDITS))
def test_rows_added_or_deleted_behind_firecases_back_are_counted(
    checked: CaseFile, what: str
) -> None:
    sql, expected = QUICK_EDITS[what]
    _tamper(checked, sql)
    report = verify_case_file(checked, quick=True)
    assert not report.ok and any(expected in p for p in report.data_problems), report
    assert any("causes" in p for p in report.data_problems)


def test_a_record_written_since_and_then_edited_behind_firecases_back_is_found(
    checked: CaseFile,
) -> None:
    cause = findings.add_cause(
        checked, _case_id(checked), CauseInput(kind="间接原因", text="甲"), override_reason="测试"
    )
    _tamper(checked, f"UPDATE causes SET text = '乙' WHERE id = {cause.id}")
    report = verify_case_file(checked, quick=True)
    assert not report.ok
    assert any("字段“text”" in p and "乙" in p for p in report.data_problems), report


def test_a_history_rewritten_before_the_point_is_refused(checked: CaseFile) -> None:
    _rewrite_history(checked, 2, "actor", "别人")  # a valid chain again, but a new history
    report = verify_case_file(checked, quick=True)
    assert not report.ok and not report.audit_ok
    assert any("检查点不符" in p for p in report.audit_problems), report.audit_problems


def test_a_failed_check_keeps_the_old_point(checked: CaseFile) -> None:
    before = verified_point(checked)
    _tamper(checked, QUICK_EDITS["row deleted"][0])
    assert not verify_case_file(checked, quick=True).ok
    assert verified_point(checked) == before


def test_a_damaged_point_means_a_full_check(checked: CaseFile) -> None:
    _tamper(checked, "UPDATE settings SET value = '{broken' WHERE key = 'verify_point'")
    report = verify_case_file(checked, quick=True)
    assert report.quick_since is None and any("还没有检查点" in n for n in report.notes)
    # the edit of the point itself is an edit behind FireCase's back: the full check says so
    assert not report.ok and any("settings" in p for p in report.data_problems)


def test_progress_is_reported_step_by_step(checked: CaseFile) -> None:
    steps: list[Step] = []
    verify_case_file(checked, progress=steps.append)
    phases = [s.phase for s in steps if s.done == 0]
    assert phases == ["数据库完整性检查", "审计链", "数据与审计记录比对", "重新计算期限"]
    assert all(s.steps == 4 for s in steps) and [s.index for s in steps] == sorted(
        s.index for s in steps
    )
    steps.clear()
    verify_case_file(checked, quick=True, progress=steps.append)
    assert [s.phase for s in steps if s.done == 0] == [
        "审计链",
        "比对检查点之后写入的数据",
        "重新计算期限",
    ]
    assert all(s.task == "增量检查案卷" for s in steps)


def test_the_command_line_checks_quickly_and_reports_progress_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "快.sqlite"
    with open_case_file(path, user="填表员") as cf:
        fill_case(cf, 1)

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "firecase", "verify", "--db", str(path), *extra],
            capture_output=True,
            text=True,
            timeout=120,
        )

    full = run()
    assert full.returncode == 0, full.stdout + full.stderr
    assert "检查案卷（第 1/4 步：数据库完整性检查）" in full.stderr
    assert "检查案卷" not in full.stdout.split("\n")[0]  # the result only on stdout
    quick = run("--quick")
    assert quick.returncode == 0, quick.stdout + quick.stderr
    assert "增量检查案卷（第 1/3 步：审计链）" in quick.stderr
    assert "增量检查" in quick.stdout and "Traceback" not in quick.stderr
