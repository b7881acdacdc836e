"""Bad arguments on the command line are answered in Chinese with exit status 2 (argparse's
own messages were English: "the following arguments are required: -o/--output")."""

from __future__ import annotations

import pytest

from firecase.cli import main


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
