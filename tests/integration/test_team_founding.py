"""The team's founding document and body: 成立文件文号 and 组建机关 recorded
with the team's set-up (migration 0019), checked like every text, audited, offered by 第四条,
carried by the 成立调查组的通知, a ``.fcase`` export and the scenario format."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from firecase.errors import ValidationError
from firecase.services import cases, documents as docs, reading, reporting, scenario
from firecase.services.dto import TeamSetupInput
from firecase.services.maintenance import verify_case_file
from firecase.services.reading import find_case_id
from firecase.store import open_case_file
from tests._demo import demo_into

TODAY = dt.date(2026, 6, 1)
ONE = "天消调〔2026〕第001号"  # 一般, 2026: the fire agency authorised to lead
TWO = "天消调〔2025〕第001号"  # 较大, 2025: the government investigates
NUMBER = "天政办函〔2026〕12号"
SCENARIO = (
    Path(__file__).parents[1] / "scenarios" / "cases" / "fire_with_burned_area_and_nature.in.json"
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("founding") / "demo.sqlite"
    demo_into(path, today=TODAY, user="演示")
    return path


@pytest.fixture
def cf(demo: Path, tmp_path: Path) -> Any:
    target = tmp_path / "cases.sqlite"
    shutil.copy(demo, target)
    with open_case_file(target, user="内勤") as case_file:
        yield case_file


def _setup(cf: Any, case_id: int, **changes: Any) -> Any:
    c = reading.get_case_summary(cf, case_id)
    data = TeamSetupInput(c.team_formed_on or c.fire_date, c.team_authorised_fire_agency, **changes)
    # demo case 2 was replied and closed: a change there asks for a reason (第十九条 guard)
    return cases.set_team_setup(
        cf,
        case_id,
        data,
        expected_version=c.version,
        today=TODAY,
        override_reason="补录成立文件文号和组建机关",
    )


def test_recorded_read_back_and_audited(cf: Any) -> None:
    one = find_case_id(cf, ONE)
    saved = _setup(cf, one, document_no=f"  {NUMBER} ", formed_by="天门市消防救援大队")
    assert (saved.team_document_no, saved.team_formed_by) == (NUMBER, "天门市消防救援大队")
    d = reading.get_case(cf, one, today=TODAY)
    assert (d.case.team_document_no, d.case.team_formed_by) == (NUMBER, "天门市消防救援大队")
    with cf.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT actor, field, new_value FROM audit_log WHERE entity = 'cases' "
                "AND field IN ('team_document_no', 'team_formed_by') ORDER BY seq"
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("内勤", "team_document_no", NUMBER),
        ("内勤", "team_formed_by", "天门市消防救援大队"),
    ]
    assert verify_case_file(cf).ok
    # both may be cleared again: "not recorded"
    cleared = _setup(cf, one)
    assert (cleared.team_document_no, cleared.team_formed_by) == ("", "")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"document_no": "号" * 65}, "document_no", "成立文件文号过长（最多64个字）"),
        ({"formed_by": "府" * 201}, "formed_by", "组建机关过长（最多200个字）"),
        ({"document_no": "天政办函\x00〔2026〕"}, "document_no", "成立文件文号含有无法保存的字符"),
        ({"formed_by": "天门市\ud800人民政府"}, "formed_by", "组建机关含有无法保存的字符"),
        ({"document_no": 12}, "document_no", "成立文件文号应为文字"),
    ],
)
def test_bad_input_refused_at_its_field_nothing_written(
    cf: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    one = find_case_id(cf, ONE)
    before = reading.get_case_summary(cf, one)
    with pytest.raises(ValidationError, match=message) as caught:
        _setup(cf, one, **{"formed_by": "天门市人民政府", **changes})
    assert caught.value.field == field
    after = reading.get_case_summary(cf, one)
    assert after.version == before.version and after.team_formed_by == before.team_formed_by


def test_the_body_offered_is_the_one_of_article_4(cf: Any) -> None:
    one, two = find_case_id(cf, ONE), find_case_id(cf, TWO)
    authorised = reporting.team_bodies(cf, one)  # the fire agency authorised to lead
    assert authorised.default == authorised.fire_agency == "天门市消防救援大队"
    assert authorised.government == "天门市人民政府"
    assert authorised.options == ("天门市消防救援大队", "天门市人民政府")
    assert authorised.for_authorised(False) == "天门市人民政府"
    government = reporting.team_bodies(cf, two)
    assert government.default == "天门市人民政府"
    # a body recorded is the one the notice uses; the offer stays the rules'
    _setup(cf, two, formed_by="天门市人民政府办公室")
    assert reporting.team_bodies(cf, two).default == "天门市人民政府"
    d = reading.get_case(cf, two, today=TODAY)
    assert reporting.team_founding_body(d, "天门市消防救援大队") == "天门市人民政府办公室"


def test_the_notice_carries_the_founding_number_and_body(cf: Any) -> None:
    """The 成立调查组的通知 is the founding document: its 文号 is the one recorded (not a serial
    of the fire agency's pattern, nor left empty for the government's office), its 版头 and 落款
    the 组建机关."""
    two = find_case_id(cf, TWO)
    before = docs.draft_document(cf, two, "team_notice", today=TODAY)
    assert before.text.number == "" and before.text.masthead == "天门市人民政府"
    _setup(cf, two, document_no="天政办函〔2025〕3号", formed_by="天门市人民政府")
    made = docs.draft_document(cf, two, "team_notice", today=TODAY)
    assert made.text.number == "天政办函〔2025〕3号" and made.serial is None
    assert made.text.masthead == made.text.signature == "天门市人民政府"
    assert not any("发文字号" in n for n in made.notes)
    one = find_case_id(cf, ONE)
    _setup(cf, one, document_no=NUMBER, formed_by="天门市消防救援支队")
    made = docs.draft_document(cf, one, "team_notice", today=TODAY)
    assert made.text.number == NUMBER
    assert made.text.masthead == "天门市消防救援支队"
    assert "由天门市消防救援支队牵头组织调查处理" in made.text.body[0]


def test_carried_by_a_case_export(cf: Any, tmp_path: Path) -> None:
    from firecase.services.transfer import export_case, import_case

    one = find_case_id(cf, ONE)
    _setup(cf, one, document_no=NUMBER, formed_by="天门市消防救援大队")
    fcase = tmp_path / "案件.fcase"
    export_case(cf, ONE, fcase)
    with open_case_file(tmp_path / "其他.sqlite", user="他人") as other:
        result = import_case(other, fcase)
        c = reading.get_case_summary(other, result.case_id)
        assert (c.team_document_no, c.team_formed_by) == (NUMBER, "天门市消防救援大队")
        assert verify_case_file(other).ok


def test_the_scenario_team_block_takes_and_shows_them(tmp_path: Path) -> None:
    data = json.loads(SCENARIO.read_text(encoding="utf-8"))
    data["team"] |= {"document_no": NUMBER, "formed_by": "天门市人民政府"}
    keep = tmp_path / "scenario.sqlite"
    scenario.run_scenario(data, keep=keep)
    with open_case_file(keep) as cf:
        case_id = reading.list_cases(cf).rows[0].id
        d = reading.get_case(cf, case_id, today=TODAY)
        assert (d.case.team_document_no, d.case.team_formed_by) == (NUMBER, "天门市人民政府")
        exported = scenario.export_scenario(d)
    assert exported["team"]["document_no"] == NUMBER
    assert exported["team"]["formed_by"] == "天门市人民政府"
    # not recorded: not written into the scenario at all (older scenarios export as before)
    plain = dataclasses.replace(d, case=dataclasses.replace(d.case, team_document_no=""))
    assert "document_no" not in scenario.export_scenario(plain)["team"]
    # a number without the founding date is refused, naming the key
    del data["team"]["formed_on"]
    with pytest.raises(scenario.ScenarioError, match="formed_on") as caught:
        scenario.run_scenario(data)
    assert caught.value.field == "team.document_no"
