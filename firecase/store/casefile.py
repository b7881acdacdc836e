"""Opening a case file: create or upgrade (after a backup), lock, pragmas, session factory.

A case file is a SQLite file by default; any SQLAlchemy URL works (PostgreSQL when cases are
shared). SQLite files are locked for the lifetime of the ``CaseFile`` with an exclusive lock on
``<file>.lock``, so a second FireCase process gets a clear message instead of corrupting data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from firecase.errors import (
    CaseFileError,
    EmptyCaseFileError,
    FirecaseError,
    PermissionDeniedError,
    UpgradeFailedError,
)
from firecase.progress import Meter, Report
from firecase.store.audit import AuditCheck, collect_changes, verify_audit_chain
from firecase.store.filecheck import alembic_config, check_case_file, head_revision
from firecase.store.lockfile import FileLock
from firecase.store.pg_audit import install_audit
from firecase.store.pg_team import TeamRoles, apply_policy, become_owner, find_team
from firecase.store.sqlite_copy import copy_database
from firecase.store.textcheck import clean_actor
from firecase.store.uow import UnitOfWork, server_refusal

_log = logging.getLogger(__name__)


OPEN_LOCK_WAIT = 2.0
"""Seconds the opening waits for a holder of the file's lock in this process (the window's
early read of the case list, ``services.first_page``), never for another process."""


def _reason(exc: DBAPIError) -> str:
    """The driver's message, first line, without the bytes of a damaged value."""
    text = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc).__name__
    if text.startswith("Could not decode to UTF-8"):
        return "有文字不是有效的 UTF-8 编码"
    return text[:200]


def _default_user() -> str:
    try:
        name = getpass.getuser()
    except Exception:  # getpass raises various errors when no user name is configured
        return "未知用户"
    try:
        return clean_actor(name)
    except FirecaseError:  # e.g. undecodable bytes in $LOGNAME, read as lone surrogates
        return "未知用户"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


SERVER_LOCK_WAIT_MS = 10_000
"""How long a statement on a team's server waits for a lock another connection holds.

Any login with a write grant may take a lock and keep its transaction open (``LOCK TABLE
case_search_grams IN ACCESS EXCLUSIVE MODE`` in psql, even as 只读, whose reads refresh the
recomputed tables). Without a limit every officer's search and save then waited for ever;
with it they give up after these seconds with a message (``uow``: SQLSTATE 55P03) and write
nothing. A login can lift its own limit, never another's."""


def _server_session(dbapi_conn: Any, _record: Any) -> None:
    """Settings of each new connection to a PostgreSQL case file (``SERVER_LOCK_WAIT_MS``)."""
    with dbapi_conn.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {int(SERVER_LOCK_WAIT_MS)}")
    dbapi_conn.commit()


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
        team: TeamRoles | None = None,
    ) -> None:
        self.url = url
        self.engine = engine
        self.user = user
        self.path = path
        self.upgraded_from = upgraded_from
        self.backup_path = backup_path
        self.created = created
        # team mode on PostgreSQL: the server's roles (None: SQLite, or a server database
        # every officer reaches through one shared account)
        self.team = team
        # whether the connection to the server is encrypted (TLS; libpq uses it whenever the
        # server offers it, sslmode=prefer); None for a local file
        self.encrypted: bool | None = None
        self._lock = lock
        self.session_factory: sessionmaker[Session] = sessionmaker(
            bind=engine, expire_on_commit=False, autoflush=True
        )
        if self.is_sqlite:
            # on PostgreSQL the database's triggers write the audit trail (store.pg_audit)
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
        return UnitOfWork(self, self.user if actor is None or actor == "" else actor)

    @contextlib.contextmanager
    def connect(self) -> Iterator[Connection]:
        """A plain read connection (for checks and dumps). A database error the unit of work
        would say in Chinese (another connection holding a lock, a refusal) is said so here
        too, not raised as the driver's error."""
        try:
            with self.engine.connect() as conn:
                yield conn
        except DBAPIError as exc:
            translated = server_refusal(exc)
            if translated is not None:
                raise translated from exc
            raise

    def verify_audit(
        self,
        *,
        after: tuple[int, str] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> AuditCheck:
        """Check the audit chain (see ``verify_audit_chain``); unreadable rows are a problem."""
        try:
            with self.engine.connect() as conn:
                return verify_audit_chain(conn, after=after, progress=progress)
        except DBAPIError as exc:  # a damaged file: text that is not UTF-8, a broken page
            return AuditCheck(
                ok=False,
                rows_checked=0,
                problems=(f"审计记录无法读取（案卷文件已损坏）：{_reason(exc)}",),
            )

    def integrity_check(self) -> tuple[str, ...]:
        """Problems reported by the database's own integrity check (empty tuple: none)."""
        if not self.is_sqlite:
            return ()
        try:
            with self.engine.connect() as conn:
                rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check")]
                fk = list(conn.exec_driver_sql("PRAGMA foreign_key_check"))
        except DBAPIError as exc:  # a damaged file can fail the check itself
            return (f"数据库无法完成自检：{_reason(exc)}",)
        except UnicodeDecodeError:  # the check's report quotes bytes that are not UTF-8
            return ("数据库自检发现损坏（报告中含有无法读取的文字）",)
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


def parse_url(text: str) -> URL:
    """The SQLAlchemy URL in ``text``; ``CaseFileError`` in Chinese for a mistyped one.

    A port that is not a number (``:abc``) or out of range (``:99999``) is named, instead of
    the driver's error (or a traceback) at connect time.
    """
    shown = _hide_password(text)
    try:
        url = make_url(text)
        port = url.port
    except (ArgumentError, ValueError, TypeError) as exc:
        reason = "端口应为数字" if "int()" in str(exc) else "格式有误"
        raise CaseFileError(
            f"数据库地址无法识别（{reason}）：{shown}。格式如 "
            "postgresql+psycopg://用户名:密码@服务器:5432/数据库名"
        ) from exc
    if port is not None and not 0 < port < 65536:
        raise CaseFileError(f"数据库地址的端口 {port} 无效（应在 1 至 65535 之间）：{shown}")
    return url


def _hide_password(text: str) -> str:
    """``text`` with the password of ``scheme://user:password@host`` replaced by ***."""
    head, sep, rest = text.partition("://")
    if not sep or "@" not in rest:
        return text
    credentials, at, host = rest.rpartition("@")
    user, colon, _password = credentials.partition(":")
    return f"{head}://{user}{':***' if colon else ''}{at}{host}"


def engine_for(url: URL, **options: Any) -> Engine:
    """``create_engine(url)``; ``CaseFileError`` for an unknown database type or driver.

    Every connection to a PostgreSQL server gets ``_server_session``'s settings (the lock
    wait), whoever makes the engine: the case file, a backup, a restore."""
    try:
        engine = create_engine(url, **options)
        if engine.dialect.name == "postgresql":
            event.listen(engine, "connect", _server_session)
        return engine
    except (ArgumentError, ImportError, ValueError, TypeError) as exc:
        shown = url.render_as_string(hide_password=True)
        raise CaseFileError(
            f"数据库地址无法使用：{shown}（不支持的数据库类型或驱动，"
            "FireCase 支持案卷文件路径、sqlite:/// 和 postgresql+psycopg:// 地址）。"
        ) from exc


def _to_url(path_or_url: str | os.PathLike[str]) -> tuple[URL, Path | None]:
    text = os.fspath(path_or_url)
    if "\x00" in text:
        raise CaseFileError("案卷文件路径或数据库地址中含有无法使用的控制字符。")
    if "://" in text:
        url = parse_url(text)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return url, Path(str(url.database)).resolve()
        return url, None
    path = Path(text).expanduser().resolve()
    return URL.create("sqlite+pysqlite", database=str(path)), path


def _backup_sqlite(path: Path, revision: str, meter: Meter | None = None) -> Path:
    """Copy ``path`` beside it before an upgrade; written as ``.part`` and renamed when whole."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.备份-{revision}-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem}.备份-{revision}-{stamp}-{n}{path.suffix}")
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(str(path))
        try:
            dst = sqlite3.connect(str(partial))
            try:
                copy_database(src, dst, meter, phase="升级前备份")
            finally:
                dst.close()
        finally:
            src.close()
        with open(partial, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise CaseFileError(
            f"升级前无法备份案卷文件“{path.name}”：{exc}。文件未被改动；"
            "请检查磁盘空间和文件夹的写入权限后再打开。"
        ) from exc
    return target


_PRISTINE: list[bytes] = []
"""The bytes of the first new case file this process built (at most one entry)."""
_PRISTINE_LOCK = threading.Lock()


def _create_whole(path: Path) -> None:
    """Build a new case file under a temporary name and rename it into place once whole.

    A crash while a new case file is made then leaves nothing under its name (a 0-byte file
    there would be asked about as an empty file on the next open), only ``<name>.新建.part``,
    removed by the next attempt. The caller holds the lock.

    A new case file is the schema at head and nothing else: no row but Alembic's version, so
    nothing of a time or a user (``tests/unit/store/test_new_file.py`` checks it). The first
    one a process makes runs every migration (0.2–0.4 s); later ones are copies of its bytes.
    (Two processes' files differ in bytes, not in meaning: the order of a table's constraints
    in its stored SQL, the free-list.)
    """
    partial = path.with_name(path.name + ".新建.part")
    for leftover in (partial, *(partial.with_name(partial.name + s) for s in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    with _PRISTINE_LOCK:
        pristine = _PRISTINE[0] if _PRISTINE else None
    try:
        if pristine is None:
            _migrate_new(partial)
            with _PRISTINE_LOCK:
                if not _PRISTINE:
                    _PRISTINE.append(partial.read_bytes())
        else:  # created with the mode SQLite gives a new file (0644 less the umask)
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "wb") as fh:
                fh.write(pristine)
        with open(partial, "rb+") as fh:
            os.fsync(fh.fileno())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    for side in ("-wal", "-shm"):
        partial.with_name(partial.name + side).unlink(missing_ok=True)
    os.replace(partial, path)


def _migrate_new(partial: Path) -> None:
    """Run every migration on the new file ``partial``, its -wal emptied into it."""
    engine = engine_for(URL.create("sqlite+pysqlite", database=str(partial)))
    event.listen(engine, "connect", _sqlite_pragmas)
    try:
        _migrate(engine, partial)
        with engine.connect() as conn:
            # everything into the file itself, the -wal emptied: only the file is renamed
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()


def _is_empty_file(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size == 0
    except OSError:
        return False


def open_case_file(
    path_or_url: str | os.PathLike[str],
    *,
    user: str | None = None,
    allow_empty: bool = False,
    progress: Report | None = None,
) -> CaseFile:
    """Open (creating or upgrading as needed) the case file at a path or SQLAlchemy URL.

    A SQLite file older than this version is first copied to a backup beside it
    (``<name>.备份-<revision>-<time>.sqlite``), then upgraded. Raises ``CaseFileError`` with a
    Chinese message when the file is locked by another process, is not a case file, comes
    from a newer FireCase, or the server cannot be reached; ``EmptyCaseFileError`` for an
    existing empty (0-byte) file unless ``allow_empty`` (the user agreed to use it).
    ``progress`` is told the steps of an upgrade (``firecase.progress``): the backup, each
    revision, the check of the foreign keys.
    """
    actor = _default_user() if user is None or user == "" else clean_actor(user)
    url, path = _to_url(path_or_url)
    lock: FileLock | None = None
    if path is not None:
        if not path.parent.is_dir():
            raise CaseFileError(f"文件夹不存在：{path.parent}")
        check_case_file(path)  # refuses a bad file before anything writes to it
        if not allow_empty and _is_empty_file(path):
            raise EmptyCaseFileError(
                f"“{path.name}”是一个空文件（0 字节），不是案卷文件。如要把它作为新的案卷文件"
                "使用，请在程序中打开并确认；命令行请先删除该文件（将新建案卷文件）或改选其他文件。"
            )
        lock = FileLock(path.with_name(path.name + ".lock"))
        lock.acquire(wait=OPEN_LOCK_WAIT)  # the window's early list read lets go at once
    engine: Engine | None = None
    try:
        made_here = path is not None and not path.exists()
        if made_here:
            assert path is not None
            _create_whole(path)
        engine = engine_for(url)
        if path is not None:
            event.listen(engine, "connect", _sqlite_pragmas)
        upgraded_from, backup, created = _migrate(engine, path, progress)
        created = created or made_here
        team, encrypted = None, None
        if path is None and engine.dialect.name == "postgresql":
            actor, team, encrypted = _server_user(engine, actor, user)
    except BaseException as exc:
        if engine is not None:
            engine.dispose()
        if lock is not None:
            lock.release()
        if isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) == "42501":
            raise PermissionDeniedError(
                "您的数据库账号无权读取这个案卷（不是本案卷的用户，或已被停用）。"
                "请管理员在“用户管理”中为您开通，或用本案卷用户的账号连接。",
                field="user",
            ) from exc
        if isinstance(exc, DBAPIError):
            raise CaseFileError(f"无法打开案卷数据库：{exc.orig}") from exc
        raise
    cf = CaseFile(
        url,
        engine,
        user=actor,
        path=path,
        lock=lock,
        upgraded_from=upgraded_from,
        backup_path=backup,
        created=created,
        team=team,
    )
    cf.encrypted = encrypted
    return cf


def _server_user(
    engine: Engine, actor: str, asked: str | None
) -> tuple[str, TeamRoles | None, bool]:
    """Who acts on a PostgreSQL case file: in team mode the server login, always.

    In team mode a user name given by the caller (``--user``, ``open_case_file(user=...)``)
    that is not the login is refused: nobody acts as another officer. A database without
    team mode (one shared account) keeps the caller's name, and the trail names the account.
    """
    with engine.connect() as conn:
        team = find_team(conn)
        login, encrypted = conn.exec_driver_sql(
            "SELECT session_user, coalesce((SELECT ssl FROM pg_stat_ssl "
            "WHERE pid = pg_backend_pid()), false)"
        ).one()
        login, encrypted = str(login), bool(encrypted)
    if team is None:
        return actor, None, encrypted
    if asked not in (None, "") and clean_actor(asked) != login:
        raise PermissionDeniedError(
            f"团队模式下，操作者就是连接数据库服务器的账号（当前为“{login}”），不能以“{asked}”"
            f"的身份操作。要以“{asked}”的身份工作，请用该用户自己的账号和密码连接。",
            field="user",
        )
    return login, team, encrypted


def _stored_revision(conn: Connection, tables: set[str]) -> str | None:
    """The case file's Alembic revision (None: none stored yet)."""
    if "alembic_version" not in tables:
        return None
    rows = list(conn.exec_driver_sql("SELECT version_num FROM alembic_version"))
    if len(rows) == 1:
        return str(rows[0][0])
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def _migrate(
    engine: Engine, path: Path | None, progress: Report | None = None
) -> tuple[str | None, Path | None, bool]:
    """Bring the schema to head; returns (old revision if upgraded, backup path, created).

    An up-to-date case file is recognised with one query and without importing Alembic.
    """
    head = head_revision()
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            _check_schema_visible(conn)
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
    revisions = len(list(script.iterate_revisions(head, current or "base")))
    with_backup = current is not None and path is not None
    meter = Meter(
        "升级案卷文件" if current is not None else "新建案卷文件",
        progress,
        steps=1 + with_backup + (path is not None),
    )
    backup = None
    if with_backup:
        assert current is not None and path is not None
        backup = _backup_sqlite(path, current, meter)
    upgrader = _upgrade_engine(engine) if path is not None else engine
    try:
        with upgrader.connect() as conn, conn.begin():
            team = become_owner(conn)
            # One transaction for every revision: a crash or an error at any statement leaves
            # the file at its old revision (SQLite: see _upgrade_engine; PostgreSQL has
            # transactional DDL, and env.py joins this transaction instead of opening one).
            meter.phase("升级数据结构", total=revisions)
            config = alembic_config(conn)
            config.attributes["on_version_apply"] = lambda **_kw: meter.advance()
            command.upgrade(config, "head")
            install_audit(conn)  # PostgreSQL: tables added by any revision get the trigger
            if team is not None:
                apply_policy(conn, team)
                conn.exec_driver_sql("RESET ROLE")
            # batch migrations recreate tables with foreign keys off: check them once here
            if path is not None:
                meter.phase("检查外键")
            if path is not None and list(conn.exec_driver_sql("PRAGMA foreign_key_check")):
                raise _upgrade_failed(current, backup, "升级后发现外键引用失效")
    except (UpgradeFailedError, PermissionDeniedError):
        raise
    except Exception as exc:  # a migration may fail in many ways; none may reach the user raw
        _log.exception("upgrade of %s from %s failed", path or "the database", current)
        reason = f"{exc.orig}" if isinstance(exc, DBAPIError) else f"{type(exc).__name__}: {exc}"
        raise _upgrade_failed(current, backup, reason) from exc
    finally:
        if upgrader is not engine:
            upgrader.dispose()
    return current, backup, current is None


def _check_schema_visible(conn: Connection) -> None:
    """A login without access to the case file's schema sees no schema at all: say so, rather
    than taking the database for an empty one."""
    schema, login = conn.exec_driver_sql("SELECT current_schema(), session_user").one()
    if schema is None:
        raise PermissionDeniedError(
            f"数据库账号“{login}”无权访问这个数据库中的案卷（不是本案卷的用户，或已被停用）。"
            "请管理员在“用户管理”中为您开通，或用本案卷用户的账号连接。",
            field="user",
        )


def _upgrade_engine(engine: Engine) -> Engine:
    """An engine for upgrading a SQLite file in one transaction, DDL included.

    pysqlite commits DDL outside any transaction (it only opens one before INSERT/UPDATE/
    DELETE), so a crash in the middle of a batch migration left a half-upgraded file. As the
    SQLAlchemy SQLite dialect documents ("Serializable isolation / Savepoints / Transactional
    DDL"), the driver's own transaction handling is switched off and ``BEGIN`` is emitted
    when SQLAlchemy begins. Foreign keys are off for the whole upgrade (the pragma is a no-op
    inside a transaction) and checked before the commit.
    """
    upgrader = engine_for(engine.url, poolclass=NullPool)

    @event.listens_for(upgrader, "connect")
    def _connect(dbapi_conn: Any, record: Any) -> None:
        dbapi_conn.isolation_level = None
        _sqlite_pragmas(dbapi_conn, record)
        dbapi_conn.execute("PRAGMA foreign_keys=OFF")

    @event.listens_for(upgrader, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    return upgrader


def _upgrade_failed(current: str | None, backup: Path | None, reason: str) -> UpgradeFailedError:
    head = head_revision()
    where = (
        f"升级前的备份在：{backup}。如需使用备份，请选择“文件 → 从备份恢复”（或命令 firecase "
        "restore）。"
        if backup is not None
        else ""
    )
    return UpgradeFailedError(
        f"案卷升级失败（数据版本 {current or '无'} → {head}）：{reason}。所有改动已撤销，"
        f"案卷文件仍是原来的版本，可以用旧版 FireCase 继续打开。{where}请把此消息告知技术支持。",
        backup=str(backup) if backup is not None else None,
    )
