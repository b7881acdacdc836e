"""The rules core of FireCase: every rule it applies (docs/RULES.md) as pure Python (stdlib only).

No Qt, no SQLAlchemy: services, reports and the UI call these functions with plain values and get
frozen dataclasses back. Dates are passed in (``today=`` …); nothing here reads the clock. Every
result that a user sees carries its basis (article, standard or setting) and a Chinese
explanation. Bad input raises :class:`RuleError` (a ``firecase.errors.ValidationError``) with a
message the user can read.

Modules: ``grade`` (第二十五条), ``casualties`` (which casualties count, as of when),
``inclusion`` (第二条, 第五条), ``jurisdiction`` (第四条, 第二十六条; ``assess_case``: a case's
rules together), ``team`` (第六条–第九条), ``recusal`` (第十五条), ``workdays``, ``periods``,
``clocks`` and ``urgency`` (the statutory clocks); ``holiday_notice`` reads the State Council's
holiday notice into calendar days.

The names below are loaded on first use (module ``__getattr__``), so a caller that needs one
constant does not pay for every rule module (the main window's first paint needs only
``DUE_SOON_DAYS``). ``from firecase.rules import X`` works as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from firecase.lazy import lazy_names

if TYPE_CHECKING:
    from firecase.rules.casualties import (
        CasualtyRecord,
        CountedCasualties,
        count_casualties,
    )
    from firecase.rules.clocks import (
        Clock,
        ClockKind,
        ClockStatus,
        clock_status,
        days_left,
        evaluation_clock,
        excluded_days,
        grade_change_clock,
        handling_clock,
        handling_due,
        investigation_clock,
        investigation_due,
        late_days,
        merge_intervals,
        provisional_note,
        rectification_clock,
        reply_clock,
        reply_due,
        with_provisional,
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
    from firecase.rules.holiday_notice import HolidayEntry, parse_holiday_notice
    from firecase.rules.inclusion import (
        FireType,
        Inclusion,
        InclusionReason,
        ScopeCheck,
        assess_inclusion,
        check_scope,
    )
    from firecase.rules.jurisdiction import (
        MEASURES_IN_FORCE,
        CaseAssessment,
        CaseWarning,
        Duties,
        EscalationAlert,
        Jurisdiction,
        assess_case,
        escalation_alert,
        jurisdiction_for,
        measures_duties,
    )
    from firecase.rules.recusal import (
        RECUSAL_GROUNDS,
        PartyInfo,
        PartyKind,
        RecusalFlag,
        names_near,
        normalise_name,
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
    from firecase.rules.urgency import DUE_SOON_DAYS
    from firecase.rules.workdays import WorkdayCalendar

_WHERE = {
    "DUE_SOON_DAYS": "firecase.rules.urgency",
    "Clock": "firecase.rules.clocks",
    "ClockKind": "firecase.rules.clocks",
    "ClockStatus": "firecase.rules.clocks",
    "clock_status": "firecase.rules.clocks",
    "days_left": "firecase.rules.clocks",
    "late_days": "firecase.rules.clocks",
    "evaluation_clock": "firecase.rules.clocks",
    "excluded_days": "firecase.rules.clocks",
    "grade_change_clock": "firecase.rules.clocks",
    "handling_clock": "firecase.rules.clocks",
    "handling_due": "firecase.rules.clocks",
    "investigation_clock": "firecase.rules.clocks",
    "investigation_due": "firecase.rules.clocks",
    "merge_intervals": "firecase.rules.clocks",
    "rectification_clock": "firecase.rules.clocks",
    "reply_clock": "firecase.rules.clocks",
    "reply_due": "firecase.rules.clocks",
    "with_provisional": "firecase.rules.clocks",
    "provisional_note": "firecase.rules.clocks",
    "CalendarYearMissing": "firecase.rules.errors",
    "RuleError": "firecase.rules.errors",
    "NOT_CONFIGURED": "firecase.rules.grade",
    "Grade": "firecase.rules.grade",
    "GradeDecision": "firecase.rules.grade",
    "GradeStandard": "firecase.rules.grade",
    "GradeThreshold": "firecase.rules.grade",
    "grade_fire": "firecase.rules.grade",
    "grade_fire_detailed": "firecase.rules.grade",
    "load_standards": "firecase.rules.grade",
    "standard_for": "firecase.rules.grade",
    "HolidayEntry": "firecase.rules.holiday_notice",
    "parse_holiday_notice": "firecase.rules.holiday_notice",
    "FireType": "firecase.rules.inclusion",
    "Inclusion": "firecase.rules.inclusion",
    "InclusionReason": "firecase.rules.inclusion",
    "ScopeCheck": "firecase.rules.inclusion",
    "assess_inclusion": "firecase.rules.inclusion",
    "check_scope": "firecase.rules.inclusion",
    "CasualtyRecord": "firecase.rules.casualties",
    "CountedCasualties": "firecase.rules.casualties",
    "count_casualties": "firecase.rules.casualties",
    "CaseAssessment": "firecase.rules.jurisdiction",
    "CaseWarning": "firecase.rules.jurisdiction",
    "Duties": "firecase.rules.jurisdiction",
    "assess_case": "firecase.rules.jurisdiction",
    "measures_duties": "firecase.rules.jurisdiction",
    "MEASURES_IN_FORCE": "firecase.rules.jurisdiction",
    "EscalationAlert": "firecase.rules.jurisdiction",
    "Jurisdiction": "firecase.rules.jurisdiction",
    "escalation_alert": "firecase.rules.jurisdiction",
    "jurisdiction_for": "firecase.rules.jurisdiction",
    "RECUSAL_GROUNDS": "firecase.rules.recusal",
    "PartyInfo": "firecase.rules.recusal",
    "PartyKind": "firecase.rules.recusal",
    "RecusalFlag": "firecase.rules.recusal",
    "screen_recusal": "firecase.rules.recusal",
    "normalise_name": "firecase.rules.recusal",
    "names_near": "firecase.rules.recusal",
    "STANDARD_SUBGROUPS": "firecase.rules.team",
    "Body": "firecase.rules.team",
    "TeamMemberInfo": "firecase.rules.team",
    "TeamRole": "firecase.rules.team",
    "TeamWarning": "firecase.rules.team",
    "check_team": "firecase.rules.team",
    "WorkdayCalendar": "firecase.rules.workdays",
}

__all__ = [
    "DUE_SOON_DAYS",
    "MEASURES_IN_FORCE",
    "NOT_CONFIGURED",
    "RECUSAL_GROUNDS",
    "STANDARD_SUBGROUPS",
    "Body",
    "CalendarYearMissing",
    "CaseAssessment",
    "CaseWarning",
    "CasualtyRecord",
    "Clock",
    "ClockKind",
    "ClockStatus",
    "CountedCasualties",
    "Duties",
    "EscalationAlert",
    "FireType",
    "Grade",
    "GradeDecision",
    "GradeStandard",
    "GradeThreshold",
    "HolidayEntry",
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
    "assess_case",
    "assess_inclusion",
    "check_scope",
    "check_team",
    "clock_status",
    "count_casualties",
    "days_left",
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
    "late_days",
    "load_standards",
    "measures_duties",
    "merge_intervals",
    "names_near",
    "normalise_name",
    "parse_holiday_notice",
    "provisional_note",
    "rectification_clock",
    "reply_clock",
    "reply_due",
    "screen_recusal",
    "standard_for",
    "with_provisional",
]


__getattr__, __dir__ = lazy_names(__name__, _WHERE, globals())
