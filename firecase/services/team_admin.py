"""The ``firecase team`` and ``firecase users`` commands: team mode on a PostgreSQL server.

``firecase team init --db URL --admin LOGIN --name 姓名`` (as a superuser) turns a FireCase
database into team mode (``store.pg_team.init_team``). ``firecase users add|role|disable|
enable|password|list`` manage the officers as an administrator connected with their own
login; passwords are read from standard input with ``--password-stdin`` (or asked without
echo), never from the command line.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from firecase.errors import FirecaseError, ValidationError
from firecase.services import users as users_svc
from firecase.services.dto import UserInput
from firecase.store import CaseFile, open_case_file
from firecase.store.pg_team import check_password, init_team, scram_verifier


def _password(args: argparse.Namespace, prompt: str = "密码：") -> str:
    if getattr(args, "password_stdin", False):
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ValidationError("请用 --password-stdin 从标准输入提供密码。", field="password")
    first = getpass.getpass(prompt)
    if getpass.getpass("再输入一次：") != first:
        raise ValidationError("两次输入的密码不一致。", field="password")
    return first


def team_command(args: argparse.Namespace) -> int:
    """``firecase team init``: exit 0 done, 2 refused (the reason in Chinese)."""
    from sqlalchemy.exc import DBAPIError

    from firecase.store.uow import translate_db_error

    try:
        password = check_password(_password(args, "首位管理员的密码："))
        with open_case_file(args.db) as cf:
            if cf.engine.dialect.name != "postgresql":
                raise ValidationError("团队模式只用于 PostgreSQL 服务器上的案卷。", field="db")
            if cf.team is not None:
                print(f"本案卷已是团队模式（角色前缀 {cf.team.prefix}）。")
                return 0
            try:
                with cf.engine.begin() as conn:
                    team = init_team(
                        conn,
                        admin_login=args.admin,
                        admin_name=args.name,
                        verifier=scram_verifier(password),
                    )
            except DBAPIError as exc:
                translated = translate_db_error(exc)
                if translated is None:
                    raise
                raise translated from exc
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    print(f"已启用团队模式：角色前缀 {team.prefix}，管理员“{args.admin}”（{args.name}）。")
    print(
        "今后每位用户用自己的服务器账号和密码连接；管理员用“用户管理”或 firecase users add "
        "添加用户。"
    )
    return 0


def users_command(args: argparse.Namespace) -> int:
    """``firecase users ACTION``: exit 0 done, 2 refused (the reason in Chinese)."""
    try:
        with open_case_file(args.db) as cf:
            if cf.team is None and args.action != "list":
                raise ValidationError(
                    "该案卷未启用团队模式：请数据库管理员先运行 firecase team init。", field="db"
                )
            if args.action == "list":
                for u in users_svc.list_users(cf):
                    state = "在用" if u.active else "已停用"
                    print(f"{u.login}\t{u.display_name}\t{u.role}\t{state}")
                return 0
            if args.action == "add":
                password = _password(args, f"“{args.login}”的初始密码：")
                view = users_svc.add_user(
                    cf, UserInput(args.login, args.name, args.role), password=password
                )
            elif args.action == "password":
                users_svc.set_password(cf, args.login, _password(args))
                print(f"已修改“{args.login}”的密码。")
                return 0
            elif args.action in ("sessions", "end-session"):
                return _sessions(cf, args)
            else:
                current = {u.login: u for u in users_svc.list_users(cf)}.get(args.login)
                if current is None:
                    raise ValidationError(f"“{args.login}”不是本案卷的用户。", field="login")
                role = args.role if args.action == "role" else current.role
                active = {"disable": False, "enable": True}.get(args.action, current.active)
                view = users_svc.update_user(
                    cf,
                    args.login,
                    UserInput(args.login, current.display_name, role, active),
                    expected_version=current.version,
                )
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    state = "在用" if view.active else "已停用"
    print(f"{view.login}（{view.display_name}）：{view.role}，{state}")
    return 0


def _sessions(cf: CaseFile, args: argparse.Namespace) -> int:
    """``users sessions`` / ``users end-session PID``."""
    from firecase.services import sessions

    if args.action == "end-session":
        target = sessions.session_of(cf, args.pid)
        who = f"{target.display_name}（{target.login}）" if target.display_name else target.login
        if sessions.end_session(cf, target.pid, target.login):
            print(f"已结束{who}的连接 {args.pid}：其未提交的事务已回滚，占用的数据已释放。")
            return 0
        print(f"错误：连接 {args.pid} 未能结束（可能已经结束）。")
        return 2
    found = sessions.list_sessions(cf)
    if not found:
        print("本案卷的其他用户当前没有连接。")
    for x in found:
        since = x.since.astimezone().strftime("%Y-%m-%d %H:%M:%S") if x.since else ""
        waiting = f"{x.waiting}个连接在等它" if x.waiting else ""
        print(f"{x.pid}\t{x.login}\t{x.display_name}\t{x.state}\t{since}\t{waiting}".rstrip())
    return 0


def upgrade_command(args: argparse.Namespace) -> int:
    """``firecase upgrade --db X``: bring a case file to this version's data format.

    Opening does this for a local file (after a backup); on a team server only a database
    administrator may (the owner role's objects are changed), so this is the command to run.
    Exit 0 done or already current, 2 refused.
    """
    from firecase.store.filecheck import head_revision

    try:
        with open_case_file(args.db) as cf:
            if cf.upgraded_from is None and not cf.created:
                print(f"案卷已是当前数据版本（{head_revision()}），无需升级。")
                _renew_team(cf)
            elif cf.created:
                print(f"已新建案卷（数据版本 {head_revision()}）。")
            else:
                print(f"已从数据版本 {cf.upgraded_from} 升级到 {head_revision()}。")
                if cf.backup_path is not None:
                    print(f"升级前的备份：{cf.backup_path}")
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    return 0


def _renew_team(cf: CaseFile) -> None:
    """A team database at this version: its officer functions renewed (and the server powers
    granted, by a superuser); what is missing is said with the statement that grants it."""
    from firecase.store import pg_team

    if cf.team is None:
        return
    from sqlalchemy.exc import DBAPIError

    from firecase.errors import CaseFileError
    from firecase.store.uow import translate_db_error

    try:
        with cf.engine.begin() as conn:
            renewed = pg_team.renew_team(conn)
    except DBAPIError as exc:
        raise translate_db_error(exc) or CaseFileError(f"数据库错误：{exc.orig}") from exc
    if renewed is None:
        return
    team, powers = renewed
    print("已更新本案卷在服务器上的用户管理函数。")
    if not powers:
        print(
            "注意：数据库服务器尚未允许本案卷的管理员查看和结束其他用户的连接"
            "（用户管理 → 连接…）。请数据库超级用户运行 firecase upgrade，或执行："
            f"{pg_team.grant_statement(team)}"
        )
