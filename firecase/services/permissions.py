"""Who may do what: the one table of roles and permissions, and the guard every service uses.

Team mode: a shared case file lists its users (``firecase.services.users``), each with
a role (``UserRole``). ``ALLOWED`` below is the only place that says which roles hold which
permission; every service that changes a case file is decorated with ``@requires(permission)``
and so refuses before doing anything, with a Chinese message that says who may do it.

================  ======================================================  ===================
permission        what it covers                                          roles
================  ======================================================  ===================
READ              every read (case list, case, clocks, audit, users)      all four
RECORD            incident, casualties, judgements, milestones, parties,  调查员, 调查组组长,
                  team members, recusal applications, evidence,           管理员
                  appraisals, findings, report text, recommendations,
                  handling, publication, evaluation
APPROVE_TEAM      team set-up, sub-groups and their leaders (第九条),      调查组组长, 管理员
                  acknowledging team warnings
DECIDE_RECUSAL    deciding (or removing) a recusal application (第十五条)  调查组组长, 管理员
RECORD_EXTENSION  extensions of the investigation period (第十七条)       调查组组长, 管理员
REMOVE_CASE       deleting a whole case                                   调查组组长, 管理员
MANAGE_SETTINGS   case-file settings and the working-day calendar         管理员
MANAGE_USERS      adding, changing and deactivating users; ending         管理员
                  their sessions on a team server (services.sessions)
================  ======================================================  ===================

Beyond roles, ``recusal.decide_recusal`` refuses anyone deciding on their own application and
records the team leader's own recusal as decided by the government (人民政府).

Identity is checked by the unit of work (``firecase.store.uow.resolve_actor``): in team mode an
unknown or deactivated login is refused even for reading. On a PostgreSQL server in team mode
(``firecase.store.pg_team``) the login is the server's ``session_user``, the role is its group
role, and the same table is enforced a second time by the server's GRANTs and row-level
policies: this check only gives the refusal its message. A case file without users is in
single-user mode and its user is treated as 管理员, so one officer on a local file is never
asked to log in. Read services need no decorator: opening their unit of work is the check.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from enum import Enum
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from firecase.errors import PermissionDeniedError
from firecase.services.vocab import UserRole

if TYPE_CHECKING:
    from firecase.store import CaseFile

P = ParamSpec("P")
R = TypeVar("R")


class Permission(Enum):
    """An action a role may be allowed; the value is how a message names it."""

    READ = "查看案卷"
    RECORD = "记录案件事实、证据、当事人和报告内容"
    APPROVE_TEAM = "确认调查组组建和专项小组"
    DECIDE_RECUSAL = "决定回避申请"
    RECORD_EXTENSION = "记录调查期限延长"
    REMOVE_CASE = "删除案件"
    APPROVE_RELEASE = "审查公开版本并记录公开发布"
    MANAGE_SETTINGS = "修改案卷设置和节假日日历"
    MANAGE_USERS = "管理用户"
    EMPTY_RECYCLE_BIN = "清空回收站"


_ALL = frozenset(UserRole)
_WRITERS = frozenset({UserRole.INVESTIGATOR, UserRole.LEADER, UserRole.ADMIN})
_LEADERS = frozenset({UserRole.LEADER, UserRole.ADMIN})
_ADMINS = frozenset({UserRole.ADMIN})

ALLOWED: Mapping[Permission, frozenset[UserRole]] = {
    Permission.READ: _ALL,
    Permission.RECORD: _WRITERS,
    Permission.APPROVE_TEAM: _LEADERS,
    Permission.DECIDE_RECUSAL: _LEADERS,
    Permission.RECORD_EXTENSION: _LEADERS,
    Permission.REMOVE_CASE: _LEADERS,
    Permission.APPROVE_RELEASE: _LEADERS,
    Permission.MANAGE_SETTINGS: _ADMINS,
    Permission.MANAGE_USERS: _ADMINS,
    Permission.EMPTY_RECYCLE_BIN: _ADMINS,
}

# Every guarded service ("module.function") and its permission, filled by ``requires``.
GUARDED: dict[str, Permission] = {}

_ROLE_ORDER = (UserRole.INVESTIGATOR, UserRole.LEADER, UserRole.ADMIN, UserRole.READER)


def who_may(permission: Permission) -> str:
    """The roles holding ``permission`` as Chinese text, e.g. "调查组组长或管理员"."""
    roles = [r.value for r in _ROLE_ORDER if r in ALLOWED[permission]]
    if len(roles) == 1:
        return roles[0]
    return "、".join(roles[:-1]) + "或" + roles[-1]


def permissions_for(role: str) -> frozenset[Permission]:
    """Every permission ``role`` (a ``UserRole`` value) holds; none for an unknown role."""
    if role not in UserRole._value2member_map_:
        return frozenset()
    wanted = UserRole(role)
    return frozenset(p for p, roles in ALLOWED.items() if wanted in roles)


def role_of(cf: CaseFile, actor: str | None = None) -> UserRole:
    """The role of ``actor`` (default: the case file's user); 管理员 in single-user mode.

    Raises ``PermissionDeniedError`` for a login that is not an active user of a case file with
    users (the unit of work's identity check).
    """
    with cf.unit_of_work(actor) as uow:
        return _as_role(uow.role)


def _as_role(label: str | None) -> UserRole:
    if label is None:
        return UserRole.ADMIN
    if label not in UserRole._value2member_map_:
        return UserRole.READER  # an unknown label from a damaged file grants nothing
    return UserRole(label)


def check(role: str | None, permission: Permission, *, who: str) -> None:
    """Raise ``PermissionDeniedError`` unless ``role`` holds ``permission``.

    ``role`` is a ``UserRole`` value or None (single-user mode, i.e. 管理员); ``who`` names the
    user in the message.
    """
    have = _as_role(role)
    if have in ALLOWED[permission]:
        return
    action = permission.value
    raise PermissionDeniedError(
        f"{who}（{have.value}）无权{action}。只有{who_may(permission)}可以{action}。"
    )


def authorize(cf: CaseFile, permission: Permission, *, actor: str | None = None) -> None:
    """Refuse (``PermissionDeniedError``) unless ``actor`` may do ``permission`` in ``cf``."""
    with cf.unit_of_work(actor) as uow:
        role, name = uow.role, uow.display_name
    check(role, permission, who=f"用户“{name}”")


def allowed(cf: CaseFile, permission: Permission, *, actor: str | None = None) -> bool:
    """Whether ``actor`` may do ``permission`` (for enabling menu items; no exception)."""
    try:
        authorize(cf, permission, actor=actor)
    except PermissionDeniedError:
        return False
    return True


def requires(
    permission: Permission,
) -> Callable[[Callable[Concatenate[CaseFile, P], R]], Callable[Concatenate[CaseFile, P], R]]:
    """Decorate a service ``fn(cf, ..., actor=None, ...)``: check the actor's role first.

    The actor is the ``actor`` keyword argument or the case file's user. The decorated function
    is recorded in ``GUARDED`` so tests (and the documentation) can list every guarded service.
    """

    def decorate(
        fn: Callable[Concatenate[CaseFile, P], R],
    ) -> Callable[Concatenate[CaseFile, P], R]:
        @functools.wraps(fn)
        def guarded(cf: CaseFile, /, *args: P.args, **kwargs: P.kwargs) -> R:
            actor = kwargs.get("actor")
            authorize(cf, permission, actor=actor if isinstance(actor, str) else None)
            return fn(cf, *args, **kwargs)

        GUARDED[f"{fn.__module__}.{fn.__qualname__}"] = permission
        return guarded

    return decorate
