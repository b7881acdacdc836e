"""Jurisdiction, escalation, the measures' duties (第二条, 第四条, 第二十六条).

较大 and 一般 fires: 市人民政府 investigates, or authorises the fire-rescue agency to lead. 重大 and
特别重大 fires: a higher government. Only a casualty change within 7 days of the fire (start day
not counted, so up to and including fire date + 7) moves a fire to the higher government
(报请上级人民政府); a later change may change the grade for statistics, never who investigates.
Casualties are taken by the dates they became true (``rules.casualties``), never by the order
they were typed. A higher government may take any fire over (提级调查, 第四条第二款).

``assess_case`` puts the rules of a case together: the counted casualties, the statistical grade
(and the other standard's, where both apply and disagree), inclusion under 第五条, scope
(第二条第二款), the grade that decides jurisdiction, the escalation alert, and whether the
measures' clocks run at all (``measures_duties``), with every warning as a stable code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from firecase.rules._common import check_amount, check_date, fmt_date, fmt_yuan
from firecase.rules.casualties import (
    CasualtyRecord,
    CountedCasualties,
    check_records,
    count_casualties,
    counts_as_of,
)
from firecase.rules.errors import RuleError
from firecase.rules.grade import (
    Grade,
    GradeDecision,
    GradeStandard,
    grade_fire_detailed,
    load_standards,
    standard_for,
)
from firecase.rules.inclusion import FireType, Inclusion, ScopeCheck, assess_inclusion, check_scope

ESCALATION_WINDOW_DAYS = 7
CITY_MAX_GRADE = Grade.LARGE
MEASURES_IN_FORCE = dt.date(2022, 11, 28)  # 第二十六条: 自印发之日起施行
CITY_GOVERNMENT = "天门市人民政府"


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


def takeover_jurisdiction(by: str, on: dt.date) -> Jurisdiction:
    """Who investigates after a higher government took the fire over (第四条第二款)."""
    return Jurisdiction(
        authority=by,
        may_authorise_fire_agency=False,
        explanation=(
            f"{by}于{fmt_date(on)}提级调查（第四条第二款），本案由{by}负责调查，"
            "本市不再按本办法计算调查处理期限。"
        ),
        basis="第四条第二款",
    )


@dataclass(frozen=True)
class EscalationAlert:
    """A casualty change within 7 days took the fire beyond the city (报请上级人民政府)."""

    record: CasualtyRecord  # the first record that took the grade beyond the city
    previous_grade: Grade
    grade: Grade
    explanation: str
    basis: str = "第四条第一款"

    @property
    def message(self) -> str:
        """Same as ``explanation`` (the text the UI shows)."""
        return self.explanation


def _window_end(fire_date: dt.date) -> dt.date:
    return fire_date + dt.timedelta(days=ESCALATION_WINDOW_DAYS)


def jurisdiction_counts(fire_date: dt.date, ordered: list[CasualtyRecord]) -> tuple[int, int]:
    """(deaths, serious injuries) in effect at the end of the 7th day after the fire (第四条)."""
    rec = counts_as_of(ordered, _window_end(fire_date))
    return (rec.deaths, rec.serious_injuries) if rec is not None else (0, 0)


def escalation_alert(
    fire_date: dt.date,
    property_loss_yuan: Decimal,
    records: Iterable[CasualtyRecord],
    *,
    standards: tuple[GradeStandard, ...] | None = None,
) -> EscalationAlert | None:
    """The alert of 第四条 when a casualty change within 7 days takes the fire beyond the city.

    Compared are the counts in effect at the end of the fire day and at the end of the 7th
    day after it (start day not counted), each after every correction of its day: when the
    fire was within the city on its day (by its first record, or by its property loss with no
    casualties recorded yet) and is beyond it at the end of day 7, the alert names the first
    record within the window that took it beyond. A fire beyond the city from its first day is
    not an escalation (``jurisdiction_for`` says who investigates); a rise corrected back down
    within the window is none either; records dated after the window never alert.
    """
    loss = check_amount(property_loss_yuan, "直接财产损失", "property_loss_yuan")
    ordered = check_records(fire_date, records)
    window_end = _window_end(fire_date)

    def grade_of(r: CasualtyRecord | None) -> GradeDecision:
        deaths, serious = (r.deaths, r.serious_injuries) if r is not None else (0, 0)
        return grade_fire_detailed(deaths, serious, loss, fire_date, standards=standards)

    start = grade_of(counts_as_of(ordered, fire_date)).grade
    end = grade_of(counts_as_of(ordered, window_end)).grade
    if start > CITY_MAX_GRADE or end <= CITY_MAX_GRADE:
        return None
    for r in ordered:
        if fire_date < r.as_of <= window_end and (decision := grade_of(r)).grade > CITY_MAX_GRADE:
            entered = (
                f"（{fmt_date(r.recorded_on)}录入）"
                if r.recorded_on is not None and r.recorded_on != r.as_of
                else ""
            )
            text = (
                f"截至{fmt_date(r.as_of)}{entered}死亡{r.deaths}人、重伤{r.serious_injuries}人，"
                f"火灾等级由{start.label}升为{decision.grade.label}"
                f"（{'；'.join(decision.reasons)}）。伤亡变化发生在火灾发生之日起七日内"
                f"（至{fmt_date(window_end)}），事故应由上级人民政府负责调查，"
                "应当报请上级人民政府或其授权的部门组织调查（第四条第一款）。"
            )
            return EscalationAlert(
                record=r, previous_grade=start, grade=decision.grade, explanation=text
            )
    return None  # pragma: no cover - the end of day 7 is beyond the city by some record


@dataclass(frozen=True)
class Duties:
    """Whether the measures' clocks run for a case, and why not (``code`` "" when they do).

    Codes: ``out_of_scope`` (第二条第二款), ``before_measures`` (第二十六条), ``not_included``
    (第五条), ``taken_over`` (第四条第二款), ``above_city`` (第四条第一款).
    ``window_applies``: whether the 7-day grade-change window still matters (a fire not yet
    included or within the city may still change by casualties).
    """

    applies: bool
    code: str
    reason: str
    basis: str
    window_applies: bool


def measures_duties(
    *,
    fire_date: dt.date,
    in_scope: bool,
    included: bool,
    jurisdiction_grade: Grade,
    taken_over_by: str = "",
    taken_over_on: dt.date | None = None,
    scope_reason: str = "",
) -> Duties:
    """Whether the clocks of the measures run: only for a fire the measures cover
    (第二条, 第二十六条), included under 第五条, investigated by the city (第四条)."""
    if not in_scope:
        return Duties(
            False,
            "out_of_scope",
            (scope_reason or "该火灾另有规定的调查处理程序") + "本办法规定的调查处理期限不适用。",
            "第二条第二款",
            False,
        )
    if fire_date < MEASURES_IN_FORCE:
        return Duties(
            False,
            "before_measures",
            f"火灾发生于{fmt_date(fire_date)}，早于本办法施行之日"
            f"（{fmt_date(MEASURES_IN_FORCE)}，第二十六条“本办法自印发之日起施行”），"
            "不按本办法调查处理，本办法规定的期限不适用。",
            "第二十六条",
            False,
        )
    if taken_over_on is not None:
        by = taken_over_by or "上级人民政府"
        return Duties(
            False,
            "taken_over",
            f"{by}于{fmt_date(taken_over_on)}提级调查（第四条第二款），本市的调查处理期限自该日起"
            "不再计算，不计入本市逾期统计。",
            "第四条第二款",
            False,
        )
    if jurisdiction_grade > CITY_MAX_GRADE:
        return Duties(
            False,
            "above_city",
            f"{jurisdiction_grade.label}由上级人民政府负责调查（第四条第一款），"
            "本办法规定的本市调查处理期限不适用；应当报请上级人民政府或其授权的部门组织调查。",
            "第四条第一款",
            False,
        )
    if not included:
        return Duties(
            False,
            "not_included",
            "未达到第五条规定的纳入调查处理情形，本办法规定的调查处理期限不适用"
            "（伤亡变化或研判认定后重新判断）。",
            "第五条",
            True,
        )
    return Duties(
        True, "", "本办法适用：纳入调查处理，由市人民政府负责调查。", "第二条、第四条、第五条", True
    )


@dataclass(frozen=True)
class CaseWarning:
    """A fact about the case the officer must see; ``code`` is stable (scenarios use it)."""

    code: str
    message: str
    basis: str


@dataclass(frozen=True)
class CaseAssessment:
    """Every rule of a case put together from its dated facts (``assess_case``)."""

    counted: CountedCasualties
    grade: GradeDecision  # statistical grade under the standard in force
    other_grades: tuple[GradeDecision, ...]  # other standards that grade the fire differently
    inclusion: Inclusion
    scope: ScopeCheck
    jurisdiction_grade: Grade
    jurisdiction: Jurisdiction
    escalation: EscalationAlert | None
    duties: Duties
    warnings: tuple[CaseWarning, ...]


def assess_case(
    *,
    fire_date: dt.date,
    fire_type: FireType | str,
    property_loss_yuan: Decimal,
    economic_loss_yuan: Decimal,
    records: Iterable[CasualtyRecord],
    households_affected: int | None = None,
    social_impact: bool = False,
    deemed_necessary: bool = False,
    taken_over_by: str = "",
    taken_over_on: dt.date | None = None,
    standards: tuple[GradeStandard, ...] | None = None,
) -> CaseAssessment:
    """Assess a case from its dated facts (the same records in any order give the same result).

    Raises RuleError for bad input: records before the fire, negative counts, a float amount,
    direct economic loss below direct property loss (it includes it), a takeover before the fire.
    """
    check_date(fire_date, "火灾发生日期", "fire_date")
    loss = check_amount(property_loss_yuan, "直接财产损失", "property_loss_yuan")
    economic = check_amount(economic_loss_yuan, "直接经济损失", "economic_loss_yuan")
    if economic < loss:
        raise RuleError(
            f"直接经济损失（{fmt_yuan(economic)}）不能小于直接财产损失（{fmt_yuan(loss)}）："
            "直接经济损失包括直接财产损失（第五条第二项）",
            field="economic_loss_yuan",
        )
    if taken_over_on is not None:
        check_date(taken_over_on, "提级日期", "taken_over_on")
        if taken_over_on < fire_date:
            raise RuleError("提级日期不能早于起火日期", field="taken_over_on")
    ordered = check_records(fire_date, records)
    pool = standards if standards is not None else load_standards()
    standard = standard_for(fire_date, pool)

    def graded(std: GradeStandard) -> tuple[CountedCasualties, GradeDecision]:
        """The casualties ``std`` counts and the grade it gives (by its own window)."""
        counts = count_casualties(
            fire_date,
            ordered,
            window_days=std.death_window_days,
            citation=std.death_window_citation,
        )
        decision = grade_fire_detailed(
            counts.deaths,
            counts.serious_injuries,
            loss,
            fire_date,
            households_affected=households_affected,
            standards=(std,),
            minor_injuries=counts.minor_injuries,
        )
        return counts, decision

    counted, grade = graded(standard)
    # the standard that was in force before this one still grades the fire too (公消〔2007〕
    # 234号 for a 2025 fire): where it says otherwise, the case shows both
    earlier = [s for s in pool if s.id != standard.id and s.effective_from <= fire_date]
    others: list[GradeDecision] = []
    if earlier:
        _counts, alt = graded(max(earlier, key=lambda s: s.effective_from))
        if alt.grade is not grade.grade:
            others.append(alt)
    # 第五条第一项 counts every death the fire caused: the statistics window belongs to the
    # grade standard (第二十五条), not to inclusion
    latest = ordered[-1] if ordered else None
    inclusion = assess_inclusion(
        latest.deaths if latest is not None else 0,
        latest.serious_injuries if latest is not None else 0,
        economic,
        social_impact=social_impact,
        deemed_necessary=deemed_necessary,
        grade=grade.grade,
    )
    scope = check_scope(fire_type)
    j_deaths, j_serious = jurisdiction_counts(fire_date, ordered)
    j_grade = grade_fire_detailed(
        j_deaths,
        j_serious,
        loss,
        fire_date,
        households_affected=households_affected,
        standards=pool,
    ).grade
    if taken_over_on is not None:
        jurisdiction = takeover_jurisdiction(taken_over_by or "上级人民政府", taken_over_on)
        escalation = None
    else:
        jurisdiction = jurisdiction_for(j_grade)
        escalation = escalation_alert(fire_date, loss, ordered, standards=pool)
    duties = measures_duties(
        fire_date=fire_date,
        in_scope=bool(scope.in_scope),
        included=bool(inclusion.included),
        jurisdiction_grade=j_grade,
        taken_over_by=taken_over_by,
        taken_over_on=taken_over_on,
        scope_reason=str(scope.reason),
    )
    if duties.code in ("out_of_scope", "before_measures"):
        escalation = None  # 第四条 is the measures' own rule: it does not reach these fires
    warnings: list[CaseWarning] = []
    if counted.late_deaths:
        warnings.append(CaseWarning("late_deaths", counted.note, counted.basis))
    if grade.grade is not j_grade and taken_over_on is None:
        warnings.append(
            CaseWarning(
                "grade_changed_after_window",
                f"火灾发生之日起七日后（{fmt_date(_window_end(fire_date))}之后）伤亡情况变化，"
                f"统计等级为{grade.grade.label}；调查权限仍按七日内的伤亡情况确定"
                f"（{j_grade.label}，{jurisdiction.authority}负责调查，第四条第一款）。",
                "第四条第一款",
            )
        )
    for alt in others:
        warnings.append(
            CaseWarning(
                "standards_disagree",
                f"按{alt.standard.citation}为{alt.grade.label}，按{grade.standard.citation}"
                f"（适用）为{grade.grade.label}。",
                f"第二十五条；{grade.standard.citation}",
            )
        )
    if not duties.applies:
        warnings.append(CaseWarning(duties.code, duties.reason, duties.basis))
    return CaseAssessment(
        counted=counted,
        grade=grade,
        other_grades=tuple(others),
        inclusion=inclusion,
        scope=scope,
        jurisdiction_grade=j_grade,
        jurisdiction=jurisdiction,
        escalation=escalation,
        duties=duties,
        warnings=tuple(warnings),
    )
