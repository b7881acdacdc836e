"""After the 批复: the handling tasks of the departments (第二十条)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase.errors import ValidationError
from firecase.services import _common as v, _derive, _views as views, guards, recycle
from firecase.services._records import Kind, _need, _set_case_fields
from firecase.services.dto import (
    CaseSummary,
    HandlingTaskInput,
    HandlingTaskView,
)
from firecase.services.permissions import Permission, requires
from firecase.store import CaseFile, models as m


def _task_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, HandlingTaskInput, "处理任务")
    reported = v.opt_date(d.reported_on, "reported_on", "报送处理情况日期")
    filed = v.opt_date(d.filed_on, "filed_on", "备案日期")
    v.not_before(reported, case.reply_on, "reported_on", "报送处理情况日期", "批复日期")
    v.not_before(filed, reported, "filed_on", "备案日期", "报送处理情况日期")
    return {
        "department": v.text(d.department, "department", "责任部门"),
        "task": v.long_text(d.task, "task", "处理事项", required=True),
        "reported_on": reported,
        "filed_on": filed,
        "result": v.long_text(d.result, "result", "处理结果"),
    }


@requires(Permission.RECORD)
def add_handling_task(
    cf: CaseFile,
    case_id: int,
    data: HandlingTaskInput,
    *,
    actor: str | None = None,
    today: dt.date | None = None,
) -> HandlingTaskView:
    """Assign a department its handling after the 批复 (30-day clock, 第二十条)."""

    def values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
        if case.reply_on is None:
            raise ValidationError("政府批复后才能登记处理任务。", field="reply_on")
        return _task_values(s, case, d)

    return _HANDLING_TASK.add(cf, case_id, data, actor, today, values=values)


@requires(Permission.RECORD)
def update_handling_task(
    cf: CaseFile,
    task_id: int,
    data: HandlingTaskInput,
    *,
    expected_version: int,
    actor: str | None = None,
    today: dt.date | None = None,
) -> HandlingTaskView:
    """Change a handling task, e.g. record its report and 备案."""
    return _HANDLING_TASK.update(cf, task_id, data, expected_version, actor, today)


@requires(Permission.RECORD)
def remove_handling_task(
    cf: CaseFile,
    task_id: int,
    *,
    expected_version: int,
    reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int | None:
    """Remove a handling task.

    A task FireCase created on the 批复 for an acting authority named in the recommendations
    (第二十条) is not deleted: it is kept as removed, with who removed it, when and why, and its
    30-day clock stops (returns None). A task added by hand goes to the case's 回收站 (returns
    the entry's id).
    """
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        t = v.load(s, m.HandlingTask, task_id, "处理任务")
        v.check_version(t, expected_version, "处理任务")
        case = v.load_case(s, t.case_id)
        if t.source == TASK_FROM_RECOMMENDATION:
            if t.removed_on is not None:
                raise ValidationError("该处理任务已移除。", field="id")
            t.removed_on = now
            t.removed_by = uow.display_name or uow.actor
            t.removed_reason = v.long_text(reason, "removed_reason", "移除理由")
            entry_id = None
        else:
            summary = recycle.describe(t)
            with recycle.capture(s) as kept:
                s.delete(t)
                s.flush()
            by = uow.display_name or uow.actor
            entry_id = recycle.keep(
                s, case, t, label="处理任务", summary=summary, kept=kept, by=by
            ).id
        s.flush()
        _derive.refresh_case(s, case, uow.actor, now)
        uow.commit()
        return entry_id


TASK_FROM_RECOMMENDATION = "recommendation"
"""``HandlingTask.source`` of a task created on the 批复 from the recommendations."""


def create_handling_tasks(session: Session, case: m.Case) -> list[m.HandlingTask]:
    """On the 批复: one handling task per acting authority the recommendations name (第二十条).

    An authority that already has a task (added by hand, or created before) gets none; the
    task lists what the recommendations ask of it. Returns the tasks created.
    """
    recs = list(
        session.scalars(
            select(m.Recommendation)
            .where(m.Recommendation.case_id == case.id)
            .order_by(m.Recommendation.id)
        )
    )
    have = {
        t.department
        for t in session.scalars(select(m.HandlingTask).where(m.HandlingTask.case_id == case.id))
    }
    by_authority: dict[str, list[m.Recommendation]] = {}
    for r in recs:
        authority = r.authority.strip()
        if authority and authority not in have:
            by_authority.setdefault(authority, []).append(r)
    created = []
    for authority, items in by_authority.items():
        lines = [
            f"{i}. {r.target_name}：{r.kind}" + (f"（{r.basis}）" if r.basis else "")
            for i, r in enumerate(items, 1)
        ]
        task = m.HandlingTask(
            case_id=case.id,
            department=authority,
            task="按政府批复落实处理建议（第二十条）：\n" + "\n".join(lines),
            source=TASK_FROM_RECOMMENDATION,
        )
        session.add(task)
        created.append(task)
    session.flush()
    return created


# --------------------------------------------------------------------------------------------
# the report's submission, its receipt, the 批复 and the closure (moved from cases)
# --------------------------------------------------------------------------------------------


@requires(Permission.RECORD)
def record_report_submitted(
    cf: CaseFile,
    case_id: int,
    submitted_on: dt.date,
    *,
    signed_on: dt.date | None = None,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> CaseSummary:
    """Record the date the team submitted the report (stops the investigation clock) and the
    day it was signed (default: the submission day): the signature list is fixed to the team
    of that day (第十八条), so every reprint equals the signed original.

    While a 检验/鉴定 is open on the submission day it asks (``guards.OPEN_APPRAISAL``,
    第十七条第二款): ``NeedsReasonError`` unless ``override_reason`` is given."""
    now = v.today_or(today)
    on = v.date(submitted_on, "report_submitted_on", "报告提交日期")
    signed = v.opt_date(signed_on, "report_signed_on", "报告签署日期") or on
    v.not_before(on, signed, "report_signed_on", "报告提交日期", "报告签署日期")
    v.not_future(on, now, "report_submitted_on", "报告提交日期")
    return _set_case_fields(
        cf,
        case_id,
        {"report_submitted_on": on, "report_signed_on": signed},
        expected_version,
        actor,
        now,
        checks=[
            ("report_submitted_on", "报告提交日期", "fire_date", "起火日期"),
            ("report_signed_on", "报告签署日期", "fire_date", "起火日期"),
        ],
        override_reason=override_reason,
        sequence=lambda s, case, by: guards.check_submission(
            s, case, on, override_reason, by=by, today=now
        ),
    )


@requires(Permission.RECORD)
def record_report_received(
    cf: CaseFile,
    case_id: int,
    received_on: dt.date,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> CaseSummary:
    """Record the date the government received the report (starts the 15-working-day clock)."""
    now = v.today_or(today)
    on = v.date(received_on, "report_received_on", "政府收到报告日期")
    v.not_future(on, now, "report_received_on", "政府收到报告日期")
    return _set_case_fields(
        cf,
        case_id,
        {"report_received_on": on},
        expected_version,
        actor,
        now,
        checks=[
            ("report_received_on", "政府收到报告日期", "report_submitted_on", "报告提交日期"),
            ("report_received_on", "政府收到报告日期", "fire_date", "起火日期"),
        ],
        require=[("report_submitted_on", "请先登记报告提交日期。")],
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def record_reply(
    cf: CaseFile,
    case_id: int,
    reply_on: dt.date,
    reply_ref: str,
    reply_summary: str = "",
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> CaseSummary:
    """Record the government's 批复 (第十九条): starts handling (第二十条) and closure.

    Before the report's receipt is recorded it asks (``guards.REPLY_BEFORE_RECEIPT``:
    ``NeedsReasonError`` unless ``override_reason`` is given, then kept with the change)."""
    now = v.today_or(today)
    values = {
        "reply_on": v.not_future_date(reply_on, now, "reply_on", "批复日期"),
        "reply_ref": v.text(reply_ref, "reply_ref", "批复文号", max_len=100),
        "reply_summary": v.long_text(reply_summary, "reply_summary", "批复内容"),
    }
    return _set_case_fields(
        cf,
        case_id,
        values,
        expected_version,
        actor,
        now,
        checks=[("reply_on", "批复日期", "report_received_on", "政府收到报告日期")],
        after=create_handling_tasks,
        edit_guard=False,
        sequence=lambda s, case, by: guards.check_reply(s, case, override_reason, by=by, today=now),
    )


@requires(Permission.RECORD)
def record_closure(
    cf: CaseFile,
    case_id: int,
    closed_on: dt.date | None,
    *,
    expected_version: int,
    actor: str | None = None,
    today: dt.date | None = None,
) -> CaseSummary:
    """Record the closure date (结案); None clears it. Starts the evaluation year (第二十二条)."""
    now = v.today_or(today)
    on = v.opt_date(closed_on, "closed_on", "结案日期")
    v.not_future(on, now, "closed_on", "结案日期")
    return _set_case_fields(
        cf,
        case_id,
        {"closed_on": on},
        expected_version,
        actor,
        now,
        checks=[("closed_on", "结案日期", "reply_on", "批复日期")],
        require=[("reply_on", "请先登记政府批复。")] if on is not None else [],
        edit_guard=False,
    )


# The record kinds of this room (``_records.Kind``: add, update and remove in one place).
_HANDLING_TASK = Kind(
    m.HandlingTask, "处理任务", lambda s, t: views.task_view(t), values=_task_values
)
