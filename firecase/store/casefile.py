"""Opening a case file: create or upgrade (after a backup), lock, pragmas, session factory.

A case file is a SQLite file by default; any SQLAlchemy URL works (PostgreSQL when cases are
shared). SQLite files are locked for the lifetime of the ``CaseFile`` with an exclusive lock on
``<file>.lock``, so a second FireCase process gets a clear message instead of corrupting data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from firecase.errors import CaseFileError
from firecase.store.audit import AuditCheck, collect_changes, verify_audit_chain
from firecase.store.filecheck import MIGRATIONS_DIR, check_case_file, head_revision
from firecase.store.lockfile import FileLock
from firecase.store.uow import UnitOfWork

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic ``Config`` for the packaged migrations (no alembic.ini needed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _default_user() -> str:
    try:
        return getpass.getuser() or "未知用户"
    except Exception:  # getpass raises various errors when no user name is configured
        return "未知用户"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class CaseFile:
    """An open case file: engine, session factory, the default actor and the lock.

    Create with ``open_case_file``. Use ``unit_of_work()`` for each service call; ``close()``
    (or the ``with`` block) disposes the engine and releases the lock.
    """

    def __init__(
        self,
        url: URL,
        engine: Engine,
        *,
        user: str,
        path: Path | None,
        lock: FileLock | None,
        upgraded_from: str | None,
        backup_path: Path | None,
        created: bool,
    ) -> None:
        self.url = url
        self.engine = engine
        self.user = user
        self.path = path
        self.upgraded_from = upgraded_from
        self.backup_path = backup_path
        self.created = created
        self._lock = lock
        self.session_factory: sessionmaker[Session] = sessionmaker(
            bind=engine, expire_on_commit=False, autoflush=True
        )
        event.listen(self.session_factory, "after_flush", collect_changes)

    @property
    def is_sqlite(self) -> bool:
        """Whether the case file is a SQLite file."""
        return self.url.get_backend_name() == "sqlite"

    @property
    def display_name(self) -> str:
        """A short name for window titles and messages."""
        if self.path is not None:
            return self.path.name
        return self.url.render_as_string(hide_password=True)

    def unit_of_work(self, actor: str | None = None) -> UnitOfWork:
        """A new unit of work acting as ``actor`` (default: the case file's user)."""
        return UnitOfWork(self, actor or self.user)

    @contextlib.contextmanager
    def connect(self) -> Iterator[Connection]:
        """A plain read connection (for checks and dumps)."""
        with self.engine.connect() as conn:
            yield conn

    def verify_audit(self) -> AuditCheck:
        """Check the audit chain (see ``verify_audit_chain``)."""
        with self.engine.connect() as conn:
            return verify_audit_chain(conn)

    def integrity_check(self) -> tuple[str, ...]:
        """Problems reported by the database's own integrity check (empty tuple: none)."""
        if not self.is_sqlite:
            return ()
        try:
            with self.engine.connect() as conn:
                rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check")]
                fk = list(conn.exec_driver_sql("PRAGMA foreign_key_check"))
        except DBAPIError as exc:  # a damaged file can fail the check itself
            return (f"数据库无法完成自检：{exc.orig}",)
        problems = tuple(r for r in rows if r != "ok")
        problems += tuple(f"外键引用失效：表 {r[0]} 第{r[1]}行引用 {r[2]}" for r in fk)
        return problems

    def close(self) -> None:
        """Dispose the engine and release the file lock."""
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> CaseFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _to_url(path_or_url: str | os.PathLike[str]) -> tuple[URL, Path | None]:
    text = os.fspath(path_or_url)
    if "://" in text:
        try:
            url = make_url(text)
        except ArgumentError as exc:
            raise CaseFileError(f"数据库地址无法识别：{text}") from exc
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return url, Path(str(url.database)).resolve()
        return url, None
    path = Path(text).expanduser().resolve()
    return URL.create("sqlite+pysqlite", database=str(path)), path


def _backup_sqlite(path: Path, revision: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.备份-{revision}-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem}.备份-{revision}-{stamp}-{n}{path.suffix}")
    src = sqlite3.connect(str(path))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def open_case_file(path_or_url: str | os.PathLike[str], *, user: str | None = None) -> CaseFile:
    """Open (creating or upgrading as needed) the case file at a path or SQLAlchemy URL.

    A SQLite file older than this version is first copied to a backup beside it
    (``<name>.备份-<revision>-<time>.sqlite``), then upgraded. Raises ``CaseFileError`` with a
    Chinese message when the file is locked by another process, is not a case file, comes
    from a newer FireCase, or the server cannot be reached.
    """
    url, path = _to_url(path_or_url)
    lock: FileLock | None = None
    if path is not None:
        if not path.parent.is_dir():
            raise CaseFileError(f"文件夹不存在：{path.parent}")
        check_case_file(path)  # refuses a bad file before anything writes to it
        lock = FileLock(path.with_name(path.name + ".lock"))
        lock.acquire()
    try:
        engine = create_engine(url)
        if path is not None:
            event.listen(engine, "connect", _sqlite_pragmas)
        upgraded_from, backup, created = _migrate(engine, path)
    except CaseFileError:
        if lock is not None:
            lock.release()
        raise
    except DBAPIError as exc:
        if lock is not None:
            lock.release()
        raise CaseFileError(f"无法打开案卷数据库：{exc.orig}") from exc
    return CaseFile(
        url,
        engine,
        user=user or _default_user(),
        path=path,
        lock=lock,
        upgraded_from=upgraded_from,
        backup_path=backup,
        created=created,
    )


def _stored_revision(conn: Connection, tables: set[str]) -> str | None:
    """The case file's Alembic revision (None: none stored yet)."""
    if "alembic_version" not in tables:
        return None
    rows = list(conn.exec_driver_sql("SELECT version_num FROM alembic_version"))
    if len(rows) == 1:
        return str(rows[0][0])
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def _migrate(engine: Engine, path: Path | None) -> tuple[str | None, Path | None, bool]:
    """Bring the schema to head; returns (old revision if upgraded, backup path, created).

    An up-to-date case file is recognised with one query and without importing Alembic.
    """
    head = head_revision()
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        current = _stored_revision(conn, tables)
    if current == head:
        return None, None, False
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    if current is None and tables - {"alembic_version"}:
        raise CaseFileError("该数据库已有其他数据表，不是 FireCase 案卷，拒绝写入。")
    if current is not None:
        try:
            script.get_revision(current)
        except Exception as exc:
            raise CaseFileError(
                "该案卷文件由更新版本的 FireCase 创建，请升级 FireCase 后再打开。"
            ) from exc
    backup = None
    if current is not None and path is not None:
        backup = _backup_sqlite(path, current)
    with engine.connect() as conn:
        if path is not None:
            # Batch migrations recreate tables: foreign keys are checked once at the end.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        with conn.begin():
            command.upgrade(alembic_config(conn), "head")
        if path is not None:
            broken = list(conn.exec_driver_sql("PRAGMA foreign_key_check"))
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
            if broken:
                raise CaseFileError("升级后发现外键引用失效，请使用备份文件并联系技术支持。")
    return current, backup, current is None
