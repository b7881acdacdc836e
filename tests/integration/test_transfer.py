"""One case as a ``.fcase`` file: round trip field by field, refusals, one transaction."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from _fill import case_snapshot, fill_case
from _pg import recorded_actor
from sqlalchemy import func, select, text

from firecase.cli import main as cli_main
from firecase.errors import ConflictError, FirecaseError
from firecase.services import _dump
from firecase.services.transfer import (
    DamagedFileError,
    case_tables,
    export_case,
    import_case,
    preview_case_export,
)
from firecase.store import CaseFile, open_case_file
from firecase.store.models import DERIVED_TABLES, AuditEntry, Base, Case

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _counts(cf: CaseFile) -> dict[str, int]:
    with cf.connect() as conn:
        return {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in Base.metadata.sorted_tables
        }


def _exported(tmp_path: Path, *, seqs: tuple[int, ...] = (1, 2)) -> tuple[Path, dict[str, Any]]:
    """A source file with cases ``seqs``; case ``seqs[0]`` exported. Returns (file, snapshot)."""
    with open_case_file(tmp_path / "源.sqlite", user="甲") as cf:
        ids = [fill_case(cf, seq) for seq in seqs]
        out = tmp_path / "案件.fcase"
        export_case(cf, ids[0], out)
        with cf.connect() as conn:
            snap = case_snapshot(conn, ids[0])
    return out, snap


def _rewrite(
    src: Path, dst: Path, change: dict[str, bytes | None], *, rehash: bool = False
) -> None:
    """Copy an export zip, replacing (bytes) or dropping (None) members; optionally re-hash."""
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    for name, data in change.items():
        if data is None:
            members.pop(name, None)
        else:
            members[name] = data
    if rehash:
        manifest = json.loads(members["manifest.json"])
        for name, entry in manifest["members"].items():
            if name in members:
                entry["sha256"] = hashlib.sha256(members[name]).hexdigest()
        members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(dst, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def test_case_tables_found_from_metadata() -> None:
    names = [t.name for t in case_tables()]
    assert names[0] == "cases"
    assert {"subgroup_members", "attachments", "custody_events", "evaluation_items"} <= set(names)
    assert not {"audit_log", "audit_head", "settings", "calendar_days"} & set(names)
    # every table with a case_id column is covered, except derived ones (recomputed on import)
    # and the record of files written from the case and its 回收站 (that case file's own
    # history: the removed records are in the audit rows an export carries)
    assert "open_clocks" in DERIVED_TABLES and "open_clocks" not in names
    assert {t.name for t in Base.metadata.tables.values() if "case_id" in t.c} - {
        "audit_log",
        "report_outputs",
        "recycle_bin",
        *DERIVED_TABLES,
    } <= set(names)
    assert "report_outputs" not in names


def test_round_trip_field_by_field(tmp_path: Path, case_url: str) -> None:
    source, snap = _exported(tmp_path)
    assert all(snap[t.name] for t in case_tables()), "every case table has rows"
    with zipfile.ZipFile(source) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        data = json.loads(zf.read("data.json"))
    assert manifest["case_no"] == "测消调〔2026〕第001号"
    assert (
        manifest["members"]["data.json"]["sha256"]
        == hashlib.sha256(zipfile.ZipFile(source).read("data.json")).hexdigest()
    )
    assert {"format_version", "app_version", "exported_at", "schema_revision"} <= set(manifest)
    # the other case's rows stayed at home
    assert all(
        r.get("case_no", "测消调〔2026〕第001号") != "测消调〔2026〕第002号"
        for t in data["tables"]
        for r in t["rows"]
    )
    with open_case_file(case_url, user="乙") as cf:
        preview = preview_case_export(cf, source)
        assert not preview.number_taken and preview.rows == sum(len(v) for v in snap.values())
        result = import_case(cf, source)
        assert result.case_no == "测消调〔2026〕第001号" and not result.copied
        with cf.connect() as conn:
            assert case_snapshot(conn, result.case_id) == snap
            entries = (
                conn.execute(select(AuditEntry.__table__).order_by(AuditEntry.seq)).mappings().all()
            )
        assert cf.verify_audit().ok
        assert cf.integrity_check() == ()
        importer = recorded_actor(cf, "乙")
    # every inserted row audited as the importer, then one row carrying the original history;
    # the empty file also took in the bundled working-day calendar when the imported case's
    # open clocks were first computed (as any first clock computation does)
    assert all(e["actor"] == importer for e in entries)
    inserts = Counter(e["entity"] for e in entries if e["action"] == "insert")
    assert set(inserts) - {"calendar_days", "calendar_years"} <= {t.name for t in case_tables()}
    assert sum(n for t, n in inserts.items() if not t.startswith("calendar_")) == result.rows
    last = entries[-1]
    assert last["action"] == "import" and last["case_id"] == result.case_id
    provenance = json.loads(last["new_value"])
    assert provenance["history"] == data["audit"]
    assert len(data["audit"]) == result.history_rows > result.rows  # inserts + one update
    assert {r["actor"] for r in data["audit"]} == {"填表员"}


def test_export_from_server_imports_into_sqlite(tmp_path: Path, case_url: str) -> None:
    with open_case_file(case_url, user="甲") as cf:
        first = fill_case(cf, 1)
        fill_case(cf, 2)
        export_case(cf, "测消调〔2026〕第001号", tmp_path / "a.fcase")
        with cf.connect() as conn:
            snap = case_snapshot(conn, first)
    with open_case_file(tmp_path / "目标.sqlite", user="乙") as cf:
        result = import_case(cf, tmp_path / "a.fcase")
        with cf.connect() as conn:
            assert case_snapshot(conn, result.case_id) == snap


def test_existing_number_refused_unless_copy(tmp_path: Path) -> None:
    source, snap = _exported(tmp_path)
    with open_case_file(tmp_path / "目标.sqlite", user="乙") as cf:
        import_case(cf, source)
        before = _counts(cf)
        with pytest.raises(ConflictError, match="作为副本导入") as info:
            import_case(cf, source)
        assert CHINESE.search(info.value.message)
        assert _counts(cf) == before, "a refused import changes nothing"
        assert preview_case_export(cf, source).number_taken
        copy = import_case(cf, source, as_copy=True)
        assert copy.copied and copy.case_no != copy.original_case_no
        assert copy.case_no == "天消调〔2026〕第002号"
        with cf.connect() as conn:
            again = case_snapshot(conn, copy.case_id)
            numbers = conn.execute(select(Case.case_no).order_by(Case.id)).scalars().all()
            searched = conn.execute(
                select(Case.search_text).where(Case.id == copy.case_id)
            ).scalar_one()
        assert numbers == ["测消调〔2026〕第001号", "天消调〔2026〕第002号"]
        # the list's search text follows the copy's new number
        assert searched.startswith("天消调〔2026〕第002号\x1f")
        for row in (again["cases"][0], snap["cases"][0]):
            row.pop("case_no")
            row.pop("seq")
        assert again == snap
        assert cf.verify_audit().ok


def test_same_year_and_sequence_under_another_number_refused(tmp_path: Path) -> None:
    source, _ = _exported(tmp_path)
    with open_case_file(tmp_path / "目标.sqlite", user="乙") as cf:
        with cf.unit_of_work() as uow:
            c = uow.session.get(Case, fill_case(cf, 1))
            assert c is not None
            c.case_no = "别处〔2026〕第001号"
            uow.commit()
        before = _counts(cf)
        with pytest.raises(ConflictError, match="2026年第1号"):
            import_case(cf, source)
        assert _counts(cf) == before


def _tamper_cases(source: Path) -> dict[str, Any]:
    with zipfile.ZipFile(source) as zf:
        data = zf.read("data.json")
        manifest = json.loads(zf.read("manifest.json"))
    flipped = bytearray(data)
    flipped[len(flipped) // 2] ^= 0x01
    doc = json.loads(data)
    forged_history = json.loads(data)
    forged_history["audit"][0]["actor"] = "冒名者"
    bad_hash = dict(manifest)
    bad_hash["members"] = {"data.json": {"sha256": "0" * 64, "size": len(data)}}
    newer = dict(manifest, format_version=99)
    unknown_rev = dict(manifest, schema_revision="ffffffffffff")
    doc["tables"][0]["rows"][0]["title"] = "被改过的名称"
    swapped = json.loads(data)
    attachments = next(t for t in swapped["tables"] if t["name"] == "attachments")
    attachments["rows"][0]["content"] = {"$bytes": "5pu/5o2i55qE5paH5Lu2"}
    return {
        "one byte of data.json changed": ({"data.json": bytes(flipped)}, False),
        "a field edited": ({"data.json": _dump.dumps(doc)}, False),
        "manifest hash wrong": ({"manifest.json": json.dumps(bad_hash).encode()}, False),
        "data.json missing": ({"data.json": None}, False),
        "manifest missing": ({"manifest.json": None}, False),
        "extra member": ({"evil.exe": b"MZ"}, False),
        "audit history forged, re-hashed": ({"data.json": _dump.dumps(forged_history)}, True),
        "attachment swapped, re-hashed": ({"data.json": _dump.dumps(swapped)}, True),
        "newer format": ({"manifest.json": json.dumps(newer).encode()}, False),
        "newer schema": ({"manifest.json": json.dumps(unknown_rev).encode()}, False),
    }


def _member_spans(path: Path) -> list[tuple[int, int]]:
    """(offset, length) of each member's stored (compressed) bytes inside the zip."""
    spans = []
    raw = path.read_bytes()
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            name_len = int.from_bytes(
                raw[info.header_offset + 26 : info.header_offset + 28], "little"
            )
            extra_len = int.from_bytes(
                raw[info.header_offset + 28 : info.header_offset + 30], "little"
            )
            spans.append((info.header_offset + 30 + name_len + extra_len, info.compress_size))
    return spans


def _same_members(a: Path, b: Path) -> bool:
    """Whether two zips hold the same member bytes (False if ``b`` cannot be read)."""
    try:
        with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
            return {n: za.read(n) for n in za.namelist()} == {n: zb.read(n) for n in zb.namelist()}
    except Exception:
        return False


def test_tampered_files_refused(tmp_path: Path) -> None:
    source, _ = _exported(tmp_path)
    target = tmp_path / "目标.sqlite"
    with open_case_file(target, user="乙") as cf:
        before = _counts(cf)
        for label, (change, rehash) in _tamper_cases(source).items():
            bad = tmp_path / "bad.fcase"
            _rewrite(source, bad, change, rehash=rehash)
            with pytest.raises(DamagedFileError) as info:
                import_case(cf, bad)
            assert isinstance(info.value, FirecaseError), label
            assert CHINESE.search(info.value.message), label
        # raw damage inside the stored bytes of each member, at positions spread over them
        raw = source.read_bytes()
        bad = tmp_path / "raw.fcase"
        refused = 0
        for start, length in _member_spans(source):
            for k in range(12):
                damaged = bytearray(raw)
                damaged[start + (length - 1) * k // 11] ^= 0x5A
                bad.write_bytes(bytes(damaged))
                if _same_members(source, bad):
                    continue  # e.g. padding bits after the end of a deflate stream: no change
                with pytest.raises(DamagedFileError):
                    import_case(cf, bad)
                refused += 1
        assert refused >= 20
        (tmp_path / "text.fcase").write_text("不是压缩文件", encoding="utf-8")
        with pytest.raises(DamagedFileError, match="已损坏或被改动"):
            import_case(cf, tmp_path / "text.fcase")
        (tmp_path / "half.fcase").write_bytes(raw[: len(raw) // 2])
        with pytest.raises(DamagedFileError):
            import_case(cf, tmp_path / "half.fcase")
        assert _counts(cf) == before


def test_import_is_one_transaction(tmp_path: Path) -> None:
    """A consistent (re-hashed) file whose last table breaks a constraint leaves nothing."""
    source, _ = _exported(tmp_path)
    with zipfile.ZipFile(source) as zf:
        doc = json.loads(zf.read("data.json"))
    # the last table of the file with a NOT NULL column that is not part of a key
    tables = {t.name: t for t in case_tables()}
    last, column = next(
        (entry, c.name)
        for entry in reversed(doc["tables"])
        for c in tables[entry["name"]].columns
        if entry["rows"] and not c.nullable and not c.primary_key and not c.foreign_keys
    )
    last["rows"][-1][column] = None
    bad = tmp_path / "bad.fcase"
    _rewrite(source, bad, {"data.json": _dump.dumps(doc)}, rehash=True)
    with open_case_file(tmp_path / "目标.sqlite", user="乙") as cf:
        before = _counts(cf)
        with pytest.raises(FirecaseError):
            import_case(cf, bad)
        assert _counts(cf) == before
        with cf.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == 0


def test_cli_export_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "源.sqlite"
    with open_case_file(db, user="甲") as cf:
        fill_case(cf, 3)
    out = tmp_path / "c.fcase"
    no = "测消调〔2026〕第003号"
    assert cli_main(["export", no, "--db", str(db), "-o", str(out)]) == 0
    assert "已导出案件" in capsys.readouterr().out
    assert cli_main(["export", no, "--db", str(db), "-o", str(out)]) == 2
    assert "已存在" in capsys.readouterr().out
    assert cli_main(["export", "没有这个号", "--db", str(db), "-o", str(tmp_path / "x")]) == 2
    assert "没有找到案件" in capsys.readouterr().out
    target = tmp_path / "目标.sqlite"
    assert cli_main(["import", str(out), "--db", str(target)]) == 0
    assert no in capsys.readouterr().out
    assert cli_main(["import", str(out), "--db", str(target)]) == 2
    assert "作为副本导入" in capsys.readouterr().out
    assert cli_main(["import", str(out), "--db", str(target), "--as-copy"]) == 0
    assert "作为副本" in capsys.readouterr().out


def test_exporting_one_case_reads_only_its_audit_rows_through_an_index(tmp_path: Path) -> None:
    """Issue 22: exporting one case scanned the whole audit log (555 ms at 3M rows). Every
    query the export sends to ``audit_log`` must be answered through an index."""
    from sqlalchemy import event

    with open_case_file(tmp_path / "源.sqlite", user="甲") as cf:
        ids = [fill_case(cf, seq) for seq in (1, 2)]
        seen: list[tuple[str, Any]] = []

        def keep(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
            if "audit_log" in statement and statement.lstrip().upper().startswith("SELECT"):
                seen.append((statement, parameters))

        event.listen(cf.engine, "before_cursor_execute", keep)
        try:
            export_case(cf, ids[0], tmp_path / "一案.fcase")
        finally:
            event.remove(cf.engine, "before_cursor_execute", keep)
        assert seen
        with cf.engine.connect() as conn:
            for statement, parameters in seen:
                plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
                details = [str(row[-1]) for row in plan]
                assert not any(d.startswith("SCAN audit_log") for d in details), (
                    statement,
                    details,
                )
