"""Guards where the measures' sequence matters: ask, say why, and keep the officer's reason.

Three writes go against the order the measures set out, yet can be right (a late record, a
correction); FireCase neither forbids nor silently allows them:

* ``OPEN_APPRAISAL``: the investigation report submitted while a 检验/鉴定 is still open on the
  submission day (第十七条第二款: the appraisal time is not counted in the investigation period,
  so the report normally follows the opinion);
* ``REPLY_BEFORE_RECEIPT``: the government's 批复 recorded before the report's receipt
  (第十九条: the 批复 is made within 15 working days of receiving the report);
* ``EDIT_AFTER_REPLY``: a record of the investigation changed once the case was replied or
  closed (第十九条: the 批复 was made on the records as they were; 第十八条第二款: they are kept
  on file). The handling, publication, evaluation and rectification that follow the 批复 are
  not such edits.

The service raises ``NeedsReasonError`` (the explanation with the article) unless the call gives
a reason: ``override_reason=`` of the service call, or around any call ``reasons_given({guard:
reason})`` (what the GUI's retry uses, on the thread that runs the call). Then the write goes
on and a ``guard_reasons`` row (audited with the change, in the same transaction) keeps the
question, the reason, who and when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase.errors import NeedsReasonError
from firecase.services import _common as v
from firecase.store import models as m
from firecase.store.replay import LABELS

OPEN_APPRAISAL = "open_appraisal"
REPLY_BEFORE_RECEIPT = "reply_before_receipt"
EDIT_AFTER_REPLY = "edit_after_reply"

GUARDS: dict[str, str] = {
    OPEN_APPRAISAL: "检验鉴定尚未出具结论时提交调查报告",
    REPLY_BEFORE_RECEIPT: "登记收到报告之前登记批复",
    EDIT_AFTER_REPLY: "批复或结案后修改调查记录",
}
"""Guard → what was done out of sequence (Chinese, for lists and the audit view)."""

BASIS: dict[str, str] = {
    OPEN_APPRAISAL: "第十七条第二款",
    REPLY_BEFORE_RECEIPT: "第十九条",
    EDIT_AFTER_REPLY: "第十九条、第十八条第二款",
}

INVESTIGATION_TABLES = frozenset(
    {
        "cases",
        "casualty_updates",
        "parties",
        "team_members",
        "subgroups",
        "subgroup_members",
        "recusal_applications",
        "evidence_items",
        "custody_events",
        "attachments",
        "appraisals",
        "extensions",
        "findings",
        "causes",
        "dissents",
        "report_sections",
        "recommendations",
    }
)
"""The records of the investigation: changing one after the 批复 asks (``EDIT_AFTER_REPLY``)."""

_GIVEN: ContextVar[Mapping[str, str]] = ContextVar(
    "firecase_guard_reasons", default=MappingProxyType({})
)


@contextmanager
def reasons_given(reasons: Mapping[str, str]) -> Iterator[None]:
    """Within the block, the guards named in ``reasons`` go on with the reason given."""
    token = _GIVEN.set({**_GIVEN.get(), **reasons})
    try:
        yield
    finally:
        _GIVEN.reset(token)


def _reason(guard: str, override_reason: str) -> str:
    given = override_reason if isinstance(override_reason, str) else ""
    if not given.strip():
        given = _GIVEN.get().get(guard, "")
    return given.strip()


def ask(
    s: Session,
    case: m.Case,
    guard: str,
    question: str,
    override_reason: str,
    *,
    by: str,
    today: dt.date,
    entity: str = "cases",
    entity_id: object = "",
) -> None:
    """Refuse with ``NeedsReasonError(question)`` unless a reason was given; then record it."""
    reason = _reason(guard, override_reason)
    if not reason:
        raise NeedsReasonError(
            question + "如确需继续，请填写理由（记入审计记录）。",
            guard=guard,
            basis=BASIS[guard],
            field="override_reason",
        )
    s.add(
        m.GuardReason(
            case_id=case.id,
            guard=guard,
            entity=entity,
            entity_id=str(entity_id if entity_id is not None else ""),
            question=question,
            reason=v.long_text(reason, "override_reason", "理由", required=True),
            recorded_by=by[:64],
            recorded_on=today,
        )
    )


# --------------------------------------------------------------------------------------------
# the three checks
# --------------------------------------------------------------------------------------------


def open_appraisals(s: Session, case_id: int, day: dt.date) -> list[m.Appraisal]:
    """The appraisals commissioned by ``day`` whose opinion was not out on that day."""
    rows = s.scalars(
        select(m.Appraisal).where(m.Appraisal.case_id == case_id).order_by(m.Appraisal.id)
    )
    return [
        a for a in rows if a.commissioned_on <= day and (a.opinion_on is None or a.opinion_on > day)
    ]


def check_submission(
    s: Session,
    case: m.Case,
    submitted_on: dt.date,
    override_reason: str,
    *,
    by: str,
    today: dt.date,
) -> None:
    """The report submitted on ``submitted_on`` while an appraisal is open (第十七条第二款)."""
    still_open = open_appraisals(s, case.id, submitted_on)
    if not still_open:
        return
    named = "、".join(f"{a.kind}“{a.subject}”" for a in still_open)
    question = (
        f"提交日期（{submitted_on.isoformat()}）时{named}尚未出具结论"
        "（第十七条第二款：检验、鉴定时间不计入调查期限）：调查报告一般在检验、鉴定结论"
        "出具后提交。"
    )
    ask(s, case, OPEN_APPRAISAL, question, override_reason, by=by, today=today)


def check_reply(s: Session, case: m.Case, override_reason: str, *, by: str, today: dt.date) -> None:
    """The 批复 recorded while the report's receipt is not (第十九条)."""
    if case.report_received_on is not None:
        return
    missing = (
        "人民政府收到调查报告的日期"
        if case.report_submitted_on is not None
        else "调查报告的提交日期和人民政府收到调查报告的日期"
    )
    question = (
        f"尚未登记{missing}（第十九条：人民政府自收到火灾事故调查报告之日起15个工作日内"
        "做出批复）：批复应在收到报告之后登记，否则批复期限无从计算。"
    )
    ask(s, case, REPLY_BEFORE_RECEIPT, question, override_reason, by=by, today=today)


def check_edit(
    s: Session,
    case: m.Case,
    table: str,
    entity_id: object,
    override_reason: str,
    *,
    by: str,
    today: dt.date,
) -> None:
    """A record of the investigation (``table``) changed after the 批复 or the closure."""
    if case.reply_on is None or table not in INVESTIGATION_TABLES:
        return
    label = LABELS.get(table, "调查记录") if table != "cases" else "案件信息"
    closed = f"、已于{case.closed_on.isoformat()}结案" if case.closed_on is not None else ""
    question = (
        f"本案已于{case.reply_on.isoformat()}批复{closed}（第十九条：人民政府根据调查报告"
        f"做出批复）：此后修改{label}，案卷将与批复所依据的调查记录不一致"
        "（第十八条第二款：火灾事故调查的有关资料归档保存）。"
    )
    ask(
        s,
        case,
        EDIT_AFTER_REPLY,
        question,
        override_reason,
        by=by,
        today=today,
        entity=table,
        entity_id=entity_id,
    )
