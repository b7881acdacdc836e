"""Bad arguments on the command line are answered in Chinese with exit status 2 (argparse's
own messages were English: "the following arguments are required: -o/--output")."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from firecase.cli import _gui_args, _top_parser, build_parser, main, opens_the_gui


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["export-register", "cases", "--db", "x.fcdb"], "缺少必需的参数：-o/--output"),
        (["document", "bogus", "--case", "1", "--db", "x", "-o", "a.pdf"], "“bogus”无效"),
        (
            ["document", "team_notice", "--case", "1", "--db", "x", "-o", "a.pdf", "--item", "x"],
            "应为整数",
        ),
        (["export-deadlines", "--db", "x", "-o", "a.ics", "--bogus"], "无法识别的参数：--bogus"),
        (["export-deadlines", "--db", "x", "-o"], "-o/--output 后面缺少值"),
        (["nosuchcommand"], "“nosuchcommand”无效"),
    ],
)
def test_bad_arguments_are_refused_in_chinese(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "错误：" in err and said in err, err
    assert "error:" not in err and "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [["--db"], ["--db", "x", "--user"], ["--db", "x", "stray"], ["--user", "a", "-h"]],
)
def test_a_start_line_that_is_not_only_the_windows_options_goes_to_the_full_parser(
    argv: list[str],
) -> None:
    assert not opens_the_gui(argv)


def test_a_missing_value_of_the_windows_option_is_refused_in_chinese(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--db"])
    assert stop.value.code == 2
    assert "参数 --db 后面缺少值" in capsys.readouterr().err


_TOKENS = st.sampled_from(
    ["--db", "--user", "--db=a.fcdb", "--user=张三", "案卷.fcdb", "-x", "demo"]
)


def _outcome(parse: Callable[[], argparse.Namespace]) -> object:
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            return vars(parse())
    except SystemExit as stop:  # the message, not the usage line (that lists the commands)
        return stop.code, err.getvalue().splitlines()[-1]


@given(st.lists(_TOKENS, max_size=6))
def test_the_windows_own_parse_is_the_full_parsers_parse(argv: list[str]) -> None:
    """The desktop start skips building every command's parser (a tenth of its time to the
    first rows); whenever it does, the full parser would have read the same or refused the
    same."""
    if not opens_the_gui(argv):
        return
    full = _outcome(lambda: build_parser().parse_args(argv))
    lite = _outcome(lambda: _top_parser().parse_args(argv, argparse.Namespace(command=None)))
    assert lite == full


_PLAIN_TOKENS = st.sampled_from(
    ["--db", "--user", "--db=a.fcdb", "--db=", "--user=张三", "案卷.fcdb", "-x", "--db=-x", "="]
)


@given(st.lists(_PLAIN_TOKENS, max_size=6))
def test_the_windows_options_read_without_argparse_are_argparses_reading(
    argv: list[str],
) -> None:
    """The desktop start reads plainly given options itself (argparse's parser was 4 ms of
    the start); whatever it reads, argparse would have read the same, and whatever it leaves
    (a value starting with "-") goes to argparse."""
    lite = _gui_args(argv)
    if lite is None:
        return
    full = _outcome(lambda: build_parser().parse_args(argv))
    assert vars(lite) == full


@pytest.mark.parametrize("command", ["verify", "clocks", "export-deadlines"])
def test_a_mistyped_case_file_is_not_created_and_reported_sound(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The attacker's finding: ``verify --db nonexist.sqlite`` made an empty case file and
    said 通过 with exit 0."""
    missing = tmp_path / "nonexist.sqlite"
    argv = [command, "--db", str(missing)]
    if command == "export-deadlines":
        argv += ["-o", str(tmp_path / "x.ics")]
    assert main(argv) == 2
    assert "案卷文件不存在" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


def test_a_lone_surrogate_in_a_hostile_file_prints_no_traceback(tmp_path: Path) -> None:
    """The attacker's finding: a .fcase whose column name holds U+D800 made the error
    handler's own print fail (three tracebacks, and the log record lost)."""
    source = Path(__file__).parent / "data" / "lone_surrogate_column.fcase"
    env = {**os.environ, "FIRECASE_DATA_DIR": str(tmp_path / "data"), "PYTHONIOENCODING": "utf-8"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "firecase",
            "import",
            "--db",
            str(tmp_path / "t.sqlite"),
            str(source),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 2, out.stderr[-2000:]
    assert "Traceback" not in out.stdout + out.stderr
    assert "\\ud800" in out.stdout and "错误：" in out.stdout


def test_an_integer_of_5000_digits_is_refused_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The attacker's finding: Python's 4,300-digit limit surfaced as an unexpected error
    (exit 1) instead of a refusal (exit 2, SPEC §5)."""
    scenario = tmp_path / "big.json"
    scenario.write_text('{"fire": {"date": "2026-11-20", "households": ' + "9" * 5000 + "}}")
    assert main(["scenario", "run", str(scenario)]) == 2
    captured = capsys.readouterr()
    assert "位数过多" in captured.err + captured.out
