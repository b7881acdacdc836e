"""Look at a SQLite case file before opening it: refuse bad files without touching them.

``open_case_file`` recognises a file that is not SQLite at all and one from a newer FireCase,
but a truncated or corrupted file may open (SQLite reads pages lazily) and fail later, and
opening switches the journal mode, which writes. ``check_case_file`` reads the file only
(header bytes, then a read-only SQLite connection running ``PRAGMA quick_check``) and raises
``CaseFileError`` with a Chinese message for: not a SQLite file, truncated, corrupted, made by
a newer FireCase (Alembic revision unknown here), not a FireCase file, read-only.
``open_case_file`` runs it before it locks or opens a SQLite file, so every open path (GUI,
CLI, backup, restore) refuses a bad file before anything is written to it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import os
import re
import shutil
import sqlite3
import stat
import tempfile
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from firecase.errors import CaseFileError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection

_log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic ``Config`` for the packaged migrations (no alembic.ini needed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


_SQLITE_MAGIC = b"SQLite format 3\x00"
_HEADER_SIZE = 100
# Above this size the page scan (quick_check reads every page) would make opening slow; the
# header, truncation, revision and read-only checks still run, and `firecase verify` scans all.
SCAN_LIMIT = 256 * 1024 * 1024
_RESTORE_HINT = "请从备份恢复（菜单“文件 → 从备份恢复”或命令 firecase restore）。"


@dataclass(frozen=True)
class CaseFileCheck:
    """What ``check_case_file`` found: the file exists (else it will be created) and its revision.

    ``revision`` is None for a file that does not exist yet or holds no FireCase tables;
    ``needs_upgrade`` is True when the file is from an older FireCase (it will be upgraded on
    open, after a backup).
    """

    path: Path
    exists: bool
    revision: str | None
    needs_upgrade: bool


def sqlite_readonly_connect(path: Path, *, quiescent: bool = False) -> sqlite3.Connection:
    """A SQLite connection that can only read ``path`` (never creates or writes the file).

    ``quiescent``: the caller knows no other program is writing the file (a backup, or a case
    file about to be opened). Without a ``-wal`` beside it, SQLite then reads it as immutable
    and leaves no ``-wal``/``-shm`` files behind; otherwise (the app may be writing) the normal
    read-only mode is used, which is consistent under concurrent writers.
    """
    resolved = path.resolve()
    uri = "file:" + urllib.parse.quote(resolved.as_posix()) + "?mode=ro"
    if quiescent and not resolved.with_name(resolved.name + "-wal").exists():
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True)


_REVISION_LINE = re.compile(
    r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(?:['\"]([^'\"]+)['\"]|None)\s*$", re.M
)


@functools.lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest migration revision shipped with this version of FireCase.

    Read from the ``revision`` / ``down_revision`` lines of the version files, so opening an
    up-to-date case file never imports Alembic (a quarter of a second at start-up); Alembic's
    own answer is used when the files cannot be read that way (e.g. sourceless bundles).
    """
    links: dict[str, str | None] = {}
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(
            (m.group(1), m.group(2))
            for m in _REVISION_LINE.finditer(script.read_text(encoding="utf-8"))
        )
        if found.get("revision"):
            links[str(found["revision"])] = found.get("down_revision")
    heads = set(links) - {down for down in links.values() if down}
    if len(heads) == 1:
        return heads.pop()
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def revision_known(revision: str) -> bool:
    """Whether this program ships the migration ``revision`` (False: made by a newer FireCase)."""
    if revision == head_revision():
        return True  # the usual case, answered without importing Alembic
    from alembic.script import ScriptDirectory

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except Exception:  # alembic raises several error types for an unknown revision id
        return False


def _header_problem(path: Path, size: int, header: bytes) -> tuple[str, str] | None:
    """(problem, kind) from the header and the file size; kind is ``"foreign"`` (not SQLite),
    ``"damaged"`` or ``"suspect"`` (SQLite may still read it).

    A size that disagrees with the header's page count is only a suspicion: a crash during a
    WAL checkpoint leaves the main file shorter (or longer) than its new header says, and
    SQLite recovers it fully from the ``-wal`` beside it. ``check_case_file`` then lets SQLite
    decide on a copy (``_recovery_check``).
    """
    name = path.name
    n = min(len(header), len(_SQLITE_MAGIC))
    if header[:n] != _SQLITE_MAGIC[:n]:
        return (
            f"“{name}”不是 FireCase 案卷文件（也不是 SQLite 数据库）。请确认选择的文件是否正确。",
            "foreign",
        )
    if size < _HEADER_SIZE:
        return f"案卷文件“{name}”不完整（只有 {size} 字节，文件被截断）。", "damaged"
    raw_page = int.from_bytes(header[16:18], "big")
    page_size = 65536 if raw_page == 1 else raw_page
    if page_size < 512 or page_size & (page_size - 1):
        return f"案卷文件“{name}”的文件头已损坏。", "damaged"
    pages = int.from_bytes(header[28:32], "big")
    counter_valid = header[92:96] == header[24:28]
    if size % page_size:
        return (
            f"案卷文件“{name}”不完整（文件长度 {size} 字节不是整页，文件被截断或损坏）。",
            "suspect",
        )
    if counter_valid and pages and size < pages * page_size:
        return (
            f"案卷文件“{name}”不完整（应有 {pages * page_size} 字节，实际只有 {size} 字节，"
            "文件被截断）。",
            "suspect",
        )
    return None


def _side_files(path: Path) -> list[Path]:
    """The ``-wal`` and ``-shm`` beside ``path`` that exist."""
    return [p for p in (path.with_name(path.name + s) for s in ("-wal", "-shm")) if p.exists()]


def _has_wal(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.is_file() and wal.stat().st_size > 0
    except OSError:
        return False


@contextlib.contextmanager
def recovered_copy(path: Path) -> Iterator[Path]:
    """A temporary copy of ``path`` and its ``-wal``, as SQLite recovers it (then deleted).

    The ``-shm`` is not copied: SQLite rebuilds the WAL index from the ``-wal`` when it opens
    the copy, which is what happens after a crash. The original files are only read.
    """
    with tempfile.TemporaryDirectory(prefix="firecase-check-") as scratch:
        copy = Path(scratch) / "recovered.sqlite"
        shutil.copyfile(path, copy)
        wal = path.with_name(path.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        yield copy


def _readonly_problem(path: Path, mode: int) -> str | None:
    no_write_bits = not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    if no_write_bits or not os.access(path, os.W_OK):
        return (
            f"案卷文件“{path.name}”是只读的，FireCase 无法在其中保存。请在文件属性中取消“只读”，"
            "或把文件复制到可写的文件夹后再打开。"
        )
    if not os.access(path.parent, os.W_OK):
        return (
            f"案卷文件所在的文件夹“{path.parent}”不允许写入（FireCase 需要在旁边建立日志文件）。"
            "请把案卷文件复制到可写的文件夹后再打开。"
        )
    return None


def _database_problem(
    path: Path, *, thorough: bool, scan: bool = True, name: str | None = None, copy: bool = False
) -> tuple[str | None, str | None, bool]:
    """(problem, revision, damaged) from a read-only look inside the database (``scan``: page
    check); ``damaged``: the problem is damage (a backup is worth offering).

    ``copy``: ``path`` is a scratch copy (``recovered_copy``), opened normally so that SQLite
    recovers its ``-wal``; ``name`` is then the original file's name for the messages.
    """
    name = name or path.name
    try:
        conn = sqlite3.connect(str(path)) if copy else sqlite_readonly_connect(path, quiescent=True)
    except sqlite3.Error as exc:
        _log.warning("cannot read %s: %s", path, exc)
        return f"无法读取案卷文件“{name}”，请检查文件是否存在、是否有读取权限。", None, False
    # the check's own report quotes damaged bytes: never let them fail the decoding
    conn.text_factory = lambda raw: raw.decode("utf-8", "replace")
    try:
        check = "integrity_check" if thorough else "quick_check"
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {check}(20)")] if scan else ["ok"]
        if rows != ["ok"]:
            return f"案卷文件“{name}”已损坏（数据库自检未通过）。", None, True
        tables = {
            str(r[0])
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not str(r[0]).startswith("sqlite_")
        }
        if "alembic_version" not in tables:
            if tables:
                return (
                    f"“{name}”是其他程序的数据库，不是 FireCase 案卷文件，已拒绝打开。",
                    None,
                    False,
                )
            return None, None, False
        found = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # a report quoting bad bytes
        _log.warning("damaged case file %s: %s", path, exc)
        return f"案卷文件“{name}”已损坏，无法读取。", None, True
    finally:
        conn.close()
    if len(found) != 1:
        return f"案卷文件“{name}”的版本记录已损坏。", None, True
    revision = str(found[0][0])
    if not revision_known(revision):
        return (
            f"案卷文件“{name}”由更新版本的 FireCase 创建（数据版本 {revision}），"
            "请升级 FireCase 后再打开。本程序没有改动该文件。",
            revision,
            False,
        )
    return None, revision, False


def check_case_file(
    path: str | os.PathLike[str],
    *,
    for_writing: bool = True,
    thorough: bool = False,
    offer_backup: bool = True,
) -> CaseFileCheck:
    """Check a SQLite case file without changing it; raise ``CaseFileError`` if it is unusable.

    A path that does not exist (or an empty file) is fine: opening creates the case file.
    ``for_writing`` also refuses a read-only file or folder; ``thorough`` runs the full
    ``integrity_check`` instead of ``quick_check`` (slower, also checks indexes).

    The file is never judged without its ``-wal``: when the header disagrees with the file
    size, or the read-only look finds damage while a ``-wal`` is beside it, SQLite recovers a
    copy of both (``recovered_copy``) and ``integrity_check`` on the copy decides. Only what
    SQLite cannot read is refused; the message of a damaged file names its newest sound
    backup (``newest_sound_backup``, unless ``offer_backup`` is False), also as the error's
    ``backup``.
    """
    p = Path(path).expanduser()
    if not p.exists():
        if not p.parent.is_dir():
            raise CaseFileError(f"文件夹不存在：{p.parent}")
        return CaseFileCheck(p, exists=False, revision=None, needs_upgrade=False)
    if p.is_dir():
        raise CaseFileError(f"“{p.name}”是一个文件夹，不是案卷文件。")
    try:
        st = p.stat()
        with open(p, "rb") as fh:
            header = fh.read(_HEADER_SIZE)
    except OSError as exc:
        raise CaseFileError(f"无法读取案卷文件“{p.name}”：{exc.strerror or exc}") from exc
    if st.st_size == 0:
        if for_writing and (problem := _readonly_problem(p, st.st_mode)):
            raise CaseFileError(problem)
        return CaseFileCheck(p, exists=False, revision=None, needs_upgrade=False)
    suspect = _header_problem(p, st.st_size, header)
    if suspect is not None and suspect[1] != "suspect":
        problem, kind = suspect
        raise _damaged(p, problem, offer_backup) if kind == "damaged" else CaseFileError(problem)
    if for_writing and (problem := _readonly_problem(p, st.st_mode)):
        raise CaseFileError(problem)
    if suspect is None:
        problem, revision, damaged = _database_problem(
            p, thorough=thorough, scan=st.st_size <= SCAN_LIMIT
        )
        if problem and revision is None and _has_wal(p):
            suspect = (problem, "suspect")  # perhaps misjudged without the -wal: look again
    if suspect is not None:
        # Let SQLite recover a copy of the file and its -wal, and judge what it reads.
        try:
            with recovered_copy(p) as copy:
                problem, revision, damaged = _database_problem(
                    copy, thorough=True, name=p.name, copy=True
                )
        except OSError as exc:
            raise CaseFileError(
                f"无法检查案卷文件“{p.name}”（临时副本无法建立：{exc.strerror or exc}）。"
                "请检查临时文件夹的剩余空间后再试。"
            ) from exc
        if problem and damaged:
            problem = suspect[0]  # the header's finding says best what is wrong
        elif not problem:
            _log.info("%s: %s; SQLite recovers it from its -wal", p, suspect[0])
    if problem:
        raise _damaged(p, problem, offer_backup) if damaged else CaseFileError(problem)
    return CaseFileCheck(
        p,
        exists=True,
        revision=revision,
        needs_upgrade=revision is not None and revision != head_revision(),
    )


_BACKUP_NAME = r"\.(?:备份-[0-9A-Za-z_]+|恢复前备份|自动备份)-(\d{8}-\d{6})(?:-\d+)?"
_BACKUPS_CHECKED = 10


def backup_candidates(path: Path) -> list[tuple[dt.datetime, Path]]:
    """Backups of the case file ``path`` FireCase wrote, newest first, by their names' times.

    Beside the file: the copies made before an upgrade (``<name>.备份-<revision>-<time>``) and
    before a restore (``<name>.恢复前备份-<time>``); in the automatic-backup folder
    (``<user data>/备份``): ``<name>.自动备份-<time>``. Only SQLite copies (same suffix).
    """
    suffix = path.suffix or ".sqlite"
    pattern = re.compile(rf"^{re.escape(path.stem)}{_BACKUP_NAME}{re.escape(suffix)}$")
    from firecase.paths import user_data_dir

    found: list[tuple[dt.datetime, Path]] = []
    for folder in dict.fromkeys((path.parent, user_data_dir() / "备份")):
        try:
            entries = list(folder.iterdir()) if folder.is_dir() else []
        except OSError:
            continue
        for entry in entries:
            match = pattern.match(entry.name)
            if match and entry != path and entry.is_file():
                with contextlib.suppress(ValueError):
                    when = dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
                    found.append((when, entry))
    return sorted(found, key=lambda item: (item[0], item[1].name), reverse=True)


def newest_sound_backup(path: Path) -> tuple[dt.datetime, Path] | None:
    """The newest of ``backup_candidates`` that passes ``check_case_file`` (None: none)."""
    for when, candidate in backup_candidates(path)[:_BACKUPS_CHECKED]:
        try:
            found = check_case_file(candidate, for_writing=False, offer_backup=False)
        except CaseFileError:
            continue
        if found.revision is not None:
            return when, candidate
    return None


def _damaged(path: Path, problem: str, offer_backup: bool) -> CaseFileError:
    """The refusal of a damaged file, naming its newest sound backup when there is one."""
    found = newest_sound_backup(path) if offer_backup else None
    if found is None:
        return CaseFileError(f"{problem}{_RESTORE_HINT}")
    when, backup = found
    return CaseFileError(
        f"{problem}最近一份完好的备份是“{backup.name}”（{when:%Y年%m月%d日 %H:%M}，"
        f"位于 {backup.parent}）。{_RESTORE_HINT}",
        backup=str(backup),
    )
