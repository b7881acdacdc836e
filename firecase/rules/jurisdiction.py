"""Jurisdiction and escalation (SPEC R3; 第四条).

较大 and 一般 fires: 市人民政府 investigates, or authorises the fire-rescue agency to lead. 重大 and
特别重大 fires: a higher government. Within 7 days of the fire (start day not counted, so up to
and including fire date + 7), a change in casualties that raises the grade beyond the city's
jurisdiction raises an escalation alert (报请上级人民政府).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from firecase.rules._common import check_amount, check_count, check_date, fmt_date
from firecase.rules.errors import RuleError
from firecase.rules.grade import Grade, grade_fire_detailed

ESCALATION_WINDOW_DAYS = 7
CITY_MAX_GRADE = Grade.LARGE


@dataclass(frozen=True)
class Jurisdiction:
    """Who investigates a fire of a given grade."""

    authority: str
    may_authorise_fire_agency: bool
    explanation: str
    basis: str = "第四条"


def jurisdiction_for(grade: Grade) -> Jurisdiction:
    """Who investigates a fire of ``grade`` (第四条)."""
    if grade <= CITY_MAX_GRADE:
        return Jurisdiction(
            authority="市人民政府",
            may_authorise_fire_agency=True,
            explanation=(
                f"{grade.label}由市人民政府负责调查，或授权消防救援机构牵头组织调查处理"
                "（第四条第一款）。"
            ),
        )
    return Jurisdiction(
        authority="上级人民政府",
        may_authorise_fire_agency=False,
        explanation=(
            f"{grade.label}由上级人民政府负责调查，应当报请上级人民政府或其授权的部门组织调查"
            "（第四条第一款）。"
        ),
    )


@dataclass(frozen=True)
class CasualtyUpdate:
    """Casualty counts as known on ``recorded_on`` (each update is kept, 第四条)."""

    recorded_on: dt.date
    deaths: int
    serious_injuries: int


@dataclass(frozen=True)
class EscalationAlert:
    """The grade rose beyond the city's jurisdiction within 7 days of the fire."""

    update: CasualtyUpdate  # the first update that took the grade beyond the city
    previous_grade: Grade
    grade: Grade
    explanation: str
    basis: str = "第四条第一款"

    @property
    def message(self) -> str:
        """Same as ``explanation`` (the text the UI shows)."""
        return self.explanation


def escalation_alert(
    fire_date: dt.date, property_loss_yuan: Decimal, updates: Sequence[CasualtyUpdate]
) -> EscalationAlert | None:
    """An alert when a casualty update dated within 7 days raises the grade to 重大 or above.

    Updates are taken in date order. The grade before the first update is the one from the
    property loss alone (no casualties recorded yet). The alert names the first update, dated on
    or before fire date + 7, whose counts take the grade from 较大 or 一般 to 重大 or 特别重大.
    A fire already beyond the city by the previous update or by its property loss is not an
    escalation by casualty change (``jurisdiction_for`` already says who investigates). Updates
    dated after the window never alert. Raises RuleError for an update dated before the fire,
    negative counts, or a bad amount.
    """
    check_date(fire_date, "火灾发生日期", "fire_date")
    loss = check_amount(property_loss_yuan, "直接财产损失", "property_loss_yuan")
    for u in updates:
        check_date(u.recorded_on, "伤亡记录日期", "recorded_on")
        check_count(u.deaths, "死亡人数", "deaths")
        check_count(u.serious_injuries, "重伤人数", "serious_injuries")
        if u.recorded_on < fire_date:
            raise RuleError(
                f"伤亡记录日期{fmt_date(u.recorded_on)}早于火灾发生日期{fmt_date(fire_date)}",
                field="recorded_on",
            )
    window_end = fire_date + dt.timedelta(days=ESCALATION_WINDOW_DAYS)
    previous = grade_fire_detailed(0, 0, loss, fire_date).grade
    for u in sorted(updates, key=lambda x: x.recorded_on):
        if u.recorded_on > window_end:
            break
        decision = grade_fire_detailed(u.deaths, u.serious_injuries, loss, fire_date)
        if previous <= CITY_MAX_GRADE < decision.grade:
            text = (
                f"{fmt_date(u.recorded_on)}记录死亡{u.deaths}人、重伤{u.serious_injuries}人，"
                f"火灾等级由{previous.label}升为{decision.grade.label}"
                f"（{'；'.join(decision.reasons)}）。该日在火灾发生之日起七日内"
                f"（至{fmt_date(window_end)}），事故应由上级人民政府负责调查，"
                "应当报请上级人民政府或其授权的部门组织调查（第四条第一款）。"
            )
            return EscalationAlert(
                update=u, previous_grade=previous, grade=decision.grade, explanation=text
            )
        previous = decision.grade
    return None
