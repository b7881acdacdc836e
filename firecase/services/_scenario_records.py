"""Entering a scenario: the records of the investigation (appraisals, evidence and the
report, extensions, milestones, handling)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from firecase.services import (
    deadlines,
    evaluation,
    evidence,
    findings,
    publication,
    reading,
    recommendations,
    reply as reply_svc,
)
from firecase.services._scenario_case import _ver
from firecase.services._scenario_input import ACTOR, ScenarioError, _at, _In
from firecase.services.dto import (
    REPORT_SECTION_TITLES,
    RESPONSIBILITY_AREAS,
    AppraisalInput,
    CauseInput,
    ExtensionInput,
    FindingInput,
    MeasureInput,
    RecommendationInput,
)
from firecase.store import CaseFile


def _appraisals(cf: CaseFile, case_id: int, root: _In, today: dt.date) -> None:
    for a in root.items("appraisals"):
        a.only({"kind", "subject", "agency", "commissioned_on", "opinion_on", "opinion"})
        opinion_on = a.date("opinion_on", required=False)
        with _at(a.path):
            evidence.commission_appraisal(
                cf,
                case_id,
                AppraisalInput(
                    kind=a.text("kind", "鉴定"),
                    subject=a.text("subject", "检验鉴定"),
                    agency=a.text("agency", "鉴定机构"),
                    commissioned_on=a.need_date("commissioned_on"),
                    opinion_on=opinion_on,
                    opinion=a.text("opinion", "已出具意见" if opinion_on else ""),
                ),
                actor=ACTOR,
                today=today,
            )


def _evidence_of_report(cf: CaseFile, case_id: int, root: _In, today: dt.date) -> None:
    """Report sections, findings, causes, recommendations and measures (before the 批复)."""
    sections = root.obj("sections")
    confidential = root.obj("confidential")
    secret_sections: set[int] = set()
    if confidential is not None:
        confidential.only({"sections", "fields", "names", "records"})
        raw = confidential.raw("sections") or []
        if not isinstance(raw, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 9 for n in raw
        ):
            raise confidential.fail("sections", "应为报告部分序号（1–9）的列表，如 [6]")
        secret_sections = set(raw)
        names = confidential.raw("names") or []
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise confidential.fail("names", '应为姓名的列表，如 ["胡小兵"]')
    if sections is not None:
        sections.only({str(n) for n in range(1, len(REPORT_SECTION_TITLES) + 1)})
    if 9 in secret_sections:  # 事故处理情况 is no report section: withheld as a part
        with _at("confidential.sections"):
            publication.set_redaction(
                cf, case_id, "section:9", True, "依法不予公开（第二十一条）", actor=ACTOR
            )
    for n in range(1, len(REPORT_SECTION_TITLES) + 1):
        body = sections.text(str(n), "") if sections is not None else ""
        if body or n in secret_sections:
            with _at(f"sections.{n}"):
                findings.save_report_section(
                    cf, case_id, n, body, confidential=n in secret_sections, actor=ACTOR
                )
    for f in root.items("findings"):
        f.only({"area", "target", "text"})
        with _at(f.path):
            findings.add_finding(
                cf,
                case_id,
                FindingInput(area=_area(f), subject=f.text("target"), text=f.text("text")),
                actor=ACTOR,
                today=today,
            )
    causes = root.obj("causes")
    if causes is not None:
        causes.only({"direct", "indirect"})
        texts = [("直接原因", causes.text("direct"))] if causes.has("direct") else []
        indirect = causes.raw("indirect") or []
        if not isinstance(indirect, list) or not all(isinstance(t, str) for t in indirect):
            raise causes.fail("indirect", "应为字符串列表")
        texts += [("间接原因", t) for t in indirect]
        for kind, text in texts:
            with _at("causes"):
                findings.add_cause(cf, case_id, CauseInput(kind=kind, text=text), actor=ACTOR)
    for r in root.items("recommendations"):
        r.only({"target", "target_kind", "area", "kind", "text", "basis", "authority"})
        with _at(r.path):
            recommendations.add_recommendation(
                cf,
                case_id,
                RecommendationInput(
                    target_kind=r.text("target_kind", "个人"),
                    target_name=r.text("target"),
                    area=_area(r),
                    kind=r.text("kind"),
                    basis=r.text("basis", ""),
                    authority=r.text("authority"),
                    text=r.text("text", ""),
                ),
                actor=ACTOR,
                today=today,
            )
    proposed_on = _measures_set_on(root, today)
    for x in root.items("measures"):
        x.only({"text", "unit", "set_on", "deadline", "done_on", "status"})
        with _at(x.path):
            evaluation.add_measure(
                cf,
                case_id,
                MeasureInput(
                    text=x.text("text"),
                    responsible=x.text("unit"),
                    set_on=_measure_set_on(x, proposed_on),
                    deadline=x.date("deadline", required=False),
                    done_on=x.date("done_on", required=False),
                    status=x.text("status", "未落实"),
                ),
                actor=ACTOR,
                today=today,
            )
    if confidential is not None:
        fields = confidential.raw("fields") or []
        if not isinstance(fields, list) or not all(isinstance(k, str) for k in fields):
            raise confidential.fail("fields", '应为字段名的列表，如 ["unit_name"]')
        records = confidential.raw("records") or []
        if not isinstance(records, list) or not all(isinstance(k, str) for k in records):
            raise confidential.fail("records", '应为记录的列表，如 ["recommendation:1"]')
        names = confidential.raw("names") or []
        withheld = [
            ("confidential.fields", k if "." in k or ":" in k else f"case.{k}", "依法不予公开")
            for k in fields
        ]
        withheld += [("confidential.names", f"name:{n.strip()}", "姓名依法不予公开") for n in names]
        for where, key, reason in withheld:
            with _at(where):
                publication.set_redaction(
                    cf, case_id, key, True, f"{reason}（第二十一条）", actor=ACTOR, today=today
                )
        for key in records:
            with _at("confidential.records"):
                publication.set_redaction(
                    cf,
                    case_id,
                    _record_key(cf, case_id, key),
                    True,
                    "依法不予公开（第二十一条）",
                    actor=ACTOR,
                    today=today,
                )


_RECORD_KINDS = {
    "cause": "causes",
    "finding": "findings",
    "recommendation": "recommendations",
    "measure": "measures",
    "evidence": "evidence",
    "dissent": "dissents",
    "task": "handling_tasks",
}

_RECORD_NAMES = {
    "cause": "起火原因",
    "finding": "责任认定",
    "recommendation": "处理建议",
    "measure": "整改措施",
    "evidence": "证据",
    "dissent": "不同意见",
    "task": "处理任务",
}


def _measures_set_on(root: _In, today: dt.date) -> dt.date:
    """The day a measure without ``set_on`` was proposed: the report proposes the measures
    (第十八条第七项), so the day it was submitted, else received, else the 批复's date, else the
    scenario's today; never the day of the fire (a 限期整改通知书 was dated then)."""
    reply, report = root.obj("reply"), root.obj("report")
    for part, key in ((report, "submitted_on"), (report, "received_on"), (reply, "on")):
        day = part.date(key, required=False) if part is not None else None
        if day is not None:
            return day
    return today


def _measure_set_on(x: _In, proposed_on: dt.date) -> dt.date:
    """``set_on`` as given, else ``proposed_on`` unless the measure was due or done before it
    (then the scenario must say when it was set: any day guessed would be wrong)."""
    given = x.date("set_on", required=False)
    if given is not None:
        return given
    earliest = min(
        (d for d in (x.date("deadline", required=False), x.date("done_on", required=False)) if d),
        default=None,
    )
    if earliest is not None and earliest < proposed_on:
        raise x.fail(
            "set_on",
            f"整改期限或完成日期（{earliest.isoformat()}）早于调查报告提出整改措施的日期"
            f"（{proposed_on.isoformat()}），请写明该措施的提出日期",
        )
    return proposed_on


def _record_key(cf: CaseFile, case_id: int, key: str) -> str:
    """A scenario's "recommendation:2" (the second recommendation, in the order entered) as
    the stored key of that record ("recommendation:<id>")."""
    kind, _, number = key.partition(":")
    if kind not in _RECORD_KINDS or not number.isdigit():
        raise ScenarioError(
            f"confidential.records：“{key}”应为“类别:序号”，类别为 "
            + "、".join(_RECORD_KINDS)
            + "，如 recommendation:1",
            field="confidential.records",
        )
    records = getattr(reading.get_case(cf, case_id), _RECORD_KINDS[kind])
    if not 1 <= int(number) <= len(records):
        raise ScenarioError(
            f"confidential.records：没有第{number}条{_RECORD_NAMES[kind]}（{kind}）。",
            field="confidential.records",
        )
    return f"{kind}:{records[int(number) - 1].id}"


def _export_confidential(d: Any) -> dict[str, Any]:
    """The ``confidential`` key of an exported scenario (record ids as positions)."""
    secret = [s.number for s in d.report_sections if s.confidential]
    fields: list[str] = []
    names: list[str] = []
    records: list[str] = []
    parties = {p.id: p.name for p in d.parties}
    positions: dict[str, int] = {}
    for kind, attr in _RECORD_KINDS.items():
        for i, x in enumerate(getattr(d, attr), 1):
            positions[f"{kind}:{x.id}"] = i
    for r in d.publication.redactions:
        key = r.field_key
        if key.startswith("case."):
            fields.append(key.removeprefix("case."))
        elif key == "section:9" or (key.startswith("section:") and int(key[8:]) not in secret):
            secret.append(int(key[8:]))
        elif key.startswith("name:"):
            names.append(key.removeprefix("name:"))
        elif key.startswith("party:") and key.endswith(".name"):
            pid = int(key[len("party:") : -len(".name")])
            if pid in parties:
                names.append(parties[pid])
        elif key in positions:
            records.append(f"{key.partition(':')[0]}:{positions[key]}")
    out: dict[str, Any] = {}
    if secret:
        out["sections"] = sorted(set(secret))
    if fields:
        out["fields"] = fields
    if names:
        out["names"] = names
    if records:
        out["records"] = records
    return out


def _area(item: _In) -> str:
    area = item.integer("area")
    if not 1 <= area <= len(RESPONSIBILITY_AREAS):
        raise item.fail("area", "应为 1–4（第十六条第一项至第四项）")
    return RESPONSIBILITY_AREAS[area - 1]


def _extensions(cf: CaseFile, case_id: int, root: _In, today: dt.date) -> None:
    for e in root.items("extensions"):
        e.only(
            {
                "days",
                "requested_on",
                "reason",
                "approved_by",
                "approved_on",
                "ref",
                "late",
                "confirmed_on",
            }
        )
        approved = e.date("approved_on", required=False)
        confirmed = e.date("confirmed_on", required=False)
        with _at(e.path):
            view = deadlines.request_extension(
                cf,
                case_id,
                ExtensionInput(
                    days=e.integer("days"),
                    requested_on=e.date("requested_on", required=False) or approved or today,
                    reason=e.text("reason", "情况复杂疑难"),
                    approved_on=approved,
                    approved_by=e.text("approved_by", ""),
                    approval_ref=e.text("ref", ""),
                    late_ack=e.flag("late"),
                ),
                actor=ACTOR,
                today=today,
            )
            if confirmed is not None:
                if confirmed > today:
                    raise e.fail("confirmed_on", f"确认日期晚于场景的今天（{today.isoformat()}）")
                deadlines.confirm_late_extension(
                    cf, view.id, expected_version=view.version, actor=ACTOR, today=confirmed
                )


def _milestones(cf: CaseFile, case_id: int, root: _In, today: dt.date) -> None:
    report = root.obj("report")
    if report is not None:
        report.only({"submitted_on", "signed_on", "received_on", "reason"})
        submitted = report.date("submitted_on", required=False)
        if submitted is not None:
            with _at(
                "report",
                {
                    "report_submitted_on": "submitted_on",
                    "report_signed_on": "signed_on",
                    "override_reason": "reason",
                },
            ):
                reply_svc.record_report_submitted(
                    cf,
                    case_id,
                    submitted,
                    signed_on=report.date("signed_on", required=False),
                    expected_version=_ver(cf, case_id),
                    override_reason=report.text("reason", ""),
                    actor=ACTOR,
                    today=today,
                )
        received = report.date("received_on", required=False)
        if received is not None:
            with _at("report", {"report_received_on": "received_on"}):
                reply_svc.record_report_received(
                    cf,
                    case_id,
                    received,
                    expected_version=_ver(cf, case_id),
                    actor=ACTOR,
                    today=today,
                )
    reply = root.obj("reply")
    if reply is not None:
        reply.only({"on", "ref", "summary", "reason"})
        with _at(
            "reply",
            {
                "reply_on": "on",
                "reply_ref": "ref",
                "reply_summary": "summary",
                "override_reason": "reason",
            },
        ):
            reply_svc.record_reply(
                cf,
                case_id,
                reply.need_date("on"),
                reply.text("ref", "批复"),
                reply.text("summary", ""),
                expected_version=_ver(cf, case_id),
                override_reason=reply.text("reason", ""),
                actor=ACTOR,
                today=today,
            )
    _handling(cf, case_id, root, today)
    closed = root.date("closed_on", required=False)
    if closed is not None:
        with _at("closed_on"):
            reply_svc.record_closure(
                cf, case_id, closed, expected_version=_ver(cf, case_id), actor=ACTOR, today=today
            )


def _handling(cf: CaseFile, case_id: int, root: _In, today: dt.date) -> None:
    """``handling``: the handling tasks' reports and 备案 (by authority), tasks added by hand,
    and tasks removed (beyond the base format; ``scenario export`` writes it)."""
    from firecase.services.dto import HandlingTaskInput

    for h in root.items("handling"):
        h.only({"authority", "task", "reported_on", "filed_on", "result", "removed", "reason"})
        authority = h.text("authority")
        detail = reading.get_case(cf, case_id, today=today)
        task = next(
            (t for t in detail.handling_tasks if t.department == authority and not t.removed_on),
            None,
        )
        values = HandlingTaskInput(
            department=authority,
            task=h.text("task", task.task if task else "按政府批复处理"),
            reported_on=h.date("reported_on", required=False),
            filed_on=h.date("filed_on", required=False),
            result=h.text("result", ""),
        )
        with _at(h.path):
            if task is None:
                task = reply_svc.add_handling_task(cf, case_id, values, actor=ACTOR, today=today)
            else:
                task = reply_svc.update_handling_task(
                    cf, task.id, values, expected_version=task.version, actor=ACTOR, today=today
                )
            if h.flag("removed"):
                reply_svc.remove_handling_task(
                    cf,
                    task.id,
                    expected_version=task.version,
                    reason=h.text("reason", ""),
                    actor=ACTOR,
                    today=today,
                )
