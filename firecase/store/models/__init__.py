"""SQLAlchemy 2 models of one case file: every fact of every case, the calendar and settings.

Conventions:

* Money is ``Money`` (exact ``Decimal`` yuan at the Python side, never float): ``NUMERIC(18, 2)``
  on PostgreSQL, integer 分 (fen) on SQLite, whose NUMERIC is a float above 2^53 (migration
  0012 converted the stored amounts).
* Enumerations are stored as their Chinese label in a short ``String`` column (no database enum
  types, so migrations stay portable between SQLite and PostgreSQL).
* Records a user edits carry a ``version`` column used by SQLAlchemy as ``version_id_col``: a
  stale write raises ``StaleDataError``, which the unit of work turns into ``ConflictError``.
* Child rows of a case carry ``case_id`` with ``ON DELETE CASCADE``.
* The audit tables (``audit_log``, ``audit_head``) are written only by the unit of work.

The tables live in the private modules of this package by stage (``_case``, ``_team``,
``_evidence``, ``_report``, ``_evaluation``, ``_system``; the base and types in ``_base``); every
name is re-exported here, the one place to import them from.
"""

from __future__ import annotations

# the modules in the order of the former single module: the tables join the metadata (and the
# mappers the registry) in the same order as before
from firecase.store.models._base import (
    MONEY_FEN_PER_YUAN as MONEY_FEN_PER_YUAN,
    MONEY_SCALE as MONEY_SCALE,
    NAMING_CONVENTION as NAMING_CONVENTION,
    Base as Base,
    Money as Money,
    Versioned as Versioned,
    _case_fk as _case_fk,
    money_from_fen as money_from_fen,
)

# isort: split
from firecase.store.models._case import (
    DERIVED_CASE_COLUMNS as DERIVED_CASE_COLUMNS,
    DERIVED_TABLES as DERIVED_TABLES,
    GRADE_ORDER as GRADE_ORDER,
    GRADE_RANK as GRADE_RANK,
    SEARCH_SEPARATOR as SEARCH_SEPARATOR,
    STAGE_ORDER as STAGE_ORDER,
    STAGE_RANK as STAGE_RANK,
    Case as Case,
    CaseSearchGram as CaseSearchGram,
    CasualtyUpdate as CasualtyUpdate,
    GradeDecisionRow as GradeDecisionRow,
    InclusionDecisionRow as InclusionDecisionRow,
    OpenClock as OpenClock,
    case_search_text as case_search_text,
    search_grams as search_grams,
)

# isort: split
from firecase.store.models._team import (
    Party as Party,
    RecusalApplication as RecusalApplication,
    SubGroup as SubGroup,
    SubGroupMember as SubGroupMember,
    TeamMember as TeamMember,
)

# isort: split
from firecase.store.models._evidence import (
    CONTENT_TABLES as CONTENT_TABLES,
    Appraisal as Appraisal,
    Attachment as Attachment,
    AttachmentBlob as AttachmentBlob,
    AttachmentChunk as AttachmentChunk,
    CustodyEvent as CustodyEvent,
    EvidenceItem as EvidenceItem,
    Extension as Extension,
    Person as Person,
)

# isort: split
from firecase.store.models._report import (
    Cause as Cause,
    DisclosureKeep as DisclosureKeep,
    Dissent as Dissent,
    Finding as Finding,
    HandlingTask as HandlingTask,
    Publication as Publication,
    PublicRelease as PublicRelease,
    PublicReview as PublicReview,
    Recommendation as Recommendation,
    Redaction as Redaction,
    ReportSection as ReportSection,
)

# isort: split
from firecase.store.models._evaluation import (
    Evaluation as Evaluation,
    EvaluationItem as EvaluationItem,
    EvaluationItemRecommendation as EvaluationItemRecommendation,
    RectificationMeasure as RectificationMeasure,
)

# isort: split
from firecase.store.models._system import (
    NOT_AUDITED_TABLES as NOT_AUDITED_TABLES,
    AuditEntry as AuditEntry,
    AuditHead as AuditHead,
    CalendarDay as CalendarDay,
    CalendarYear as CalendarYear,
    CaseDocument as CaseDocument,
    GuardReason as GuardReason,
    RecycleContent as RecycleContent,
    RecycleEntry as RecycleEntry,
    ReportOutput as ReportOutput,
    Setting as Setting,
    User as User,
)
