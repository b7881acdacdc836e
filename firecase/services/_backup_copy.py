"""Backups' sources and targets, SQLite copies, and the logical dump and its load."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, func, insert, inspect, select, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from firecase import __version__
from firecase.errors import CaseFileError, FirecaseError
from firecase.progress import Meter
from firecase.services import _dump, backup_content
from firecase.services._dump import DamagedFileError
from firecase.store.filecheck import sqlite_readonly_connect
from firecase.store.sqlite_copy import copy_database
from firecase.store.uow import server_refusal

BACKUP_FORMAT = "firecase-logical-backup"
BACKUP_FORMAT_VERSION = 2
"""1: all rows in one ``data.json`` (still read); 2: one JSON-lines member per table, written
and read a chunk at a time: the memory needed does not grow with the database."""
LOGICAL_SUFFIX = ".fcbackup"
DATA_MEMBER = "data.json"
_ZIP_MAGIC = b"PK\x03\x04"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_INSERT_CHUNK = 500
_LABEL = "备份文件"
_STREAMED_MAX = 1 << 40  # a table's member: bounded by the disk, not by memory


# sources and targets
# --------------------------------------------------------------------------------------------


def _resolve(url_or_path: str | os.PathLike[str]) -> tuple[URL, Path | None]:
    """(URL, path for a SQLite file or None), the way ``open_case_file`` reads its argument."""
    raw = os.fspath(url_or_path)
    if "://" in raw:
        from firecase.store.casefile import parse_url

        url = parse_url(raw)  # CaseFileError for a mistyped address or port
        if url.get_backend_name() == "sqlite":
            if url.database in (None, "", ":memory:"):
                raise CaseFileError("内存数据库无法备份或恢复，请指定案卷文件。")
            return url, Path(str(url.database)).expanduser().resolve()
        return url, None
    path = Path(raw).expanduser().resolve()
    return URL.create("sqlite+pysqlite", database=str(path)), path


def _display(url: URL, path: Path | None) -> str:
    return str(path) if path is not None else url.render_as_string(hide_password=True)


def _server_engine(url: URL) -> Engine:
    from firecase.store.casefile import engine_for  # CaseFileError for an unknown driver

    return engine_for(url, pool_pre_ping=False)


def _readonly_sqlite_engine(path: Path, *, quiescent: bool = False) -> Engine:
    return create_engine(
        "sqlite+pysqlite://", creator=lambda: sqlite_readonly_connect(path, quiescent=quiescent)
    )


def _db_error(exc: DBAPIError, what: str) -> FirecaseError:
    """The server's own refusal (a lock another login holds, a missing grant) in its Chinese
    words; any other database error with what failed."""
    return server_refusal(exc) or CaseFileError(f"{what}：{exc.orig}")


def _stamp(now: dt.datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S")


def _free_name(folder: Path, stem: str, suffix: str) -> Path:
    target = folder / f"{stem}{suffix}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{stem}-{n}{suffix}"
    return target


# --------------------------------------------------------------------------------------------
# SQLite copies
# --------------------------------------------------------------------------------------------


def _sqlite_copy(
    source: Path,
    target: Path,
    *,
    quiescent: bool = False,
    content_store: Path | None = None,
    meter: Meter | None = None,
) -> None:
    """Copy the SQLite database ``source`` to ``target`` (new file) and check the copy.

    ``quiescent``: nobody writes ``source`` (see ``sqlite_readonly_connect``).
    ``content_store``: move the attachments' content out of the copy into this 附件库
    (``backup_content.detach_content``), shared with the other automatic backups.
    ``meter``: told the pages copied, then the check and the 附件库 as steps of their own.
    """
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        src = sqlite_readonly_connect(source, quiescent=quiescent)
        try:
            dst = sqlite3.connect(str(partial))
            try:
                copy_database(src, dst, meter)
                if meter is not None:
                    meter.phase("检查副本")
                result = [str(r[0]) for r in dst.execute("PRAGMA integrity_check(5)")]
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise CaseFileError(
            f"无法复制案卷文件“{source.name}”：{exc}。若案卷文件已损坏，请改用较早的备份。"
        ) from exc
    if result != ["ok"]:
        partial.unlink(missing_ok=True)
        raise CaseFileError(
            f"复制出的“{target.name}”未通过完整性检查（{result[0]}），已放弃。"
            "请检查磁盘后重试；如反复出现，案卷文件本身可能已损坏。"
        )
    if content_store is not None:
        if meter is not None:
            meter.phase("附件存入附件库")
        try:
            backup_content.detach_content(partial, content_store)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    with open(partial, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(partial, target)
    _dump.fsync_dir(target.parent)


def _raw_copy(source: Path, target: Path) -> None:
    """Byte copy of a SQLite file and its ``-wal`` (for a file SQLite itself cannot read)."""
    shutil.copy2(source, target)
    wal = source.with_name(source.name + "-wal")
    if wal.exists():
        shutil.copy2(wal, target.with_name(target.name + "-wal"))


# --------------------------------------------------------------------------------------------
# logical dumps and loads
# --------------------------------------------------------------------------------------------


class _Rows:
    """What a restore loads, table by table and a chunk at a time, never whole in memory:
    ``revision``, the table ``names`` and their decoded rows by ``chunks(name)``."""

    revision: str
    names: list[str]

    def chunks(self, name: str) -> Iterator[list[dict[str, Any]]]:  # pragma: no cover
        raise NotImplementedError

    def total(self) -> int | None:
        """How many rows there are in all (for the progress), None when not known cheaply."""
        return None


class _DatabaseRows(_Rows):
    """The rows of an open database connection (inside the caller's transaction)."""

    def __init__(self, conn: Connection, chunk_rows: int | None = None) -> None:
        revision = _dump.current_revision(conn)
        if revision is None:
            raise CaseFileError("该数据库不是 FireCase 案卷（没有版本记录），无法备份。")
        self.revision = revision
        self.conn = conn
        self.chunk_rows = chunk_rows
        self.tables = {t.name: t for t in _dump.data_tables(_dump.reflect(conn))}
        self.names = list(self.tables)

    def chunks(self, name: str) -> Iterator[list[dict[str, Any]]]:
        return _dump.table_chunks(self.conn, self.tables[name], self.chunk_rows)

    def total(self) -> int:
        return sum(
            int(self.conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in self.tables.values()
        )


@contextlib.contextmanager
def _reading(engine: Engine, chunk_rows: int | None = None) -> Iterator[_DatabaseRows]:
    """The rows of ``engine``'s database as one consistent moment (REPEATABLE READ on
    PostgreSQL), read while the caller writes them out."""
    with engine.connect() as plain:
        conn = plain
        if engine.dialect.name == "postgresql":
            conn = plain.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield _DatabaseRows(conn, chunk_rows)


@contextlib.contextmanager
def _reading_server(url: URL, chunk_rows: int | None = None) -> Iterator[_DatabaseRows]:
    engine = _server_engine(url)
    try:
        with _reading(engine, chunk_rows) as rows:
            yield rows
    except DBAPIError as exc:
        raise _db_error(exc, "无法读取数据库") from exc
    finally:
        engine.dispose()


def _member(name: str) -> str:
    return f"data/{name}.jsonl"


def _write_logical(
    dest: Path,
    source: _Rows,
    *,
    origin: str,
    backend: str,
    now: dt.datetime,
    meter: Meter | None = None,
) -> int:
    """Write ``source`` to the ``.fcbackup`` ``dest`` (format 2): one JSON-lines member per
    table, each written as its rows are read, a chunk at a time; the manifest last, with
    each table's row count and each member's SHA-256. ``meter``: told the rows written."""
    counts: dict[str, int] = {}
    if meter is not None:
        meter.phase("导出数据", total=source.total())

    def lines(name: str) -> Iterator[bytes]:
        counts[name] = 0
        for chunk in source.chunks(name):
            counts[name] += len(chunk)
            if meter is not None:
                meter.advance(len(chunk))
            yield b"".join(_dump.row_line(_dump.encode_row(row)) for row in chunk)

    def manifest() -> dict[str, Any]:
        return {
            "format": BACKUP_FORMAT,
            "format_version": BACKUP_FORMAT_VERSION,
            "app_version": __version__,
            "schema_revision": source.revision,
            "created_at": now.isoformat(),
            "source": origin,
            "backend": backend,
            "tables": counts,
            "table_members": [[name, _member(name)] for name in source.names],
        }

    _dump.write_container_streamed(
        dest, ((_member(name), lines(name)) for name in source.names), manifest
    )
    return sum(counts.values())


class _Format1Rows(_Rows):
    """A backup of format 1 (one ``data.json``, read whole: as it was written)."""

    def __init__(self, revision: str, tables: list[tuple[str, list[dict[str, Any]]]]) -> None:
        self.revision = revision
        self.names = [name for name, _ in tables]
        self.tables = dict(tables)

    def total(self) -> int:
        return sum(len(rows) for rows in self.tables.values())

    def chunks(self, name: str) -> Iterator[list[dict[str, Any]]]:
        rows = self.tables[name]
        for start in range(0, len(rows), _INSERT_CHUNK):
            yield rows[start : start + _INSERT_CHUNK]


class _Format2Rows(_Rows):
    """A backup of format 2, each table's member read a chunk at a time when loaded."""

    def __init__(
        self, path: Path, revision: str, members: dict[str, tuple[str, str]], counts: dict[str, int]
    ) -> None:
        self.path = path
        self.revision = revision
        self.names = list(members)
        self.members = members  # table -> (member, sha256)
        self.counts = counts
        self.chunk_rows: int | None = None  # _dump.CHUNK_ROWS

    def total(self) -> int:
        return sum(self.counts.values())

    def chunks(self, name: str) -> Iterator[list[dict[str, Any]]]:
        member, digest = self.members[name]
        seen = 0
        for chunk in _dump.read_rows_streamed(self.path, member, digest, self.chunk_rows):
            seen += len(chunk)
            yield chunk
        if seen != self.counts[name]:
            raise DamagedFileError(
                f"“{self.path.name}”的行数与清单不符，文件可能被改动，拒绝恢复。"
            )


def _read_logical(path: Path) -> _Rows:
    """The verified manifest of a ``.fcbackup`` and its rows (format 2: streamed on load)."""
    manifest, members, sizes = _dump.read_container_streamed(
        path,
        expected_format=BACKUP_FORMAT,
        label=_LABEL,
        streamed_prefix="data/",
        streamed_max=_STREAMED_MAX,
    )
    _dump.check_format_version(manifest, BACKUP_FORMAT_VERSION, path.name)
    revision = manifest.get("schema_revision")
    if not isinstance(revision, str) or not revision:
        raise DamagedFileError(f"“{path.name}”的清单缺少数据版本，拒绝恢复。")
    counts = manifest.get("tables")
    if manifest["format_version"] >= 2:
        listed = manifest.get("table_members")
        entries = manifest["members"]
        if (
            not isinstance(listed, list)
            or not all(isinstance(e, list) and len(e) == 2 for e in listed)
            or not isinstance(counts, dict)
            or sorted(str(e[0]) for e in listed) != sorted(counts)
            or sorted(str(e[1]) for e in listed) != sorted(sizes)
            or not all(isinstance(n, int) for n in counts.values())
        ):
            raise DamagedFileError(f"“{path.name}”的清单不完整，拒绝恢复。")
        return _Format2Rows(
            path,
            revision,
            {str(t): (str(m), str(entries[m]["sha256"])) for t, m in listed},
            {str(k): int(n) for k, n in counts.items()},
        )
    if DATA_MEMBER not in members:
        raise DamagedFileError(f"“{path.name}”缺少数据（{DATA_MEMBER}），拒绝恢复。")
    # format 1 (before streamed backups) holds the whole archive in one member
    document = _dump.loads(members[DATA_MEMBER], "数据", max_bytes=_dump.MAX_TOTAL)
    tables = _dump.read_tables_document(document, f"“{path.name}”中的数据")
    if not isinstance(counts, dict) or counts != {name: len(rows) for name, rows in tables}:
        raise DamagedFileError(f"“{path.name}”的行数与清单不符，文件可能被改动，拒绝恢复。")
    return _Format1Rows(revision, tables)


def _require_empty(conn: Connection, names: set[str], revision: str, where: str) -> None:
    """Refuse a target that holds data or another schema version (restore never overwrites)."""
    existing = _dump.current_revision(conn) if "alembic_version" in names else None
    meta = _dump.reflect(conn)
    for table in _dump.data_tables(meta):
        if conn.execute(select(table).limit(1)).first() is not None:
            raise CaseFileError(
                f"目标数据库{where}中已有数据（表 {table.name}）。恢复不会覆盖已有数据，"
                "请新建一个空数据库后再恢复。"
            )
    if existing != revision:
        raise CaseFileError(
            f"目标数据库{where}中已有其他版本的数据表（{existing or '非 FireCase'}），"
            "请新建一个空数据库后再恢复。"
        )


def _reset_sequences(conn: Connection) -> None:
    """After inserting explicit ids on PostgreSQL, move each serial sequence past them."""
    meta = _dump.reflect(conn)
    for table in _dump.data_tables(meta):
        for column in table.primary_key.columns:
            seq = conn.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"),
                {"t": table.name, "c": column.name},
            ).scalar()
            if seq is None:
                continue
            top = conn.execute(select(column).order_by(column.desc()).limit(1)).scalar()
            conn.execute(
                text("SELECT setval(:s, :v, :called)"),
                {"s": seq, "v": int(top) if top is not None else 1, "called": top is not None},
            )


def _without_triggers(conn: Connection, where: str) -> None:
    """Restore the backup's rows, its audit trail included, as they are: the database's audit
    triggers (store.pg_audit) must not add rows for the restore itself. Needs a superuser."""
    superuser = conn.execute(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = session_user")
    ).scalar()
    if not superuser:
        raise CaseFileError(
            f"恢复到数据库服务器{where}需要以数据库超级用户连接：恢复会原样写入备份中的审计记录，"
            "只有超级用户可以这样做。请数据库管理员执行恢复。"
        )
    conn.execute(text("SET LOCAL session_replication_role = replica"))


def _load(engine: Engine, source: _Rows, where: str, meter: Meter | None = None) -> int:
    """Create the schema at the source's revision in an empty database and insert every row,
    a chunk at a time, in one transaction (a damaged chunk read late rolls everything back);
    ``meter`` is told the rows loaded."""
    from alembic import command

    from firecase.store.filecheck import alembic_config

    revision = source.revision
    if not _dump.revision_known(revision):
        raise CaseFileError(
            f"备份由更新版本的 FireCase 生成（数据版本 {revision}），请升级 FireCase 后再恢复。"
        )
    total = 0
    with engine.connect() as conn, conn.begin():
        if engine.dialect.name == "postgresql":
            _without_triggers(conn, where)
        names = set(inspect(conn).get_table_names())
        if names:
            _require_empty(conn, names, revision, where)
        else:
            command.upgrade(alembic_config(conn), revision)
        meta = _dump.reflect(conn)
        order = {t.name: i for i, t in enumerate(_dump.data_tables(meta))}
        if meter is not None:
            meter.phase("载入数据", total=source.total())
        for name in sorted(source.names, key=lambda n: order.get(n, -1)):
            table = meta.tables.get(name)
            if table is None or name not in order:
                raise DamagedFileError(f"备份中的数据表“{name}”在该数据版本中不存在，拒绝恢复。")
            known = set(table.columns.keys())
            for chunk in source.chunks(name):
                unknown = {key for row in chunk for key in row} - known
                if unknown:
                    raise DamagedFileError(
                        f"备份中数据表“{name}”含有未知的列：{'、'.join(sorted(unknown))}，拒绝恢复。"
                    )
                for start in range(0, len(chunk), _INSERT_CHUNK):
                    conn.execute(insert(table), chunk[start : start + _INSERT_CHUNK])
                total += len(chunk)
                if meter is not None:
                    meter.advance(len(chunk))
        if engine.dialect.name == "postgresql":
            _reset_sequences(conn)
    return total
