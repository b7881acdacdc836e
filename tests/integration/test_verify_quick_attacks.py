"""Review (role: an attacker with write access to the case file): changes made behind
FireCase's back after a verified point that the quick check reports as SOUND although the
docs (README "firecase verify", docs/DESIGN.md "The incremental check") do not admit them as
a limitation. The admitted limitation is only "a value changed in a record the trail has not
touched since the point". Each test asserts what the docs promise; each one fails today.
The full check (quick=False) is asserted to catch the same change, to show the case file
really is unsound."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text
from test_verify_quick import _tamper

from firecase.services import findings
from firecase.services.dto import CauseInput
from firecase.services.maintenance import POINT_KEY, verify_case_file
from firecase.store import CaseFile
from firecase.store.audit import chain_head
from firecase.store.models import Cause
from firecase.store.replay_since import table_marks


def _scalar(cf: CaseFile, sql: str) -> Any:
    with cf.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


def _full_check_fails(cf: CaseFile) -> None:
    """The full check sees the change (run last: a sound full check would move the point)."""
    assert not verify_case_file(cf).ok


def test_a_point_moved_to_the_head_behind_firecases_back_is_not_believed(
    checked: CaseFile,
) -> None:
    """The point is a plain settings row nothing authenticates: after any edit (here a
    deleted cause, which the docs say the counts reveal) the attacker writes the current head
    and counts into ``verify_point`` and the quick check checks nothing. The point's own
    write is audited (the row after the point records it), so a point whose value is not
    what the trail last wrote for ``settings/verify_point`` must be refused."""
    _tamper(checked, "DELETE FROM causes WHERE id = (SELECT min(id) FROM causes)")
    with checked.engine.begin() as conn:
        seq, digest = chain_head(conn)
        old = json.loads(
            conn.execute(
                text("SELECT value FROM settings WHERE key = :k"), {"k": POINT_KEY}
            ).scalar_one()
        )
        forged = dict(old, seq=seq, hash=digest, marks=table_marks(conn))
        conn.execute(
            text("UPDATE settings SET value = :v WHERE key = :k"),
            {"v": json.dumps(forged, ensure_ascii=False, sort_keys=True), "k": POINT_KEY},
        )
    report = verify_case_file(checked, quick=True)
    if checked.team is None and checked.engine.dialect.name == "sqlite":
        assert not report.ok, "a forged verified point made the quick check report SOUND"
        assert any("检查点与审计记录中最后写入的不符" in n for n in report.notes)
    else:
        # PostgreSQL: the point's rewrite (triggers on) is itself audited under the login
        # that made it; the quick check names who recorded the point it trusted (a superuser
        # can rewrite the trail too: the anchor printed on reports is the defence there)
        assert any("检查点由 firecase" in n for n in report.notes), report.notes
    _full_check_fails(checked)


def test_a_row_deleted_and_another_inserted_behind_firecases_back_is_found(
    checked: CaseFile,
) -> None:
    """README: "the tables' row counts (a row added or deleted outside FireCase changes
    them)". A delete plus an insert in the same table keeps the count; neither row is in the
    trail since the point, so nothing is compared: SOUND."""
    case_id = _scalar(checked, "SELECT min(id) FROM cases")
    _tamper(checked, "DELETE FROM causes WHERE id = (SELECT min(id) FROM causes)")
    _tamper(
        checked,
        "INSERT INTO causes (case_id, kind, text, version) "
        f"VALUES ({case_id}, '直接原因', '伪造的原因', 1)",
    )
    report = verify_case_file(checked, quick=True)
    assert not report.ok, "delete + insert (count unchanged) passed the quick check"
    _full_check_fails(checked)


def test_a_record_whose_id_was_changed_behind_firecases_back_is_found(
    checked: CaseFile,
) -> None:
    """Renumbering a record (UPDATE … SET id) is a row gone and a row that the trail never
    added; the count is unchanged and neither key is in the trail since: SOUND."""
    _tamper(checked, "UPDATE causes SET id = 987654 WHERE id = (SELECT min(id) FROM causes)")
    report = verify_case_file(checked, quick=True)
    assert not report.ok, "a record renumbered behind FireCase's back passed the quick check"
    _full_check_fails(checked)


def test_a_record_changed_since_and_edited_in_another_column_is_found(
    checked: CaseFile,
) -> None:
    """For a record updated since the point, only the columns the trail changed since are
    compared: an edit of another column is the full check's, and the quick report says so."""
    cause_id = _scalar(checked, "SELECT min(id) FROM causes")
    with checked.unit_of_work() as uow:  # an ordinary audited edit through FireCase
        cause = uow.session.get(Cause, cause_id)
        assert cause is not None
        cause.text = "经复核修改的原因"
        uow.commit()
    _tamper(checked, f"UPDATE causes SET kind = '伪造' WHERE id = {cause_id}")
    # the quick check compares the columns the trail changed since; it says so, and that the
    # full check is needed for the others (an index of the trail by record would be needed
    # to replay every touched record's whole history)
    report = verify_case_file(checked, quick=True)
    assert any("未经审计改动过的字段（任何记录的）" in n for n in report.notes), report.notes
    _full_check_fails(checked)


def test_a_clock_added_to_the_board_behind_firecases_back_is_found(
    checked: CaseFile,
) -> None:
    """``open_clocks`` (the clock board) is not audited; the quick check recomputes only the
    cases the trail touched since. A clock row forged for another case is the full check's,
    and the quick report says so."""
    first = _scalar(checked, "SELECT min(id) FROM cases")
    other = _scalar(checked, "SELECT max(id) FROM cases")
    for case_id in (first, other):  # both cases recomputed by the services (not stale)
        findings.add_cause(
            checked, case_id, CauseInput(kind="间接原因", text="甲"), override_reason="测试"
        )
    assert verify_case_file(checked).ok  # a new point, with both cases' clocks checked
    findings.add_cause(  # only the first case is written since the point
        checked, first, CauseInput(kind="间接原因", text="乙"), override_reason="测试"
    )
    _tamper(
        checked,
        "INSERT INTO open_clocks (case_id, position, kind, label, subject, start, due, paused, "
        "computed, explanation, basis, closes_on, provisional) VALUES "
        f"({other}, 99, 'forged', '伪造的期限', '', '2026-01-01', '2026-01-31', "
        "FALSE, TRUE, '', '', NULL, FALSE)",
    )
    # the recomputed data of cases not written since is the full check's: the quick check
    # says so (the board is rewritten without audit, so no count can be kept for it)
    report = verify_case_file(checked, quick=True)
    assert any("其他案件的计算数据（期限看板）" in n for n in report.notes), report.notes
    _full_check_fails(checked)
