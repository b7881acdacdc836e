"""Bad arguments on the command line are answered in Chinese with exit status 2 (argparse's
own messages were English: "the following arguments are required: -o/--output")."""

from __future__ import annotations

import argparse
import contextlib
import io
from collections.abc import Callable

import pytest
from hypothesis import given, strategies as st

from firecase.cli import _top_parser, build_parser, main, opens_the_gui


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
