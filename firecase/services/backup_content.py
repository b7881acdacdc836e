"""The 附件库 of a backup folder: attachments' content shared by the automatic backups.

A case file with a thousand photos is gigabytes, nearly all of it photos that never change
once attached. An automatic backup (``backup.run_scheduled_backup``) therefore copies the case
file as usual and then moves the content of its attachments out of the copy into the backup
folder's ``附件库`` (one file per SHA-256, ``附件库/ab/abcdef…``, written once): each day's copy
keeps every row (the content's SHA-256 and size included) but no pieces, and a year of
backups (7 daily + 4 weekly + 12 monthly) costs 23 small copies plus each photo once.

Restoring such a copy puts the pieces back from the 附件库 (each checked against its SHA-256)
before the case file is replaced; a piece of content missing there is named and the restore
refused. Content no kept backup refers to any more is deleted when old backups are.
Manual backups (``firecase backup``, 文件 → 备份) stay whole, self-contained files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from firecase.errors import CaseFileError
from firecase.services import _dump
from firecase.services._dump import DamagedFileError
from firecase.store import blobs
from firecase.store.filecheck import sqlite_readonly_connect

CONTENT_FOLDER = "附件库"

__all__ = [
    "CONTENT_FOLDER",
    "attach_content",
    "detach_content",
    "missing_in_copy",
    "prune_content",
]


def _has_content_tables(conn: sqlite3.Connection) -> bool:
    names = {
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN "
            "('attachment_blobs', 'attachment_chunks')"
        )
    }
    return len(names) == 2


def _object_path(store: Path, sha256: str) -> Path:
    return store / sha256[:2] / sha256


def _pieces(conn: sqlite3.Connection, sha256: str) -> Iterator[bytes]:
    count = conn.execute(
        "SELECT count(*) FROM attachment_chunks WHERE sha256 = ?", (sha256,)
    ).fetchone()[0]
    for seq in range(int(count)):
        row = conn.execute(
            "SELECT data FROM attachment_chunks WHERE sha256 = ? AND seq = ?", (sha256, seq)
        ).fetchone()
        if row is None:
            raise CaseFileError(f"附件内容（{sha256[:16]}…）缺少第 {seq + 1} 段，备份已放弃。")
        yield bytes(row[0])


def _write_object(store: Path, sha256: str, size: int, pieces: Iterable[bytes]) -> None:
    """Write one content file atomically (``.part``, fsync, rename), checked as it is written."""
    target = _object_path(store, sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    digest = hashlib.sha256()
    written = 0
    try:
        with open(partial, "wb") as fh:
            for piece in pieces:
                fh.write(piece)
                digest.update(piece)
                written += len(piece)
            fh.flush()
            os.fsync(fh.fileno())
        if written != size or digest.hexdigest() != sha256:
            raise CaseFileError(
                f"案卷文件中的附件内容（{sha256[:16]}…）与其 SHA-256 不符，备份已放弃。"
                "请运行“校验案卷”查看是哪一个附件。"
            )
        os.replace(partial, target)
        _dump.fsync_dir(target.parent)
    finally:
        partial.unlink(missing_ok=True)


def detach_content(copy: Path, store: Path) -> tuple[int, int]:
    """Move the attachments' content out of the fresh backup ``copy`` into ``store``.

    Content already in ``store`` (of the right size) is not written again. The copy keeps
    its rows and loses its pieces (then ``VACUUM``: the file shrinks to the rows). Returns
    (content files written, bytes written). Raises ``CaseFileError``; the caller discards
    the copy then.
    """
    conn = sqlite3.connect(str(copy))
    try:
        if not _has_content_tables(conn):
            return 0, 0  # a case file from before migration 0017: content is in its rows
        written = bytes_written = 0
        rows = conn.execute("SELECT sha256, size FROM attachment_blobs ORDER BY sha256").fetchall()
        for sha, size in rows:
            target = _object_path(store, str(sha))
            if target.is_file() and target.stat().st_size == int(size):
                continue
            _write_object(store, str(sha), int(size), _pieces(conn, str(sha)))
            written += 1
            bytes_written += int(size)
        conn.execute("DELETE FROM attachment_chunks")
        conn.commit()
        conn.execute("VACUUM")
    except sqlite3.Error as exc:
        raise CaseFileError(f"无法整理备份副本中的附件：{exc}") from exc
    finally:
        conn.close()
    return written, bytes_written


def missing_in_copy(copy: Path) -> list[tuple[str, int]]:
    """(SHA-256, size) of the content a backup copy describes but does not hold."""
    conn = sqlite_readonly_connect(copy, quiescent=True)
    try:
        if not _has_content_tables(conn):
            return []
        return [
            (str(sha), int(size))
            for sha, size in conn.execute(
                "SELECT b.sha256, b.size FROM attachment_blobs b WHERE NOT EXISTS "
                "(SELECT 1 FROM attachment_chunks c WHERE c.sha256 = b.sha256) ORDER BY b.sha256"
            )
        ]
    finally:
        conn.close()


def _names(conn: sqlite3.Connection, sha256: str) -> str:
    names = [
        str(r[0])
        for r in conn.execute(
            "SELECT filename FROM attachments WHERE sha256 = ? ORDER BY id LIMIT 3", (sha256,)
        )
    ]
    return "、".join(f"“{n}”" for n in names) or sha256[:16]


def attach_content(copy: Path, store: Path) -> int:
    """Put back into the restored ``copy`` the content its rows describe, from ``store``.

    Every content file is read piece by piece and checked against its SHA-256; one missing or
    changed refuses the restore (``DamagedFileError`` naming the attachments) and the copy is
    left as it was. Returns how many content files were put back.
    """
    missing = missing_in_copy(copy)
    if not missing:
        return 0
    conn = sqlite3.connect(str(copy), isolation_level=None)
    try:
        conn.execute("BEGIN")
        for sha, size in missing:
            source = _object_path(store, sha)
            if not source.is_file():
                conn.execute("ROLLBACK")
                raise DamagedFileError(
                    f"这份自动备份的附件 {_names(conn, sha)} 的内容不在备份文件夹的"
                    f"“{CONTENT_FOLDER}”中（{source}），无法完整恢复。"
                    "请把备份文件夹整个复制过来后再恢复，或改用手动备份。"
                )
            digest = hashlib.sha256()
            total = 0
            with open(source, "rb") as fh:
                for seq, piece in enumerate(blobs.pieces_of(fh)):
                    digest.update(piece)
                    total += len(piece)
                    conn.execute(
                        "INSERT INTO attachment_chunks (sha256, seq, data) VALUES (?, ?, ?)",
                        (sha, seq, piece),
                    )
            if total != size or digest.hexdigest() != sha:
                conn.execute("ROLLBACK")
                raise DamagedFileError(
                    f"备份文件夹“{CONTENT_FOLDER}”中附件 {_names(conn, sha)} 的内容已损坏"
                    "（与其 SHA-256 不符），无法完整恢复。请改用其他备份。"
                )
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise CaseFileError(f"无法把附件内容放回恢复的案卷：{exc}") from exc
    finally:
        conn.close()
    return len(missing)


def prune_content(store: Path, copies: Iterable[Path], now: dt.datetime, min_age: float) -> int:
    """Delete content files none of ``copies`` (every backup copy kept in the folder) refers
    to, and ``.part`` leftovers, older than ``min_age`` seconds (a backup running meanwhile
    may have just written one). Nothing is deleted when a copy cannot be read. Returns the
    number of files deleted."""
    if not store.is_dir():
        return 0
    wanted: set[str] = set()
    for copy in copies:
        try:
            conn = sqlite_readonly_connect(copy, quiescent=True)
            try:
                if _has_content_tables(conn):
                    rows = conn.execute("SELECT sha256 FROM attachment_blobs")
                    wanted.update(str(r[0]) for r in rows)
            finally:
                conn.close()
        except sqlite3.Error:
            return 0  # cannot tell what it needs: keep everything
    deleted = 0
    for entry in store.glob("*/*"):
        if not entry.is_file():
            continue
        name = entry.name.removesuffix(".part")
        if name in wanted and not entry.name.endswith(".part"):
            continue
        if now.timestamp() - entry.stat().st_mtime <= min_age:
            continue
        entry.unlink(missing_ok=True)
        deleted += 1
    return deleted
