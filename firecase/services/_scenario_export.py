"""Exporting an existing case as a scenario (``firecase scenario export``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from firecase.services import (
    guards,
)
from firecase.services._scenario_input import PARTY_KEYS
from firecase.services._scenario_records import _export_confidential
from firecase.services.dto import (
    RESPONSIBILITY_AREAS,
    CaseDetail,
)

# --------------------------------------------------------------------------------------------
# export: an existing case as a scenario
# --------------------------------------------------------------------------------------------


def export_scenario(d: CaseDetail, *, roll_to_workday: bool = True) -> dict[str, Any]:
    """The scenario that builds ``d`` again (the same output when run on ``d.today``)."""
    c = d.case
    iso: Callable[[dt.date | None], str | None] = lambda x: x.isoformat() if x else None  # noqa: E731
    areas = {a: i for i, a in enumerate(RESPONSIBILITY_AREAS, 1)}
    members = {x.id: x.name for x in d.members}
    out: dict[str, Any] = {
        "today": d.today.isoformat(),
        "settings": {"roll_to_workday": roll_to_workday},
        "fire": {
            "date": c.fire_date.isoformat(),
            "time": c.fire_time,
            "title": c.title,
            "place": c.place,
            "address": c.address,
            "unit": c.unit_name,
            "type": c.fire_type,
            "property_loss_yuan": str(c.property_loss_yuan),
            "economic_loss_yuan": str(c.economic_loss_yuan),
            "households": c.households_affected,
            "summary": c.summary,
            **({"burned_area_m2": f"{c.burned_area_m2:f}"} if c.burned_area_m2 is not None else {}),
            **({"nature": c.nature} if c.nature else {}),
        },
        "casualties": [
            {
                "as_of": iso(u.as_of or u.recorded_on),
                "recorded_on": iso(u.recorded_on),
                "deaths": u.deaths,
                "serious_injuries": u.serious_injuries,
                "minor_injuries": u.minor_injuries,
                "note": u.note,
            }
            for u in d.casualty_updates
        ],
    }
    if d.inclusion is not None:
        j = d.inclusion.judgement
        judgements = []
        if j.social_impact:
            judgements.append(
                {
                    "clause": 3,
                    "decided_by": j.social_impact_by,
                    "decided_on": iso(j.social_impact_on),
                    "reason": j.social_impact_reason,
                }
            )
        if j.deemed_necessary:
            judgements.append(
                {
                    "clause": 4,
                    "decided_by": j.deemed_by,
                    "decided_on": iso(j.deemed_on),
                    "reason": j.deemed_reason,
                }
            )
        if judgements:
            out["judgements"] = judgements
    if c.taken_over_on is not None:
        out["takeover"] = {"by": c.taken_over_by, "on": iso(c.taken_over_on)}
    if d.members or c.team_formed_on:
        out["team"] = {
            "formed_on": iso(c.team_formed_on),
            "authorised_fire_agency": c.team_authorised_fire_agency,
            **({"document_no": c.team_document_no} if c.team_document_no else {}),
            **({"formed_by": c.team_formed_by} if c.team_formed_by else {}),
            "members": [
                {
                    "name": x.name,
                    "organisation": x.organisation,
                    "body": x.body,
                    "role": x.role,
                    "title": x.title,
                    "joined_on": iso(x.joined_on),
                    "relatives": _export_relatives(x),
                }
                for x in d.members
            ],
        }
    if d.parties:
        out["parties"] = [
            {
                "name": p.name,
                "kind": PARTY_KEYS.get(p.kind, "person"),
                "role": p.role,
                "organisation": p.organisation,
                "relatives": _export_relatives(p),
            }
            for p in d.parties
        ]
    if d.persons:
        out["persons"] = [
            {
                k: val
                for k, val in (
                    ("name", x.name),
                    ("role", x.role),
                    ("sex", x.sex),
                    ("age", x.age),
                    ("id_no", x.id_no),
                    ("phone", x.phone),
                    ("note", x.note),
                )
                if val not in ("", None)
            }
            for x in d.persons
        ]
    parties = {p.id: p.name for p in d.parties}
    if d.recusals:
        out["recusals"] = [
            {
                "member": members.get(r.member_id, r.member_name),
                "applicant": r.applicant,
                "applicant_kind": r.applicant_kind,
                "ground": r.ground,
                "reason": r.reason,
                "party": parties.get(r.party_id) if r.party_id is not None else None,
                "applied_on": iso(r.applied_on),
                **(
                    {
                        "decision": r.decision,
                        "decided_by": r.decided_by,
                        "decided_on": iso(r.decided_on),
                        "decision_reason": r.decision_reason,
                    }
                    if r.decision
                    else {}
                ),
            }
            for r in d.recusals
        ]
    if d.appraisals:
        out["appraisals"] = [
            {
                "kind": a.kind,
                "subject": a.subject,
                "agency": a.agency,
                "commissioned_on": iso(a.commissioned_on),
                "opinion_on": iso(a.opinion_on),
                "opinion": a.opinion,
            }
            for a in d.appraisals
        ]
    if d.extensions:
        out["extensions"] = [
            {
                "days": e.days,
                "requested_on": iso(e.requested_on),
                "reason": e.reason,
                "approved_by": e.approved_by,
                "approved_on": iso(e.approved_on),
                "ref": e.approval_ref,
                "late": e.approved_late,
                "confirmed_on": iso(e.late_confirmed_on),
            }
            for e in d.extensions
        ]
    report = {
        "submitted_on": iso(c.report_submitted_on),
        "signed_on": iso(c.report_signed_on),
        "received_on": iso(c.report_received_on),
    }
    given = {r.guard: r.reason for r in d.guard_reasons if r.entity == "cases"}
    if any(report.values()):
        out["report"] = report
        if guards.OPEN_APPRAISAL in given:
            report["reason"] = given[guards.OPEN_APPRAISAL]
    if c.reply_on is not None:
        out["reply"] = {"on": iso(c.reply_on), "ref": c.reply_ref, "summary": c.reply_summary}
        if guards.REPLY_BEFORE_RECEIPT in given:
            out["reply"]["reason"] = given[guards.REPLY_BEFORE_RECEIPT]
    if d.recommendations:
        out["recommendations"] = [
            {
                "target": r.target_name,
                "target_kind": r.target_kind,
                "area": areas.get(r.area, 1),
                "kind": r.kind,
                "text": r.text,
                "basis": r.basis,
                "authority": r.authority,
            }
            for r in d.recommendations
        ]
    if d.handling_tasks:
        out["handling"] = [
            {
                "authority": t.department,
                "task": t.task,
                "reported_on": iso(t.reported_on),
                "filed_on": iso(t.filed_on),
                "result": t.result,
                "removed": t.removed_on is not None,
                "reason": t.removed_reason,
            }
            for t in d.handling_tasks
        ]
    sections = {str(s.number): s.body for s in d.report_sections if s.body}
    if sections:
        out["sections"] = sections
    if d.findings:
        out["findings"] = [
            {"area": areas.get(f.area, 1), "target": f.subject, "text": f.text} for f in d.findings
        ]
    direct = [x.text for x in d.causes if x.kind == "直接原因"]
    indirect = [x.text for x in d.causes if x.kind == "间接原因"]
    if direct or indirect:
        out["causes"] = {"direct": "\n".join(direct) or None, "indirect": indirect}
    if d.measures:
        out["measures"] = [
            {
                "text": x.text,
                "unit": x.responsible,
                "set_on": iso(x.set_on),
                "deadline": iso(x.deadline),
                "done_on": iso(x.done_on),
                "status": x.status,
            }
            for x in d.measures
        ]
    confidential = _export_confidential(d)
    if confidential:
        out["confidential"] = confidential
    if c.closed_on is not None:
        out["closed_on"] = iso(c.closed_on)
    return out


def _export_relatives(x: Any) -> list[dict[str, str]]:
    detail = getattr(x, "relatives_detail", ())
    if detail:
        return [{"name": r.name, "relation": r.relation} for r in detail]
    return [{"name": name, "relation": ""} for name in x.relatives]
