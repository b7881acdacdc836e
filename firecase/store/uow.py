"""The unit of work: one session, one transaction per service call, rolled back on error."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from firecase.errors import CaseFileError, ConflictError, FirecaseError
from firecase.store.audit import ACTOR_KEY, PENDING_KEY, write_pending

if TYPE_CHECKING:
    from firecase.store.casefile import CaseFile

STALE_MESSAGE = "该记录已被其他用户或窗口修改，请刷新后重新编辑。"


def translate_db_error(exc: BaseException) -> FirecaseError | None:
    """The user-facing error for a database exception, or None if it is not one we know."""
    if isinstance(exc, StaleDataError):
        return ConflictError(STALE_MESSAGE)
    if isinstance(exc, IntegrityError):
        return ConflictError("保存失败：数据与已有记录冲突（如编号重复或引用的记录已被删除）。")
    if isinstance(exc, OperationalError):
        return CaseFileError(f"案卷文件暂时无法写入：{exc.orig}")
    if isinstance(exc, DBAPIError):
        return CaseFileError(f"数据库错误：{exc.orig}")
    return None


class UnitOfWork:
    """Context manager owning one ``Session``; ``commit()`` writes the audit rows then commits.

    Leaving the block without ``commit()`` (or with an exception) rolls everything back.
    Database exceptions are re-raised as ``FirecaseError`` subclasses with Chinese messages:
    a stale version becomes ``ConflictError``. Not thread-safe: one thread per unit of work.
    """

    def __init__(self, case_file: CaseFile, actor: str) -> None:
        self._case_file = case_file
        self.actor = actor
        self._session: Session | None = None
        self._committed = False

    @property
    def session(self) -> Session:
        """The live session (only inside the ``with`` block)."""
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its with-block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._case_file.session_factory()
        self._session.info[ACTOR_KEY] = self.actor
        self._session.info[PENDING_KEY] = []
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
            write_pending(session, self.actor)
            session.commit()
        except Exception as exc:
            session.rollback()
            translated = translate_db_error(exc)
            if translated is not None:
                raise translated from exc
            raise
        self._committed = True
