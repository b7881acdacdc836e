"""The case's judgements through ``firecase.rules``: the rules' vocabularies, casualties,
grade and inclusion decisions (第二十五条), scope, escalation and jurisdiction."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase import rules
from firecase.services._reads import (
    grade_standards,
)
from firecase.services.dto import (
    EscalationView,
    InclusionDecisionView,
    JudgementInput,
    ScopeView,
)
from firecase.store.models import (
    Case,
    CasualtyUpdate,
    GradeDecisionRow,
    InclusionDecisionRow,
)

# --------------------------------------------------------------------------------------------
# vocabularies owned by the rules
# --------------------------------------------------------------------------------------------


def fire_types() -> tuple[str, ...]:
    """The fire types the rules know (``FireType`` values)."""
    return tuple(str(t.value) for t in rules.FireType)


def grades() -> tuple[str, ...]:
    """Grade labels, most serious first."""
    return tuple(str(g.value) for g in sorted(rules.Grade, key=lambda g: g.rank, reverse=True))


def bodies() -> tuple[str, ...]:
    """The bodies a team member may represent (``Body`` values)."""
    return tuple(str(b.value) for b in rules.Body)


def team_roles() -> tuple[str, ...]:
    """Team roles (``TeamRole`` values)."""
    return tuple(str(r.value) for r in rules.TeamRole)


def party_kinds() -> tuple[str, ...]:
    """Party kinds (``PartyKind`` values)."""
    return tuple(str(k.value) for k in rules.PartyKind)


def _text_of(value: Any) -> str:
    """A display string for a rules value (Enum value, object with a label, or str)."""
    if value is None:
        return ""
    for attr in ("citation", "label", "title", "name_zh"):
        got = getattr(value, attr, None)
        if isinstance(got, str) and got:
            if attr == "citation":
                name = getattr(value, "name", None)
                if isinstance(name, str) and name and name not in got:
                    return f"{name}（{got}）"
            return got
    enum_value = getattr(value, "value", None)
    if isinstance(enum_value, str):
        return enum_value
    return str(value)


# --------------------------------------------------------------------------------------------
# casualties, grade, inclusion
# --------------------------------------------------------------------------------------------


def casualty_rows(session: Session, case_id: int) -> list[CasualtyUpdate]:
    """A case's casualty records in effect order: by the date the counts became true, then the
    date entered and the counts (``rules.CasualtyRecord.sort_key``), never by entry order."""
    rows = list(session.scalars(select(CasualtyUpdate).where(CasualtyUpdate.case_id == case_id)))
    rows.sort(key=lambda u: (casualty_record(u).sort_key, u.id))  # same dates: entry order
    return rows


def casualty_record(u: CasualtyUpdate) -> rules.CasualtyRecord:
    """The rules' view of a stored casualty record."""
    return rules.CasualtyRecord(
        as_of=u.as_of or u.recorded_on,
        deaths=u.deaths,
        serious_injuries=u.serious_injuries,
        recorded_on=u.recorded_on,
        minor_injuries=u.minor_injuries,
    )


class _Unread(enum.Enum):
    UNREAD = 0


def assess(
    session: Session,
    case: Case,
    updates: list[CasualtyUpdate] | None = None,
    *,
    inclusion: InclusionDecisionRow | _Unread | None = _Unread.UNREAD,
    standards: tuple[rules.GradeStandard, ...] | None = None,
) -> rules.CaseAssessment:
    """Every rule of the case from its stored facts (``rules.assess_case``).

    ``updates``, ``inclusion`` (the newest inclusion decision row, or None for none) and
    ``standards`` are read here unless the caller read them already."""
    rows = casualty_rows(session, case.id) if updates is None else updates
    if isinstance(inclusion, _Unread):
        inclusion = latest_inclusion(session, case.id)
    judgement = _judgement_of(inclusion)
    return rules.assess_case(
        fire_date=case.fire_date,
        fire_type=case.fire_type,
        property_loss_yuan=Decimal(case.property_loss_yuan),
        economic_loss_yuan=Decimal(case.economic_loss_yuan),
        records=[casualty_record(u) for u in rows],
        households_affected=case.households_affected,
        social_impact=bool(judgement["social_impact"]),
        deemed_necessary=bool(judgement["deemed_necessary"]),
        taken_over_by=case.taken_over_by,
        taken_over_on=case.taken_over_on,
        standards=grade_standards(session) if standards is None else standards,
    )


def latest_inclusion(session: Session, case_id: int) -> InclusionDecisionRow | None:
    """The newest inclusion decision row."""
    return session.scalars(
        select(InclusionDecisionRow)
        .where(InclusionDecisionRow.case_id == case_id)
        .order_by(InclusionDecisionRow.id.desc())
        .limit(1)
    ).first()


def latest_grade(session: Session, case_id: int) -> GradeDecisionRow | None:
    """The newest grade decision row."""
    return session.scalars(
        select(GradeDecisionRow)
        .where(GradeDecisionRow.case_id == case_id)
        .order_by(GradeDecisionRow.id.desc())
        .limit(1)
    ).first()


def set_judgement(
    session: Session, case: Case, values: dict[str, Any], actor: str, today: dt.date
) -> None:
    """Store a new inclusion decision row carrying the judgement clauses (decided later)."""
    last = latest_inclusion(session, case.id)
    row = InclusionDecisionRow(
        case_id=case.id,
        decided_on=today,
        included=last.included if last is not None else False,
        clauses=last.clauses if last is not None else "",
        explanation=last.explanation if last is not None else "",
        scope_note=last.scope_note if last is not None else "",
        decided_by=actor,
        **values,
    )
    session.add(row)
    session.flush()


def _judgement_of(row: InclusionDecisionRow | None) -> dict[str, Any]:
    if row is None:
        return {
            "social_impact": False,
            "social_impact_by": "",
            "social_impact_on": None,
            "social_impact_reason": "",
            "deemed_necessary": False,
            "deemed_by": "",
            "deemed_on": None,
            "deemed_reason": "",
        }
    return {
        "social_impact": row.social_impact,
        "social_impact_by": row.social_impact_by,
        "social_impact_on": row.social_impact_on,
        "social_impact_reason": row.social_impact_reason,
        "deemed_necessary": row.deemed_necessary,
        "deemed_by": row.deemed_by,
        "deemed_on": row.deemed_on,
        "deemed_reason": row.deemed_reason,
    }


def inclusion_view(row: InclusionDecisionRow) -> InclusionDecisionView:
    """DTO of an inclusion decision row."""
    j = _judgement_of(row)
    return InclusionDecisionView(
        id=row.id,
        decided_on=row.decided_on,
        included=row.included,
        clauses=tuple(int(c) for c in row.clauses.split(",") if c),
        explanation=row.explanation,
        judgement=JudgementInput(**j),
        scope_note=row.scope_note,
        decided_by=row.decided_by,
    )


def scope_view(fire_type: str) -> ScopeView:
    """Scope check of a stored fire type (第二条第二款)."""
    try:
        check = rules.check_scope(rules.FireType(fire_type))
    except ValueError:
        return ScopeView(False, f"未知的火灾类别“{fire_type}”", "第二条")
    return ScopeView(bool(check.in_scope), str(check.reason), _text_of(check.basis))


def escalation_view(assessment: rules.CaseAssessment) -> EscalationView | None:
    """The escalation alert of 第四条, if the dated casualty records raise one."""
    alert = assessment.escalation
    if alert is None:
        return None
    return EscalationView(message=alert.explanation, basis=alert.basis)


def jurisdiction_text(grade: str | None) -> str:
    """Who investigates a fire of this grade (第四条)."""
    if grade is None:
        return ""
    return rules.jurisdiction_for(rules.Grade(grade)).explanation


def included_under_measures(
    clause_holds: bool, fire_type: str, fire_date: dt.date
) -> tuple[bool, str]:
    """(included, note) of a case: 第五条 holds, the measures govern the fire type (第二条第二款)
    and were in force on the fire day (第二十六条); the note says why not, "" when they apply."""
    scope = scope_view(fire_type)
    if not scope.in_scope:
        return False, f"不适用本办法：{scope.reason}（{scope.basis}）"
    if fire_date < rules.MEASURES_IN_FORCE:
        before = rules.measures_duties(
            fire_date=fire_date,
            in_scope=True,
            included=clause_holds,
            jurisdiction_grade=rules.Grade.ORDINARY,
        )
        return False, f"不适用本办法：{before.reason}（{before.basis}）"
    return clause_holds, ""


def _decide(session: Session, case: Case, actor: str, today: dt.date) -> None:
    assessment = assess(session, case)
    decision = assessment.grade
    grade = str(decision.grade.value)
    standard = _text_of(decision.standard)
    explanation = str(decision.explanation)
    if assessment.counted.late_deaths:
        explanation += assessment.counted.explanation
    basis = _text_of(decision.basis)
    last = latest_grade(session, case.id)
    if last is None or (last.grade, last.standard, last.explanation) != (
        grade,
        standard,
        explanation,
    ):
        session.add(
            GradeDecisionRow(
                case_id=case.id,
                decided_on=today,
                grade=grade,
                standard=standard,
                explanation=explanation,
                basis=basis,
                decided_by=actor,
            )
        )
    case.grade = grade
    jurisdiction_grade = str(assessment.jurisdiction_grade.value)
    if case.jurisdiction_grade != jurisdiction_grade:
        case.jurisdiction_grade = jurisdiction_grade

    last_inc = latest_inclusion(session, case.id)
    judgement = _judgement_of(last_inc)
    inclusion = assessment.inclusion
    clauses = ",".join(str(c) for c in inclusion.clauses)
    included, scope_note = included_under_measures(
        bool(inclusion.included), case.fire_type, case.fire_date
    )
    inc_text = str(inclusion.explanation)
    unchanged = last_inc is not None and (
        last_inc.included,
        last_inc.clauses,
        last_inc.explanation,
        last_inc.scope_note,
    ) == (included, clauses, inc_text, scope_note)
    if last_inc is not None and not last_inc.explanation:
        # a judgement row just stored by set_judgement: complete it in place
        last_inc.included, last_inc.clauses = included, clauses
        last_inc.explanation, last_inc.scope_note = inc_text, scope_note
    elif not unchanged:
        session.add(
            InclusionDecisionRow(
                case_id=case.id,
                decided_on=today,
                included=included,
                clauses=clauses,
                explanation=inc_text,
                scope_note=scope_note,
                decided_by=actor,
                **judgement,
            )
        )
    case.included = included
    if case.inclusion_clauses != clauses:
        case.inclusion_clauses = clauses
