"""Users of a shared case file (team mode): list, add, change, sign in, who am I.

A case file without users is in single-user mode: whoever opens it is treated as 管理员 and
nothing asks them to log in. Adding the first user switches the file to team mode; that first
user must be the person doing it (``CaseFile.user``) and always becomes 管理员, so nobody locks
themselves out. From then on every unit of work checks the acting login against this table
(``firecase.store.uow.resolve_actor``) and the services check its role
(``firecase.services.permissions``). The audit trail names the login of every change.

On a local SQLite file these names say who works but cannot prove it: whoever has the file can
change anything in it. On a PostgreSQL server in team mode (``firecase team init``,
``store.pg_team``) every officer is a server login with a password and the four roles are the
server's group roles: the user is the login that connected (no name to pick), the server
enforces what each role may do, and adding, re-roling and deactivating an officer creates or
changes the server login (``add_user`` with a password, ``update_user``, ``set_password``).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from firecase.errors import NotFoundError, PermissionDeniedError, ValidationError
from firecase.services import _common as v
from firecase.services.dto import USER_ROLES, UserInput, UserRole, UserView
from firecase.services.permissions import Permission, requires
from firecase.store import CaseFile
from firecase.store.models import User
from firecase.store.pg_team import check_login, scram_verifier


def _view(u: User) -> UserView:
    return UserView(
        login=u.login,
        display_name=u.display_name,
        role=u.role,
        active=u.active,
        registered=True,
        version=u.version,
    )


def _login(value: Any) -> str:
    login = v.text(value, "login", "登录名", max_len=64)
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in login):
        raise ValidationError("登录名不能含有空格或控制字符。", field="login")
    return login


def _values(data: Any) -> dict[str, Any]:
    if not isinstance(data, UserInput):
        raise ValidationError("用户信息格式不正确。", field="user")
    return {
        "login": _login(data.login),
        "display_name": v.text(data.display_name, "display_name", "姓名", max_len=100),
        "role": v.choice(data.role, "role", "角色", USER_ROLES),
        "active": v.flag(data.active, "active", "在用"),
    }


def _active_admins(session: Session) -> int:
    count = session.scalar(
        select(func.count(User.id)).where(User.role == UserRole.ADMIN.value, User.active.is_(True))
    )
    return int(count or 0)


def list_users(cf: CaseFile) -> tuple[UserView, ...]:
    """Every user of the case file (active first, then by login); empty in single-user mode.

    In team mode the role and whether the officer may log in are read from the server's
    roles (what the server enforces), not from the ``users`` table."""
    with cf.unit_of_work() as uow:
        rows = list(uow.session.scalars(select(User).order_by(User.active.desc(), User.login)))
        if cf.team is None:
            return tuple(_view(u) for u in rows)
        return _server_views(uow.session, cf, rows)


def _server_views(session: Session, cf: CaseFile, rows: list[User]) -> tuple[UserView, ...]:
    from sqlalchemy import text

    assert cf.team is not None
    groups = cf.team.groups
    out: list[UserView] = []
    for u in rows:
        found = session.execute(
            text(
                "SELECT r.rolcanlogin, ARRAY(SELECT g FROM unnest(CAST(:g AS text[])) AS g "
                "WHERE pg_has_role(r.oid, g, 'MEMBER')) FROM pg_roles r WHERE r.rolname = :l"
            ),
            {"g": list(groups.values()), "l": u.login},
        ).first()
        member = set(found[1] or ()) if found else set()
        role = next((label for label, g in groups.items() if g in member), u.role)
        active = bool(found and found[0] and member)
        out.append(
            UserView(
                login=u.login,
                display_name=u.display_name,
                role=role,
                active=active,
                registered=True,
                version=u.version,
            )
        )
    out.sort(key=lambda view: (not view.active, view.login))
    return tuple(out)


def login_choices(cf: CaseFile) -> tuple[UserView, ...]:
    """The active users to pick from at login (read without an identity check; see module).

    Empty in team mode: the officer is whoever connected to the server; there is no list."""
    if cf.team is not None:
        return ()
    with cf.session_factory() as session:  # no unit of work: nobody is identified yet
        rows = session.scalars(
            select(User).where(User.active.is_(True)).order_by(User.display_name, User.login)
        )
        return tuple(_view(u) for u in rows)


def needs_login(cf: CaseFile) -> bool:
    """Whether the case file has users and ``CaseFile.user`` is not an active one of them."""
    choices = login_choices(cf)
    return bool(choices) and cf.user not in {u.login for u in choices}


def current_user(cf: CaseFile) -> UserView:
    """The user the case file acts as (``CaseFile.user``).

    In single-user mode this is an unregistered user with role 管理员. Raises
    ``PermissionDeniedError`` when the case file has users and ``CaseFile.user`` is not an
    active one (the GUI then shows the login dialog).
    """
    with cf.unit_of_work() as uow:
        if uow.role is None:
            return UserView(
                login=uow.actor,
                display_name=uow.actor,
                role=UserRole.ADMIN.value,
                active=True,
                registered=False,
                version=0,
            )
        user = uow.session.scalar(select(User).where(User.login == uow.actor))
        assert user is not None  # resolve_actor found it in this transaction
        return _view(user)


def sign_in(cf: CaseFile, login: str) -> UserView:
    """Act as ``login`` from now on (sets ``CaseFile.user``) after checking it is an active user.

    In single-user mode any login is accepted (and recorded as such in the audit trail).
    Raises ``PermissionDeniedError`` for an unknown or deactivated login; ``CaseFile.user`` is
    then left unchanged. In team mode only the connected login itself is accepted.
    """
    name = _login(login)
    if cf.team is not None and name != cf.user:
        raise PermissionDeniedError(
            f"团队模式下不能切换为“{name}”：请用该用户自己的账号和密码重新连接服务器。",
            field="login",
        )
    with cf.unit_of_work(name):
        pass  # entering checks the login against the users
    cf.user = name
    return current_user(cf)


@requires(Permission.MANAGE_USERS)
def add_user(
    cf: CaseFile,
    data: UserInput,
    *,
    actor: str | None = None,
    today: dt.date | None = None,
    password: str | None = None,
) -> UserView:
    """Add a user; the first user of a case file must be the acting user and becomes 管理员.

    Adding the first user switches the case file from single-user mode to team mode. In team
    mode on a server the officer becomes a server login with ``password`` (required).
    """
    values = _values(data)
    if cf.team is not None:
        return _add_officer(cf, values, password, actor)
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        if s.scalar(select(User.id).where(User.login == values["login"])) is not None:
            raise ValidationError(f"登录名“{values['login']}”已被使用。", field="login")
        if uow.role is None:  # single-user mode: this is the first user
            if values["login"] != uow.actor:
                raise ValidationError(
                    f"本案卷还没有用户。第一个用户必须是您本人（当前登录名“{uow.actor}”），"
                    "并将成为管理员；之后再添加其他用户。",
                    field="login",
                )
            values.update(role=UserRole.ADMIN.value, active=True)
        user = User(created_on=now, **values)
        s.add(user)
        s.flush()
        out = _view(user)
        uow.commit()
    return out


@requires(Permission.MANAGE_USERS)
def update_user(
    cf: CaseFile,
    login: str,
    data: UserInput,
    *,
    expected_version: int,
    actor: str | None = None,
) -> UserView:
    """Change a user's name, role or whether they are active (the login cannot change).

    At least one active 管理员 always remains, so the case file can still be administered.
    """
    values = _values(data)
    key = _login(login)
    if values["login"] != key:
        raise ValidationError("登录名不能修改；如需改名，请新增用户并停用旧用户。", field="login")
    if cf.team is not None:
        return _set_officer(cf, values, expected_version, actor)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        user = s.scalar(select(User).where(User.login == key))
        if user is None:
            raise NotFoundError(f"用户“{key}”不存在，可能已被其他管理员修改。", field="login")
        v.check_version(user, expected_version, f"用户“{key}”")
        for field, value in values.items():
            if getattr(user, field) != value:
                setattr(user, field, value)
        s.flush()
        if _active_admins(s) == 0:
            raise ValidationError(
                "至少要保留一名在用的管理员，否则将无人能管理用户和设置。",
                field="role",
            )
        out = _view(user)
        uow.commit()
    return out


# --------------------------------------------------------------------------------------------
# Team mode on a server: officers are server logins (``store.pg_team``)
# --------------------------------------------------------------------------------------------


def _call(cf: CaseFile, actor: str | None, sql: str, params: dict[str, Any]) -> None:
    from sqlalchemy import text

    with cf.unit_of_work(actor) as uow:
        uow.session.execute(text(sql), params)
        uow.commit()


def _add_officer(
    cf: CaseFile, values: dict[str, Any], password: str | None, actor: str | None
) -> UserView:
    assert cf.team is not None
    login = check_login(values["login"])
    if not password:
        raise ValidationError("请为新用户设置初始密码。", field="password")
    verifier = scram_verifier(password)
    group = cf.team.group(values["role"])
    _call(
        cf,
        actor,
        "SELECT firecase_officer_add(:l, :n, :g, :v)",
        {"l": login, "n": values["display_name"], "g": group, "v": verifier},
    )
    if not values["active"]:
        _call(
            cf,
            actor,
            "SELECT firecase_officer_set(:l, :n, :g, false)",
            {"l": login, "n": values["display_name"], "g": group},
        )
    return _one(cf, login)


def _set_officer(
    cf: CaseFile, values: dict[str, Any], expected_version: int, actor: str | None
) -> UserView:
    assert cf.team is not None
    current = {u.login: u for u in list_users(cf)}.get(values["login"])
    if current is None:
        raise NotFoundError(
            f"用户“{values['login']}”不存在，可能已被其他管理员修改。", field="login"
        )
    if current.version != expected_version:
        from firecase.errors import ConflictError

        raise ConflictError(f"用户“{values['login']}”已被其他管理员修改，请刷新后重新编辑。")
    _call(
        cf,
        actor,
        "SELECT firecase_officer_set(:l, :n, :g, :a)",
        {
            "l": values["login"],
            "n": values["display_name"],
            "g": cf.team.group(values["role"]),
            "a": values["active"],
        },
    )
    return _one(cf, values["login"])


def _one(cf: CaseFile, login: str) -> UserView:
    for view in list_users(cf):
        if view.login == login:
            return view
    raise NotFoundError(f"用户“{login}”不存在。", field="login")


def set_password(cf: CaseFile, login: str, password: str, *, actor: str | None = None) -> None:
    """Set the server password of ``login`` (team mode): an administrator for anyone, an
    officer for themselves. The server receives only the SCRAM verifier."""
    if cf.team is None:
        raise ValidationError(
            "本地案卷文件没有密码：只有数据库服务器上的团队案卷才有用户密码。", field="password"
        )
    verifier = scram_verifier(password)
    params = {"l": _login(login), "v": verifier}
    _call(cf, actor, "SELECT firecase_officer_password(:l, :v)", params)
