"""The unit of work: one session, one transaction per service call, rolled back on error.

It also checks who is acting: when the case file has users (team mode), the actor must be one
of them and active, or the unit of work refuses to start (``PermissionDeniedError``). The
actor's role is then available as ``UnitOfWork.role``; what each role may do is decided by
``firecase.services.permissions``.
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol

from sqlalchemy import func, or_, select
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from firecase.errors import (
    CaseFileError,
    ConflictError,
    FirecaseError,
    PermissionDeniedError,
    ValidationError,
)
from firecase.store.audit import ACTOR_KEY, PENDING_KEY, write_pending
from firecase.store.models import User
from firecase.store.pg_audit import write_notes
from firecase.store.pg_team import TeamRoles, identity
from firecase.store.textcheck import clean_actor


class CaseFileLike(Protocol):
    """What a unit of work needs of its case file (``firecase.store.casefile.CaseFile``),
    named here so that this module does not import the case file that imports it."""

    @property
    def session_factory(self) -> sessionmaker[Session]: ...

    @property
    def team(self) -> TeamRoles | None: ...

    @property
    def is_sqlite(self) -> bool: ...


STALE_MESSAGE = "该记录已被其他用户或窗口修改，请刷新后重新编辑。"


def translate_db_error(exc: BaseException) -> FirecaseError | None:
    """The user-facing error for a database exception, or None if it is not one we know."""
    if isinstance(exc, UnicodeEncodeError):  # a text no validator saw: a lone surrogate
        return ValidationError("文字中含有无法保存的字符（不成对的代理字符，文字编码已损坏）。")
    # psycopg refuses NUL in a text parameter (no SQLSTATE: the client's own check); not any
    # DataError whose context merely says NULL
    if isinstance(exc, DataError) and "cannot contain NUL (0x00)" in str(exc.orig):
        return ValidationError("文字中含有无法保存的空字符（NUL）。")
    if isinstance(exc, StaleDataError):
        return ConflictError(STALE_MESSAGE)
    if isinstance(exc, DBAPIError):
        server = server_refusal(exc)
        if server is not None:
            return server
    if isinstance(exc, IntegrityError):
        return ConflictError("保存失败：数据与已有记录冲突（如编号重复或引用的记录已被删除）。")
    if isinstance(exc, OperationalError) and "Could not decode to UTF-8" in str(exc.orig):
        return CaseFileError(
            "案卷文件中有已损坏的文字（不是有效的 UTF-8 编码），无法读取。请运行“firecase verify”"
            "检查案卷文件，必要时从备份恢复（菜单“文件 → 从备份恢复”）。"
        )
    if isinstance(exc, OperationalError):
        return CaseFileError(f"案卷文件暂时无法写入：{exc.orig}")
    if isinstance(exc, DBAPIError):
        return CaseFileError(f"数据库错误：{exc.orig}")
    return None


_REFUSED = "42501"  # insufficient_privilege: a GRANT, a row-level policy, an audit guard
_INVALID = {"22023", "23514", "P0002", "42710"}  # RAISEs of the officer functions
_LOCKED = "55P03"  # lock_not_available: lock_timeout (store.casefile.SERVER_LOCK_WAIT_MS)
_LOCKED_MESSAGE = (
    "数据库服务器上另有连接长时间锁住了这部分数据，等待后已放弃，本次操作没有写入任何内容。"
    "请稍后重试；如反复出现，请本案卷的管理员在“用户管理… → 连接…”中查看占用数据的连接并"
    "结束它（命令行：firecase users sessions、firecase users end-session）；数据库服务器的"
    "超级用户也可在 pg_stat_activity 中找到它并以 pg_terminate_backend 结束。"
)


# admin_shutdown (pg_terminate_backend, or the server shutting down), crash_shutdown,
# cannot_connect_now: the server ended or refused this connection
_ENDED = frozenset({"57P01", "57P02", "57P03"})
_ENDED_MESSAGE = (
    "数据库服务器结束了您的这个连接（本案卷的管理员结束了占用数据的连接、您的账号已被停用，"
    "或服务器正在重启），本次操作没有写入任何内容。请重试；如仍不能连接，请联系本案卷的管理员。"
)


def server_refusal(exc: DBAPIError) -> FirecaseError | None:
    """The PostgreSQL server refused: the message it gave, in the user's terms."""
    state = getattr(exc.orig, "sqlstate", None)
    diag = getattr(exc.orig, "diag", None)
    primary = str(getattr(diag, "message_primary", "") or "").strip()
    if state == _REFUSED:
        detail = _privilege_detail(primary)
        return PermissionDeniedError(
            f"数据库服务器拒绝了这项操作：{detail}。您的账号所属的角色无权这样做；"
            "如需办理，请联系调查组组长或管理员。"
        )
    if state in _INVALID and primary:
        return ValidationError(primary)
    if state == _LOCKED:
        return CaseFileError(_LOCKED_MESSAGE)
    if state in _ENDED:
        return CaseFileError(_ENDED_MESSAGE)
    if state == "XX000" and "concurrently" in primary:  # two changes of one catalog row
        return CaseFileError("另一位管理员正在同时升级或更新本案卷在服务器上的设置，请稍后重试。")
    return None


def _privilege_detail(primary: str) -> str:
    if primary.startswith("permission denied for table"):
        return f"无权修改数据表“{primary.rsplit(' ', 1)[-1]}”"
    if "row-level security" in primary:
        table = primary.rsplit('"', 2)[-2] if primary.count('"') >= 2 else ""
        return f"这条记录不在您的角色可以修改的范围内（行级安全策略，数据表“{table}”）"
    if primary.startswith("permission denied"):
        return "权限不足（" + primary + "）"
    return primary or "权限不足"


def resolve_actor(session: Session, actor: str) -> User | None:
    """The registered user ``actor``, or None in single-user mode (no users in the case file).

    Raises ``PermissionDeniedError`` when the case file has users and ``actor`` is not one of
    them or has been deactivated.
    """
    # one round trip: the actor's row and, for the refusal below, whether any user exists
    first = select(func.min(User.id)).scalar_subquery()
    found = session.scalars(select(User).where(or_(User.login == actor, User.id == first))).all()
    user = next((u for u in found if u.login == actor), None)
    if user is None:
        if not found:
            return None
        raise PermissionDeniedError(
            f"“{actor}”不是本案卷的用户。请以管理员登记的用户名登录，"
            "或请管理员在“用户管理”中为您添加用户。",
            field="user",
        )
    if not user.active:
        raise PermissionDeniedError(
            f"用户“{actor}”（{user.display_name}）已被停用，不能使用本案卷。如有疑问请联系管理员。",
            field="user",
        )
    return user


def resolve_server_actor(session: Session, team: TeamRoles, actor: str) -> tuple[str, str]:
    """The role label and display name of the officer connected to a team database.

    The actor is the server login (``session_user``): any other name is refused, and so is a
    login that belongs to none of the team's group roles (or has been deactivated).
    """
    who = identity(session.connection(), team)
    if actor != who.login:
        raise PermissionDeniedError(
            f"团队模式下，操作者就是连接数据库服务器的账号“{who.login}”，不能以“{actor}”的身份"
            "操作。",
            field="user",
        )
    if who.role is None:
        raise PermissionDeniedError(
            f"数据库账号“{who.login}”不是本案卷的用户（或已被停用）。请管理员在“用户管理”中"
            "为您开通，或用本案卷用户的账号连接。",
            field="user",
        )
    return who.role, who.display_name


class UnitOfWork:
    """Context manager owning one ``Session``; ``commit()`` writes the audit rows then commits.

    Leaving the block without ``commit()`` (or with an exception) rolls everything back.
    Database exceptions are re-raised as ``FirecaseError`` subclasses with Chinese messages:
    a stale version becomes ``ConflictError``. Not thread-safe: one thread per unit of work.

    Entering checks the actor against the case file's users (``resolve_actor``); ``role`` is
    the actor's role label, or None in single-user mode.
    """

    def __init__(self, case_file: CaseFileLike, actor: str) -> None:
        self._case_file = case_file
        self.actor = clean_actor(actor)
        self.role: str | None = None
        self.display_name = actor
        self._session: Session | None = None
        self._committed = False

    @property
    def session(self) -> Session:
        """The live session (only inside the ``with`` block)."""
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its with-block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        session = self._case_file.session_factory()
        try:
            team = self._case_file.team
            if team is not None:
                self.role, self.display_name = resolve_server_actor(session, team, self.actor)
            else:
                user = resolve_actor(session, self.actor)
                if user is not None:
                    self.role, self.display_name = user.role, user.display_name
        except BaseException as exc:
            session.close()
            translated = translate_db_error(exc)
            if translated is not None:
                raise translated from exc
            raise
        session.info[ACTOR_KEY] = self.actor
        session.info[PENDING_KEY] = []
        self._session = session
        self._committed = False
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            if not self._committed:
                session.rollback()
        finally:
            session.close()
            self._session = None
        if exc is not None:
            translated = translate_db_error(exc)
            if translated is not None:
                raise translated from exc

    def commit(self) -> None:
        """Flush, append the audit rows, and commit; on failure roll back and raise."""
        session = self.session
        try:
            session.flush()
            if self._case_file.is_sqlite:
                write_pending(session, self.actor)
            else:  # the database writes the trail; only notes are handed to it
                write_notes(session)
            session.commit()
        except Exception as exc:
            session.rollback()
            translated = translate_db_error(exc)
            if translated is not None:
                raise translated from exc
            raise
        self._committed = True
