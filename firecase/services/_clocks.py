"""The clocks of a case as ``ClockView``s (``clocks_of``), the stored open clocks and the
case list's search grams."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert
from sqlalchemy.orm import Session

from firecase import rules
from firecase.errors import FirecaseError
from firecase.rules import urgency as rules_urgency
from firecase.services._clock_inputs import NO_CLOCK_INPUTS, ClockCase, ClockInputs, clock_inputs
from firecase.services._judgement import _text_of
from firecase.services._reads import (
    read_settings,
    stored_calendar,
)
from firecase.services.dto import (
    ClockView,
)
from firecase.store.models import (
    Case,
    CaseSearchGram,
    OpenClock,
    search_grams,
)

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
    """Every clock of a case, computed by the rules from the stored rows."""
    cal = calendar if calendar is not None else stored_calendar(session)
    roll_to_workday = read_settings(session).roll_to_workday if roll is None else roll
    inputs = clock_inputs(session, [case.id]).get(case.id, NO_CLOCK_INPUTS)
    return clocks_of(
        ClockCase.of(case), inputs, today, calendar=cal, roll_to_workday=roll_to_workday
    )


def evaluation_applies(grade: str | None, jurisdiction_grade: str | None) -> bool:
    """Whether 第二十二条's evaluation applies: a 较大 fire, by its statistical grade or by the
    grade the city investigated it under (第四条: a later death may make a city case 重大 for
    statistics only)."""
    return "较大" in (grade, jurisdiction_grade)


def evaluation_open(grade: str | None, jurisdiction_grade: str | None, *, begun: bool) -> bool:
    """Whether an evaluation may be set up or go on: one that applies (``evaluation_applies``),
    or one ``begun`` while the case was 较大, to be finished after a regrade."""
    return begun or evaluation_applies(grade, jurisdiction_grade)


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
    if closure is not None and evaluation_applies(case.grade, case.jurisdiction_grade):
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

    By primary key only (the table has no index on ``case_id`` alone; Core statements:
    derived data, never audited): the old text's pieces the new one lacks are deleted, and
    every piece of the new text is inserted where missing, so a piece missing from any cause
    is restored at the next change instead of lasting (``firecase verify`` compares them). An
    empty old text means a new case, an empty new text a removed one.
    """
    gone: list[dict[str, Any]] = []
    added: list[dict[str, Any]] = []
    for case_id, old, new in changes:
        if old == new:
            continue
        before, after = search_grams(old), search_grams(new)
        gone += [{"g": g, "c": case_id} for g in sorted(before - after)]
        added += [{"gram": g, "case_id": case_id} for g in sorted(after)]
    table = cast(Table, CaseSearchGram.__table__)
    if gone:
        session.execute(
            delete(table).where(table.c.gram == bindparam("g"), table.c.case_id == bindparam("c")),
            gone,
        )
    if not added:
        return
    # the pieces already there are left alone
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
