"""The rules core of FireCase: every rule of SPEC §2 as pure Python (stdlib only).

No Qt, no SQLAlchemy: services, reports and the UI call these functions with plain values and get
frozen dataclasses back. Dates are passed in (``today=`` …); nothing here reads the clock. Every
result that a user sees carries its basis (article, standard or setting) and a Chinese
explanation. Bad input raises :class:`RuleError` (a ``firecase.errors.ValidationError``) with a
message the user can read.

Modules: ``grade`` (R1), ``inclusion`` (R2, scope), ``jurisdiction`` (R3), ``team`` (R4),
``recusal`` (R5), ``workdays`` and ``clocks`` (R6).
"""

from __future__ import annotations

from firecase.rules.clocks import (
    DUE_SOON_DAYS,
    Clock,
    ClockKind,
    ClockStatus,
    evaluation_clock,
    excluded_days,
    grade_change_clock,
    handling_clock,
    handling_due,
    investigation_clock,
    investigation_due,
    merge_intervals,
    rectification_clock,
    reply_clock,
    reply_due,
)
from firecase.rules.errors import CalendarYearMissing, RuleError
from firecase.rules.grade import (
    NOT_CONFIGURED,
    Grade,
    GradeDecision,
    GradeStandard,
    GradeThreshold,
    grade_fire,
    grade_fire_detailed,
    load_standards,
    standard_for,
)
from firecase.rules.inclusion import (
    FireType,
    Inclusion,
    InclusionReason,
    ScopeCheck,
    assess_inclusion,
    check_scope,
)
from firecase.rules.jurisdiction import (
    CasualtyUpdate,
    EscalationAlert,
    Jurisdiction,
    escalation_alert,
    jurisdiction_for,
)
from firecase.rules.recusal import (
    RECUSAL_GROUNDS,
    PartyInfo,
    PartyKind,
    RecusalFlag,
    screen_recusal,
)
from firecase.rules.team import (
    STANDARD_SUBGROUPS,
    Body,
    TeamMemberInfo,
    TeamRole,
    TeamWarning,
    check_team,
)
from firecase.rules.workdays import WorkdayCalendar

__all__ = [
    "DUE_SOON_DAYS",
    "NOT_CONFIGURED",
    "RECUSAL_GROUNDS",
    "STANDARD_SUBGROUPS",
    "Body",
    "CalendarYearMissing",
    "CasualtyUpdate",
    "Clock",
    "ClockKind",
    "ClockStatus",
    "EscalationAlert",
    "FireType",
    "Grade",
    "GradeDecision",
    "GradeStandard",
    "GradeThreshold",
    "Inclusion",
    "InclusionReason",
    "Jurisdiction",
    "PartyInfo",
    "PartyKind",
    "RecusalFlag",
    "RuleError",
    "ScopeCheck",
    "TeamMemberInfo",
    "TeamRole",
    "TeamWarning",
    "WorkdayCalendar",
    "assess_inclusion",
    "check_scope",
    "check_team",
    "escalation_alert",
    "evaluation_clock",
    "excluded_days",
    "grade_change_clock",
    "grade_fire",
    "grade_fire_detailed",
    "handling_clock",
    "handling_due",
    "investigation_clock",
    "investigation_due",
    "jurisdiction_for",
    "load_standards",
    "merge_intervals",
    "rectification_clock",
    "reply_clock",
    "reply_due",
    "screen_recusal",
    "standard_for",
]
