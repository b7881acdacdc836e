"""Extensions of the investigation deadline (第十七条)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase import rules
from firecase.errors import FirecaseError, ValidationError
from firecase.services import _clock_inputs, _common as v, _derive, _reads, _views as views
from firecase.services._records import Kind, Values, _edit_guard, _need
from firecase.services.dto import (
    ExtensionInput,
    ExtensionView,
)
from firecase.services.permissions import Permission, requires
from firecase.store import CaseFile, models as m

MAX_EXTENSION_DAYS = 60  # 第十七条


def extension_approvers(case: m.Case) -> tuple[str, ...]:
    """The governments that may approve an extension of this case (第十七条: 人民政府)."""
    out = ["天门市人民政府"]
    if case.taken_over_by and case.taken_over_by not in out:
        out.append(case.taken_over_by)
    return tuple(out)


def _check_approver(case: m.Case, approver: str) -> None:
    allowed = extension_approvers(case)
    if approver in allowed or approver == "市人民政府":
        return
    raise ValidationError(
        f"延长调查期限须经人民政府批准（第十七条）：“{approver}”不是可批准的人民政府，"
        f"请选择{'或'.join(f'“{a}”' for a in allowed)}。",
        field="approved_by",
    )


def _due_without(s: Session, case: m.Case, own_id: int | None, today: dt.date) -> dt.date | None:
    """The investigation due date counting every other counted extension but this one."""
    from firecase.services.settings import read_settings

    inputs = _clock_inputs.clock_inputs(s, [case.id]).get(case.id, _clock_inputs.NO_CLOCK_INPUTS)
    own = s.get(m.Extension, own_id) if own_id is not None else None
    ext = inputs.extension_days
    counted = own is not None and own.approved_on is not None
    if own is not None and counted and (not own.approved_late or own.late_confirmed_on):
        ext -= own.days
    try:
        clock = rules.investigation_clock(
            case.fire_date,
            extension_days=max(ext, 0),
            appraisals=list(inputs.appraisals),
            calendar=_reads.stored_calendar(s),
            roll_to_workday=read_settings(s).roll_to_workday,
        )
    except FirecaseError:
        return None
    return clock.due


def _extension_values(own_id: int | None) -> Values:
    def values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
        _need(d, ExtensionInput, "延期申请")
        days = v.integer(d.days, "days", "延长天数", minimum=1, maximum=MAX_EXTENSION_DAYS)
        requested = v.date(d.requested_on, "requested_on", "申请日期")
        approved = v.opt_date(d.approved_on, "approved_on", "批准日期")
        v.not_before(requested, case.fire_date, "requested_on", "申请日期", "起火日期")
        v.not_before(approved, requested, "approved_on", "批准日期", "申请日期")
        approved_by = v.text(
            d.approved_by, "approved_by", "批准机关", required=approved is not None
        )
        late_ack = v.flag(d.late_ack, "late_ack", "逾期后批准")
        late = False
        if approved is not None:
            _check_approver(case, approved_by)
            others = sum(
                e.days
                for e in s.scalars(
                    select(m.Extension).where(
                        m.Extension.case_id == case.id, m.Extension.approved_on.is_not(None)
                    )
                )
                if e.id != own_id
            )
            if others + days > MAX_EXTENSION_DAYS:
                raise ValidationError(
                    f"延长期限累计不得超过{MAX_EXTENSION_DAYS}日（第十七条），"
                    f"已批准{others}日，本次最多{MAX_EXTENSION_DAYS - others}日。",
                    field="days",
                )
            due = _due_without(s, case, own_id, approved)
            if due is not None and approved > due:
                if not late_ack:
                    raise ValidationError(
                        f"批准日期（{approved.isoformat()}）晚于调查期限届满日"
                        f"（{due.isoformat()}）：延长应在调查期限内批准（第十七条），届满后的批准"
                        "不能使已逾期的期限恢复计算。如确系届满后批准，请勾选“逾期后批准”"
                        "如实登记，确认后才计入。",
                        field="approved_on",
                    )
                late = True
        return {
            "days": days,
            "requested_on": requested,
            "reason": v.long_text(d.reason, "reason", "延期理由", required=True),
            "approved_on": approved,
            "approved_by": approved_by,
            "approval_ref": v.text(
                d.approval_ref, "approval_ref", "批准文号", max_len=100, required=False
            ),
            "approved_late": late,
            "late_confirmed_by": "",
            "late_confirmed_on": None,
        }

    return values


@requires(Permission.RECORD_EXTENSION)
def confirm_late_extension(
    cf: CaseFile,
    extension_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> ExtensionView:
    """Confirm an extension approved after the period ran out: from now it counts (audited)."""
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        e = v.load(s, m.Extension, extension_id, "延期")
        v.check_version(e, expected_version, "延期")
        if not e.approved_late or e.approved_on is None:
            raise ValidationError("该延期不是逾期后批准的延期，无需确认。", field="id")
        if e.late_confirmed_on is not None:
            raise ValidationError("该逾期后批准的延期已确认。", field="id")
        case = v.load_case(s, e.case_id)
        _edit_guard(uow, case, e, override_reason, now)
        e.late_confirmed_by = uow.display_name or uow.actor
        e.late_confirmed_on = now
        s.flush()
        _derive.refresh_case(s, case, uow.actor, now)
        out = views.extension_view(e)
        uow.commit()
    return out


def _extension_out(s: Session, e: m.Extension) -> ExtensionView:
    return views.extension_view(e)


@requires(Permission.RECORD_EXTENSION)
def request_extension(
    cf: CaseFile,
    case_id: int,
    data: ExtensionInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> ExtensionView:
    """Record an extension (counted once ``approved_on`` is set; ≤60 days in all)."""
    return _EXTENSION.add(
        cf,
        case_id,
        data,
        actor,
        today,
        values=_extension_values(None),
        override_reason=override_reason,
    )


@requires(Permission.RECORD_EXTENSION)
def update_extension(
    cf: CaseFile,
    extension_id: int,
    data: ExtensionInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> ExtensionView:
    """Change an extension, e.g. record the government's approval."""
    return _EXTENSION.update(
        cf,
        extension_id,
        data,
        expected_version,
        actor,
        today,
        values=_extension_values(extension_id),
        override_reason=override_reason,
    )


@requires(Permission.RECORD_EXTENSION)
def remove_extension(
    cf: CaseFile,
    extension_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove an extension recorded in error."""
    return _EXTENSION.remove(
        cf, extension_id, expected_version, actor, today, override_reason=override_reason
    )


# The record kinds of this room (``_records.Kind``: add, update and remove in one place).
_EXTENSION = Kind(m.Extension, "延期", _extension_out)
