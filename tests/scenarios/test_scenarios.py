"""The scenario suite: each ``cases/NAME.in.json`` is a whole case; running it with
``firecase scenario run`` must print exactly ``NAME.out.json``, or exit with 2 and print exactly
``NAME.error.txt`` (a refusal naming the key).

The expected files were checked by hand against the measures (docs/RULES.md walks through
them). ``FIRECASE_UPDATE_SCENARIOS=1`` rewrites them from the program's output: review the
diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from firecase.cli import main as cli_main
from firecase.services import reading, scenario
from firecase.store import open_case_file
from tests._demo import demo_into

CASES = Path(__file__).parent / "cases"
INPUTS = sorted(CASES.glob("*.in.json"))
UPDATE = os.environ.get("FIRECASE_UPDATE_SCENARIOS") == "1"


def test_the_suite_is_there() -> None:
    assert len(INPUTS) >= 20
    for path in INPUTS:
        name = path.name.removesuffix(".in.json")
        expected = [CASES / f"{name}.out.json", CASES / f"{name}.error.txt"]
        assert sum(p.exists() for p in expected) == 1, name


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name.removesuffix(".in.json"))
def test_scenario(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = path.name.removesuffix(".in.json")
    code = cli_main(["scenario", "run", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    out_file, err_file = CASES / f"{name}.out.json", CASES / f"{name}.error.txt"
    if UPDATE:
        if code == 0:
            out_file.write_text(out, encoding="utf-8")
            err_file.unlink(missing_ok=True)
        else:
            err_file.write_text(err, encoding="utf-8")
            out_file.unlink(missing_ok=True)
    if err_file.exists():
        assert code == 2
        assert err == err_file.read_text(encoding="utf-8")
        assert out == ""
    else:
        assert code == 0, err
        assert json.loads(out) == json.loads(out_file.read_text(encoding="utf-8"))


TODAY = dt.date(2026, 12, 2)


def test_every_demo_case_exported_and_run_again_shows_the_same(tmp_path: Path) -> None:
    """``scenario export`` of each demo case, run again, gives what the case itself shows."""
    db = tmp_path / "demo.sqlite"
    ids = demo_into(db, today=TODAY, user="测试")
    with open_case_file(db, user="测试") as cf:
        shown = {
            reading.get_case(cf, i, today=TODAY).case.case_no: scenario.case_output(
                reading.get_case(cf, i, today=TODAY)
            )
            for i in ids
        }
    assert len(shown) == 2
    for n, (case_no, expected) in enumerate(shown.items()):
        exported = tmp_path / "scenario.json"
        code = cli_main(
            ["scenario", "export", case_no, "--db", str(db), "--today", TODAY.isoformat()]
        )
        assert code == 0
        data = json.loads(_stdout(exported))
        run = scenario.run_scenario(data, today=TODAY)
        assert run == expected, case_no
        again = scenario.run_scenario(data, today=TODAY, keep=tmp_path / f"kept-{n}.sqlite")
        assert again == run


_CAPTURED: list[str] = []


def _stdout(_path: Path) -> str:
    return _CAPTURED.pop()


@pytest.fixture(autouse=True)
def _capture_export(monkeypatch: pytest.MonkeyPatch) -> None:
    real = scenario._print_json

    def keep(data: dict[str, object]) -> None:
        _CAPTURED.append(json.dumps(data, ensure_ascii=False))
        real(data)

    monkeypatch.setattr(scenario, "_print_json", keep)


def _run_text(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    path = tmp_path / "s.json"
    path.write_text(text, encoding="utf-8")
    code = cli_main(["scenario", "run", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("{not json", "不是有效的 JSON"),
        ("[]", "JSON 对象"),
        ('{"today": "2026-12-02"}', "fire"),
        ('{"fire": {"date": "2026/11/20"}}', "fire.date"),
        ('{"fire": {"date": "2026-11-20", "property_loss_yuan": 1.5}}', "fire.property_loss_yuan"),
        ('{"fire": {"date": "2026-11-20", "colour": "红"}}', "fire.colour"),
        (
            '{"fire": {"date": "2026-11-20"},'
            ' "casualties": [{"as_of": "2026-11-20", "deaths": -1}]}',
            "casualties[0].deaths",
        ),
        (
            '{"fire": {"date": "2026-11-20"}, "casualties": [{}, {"deaths": "3"}]}',
            "casualties[1].deaths",
        ),
        (
            '{"today": "2026-11-25", "fire": {"date": "2026-11-20"},'
            ' "casualties": [{}, {"as_of": "2026-11-30", "deaths": 3}]}',
            "casualties[1]",
        ),
        ('{"fire": {"date": "2026-11-20", "type": "飞碟火灾"}}', "fire.type"),
        (
            '{"fire": {"date": "2026-11-20"}, "team": {"members": [{"name": "张三"}]}}',
            "organisation",
        ),
        (
            '{"fire": {"date": "2026-11-20"}, "recusals": [{"member": "无名氏"}]}',
            "recusals[0].member",
        ),
        ("[" * 100000 + "]" * 100000, "嵌套过深"),
        ('{"fire": {"date": "20240601"}}', "fire.date"),
        ('{"today": "9999-12-31", "fire": {"date": "2024-06-01"}}', "today"),
        (
            '{"fire": {"date": "2024-06-01"}, "confidential": {"sections": [true, 99]}}',
            "confidential.sections",
        ),
        (
            '{"fire": {"date": "2024-06-01"}, "persons": [{"name": "甲", "age": "x"}]}',
            "persons[0].age",
        ),
        (
            '{"today": "2024-06-20", "fire": {"date": "2024-06-01"},'
            ' "casualties": [{"recorded_on": "2024-06-09"}, {"as_of": "2024-06-02",'
            ' "recorded_on": "2024-06-03", "deaths": 1}]}',
            "casualties[1].recorded_on",
        ),
    ],
)
def test_bad_input_exits_2_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, names: str
) -> None:
    code, err = _run_text(tmp_path, text, capsys)
    assert code == 2
    assert err.startswith("错误：") and names in err


def test_today_option_and_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["scenario", "run", str(tmp_path / "none.json")]) == 2
    assert "无法读取场景文件" in capsys.readouterr().err
    path = tmp_path / "s.json"
    path.write_text('{"fire": {"date": "2026-11-20"}}', encoding="utf-8")
    assert cli_main(["scenario", "run", str(path), "--today", "2026-13-01"]) == 2
    assert "--today" in capsys.readouterr().err
    assert cli_main(["scenario", "run", str(path), "--today", "2026-11-21"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["case_no"] == "天消调〔2026〕第001号"
    keep = tmp_path / "kept.sqlite"
    assert (
        cli_main(["scenario", "run", str(path), "--today", "2026-11-21", "--keep", str(keep)]) == 0
    )
    capsys.readouterr()
    assert keep.exists()
    assert (
        cli_main(
            ["report", "clocks", shown["case_no"], "--db", str(keep), "-o", str(tmp_path / "c.pdf")]
        )
        == 0
    )
    assert cli_main(["scenario", "run", str(path), "--keep", str(keep)]) == 2
    assert "已存在" in capsys.readouterr().err
    # no folder to keep it in; a failed run leaves nothing half-built behind
    assert (
        cli_main(["scenario", "run", str(path), "--keep", str(tmp_path / "no" / "x.sqlite")]) == 2
    )
    assert "文件夹不存在" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text('{"fire": {"date": "2026-11-20", "type": "飞碟火灾"}}', encoding="utf-8")
    kept = tmp_path / "half.sqlite"
    assert cli_main(["scenario", "run", str(bad), "--keep", str(kept)]) == 2
    capsys.readouterr()
    assert not kept.exists() and not list(tmp_path.glob("half.sqlite*"))
    # export from a file that is not there: refused, nothing created
    missing = tmp_path / "missing.sqlite"
    assert cli_main(["scenario", "export", "天消调〔2026〕第001号", "--db", str(missing)]) == 2
    assert "不存在" in capsys.readouterr().err and not missing.exists()


def test_persons_and_what_is_withheld_travel_with_an_exported_scenario(tmp_path: Path) -> None:
    """The register of persons and every withholding decision are exported, so the case run
    again prints the very same public version (same content fingerprint)."""
    from firecase.services import reporting

    source = json.loads(
        (CASES / "public_version_withholds_by_content.in.json").read_text(encoding="utf-8")
    )
    source["confidential"]["records"] = ["measure:1", "cause:2"]
    source["confidential"]["fields"] = ["address"]
    first = tmp_path / "first.sqlite"
    out = scenario.run_scenario(source, today=TODAY, keep=first)
    with open_case_file(first, user="测试") as cf:
        version = reporting.public_version(cf, out["case_no"], today=TODAY)
    assert cli_main(["scenario", "export", out["case_no"], "--db", str(first)]) == 0
    exported = json.loads(_stdout(tmp_path))
    assert [p["name"] for p in exported["persons"]] == ["张秀英", "陈志强", "刘小雨", "李明亮"]
    assert exported["persons"][0]["id_no"] == "11010519491231002X"
    assert exported["confidential"] == {
        "sections": [6],
        "fields": ["address"],
        "names": ["胡小兵"],
        "records": ["measure:1", "cause:2"],
    }
    second = tmp_path / "second.sqlite"
    scenario.run_scenario(exported, today=TODAY, keep=second)
    with open_case_file(second, user="测试") as cf:
        again = reporting.public_version(cf, out["case_no"], today=TODAY)
    assert again.fingerprint == version.fingerprint
    assert again.counts() == version.counts()
