"""Bad case files at the store level: each is refused with a Chinese ``CaseFileError``, untouched.

Every open path goes through ``open_case_file``, which runs ``check_case_file`` before it
locks or opens a SQLite file. For every bad file the test hashes the file and lists its folder
before and after: nothing is written, no side file (``-wal``, ``-shm``, ``.lock``) appears.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import sqlite3
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from _fill import fill_case
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from firecase.errors import CaseFileError
from firecase.store import head_revision, open_case_file
from firecase.store.filecheck import alembic_config, check_case_file

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def good_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A healthy case file with a few filled cases, closed (checkpointed, no -wal)."""
    path = tmp_path_factory.mktemp("good") / "good.sqlite"
    with open_case_file(path, user="甲") as cf:
        for seq in (1, 2, 3):
            fill_case(cf, seq, rows_per_table=3)
    for side in ("-wal", "-shm", ".lock"):
        Path(str(path) + side).unlink(missing_ok=True)
    return path


def _root_page(path: Path, table: str) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        row = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        return int(row[0])
    finally:
        conn.close()


def _overwrite_pages(path: Path, pages: list[int], seed: int) -> None:
    rng = random.Random(seed)
    page_size = int.from_bytes(path.read_bytes()[16:18], "big")
    with open(path, "r+b") as fh:
        for page in pages:
            fh.seek((page - 1) * page_size)
            fh.write(bytes(rng.randrange(256) for _ in range(page_size)))


def _truncate(size: Callable[[int], int]) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        with open(path, "r+b") as fh:
            fh.truncate(size(path.stat().st_size))

    return apply


def _newer(path: Path) -> None:
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("UPDATE alembic_version SET version_num = 'f0f0f0f0f0f0'")
        conn.commit()
    finally:
        conn.close()


def _other_program(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('张三')")
        conn.commit()
    finally:
        conn.close()


def _zip_instead(path: Path) -> None:
    path.unlink()
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("manifest.json", "{}")


BAD_FILES: dict[str, tuple[Callable[[Path], None], str]] = {
    "text file": (lambda p: p.write_text("这是一份说明文字。\n" * 50, encoding="utf-8"), "不是"),
    "zip file": (_zip_instead, "不是"),
    "pdf file": (lambda p: p.write_bytes(b"%PDF-1.7\n" + os.urandom(5000)), "不是"),
    "other program's database": (_other_program, "其他程序"),
    "truncated to half": (_truncate(lambda n: n // 2), "截断"),
    "truncated mid-page": (_truncate(lambda n: n - 1000), "截断"),
    "truncated inside the header": (_truncate(lambda n: 60), "截断"),
    "only the magic left": (_truncate(lambda n: 10), "截断"),
    "garbage over the cases table": (
        lambda p: _overwrite_pages(p, [_root_page(p, "cases")], 1),
        "已损坏",
    ),
    "garbage over the attachments table": (
        lambda p: _overwrite_pages(p, [_root_page(p, "attachments")], 2),
        "已损坏",
    ),
    "garbage over pages 2-4": (lambda p: _overwrite_pages(p, [2, 3, 4], 3), "已损坏"),
    "garbage over the last pages": (
        lambda p: _overwrite_pages(p, [p.stat().st_size // 4096 - k for k in range(3)], 4),
        "已损坏",
    ),
    "from a newer FireCase": (_newer, "更新版本"),
    "read-only": (lambda p: p.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH), "只读"),
}


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_refused_and_untouched(case: str, good_file: Path, tmp_path: Path) -> None:
    damage, phrase = BAD_FILES[case]
    path = tmp_path / "案卷.sqlite"
    shutil.copyfile(good_file, path)
    damage(path)
    before = _snapshot(tmp_path)
    for attempt in (
        lambda: check_case_file(path),
        lambda: open_case_file(path, user="甲"),
        lambda: open_case_file(f"sqlite:///{path}", user="甲"),
    ):
        with pytest.raises(CaseFileError) as info:
            attempt()
        message = info.value.message
        assert CHINESE.search(message), message
        assert phrase in message, message
        assert "案卷" in message or "文件" in message
    assert _snapshot(tmp_path) == before, "refusing a bad file must not change anything"


def test_healthy_file_passes(good_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "案卷.sqlite"
    shutil.copyfile(good_file, path)
    before = _snapshot(tmp_path)
    found = check_case_file(path, thorough=True)
    assert found.exists and found.revision == head_revision() and not found.needs_upgrade
    assert _snapshot(tmp_path) == before, "the check itself writes nothing"
    with open_case_file(path, user="甲") as cf:
        assert cf.integrity_check() == ()
    new = check_case_file(tmp_path / "新.sqlite")
    assert not new.exists
    with pytest.raises(CaseFileError, match="文件夹不存在"):
        check_case_file(tmp_path / "无" / "x.sqlite")
    with pytest.raises(CaseFileError, match="文件夹"):
        check_case_file(tmp_path)


def test_older_file_is_upgraded_after_a_backup(tmp_path: Path) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    first = script.get_base()
    assert first is not None and first != head_revision()
    path = tmp_path / "旧.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), first)
    engine.dispose()
    found = check_case_file(path)
    assert found.revision == first and found.needs_upgrade
    with open_case_file(path, user="甲") as cf:
        assert cf.upgraded_from == first
        assert cf.backup_path is not None and cf.backup_path.exists()
