"""The ``firecase`` command line: the desktop app by default, headless commands by name.

Each subcommand is declared here and implemented by a function in the layer that owns it,
imported only when that command runs (so ``firecase --help`` stays fast and Qt is imported only
for the GUI). Handlers take the parsed ``argparse.Namespace`` and return an exit code.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import logging
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from firecase import __version__
from firecase.errors import FirecaseError
from firecase.log import setup_logging

# name -> (help text, "module:function", argument adder)
_Adder = Callable[[argparse.ArgumentParser], None]
_COMMANDS: dict[str, tuple[str, str, _Adder]] = {}


def command(name: str, help_text: str, target: str) -> Callable[[_Adder], _Adder]:
    """Declare a subcommand whose handler lives at ``target`` ("module:function")."""

    def register(adder: _Adder) -> _Adder:
        _COMMANDS[name] = (help_text, target, adder)
        return adder

    return register


def _db_arg(p: argparse.ArgumentParser, *, required: bool = True) -> None:
    p.add_argument(
        "--db",
        required=required,
        metavar="PATH|URL",
        help="案卷文件路径（SQLite）或数据库 URL（如 postgresql+psycopg://…）",
    )


def _user_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--user", default=None, help="记入审计记录的用户名（默认取操作系统用户名）")


@command("demo", "写入演示案件", "firecase.samples.demo:demo_command")
def _demo_args(p: argparse.ArgumentParser) -> None:
    _db_arg(p)
    _user_arg(p)


@command("clocks", "列出所有案件的期限（逾期在前）", "firecase.services.clock_board:clocks_command")
def _clocks_args(p: argparse.ArgumentParser) -> None:
    _db_arg(p)
    p.add_argument("--today", default=None, metavar="YYYY-MM-DD", help="以该日期为今天计算")


@command("verify", "检查案卷文件完整性与审计链", "firecase.services.maintenance:verify_command")
def _verify_args(p: argparse.ArgumentParser) -> None:
    _db_arg(p)
    p.add_argument(
        "--anchor",
        default=None,
        metavar="SEQ:HASH",
        help="报告签名页上印的审计链锚点：确认审计记录仍完整保留该历史",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="增量检查：只检查上次通过检查（检查点）之后写入的审计记录和数据；默认完整检查",
    )


@command("report", "生成PDF或Word报告", "firecase.services.reporting:report_command")
def _report_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "kind", choices=["investigation", "evaluation", "public", "public_evaluation", "clocks"]
    )
    p.add_argument("case_no", metavar="CASE_NO", help="案件编号")
    _db_arg(p)
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT.pdf|OUT.docx",
        help="输出文件：以 .docx 结尾生成可编辑的 Word 文档，否则生成 PDF",
    )


@command(
    "document",
    "生成程序文书（通知、回避申请书/决定书、延期请示、委托书、报送函、备案表、整改通知书）并登记",
    "firecase.services.documents:document_command",
)
def _document_args(p: argparse.ArgumentParser) -> None:
    from firecase.services.doc_kinds import DOCUMENT_KINDS

    kinds = "；".join(f"{k.key}：{k.label}（{k.basis}）" for k in DOCUMENT_KINDS)
    p.add_argument("kind", choices=[k.key for k in DOCUMENT_KINDS], help=kinds)
    p.add_argument("--case", required=True, metavar="CASE_NO", help="案件编号")
    _db_arg(p)
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT.pdf|OUT.docx",
        help="输出文件：以 .docx 结尾生成可编辑的 Word 文档，否则生成 PDF",
    )
    p.add_argument(
        "--item",
        type=int,
        default=None,
        metavar="N",
        help="案件中有多项时（回避申请、延期、检验鉴定、处理任务、整改措施）取第N项，默认最后一项",
    )
    p.add_argument("--number", default=None, help="文号（默认按设置的编号格式取下一个编号）")
    _user_arg(p)


@command("selfcheck", "自检：建临时案卷、计算期限、生成PDF", "firecase.selfcheck:selfcheck_command")
def _selfcheck_args(p: argparse.ArgumentParser) -> None:
    del p  # no arguments


@command(
    "backup",
    "备份案卷（SQLite 副本或 .fcbackup 逻辑备份）",
    "firecase.services.backup:backup_command",
)
def _backup_args(p: argparse.ArgumentParser) -> None:
    _db_arg(p)
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="备份文件（以 .fcbackup 结尾为逻辑备份）",
    )
    p.add_argument("--force", action="store_true", help="覆盖已存在的备份文件")


@command("restore", "从备份恢复案卷（先另存当前文件）", "firecase.services.backup:restore_command")
def _restore_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("backup", metavar="BACKUP", help="备份文件（.sqlite 副本或 .fcbackup）")
    _db_arg(p)


@command("export", "导出一个案件为 .fcase 文件", "firecase.services.transfer:export_command")
def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("case_no", metavar="CASE_NO", help="案件编号")
    _db_arg(p)
    _user_arg(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE.fcase")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")


@command(
    "export-deadlines",
    "把未完成的期限导出为日历文件（.ics，到期前3日、1日提醒）",
    "firecase.services.deadline_calendar:export_deadlines_command",
)
def _export_deadlines_args(p: argparse.ArgumentParser) -> None:
    _db_arg(p)
    _user_arg(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE.ics")
    p.add_argument("--case", default=None, metavar="CASE_NO", help="只导出该案件的期限")
    p.add_argument("--today", default=None, metavar="YYYY-MM-DD", help="以该日期为今天")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")


@command(
    "export-register",
    "把台账导出为 Excel 工作簿（.xlsx）：案件、期限、调查组、当事人、证据、处理建议、整改",
    "firecase.services.registers:export_register_command",
)
def _export_register_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "kind",
        metavar="KIND",
        help="cases（案件台账）、deadlines（期限台账）、members（调查组名单）、parties（当事人名单）、"
        "evidence（证据清单）、recommendations（处理建议台账）、rectification（整改台账）",
    )
    _db_arg(p)
    _user_arg(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    p.add_argument("--case", default=None, metavar="CASE_NO", help="只导出该案件的记录")
    p.add_argument("--today", default=None, metavar="YYYY-MM-DD", help="以该日期为今天")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")


@command("import", "从 .fcase 文件导入一个案件", "firecase.services.transfer:import_command")
def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.fcase", help="案件导出文件")
    _db_arg(p)
    _user_arg(p)
    p.add_argument("--as-copy", action="store_true", help="编号已存在时作为副本导入（使用新编号）")


@command(
    "scenario",
    "案件场景：用 JSON 描述整个案件，输出程序显示的结果（run），或把案件导出为场景（export）",
    "firecase.services.scenario:scenario_command",
)
def _scenario_args(p: argparse.ArgumentParser) -> None:
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    run = actions.add_parser("run", help="运行场景文件，输出 JSON")
    run.add_argument("file", metavar="FILE.json", help="场景文件（UTF-8 JSON）")
    run.add_argument("--today", default=None, metavar="YYYY-MM-DD", help="以该日期为今天")
    run.add_argument("--keep", default=None, metavar="PATH", help="保留生成的案卷文件（SQLite）")
    export = actions.add_parser("export", help="把已有案件导出为场景 JSON")
    export.add_argument("case_no", metavar="CASE_NO", help="案件编号")
    _db_arg(export)
    export.add_argument("--today", default=None, metavar="YYYY-MM-DD", help="以该日期为今天")


@command(
    "calendar",
    "节假日日历：按国务院办公厅部分节假日安排的通知更新某一年（import-notice）",
    "firecase.services.calendar_notice:calendar_command",
)
def _calendar_args(p: argparse.ArgumentParser) -> None:
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    notice = actions.add_parser(
        "import-notice", help="读取保存的通知（.txt 或 .html），用其放假和上班日期替换该年日历"
    )
    notice.add_argument("file", metavar="FILE", help="通知全文（.txt 或 .html）")
    notice.add_argument("--year", type=int, required=True, metavar="Y", help="通知的年份")
    _db_arg(notice)
    _user_arg(notice)


@command(
    "team",
    "团队模式：在 PostgreSQL 服务器上启用（init）",
    "firecase.services.team_admin:team_command",
)
def _team_args(p: argparse.ArgumentParser) -> None:
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = actions.add_parser("init", help="启用团队模式（以数据库超级用户连接执行）")
    init.add_argument("--db", required=True, metavar="URL", help="数据库 URL（以超级用户连接）")
    init.add_argument("--admin", required=True, metavar="LOGIN", help="首位管理员的登录名")
    init.add_argument("--name", required=True, metavar="姓名", help="首位管理员的姓名")
    init.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")


@command(
    "upgrade",
    "把案卷升级到本版本的数据格式（服务器上的团队案卷须由数据库管理员执行）",
    "firecase.services.team_admin:upgrade_command",
)
def _upgrade_args(p: argparse.ArgumentParser) -> None:
    _db_arg(p)


_ROLES = ("管理员", "调查组组长", "调查员", "只读")


@command(
    "users",
    "团队模式的用户：列出、添加、改角色、停用、启用、改密码，查看和结束连接",
    "firecase.services.team_admin:users_command",
)
def _users_args(p: argparse.ArgumentParser) -> None:
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        q = actions.add_parser(name, help=help_text)
        q.add_argument("--db", required=True, metavar="URL", help="数据库 URL（以管理员账号连接）")
        return q

    action("list", "列出用户")
    add = action("add", "添加用户（建立服务器账号）")
    add.add_argument("login", metavar="LOGIN")
    add.add_argument("--name", required=True, metavar="姓名")
    add.add_argument("--role", required=True, choices=_ROLES)
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取初始密码")
    role = action("role", "修改用户的角色")
    role.add_argument("login", metavar="LOGIN")
    role.add_argument("role", choices=_ROLES)
    for name, help_text in (("disable", "停用用户"), ("enable", "重新启用用户")):
        action(name, help_text).add_argument("login", metavar="LOGIN")
    pw = action("password", "修改用户的密码")
    pw.add_argument("login", metavar="LOGIN")
    pw.add_argument("--password-stdin", action="store_true", help="从标准输入读取新密码")
    action("sessions", "列出本案卷用户在服务器上的连接（谁、状态、自何时、有几个连接在等它）")
    end = action("end-session", "结束一个占用数据的连接（其未提交的事务回滚、锁释放）")
    end.add_argument("pid", type=int, metavar="PID", help="连接编号（sessions 列出的第一列）")


@command("synth", "写入合成案件（基准测试与压力测试用）", "firecase.samples.synth:synth_command")
def _synth_args(p: argparse.ArgumentParser) -> None:
    _db_arg(p)
    _user_arg(p)
    p.add_argument("--cases", type=int, required=True, metavar="N", help="合成的案件数")
    p.add_argument("--seed", type=int, default=1, metavar="S", help="随机种子（同一种子结果相同）")
    p.add_argument("--today", default=None, metavar="YYYY-MM-DD", help="以该日期为今天合成")
    p.add_argument(
        "--no-large-case",
        action="store_true",
        help="不写入大型案件（50名成员、200件证据）",
    )


_TYPES = {"int": "整数", "float": "数字"}
_ARGPARSE_ZH: tuple[tuple[str, Callable[[re.Match[str]], str]], ...] = (
    (
        r"the following arguments are required: (.+)",
        lambda m: f"缺少必需的参数：{m[1]}",
    ),
    (
        r"argument (\S+): invalid choice: '([^']*)' \(choose from (.+)\)",
        lambda m: f"参数 {m[1]} 的值“{m[2]}”无效，可选：{m[3].replace(chr(39), '')}",
    ),
    (
        r"argument (\S+): invalid (\w+) value: '([^']*)'",
        lambda m: f"参数 {m[1]} 的值“{m[3]}”无效，应为{_TYPES.get(m[2], m[2])}",
    ),
    (r"argument (\S+): expected one argument", lambda m: f"参数 {m[1]} 后面缺少值"),
    (r"unrecognized arguments: (.+)", lambda m: f"无法识别的参数：{m[1]}"),
    (
        r"argument (\S+): not allowed with argument (\S+)",
        lambda m: f"参数 {m[1]} 不能与 {m[2]} 同时使用",
    ),
)


class _Parser(argparse.ArgumentParser):
    """argparse answering a bad command line in Chinese (its own messages are English)."""

    def error(self, message: str) -> NoReturn:
        for pattern, say in _ARGPARSE_ZH:
            found = re.fullmatch(pattern, message)  # compiled for a bad command line only
            if found:
                message = say(found)
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{message}\n")


def _top_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="firecase", description="FireCase 火灾事故调查处理案件管理")
    parser.add_argument("--version", action="version", version=f"FireCase {__version__}")
    _db_arg(parser, required=False)
    _user_arg(parser)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (also used by tests)."""
    parser = _top_parser()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, target, adder) in _COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        adder(p)
        p.set_defaults(_target=target)
    return parser


def _write_demo(case_file: Any, today: dt.date) -> tuple[int, ...]:
    """The GUI's first-run offer writes the demonstration cases (imported when accepted)."""
    from firecase.samples.demo import write_demo

    return write_demo(case_file, today)


def run_gui(args: argparse.Namespace) -> int:
    """The desktop application, given what only the command line may hand it: the samples."""
    from firecase.ui.app import run_gui as run

    return run(args, demo=_write_demo)


_GUI_OPTIONS = ("--db", "--user")


def opens_the_gui(argv: list[str]) -> bool:
    """Whether ``argv`` holds nothing but the desktop application's own options, each with its
    value (``--db PATH``, ``--user NAME``): no command, no help, no version."""
    i = 0
    while i < len(argv):
        token = argv[i]
        if token in _GUI_OPTIONS and i + 1 < len(argv):
            i += 2
        elif token.startswith(tuple(f"{o}=" for o in _GUI_OPTIONS)):
            i += 1
        else:
            return False
    return True


def _gui_args(argv: list[str]) -> argparse.Namespace | None:
    """The desktop application's options read without argparse when each is plainly given
    (``--db PATH``, ``--user NAME``, ``--db=PATH``; the last one counts, as with argparse):
    building the parser and its translated help texts was 4 ms of the start to the first
    painted rows. None for anything else (argparse answers it, with its messages)."""
    if not opens_the_gui(argv):
        return None
    values: dict[str, str | None] = {"db": None, "user": None}
    i = 0
    while i < len(argv):
        option, equals, value = argv[i].partition("=")
        if not equals:
            value = argv[i + 1]
            i += 1
            if value.startswith("-"):  # argparse: "expected one argument"
                return None
        values[option[2:]] = value
        i += 1
    return argparse.Namespace(command=None, **values)


# Commands that read or change an existing case file: a mistyped --db path must not create an
# empty case file and report it sound (demo, synth, import and restore may make a new one).
_NEEDS_EXISTING = frozenset(
    {
        "verify",
        "clocks",
        "report",
        "document",
        "backup",
        "export",
        "export-deadlines",
        "export-register",
        "upgrade",
        "calendar",
    }
)


def _missing_case_file(args: argparse.Namespace) -> str:
    """The local ``--db`` path of a ``_NEEDS_EXISTING`` command when nothing is there, else ""."""
    db = getattr(args, "db", None)
    if args.command not in _NEEDS_EXISTING or not db or "://" in str(db):
        return ""
    path = Path(str(db)).expanduser()
    return "" if path.exists() else str(path)


def _safe_output() -> None:
    """A headless command's output never fails on a character the terminal cannot encode (a
    lone surrogate from a hostile file, a GBK file name under a UTF-8 locale): it is printed
    escaped. Its log records go to the log file from the start, never as stray lines (or a
    traceback) on the terminal through Python's last-resort handler."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):
                reconfigure(errors="backslashreplace")
    try:
        setup_logging()
    except OSError:  # no user data folder: the records are dropped, not printed
        logging.getLogger().addHandler(logging.NullHandler())


def main(argv: list[str]) -> int:
    """Parse ``argv`` and run the chosen command (the GUI when none is given).

    The desktop application's start parses its own options alone: building every command's
    parser first was a twentieth of its time to the first painted rows."""
    args = _gui_args(argv)  # None: argparse reads it (and answers a bad line in Chinese)
    if args is None:
        parser = _top_parser() if opens_the_gui(argv) else build_parser()
        args = parser.parse_args(argv, argparse.Namespace(command=None))
    target = getattr(args, "_target", "firecase.cli:run_gui")
    module_name, func_name = target.split(":")
    handler = getattr(importlib.import_module(module_name), func_name)
    if args.command is None:  # the GUI has its own error handling
        return int(handler(args))
    _safe_output()
    missing = _missing_case_file(args)
    if missing:
        print(f"错误：案卷文件不存在：{missing}（请检查 --db 的路径；本命令不新建案卷文件）")
        return 2
    try:
        return int(handler(args))
    except FirecaseError as exc:  # a command that did not catch its own errors
        print(f"错误：{exc.message}")
        return 2
    except Exception:  # a bug: the traceback goes to the log file, never to the terminal
        where = setup_logging()
        logging.getLogger("firecase.cli").exception("command %s failed", args.command)
        print(f"错误：程序遇到了意外错误，命令没有完成。详情已记录到日志文件：{where}")
        return 1
