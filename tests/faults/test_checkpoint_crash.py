"""Recovery-aware file check: a crash during a WAL checkpoint loses nothing and is not refused.

A checkpoint copies the newest version of every page in the ``-wal`` into the main file, in
page order, page 1 (the header, with the new page count) first, and only then resets the
``-wal``. Killed part way, the main file is shorter than its new header says while the
``-wal`` still holds every committed page; SQLite recovers it fully. The test builds that state
exactly: a case file whose last commits (attachments that grow it) are still only in its
``-wal``, copied as a crash would leave it, then the first m pages of the checkpoint written
into the main file, for m from 1 to all. Each must pass ``check_case_file``, open with every
committed row, and its 恢复前备份 (the copy a restore keeps) must be whole too. A file that is
really truncated is still refused, naming the newest sound backup with its date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from firecase.errors import CaseFileError
from firecase.services.backup import restore_case_file
from firecase.services.cases import open_case
from firecase.services.dto import AttachmentInput, IncidentInput
from firecase.services.evidence import add_attachment
from firecase.store import blobs, open_case_file
from firecase.store.filecheck import check_case_file
from firecase.store.models import Attachment, Case

TODAY = dt.date(2026, 3, 2)
ATTACHMENTS = 6
SIZE = 60_000


def _content(n: int) -> bytes:
    return hashlib.sha256(str(n).encode()).digest() * (SIZE // 32)


def _fire_type() -> str:
    from firecase.services._judgement import fire_types

    return fire_types()[0]


@pytest.fixture(scope="module")
def crashed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(main file, -wal) as a power cut leaves them: the last commits only in the -wal."""
    folder = tmp_path_factory.mktemp("live")
    path = folder / "案卷.sqlite"
    with open_case_file(path, user="甲") as cf:
        case = open_case(
            cf,
            IncidentInput("检查点火灾", TODAY, "天门市", _fire_type(), Decimal(1), Decimal(2)),
            today=TODAY,
        )
    # A second connection stays open, so closing the case file does not checkpoint the -wal.
    holder = sqlite3.connect(path)
    holder.execute("SELECT count(*) FROM cases").fetchall()
    with open_case_file(path, user="甲") as cf:
        for n in range(ATTACHMENTS):
            add_attachment(
                cf, case.id, AttachmentInput(f"照片{n}.jpg", _content(n), TODAY), today=TODAY
            )
    out = tmp_path_factory.mktemp("crashed")
    shutil.copyfile(path, out / "案卷.sqlite")
    shutil.copyfile(Path(f"{path}-wal"), out / "案卷.sqlite-wal")
    holder.close()
    return out / "案卷.sqlite", out / "案卷.sqlite-wal"


def _checkpoint_pages(db: Path, wal: Path) -> list[tuple[int, bytes]]:
    """The pages a checkpoint writes: the newest committed frame of each page, in page order."""
    data = wal.read_bytes()
    page_size = int.from_bytes(data[8:12], "big")
    newest: dict[int, bytes] = {}
    pending: dict[int, bytes] = {}
    offset = 32
    while offset + 24 + page_size <= len(data):
        page = int.from_bytes(data[offset : offset + 4], "big")
        commit_size = int.from_bytes(data[offset + 4 : offset + 8], "big")
        pending[page] = data[offset + 24 : offset + 24 + page_size]
        if commit_size:  # the frame that ends a transaction
            newest.update(pending)
            pending = {}
        offset += 24 + page_size
    assert newest and int.from_bytes(db.read_bytes()[16:18], "big") == page_size
    return sorted(newest.items())


def _committed(path: Path) -> tuple[int, list[str]]:
    with open_case_file(path, user="检查员") as cf:
        assert cf.integrity_check() == ()
        assert cf.verify_audit().ok
        with cf.connect() as conn:
            cases = int(conn.execute(select(func.count()).select_from(Case)).scalar_one())
            shas = conn.execute(select(Attachment.sha256).order_by(Attachment.id)).scalars()
            # the content read back piece by piece and hashed afresh (read_pieces checks it)
            return cases, [
                hashlib.sha256(b"".join(blobs.read_pieces(conn, sha))).hexdigest()
                for sha in list(shas)
            ]


def test_a_crash_in_the_middle_of_a_checkpoint_opens_with_every_commit(
    crashed: tuple[Path, Path], tmp_path: Path, figure: Callable[[str], None]
) -> None:
    db, wal = crashed
    pages = _checkpoint_pages(db, wal)
    page_size = len(pages[0][1])
    header_pages = int.from_bytes(pages[0][1][28:32], "big")
    assert pages[0][0] == 1 and header_pages * page_size > db.stat().st_size  # it grew
    expected = (1, [hashlib.sha256(_content(n)).hexdigest() for n in range(ATTACHMENTS)])
    shorter = 0
    for m in range(1, len(pages) + 1):
        folder = tmp_path / f"m{m}"
        folder.mkdir()
        path = folder / "案卷.sqlite"
        shutil.copyfile(db, path)
        shutil.copyfile(wal, folder / "案卷.sqlite-wal")
        with open(path, "r+b") as fh:  # the checkpoint got this far
            for number, content in pages[:m]:
                fh.seek((number - 1) * page_size)
                fh.write(content)
        shorter += path.stat().st_size < header_pages * page_size
        found = check_case_file(path)
        assert found.exists and found.revision is not None, m
        if m in (1, len(pages) // 2, len(pages)):  # the copy a restore keeps is whole too
            kept = restore_case_file(_sound_copy(db, wal, folder), path).previous_backup
            assert kept is not None
            check_case_file(kept, for_writing=False, thorough=True)
            assert _committed(kept) == expected, m
        else:
            assert _committed(path) == expected, m
    figure(
        f"checkpoint crashes: {len(pages)} states, {shorter} with the file shorter than "
        f"its header, opened={len(pages)}, refused=0, lost=0"
    )
    assert shorter >= len(pages) - 1


def _sound_copy(db: Path, wal: Path, folder: Path) -> Path:
    """A whole backup of the crashed file (what SQLite reads from the main file and -wal)."""
    scratch = folder / "scratch"
    scratch.mkdir()
    shutil.copyfile(db, scratch / "x.sqlite")
    shutil.copyfile(wal, scratch / "x.sqlite-wal")
    target = folder / "备份.sqlite"
    src, dst = sqlite3.connect(scratch / "x.sqlite"), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return target


def test_a_really_truncated_file_is_refused_naming_the_newest_sound_backup(
    crashed: tuple[Path, Path], tmp_path: Path
) -> None:
    db, wal = crashed
    good = _sound_copy(db, wal, tmp_path)
    path = tmp_path / "案卷.sqlite"
    shutil.copyfile(good, path)
    with open(path, "r+b") as fh:
        fh.truncate(path.stat().st_size // 2)
    with pytest.raises(CaseFileError) as info:
        check_case_file(path)
    assert "截断" in info.value.message and "从备份恢复" in info.value.message
    assert info.value.backup is None  # no backup anywhere yet

    older = tmp_path / "案卷.备份-0009-20260301-101500.sqlite"
    shutil.copyfile(good, older)
    newer_but_damaged = tmp_path / "案卷.恢复前备份-20260401-080000.sqlite"
    shutil.copyfile(path, newer_but_damaged)
    shutil.copyfile(good, tmp_path / "另一个案卷.自动备份-20260501-080000.sqlite")  # not ours
    with pytest.raises(CaseFileError) as info:
        open_case_file(path, user="甲")
    message = info.value.message
    assert "截断" in message and older.name in message and "2026年03月01日 10:15" in message
    assert info.value.backup == str(older)
    assert not Path(f"{path}-wal").exists()  # refused untouched
