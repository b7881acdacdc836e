"""``firecase verify`` proves the data: each kind of edit behind FireCase's back is found, each
history rewrite the printed anchor can expose is exposed, and sound files pass (both backends).

"Behind FireCase's back" on PostgreSQL means a superuser with the audit triggers switched off
(with them on, a psql edit is audited like any other and is no mismatch: test_pg_team.py).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from _fill import fill_case
from _pg import as_superuser_without_triggers
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import Connection, text

from firecase.errors import PermissionDeniedError, ValidationError
from firecase.services import backup, reading
from firecase.services.maintenance import verify_case_file
from firecase.services.transfer import export_case, import_case
from firecase.store import CaseFile, open_case_file
from firecase.store.audit import row_hash
from firecase.store.replay import parse_anchor
from tests._demo import demo_into

Tamper = Callable[[Connection], None]


def _tamper(cf: CaseFile, sql: str, **params: Any) -> None:
    with cf.engine.begin() as conn:
        as_superuser_without_triggers(conn)
        conn.execute(text(sql), params)


def _head(cf: CaseFile) -> str:
    with cf.connect() as conn:
        seq, digest = conn.execute(text("SELECT last_seq, last_hash FROM audit_head")).one()
    return f"{seq}:{digest}"


@pytest.fixture
def filled(case_url: str) -> CaseFile:
    cf = open_case_file(case_url, user="填表员")
    fill_case(cf, 1)
    fill_case(cf, 2)
    return cf


def test_a_sound_file_passes(filled: CaseFile) -> None:
    with filled as cf:
        report = verify_case_file(cf, anchor=_head(cf))
        assert report.ok, (report.data_problems, report.anchor_problems)
        assert report.data_records > 50


EDITS: dict[str, tuple[str, str]] = {  # what -> (SQL behind FireCase's back, text in the problem)
    "loss amount": (
        "UPDATE cases SET property_loss_yuan = property_loss_yuan + 1 WHERE id = "
        "(SELECT min(id) FROM cases)",
        "property_loss_yuan",
    ),
    "team member": (
        "UPDATE team_members SET name = '冒名顶替' WHERE id = (SELECT min(id) FROM team_members)",
        "调查组成员（team_members）",
    ),
    "finding": (
        "UPDATE findings SET text = '改写的认定' WHERE id = (SELECT min(id) FROM findings)",
        "调查认定（findings）",
    ),
    "evidence deleted": (
        "DELETE FROM evidence_items WHERE id = (SELECT max(id) FROM evidence_items)",
        "已不存在",
    ),
    "whole case deleted": ("DELETE FROM cases WHERE id = (SELECT max(id) FROM cases)", "已不存在"),
    "whole case inserted": (
        "INSERT INTO cases SELECT * FROM cases WHERE id = -1",  # replaced below per backend
        "不在审计记录中",
    ),
    "attachment bit flipped": ("ATTACHMENT", "SHA-256 不符"),
}


def _insert_case(cf: CaseFile) -> None:
    with cf.engine.begin() as conn:
        as_superuser_without_triggers(conn)
        row = dict(conn.execute(text("SELECT * FROM cases ORDER BY id LIMIT 1")).mappings().one())
        row.update(id=9999, case_no="测消调〔2026〕第999号", seq=999)
        cols = ", ".join(row)
        conn.execute(
            text(f"INSERT INTO cases ({cols}) VALUES ({', '.join(':' + c for c in row)})"), row
        )


def _flip_attachment(cf: CaseFile) -> None:
    with cf.engine.begin() as conn:
        as_superuser_without_triggers(conn)
        sha, content = conn.execute(
            text(
                "SELECT c.sha256, c.data FROM attachment_chunks c"
                " JOIN attachments a ON a.sha256 = c.sha256 ORDER BY a.id, c.seq LIMIT 1"
            )
        ).one()
        data = bytearray(content)
        data[len(data) // 2] ^= 0x01
        conn.execute(
            text("UPDATE attachment_chunks SET data = :c WHERE sha256 = :s AND seq = 0"),
            {"c": bytes(data), "s": sha},
        )


@pytest.mark.parametrize("what", list(EDITS))
def test_each_edit_behind_firecases_back_is_found(filled: CaseFile, what: str) -> None:
    sql, expected = EDITS[what]
    with filled as cf:
        if what == "whole case inserted":
            _insert_case(cf)
        elif what == "attachment bit flipped":
            _flip_attachment(cf)
        else:
            _tamper(cf, sql)
        assert cf.verify_audit().ok  # the chain itself is intact: only the data was changed
        report = verify_case_file(cf)
        assert not report.ok
        assert any(expected in p for p in report.data_problems), report.data_problems


def test_re_attribution_is_found_by_the_chain(filled: CaseFile) -> None:
    with filled as cf:
        _tamper(cf, "UPDATE audit_log SET actor = '别人' WHERE seq = 3")
        report = verify_case_file(cf)
        assert not report.audit_ok and any("第3条" in p for p in report.audit_problems)


def _rewrite_history(cf: CaseFile, seq: int, column: str, value: str) -> None:
    """Edit audit row ``seq`` and recompute every hash after it and the head: the chain is
    valid again, as a forger with the file would leave it."""
    with cf.engine.begin() as conn:
        as_superuser_without_triggers(conn)
        conn.execute(
            text(f"UPDATE audit_log SET {column} = :v WHERE seq = :s"), {"v": value, "s": seq}
        )
        rows = [
            dict(r) for r in conn.execute(text("SELECT * FROM audit_log ORDER BY seq")).mappings()
        ]
        prev = "0" * 64
        for r in rows:
            r["prev_hash"] = prev
            r["row_hash"] = prev = row_hash(r)
            conn.execute(
                text("UPDATE audit_log SET prev_hash = :p, row_hash = :h WHERE seq = :s"),
                {"p": r["prev_hash"], "h": r["row_hash"], "s": r["seq"]},
            )
        conn.execute(
            text("UPDATE audit_head SET last_seq = :s, last_hash = :h"),
            {"s": rows[-1]["seq"], "h": prev},
        )


def test_a_rewritten_history_passes_the_chain_but_not_the_anchor(filled: CaseFile) -> None:
    with filled as cf:
        printed = _head(cf)  # the head on a report printed before the rewrite
        _rewrite_history(cf, 2, "actor", "别人")
        report = verify_case_file(cf, anchor=printed)
        assert report.audit_ok  # the forger recomputed every hash
        assert report.anchor_problems and "锚点不符" in report.anchor_problems[0]
        assert not report.ok


def test_a_rewritten_value_is_caught_by_the_replay_even_without_an_anchor(filled: CaseFile) -> None:
    with filled as cf:
        with cf.connect() as conn:
            seq = conn.execute(
                text("SELECT min(seq) FROM audit_log WHERE entity = 'cases' AND action = 'insert'")
            ).scalar()
            new = conn.execute(
                text("SELECT new_value FROM audit_log WHERE seq = :s"), {"s": seq}
            ).scalar()
        forged = new.replace('"property_loss_yuan": "', '"property_loss_yuan": "9')
        forged = forged.replace('"property_loss_yuan":"', '"property_loss_yuan":"9')
        assert forged != new
        _rewrite_history(cf, seq, "new_value", forged)
        report = verify_case_file(cf)
        assert report.audit_ok and not report.ok
        assert any("property_loss_yuan" in p for p in report.data_problems)


def test_broken_audit_json_is_reported_not_a_crash(filled: CaseFile) -> None:
    with filled as cf:
        _tamper(
            cf,
            "UPDATE audit_log SET new_value = '{broken' WHERE seq = "
            "(SELECT min(seq) FROM audit_log WHERE action = 'insert')",
        )
        report = verify_case_file(cf)
        assert not report.ok and any("已损坏" in p for p in report.data_problems)


def test_anchor_text_is_checked() -> None:
    assert parse_anchor("第12条：" + "A" * 64) == (12, "a" * 64)
    for bad in ("", "12", "12:xyz", "abc:" + "0" * 64):
        with pytest.raises(ValidationError, match="锚点"):
            parse_anchor(bad)


def test_demo_backup_restore_and_transfer_leave_no_false_mismatch(
    case_url: str, tmp_path: Path
) -> None:
    """Every way FireCase itself writes data replays cleanly: the demo cases (every part of a
    case), a logical backup restored into a new file, a case exported and imported."""
    ids = demo_into(case_url, user="演示")
    with open_case_file(case_url, user="演示") as cf:
        report = verify_case_file(cf)
        assert report.ok, report.data_problems
        assert report.data_records > 500
        first = reading.get_case_summary(cf, ids[0]).case_no
        backup.backup_case_file(case_url, tmp_path / "全部.fcbackup")
        export_case(cf, first, tmp_path / "一案.fcase")
    restored = tmp_path / "恢复.sqlite"
    backup.restore_case_file(tmp_path / "全部.fcbackup", restored)
    with open_case_file(restored, user="乙") as cf:
        report = verify_case_file(cf)
        assert report.ok, report.data_problems
    with open_case_file(tmp_path / "导入.sqlite", user="丙") as cf:
        import_case(cf, tmp_path / "一案.fcase")
        report = verify_case_file(cf)
        assert report.ok, report.data_problems


def test_recomputed_data_edited_behind_firecases_back_is_found(case_url: str) -> None:
    """The recomputed columns and the clock board are not in the trail (a reader may refresh
    them): verify recomputes them and names what does not fit."""
    ids = demo_into(case_url, user="演示")
    with open_case_file(case_url, user="演示") as cf:
        running = next(c for c in reading.list_cases(cf).rows if c.next_due_on is not None)
        _tamper(
            cf,
            "UPDATE cases SET stage = '已结案', next_due_on = :far, has_open_clocks = false, "
            "clocks_stale = false WHERE id = :id",
            far="2099-12-31",
            id=running.id,
        )
        _tamper(cf, "DELETE FROM open_clocks WHERE case_id = :id", id=running.id)
        report = verify_case_file(cf)
        found = "\n".join(report.data_problems)
        assert not report.ok
        assert f"（第{running.id}号）的“下一期限日期”为“2099-12-31”" in found, found
        assert "“是否有未完成的期限”为“否”" in found and "期限看板记录" in found, found
        assert all(f"（第{running.id}号）" in p for p in report.data_problems), found
        assert len(ids) > 1  # the other demo cases are untouched and not named


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``firecase verify``'s exit codes through ``cli.main``; the tampered file's through the
    real entry point in a process of its own (no traceback on either stream)."""
    from firecase.cli import main

    path = tmp_path / "案卷.sqlite"
    with open_case_file(path, user="甲") as cf:
        fill_case(cf, 1)
        anchor = _head(cf)
    assert main(["verify", "--db", str(path), "--anchor", anchor]) == 0
    out = capsys.readouterr().out
    assert "锚点" in out and "相符" in out, out
    assert main(["verify", "--db", str(path), "--anchor", "nonsense"]) == 2
    missing = main(["verify", "--db", str(tmp_path / "无.sqlite")])
    assert missing in (0, 2)  # a new empty file is created, or refused
    with open_case_file(path, user="甲") as cf:
        _tamper(cf, "UPDATE cases SET title = '改过'")
    bad = subprocess.run(
        [sys.executable, "-m", "firecase", "verify", "--db", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1 and "title" in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edits=st.lists(st.sampled_from(["title", "place", "summary"]), min_size=1, max_size=4),
    column=st.sampled_from(["title", "place", "summary", "fire_type", "unit_name"]),
)
def test_any_service_history_verifies_and_any_direct_edit_is_named(
    tmp_path_factory: pytest.TempPathFactory, edits: list[str], column: str
) -> None:
    path = tmp_path_factory.mktemp("p") / "案卷.sqlite"
    with open_case_file(path, user="甲") as cf:
        case_id = fill_case(cf, 1)
        for i, name in enumerate(edits):  # edits through FireCase are audited: no mismatch
            summary = reading.get_case_summary(cf, case_id)
            with cf.unit_of_work() as uow:
                from firecase.store.models import Case

                row = uow.session.get(Case, case_id)
                assert row is not None and row.version == summary.version
                setattr(row, name, f"第{i}次改动")
                uow.commit()
        assert verify_case_file(cf).ok
        _tamper(cf, f"UPDATE cases SET {column} = {column} || '*'")
        report = verify_case_file(cf)
        assert not report.ok
        assert any(f"“{column}”" in p and "案件（cases）" in p for p in report.data_problems)


def test_an_upgraded_file_replays_cleanly(tmp_path: Path) -> None:
    """Migration 0012 changed how SQLite stores the amounts (REAL → integer 分) and 0013 the
    writer of the trail on a server: a demo file taken back to 0011 and upgraded again still
    replays without a mismatch (the amounts and every other value read back the same)."""
    from alembic import command
    from sqlalchemy import create_engine

    from firecase.store.filecheck import alembic_config

    path = tmp_path / "旧案卷.sqlite"
    demo_into(path, user="测试")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0011")
    engine.dispose()
    with open_case_file(path, user="测试") as cf:
        assert cf.upgraded_from == "0011"
        report = verify_case_file(cf)
        assert report.ok, report.data_problems


def test_a_synthetic_entry_appended_over_real_cases_exempts_nothing(filled: CaseFile) -> None:
    """The attacker's finding: one well-chained audit entry "synthetic import of cases 1–2"
    appended to the trail made verify (full, quick and with the anchor) pass over cases edited
    behind FireCase's back. A synthetic range may only cover cases it wrote itself."""
    import json

    from firecase.store.audit import PENDING_KEY

    with filled as cf:
        anchor = _head(cf)
        verify_case_file(cf)  # a checkpoint before the forgery (the quick check starts there)
        with cf.connect() as conn:
            low, high = conn.execute(text("SELECT min(id), max(id) FROM cases")).one()
        entry = {
            "action": "insert",
            "entity": "cases",
            "entity_id": f"{low}-{high}",
            "case_id": None,
            "field": "*",
            "old_value": None,
            "new_value": json.dumps({"synthetic": True, "case_ids": [low, high]}),
        }
        if not cf.is_sqlite:  # a team's server refuses such an entry from a login itself
            with pytest.raises(PermissionDeniedError), cf.unit_of_work("伪造者") as uow:
                uow.session.info.setdefault(PENDING_KEY, []).append(entry)
                uow.commit()
            return
        with cf.unit_of_work("伪造者") as uow:
            uow.session.info.setdefault(PENDING_KEY, []).append(entry)
            uow.commit()
        _tamper(cf, "UPDATE cases SET summary = '改写的概况' WHERE id = :id", id=low)
        full = verify_case_file(cf, anchor=anchor)
        assert not full.ok
        assert any("标为合成数据" in p for p in full.data_problems), full.data_problems
        quick = verify_case_file(cf, quick=True)
        assert not quick.ok


def test_a_search_index_emptied_behind_firecases_back_is_found(case_url: str) -> None:
    """The attacker's finding: deleting a case's rows of ``case_search_grams`` hid it from the
    list's search, and verify said all was sound."""
    import datetime as dt

    from firecase.services._derive import refresh_stale

    demo_into(case_url, user="测试")
    with open_case_file(case_url, user="测试") as cf:
        refresh_stale(cf, dt.date.today())  # as the list and the board do on reading
        assert verify_case_file(cf).ok
        _tamper(cf, "DELETE FROM case_search_grams WHERE case_id = (SELECT min(id) FROM cases)")
        report = verify_case_file(cf)
        assert not report.ok
        assert any("检索索引" in p for p in report.data_problems), report.data_problems
