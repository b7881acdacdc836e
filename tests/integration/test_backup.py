"""Backups of a whole case file: online SQLite copies, logical backups, restore, daily backups."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _fill import fill_case
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from firecase.cli import main as cli_main
from firecase.errors import CaseFileError, FirecaseError, ValidationError
from firecase.services import _dump
from firecase.services.backup import (
    DamagedFileError,
    Retention,
    backup_case_file,
    restore_case_file,
    run_scheduled_backup,
)
from firecase.store import open_case_file
from firecase.store.models import Case

PG_URL = os.environ.get("FIRECASE_TEST_PG_URL")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _all_rows(url_or_path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (alembic_version included), ordered by primary key."""
    raw = str(url_or_path)
    engine = create_engine(raw if "://" in raw else f"sqlite:///{raw}")
    try:
        with engine.connect() as conn:
            meta = _dump.reflect(conn)
            out = {}
            for table in meta.sorted_tables:
                order = list(table.primary_key.columns) or list(table.columns)
                out[table.name] = [
                    dict(r) for r in conn.execute(select(table).order_by(*order)).mappings()
                ]
            return out
    finally:
        engine.dispose()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def empty_pg_url() -> Iterator[str]:
    """A second, empty PostgreSQL schema of this test's own (dropped afterwards)."""
    if not PG_URL:
        pytest.skip("FIRECASE_TEST_PG_URL not set")
    schema = "bk_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_online_sqlite_backup_while_open(tmp_path: Path) -> None:
    db = tmp_path / "案卷.sqlite"
    with open_case_file(db, user="甲") as cf:
        fill_case(cf, 1)
        # the case file stays open (locked, with its WAL) while it is backed up
        assert (tmp_path / "案卷.sqlite-wal").exists()
        result = backup_case_file(db, tmp_path / "备份.sqlite")
        assert result.kind == "sqlite"
        with pytest.raises(CaseFileError, match="已存在"):
            backup_case_file(db, tmp_path / "备份.sqlite")
        with pytest.raises(CaseFileError, match="不能与案卷文件相同"):
            backup_case_file(db, db, overwrite=True)
        expected = _all_rows(db)
    assert _all_rows(result.path) == expected
    assert not list(tmp_path.glob("*.part"))
    with open_case_file(result.path) as copy:
        assert copy.verify_audit().ok and copy.integrity_check() == ()


def test_restore_keeps_what_was_there(tmp_path: Path) -> None:
    db = tmp_path / "案卷.sqlite"
    with open_case_file(db, user="甲") as cf:
        fill_case(cf, 1)
    backup = backup_case_file(db, tmp_path / "备份.sqlite").path
    at_backup = _all_rows(db)
    with open_case_file(db, user="甲") as cf:
        fill_case(cf, 2)
        later = _all_rows(db)
        with pytest.raises(CaseFileError, match="正被另一个"):
            restore_case_file(backup, db)  # refused while the case file is open
    result = restore_case_file(backup, db, now=dt.datetime(2026, 5, 1, 9, 0, 0))
    assert result.previous_backup is not None
    assert "恢复前备份-20260501-090000" in result.previous_backup.name
    assert _all_rows(db) == at_backup
    assert _all_rows(result.previous_backup) == later  # nothing lost: the newer state is kept
    with open_case_file(db) as cf:
        assert cf.verify_audit().ok and cf.integrity_check() == ()
        fill_case(cf, 3)  # and the restored file is writable as usual


def test_restore_refuses_a_damaged_backup(tmp_path: Path) -> None:
    db = tmp_path / "案卷.sqlite"
    with open_case_file(db, user="甲") as cf:
        fill_case(cf, 1)
    backup = backup_case_file(db, tmp_path / "备份.sqlite").path
    data = bytearray(backup.read_bytes())
    data[len(data) // 2 :] = os.urandom(len(data) - len(data) // 2)
    backup.write_bytes(bytes(data))
    before = _sha(db)
    with pytest.raises(CaseFileError) as info:
        restore_case_file(backup, db)
    assert CHINESE.search(info.value.message)
    assert _sha(db) == before
    leftovers = [p.name for p in tmp_path.iterdir() if "恢复前" in p.name or ".part" in p.name]
    assert leftovers == []
    (tmp_path / "x.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(DamagedFileError, match="不是 FireCase 备份文件"):
        restore_case_file(tmp_path / "x.txt", db)


def test_logical_backup_of_server_restores_into_empty_databases(
    case_url: str, empty_pg_url: str, tmp_path: Path
) -> None:
    with open_case_file(case_url, user="甲") as cf:
        fill_case(cf, 1)
        fill_case(cf, 2)
    out = tmp_path / "全部.fcbackup"
    result = backup_case_file(case_url, out)
    assert result.kind == "logical" and result.rows
    original = _all_rows(case_url)
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["tables"]["cases"] == 2 and manifest["schema_revision"]
    # into an empty PostgreSQL database and into a new SQLite file
    restored_pg = restore_case_file(out, empty_pg_url)
    assert restored_pg.rows == result.rows and restored_pg.previous_backup is None
    assert _all_rows(empty_pg_url) == original
    sqlite_target = tmp_path / "恢复.sqlite"
    restore_case_file(out, sqlite_target)
    assert _all_rows(sqlite_target) == original
    for target in (empty_pg_url, str(sqlite_target)):
        with open_case_file(target, user="乙") as cf:
            assert cf.verify_audit().ok
            fill_case(cf, 3)  # sequences moved past the restored ids
            with cf.connect() as conn:
                assert len(conn.execute(select(Case.id)).all()) == 3
    # a database that holds data is never overwritten
    with pytest.raises(CaseFileError, match="已有数据"):
        restore_case_file(out, empty_pg_url)


def test_logical_backup_of_sqlite_and_tampering(tmp_path: Path) -> None:
    db = tmp_path / "案卷.sqlite"
    with open_case_file(db, user="甲") as cf:
        fill_case(cf, 1)
    out = backup_case_file(db, tmp_path / "案卷.fcbackup").path
    target = tmp_path / "新.sqlite"
    restore_case_file(out, target)
    assert _all_rows(target) == _all_rows(db)
    with zipfile.ZipFile(out) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    assert manifest["format_version"] == 2
    assert sorted(members) == sorted(["manifest.json", *(m for _, m in manifest["table_members"])])
    # one line of the audit trail changed, the zip rewritten whole (its own checks pass):
    # longer (its size no longer matches), or one digit changed (its SHA-256 no longer does)
    audit = "data/audit_log.jsonl"
    first, rest = members[audit].split(b"\n", 1)
    row = json.loads(first)
    row["new_value"] = "被改动"
    digit = re.search(rb"[0-9]", first)
    assert digit is not None
    same_size = first[: digit.start()] + str((int(first[digit.start()]) - 47) % 10).encode()
    same_size += first[digit.end() :] + b"\n" + rest
    for changed, message in (
        (_dump.row_line(row) + rest, "大小与清单不符"),
        (same_size, "校验值不符"),
    ):
        bad = tmp_path / "bad.fcbackup"
        with zipfile.ZipFile(bad, "w") as zf:
            for name, data in members.items():
                zf.writestr(name, changed if name == audit else data)
        other = tmp_path / "另一个.sqlite"
        with pytest.raises(DamagedFileError, match=message):
            restore_case_file(bad, other)
        assert not other.exists()
        assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []


def _format_1(backup: Path, dest: Path) -> None:
    """The same backup as FireCase wrote it before format 2: every row in one data.json."""
    with zipfile.ZipFile(backup) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        tables = [
            (name, [json.loads(line) for line in zf.read(member).splitlines()])
            for name, member in manifest["table_members"]
        ]
    for key in ("members", "table_members"):
        del manifest[key]
    manifest["format_version"] = 1
    document = _dump.tables_document(tables)
    _dump.write_container(dest, manifest, {"data.json": _dump.dumps(document)})


def test_a_backup_of_format_1_still_restores(tmp_path: Path) -> None:
    db = tmp_path / "案卷.sqlite"
    with open_case_file(db, user="甲") as cf:
        fill_case(cf, 1)
        fill_case(cf, 2)
    old = tmp_path / "旧格式.fcbackup"
    _format_1(backup_case_file(db, tmp_path / "案卷.fcbackup").path, old)
    target = tmp_path / "新.sqlite"
    restored = restore_case_file(old, target)
    assert _all_rows(target) == _all_rows(db) and restored.rows
    with zipfile.ZipFile(old) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    doc = json.loads(members["data.json"])
    doc["tables"][-1]["rows"][0]["new_value"] = "被改动"
    bad = tmp_path / "bad.fcbackup"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("manifest.json", members["manifest.json"])
        zf.writestr("data.json", _dump.dumps(doc))
    with pytest.raises(DamagedFileError, match="校验值不符"):
        restore_case_file(bad, tmp_path / "另一个.sqlite")


def test_scheduled_backups(tmp_path: Path) -> None:
    db = tmp_path / "案卷.sqlite"
    folder = tmp_path / "自动"
    first_day = dt.datetime(2026, 3, 1, 8, 0, 0)
    missing = run_scheduled_backup(db, folder, Retention(), first_day)
    assert missing.created is None and "尚未建立" in missing.note
    with open_case_file(db, user="甲") as cf:
        fill_case(cf, 1)
    made = run_scheduled_backup(db, folder, Retention(), first_day)
    assert made.created is not None and made.created.name == "案卷.自动备份-20260301-080000.sqlite"
    again = run_scheduled_backup(db, folder, Retention(), first_day + dt.timedelta(hours=9))
    assert again.created is None and "今天已有" in again.note
    (folder / "别的文件.sqlite").write_bytes(b"keep me")
    (folder / "其他案卷.自动备份-20200101-000000.sqlite").write_bytes(b"not ours")
    created = [made.created]
    for days in (1, 2, 20):
        step = run_scheduled_backup(db, folder, Retention(), first_day + dt.timedelta(days=days))
        assert step.created is not None
        created.append(step.created)
        # on 3月21日: 3月2日 is neither one of the last 7 days nor the newest of its week
        # (3月3日 is) nor of its month (3月21日 is); 3月1日 is the newest of its ISO week
        assert step.deleted == ((created[1],) if days == 20 else ())
    names = sorted(p.name for p in folder.iterdir())
    assert "别的文件.sqlite" in names and "其他案卷.自动备份-20200101-000000.sqlite" in names
    with pytest.raises(ValidationError):
        run_scheduled_backup(db, folder, Retention(daily=0), first_day)
    with pytest.raises(ValidationError):
        run_scheduled_backup(db, folder, 30, first_day)  # type: ignore[arg-type]


def test_a_year_of_daily_backups_keeps_7_daily_4_weekly_12_monthly(tmp_path: Path) -> None:
    """Issue 18: 30 daily full copies were ~30× the file and reached back one month."""
    db = tmp_path / "案卷.sqlite"
    folder = tmp_path / "自动"
    folder.mkdir()
    with open_case_file(db, user="甲") as cf:
        fill_case(cf, 1)
    start = dt.datetime(2025, 12, 1, 8, 30, 0)
    for k in range(400):  # a backup every day for 400 days (names only: pruning reads them)
        when = start + dt.timedelta(days=k)
        (folder / f"案卷.自动备份-{when:%Y%m%d-%H%M%S}.sqlite").write_bytes(b"old copy")
    now = start + dt.timedelta(days=400)
    killed = folder / f"案卷.自动备份-{now:%Y%m%d}-070000.sqlite.part"
    killed.write_bytes(b"half")
    stale = (now - dt.timedelta(hours=3)).timestamp()
    os.utime(killed, (stale, stale))
    fresh = folder / "案卷.自动备份-20270105-000000.sqlite.part"  # a backup still writing
    fresh.write_bytes(b"in progress")
    os.utime(fresh, (now.timestamp(), now.timestamp()))
    result = run_scheduled_backup(db, folder, Retention(), now)
    assert result.created is not None and killed in result.deleted
    assert not killed.exists() and fresh.exists()
    kept = sorted(
        dt.datetime.strptime(p.name.split("-", 1)[1][:15], "%Y%m%d-%H%M%S")
        for p in folder.glob("案卷.自动备份-*.sqlite")
    )
    days = {w.date() for w in kept}
    assert all(now.date() - dt.timedelta(days=k) in days for k in range(7))
    weeks = {w.date().isocalendar()[:2] for w in kept}
    assert all((now.date() - dt.timedelta(weeks=k)).isocalendar()[:2] in weeks for k in range(4))
    months = {(w.year, w.month) for w in kept}
    assert len([m for m in months if m >= (2026, 2)]) >= 12  # the last 12 months, each one
    assert len(kept) <= 7 + 4 + 12
    assert kept[0] >= now - dt.timedelta(days=366)  # nothing older than a year is kept


def test_scheduled_backup_of_a_server(empty_pg_url: str, tmp_path: Path) -> None:
    with open_case_file(empty_pg_url, user="甲") as cf:
        fill_case(cf, 1)
    made = run_scheduled_backup(empty_pg_url, tmp_path, Retention(), dt.datetime(2026, 3, 1, 8, 0))
    assert made.created is not None and made.created.suffix == ".fcbackup"


def test_cli_backup_and_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "案卷.sqlite"
    with open_case_file(db, user="甲") as cf:
        fill_case(cf, 1)
    out = tmp_path / "b.sqlite"
    assert cli_main(["backup", "--db", str(db), "-o", str(out)]) == 0
    assert "已备份到" in capsys.readouterr().out
    assert cli_main(["backup", "--db", str(db), "-o", str(out)]) == 2
    assert "已存在" in capsys.readouterr().out
    assert cli_main(["restore", str(out), "--db", str(db)]) == 0
    printed = capsys.readouterr().out
    assert "已从" in printed and "恢复前的案卷文件已另存为" in printed
    assert cli_main(["restore", str(tmp_path / "无.sqlite"), "--db", str(db)]) == 2
    assert "找不到备份文件" in capsys.readouterr().out


def test_errors_are_firecase_errors(tmp_path: Path) -> None:
    with pytest.raises(FirecaseError, match="案卷文件不存在"):
        backup_case_file(tmp_path / "无.sqlite", tmp_path / "b.sqlite")
    with pytest.raises(FirecaseError, match="文件夹不存在"):
        backup_case_file(tmp_path / "无.sqlite", tmp_path / "无目录" / "b.sqlite")
