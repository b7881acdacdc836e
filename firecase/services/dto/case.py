"""A whole case as the workspace shows it, and the guards' reasons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from firecase.services.dto.deadlines import ClockView, ExtensionView
from firecase.services.dto.evaluation import EvaluationItemView, EvaluationView, MeasureView
from firecase.services.dto.evidence import AppraisalView, AttachmentView, EvidenceView
from firecase.services.dto.findings import CauseView, DissentView, FindingView, ReportSectionView
from firecase.services.dto.intake import (
    CaseSummary,
    CaseWarningView,
    CasualtyUpdateView,
    DutiesView,
    EscalationView,
    GradeDecisionView,
    InclusionDecisionView,
    ScopeView,
)
from firecase.services.dto.parties import PartyView, PersonView
from firecase.services.dto.publication import PublicationView
from firecase.services.dto.recommendations import RecommendationView
from firecase.services.dto.recusal import RecusalFlagView, RecusalView
from firecase.services.dto.reply import HandlingTaskView
from firecase.services.dto.team import MemberView, SubGroupView, TeamWarningView


@dataclass(frozen=True)
class GuardReasonView:
    """A reason an officer gave for going on out of the measures' sequence (``services.guards``):
    the check, what FireCase said, the reason, who and when, and the record written."""

    id: int
    guard: str
    question: str
    reason: str
    recorded_by: str
    recorded_on: dt.date
    entity: str = ""
    entity_id: str = ""


@dataclass(frozen=True)
class CaseDetail:
    """Everything a case workspace shows, computed in one read transaction."""

    case: CaseSummary
    casualty_updates: tuple[CasualtyUpdateView, ...]
    deaths: int
    serious_injuries: int
    grade_decision: GradeDecisionView | None
    grade_history: tuple[GradeDecisionView, ...]
    inclusion: InclusionDecisionView | None
    scope: ScopeView
    jurisdiction: str
    escalation: EscalationView | None
    parties: tuple[PartyView, ...]
    members: tuple[MemberView, ...]
    subgroups: tuple[SubGroupView, ...]
    team_warnings: tuple[TeamWarningView, ...]
    recusals: tuple[RecusalView, ...]
    recusal_flags: tuple[RecusalFlagView, ...]
    evidence: tuple[EvidenceView, ...]
    attachments: tuple[AttachmentView, ...]
    appraisals: tuple[AppraisalView, ...]
    extensions: tuple[ExtensionView, ...]
    findings: tuple[FindingView, ...]
    causes: tuple[CauseView, ...]
    dissents: tuple[DissentView, ...]
    report_sections: tuple[ReportSectionView, ...]
    recommendations: tuple[RecommendationView, ...]
    handling_tasks: tuple[HandlingTaskView, ...]
    publication: PublicationView
    evaluation: EvaluationView | None
    evaluation_items: tuple[EvaluationItemView, ...]
    measures: tuple[MeasureView, ...]
    clocks: tuple[ClockView, ...]
    today: dt.date
    # the rules of the case together (rules.assess_case)
    counted_note: str = ""  # how the counts were taken (late deaths as serious injuries)
    recorded_deaths: int = 0  # deaths in the latest record, counted or not
    jurisdiction_grade: str | None = None  # grade by the first 7 days' casualties (第四条)
    # an evaluation may be set up or go on (第二十二条: services._clocks.evaluation_open)
    evaluation_open: bool = True
    jurisdiction_authority: str = ""
    duties: DutiesView | None = None
    warnings: tuple[CaseWarningView, ...] = ()
    other_grades: tuple[str, ...] = ()  # "按公消〔2007〕234号为较大火灾" where standards disagree
    assessment_error: str = ""  # the stored facts could not be assessed (message says why)
    grade_standard_id: str = ""  # the standard in force that graded the fire ("gb-2007"…)
    grade_display: str = ""  # "一般（轻微火灾）" where the standard says so, else the grade
    persons: tuple[PersonView, ...] = ()  # the register of 死者、伤者、证人
    guard_reasons: tuple[GuardReasonView, ...] = ()  # reasons given out of sequence (guards)
