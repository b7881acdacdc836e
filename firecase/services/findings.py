"""The investigation report: findings, causes, dissents and report sections."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase.errors import ValidationError
from firecase.services import _common as v, _views as views
from firecase.services._records import Kind, _edit_guard, _need, _ref
from firecase.services.dto import (
    CAUSE_KINDS,
    RESPONSIBILITY_AREAS,
    CauseInput,
    CauseView,
    DissentInput,
    DissentView,
    FindingInput,
    FindingView,
    ReportSectionView,
)
from firecase.services.permissions import Permission, requires
from firecase.store import CaseFile, models as m

# --------------------------------------------------------------------------------------------
# findings, causes, dissents, report sections
# --------------------------------------------------------------------------------------------


def _finding_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, FindingInput, "责任调查结论")
    return {
        "area": v.choice(d.area, "area", "责任类别（第十六条）", RESPONSIBILITY_AREAS),
        "subject": v.text(d.subject, "subject", "责任主体"),
        "text": v.long_text(d.text, "text", "调查结论", required=True),
        "party_id": _ref(s, m.Party, d.party_id, case, "party_id", "当事人"),
    }


@requires(Permission.RECORD)
def add_finding(
    cf: CaseFile,
    case_id: int,
    data: FindingInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> FindingView:
    """Record a responsibility finding in one of the four areas (第十六条)."""
    return _FINDING.add(cf, case_id, data, actor, today, override_reason=override_reason)


@requires(Permission.RECORD)
def update_finding(
    cf: CaseFile,
    finding_id: int,
    data: FindingInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> FindingView:
    """Change a finding."""
    return _FINDING.update(
        cf, finding_id, data, expected_version, actor, today, override_reason=override_reason
    )


@requires(Permission.RECORD)
def remove_finding(
    cf: CaseFile,
    finding_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove a finding."""
    return _FINDING.remove(
        cf, finding_id, expected_version, actor, today, override_reason=override_reason
    )


def _cause_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, CauseInput, "原因")
    return {
        "kind": v.choice(d.kind, "kind", "原因类别", CAUSE_KINDS),
        "text": v.long_text(d.text, "text", "原因", required=True),
    }


@requires(Permission.RECORD)
def add_cause(
    cf: CaseFile,
    case_id: int,
    data: CauseInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> CauseView:
    """Record a direct or indirect cause."""
    return _CAUSE.add(cf, case_id, data, actor, today, override_reason=override_reason)


@requires(Permission.RECORD)
def update_cause(
    cf: CaseFile,
    cause_id: int,
    data: CauseInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> CauseView:
    """Change a cause."""
    return _CAUSE.update(
        cf, cause_id, data, expected_version, actor, today, override_reason=override_reason
    )


@requires(Permission.RECORD)
def remove_cause(
    cf: CaseFile,
    cause_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove a cause."""
    return _CAUSE.remove(
        cf, cause_id, expected_version, actor, today, override_reason=override_reason
    )


def _dissent_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, DissentInput, "不同意见")
    on = v.date(d.recorded_on, "recorded_on", "记录日期")
    v.not_before(on, case.fire_date, "recorded_on", "记录日期", "起火日期")
    return {
        "member_id": _ref(s, m.TeamMember, d.member_id, case, "member_id", "提出意见的成员"),
        "recorded_on": on,
        "text": v.long_text(d.text, "text", "意见内容", required=True),
    }


@requires(Permission.RECORD)
def add_dissent(
    cf: CaseFile,
    case_id: int,
    data: DissentInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> DissentView:
    """Record a member's dissenting opinion by name and date."""
    return _DISSENT.add(cf, case_id, data, actor, today, override_reason=override_reason)


@requires(Permission.RECORD)
def update_dissent(
    cf: CaseFile,
    dissent_id: int,
    data: DissentInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> DissentView:
    """Change a dissenting opinion."""
    return _DISSENT.update(
        cf, dissent_id, data, expected_version, actor, today, override_reason=override_reason
    )


@requires(Permission.RECORD)
def remove_dissent(
    cf: CaseFile,
    dissent_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove a dissenting opinion."""
    return _DISSENT.remove(
        cf, dissent_id, expected_version, actor, today, override_reason=override_reason
    )


@requires(Permission.RECORD)
def save_report_section(
    cf: CaseFile,
    case_id: int,
    number: int,
    body: str,
    *,
    confidential: bool = False,
    expected_version: int | None = None,
    override_reason: str = "",
    actor: str | None = None,
) -> ReportSectionView:
    """Save one of the eight report sections (第十八条); ``expected_version`` None = first save."""
    n = v.integer(number, "number", "报告部分序号", minimum=1, maximum=8)
    text = v.long_text(body, "body", "报告内容")
    secret = v.flag(confidential, "confidential", "涉密（不公开）")
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        case = v.load_case(s, case_id)
        row = s.scalars(
            select(m.ReportSection).where(
                m.ReportSection.case_id == case.id, m.ReportSection.number == n
            )
        ).first()
        if row is None:
            if expected_version is not None:
                v.expect_version(expected_version)
                raise ValidationError("该部分尚未保存过，无需版本号。", field="version")
            row = m.ReportSection(case_id=case.id, number=n, body=text, confidential=secret)
            s.add(row)
            wording_changed = True
        else:
            if expected_version is None:
                raise ValidationError("该部分已由他人保存，请刷新后再编辑。", field="version")
            v.check_version(row, expected_version, "报告内容")
            wording_changed = row.body != text
            if wording_changed:
                row.body = text
            if row.confidential != secret:
                row.confidential = secret
        s.flush()
        if wording_changed:  # the confidential mark alone is the publication's (第二十一条)
            _edit_guard(uow, case, row, override_reason, v.today_or(None))
        out = views.section_view(n, row)
        uow.commit()
    return out


# The record kinds of this room (``_records.Kind``: add, update and remove in one place).
_FINDING = Kind(
    m.Finding, "责任调查结论", lambda s, f: views.finding_view(f), values=_finding_values
)
_CAUSE = Kind(m.Cause, "原因", lambda s, c: views.cause_view(c), values=_cause_values)
_DISSENT = Kind(m.Dissent, "不同意见", views.dissent_view, values=_dissent_values)
