"""A new SQLite case file is the schema at head and nothing else, so the process's first one
(migrated) and every later one (a copy of its bytes, ``store.casefile._create_whole``) are
interchangeable: no row of a time or a user is in it, and a copy is made as SQLite makes a new
file (its mode)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from firecase.store import casefile, head_revision, open_case_file


def _rows(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def _made(folder: Path, name: str) -> Path:
    """A file as ``_create_whole`` leaves it (before the open that asked for it writes)."""
    folder.mkdir(exist_ok=True)
    path = folder / name
    casefile._create_whole(path)
    return path


def test_a_migrated_new_file_holds_only_alembics_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(casefile, "_PRISTINE", [])  # this one runs the migrations
    path = _made(tmp_path, "新.sqlite")
    rows = _rows(path)
    assert rows.pop("alembic_version") == 1
    assert len(rows) > 30 and set(rows.values()) == {0}, rows
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()


def test_later_new_files_are_copies_and_open_sound_for_their_own_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(casefile, "_PRISTINE", [])
    old_mask = os.umask(0o002)  # a shared folder's: a plain write would make 0664, SQLite 0644
    try:
        first = _made(tmp_path / "a", "案卷.sqlite")
        migrations_run: list[Path] = []
        monkeypatch.setattr(casefile, "_migrate_new", migrations_run.append)
        second = _made(tmp_path / "b", "案卷.sqlite")
    finally:
        os.umask(old_mask)
    assert migrations_run == [] and second.read_bytes() == first.read_bytes()
    assert second.stat().st_mode == first.stat().st_mode
    (tmp_path / "c").mkdir()
    with open_case_file(tmp_path / "c" / "案卷.sqlite", user="乙") as cf:
        assert migrations_run == [] and cf.created and cf.user == "乙"
        assert cf.integrity_check() == () and cf.verify_audit().ok
        with cf.connect() as conn:
            version = conn.exec_driver_sql("SELECT version_num FROM alembic_version")
            assert version.scalar_one() == head_revision()


def test_a_failed_copy_leaves_nothing_under_the_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(casefile, "_PRISTINE", [b"SQLite format 3\x00"])

    def no_space(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(casefile.os, "fsync", no_space)
    target = tmp_path / "案卷.sqlite"
    with pytest.raises(OSError):
        casefile._create_whole(target)
    assert list(tmp_path.iterdir()) == []
