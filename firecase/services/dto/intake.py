"""What a case opens with: the incident, casualties, the judgements of grade and inclusion
(第二十五条), and the case as the list shows it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class IncidentInput:
    """The incident facts that open a case (and can be corrected later)."""

    title: str
    fire_date: dt.date
    place: str
    fire_type: str  # firecase.rules.FireType value
    property_loss_yuan: Decimal  # direct property loss (grade, 第二十五条)
    economic_loss_yuan: Decimal  # direct economic loss (inclusion, 第五条第二项)
    fire_time: str = ""  # "HH:MM"
    address: str = ""
    unit_name: str = ""
    households_affected: int | None = None
    summary: str = ""
    # 过火面积 in 平方米: exact (Decimal, int or decimal text such as "320.5"), never negative;
    # None when not known. 事故性质: one of ACCIDENT_NATURES or the officer's own wording.
    burned_area_m2: Decimal | int | str | None = None
    nature: str = ""


ACCIDENT_NATURES = (
    "一起生产安全责任事故",
    "一起较大生产安全责任事故",
    "一起一般生产安全责任事故",
    "一起责任事故",
    "一起意外事故",
)
"""The usual wordings of 事故性质 (第七条第三项: the team determines the nature); the officer
may type another."""


@dataclass(frozen=True)
class ReportWordingInput:
    """The investigation report as the officer words it; "" means generated from the case.

    ``team_name``: the 调查组 that signs the report (落款, page header; 第四条, 第六条);
    ``title``: the title, "\n" where a line breaks; ``opening``: the opening summary;
    ``composition``: the paragraph on the team's composition (第六条, 第八条, 第九条).
    """

    team_name: str = ""
    title: str = ""
    opening: str = ""
    composition: str = ""


@dataclass(frozen=True)
class CasualtyInput:
    """Cumulative casualty counts as of the date they became true (``as_of``: the date of
    death or injury); the date of entry is recorded by the service (第四条)."""

    as_of: dt.date
    deaths: int
    serious_injuries: int
    minor_injuries: int = 0
    note: str = ""


@dataclass(frozen=True)
class JudgementInput:
    """The judgement clauses of 第五条: (三) major social impact, (四) deemed necessary."""

    social_impact: bool = False
    social_impact_by: str = ""
    social_impact_on: dt.date | None = None
    social_impact_reason: str = ""
    deemed_necessary: bool = False
    deemed_by: str = ""
    deemed_on: dt.date | None = None
    deemed_reason: str = ""


@dataclass(frozen=True)
class CaseSummary:
    """The case row: incident facts, current decisions and milestones."""

    id: int
    case_no: str
    title: str
    stage: str
    fire_date: dt.date
    fire_time: str
    place: str
    address: str
    unit_name: str
    fire_type: str
    property_loss_yuan: Decimal
    economic_loss_yuan: Decimal
    households_affected: int | None
    summary: str
    grade: str | None
    included: bool | None
    taken_over_by: str
    taken_over_on: dt.date | None
    team_formed_on: dt.date | None
    team_authorised_fire_agency: bool
    report_submitted_on: dt.date | None
    report_received_on: dt.date | None
    reply_on: dt.date | None
    reply_ref: str
    reply_summary: str
    closed_on: dt.date | None
    created_on: dt.date
    created_by: str
    next_due_on: dt.date | None
    next_due_label: str
    version: int
    report_signed_on: dt.date | None = None  # the signature list is that day's roster
    burned_area_m2: Decimal | None = None  # 过火面积（平方米）
    nature: str = ""  # 事故性质
    team_name: str = ""  # the 调查组 as the officer names it ("": generated)
    report_title: str = ""  # the title with the officer's line breaks ("": generated)
    report_opening: str = ""  # the opening summary ("": generated)
    report_composition: str = ""  # the team-composition paragraph ("": generated)
    team_document_no: str = ""  # 成立文件文号 of the team ("": not recorded)
    team_formed_by: str = ""  # 组建机关 of the team ("": not recorded)


@dataclass(frozen=True)
class CasualtyUpdateView:
    """A stored casualty record: counts as of ``as_of``, entered on ``recorded_on``."""

    id: int
    recorded_on: dt.date
    deaths: int
    serious_injuries: int
    minor_injuries: int
    note: str
    recorded_by: str
    as_of: dt.date | None = None


@dataclass(frozen=True)
class GradeDecisionView:
    """A stored grade decision and how it was reached."""

    id: int
    decided_on: dt.date
    grade: str
    standard: str
    explanation: str
    basis: str
    decided_by: str


@dataclass(frozen=True)
class InclusionDecisionView:
    """A stored inclusion decision (第五条) with the judgement clauses' who/when/why."""

    id: int
    decided_on: dt.date
    included: bool
    clauses: tuple[int, ...]
    explanation: str
    judgement: JudgementInput
    scope_note: str
    decided_by: str


@dataclass(frozen=True)
class ScopeView:
    """Whether the fire type falls under the measures (第二条第二款)."""

    in_scope: bool
    reason: str
    basis: str


@dataclass(frozen=True)
class EscalationView:
    """An escalation alert (第四条): the grade rose beyond the city's jurisdiction within 7 days."""

    message: str
    basis: str


@dataclass(frozen=True)
class CaseWarningView:
    """A fact about the case the officer must see (``code`` stable: scenarios use it)."""

    code: str
    message: str
    basis: str


@dataclass(frozen=True)
class DutiesView:
    """Whether the measures' clocks run for the case; ``reason`` and ``basis`` say why."""

    applies: bool
    code: str
    reason: str
    basis: str
