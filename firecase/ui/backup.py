"""Backing up an open SQLite case file with SQLite's online backup API.

Service-free helper of the UI (no backup service exists yet): runs on the worker thread, reads
the live file through its own ``sqlite3`` connection (safe while FireCase has it open, WAL
included) and writes a complete, consistent copy. No Qt here.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from firecase.errors import CaseFileError


def default_backup_name(case_file_path: Path, now: dt.datetime) -> str:
    """``<name>.备份-YYYYMMDD-HHMMSS.sqlite``, the name the save dialog proposes."""
    return f"{case_file_path.stem}.备份-{now:%Y%m%d-%H%M%S}{case_file_path.suffix or '.sqlite'}"


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy the SQLite case file ``source`` to ``target`` (replaced if it exists); return it."""
    source = Path(source).resolve()
    target = Path(target).resolve()
    if source == target:
        raise CaseFileError("备份文件不能与正在使用的案卷文件相同，请另选文件名。")
    if not target.parent.is_dir():
        raise CaseFileError(f"文件夹不存在：{target.parent}")
    partial = target.with_name(target.name + ".part")
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(partial))
        try:
            src.backup(dst)
            ok = dst.execute("PRAGMA integrity_check").fetchone()
        finally:
            dst.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise CaseFileError(f"备份失败：{exc}。请检查磁盘空间和写入权限后重试。") from exc
    finally:
        src.close()
    if not ok or ok[0] != "ok":
        partial.unlink(missing_ok=True)
        raise CaseFileError("备份副本未通过完整性检查，请重试；如果反复出现，请联系技术支持。")
    partial.replace(target)
    return target
