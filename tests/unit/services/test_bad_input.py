"""Property tests: random bad input to every service raises FirecaseError and changes nothing.

Each example takes a valid input for a service, replaces one field with a value that is invalid
for any field (wrong type, NaN, float money, datetime, …), or passes a bad record id, and checks
that the service raises a ``FirecaseError`` with a non-empty message and that a full dump of the
case file is identical before and after.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st
from sqlalchemy import text

from firecase.errors import FirecaseError
from firecase.services import (
    cases,
    deadlines,
    evaluation,
    evidence,
    findings,
    parties,
    publication,
    reading,
    recommendations,
    recusal,
    reply,
    settings as settings_svc,
    team,
)
from firecase.services.dto import (
    AppraisalInput,
    AttachmentInput,
    CalendarDayInput,
    CasualtyInput,
    CauseInput,
    CustodyInput,
    DissentInput,
    EvaluationInput,
    EvaluationItemInput,
    EvidenceInput,
    ExtensionInput,
    FeedbackInput,
    FindingInput,
    HandlingTaskInput,
    IncidentInput,
    JudgementInput,
    MeasureInput,
    MemberInput,
    PartyInput,
    PublicationInput,
    RecommendationInput,
    RecusalApplicationInput,
    SettingsInput,
    SubGroupInput,
    TeamSetupInput,
)
from firecase.store import CaseFile, open_case_file
from firecase.store.models import Base
from tests._demo import demo_into

D = dt.date
TODAY = D(2026, 5, 25)


class _Opaque:
    def __repr__(self) -> str:
        return "<opaque>"


# Values that no field of any input accepts.
ALWAYS_BAD = st.sampled_from(
    [float("nan"), 1.5, _Opaque(), dt.datetime(2026, 1, 1, 12), Decimal("NaN"), {"k": 1}]
)
BAD_IDS = st.one_of(
    st.integers(max_value=0),
    st.integers(min_value=10**6, max_value=10**9),
    st.sampled_from(["1", 1.0, None, True]),
)


@pytest.fixture(scope="module")
def cf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CaseFile]:
    path: Path = tmp_path_factory.mktemp("bad") / "案卷.sqlite"
    demo_into(path, today=TODAY, user="测试")
    with open_case_file(path, user="测试") as case_file:
        yield case_file


def dump(cf: CaseFile) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Every row of every table (audit and calendar included), in a stable order."""
    out = []
    with cf.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(text(f"SELECT * FROM {table.name}")).all()
            out.append((table.name, sorted((tuple(r) for r in rows), key=repr)))
    return out


def _ids(cf: CaseFile) -> dict[str, int]:
    d = reading.get_case(cf, 1, today=TODAY)
    return {
        "case": d.case.id,
        "member": d.members[1].id,
        "party": d.parties[0].id,
        "evidence": d.evidence[0].id,
        "appraisal": d.appraisals[0].id,
        "version": d.case.version,
    }


def _valid_inputs(i: dict[str, int]) -> list[tuple[str, Any, Callable[[CaseFile, Any], Any]]]:
    c = i["case"]
    return [
        (
            "incident",
            IncidentInput(
                "新案件", D(2026, 2, 1), "天门市", "建筑火灾", Decimal("1"), Decimal("2")
            ),
            lambda cf, x: cases.open_case(cf, x, today=TODAY),
        ),
        (
            "casualty",
            CasualtyInput(D(2026, 3, 20), 1, 0),
            lambda cf, x: cases.add_casualty_update(cf, c, x, today=TODAY),
        ),
        (
            "judgement",
            JudgementInput(True, "市政府", D(2026, 3, 20), "舆情"),
            lambda cf, x: cases.record_judgement(cf, c, x, today=TODAY),
        ),
        (
            "team",
            TeamSetupInput(D(2026, 3, 15)),
            lambda cf, x: cases.set_team_setup(
                cf, c, x, expected_version=i["version"], today=TODAY
            ),
        ),
        ("party", PartyInput("个人", "某人"), lambda cf, x: parties.add_party(cf, c, x)),
        (
            "member",
            MemberInput("某人", "某单位", "公安机关", "成员", D(2026, 3, 20)),
            lambda cf, x: team.add_member(cf, c, x),
        ),
        (
            "subgroup",
            SubGroupInput("新组", i["member"], "职责", (i["member"],)),
            lambda cf, x: team.add_subgroup(cf, c, x),
        ),
        (
            "recusal",
            RecusalApplicationInput(i["member"], "某人", "本人", 2, "理由", D(2026, 3, 20)),
            lambda cf, x: recusal.apply_recusal(cf, c, x),
        ),
        (
            "evidence",
            EvidenceInput("NEW-1", "物", "物证", D(2026, 3, 20), "某人"),
            lambda cf, x: evidence.add_evidence(cf, c, x),
        ),
        (
            "custody",
            CustodyInput(D(2026, 3, 20), "移交"),
            lambda cf, x: evidence.add_custody_event(cf, i["evidence"], x),
        ),
        (
            "attachment",
            AttachmentInput("a.txt", b"abc", D(2026, 3, 20)),
            lambda cf, x: evidence.add_attachment(cf, c, x),
        ),
        (
            "appraisal",
            AppraisalInput("检验", "事项", "机构", D(2026, 3, 20)),
            lambda cf, x: evidence.commission_appraisal(cf, c, x),
        ),
        (
            "extension",
            ExtensionInput(10, D(2026, 5, 1), "理由"),
            lambda cf, x: deadlines.request_extension(cf, c, x),
        ),
        (
            "finding",
            FindingInput("使用管理责任", "某单位", "结论"),
            lambda cf, x: findings.add_finding(cf, c, x),
        ),
        ("cause", CauseInput("直接原因", "原因"), lambda cf, x: findings.add_cause(cf, c, x)),
        (
            "dissent",
            DissentInput(i["member"], D(2026, 3, 20), "意见"),
            lambda cf, x: findings.add_dissent(cf, c, x),
        ),
        (
            "recommendation",
            RecommendationInput("个人", "某人", "使用管理责任", "约谈", "依据", "机关"),
            lambda cf, x: recommendations.add_recommendation(cf, c, x),
        ),
        (
            "feedback",
            FeedbackInput("反馈", D(2026, 4, 1)),
            lambda cf, x: recommendations.record_feedback(cf, 1, x, expected_version=1),
        ),
        (
            "task",
            HandlingTaskInput("部门", "事项"),
            lambda cf, x: reply.add_handling_task(cf, 2, x),
        ),
        (
            "publication",
            PublicationInput(D(2026, 4, 1)),
            lambda cf, x: publication.save_publication(cf, c, x),
        ),
        ("evaluation", EvaluationInput("牵头"), lambda cf, x: evaluation.save_evaluation(cf, c, x)),
        (
            "item",
            EvaluationItemInput("整改措施", "对象", "已落实", D(2026, 4, 1)),
            lambda cf, x: evaluation.add_evaluation_item(cf, c, x),
        ),
        (
            "measure",
            MeasureInput("措施", "单位", D(2026, 4, 1)),
            lambda cf, x: evaluation.add_measure(cf, c, x),
        ),
        (
            "settings",
            SettingsInput("天门市消防救援大队", "天消调"),
            lambda cf, x: settings_svc.update_settings(
                cf, x, expected_version=settings_svc.get_settings(cf).version
            ),
        ),
        (
            "calendar",
            CalendarDayInput(D(2026, 6, 1), "holiday"),
            lambda cf, x: settings_svc.set_calendar_day(cf, x),
        ),
    ]


def _check_clean_failure(cf: CaseFile, call: Callable[[], Any]) -> None:
    before = dump(cf)
    with pytest.raises(FirecaseError) as err:
        call()
    assert err.value.message.strip()
    assert dump(cf) == before


@settings(max_examples=120)
@given(data=st.data())
def test_bad_field_in_any_input(cf: CaseFile, data: st.DataObject) -> None:
    ids = _ids(cf)
    _name, valid, call = data.draw(st.sampled_from(_valid_inputs(ids)), label="service")
    fields = [f.name for f in dataclasses.fields(valid)]
    field = data.draw(st.sampled_from(fields), label="field")
    bad = data.draw(ALWAYS_BAD, label="value")
    broken = dataclasses.replace(valid, **{field: bad})
    _check_clean_failure(cf, lambda: call(cf, broken))


@settings(max_examples=60)
@given(data=st.data())
def test_wrong_input_type(cf: CaseFile, data: st.DataObject) -> None:
    ids = _ids(cf)
    _name, _valid, call = data.draw(st.sampled_from(_valid_inputs(ids)), label="service")
    junk = data.draw(st.one_of(st.none(), st.text(max_size=5), st.integers(), ALWAYS_BAD))
    _check_clean_failure(cf, lambda: call(cf, junk))


ID_SERVICES: list[Callable[[CaseFile, Any], Any]] = [
    lambda cf, x: reading.get_case(cf, x, today=TODAY),
    lambda cf, x: cases.add_casualty_update(cf, x, CasualtyInput(D(2026, 3, 20), 0, 0)),
    lambda cf, x: cases.remove_case(cf, x, expected_version=1),
    lambda cf, x: reply.record_reply(cf, x, D(2026, 4, 1), "文号", expected_version=1),
    lambda cf, x: parties.update_party(cf, x, PartyInput("个人", "某"), expected_version=1),
    lambda cf, x: team.remove_member(cf, x, expected_version=1),
    lambda cf, x: evidence.close_appraisal(cf, x, D(2026, 4, 1), "意见", expected_version=1),
    lambda cf, x: evidence.remove_attachment(cf, x),
    lambda cf, x: evidence.get_attachment_content(cf, x),
    lambda cf, x: findings.save_report_section(cf, 1, x, "正文"),
    lambda cf, x: evaluation.update_measure(
        cf, 1, MeasureInput("措施", "单位", D(2026, 4, 1)), expected_version=x
    ),
    lambda cf, x: reading.list_cases(cf, offset=x if not isinstance(x, int) else -1, today=TODAY),
]


@settings(max_examples=60)
@given(service=st.sampled_from(ID_SERVICES), bad=BAD_IDS)
def test_bad_ids(cf: CaseFile, service: Callable[[CaseFile, Any], Any], bad: Any) -> None:
    _check_clean_failure(cf, lambda: service(cf, bad))


@settings(max_examples=40)
@given(
    amount=st.one_of(
        st.decimals(max_value=Decimal("-0.01"), allow_nan=False, allow_infinity=False, places=2),
        st.decimals(min_value=Decimal("0"), max_value=Decimal("10"), places=3).filter(
            lambda d: d != d.quantize(Decimal("0.01"))
        ),
        st.floats(allow_nan=False, min_value=0, max_value=1e6),
    )
)
def test_bad_money(cf: CaseFile, amount: Any) -> None:
    incident = IncidentInput("案件", D(2026, 2, 1), "天门市", "建筑火灾", amount, Decimal("0"))
    _check_clean_failure(cf, lambda: cases.open_case(cf, incident, today=TODAY))


def test_stale_version_on_case_edit(cf: CaseFile) -> None:
    _check_clean_failure(
        cf, lambda: reply.record_closure(cf, 2, None, expected_version=1, today=TODAY)
    )
