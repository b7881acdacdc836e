"""Backups' sources and targets, SQLite copies, and the logical dump and its load."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, insert, inspect, select, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from firecase import __version__
from firecase.errors import CaseFileError
from firecase.progress import Meter
from firecase.services import _dump, backup_content
from firecase.services._dump import DamagedFileError
from firecase.store.filecheck import sqlite_readonly_connect
from firecase.store.sqlite_copy import copy_database

BACKUP_FORMAT = "firecase-logical-backup"
BACKUP_FORMAT_VERSION = 1
LOGICAL_SUFFIX = ".fcbackup"
DATA_MEMBER = "data.json"
_ZIP_MAGIC = b"PK\x03\x04"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_INSERT_CHUNK = 500
_LABEL = "备份文件"


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


def _db_error(exc: DBAPIError, what: str) -> CaseFileError:
    return CaseFileError(f"{what}：{exc.orig}")


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


def _dump_connection(conn: Connection) -> tuple[str, list[tuple[str, list[dict[str, Any]]]]]:
    """(revision, tables with encoded rows) read inside the caller's transaction."""
    revision = _dump.current_revision(conn)
    if revision is None:
        raise CaseFileError("该数据库不是 FireCase 案卷（没有版本记录），无法备份。")
    meta = _dump.reflect(conn)
    return revision, [(t.name, _dump.table_rows(conn, t)) for t in _dump.data_tables(meta)]


def _dump_engine(engine: Engine) -> tuple[str, list[tuple[str, list[dict[str, Any]]]]]:
    with engine.connect() as plain:
        conn = plain
        if engine.dialect.name == "postgresql":
            conn = plain.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            return _dump_connection(conn)


def _dump_server(url: URL) -> tuple[str, list[tuple[str, list[dict[str, Any]]]]]:
    engine = _server_engine(url)
    try:
        return _dump_engine(engine)
    except DBAPIError as exc:
        raise _db_error(exc, "无法读取数据库") from exc
    finally:
        engine.dispose()


def _write_logical(
    dest: Path,
    revision: str,
    tables: list[tuple[str, list[dict[str, Any]]]],
    *,
    source: str,
    backend: str,
    now: dt.datetime,
) -> int:
    manifest = {
        "format": BACKUP_FORMAT,
        "format_version": BACKUP_FORMAT_VERSION,
        "app_version": __version__,
        "schema_revision": revision,
        "created_at": now.isoformat(),
        "source": source,
        "backend": backend,
        "tables": {name: len(rows) for name, rows in tables},
    }
    _dump.write_container(dest, manifest, {DATA_MEMBER: _dump.dumps(_dump.tables_document(tables))})
    return sum(len(rows) for _, rows in tables)


def _read_logical(path: Path) -> tuple[str, list[tuple[str, list[dict[str, Any]]]]]:
    manifest, members = _dump.read_container(path, expected_format=BACKUP_FORMAT, label=_LABEL)
    _dump.check_format_version(manifest, BACKUP_FORMAT_VERSION, path.name)
    revision = manifest.get("schema_revision")
    if not isinstance(revision, str) or not revision:
        raise DamagedFileError(f"“{path.name}”的清单缺少数据版本，拒绝恢复。")
    if DATA_MEMBER not in members:
        raise DamagedFileError(f"“{path.name}”缺少数据（{DATA_MEMBER}），拒绝恢复。")
    document = _dump.loads(members[DATA_MEMBER], "数据")
    tables = _dump.read_tables_document(document, f"“{path.name}”中的数据")
    counts = manifest.get("tables")
    if not isinstance(counts, dict) or counts != {name: len(rows) for name, rows in tables}:
        raise DamagedFileError(f"“{path.name}”的行数与清单不符，文件可能被改动，拒绝恢复。")
    return revision, tables


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


def _load(
    engine: Engine,
    revision: str,
    tables: list[tuple[str, list[dict[str, Any]]]],
    where: str,
) -> int:
    """Create the schema at ``revision`` in an empty database and insert every row, in one go."""
    from alembic import command

    from firecase.store.filecheck import alembic_config

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
        for name, rows in sorted(tables, key=lambda item: order.get(item[0], -1)):
            table = meta.tables.get(name)
            if table is None or name not in order:
                raise DamagedFileError(f"备份中的数据表“{name}”在该数据版本中不存在，拒绝恢复。")
            unknown = {key for row in rows for key in row} - set(table.columns.keys())
            if unknown:
                raise DamagedFileError(
                    f"备份中数据表“{name}”含有未知的列：{'、'.join(sorted(unknown))}，拒绝恢复。"
                )
            for start in range(0, len(rows), _INSERT_CHUNK):
                conn.execute(insert(table), rows[start : start + _INSERT_CHUNK])
            total += len(rows)
        if engine.dialect.name == "postgresql":
            _reset_sequences(conn)
    return total


def _decode_tables(
    tables: list[tuple[str, list[dict[str, Any]]]],
) -> list[tuple[str, list[dict[str, Any]]]]:
    return [(name, [_dump.decode_row(r) for r in rows]) for name, rows in tables]
