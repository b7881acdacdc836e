"""Everything the services derive through ``firecase.rules``: decisions, stage, clocks.

This module is the one place that turns stored rows into the rules' inputs and the rules'
results into stored decisions and ``ClockView``s. It never re-implements a rule.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from firecase import rules
from firecase.errors import FirecaseError
from firecase.rules import urgency as rules_urgency
from firecase.services._common import split_relatives
from firecase.services._reads import (
    bundled_calendar_rows as bundled_calendar_rows,
    grade_standards as grade_standards,
    read_settings,
    stored_calendar as stored_calendar,
)
from firecase.services.dto import (
    ClockView,
    EscalationView,
    InclusionDecisionView,
    JudgementInput,
    RecusalFlagView,
    ScopeView,
    Stage,
    TeamWarningView,
)
from firecase.store import CaseFile
from firecase.store.models import (
    DERIVED_CASE_COLUMNS,
    Appraisal,
    Case,
    CaseSearchGram,
    CasualtyUpdate,
    Evaluation,
    Extension,
    GradeDecisionRow,
    HandlingTask,
    InclusionDecisionRow,
    OpenClock,
    Party,
    RectificationMeasure,
    SubGroup,
    SubGroupMember,
    TeamMember,
    case_search_text,
    search_grams,
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


def assess(
    session: Session, case: Case, updates: list[CasualtyUpdate] | None = None
) -> rules.CaseAssessment:
    """Every rule of the case from its stored facts (``rules.assess_case``)."""
    rows = casualty_rows(session, case.id) if updates is None else updates
    judgement = _judgement_of(latest_inclusion(session, case.id))
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
        standards=grade_standards(session),
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


# --------------------------------------------------------------------------------------------
# stage and clocks
# --------------------------------------------------------------------------------------------


def derive_stage(case: Case, has_tasks: bool, evaluation: Evaluation | None, members: int) -> str:
    """The stage shown in the case list, from the case's milestones."""
    if evaluation is not None and evaluation.submitted_on is None:
        return Stage.EVALUATING.value
    if case.closed_on is not None:
        return Stage.CLOSED.value
    if case.reply_on is not None:
        return Stage.HANDLING.value if has_tasks else Stage.REPLIED.value
    if case.report_submitted_on is not None or case.report_received_on is not None:
        return Stage.REPORT_SUBMITTED.value
    if case.team_formed_on is not None or members > 0:
        return Stage.INVESTIGATING.value
    return Stage.ACCEPTED.value


class ClockCase(NamedTuple):
    """The case columns the clocks are computed from (no need to load a whole case)."""

    id: int
    case_no: str
    title: str
    fire_date: dt.date
    report_submitted_on: dt.date | None
    report_received_on: dt.date | None
    reply_on: dt.date | None
    closed_on: dt.date | None
    grade: str | None
    included: bool | None = True
    fire_type: str = ""
    jurisdiction_grade: str | None = None
    taken_over_by: str = ""
    taken_over_on: dt.date | None = None

    @classmethod
    def of(cls, case: Case) -> ClockCase:
        """The clock columns of a loaded case."""
        return cls(
            case.id,
            case.case_no,
            case.title,
            case.fire_date,
            case.report_submitted_on,
            case.report_received_on,
            case.reply_on,
            case.closed_on,
            case.grade,
            case.included,
            case.fire_type,
            case.jurisdiction_grade,
            case.taken_over_by,
            case.taken_over_on,
        )

    def duties(self) -> rules.Duties:
        """Whether the measures' clocks run for this case (``rules.measures_duties``)."""
        scope = scope_view(self.fire_type) if self.fire_type else ScopeView(True, "", "")
        known = {g.value for g in rules.Grade}
        grade = next(
            (g for g in (self.jurisdiction_grade, self.grade) if g in known),
            rules.Grade.ORDINARY.value,
        )
        return rules.measures_duties(
            fire_date=self.fire_date,
            in_scope=scope.in_scope,
            included=bool(self.included) or self.included is None,
            jurisdiction_grade=rules.Grade(grade),
            taken_over_by=self.taken_over_by,
            taken_over_on=self.taken_over_on,
            scope_reason=scope.reason,
        )


CLOCK_CASE_COLUMNS = (
    Case.id,
    Case.case_no,
    Case.title,
    Case.fire_date,
    Case.report_submitted_on,
    Case.report_received_on,
    Case.reply_on,
    Case.closed_on,
    Case.grade,
    Case.included,
    Case.fire_type,
    Case.jurisdiction_grade,
    Case.taken_over_by,
    Case.taken_over_on,
)
"""The columns of ``ClockCase``, in its order (``select(*CLOCK_CASE_COLUMNS)``)."""


@dataclass(frozen=True)
class ClockInputs:
    """The child rows of one case the clocks depend on (SPEC R6), in the services' order.

    ``appraisals``: (commissioned, opinion) pairs; ``tasks``: (department, filed_on) of each
    handling task by id; ``measures``: (responsible, set_on, deadline, done_on) of each
    rectification measure that has a deadline, by id.
    """

    extension_days: int = 0
    appraisals: tuple[tuple[dt.date, dt.date | None], ...] = ()
    extension_approvers: tuple[str, ...] = ()
    unconfirmed_late_days: int = 0
    tasks: tuple[tuple[str, dt.date | None], ...] = ()
    evaluation_submitted_on: dt.date | None = None
    measures: tuple[tuple[str, dt.date, dt.date, dt.date | None], ...] = ()


NO_CLOCK_INPUTS = ClockInputs()


def clock_inputs(session: Session, case_ids: Iterable[int] | None = None) -> dict[int, ClockInputs]:
    """``ClockInputs`` of the given cases (all cases when None): five queries per 500 cases.

    Cases without any such child rows are missing from the result: use ``NO_CLOCK_INPUTS``.
    Plain rows through the session's connection: the ORM's row handling cost more than the
    queries themselves on a whole board.
    """
    conn = session.connection()
    ids = None if case_ids is None else list(case_ids)
    ext: dict[int, int] = {}
    pending: dict[int, int] = {}
    approvers: dict[int, list[str]] = {}
    apps: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
    tasks: dict[int, list[tuple[str, dt.date | None]]] = {}
    evals: dict[int, dt.date | None] = {}
    measures: dict[int, list[tuple[str, dt.date, dt.date, dt.date | None]]] = {}
    chunks: list[list[int] | None] = (
        [None] if ids is None else [ids[i : i + 500] for i in range(0, len(ids), 500)]
    )
    for chunk in chunks:

        def only(stmt: Any, column: Any, chunk: list[int] | None = chunk) -> Any:
            return stmt if chunk is None else stmt.where(column.in_(chunk))

        for cid, days, approver, late, confirmed in conn.execute(
            only(
                select(
                    Extension.case_id,
                    Extension.days,
                    Extension.approved_by,
                    Extension.approved_late,
                    Extension.late_confirmed_on,
                ).where(Extension.approved_on.is_not(None)),
                Extension.case_id,
            ).order_by(Extension.id)
        ):
            if late and confirmed is None:  # approved after the period ran out (第十七条)
                pending[cid] = pending.get(cid, 0) + days
                continue
            ext[cid] = ext.get(cid, 0) + days
            names = approvers.setdefault(cid, [])
            if approver and approver not in names:
                names.append(approver)
        for cid, commissioned, opinion in conn.execute(
            only(
                select(Appraisal.case_id, Appraisal.commissioned_on, Appraisal.opinion_on),
                Appraisal.case_id,
            ).order_by(Appraisal.id)
        ):
            apps.setdefault(cid, []).append((commissioned, opinion))
        for cid, department, filed in conn.execute(
            only(
                select(HandlingTask.case_id, HandlingTask.department, HandlingTask.filed_on).where(
                    HandlingTask.removed_on.is_(None)
                ),  # a removed task has no clock
                HandlingTask.case_id,
            ).order_by(HandlingTask.id)
        ):
            tasks.setdefault(cid, []).append((department, filed))
        for cid, submitted in conn.execute(
            only(select(Evaluation.case_id, Evaluation.submitted_on), Evaluation.case_id)
        ):
            evals[cid] = submitted
        for cid, responsible, set_on, deadline, done in conn.execute(
            only(
                select(
                    RectificationMeasure.case_id,
                    RectificationMeasure.responsible,
                    RectificationMeasure.set_on,
                    RectificationMeasure.deadline,
                    RectificationMeasure.done_on,
                ).where(RectificationMeasure.deadline.is_not(None)),
                RectificationMeasure.case_id,
            ).order_by(RectificationMeasure.id)
        ):
            measures.setdefault(cid, []).append((responsible, set_on, deadline, done))
    out: dict[int, ClockInputs] = {}
    for cid in set(ext) | set(pending) | set(apps) | set(tasks) | set(evals) | set(measures):
        out[cid] = ClockInputs(
            extension_days=ext.get(cid, 0),
            extension_approvers=tuple(approvers.get(cid, ())),
            unconfirmed_late_days=pending.get(cid, 0),
            appraisals=tuple(apps.get(cid, ())),
            tasks=tuple(tasks.get(cid, ())),
            evaluation_submitted_on=evals.get(cid),
            measures=tuple(measures.get(cid, ())),
        )
    return out


CANNOT_COMPUTE = "无法计算"
"""The status of a clock whose rules raised (its explanation says why)."""

GRADE_CHANGE_LABEL = "等级变化报告期"

ESCALATION_LABEL = "报请上级人民政府"
"""The board's line for a case the city must report up (第四条第一款): not a clock with a due
date, an action owed until a higher government takes the case over."""

ESCALATE = "应报请上级"
"""The status of the ``ESCALATION_LABEL`` line."""

NOT_APPLICABLE = rules_urgency.NOT_APPLICABLE
"""The status of a clock the measures do not impose on this case (``rules.measures_duties``:
out of scope, before the measures, not included, above the city, taken over)."""


def _undated_view(
    case: ClockCase,
    label: str,
    subject: str,
    start: dt.date | None,
    *,
    status: str,
    explanation: str,
    basis: str,
    kind: str = "",
    done_on: dt.date | None = None,
) -> ClockView:
    """A clock line without a due date: not applicable, not computable, or 报请上级人民政府."""
    return ClockView(
        case_id=case.id,
        case_no=case.case_no,
        case_title=case.title,
        kind=kind or label,
        label=label,
        subject=subject,
        start=start,
        due=None,
        done_on=done_on,
        status=status,
        days_left=None,
        overdue=False,
        paused=False,
        explanation=explanation,
        basis=basis,
    )


def _not_applicable_view(
    case: ClockCase, label: str, subject: str, start: dt.date | None, duties: rules.Duties
) -> ClockView:
    return _undated_view(
        case,
        label,
        subject,
        start,
        status=NOT_APPLICABLE,
        explanation=duties.reason,
        basis=duties.basis,
    )


def _ended_by_takeover(
    case: ClockCase,
    label: str,
    subject: str,
    start: dt.date | None,
    make: Any,
    done_on: dt.date | None,
    today: dt.date,
) -> ClockView | None:
    """A city clock that had already run out when a higher government took the case over: it
    ends on the takeover day, late, and stays on record (the days overdue before the takeover
    are the city's); None when the takeover came in time (the clock is then not applicable)."""
    took = case.taken_over_on
    if took is None:
        return None
    view = _clock_view(case, label, subject, start, make, done_on, today)
    due = view.due
    if due is None or due >= took or (done_on is not None and done_on <= due):
        return None
    if done_on is not None and done_on <= took:
        return view  # done late, before the takeover: as recorded
    return replace(
        view,
        done_on=took,
        status=rules.ClockStatus.DONE.value,
        overdue=False,
        days_left=(due - today).days,
        late_days=rules.late_days(due, took),
        explanation=view.explanation
        + f"{case.taken_over_by or '上级人民政府'}于{took.isoformat()}提级调查（第四条第二款），"
        f"本市期限至此终止；提级时已逾期{(took - due).days}日，逾期记录保留。",
    )


def _clock_view(
    case: ClockCase,
    label: str,
    subject: str,
    start: dt.date | None,
    make: Any,
    done_on: dt.date | None,
    today: dt.date,
) -> ClockView:
    try:
        clock, assumed = make()
    except FirecaseError as exc:
        return _undated_view(
            case,
            label,
            subject,
            start,
            status=CANNOT_COMPUTE,
            explanation=exc.message,
            basis="",
            done_on=done_on,
        )
    due = clock.due
    if clock.kind is rules.ClockKind.GRADE_CHANGE and due is not None and today > due:
        done_on = due  # a window, not a task: it simply closes
    status_text = str(clock.status(today, done_on=done_on).value)
    overdue = done_on is None and due is not None and today > due and not clock.paused
    return ClockView(
        case_id=case.id,
        case_no=case.case_no,
        case_title=case.title,
        kind=str(clock.kind.value),
        label=clock.label,
        subject=subject,
        start=start,
        due=due,
        done_on=done_on,
        status=status_text,
        days_left=None if due is None else clock.days_left(today),
        overdue=overdue,
        paused=bool(clock.paused),
        explanation=(rules.provisional_note(assumed) if assumed else "") + str(clock.explanation),
        basis=_text_of(clock.basis),
        late_days=rules.late_days(due, done_on),
        provisional=bool(assumed),
    )


def case_clocks(
    session: Session,
    case: Case,
    today: dt.date,
    *,
    calendar: rules.WorkdayCalendar | None = None,
    roll: bool | None = None,
) -> list[ClockView]:
    """Every clock of a case (SPEC R6), computed by the rules from the stored rows."""
    cal = calendar if calendar is not None else stored_calendar(session)
    roll_to_workday = read_settings(session).roll_to_workday if roll is None else roll
    inputs = clock_inputs(session, [case.id]).get(case.id, NO_CLOCK_INPUTS)
    return clocks_of(
        ClockCase.of(case), inputs, today, calendar=cal, roll_to_workday=roll_to_workday
    )


def clocks_of(
    case: ClockCase,
    inputs: ClockInputs,
    today: dt.date,
    *,
    calendar: rules.WorkdayCalendar,
    roll_to_workday: bool,
    open_only: bool = False,
    memo: dict[tuple[Any, ...], Any] | None = None,
) -> list[ClockView]:
    """Every clock of a case from its clock columns and ``ClockInputs`` (no database access).

    The one place where stored facts become ``rules`` clocks: ``case_clocks``, the clock board
    and the synthetic case writer all go through here. ``open_only`` skips the clocks already
    done (their done date is a stored fact, known before any computing). ``memo``, shared by
    the calls of one clock board, keeps each rules result by its inputs (the calendar and the
    roll setting being the same for all): thousands of cases share fire and reply dates.
    """
    cal = calendar
    out: list[ClockView] = []
    duties = case.duties()
    if duties.code == "above_city":
        out.append(
            _undated_view(
                case,
                ESCALATION_LABEL,
                "",
                case.fire_date,
                status=ESCALATE,
                explanation=duties.reason,
                basis=duties.basis,
                kind="escalation",
            )
        )

    def add(
        label: str,
        subject: str,
        start: dt.date | None,
        key: tuple[Any, ...],
        make: Any,
        done_on: dt.date | None,
    ) -> None:
        if open_only and done_on is not None:
            return

        def run() -> Any:
            return rules.with_provisional(make, cal)

        if not duties.applies and label != GRADE_CHANGE_LABEL:
            ended = _ended_by_takeover(case, label, subject, start, run, done_on, today)
            if ended is not None:
                out.append(ended)
            elif not open_only:
                out.append(_not_applicable_view(case, label, subject, start, duties))
            return
        compute = run
        if memo is not None:
            table = memo
            # the finished view of the same inputs (its status, explanation and basis texts
            # too) is kept as well: only the case and the subject differ between cases
            shown: ClockView | None = table.get(("view", key, done_on))
            if shown is not None:
                out.append(
                    replace(
                        shown,
                        case_id=case.id,
                        case_no=case.case_no,
                        case_title=case.title,
                        subject=subject,
                        start=start,
                    )
                )
                return

            def compute() -> Any:  # a rules error is not kept: _clock_view explains it
                if key not in table:
                    table[key] = run()
                return table[key]

        view = _clock_view(case, label, subject, start, compute, done_on, today)
        if memo is not None and view.status != CANNOT_COMPUTE:
            memo[("view", key, done_on)] = view
        out.append(view)

    fire = case.fire_date
    if duties.window_applies:
        add(
            GRADE_CHANGE_LABEL,
            "",
            fire,
            ("window", fire),
            lambda c: rules.grade_change_clock(fire),
            None,
        )
    ext = inputs.extension_days
    appraisals = list(inputs.appraisals)
    approver = "、".join(inputs.extension_approvers) or "人民政府"
    late = inputs.unconfirmed_late_days
    add(
        "调查期限",
        "",
        fire,
        ("investigation", fire, ext, inputs.appraisals, approver, late),
        lambda c: rules.investigation_clock(
            fire,
            extension_days=ext,
            appraisals=appraisals,
            calendar=c,
            roll_to_workday=roll_to_workday,
            approver=approver,
            unconfirmed_late_days=late,
        ),
        case.report_submitted_on,
    )
    received = case.report_received_on
    if received is not None:
        add(
            "批复期限",
            "",
            received,
            ("reply", received),
            lambda c: rules.reply_clock(received, c),
            case.reply_on,
        )
    reply = case.reply_on
    if reply is not None:
        for department, filed_on in inputs.tasks:
            add(
                "处理备案期限",
                department,
                reply,
                ("handling", reply),
                lambda c: rules.handling_clock(reply, c, roll_to_workday),
                filed_on,
            )
    closure = case.closed_on or case.reply_on
    # 第二十二条: a 较大 fire — by its statistical grade, or the grade the city investigated it
    # under (第四条: a later death may make a city case 重大 for statistics only)
    if closure is not None and "较大" in (case.grade, case.jurisdiction_grade):
        add(
            "整改评估期限",
            "",
            closure,
            ("evaluation", closure),
            lambda c: rules.evaluation_clock(closure, c, roll_to_workday),
            inputs.evaluation_submitted_on,
        )
    for responsible, set_on, deadline, done_on in inputs.measures:
        add(
            "限期整改",
            responsible,
            set_on,
            ("rectification", set_on, deadline),
            lambda c, s=set_on, d=deadline: rules.rectification_clock(s, d),
            done_on,
        )
    return out


def any_open_clock(clocks: list[ClockView]) -> bool:
    """Whether a clock other than the grade-change window is not done (``has_open_clocks``).

    The window closes by itself as days pass; every other clock is done only by a recorded
    fact, so this flag stays true until the case changes (and is recomputed then).
    """
    return any(
        c.done_on is None and c.label != GRADE_CHANGE_LABEL and c.status != NOT_APPLICABLE
        for c in clocks
    )


def next_due_clock(clocks: list[ClockView]) -> ClockView | None:
    """The earliest open clock with a due date (not the window): the case list's next due."""
    open_clocks = [
        c
        for c in clocks
        if c.due is not None and c.done_on is None and c.label != GRADE_CHANGE_LABEL
    ]
    return min(open_clocks, key=lambda c: c.due or dt.date.max) if open_clocks else None


def next_due(clocks: list[ClockView]) -> tuple[dt.date | None, str]:
    """The case list's next due date and its label (``next_due_clock``)."""
    first = next_due_clock(clocks)
    if first is None:
        return None, ""
    label = first.label + (f"（{first.subject}）" if first.subject else "")
    return first.due, label


def open_clock_rows(case_id: int, clocks: list[ClockView]) -> list[dict[str, Any]]:
    """The ``open_clocks`` rows of a case's clocks (``clocks_of`` order): each clock not done
    and the grade-change window, whatever the day (the board shows it until ``closes_on``)."""
    rows: list[dict[str, Any]] = []
    for position, c in enumerate(clocks):
        window = c.label == GRADE_CHANGE_LABEL
        if (c.done_on is not None and not window) or c.status == NOT_APPLICABLE:
            continue
        rows.append(
            {
                "case_id": case_id,
                "position": position,
                "kind": c.kind,
                "label": c.label,
                "subject": c.subject,
                "start": c.start,
                "due": c.due,
                "paused": c.paused,
                "computed": c.status not in (CANNOT_COMPUTE, ESCALATE),
                "explanation": c.explanation,
                "basis": c.basis,
                "closes_on": c.due if window else None,
                "provisional": c.provisional,
            }
        )
    return rows


def store_open_clocks(session: Session, case_id: int, clocks: list[ClockView]) -> None:
    """Replace the case's ``open_clocks`` rows (Core statements: derived, never audited)."""
    session.execute(delete(OpenClock).where(OpenClock.case_id == case_id))
    rows = open_clock_rows(case_id, clocks)
    if rows:
        session.execute(insert(OpenClock), rows)


def store_search_grams(session: Session, changes: Iterable[tuple[int, str, str]]) -> None:
    """Bring ``case_search_grams`` in line with changed search texts: (case id, old, new).

    Only the pieces that differ are deleted or inserted, by primary key (Core statements:
    derived data, never audited). An empty old text means a new case, an empty new text a
    removed one.
    """
    gone: list[dict[str, Any]] = []
    added: list[dict[str, Any]] = []
    for case_id, old, new in changes:
        if old == new:
            continue
        before, after = search_grams(old), search_grams(new)
        gone += [{"g": g, "c": case_id} for g in sorted(before - after)]
        added += [{"gram": g, "case_id": case_id} for g in sorted(after - before)]
    table = cast(Table, CaseSearchGram.__table__)
    if gone:
        session.execute(
            delete(table).where(table.c.gram == bindparam("g"), table.c.case_id == bindparam("c")),
            gone,
        )
    if added:
        # a piece already there (a search text recomputed after an upgrade) is left alone
        dialect = session.get_bind().dialect.name
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as upsert
        elif dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as upsert  # type: ignore[assignment]
        else:  # pragma: no cover - FireCase runs on SQLite and PostgreSQL
            session.execute(insert(table), added)
            return
        session.execute(upsert(table).on_conflict_do_nothing(), added)


def open_clock_view(row: Any, case_no: str, case_title: str, today: dt.date) -> ClockView:
    """The board's ``ClockView`` of a stored ``open_clocks`` row on ``today`` (not done)."""
    computed = bool(row.computed)
    paused = bool(row.paused)
    due = row.due
    status = rules.clock_status(due, paused, today).value if computed else CANNOT_COMPUTE
    if row.label == ESCALATION_LABEL:
        status = ESCALATE
    return ClockView(
        case_id=row.case_id,
        case_no=case_no,
        case_title=case_title,
        kind=row.kind,
        label=row.label,
        subject=row.subject,
        start=row.start,
        due=due,
        done_on=None,
        status=str(status),
        days_left=rules.days_left(due, paused, today) if computed else None,
        overdue=computed and due is not None and today > due and not paused,
        paused=paused,
        explanation=row.explanation,
        basis=row.basis,
        provisional=bool(row.provisional),
    )


def refresh_case(session: Session, case: Case, actor: str, today: dt.date) -> None:
    """Recompute grade, inclusion, stage and next due date of ``case`` (in this transaction)."""
    session.flush()
    _decide(session, case, actor, today)
    session.flush()
    refresh_derived(session, case, today)


def refresh_derived(session: Session, case: Case, today: dt.date) -> None:
    """Recompute stage, next due date, stored open clocks and the list's search text (no new
    decisions) of one case; ``refresh_stale`` does the same for many cases in batches."""
    stage, clocks = _stage_and_clocks(session, case, today)
    old_text = case.search_text
    _apply_derived(case, stage, clocks)
    store_open_clocks(session, case.id, clocks)
    store_search_grams(session, [(case.id, old_text, case.search_text)])


def _stage_and_clocks(session: Session, case: Case, today: dt.date) -> tuple[str, list[ClockView]]:
    has_tasks = (
        session.scalar(select(HandlingTask.id).where(HandlingTask.case_id == case.id).limit(1))
        is not None
    )
    evaluation = session.scalars(select(Evaluation).where(Evaluation.case_id == case.id)).first()
    members = len(list(session.scalars(select(TeamMember.id).where(TeamMember.case_id == case.id))))
    return derive_stage(case, has_tasks, evaluation, members), case_clocks(session, case, today)


def recompute_imported(session: Session, case: Case, today: dt.date) -> None:
    """The derived data of a case just imported, from its facts alone (nothing the file said
    about stage, due dates or the clock board is kept). Written as ``refresh_stale`` writes
    it: without the ORM, so the case keeps the version it was exported with."""
    session.flush()
    stage, clocks = _stage_and_clocks(session, case, today)
    values = derived_values(case, stage, clocks)
    session.execute(_STALE_UPDATE, [{"b_id": case.id, **{f"b_{k}": v for k, v in values.items()}}])
    store_open_clocks(session, case.id, clocks)
    store_search_grams(session, [(case.id, "", values["search_text"])])
    session.expire(case)


def derived_values(case: Case, stage: str, clocks: list[ClockView]) -> dict[str, Any]:
    """The derived columns of ``case`` for ``stage`` and ``clocks`` (not stale any more)."""
    due, label = next_due(clocks)
    first = next_due_clock(clocks)
    return {
        "stage": stage,
        "next_due_on": due,
        "next_due_label": label,
        "next_due_provisional": first is not None and first.provisional,
        "has_open_clocks": any_open_clock(clocks),
        "clocks_stale": False,
        "search_text": case_search_text(case.case_no, case.title, case.place, case.unit_name),
    }


def _apply_derived(case: Case, stage: str, clocks: list[ClockView]) -> None:
    """Set the case's derived columns within a change to the case (only those that change:
    each is audited with the change that caused it)."""
    for key, value in derived_values(case, stage, clocks).items():
        if getattr(case, key) != value:
            setattr(case, key, value)


_CASES = cast(Table, Case.__table__)
_STALE_UPDATE = (
    _CASES.update()
    .where(_CASES.c.id == bindparam("b_id"))
    .values({key: bindparam(f"b_{key}") for key in sorted(DERIVED_CASE_COLUMNS)})
)
"""Derived columns written by ``refresh_stale`` without the ORM: no version bump (an officer
editing the case meanwhile must not meet a conflict nobody caused) and no audit rows (the edit
that made cases stale, a calendar day or a setting, is audited itself)."""


STALE_BATCH = 500
"""How many stale cases ``refresh_stale`` recomputes per query round and transaction."""


def refresh_stale(cf: CaseFile, today: dt.date) -> int:
    """Recompute the derived data of cases marked stale (after an upgrade or a calendar edit).

    In batches of ``STALE_BATCH`` cases, one transaction each: the milestones, child rows and
    clock inputs of a batch are read with a handful of queries (not six per case), clocks are
    computed once per distinct input (``clocks_of``'s memo), and the stored open clocks are
    replaced with one delete and one insert. A batch that fails leaves its cases stale.
    """
    redecide_pending(cf, today)
    done = 0
    memo: dict[tuple[Any, ...], Any] = {}
    while True:
        with cf.unit_of_work() as uow:
            s = uow.session
            stale = list(
                s.scalars(
                    select(Case)
                    .where(Case.clocks_stale.is_(True))
                    .order_by(Case.id)
                    .limit(STALE_BATCH)
                )
            )
            if not stale:
                return done
            if not done:
                calendar = stored_calendar(s)
                roll = read_settings(s).roll_to_workday
            ids = [c.id for c in stale]
            rows: list[dict[str, Any]] = []
            texts: list[tuple[int, str, str]] = []
            updates: list[dict[str, Any]] = []
            for case, values, clock_rows in _recomputed(s, stale, today, calendar, roll, memo):
                updates.append({"b_id": case.id, **{f"b_{k}": v for k, v in values.items()}})
                texts.append((case.id, case.search_text, values["search_text"]))
                rows.extend(clock_rows)
            s.expunge_all()  # the cases were read only: their derived columns go in by Core
            s.execute(_STALE_UPDATE, updates)
            s.execute(delete(OpenClock).where(OpenClock.case_id.in_(ids)))
            if rows:
                s.execute(insert(OpenClock), rows)
            store_search_grams(s, texts)
            uow.commit()
        done += len(stale)


def _recomputed(
    s: Session,
    cases: list[Case],
    today: dt.date,
    calendar: rules.WorkdayCalendar,
    roll: bool,
    memo: dict[tuple[Any, ...], Any],
) -> Iterator[tuple[Case, dict[str, Any], list[dict[str, Any]]]]:
    """Each case of a batch with its derived columns and ``open_clocks`` rows, recomputed."""
    ids = [c.id for c in cases]
    with_tasks = set(s.scalars(select(HandlingTask.case_id).where(HandlingTask.case_id.in_(ids))))
    evaluations: dict[int, Evaluation] = {}
    for e in s.scalars(
        select(Evaluation).where(Evaluation.case_id.in_(ids)).order_by(Evaluation.id)
    ):
        evaluations.setdefault(e.case_id, e)
    members: dict[int, int] = {
        case_id: count
        for case_id, count in s.execute(
            select(TeamMember.case_id, func.count(TeamMember.id))
            .where(TeamMember.case_id.in_(ids))
            .group_by(TeamMember.case_id)
        )
    }
    inputs = clock_inputs(s, ids)
    for case in cases:
        stage = derive_stage(
            case, case.id in with_tasks, evaluations.get(case.id), members.get(case.id, 0)
        )
        clocks = clocks_of(
            ClockCase.of(case),
            inputs.get(case.id, NO_CLOCK_INPUTS),
            today,
            calendar=calendar,
            roll_to_workday=roll,
            memo=memo,
        )
        yield case, derived_values(case, stage, clocks), open_clock_rows(case.id, clocks)


DERIVED_LABELS = {
    "stage": "办理阶段",
    "next_due_on": "下一期限日期",
    "next_due_label": "下一期限",
    "next_due_provisional": "下一期限是否暂定",
    "has_open_clocks": "是否有未完成的期限",
    "search_text": "检索文本",
}
_CLOCK_FIELDS = (
    "position",
    "kind",
    "label",
    "subject",
    "start",
    "due",
    "paused",
    "computed",
    "explanation",
    "basis",
    "closes_on",
    "provisional",
)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or value == "":
        return "（空）"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def derived_mismatches(cf: CaseFile, today: dt.date, *, limit: int = 200) -> tuple[int, list[str]]:
    """``firecase verify`` for the recomputed data, which the audit trail does not hold: every
    case not marked for recomputation is recomputed as ``refresh_stale`` would (read only,
    nothing written) and its stored derived columns and ``open_clocks`` rows compared. A
    difference was written behind FireCase's back (the columns are writable so that a reader
    can refresh them). Returns the cases checked and at most ``limit`` problems."""
    problems: list[str] = []
    checked = 0
    last = 0
    memo: dict[tuple[Any, ...], Any] = {}
    with cf.unit_of_work() as uow:  # never committed
        s = uow.session
        calendar = stored_calendar(s)
        roll = read_settings(s).roll_to_workday
        while True:
            batch = list(
                s.scalars(
                    select(Case)
                    .where(Case.clocks_stale.is_(False), Case.id > last)
                    .order_by(Case.id)
                    .limit(STALE_BATCH)
                )
            )
            if not batch:
                break
            last = batch[-1].id
            ids = [c.id for c in batch]
            stored_rows: dict[int, list[tuple[Any, ...]]] = {}
            for row in s.scalars(
                select(OpenClock).where(OpenClock.case_id.in_(ids)).order_by(OpenClock.position)
            ):
                stored_rows.setdefault(row.case_id, []).append(
                    tuple(getattr(row, f) for f in _CLOCK_FIELDS)
                )
            for case, values, rows in _recomputed(s, batch, today, calendar, roll, memo):
                checked += 1
                where = f"案件{case.case_no}（第{case.id}号）"
                for key, label in DERIVED_LABELS.items():
                    stored, wanted = getattr(case, key), values[key]
                    if stored != wanted:
                        problems.append(
                            f"{where}的“{label}”为“{_shown(stored)}”，按案卷数据重新计算应为"
                            f"“{_shown(wanted)}”（在 FireCase 之外被改动）"
                        )
                expected = [tuple(r[f] for f in _CLOCK_FIELDS) for r in rows]
                if sorted(expected, key=repr) != sorted(stored_rows.get(case.id, []), key=repr):
                    problems.append(
                        f"{where}的期限看板记录与按案卷数据重新计算的不符（在 FireCase 之外被改动）"
                    )
                if len(problems) >= limit:
                    return checked, problems[:limit]
            s.expunge_all()
    return checked, problems


REDECIDE_ACTOR = "FireCase升级（0009）"

_REDECIDED: weakref.WeakSet[CaseFile] = weakref.WeakSet()
"""Case files ``redecide_pending`` found fully decided in this process."""


def redecide_pending(cf: CaseFile, today: dt.date) -> int:
    """Re-decide the cases an upgrade left undecided (``jurisdiction_grade`` NULL: cases with
    several casualty records, whose counts are now taken by their dates, SPEC R1).

    Each goes through ``refresh_case``: a changed grade or inclusion is a new decision row in
    the audit trail, decided by ``REDECIDE_ACTOR``. A case whose stored facts today's rules
    refuse is left as it is (its workspace says what to correct) and marked decided.

    Only an upgrade leaves cases undecided (every service decision sets the column), so once
    a case file has none the check is not repeated for it (no scan at every list or board).
    """
    if cf in _REDECIDED:
        return 0
    done = 0
    while True:
        # the user who opened the file writes (team mode knows no other actor); the decision
        # rows name the upgrade as who decided
        with cf.unit_of_work() as uow:
            s = uow.session
            batch = list(
                s.scalars(
                    select(Case)
                    .where(Case.jurisdiction_grade.is_(None))
                    .order_by(Case.id)
                    .limit(100)
                )
            )
            if not batch:
                _REDECIDED.add(cf)
                return done
            for case in batch:
                try:
                    with s.begin_nested():
                        refresh_case(s, case, REDECIDE_ACTOR, today)
                except FirecaseError:
                    case.jurisdiction_grade = case.grade or rules.Grade.ORDINARY.value
            uow.commit()
        done += len(batch)


def delete_case_rows(session: Session, case: Case) -> None:
    """Delete a case through the ORM so every deleted row is audited."""
    from firecase.store import models

    child_models: list[Any] = [
        models.GuardReason,
        models.CaseDocument,
        # added with migration 0011 and missed here: their rows went by ON DELETE CASCADE,
        # unaudited, and ``firecase verify`` reported them as deleted outside FireCase
        models.PublicRelease,
        models.PublicReview,
        models.DisclosureKeep,
        models.Person,
        models.SubGroupMember,
        models.EvaluationItemRecommendation,
        models.EvaluationItem,
        models.CustodyEvent,
        models.Attachment,
        models.Appraisal,
        models.Dissent,
        models.RecusalApplication,
        models.Finding,
        models.Recommendation,
        models.SubGroup,
        models.Evaluation,
        models.RectificationMeasure,
        models.EvidenceItem,
        models.TeamMember,
        models.Party,
        models.Redaction,
        models.Publication,
        models.HandlingTask,
        models.ReportSection,
        models.Cause,
        models.Extension,
        models.GradeDecisionRow,
        models.InclusionDecisionRow,
        models.CasualtyUpdate,
    ]
    # the content only this case's attachments may have referred to, pruned below by key
    contents = set(
        session.scalars(
            select(models.Attachment.sha256).where(models.Attachment.case_id == case.id)
        )
    )
    for model in child_models:
        if model is models.SubGroupMember:
            rows = session.scalars(
                select(SubGroupMember)
                .join(SubGroup, SubGroup.id == SubGroupMember.subgroup_id)
                .where(SubGroup.case_id == case.id)
            )
        else:
            rows = session.scalars(select(model).where(model.case_id == case.id))
        for row in list(rows):
            session.delete(row)
        session.flush()
    # the files written from the case stay on record, no longer linked (through the ORM, so
    # the trail holds the change the foreign key's SET NULL would make unaudited)
    for output in session.scalars(
        select(models.ReportOutput).where(models.ReportOutput.case_id == case.id)
    ):
        output.case_id = None
    session.flush()
    session.execute(delete(OpenClock).where(OpenClock.case_id == case.id))  # derived
    store_search_grams(session, [(case.id, case.search_text, "")])
    session.delete(case)
    session.flush()
    from firecase.store import blobs

    if contents:
        blobs.prune(session.connection(), contents)  # content no other case's attachment refers to


# --------------------------------------------------------------------------------------------
# team checks and recusal screening
# --------------------------------------------------------------------------------------------


def _names(stored: str) -> tuple[str, ...]:
    """Stored relatives as the screen reads them: "刘强（兄）" (the relation is kept for the
    flag's reason; ``rules.normalise_name`` drops it when comparing)."""
    return tuple(r.display for r in split_relatives(stored))


def _infos(
    members: list[TeamMember], groups: list[SubGroup], links: dict[int, list[int]], today: dt.date
) -> list[rules.TeamMemberInfo]:
    """Rules' view of the roster: each member's sub-group (the one led, else the first)."""
    by_id = {g.id: g for g in groups}
    infos = []
    for x in members:
        led = next((g for g in groups if g.leader_id == x.id), None)
        first = next((by_id[gid] for gid in links.get(x.id, []) if gid in by_id), None)
        group = led or first
        infos.append(
            rules.TeamMemberInfo(
                name=x.name,
                organisation=x.organisation,
                body=rules.Body(x.body),
                role=rules.TeamRole(x.role),
                subgroup=group.name if group is not None else None,
                is_subgroup_leader=led is not None,
                relatives=_names(x.relatives),
                active=x.left_on is None or x.left_on > today,
            )
        )
    return infos


def team_warnings(
    session: Session, members: list[TeamMember], subgroups: list[SubGroup], today: dt.date
) -> list[TeamWarningView]:
    """Composition warnings from ``rules.check_team``."""
    infos = _infos(members, subgroups, member_links(session, subgroups), today)
    return [
        TeamWarningView(code=w.code, message=w.message, basis=w.basis)
        for w in rules.check_team(infos, [g.name for g in subgroups])
    ]


def member_links(session: Session, groups: list[SubGroup]) -> dict[int, list[int]]:
    """member id → ids of the sub-groups they belong to."""
    out: dict[int, list[int]] = {}
    if not groups:
        return out
    for link in session.scalars(
        select(SubGroupMember)
        .where(SubGroupMember.subgroup_id.in_([g.id for g in groups]))
        .order_by(SubGroupMember.subgroup_id)
    ):
        out.setdefault(link.member_id, []).append(link.subgroup_id)
    return out


def recusal_flags(
    members: list[TeamMember], parties: list[Party], today: dt.date
) -> list[RecusalFlagView]:
    """Possible conflicts from ``rules.screen_recusal``: declared relatives and organisations."""
    active = [x for x in members if x.left_on is None or x.left_on > today]
    by_name = {x.name: x for x in active}
    infos = _infos(active, [], {}, today)
    pinfos = [
        rules.PartyInfo(
            name=p.name,
            kind=rules.PartyKind(p.kind),
            organisation=p.organisation or None,
            relatives=_names(p.relatives),
        )
        for p in parties
    ]
    out: list[RecusalFlagView] = []
    for flag in rules.screen_recusal(infos, pinfos):
        member = by_name.get(flag.member_name)
        out.append(
            RecusalFlagView(
                member_id=member.id if member is not None else 0,
                member_name=flag.member_name,
                party_name=flag.party_name,
                ground=f"第十五条第{'一二三'[flag.ground - 1]}项",
                reason=flag.reason,
                near=flag.near,
            )
        )
    return out


def team_rows(session: Session, case_id: int) -> tuple[list[TeamMember], list[SubGroup]]:
    """A case's members and sub-groups."""
    members = list(
        session.scalars(
            select(TeamMember).where(TeamMember.case_id == case_id).order_by(TeamMember.id)
        )
    )
    groups = list(
        session.scalars(select(SubGroup).where(SubGroup.case_id == case_id).order_by(SubGroup.id))
    )
    return members, groups
