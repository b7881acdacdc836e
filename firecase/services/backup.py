"""Backups of a whole case file, restore, and the daily automatic backup.

Two kinds of backup, chosen by the source (and the file name asked for):

* **SQLite copy** (``*.sqlite``): SQLite's online backup API, consistent while FireCase has the
  file open (WAL included), checked with ``integrity_check`` before it gets its final name.
* **Logical backup** (``*.fcbackup``, always for PostgreSQL): a zip with ``manifest.json``
  (format, program and schema versions, row counts, SHA-256 of each member, written last) and
  one ``data/<table>.jsonl`` per table (a row per line, types kept: ``Decimal``, dates,
  ``bytes``), read in one repeatable-read transaction and written a chunk at a time, never
  whole in memory; no ``pg_dump`` needed. It restores, a chunk at a time, into an empty
  database of either kind; backups of format 1 (all rows in one ``data.json``) still restore.

``restore_case_file`` never overwrites silently: an existing SQLite file is first copied to
``<name>.恢复前备份-<time>.sqlite`` and only then replaced, under the case file's lock (so the
app cannot have it open); a server database must be empty. ``run_scheduled_backup`` is what the
GUI calls at start: at most one backup a day, old ones deleted after ``keep_days``.

Copying and dumping (the sources, SQLite copies, the logical dump and its load) is in
``_backup_copy``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from firecase.errors import CaseFileError, FirecaseError, ValidationError
from firecase.paths import user_data_dir
from firecase.progress import Meter, Report, TerminalReport
from firecase.services import _dump, backup_content
from firecase.services._backup_copy import (
    _SQLITE_MAGIC,
    _ZIP_MAGIC,
    LOGICAL_SUFFIX,
    _db_error,
    _display,
    _free_name,
    _load,
    _raw_copy,
    _read_logical,
    _reading,
    _reading_server,
    _readonly_sqlite_engine,
    _resolve,
    _Rows,
    _server_engine,
    _sqlite_copy,
    _stamp,
    _write_logical,
)
from firecase.services._dump import DamagedFileError
from firecase.store.filecheck import check_case_file

__all__ = [
    "LOGICAL_SUFFIX",
    "BackupResult",
    "DamagedFileError",
    "RestoreResult",
    "ScheduledBackup",
    "backup_case_file",
    "backup_command",
    "default_backup_folder",
    "restore_case_file",
    "restore_command",
    "run_scheduled_backup",
]


@dataclass(frozen=True)
class BackupResult:
    """A backup written: where, which kind ("sqlite" or "logical"), schema revision, row count.

    ``rows`` is None for a SQLite copy (pages are copied, not rows).
    """

    path: Path
    kind: str
    revision: str | None
    rows: int | None


@dataclass(frozen=True)
class RestoreResult:
    """A restore done: the target, the copy made of what was there before, rows restored."""

    target: str
    previous_backup: Path | None
    revision: str | None
    rows: int | None


@dataclass(frozen=True)
class ScheduledBackup:
    """What the daily backup did: the new backup (None if skipped, see ``note``), deletions."""

    created: Path | None
    deleted: tuple[Path, ...]
    note: str


# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------


def backup_case_file(
    url_or_path: str | os.PathLike[str],
    dest: str | os.PathLike[str],
    *,
    now: dt.datetime | None = None,
    overwrite: bool = False,
    share_content: bool = False,
    progress: Report | None = None,
) -> BackupResult:
    """Back up a case file (path or URL) to ``dest`` while it may be open in FireCase.

    A SQLite source becomes a SQLite copy, unless ``dest`` ends in ``.fcbackup``; a server
    database always becomes a logical backup. ``dest`` is refused when it exists (unless
    ``overwrite``) or is the case file itself. ``share_content`` (the automatic backups): a
    SQLite copy keeps its attachments' content in the folder's 附件库, each file once
    (``backup_content``). Raises ``CaseFileError`` with a Chinese message. ``progress`` is
    told the steps of a SQLite copy (pages copied, the check, the 附件库).
    """
    stamp_now = now or dt.datetime.now().astimezone()
    url, path = _resolve(url_or_path)
    target = Path(dest).expanduser().resolve()
    if not target.parent.is_dir():
        raise CaseFileError(f"备份文件夹不存在：{target.parent}")
    if target.is_dir():
        raise CaseFileError(f"“{target}”是一个文件夹，请指定备份文件名。")
    if path is not None and target == path:
        raise CaseFileError("备份文件不能与案卷文件相同，请另选文件名。")
    if target.exists() and not overwrite:
        raise CaseFileError(f"文件“{target.name}”已存在，请另选文件名（备份不会覆盖已有文件）。")
    origin, backend = _display(url, path), url.get_backend_name()
    if path is None:
        with _reading_server(url) as source:
            meter = Meter("备份案卷文件", progress)
            rows = _write_logical(
                target, source, origin=origin, backend=backend, now=stamp_now, meter=meter
            )
        return BackupResult(target, "logical", source.revision, rows)
    if not path.is_file():
        raise CaseFileError(f"案卷文件不存在：{path}")
    info = check_case_file(path, for_writing=False)
    if target.suffix.lower() != LOGICAL_SUFFIX:
        store = target.parent / backup_content.CONTENT_FOLDER if share_content else None
        meter = Meter("备份案卷文件", progress, steps=2 + (store is not None))
        _sqlite_copy(path, target, content_store=store, meter=meter)
        return BackupResult(target, "sqlite", info.revision, None)
    # One consistent moment: copy with the backup API first, then read the quiet copy
    # (pysqlite would read each table in its own snapshot while the app writes).
    with tempfile.TemporaryDirectory(prefix="firecase-backup-") as scratch:
        snapshot = Path(scratch) / "snapshot.sqlite"
        meter = Meter("备份案卷文件", progress, steps=3)  # the snapshot, its check, the export
        _sqlite_copy(path, snapshot, meter=meter)
        engine = _readonly_sqlite_engine(snapshot, quiescent=True)
        try:
            with _reading(engine) as source:
                rows = _write_logical(
                    target, source, origin=origin, backend=backend, now=stamp_now, meter=meter
                )
                revision = source.revision
        finally:
            engine.dispose()
    return BackupResult(target, "logical", revision, rows)


def _backup_kind(path: Path) -> str:
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except FileNotFoundError as exc:
        raise CaseFileError(f"找不到备份文件：{path}") from exc
    except OSError as exc:
        raise CaseFileError(f"无法读取备份文件“{path.name}”：{exc.strerror or exc}") from exc
    if head == _SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(_ZIP_MAGIC):
        return "logical"
    raise DamagedFileError(
        f"“{path.name}”不是 FireCase 备份文件（既不是案卷副本，也不是逻辑备份）。"
    )


def _is_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == _SQLITE_MAGIC
    except OSError:
        return False


@contextlib.contextmanager
def _case_file_lock(path: Path) -> Iterator[None]:
    """Hold the same lock FireCase holds while a case file is open."""
    from firecase.store.lockfile import FileLock  # the lock every FireCase process honours

    lock = FileLock(path.with_name(path.name + ".lock"))
    lock.acquire()
    try:
        yield
    finally:
        lock.release()


def _keep_previous(path: Path, now: dt.datetime) -> Path | None:
    """Copy what is at ``path`` (readable or not) beside it before it is replaced."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    target = _free_name(
        path.parent, f"{path.stem}.恢复前备份-{_stamp(now)}", path.suffix or ".sqlite"
    )
    try:
        check_case_file(path, for_writing=False)
        _sqlite_copy(path, target, quiescent=True)
    except CaseFileError:
        _raw_copy(path, target)  # damaged or not ours: keep the exact bytes
    return target


def restore_case_file(
    backup: str | os.PathLike[str],
    dest: str | os.PathLike[str],
    *,
    now: dt.datetime | None = None,
    progress: Report | None = None,
) -> RestoreResult:
    """Restore ``backup`` (a SQLite copy or a ``.fcbackup``) to the case file ``dest``.

    The backup is verified first (integrity check, or manifest hashes). A SQLite ``dest`` is
    rebuilt beside itself, the current file is copied to ``<name>.恢复前备份-<time>`` and only
    then replaced, all under the case file's lock (refused while FireCase has it open). A
    server ``dest`` must be an empty database. Raises ``CaseFileError``/``DamagedFileError``.
    ``progress`` is told the steps: the check of the backup, the pages copied or the rows
    loaded, the check of what was restored.
    """
    stamp_now = now or dt.datetime.now().astimezone()
    source = Path(backup).expanduser().resolve()
    kind = _backup_kind(source)
    url, path = _resolve(dest)
    if path is not None and path == source:
        raise CaseFileError("备份文件不能与要恢复的案卷文件相同。")
    revision: str | None
    rows: int | None
    store = source.parent / backup_content.CONTENT_FOLDER
    logical = None
    meter = Meter("从备份恢复", progress, steps=3)
    if kind == "sqlite":
        meter.phase("检查备份文件")
        revision = check_case_file(source, for_writing=False, thorough=True).revision
        if revision is None:
            raise DamagedFileError(f"“{source.name}”中没有 FireCase 数据，不能用于恢复。")
        if path is None:
            with tempfile.TemporaryDirectory(prefix="firecase-restore-", dir=source.parent) as tmp:
                whole = source
                if backup_content.missing_in_copy(source):  # an automatic backup: 附件库
                    whole = Path(tmp) / "whole.sqlite"
                    _sqlite_copy(source, whole, quiescent=True)
                    backup_content.attach_content(whole, store)
                engine = _readonly_sqlite_engine(whole, quiescent=True)
                try:
                    with _reading(engine) as copied:
                        revision = copied.revision
                        rows = _load_server(url, copied, meter)
                finally:
                    engine.dispose()
            return RestoreResult(_display(url, None), None, revision, rows)
    else:
        meter.phase("检查备份文件")
        logical = _read_logical(source)
        revision = logical.revision
        if path is None:
            rows = _load_server(url, logical, meter)
            return RestoreResult(_display(url, None), None, revision, rows)
    assert path is not None
    if not path.parent.is_dir():
        raise CaseFileError(f"文件夹不存在：{path.parent}")
    with _case_file_lock(path):
        partial = path.with_name(path.name + ".restore.part")
        partial.unlink(missing_ok=True)
        try:
            if logical is None:
                _sqlite_copy(source, partial, quiescent=True, meter=meter)
                backup_content.attach_content(partial, store)  # an automatic backup's 附件库
                rows = None
            else:
                engine = create_engine(URL.create("sqlite+pysqlite", database=str(partial)))
                try:
                    rows = _load(engine, logical, "", meter)
                finally:
                    engine.dispose()
                meter.phase("检查恢复出的文件")
                check_case_file(partial, thorough=True)
            previous = _keep_previous(path, stamp_now)
            for suffix in ("-wal", "-shm", "-journal"):
                # captured in the copy above; left beside the new file they would corrupt it
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            os.replace(partial, path)
            _dump.fsync_dir(path.parent)
        except DBAPIError as exc:
            raise _db_error(exc, "恢复失败，案卷文件未作任何改动") from exc
        finally:
            partial.unlink(missing_ok=True)
    return RestoreResult(str(path), previous, revision, rows)


def _load_server(url: URL, source: _Rows, meter: Meter | None = None) -> int:
    """Load ``source`` into the empty server database at ``url``."""
    engine = _server_engine(url)
    try:
        return _load(engine, source, f"“{_display(url, None)}”", meter)
    except DBAPIError as exc:
        raise _db_error(exc, "恢复失败，目标数据库未作任何改动") from exc
    finally:
        engine.dispose()


def default_backup_folder() -> Path:
    """Where automatic backups go unless the user chose a folder: ``<user data>/备份``."""
    folder = user_data_dir() / "备份"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


_AUTO_TAG = "自动备份"


def _auto_pattern(stem: str, suffix: str) -> re.Pattern[str]:
    return re.compile(
        rf"^{re.escape(stem)}\.{_AUTO_TAG}-(\d{{8}}-\d{{6}})(?:-\d+)?{re.escape(suffix)}$"
    )


@dataclass(frozen=True)
class Retention:
    """Which automatic backups are kept: the newest of each of the last ``daily`` days, of
    each of the last ``weekly`` ISO weeks and of each of the last ``monthly`` months. At most
    7 + 4 + 12 = 23 copies reach back a year (30 daily copies reached back a month)."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12

    def __post_init__(self) -> None:
        counts = (self.daily, self.weekly, self.monthly)
        if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in counts) or (
            self.daily < 1
        ):
            raise ValidationError("备份保留规则无效（至少保留最近1天的备份）。", field="retention")


PART_AGE = dt.timedelta(hours=1)
"""A ``.part`` file of an automatic backup older than this was left by a backup that was
killed (a running one writes its ``.part`` for seconds, under the case file's lock)."""


def backups_to_keep(
    times: Iterable[dt.datetime], now: dt.datetime, retention: Retention
) -> set[dt.datetime]:
    """The backup times ``retention`` keeps at ``now`` (the newest in each bucket)."""
    today = now.date()
    newest: dict[tuple[str, Any], dt.datetime] = {}
    for when in times:
        day = when.date()
        iso = day.isocalendar()
        for bucket in (("d", day), ("w", (iso.year, iso.week)), ("m", (day.year, day.month))):
            if bucket not in newest or when > newest[bucket]:
                newest[bucket] = when
    this_week = today.isocalendar()
    monday = today - dt.timedelta(days=this_week.weekday - 1)
    wanted: list[tuple[str, Any]] = [
        ("d", today - dt.timedelta(days=k)) for k in range(retention.daily)
    ]
    for k in range(retention.weekly):
        week = (monday - dt.timedelta(weeks=k)).isocalendar()
        wanted.append(("w", (week.year, week.week)))
    year, month = today.year, today.month
    for _ in range(retention.monthly):
        wanted.append(("m", (year, month)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return {newest[b] for b in wanted if b in newest}


def run_scheduled_backup(
    case_file_path: str | os.PathLike[str],
    folder: str | os.PathLike[str],
    retention: Retention,
    now: dt.datetime,
    progress: Report | None = None,
) -> ScheduledBackup:
    """The automatic backup the GUI runs at start: at most once per calendar day (its steps
    told to ``progress``).

    Writes ``<name>.自动备份-<YYYYMMDD-HHMMSS><suffix>`` into ``folder`` unless one from
    ``now``'s day is already there, then deletes this case file's automatic backups that
    ``retention`` does not keep (``backups_to_keep``) and the ``.part`` files killed backups of
    it left (older than ``PART_AGE``); never anything else, never when the new backup failed.
    A case file that does not exist yet is skipped. Times are those of the file names, i.e.
    ``now``'s clock.
    """
    if not isinstance(retention, Retention):
        raise ValidationError("备份保留规则无效（至少保留最近1天的备份）。", field="retention")
    url, path = _resolve(case_file_path)
    target_dir = Path(folder).expanduser().resolve()
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CaseFileError(f"无法建立备份文件夹“{target_dir}”：{exc.strerror or exc}") from exc
    if path is not None:
        stem, suffix = path.stem, path.suffix or ".sqlite"
        if not path.is_file() or path.stat().st_size == 0:
            return ScheduledBackup(None, (), "案卷文件尚未建立，无需备份。")
    else:
        stem = re.sub(r"[^\w.-]", "_", url.database or "database")
        suffix = LOGICAL_SUFFIX
    pattern = _auto_pattern(stem, suffix)
    existing: list[tuple[dt.datetime, Path]] = []
    for entry in target_dir.iterdir():
        match = pattern.match(entry.name)
        if match and entry.is_file():
            existing.append((dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S"), entry))
    local_now = now.replace(tzinfo=None)
    created: Path | None = None
    if any(when.date() == local_now.date() for when, _ in existing):
        note = "今天已有自动备份。"
    else:
        dest = _free_name(target_dir, f"{stem}.{_AUTO_TAG}-{_stamp(local_now)}", suffix)
        created = backup_case_file(
            case_file_path, dest, now=now, share_content=True, progress=progress
        ).path
        note = f"已自动备份到“{created.name}”。"
        existing.append((local_now.replace(microsecond=0), created))
    kept = backups_to_keep([when for when, _ in existing], local_now, retention)
    deleted: list[Path] = []
    for when, entry in sorted(existing):
        if when not in kept and entry != created:
            entry.unlink(missing_ok=True)
            deleted.append(entry)
    # a killed copy may also leave SQLite's journal of the ``.part`` beside it
    leftover = re.compile(rf"^{re.escape(stem)}\.{_AUTO_TAG}-.*\.part(?:-journal|-wal|-shm)?$")
    for entry in target_dir.iterdir():
        if leftover.match(entry.name) and entry.is_file():
            age = now.timestamp() - entry.stat().st_mtime
            if age > PART_AGE.total_seconds():
                entry.unlink(missing_ok=True)
                deleted.append(entry)
    # the 附件库 keeps what any automatic copy in the folder (of any case file) refers to
    copies = [
        entry
        for entry in target_dir.iterdir()
        if f".{_AUTO_TAG}-" in entry.name and entry.is_file() and _is_sqlite(entry)
    ]
    backup_content.prune_content(
        target_dir / backup_content.CONTENT_FOLDER, copies, now, PART_AGE.total_seconds()
    )
    return ScheduledBackup(created, tuple(deleted), note)


# --------------------------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------------------------


def backup_command(args: argparse.Namespace) -> int:
    """``firecase backup --db PATH|URL -o OUT``: exit 0 on success, 2 on an error."""
    try:
        report = TerminalReport()
        try:
            result = backup_case_file(
                args.db, args.output, overwrite=bool(args.force), progress=report
            )
        finally:
            report.close()
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    kind = "案卷副本" if result.kind == "sqlite" else f"逻辑备份，{result.rows} 行"
    print(f"已备份到 {result.path}（{kind}）")
    return 0


def restore_command(args: argparse.Namespace) -> int:
    """``firecase restore BACKUP --db PATH|URL``: exit 0 on success, 2 on an error."""
    try:
        report = TerminalReport()
        try:
            result = restore_case_file(args.backup, args.db, progress=report)
        finally:
            report.close()
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    print(f"已从 {args.backup} 恢复到 {result.target}")
    if result.previous_backup is not None:
        print(f"恢复前的案卷文件已另存为 {result.previous_backup}")
    return 0
