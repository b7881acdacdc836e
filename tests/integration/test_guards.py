"""The guards where the measures' sequence matters, on both backends.

Each guard refuses without a reason (``NeedsReasonError`` with the fact and the article), goes
on with one, and the reason is kept in ``guard_reasons`` and in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from firecase.errors import NeedsReasonError
from firecase.services import cases, evidence, guards, parties, reading, reply
from firecase.services.dto import AppraisalInput, IncidentInput, PartyInput
from firecase.store import CaseFile, open_case_file
from firecase.store.models import GuardReason

D = dt.date
TODAY = D(2026, 4, 30)


@pytest.fixture
def cf(case_url: str) -> Iterator[CaseFile]:
    with open_case_file(case_url, user="张警官") as opened:
        yield opened


def _case(cf: CaseFile) -> int:
    summary = cases.open_case(
        cf,
        IncidentInput(
            title="某商店火灾",
            fire_date=D(2026, 3, 1),
            place="天门市竟陵街道",
            fire_type="建筑火灾",
            property_loss_yuan=Decimal("100"),
            economic_loss_yuan=Decimal("600000"),
        ),
        today=D(2026, 3, 1),
    )
    return summary.id


def _ver(cf: CaseFile, case_id: int) -> int:
    return reading.get_case_summary(cf, case_id).version


def _appraisal(cf: CaseFile, case_id: int, opinion_on: dt.date | None = None) -> int:
    view = evidence.commission_appraisal(
        cf,
        case_id,
        AppraisalInput(
            kind="鉴定",
            subject="电气线路熔痕",
            agency="湖北省消防救援总队火灾物证鉴定中心",
            commissioned_on=D(2026, 3, 3),
            opinion_on=opinion_on,
            opinion="一次短路熔痕" if opinion_on else "",
        ),
        today=D(2026, 3, 3),
    )
    return view.id


def _reasons(cf: CaseFile) -> list[GuardReason]:
    with cf.unit_of_work() as uow:
        rows = list(uow.session.scalars(select(GuardReason).order_by(GuardReason.id)))
        uow.session.expunge_all()
    return rows


def _audited_reasons(cf: CaseFile) -> list[dict[str, str]]:
    with cf.connect() as conn:
        values = conn.execute(
            text(
                "SELECT new_value FROM audit_log WHERE entity = 'guard_reasons' "
                "AND action = 'insert' ORDER BY seq"
            )
        ).scalars()
        return [json.loads(v) for v in values]


def _submit(cf: CaseFile, case_id: int, reason: str = "") -> object:
    return reply.record_report_submitted(
        cf,
        case_id,
        D(2026, 4, 20),
        expected_version=_ver(cf, case_id),
        override_reason=reason,
        today=TODAY,
    )


# --------------------------------------------------------------------------------------------
# the report submitted while an appraisal is open (第十七条第二款)
# --------------------------------------------------------------------------------------------


def test_submission_with_an_open_appraisal_asks_and_names_it(cf: CaseFile) -> None:
    case_id = _case(cf)
    _appraisal(cf, case_id)
    with pytest.raises(NeedsReasonError) as caught:
        _submit(cf, case_id)
    exc = caught.value
    assert exc.guard == guards.OPEN_APPRAISAL
    assert exc.basis == "第十七条第二款"
    assert "鉴定“电气线路熔痕”尚未出具结论" in exc.message
    assert "第十七条第二款：检验、鉴定时间不计入调查期限" in exc.message
    assert "请填写理由" in exc.message
    assert reading.get_case_summary(cf, case_id).report_submitted_on is None
    assert _reasons(cf) == []


def test_submission_with_a_reason_goes_on_and_keeps_it(cf: CaseFile) -> None:
    case_id = _case(cf)
    _appraisal(cf, case_id)
    _submit(cf, case_id, "  政府要求先报送初步调查报告，鉴定结论出具后补充  ")
    assert reading.get_case_summary(cf, case_id).report_submitted_on == D(2026, 4, 20)
    [row] = _reasons(cf)
    assert row.guard == guards.OPEN_APPRAISAL
    assert row.case_id == case_id
    assert row.reason == "政府要求先报送初步调查报告，鉴定结论出具后补充"
    assert "电气线路熔痕" in row.question
    assert row.recorded_by == "张警官"
    assert row.recorded_on == TODAY
    [audited] = _audited_reasons(cf)
    assert audited["reason"] == row.reason
    assert audited["guard"] == guards.OPEN_APPRAISAL
    assert cf.verify_audit().ok


def test_an_opinion_out_before_submission_does_not_ask(cf: CaseFile) -> None:
    case_id = _case(cf)
    _appraisal(cf, case_id, opinion_on=D(2026, 4, 10))
    _submit(cf, case_id)
    assert _reasons(cf) == []


def test_an_opinion_dated_after_the_submission_still_asks(cf: CaseFile) -> None:
    case_id = _case(cf)
    _appraisal(cf, case_id, opinion_on=D(2026, 4, 25))
    with pytest.raises(NeedsReasonError, match="提交日期（2026-04-20）时鉴定“电气线路熔痕”"):
        _submit(cf, case_id)


def test_the_reason_can_come_from_around_the_call(cf: CaseFile) -> None:
    case_id = _case(cf)
    _appraisal(cf, case_id)
    with (
        guards.reasons_given({guards.EDIT_AFTER_REPLY: "别的理由"}),
        pytest.raises(NeedsReasonError),
    ):
        _submit(cf, case_id)
    with guards.reasons_given({guards.OPEN_APPRAISAL: "先行报送"}):
        _submit(cf, case_id)
    assert [r.reason for r in _reasons(cf)] == ["先行报送"]


# --------------------------------------------------------------------------------------------
# the 批复 before the report's receipt (第十九条)
# --------------------------------------------------------------------------------------------


def _reply(cf: CaseFile, case_id: int, reason: str = "") -> object:
    return reply.record_reply(
        cf,
        case_id,
        D(2026, 4, 28),
        "天政函〔2026〕12号",
        expected_version=_ver(cf, case_id),
        override_reason=reason,
        today=TODAY,
    )


def test_reply_before_the_receipt_asks(cf: CaseFile) -> None:
    case_id = _case(cf)
    _submit(cf, case_id)
    with pytest.raises(NeedsReasonError) as caught:
        _reply(cf, case_id)
    exc = caught.value
    assert exc.guard == guards.REPLY_BEFORE_RECEIPT
    assert exc.basis == "第十九条"
    assert "尚未登记人民政府收到调查报告的日期" in exc.message
    assert "第十九条：人民政府自收到火灾事故调查报告之日起15个工作日内做出批复" in exc.message
    assert reading.get_case_summary(cf, case_id).reply_on is None


def test_reply_without_a_report_at_all_says_so(cf: CaseFile) -> None:
    case_id = _case(cf)
    with pytest.raises(NeedsReasonError, match="尚未登记调查报告的提交日期和人民政府收到"):
        _reply(cf, case_id)


def test_reply_with_a_reason_goes_on_and_keeps_it(cf: CaseFile) -> None:
    case_id = _case(cf)
    _submit(cf, case_id)
    _reply(cf, case_id, "收文登记簿遗失，收到日期待核实后补录")
    assert reading.get_case_summary(cf, case_id).reply_on == D(2026, 4, 28)
    [row] = _reasons(cf)
    assert (row.guard, row.reason) == (
        guards.REPLY_BEFORE_RECEIPT,
        "收文登记簿遗失，收到日期待核实后补录",
    )
    assert [a["reason"] for a in _audited_reasons(cf)] == [row.reason]


def test_reply_after_the_receipt_does_not_ask(cf: CaseFile) -> None:
    case_id = _case(cf)
    _submit(cf, case_id)
    reply.record_report_received(
        cf, case_id, D(2026, 4, 21), expected_version=_ver(cf, case_id), today=TODAY
    )
    _reply(cf, case_id)
    assert _reasons(cf) == []


# --------------------------------------------------------------------------------------------
# records of a replied or closed case changed (第十九条)
# --------------------------------------------------------------------------------------------


def _replied(cf: CaseFile, *, closed: bool = False) -> int:
    case_id = _case(cf)
    _submit(cf, case_id)
    reply.record_report_received(
        cf, case_id, D(2026, 4, 21), expected_version=_ver(cf, case_id), today=TODAY
    )
    _reply(cf, case_id)
    if closed:
        reply.record_closure(
            cf, case_id, D(2026, 4, 29), expected_version=_ver(cf, case_id), today=TODAY
        )
    return case_id


def test_adding_a_party_after_the_reply_asks(cf: CaseFile) -> None:
    case_id = _replied(cf)
    with pytest.raises(NeedsReasonError) as caught:
        parties.add_party(cf, case_id, PartyInput(kind="个人", name="李某"), today=TODAY)
    exc = caught.value
    assert exc.guard == guards.EDIT_AFTER_REPLY
    assert "本案已于2026-04-28批复（第十九条" in exc.message
    assert "修改当事人" in exc.message
    assert reading.get_case(cf, case_id, today=TODAY).parties == ()


def test_a_closed_case_says_it_was_closed(cf: CaseFile) -> None:
    case_id = _replied(cf, closed=True)
    with pytest.raises(NeedsReasonError, match="已于2026-04-29结案"):
        parties.add_party(cf, case_id, PartyInput(kind="个人", name="李某"), today=TODAY)


def test_each_change_after_the_reply_keeps_the_reason(cf: CaseFile) -> None:
    case_id = _replied(cf)
    why = "复核发现漏登当事人"
    party = parties.add_party(
        cf, case_id, PartyInput(kind="个人", name="李某"), override_reason=why, today=TODAY
    )
    with pytest.raises(NeedsReasonError):  # the reason is for one call, not remembered
        parties.update_party(
            cf,
            party.id,
            PartyInput(kind="个人", name="李某某"),
            expected_version=party.version,
            today=TODAY,
        )
    party = parties.update_party(
        cf,
        party.id,
        PartyInput(kind="个人", name="李某某"),
        expected_version=party.version,
        override_reason=why,
        today=TODAY,
    )
    parties.remove_party(
        cf, party.id, expected_version=party.version, override_reason=why, today=TODAY
    )
    rows = _reasons(cf)
    assert [(r.guard, r.entity, r.entity_id, r.reason) for r in rows] == [
        (guards.EDIT_AFTER_REPLY, "parties", str(party.id), why)
    ] * 3
    assert [a["reason"] for a in _audited_reasons(cf)] == [why] * 3
    assert cf.verify_audit().ok


def test_case_level_edits_after_the_reply_ask(cf: CaseFile) -> None:
    case_id = _replied(cf)
    with pytest.raises(NeedsReasonError, match="修改案件信息"):
        reply.record_report_submitted(
            cf, case_id, D(2026, 4, 19), expected_version=_ver(cf, case_id), today=TODAY
        )
    reply.record_report_submitted(
        cf,
        case_id,
        D(2026, 4, 19),
        expected_version=_ver(cf, case_id),
        override_reason="提交日期录错",
        today=TODAY,
    )
    assert [r.reason for r in _reasons(cf)] == ["提交日期录错"]


def test_an_unchanged_save_after_the_reply_does_not_ask(cf: CaseFile) -> None:
    case_id = _replied(cf)
    reply.record_report_submitted(
        cf, case_id, D(2026, 4, 20), expected_version=_ver(cf, case_id), today=TODAY
    )
    assert _reasons(cf) == []


def test_the_steps_after_the_reply_do_not_ask(cf: CaseFile) -> None:
    case_id = _replied(cf)
    reply.record_closure(
        cf, case_id, D(2026, 4, 29), expected_version=_ver(cf, case_id), today=TODAY
    )
    reply.record_closure(cf, case_id, None, expected_version=_ver(cf, case_id), today=TODAY)
    assert _reasons(cf) == []


def test_removing_the_case_removes_its_reasons_audited(cf: CaseFile) -> None:
    case_id = _case(cf)
    _appraisal(cf, case_id)
    _submit(cf, case_id, "先行报送")
    cases.remove_case(cf, case_id, expected_version=_ver(cf, case_id))
    assert _reasons(cf) == []
    assert cf.verify_audit().ok
