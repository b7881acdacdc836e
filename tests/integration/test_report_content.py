"""The reviewer's defects, through the services on a real case file (the demo cases): the
team in the 落款, the full location, roles on the signature page, 过火面积/事故性质, the
generated and stored wording, and the evaluation report's items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from firecase.errors import ValidationError
from firecase.reports import document as doc
from firecase.reports.data import EvaluationItemKind
from firecase.reports.investigation import investigation_document
from firecase.services import cases, reading, recommendations, reporting
from firecase.services.dto import IncidentInput, ReportWordingInput
from firecase.store import CaseFile, open_case_file

TODAY = dt.date(2026, 6, 1)
ONE = "天消调〔2026〕第001号"  # 一般 fire, fire agency authorised to lead, no recommendation
TWO = "天消调〔2025〕第001号"  # 较大 fire, government's team, evaluated


@pytest.fixture
def cf(tmp_path: Path, demo_copy: Callable[..., Path]) -> Iterator[CaseFile]:
    """The demo cases as of TODAY (written once per process, a private copy per test)."""
    with open_case_file(demo_copy(tmp_path / "demo.sqlite", today=TODAY), user="测试") as opened:
        yield opened


def _incident(c: cases.CaseSummary, **changes: object) -> IncidentInput:
    values = dict(
        title=c.title,
        fire_date=c.fire_date,
        place=c.place,
        fire_type=c.fire_type,
        property_loss_yuan=c.property_loss_yuan,
        economic_loss_yuan=c.economic_loss_yuan,
        fire_time=c.fire_time,
        address=c.address,
        unit_name=c.unit_name,
        households_affected=c.households_affected,
        summary=c.summary,
        burned_area_m2=c.burned_area_m2,
        nature=c.nature,
    )
    values.update(changes)
    return IncidentInput(**values)  # type: ignore[arg-type]


def test_team_location_roles_area_and_nature(cf: CaseFile) -> None:
    data = reporting.investigation_report_data(cf, TWO, today=TODAY)
    assert data.organisation == "天门市人民政府“1·9”较大火灾事故调查组"  # 第四条: government
    assert data.fire.location == "天门经济开发区纺织工业园杭州路6号"  # place + street, once
    assert data.fire.burned_area_m2 == Decimal("3600.00")
    assert data.fire.nature == "一起较大生产安全责任事故"
    roles = {s.name: s.role for s in data.signatories}
    assert roles["周建国"] == "组长"
    assert roles["黄志远"] == "专家"  # the expert is not a 组长
    assert roles["陈晓明"] == "技术组组长"  # a sub-group's leader is named with the sub-group
    assert roles["王丽华"] == "组员"
    assert [s.role for s in data.signatories].count("组长") == 1
    assert data.opening.startswith("2025年1月9日14时3分，位于天门经济开发区纺织工业园杭州路6号")
    assert "过火面积约3600平方米" in data.opening
    assert "直接经济损失2138.87万元" in data.opening
    assert "依据《天门市火灾事故调查处理办法》第四条、第六条" in data.opening
    assert "是一起较大生产安全责任事故" in data.opening
    assert "周建国任组长" in data.composition and "黄志远" in data.composition
    assert "并邀请天门市纪委监委派员参加" in data.composition
    rendered = investigation_document(data, generated_at=dt.datetime(2026, 6, 1))
    closing = next(b for b in rendered.blocks if isinstance(b, doc.Closing))
    assert closing.organisation == data.organisation and rendered.organisation == data.organisation


def test_authorised_fire_agency_team_and_recused_member_left_out(cf: CaseFile) -> None:
    data = reporting.investigation_report_data(cf, ONE, today=TODAY)
    assert data.organisation == "天门市“3·14”火灾事故调查组"
    assert "授权天门市消防救援大队牵头组织调查处理" in data.opening
    assert "陈晓明" not in data.composition  # recused (第十五条)
    assert data.fire.location == "天门市竟陵街道东湖社区东湖路118号"
    assert not data.recommendations and data.sections.responsibility
    rendered = investigation_document(data, generated_at=dt.datetime(2026, 6, 1))
    texts = [b.text for b in rendered.blocks if isinstance(b, doc.Paragraph)]
    assert "无。" not in texts[texts.index(data.sections.responsibility.splitlines()[0]) :][:40]


def test_officer_wording_is_stored_printed_and_regenerated(cf: CaseFile) -> None:
    case_id = reading.find_case_id(cf, TWO)
    version = reading.get_case_summary(cf, case_id).version
    cases.set_report_wording(
        cf,
        case_id,
        ReportWordingInput(
            team_name="天门市“1·9”较大火灾事故调查组",
            title="天门经济开发区华纺纺织有限公司仓库\n“1·9”较大火灾事故调查报告",
            opening="本报告开头由调查组撰写。",
            composition="",
        ),
        expected_version=version,
        today=TODAY,
        override_reason="测试：修改报告文字",
    )
    data = reporting.investigation_report_data(cf, TWO, today=TODAY)
    assert data.organisation == "天门市“1·9”较大火灾事故调查组"
    assert data.title.splitlines() == [
        "天门经济开发区华纺纺织有限公司仓库",
        "“1·9”较大火灾事故调查报告",
    ]
    assert data.opening == "本报告开头由调查组撰写。"
    assert data.composition.startswith("调查组由")  # empty: generated
    generated = reporting.generated_wording(cf, case_id, today=TODAY)
    assert generated.team_name == "天门市人民政府“1·9”较大火灾事故调查组"
    assert generated.opening.startswith("2025年1月9日")
    rendered = investigation_document(data, generated_at=dt.datetime(2026, 6, 1))
    joined = "".join(getattr(b, "text", "") for b in rendered.blocks)
    assert joined.count("《天门市火灾事故调查处理办法》") == 1  # the stored opening cites none


def test_burned_area_and_nature_are_validated_and_kept(cf: CaseFile) -> None:
    case_id = reading.find_case_id(cf, ONE)
    c = reading.get_case_summary(cf, case_id)
    for bad, words in (
        ("-3", "不能为负数"),
        ("三百", "不是数字"),
        ("1.234", "两位小数"),
        (1.5, "数字"),
    ):
        with pytest.raises(ValidationError) as err:
            cases.update_incident(
                cf,
                case_id,
                _incident(c, burned_area_m2=bad),
                expected_version=c.version,
                today=TODAY,
            )
        assert err.value.field == "burned_area_m2" and words in err.value.message
    out = cases.update_incident(
        cf,
        case_id,
        _incident(c, burned_area_m2="120.5", nature="一起意外事故"),
        expected_version=c.version,
        today=TODAY,
    )
    assert out.burned_area_m2 == Decimal("120.50") and out.nature == "一起意外事故"
    data = reporting.investigation_report_data(cf, ONE, today=TODAY)
    assert "过火面积约120.5平方米" in data.opening
    assert any(r.item == "过火面积" and r.quantity == "120.5平方米" for r in data.casualty_loss)


def test_evaluation_items_unit_deadline_groups_and_unchecked(cf: CaseFile) -> None:
    data = reporting.evaluation_report_data(cf, TWO, today=TODAY)
    measures = [i for i in data.items if i.kind is EvaluationItemKind.MEASURE]
    platform = next(i for i in measures if "智慧消防" in i.required_action)
    assert platform.subject == "天门经济开发区管委会"  # the responsible unit, not the item name
    assert platform.deadline == dt.date(2026, 4, 30)  # the 限期整改 the evaluation set
    assert platform.original_deadline == dt.date(2025, 12, 31)
    persons = [i for i in data.items if i.kind is EvaluationItemKind.PERSON]
    pair = next(i for i in persons if "胡小兵" in i.subject)
    assert pair.subject == "胡小兵、陈金华"
    assert "胡小兵：" in pair.required_action and "陈金华：" in pair.required_action
    assert data.unchecked_units == (
        "天门经济开发区安全生产监督管理局：问责（天门经济开发区党工委）",
    )
    assert data.unchecked_persons == ()
    d = reading.get_case(cf, reading.find_case_id(cf, TWO), today=TODAY)
    assert [r.target_name for r in reporting.unchecked_recommendations(d)] == [
        "天门经济开发区安全生产监督管理局"
    ]


def test_removing_a_covered_recommendation_keeps_the_others(cf: CaseFile) -> None:
    case_id = reading.find_case_id(cf, TWO)
    d = reading.get_case(cf, case_id, today=TODAY)
    item = next(i for i in d.evaluation_items if len(i.recommendation_ids) == 2)
    first = next(r for r in d.recommendations if r.id == item.recommendation_ids[0])
    recommendations.remove_recommendation(
        cf, first.id, expected_version=first.version, override_reason="测试：更正", today=TODAY
    )
    after = reading.get_case(cf, case_id, today=TODAY)
    kept = next(i for i in after.evaluation_items if i.id == item.id)
    assert kept.recommendation_ids == item.recommendation_ids[1:]
    assert kept.recommendation_id == item.recommendation_ids[1]
    assert cf.verify_audit().ok


def test_the_third_party_of_the_evaluation_is_recorded_and_printed(cf: CaseFile) -> None:
    """第二十二条第二款: a third-party firm may carry the evaluation out; the evaluation group
    records it and the report names it with the article, and not when there is none."""
    from firecase.services import evaluation
    from firecase.services.dto import EvaluationInput

    data = reporting.evaluation_report_data(cf, TWO, today=TODAY)
    text = data.sections.organisation_and_conduct
    assert "委托湖北正安安全技术咨询有限公司参与评估（本办法第二十二条第二款）" in text
    d = reading.get_case(cf, reading.find_case_id(cf, TWO), today=TODAY)
    ev = d.evaluation
    assert ev is not None and ev.third_party == "湖北正安安全技术咨询有限公司"
    values = EvaluationInput(
        lead=ev.lead,
        members=ev.members,
        third_party="",
        started_on=ev.started_on,
        finished_on=ev.finished_on,
        submitted_on=ev.submitted_on,
        conduct=ev.conduct,
        opinion=ev.opinion,
    )
    evaluation.save_evaluation(cf, d.case.id, values, expected_version=ev.version, today=TODAY)
    again = reporting.evaluation_report_data(cf, TWO, today=TODAY)
    assert "参与评估" not in again.sections.organisation_and_conduct
