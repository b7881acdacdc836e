"""Automatic backups share the attachments' content (services.backup_content): each photo is
kept once in the backup folder's 附件库, every copy keeps the rows, a restore puts the content
back (checked) or says what is missing, and content no kept copy needs is deleted."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from firecase.errors import FirecaseError
from firecase.services import cases, evidence, reading
from firecase.services.backup import Retention, restore_case_file, run_scheduled_backup
from firecase.services.backup_content import CONTENT_FOLDER
from firecase.services.dto import AttachmentInput, IncidentInput
from firecase.services.maintenance import verify_case_file
from firecase.store import open_case_file

DAY = dt.datetime(2026, 3, 1, 8, 0, 0)


def _photo(n: int, size: int = 40_000) -> bytes:
    seed = hashlib.sha256(f"照片{n}".encode()).digest()
    return (seed * (size // len(seed) + 1))[:size]


def _new_case(db: Path) -> int:
    with open_case_file(db, user="刘志强") as cf:
        return cases.open_case(
            cf,
            IncidentInput(
                title="岳口镇某厂房火灾",
                fire_date=dt.date(2026, 2, 27),
                place="岳口镇",
                fire_type="建筑火灾",
                property_loss_yuan=Decimal("250000"),
                economic_loss_yuan=Decimal("300000"),
            ),
            today=dt.date(2026, 2, 28),
        ).id


def _attach(db: Path, case_id: int, n: int) -> None:
    with open_case_file(db, user="刘志强") as cf:
        evidence.add_attachment(
            cf, case_id, AttachmentInput(f"现场{n}.jpg", _photo(n), dt.date(2026, 3, 1))
        )


def _chunks(copy: Path) -> int:
    conn = sqlite3.connect(copy)
    try:
        return int(conn.execute("SELECT count(*) FROM attachment_chunks").fetchone()[0])
    finally:
        conn.close()


def _contents(db: Path) -> dict[str, bytes]:
    with open_case_file(db, user="检查员") as cf:
        detail = reading.get_case(cf, 1)
        return {a.filename: evidence.get_attachment_content(cf, a.id) for a in detail.attachments}


def test_each_photo_is_kept_once_and_a_restore_puts_it_back(tmp_path: Path) -> None:
    db, folder = tmp_path / "案卷.sqlite", tmp_path / "备份"
    case_id = _new_case(db)
    for n in range(3):
        _attach(db, case_id, n)
    first = run_scheduled_backup(db, folder, Retention(), DAY).created
    assert first is not None and _chunks(first) == 0  # rows only
    store = folder / CONTENT_FOLDER
    objects = sorted(p.name for p in store.glob("*/*"))
    assert objects == sorted(hashlib.sha256(_photo(n)).hexdigest() for n in range(3))
    _attach(db, case_id, 3)
    second = run_scheduled_backup(db, folder, Retention(), DAY + dt.timedelta(days=1)).created
    assert second is not None and len(list(store.glob("*/*"))) == 4  # one more, once
    assert first.stat().st_size < db.stat().st_size
    restore_case_file(first, db)
    assert sorted(_contents(db)) == [f"现场{n}.jpg" for n in range(3)]
    assert _contents(db)["现场2.jpg"] == _photo(2)
    with open_case_file(db, user="检查员") as cf:
        assert verify_case_file(cf).ok


def test_a_restore_missing_or_with_changed_content_is_refused_and_changes_nothing(
    tmp_path: Path,
) -> None:
    db, folder = tmp_path / "案卷.sqlite", tmp_path / "备份"
    case_id = _new_case(db)
    _attach(db, case_id, 1)
    copy = run_scheduled_backup(db, folder, Retention(), DAY).created
    assert copy is not None
    _attach(db, case_id, 2)
    before = db.read_bytes()
    (obj,) = (folder / CONTENT_FOLDER).glob("*/*")
    obj.write_bytes(b"X" * obj.stat().st_size)
    with pytest.raises(FirecaseError, match=r"现场1\.jpg.*已损坏"):
        restore_case_file(copy, db)
    obj.unlink()
    with pytest.raises(FirecaseError, match=r"现场1\.jpg.*不在备份文件夹"):
        restore_case_file(copy, db)
    assert db.read_bytes() == before
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob("*恢复前备份*"))


def test_an_automatic_backup_restores_into_a_server(tmp_path: Path, case_url: str) -> None:
    if "://" not in case_url:
        pytest.skip("the SQLite target is the test above")
    db, folder = tmp_path / "案卷.sqlite", tmp_path / "备份"
    case_id = _new_case(db)
    _attach(db, case_id, 7)
    copy = run_scheduled_backup(db, folder, Retention(), DAY).created
    assert copy is not None
    restore_case_file(copy, case_url)
    with open_case_file(case_url, user="检查员") as cf:
        (a,) = reading.get_case(cf, 1).attachments
        assert evidence.get_attachment_content(cf, a.id) == _photo(7)
        assert verify_case_file(cf).ok


def test_a_year_of_backups_keeps_each_photo_once(
    tmp_path: Path, figure: Callable[[str], None]
) -> None:
    """Issue 18: 30 daily full copies were ~30× the case file. A year in which FireCase is
    started every third day (an officer who also does inspections), a photo added every week
    and one removed every month."""
    db, folder = tmp_path / "案卷.sqlite", tmp_path / "备份"
    case_id = _new_case(db)
    added = 0
    for day in range(0, 366, 3):
        now = DAY + dt.timedelta(days=day)
        for _ in range(day // 7 + 1 - added):  # a photo a week
            _attach(db, case_id, added)
            added += 1
        if day % 30 == 0 and day:
            with open_case_file(db, user="刘志强") as cf:
                oldest = reading.get_case(cf, case_id).attachments[0]
                evidence.remove_attachment(cf, oldest.id)
        run_scheduled_backup(db, folder, Retention(), now)
    copies = sorted(folder.glob("案卷.自动备份-*.sqlite"))
    store = folder / CONTENT_FOLDER
    objects = list(store.glob("*/*"))
    needed: set[str] = set()
    for copy in copies:
        conn = sqlite3.connect(copy)
        needed |= {r[0] for r in conn.execute("SELECT sha256 FROM attachment_blobs")}
        conn.close()
    assert len(copies) <= 23 and {p.name for p in objects} == needed  # nothing else kept
    assert all(_chunks(copy) == 0 for copy in copies)  # every photo only in the 附件库
    copies_size = sum(p.stat().st_size for p in copies)
    store_size = sum(p.stat().st_size for p in objects)
    full = len(copies) * db.stat().st_size
    figure(
        f"a year of automatic backups: {len(copies)} copies kept, {copies_size / 1e6:.1f} MB of "
        f"copies + {store_size / 1e6:.1f} MB 附件库 ({len(objects)} photos, each once) = "
        f"{(copies_size + store_size) / 1e6:.1f} MB; as whole copies {full / 1e6:.1f} MB; "
        f"case file {db.stat().st_size / 1e6:.1f} MB"
    )
    assert store_size == sum(
        len(_photo(n)) for n in range(added) if hashlib.sha256(_photo(n)).hexdigest() in needed
    )
