"""A whole case as the workspace shows it (``CaseDetail``), read inside an open unit of
work."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase import rules
from firecase.services import _clocks, _judgement, _team_checks
from firecase.services._reads import settings_view, standards_of, stored_settings
from firecase.services._views import (
    appraisal_view,
    attachment_view,
    case_summary,
    casualty_view,
    cause_view,
    dissent_view,
    evaluation_item_view,
    evaluation_view,
    evidence_children,
    evidence_view,
    extension_view,
    finding_view,
    grade_view,
    items_recommendation_ids,
    measure_view,
    member_view,
    party_view,
    person_view,
    publication_view,
    recommendation_view,
    recusal_view,
    section_view,
    subgroup_view,
    task_view,
)
from firecase.services.dto import (
    CaseDetail,
    CaseWarningView,
    DutiesView,
    GuardReasonView,
)
from firecase.store import models as m


def _all(session: Session, model: type[m.Base], case_id: int) -> list[m.Base]:
    return list(
        session.scalars(
            select(model).where(model.case_id == case_id).order_by(model.id)  # type: ignore[attr-defined]
        )
    )


def detail(session: Session, c: m.Case, today: dt.date) -> CaseDetail:
    """Everything a case workspace shows."""
    # each row read once (one round trip each to a server): the settings serve the grade
    # standards and the clocks' roll-over, the newest inclusion decision the assessment and
    # the view, the sub-group links the groups and the team's warnings
    updates = _judgement.casualty_rows(session, c.id)
    settings = stored_settings(session)
    inc = _judgement.latest_inclusion(session, c.id)
    assessed = _assessed(session, c, updates, inc, standards_of(settings))
    grades = [
        grade_view(g)
        for g in session.scalars(
            select(m.GradeDecisionRow)
            .where(m.GradeDecisionRow.case_id == c.id)
            .order_by(m.GradeDecisionRow.id)
        )
    ]
    members, groups = _team_checks.team_rows(session, c.id)
    links = _team_checks.member_links(session, groups)
    in_group: dict[int, list[int]] = {}
    for member_id, group_ids in links.items():
        for group_id in group_ids:
            in_group.setdefault(group_id, []).append(member_id)
    parties = [p for p in _all(session, m.Party, c.id) if isinstance(p, m.Party)]
    sections = {
        s.number: s
        for s in session.scalars(select(m.ReportSection).where(m.ReportSection.case_id == c.id))
    }
    evaluation = session.scalars(select(m.Evaluation).where(m.Evaluation.case_id == c.id)).first()
    case_files = list(
        session.scalars(
            select(m.Attachment).where(m.Attachment.case_id == c.id).order_by(m.Attachment.id)
        )
    )
    custody, files = evidence_children(session, c.id, case_files)
    items = [i for i in _all(session, m.EvaluationItem, c.id) if isinstance(i, m.EvaluationItem)]
    linked = items_recommendation_ids(session, [i.id for i in items])
    return CaseDetail(
        case=case_summary(c),
        casualty_updates=tuple(casualty_view(u) for u in updates),
        deaths=assessed["deaths"],
        serious_injuries=assessed["serious_injuries"],
        grade_decision=grades[-1] if grades else None,
        grade_history=tuple(grades),
        inclusion=_judgement.inclusion_view(inc) if inc is not None else None,
        scope=_judgement.scope_view(c.fire_type),
        jurisdiction=assessed["jurisdiction"],
        escalation=assessed["escalation"],
        parties=tuple(party_view(p) for p in parties),
        members=tuple(member_view(x, today) for x in members),
        subgroups=tuple(
            subgroup_view(session, g, tuple(sorted(in_group.get(g.id, ())))) for g in groups
        ),
        team_warnings=tuple(
            _team_checks.team_warnings(
                session,
                members,
                groups,
                today,
                links,
                authorised_fire_agency=bool(c.team_authorised_fire_agency),
            )
        ),
        recusals=tuple(
            recusal_view(session, r)
            for r in _all(session, m.RecusalApplication, c.id)
            if isinstance(r, m.RecusalApplication)
        ),
        recusal_flags=tuple(_team_checks.recusal_flags(members, parties, today)),
        evidence=tuple(
            evidence_view(session, e, custody.get(e.id, []), files.get(e.id, []))
            for e in _all(session, m.EvidenceItem, c.id)
            if isinstance(e, m.EvidenceItem)
        ),
        attachments=tuple(attachment_view(a) for a in case_files),
        appraisals=tuple(
            appraisal_view(a)
            for a in _all(session, m.Appraisal, c.id)
            if isinstance(a, m.Appraisal)
        ),
        extensions=tuple(
            extension_view(e)
            for e in _all(session, m.Extension, c.id)
            if isinstance(e, m.Extension)
        ),
        findings=tuple(
            finding_view(f) for f in _all(session, m.Finding, c.id) if isinstance(f, m.Finding)
        ),
        causes=tuple(cause_view(x) for x in _all(session, m.Cause, c.id) if isinstance(x, m.Cause)),
        dissents=tuple(
            dissent_view(session, d)
            for d in _all(session, m.Dissent, c.id)
            if isinstance(d, m.Dissent)
        ),
        report_sections=tuple(section_view(n, sections.get(n)) for n in range(1, 9)),
        recommendations=tuple(
            recommendation_view(r)
            for r in _all(session, m.Recommendation, c.id)
            if isinstance(r, m.Recommendation)
        ),
        handling_tasks=tuple(
            task_view(t)
            for t in _all(session, m.HandlingTask, c.id)
            if isinstance(t, m.HandlingTask)
        ),
        publication=publication_view(session, c.id),
        evaluation=evaluation_view(evaluation) if evaluation is not None else None,
        evaluation_open=_clocks.evaluation_open(
            c.grade, c.jurisdiction_grade, begun=evaluation is not None
        ),
        evaluation_items=tuple(
            evaluation_item_view(i, session, linked.get(i.id, ())) for i in items
        ),
        measures=tuple(
            measure_view(x)
            for x in _all(session, m.RectificationMeasure, c.id)
            if isinstance(x, m.RectificationMeasure)
        ),
        clocks=tuple(
            x
            for x in _clocks.case_clocks(
                session, c, today, roll=settings_view(settings).roll_to_workday
            )
            if x.label != _clocks.ESCALATION_LABEL
        ),
        today=today,
        counted_note=assessed["counted_note"],
        recorded_deaths=assessed["recorded_deaths"],
        jurisdiction_grade=assessed["jurisdiction_grade"],
        jurisdiction_authority=assessed["jurisdiction_authority"],
        duties=assessed["duties"],
        warnings=assessed["warnings"],
        other_grades=assessed["other_grades"],
        assessment_error=assessed["error"],
        grade_standard_id=assessed["standard_id"],
        grade_display=assessed["grade_display"],
        persons=tuple(
            person_view(x) for x in _all(session, m.Person, c.id) if isinstance(x, m.Person)
        ),
        guard_reasons=tuple(
            GuardReasonView(
                id=r.id,
                guard=r.guard,
                question=r.question,
                reason=r.reason,
                recorded_by=r.recorded_by,
                recorded_on=r.recorded_on,
                entity=r.entity,
                entity_id=r.entity_id,
            )
            for r in session.scalars(
                select(m.GuardReason)
                .where(m.GuardReason.case_id == c.id)
                .order_by(m.GuardReason.id)
            )
        ),
    )


def _assessed(
    session: Session,
    c: m.Case,
    updates: list[m.CasualtyUpdate],
    inclusion: m.InclusionDecisionRow | None,
    standards: tuple[rules.GradeStandard, ...],
) -> dict[str, Any]:
    """The parts of ``CaseDetail`` that ``rules.assess_case`` decides.

    Facts stored by an older FireCase that today's rules refuse (economic loss below property
    loss, say) do not hide the case: the last stored decisions are shown with the reason.
    """
    from firecase.errors import FirecaseError

    try:
        a = _judgement.assess(session, c, updates, inclusion=inclusion, standards=standards)
    except FirecaseError as exc:
        latest = updates[-1] if updates else None
        return {
            "deaths": latest.deaths if latest else 0,
            "serious_injuries": latest.serious_injuries if latest else 0,
            "recorded_deaths": latest.deaths if latest else 0,
            "counted_note": "",
            "jurisdiction": _judgement.jurisdiction_text(c.jurisdiction_grade or c.grade),
            "jurisdiction_grade": c.jurisdiction_grade or c.grade,
            "jurisdiction_authority": "",
            "escalation": None,
            "duties": None,
            "warnings": (CaseWarningView("facts_invalid", f"案件信息需要更正：{exc.message}", ""),),
            "other_grades": (),
            "error": exc.message,
            "standard_id": "",
            "grade_display": c.grade or "",
        }
    d = a.duties
    return {
        "deaths": a.counted.deaths,
        "serious_injuries": a.counted.serious_injuries,
        "recorded_deaths": a.counted.recorded_deaths,
        "counted_note": a.counted.note,
        "jurisdiction": a.jurisdiction.explanation,
        "jurisdiction_grade": str(a.jurisdiction_grade.value),
        "jurisdiction_authority": a.jurisdiction.authority,
        "escalation": _judgement.escalation_view(a),
        "duties": DutiesView(d.applies, d.code, d.reason, d.basis),
        "warnings": tuple(CaseWarningView(w.code, w.message, w.basis) for w in a.warnings),
        "other_grades": tuple(f"按{g.standard.citation}为{g.grade.label}" for g in a.other_grades),
        "error": "",
        "standard_id": a.grade.standard.id,
        "grade_display": a.grade.display,
    }
