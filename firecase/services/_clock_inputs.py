"""The stage of a case and what its clocks are computed from (``ClockCase``, ``ClockInputs``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase import rules
from firecase.services._judgement import scope_view
from firecase.services.dto import (
    ScopeView,
    Stage,
)
from firecase.store.models import (
    Appraisal,
    Case,
    Evaluation,
    Extension,
    HandlingTask,
    RectificationMeasure,
)

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
    """The child rows of one case the clocks depend on, in the services' order.

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
