"""Every input error is a FirecaseError with a Chinese message: addresses, empty files, actors,
characters no case file can keep. The CLI prints the message and exits 2, never a traceback."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from firecase import cli
from firecase.errors import CaseFileError, EmptyCaseFileError, ValidationError
from firecase.services import cases, reading
from firecase.services.backup import backup_case_file
from firecase.services.dto import IncidentInput
from firecase.store import open_case_file

CHINESE = re.compile(r"[\u4e00-\u9fff]")
TODAY = dt.date(2026, 5, 1)


def _incident(title: str = "仓库火灾", place: str = "天门市") -> IncidentInput:
    return IncidentInput(title, TODAY, place, "建筑火灾", Decimal(1), Decimal(2))


@pytest.mark.parametrize(
    ("url", "phrase"),
    [
        ("postgresql://u:p@127.0.0.1:99999/db", "端口 99999"),
        ("postgresql+psycopg://u:p@127.0.0.1:abc/db", "端口应为数字"),
        ("postgresql+psycopg://u:secret@[::1/db", "无法识别"),
        ("postgresql+psycopg://u:p@127.0.0.1:0/db", "端口 0"),
        ("mysql://u@127.0.0.1/db", "不支持"),
        ("nosuch://x/y", "不支持"),
    ],
)
def test_a_mistyped_address_is_a_case_file_error(
    url: str, phrase: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(CaseFileError) as info:
        open_case_file(url, user="甲")
    assert phrase in info.value.message and CHINESE.search(info.value.message)
    assert "secret" not in info.value.message
    with pytest.raises(CaseFileError):
        backup_case_file(url, tmp_path / "b.fcbackup")
    assert cli.main(["verify", "--db", url]) == 2
    out, err = capsys.readouterr()
    assert out.startswith("错误：") and "Traceback" not in out + err


def test_an_empty_file_is_not_adopted_without_asking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "空.sqlite"
    path.write_bytes(b"")
    with pytest.raises(EmptyCaseFileError) as info:
        open_case_file(path, user="甲")
    assert "空文件" in info.value.message
    assert cli.main(["verify", "--db", str(path)]) == 2
    out, _err = capsys.readouterr()
    assert "空文件" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["空.sqlite"]
    assert path.stat().st_size == 0
    with open_case_file(path, user="甲", allow_empty=True) as cf:  # the user said yes
        assert cf.created
    with open_case_file(path, user="甲") as cf:  # a case file now
        assert not cf.created


@pytest.mark.parametrize("actor", [12345, 1.5, b"bytes", "", "  ", "甲\x00", "甲\ud800"])
def test_an_actor_must_be_text(case_url: str, actor: object) -> None:
    with open_case_file(case_url, user="甲") as cf:
        if actor not in ("",):  # "" means the case file's own user
            with pytest.raises(ValidationError) as info:
                cases.open_case(cf, _incident(), actor=actor, today=TODAY)  # type: ignore[arg-type]
            assert info.value.field == "user" and CHINESE.search(info.value.message)
        audit = cf.verify_audit()
        assert audit.ok, audit.problems
    if isinstance(actor, str) and actor.strip():
        with pytest.raises(ValidationError):
            open_case_file(case_url, user=actor)
    elif not isinstance(actor, str):
        with pytest.raises(ValidationError):
            open_case_file(case_url, user=actor)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("title", "phrase"),
    [
        ("仓库\x00火灾", "NUL"),
        ("仓库\ud800火灾", "代理字符"),
        ("仓库\x1b火灾", "U+001B"),
        ("仓库\x7f火灾", "U+007F"),
    ],
)
def test_characters_no_case_file_keeps_are_refused_naming_the_field(
    case_url: str, title: str, phrase: str
) -> None:
    with open_case_file(case_url, user="甲") as cf:
        with pytest.raises(ValidationError) as info:
            cases.open_case(cf, _incident(title=title), today=TODAY)
        assert info.value.field == "title"
        assert "案件名称" in info.value.message and phrase in info.value.message
        # tabs and line breaks are text
        made = cases.open_case(cf, _incident(title="仓库\t火灾", place="天门市\n竟陵"), today=TODAY)
        assert made.id
        # a search with a lone surrogate is refused, not a crash
        with pytest.raises(ValidationError):
            reading.list_cases(cf, text="\ud800", today=TODAY)
        assert cf.verify_audit().ok


def test_a_relative_typed_with_a_unit_separator_is_refused_not_split(tmp_path: Path) -> None:
    """Found by the text fuzz in CI: ``Relative.parse`` splits on U+001F (Python whitespace), so
    "0\\x1f" was stored as "0"; the character is refused before parsing, naming the item."""
    from firecase.services import parties
    from firecase.services.dto import PartyInput

    with open_case_file(tmp_path / "c.sqlite", user="测试") as cf:
        case = cases.open_case(
            cf,
            IncidentInput("新案件", dt.date(2026, 6, 1), "天门市", "建筑火灾", 1, 2),  # type: ignore[arg-type]
            today=dt.date(2026, 6, 1),
        )
        with pytest.raises(ValidationError) as refused:
            parties.add_party(cf, case.id, PartyInput("个人", "某人", relatives=("0\x1f",)))
    assert refused.value.field == "relatives"
    assert "控制字符 U+001F" in refused.value.message
