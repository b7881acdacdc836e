"""The sessions of a team server's officers, for the 管理员 to end one that holds the data.

On a team server any login that may write can hold locks or leave a transaction open; every
other officer's save then gives up after ``store.casefile.SERVER_LOCK_WAIT_MS`` and says so.
``list_sessions`` shows the sessions of this team's officers on this database (who, in what
state, since when, how many other sessions wait on it) and ``end_session`` ends one. Both go
through the server's own ``SECURITY DEFINER`` functions (``store._pg_team_sql``), which check
that the caller is one of the team's administrators and that the session is one of the team's
officers' (never a superuser's, another team's or another database's): the client only asks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, text

from firecase.errors import ValidationError
from firecase.services.permissions import Permission, requires
from firecase.store import CaseFile
from firecase.store.models import User

_STATES = {
    "active": "正在执行",
    "idle": "空闲",
    "idle in transaction": "事务未结束（空闲）",
    "idle in transaction (aborted)": "事务出错未结束",
    "fastpath function call": "正在执行",
}


@dataclass(frozen=True)
class ServerSession:
    """One officer's session on the team server."""

    pid: int
    login: str
    display_name: str
    state: str
    """In Chinese (``_STATES``), e.g. 事务未结束（空闲）."""
    since: dt.datetime | None
    """Since when its transaction runs (or the session, outside one)."""
    waiting: int
    """How many sessions wait for a lock it holds."""
    own: bool = False
    """One of the caller's own other sessions (another FireCase window or thread of theirs)."""


def _team_only(cf: CaseFile) -> None:
    if cf.team is None:
        raise ValidationError("只有数据库服务器上的团队案卷才有其他用户的连接可查看。", field="db")


@requires(Permission.MANAGE_USERS)
def list_sessions(cf: CaseFile, *, actor: str | None = None) -> tuple[ServerSession, ...]:
    """The sessions of this team's officers on this database (not the caller's own), those
    that others wait on first."""
    _team_only(cf)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        rows = s.execute(
            text("SELECT pid, login, state, since, waiting FROM firecase_officer_sessions()")
        ).all()
        names = {str(a): str(b) for a, b in s.execute(select(User.login, User.display_name))}
        me = str(s.execute(text("SELECT session_user")).scalar())
    return tuple(
        ServerSession(
            pid=int(pid),
            login=str(login),
            display_name=str(names.get(login, "")),
            state=_STATES.get(str(state), str(state) or "（不可见）"),
            since=since,
            waiting=int(waiting),
            own=str(login) == me,
        )
        for pid, login, state, since, waiting in rows
    )


@requires(Permission.MANAGE_USERS)
def end_session(cf: CaseFile, pid: int, login: str, *, actor: str | None = None) -> bool:
    """End the session ``pid`` of ``login`` (as ``list_sessions`` showed it): its open
    transaction is rolled back and its locks released. Whether the server ended it. The server
    refuses when the number is no longer that officer's session (a number is reused once its
    session ends)."""
    _team_only(cf)
    if isinstance(pid, bool) or not isinstance(pid, int) or pid <= 0:
        raise ValidationError("请填写要结束的连接编号（正整数）。", field="pid")
    if not isinstance(login, str) or not login.strip():
        raise ValidationError("请填写要结束其连接的用户登录名。", field="login")
    with cf.unit_of_work(actor) as uow:
        ended = uow.session.execute(
            text("SELECT firecase_officer_end_session(:p, :l)"), {"p": pid, "l": login}
        ).scalar()
        uow.commit()
    return bool(ended)


@requires(Permission.MANAGE_USERS)
def session_of(cf: CaseFile, pid: int, *, actor: str | None = None) -> ServerSession:
    """The listed session numbered ``pid`` (the command line names only the number)."""
    found = [x for x in list_sessions(cf, actor=actor) if x.pid == pid]
    if not found:
        raise ValidationError(f"连接 {pid} 不是本案卷用户的连接，或已经结束。", field="pid")
    return found[0]
