"""Frozen data the services take in (``*Input``) and hand out (everything else).

The UI and the reports never see ORM objects or sessions: they get these dataclasses. Enumerated
values are the Chinese labels (``Grade.value``, ``FireType.value`` … of ``firecase.rules``, or
the constants below), so a view can show them as they are. Money is ``Decimal`` yuan. Every
editable record carries ``version``; pass it back as ``expected_version`` when updating or
removing, and a stale one raises ``ConflictError``.

They live by the stage of a case they belong to, as the workspace tabs name it: ``intake``,
``parties``, ``team``, ``recusal``, ``evidence``, ``deadlines``, ``findings``,
``recommendations``, ``reply``, ``publication``, ``evaluation``, ``case`` (``CaseDetail``) and
``admin`` (settings, calendar, users, audit); this package re-exports every name, so
``from firecase.services.dto import PartyView`` and ``from firecase.services.dto.parties
import PartyView`` are the same class.
"""

from __future__ import annotations

from firecase.services.dto.admin import (
    AuditEntryView as AuditEntryView,
    CalendarDayInput as CalendarDayInput,
    CalendarDayView as CalendarDayView,
    CalendarView as CalendarView,
    CaseChanges as CaseChanges,
    SettingsInput as SettingsInput,
    SettingsView as SettingsView,
    UserInput as UserInput,
    UserView as UserView,
    VerifyReport as VerifyReport,
)
from firecase.services.dto.case import (
    CaseDetail as CaseDetail,
    GuardReasonView as GuardReasonView,
)
from firecase.services.dto.deadlines import (
    ClockView as ClockView,
    ExtensionInput as ExtensionInput,
    ExtensionView as ExtensionView,
)
from firecase.services.dto.evaluation import (
    EvaluationInput as EvaluationInput,
    EvaluationItemInput as EvaluationItemInput,
    EvaluationItemView as EvaluationItemView,
    EvaluationView as EvaluationView,
    MeasureInput as MeasureInput,
    MeasureView as MeasureView,
)
from firecase.services.dto.evidence import (
    AppraisalInput as AppraisalInput,
    AppraisalView as AppraisalView,
    AttachmentInput as AttachmentInput,
    AttachmentView as AttachmentView,
    CustodyInput as CustodyInput,
    CustodyView as CustodyView,
    EvidenceInput as EvidenceInput,
    EvidenceView as EvidenceView,
)
from firecase.services.dto.findings import (
    CauseInput as CauseInput,
    CauseView as CauseView,
    DissentInput as DissentInput,
    DissentView as DissentView,
    FindingInput as FindingInput,
    FindingView as FindingView,
    ReportSectionView as ReportSectionView,
)
from firecase.services.dto.intake import (
    ACCIDENT_NATURES as ACCIDENT_NATURES,
    CaseSummary as CaseSummary,
    CaseWarningView as CaseWarningView,
    CasualtyInput as CasualtyInput,
    CasualtyUpdateView as CasualtyUpdateView,
    DutiesView as DutiesView,
    EscalationView as EscalationView,
    GradeDecisionView as GradeDecisionView,
    IncidentInput as IncidentInput,
    InclusionDecisionView as InclusionDecisionView,
    JudgementInput as JudgementInput,
    ReportWordingInput as ReportWordingInput,
    ScopeView as ScopeView,
)
from firecase.services.dto.parties import (
    PERSON_ROLES as PERSON_ROLES,
    PERSON_SEXES as PERSON_SEXES,
    PartyInput as PartyInput,
    PartyView as PartyView,
    PersonInput as PersonInput,
    PersonView as PersonView,
    Relative as Relative,
)
from firecase.services.dto.publication import (
    DisclosureKeepView as DisclosureKeepView,
    PublicationInput as PublicationInput,
    PublicationView as PublicationView,
    PublicReleaseView as PublicReleaseView,
    PublicReviewView as PublicReviewView,
    RedactionView as RedactionView,
    ReleaseInput as ReleaseInput,
)
from firecase.services.dto.recommendations import (
    FeedbackInput as FeedbackInput,
    RecommendationInput as RecommendationInput,
    RecommendationView as RecommendationView,
)
from firecase.services.dto.recusal import (
    RecusalApplicationInput as RecusalApplicationInput,
    RecusalDecisionInput as RecusalDecisionInput,
    RecusalFlagView as RecusalFlagView,
    RecusalView as RecusalView,
)
from firecase.services.dto.reply import (
    HandlingTaskInput as HandlingTaskInput,
    HandlingTaskView as HandlingTaskView,
)
from firecase.services.dto.team import (
    MemberInput as MemberInput,
    MemberView as MemberView,
    SubGroupInput as SubGroupInput,
    SubGroupView as SubGroupView,
    TeamSetupInput as TeamSetupInput,
    TeamWarningView as TeamWarningView,
)
from firecase.services.vocab import (
    APPLICANT_KINDS as APPLICANT_KINDS,
    APPRAISAL_KINDS as APPRAISAL_KINDS,
    CAUSE_KINDS as CAUSE_KINDS,
    CUSTODY_ACTIONS as CUSTODY_ACTIONS,
    EVALUATION_ITEM_KINDS as EVALUATION_ITEM_KINDS,
    EVALUATION_RESULTS as EVALUATION_RESULTS,
    EVIDENCE_KINDS as EVIDENCE_KINDS,
    GOVERNMENT_BODY as GOVERNMENT_BODY,
    LEADER_BODY as LEADER_BODY,
    MEASURE_STATUSES as MEASURE_STATUSES,
    PARTY_ROLES as PARTY_ROLES,
    RECOMMENDATION_KINDS as RECOMMENDATION_KINDS,
    RECUSAL_DECISIONS as RECUSAL_DECISIONS,
    REPORT_SECTION_TITLES as REPORT_SECTION_TITLES,
    RESPONSIBILITY_AREAS as RESPONSIBILITY_AREAS,
    STAGE_ORDER as STAGE_ORDER,
    TARGET_KINDS as TARGET_KINDS,
    USER_ROLES as USER_ROLES,
    CasePage as CasePage,
    CaseRow as CaseRow,
    CaseSort as CaseSort,
    Stage as Stage,
    UserRole as UserRole,
)
