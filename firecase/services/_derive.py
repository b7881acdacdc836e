"""Everything the services derive through ``firecase.rules``: decisions, stage, clocks.

This module is the one place that turns stored rows into the rules' inputs and the rules'
results into stored decisions and ``ClockView``s. It never re-implements a rule.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Collection, Iterator
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from firecase import rules
from firecase.errors import FirecaseError
from firecase.services._clock_inputs import NO_CLOCK_INPUTS, ClockCase, clock_inputs, derive_stage
from firecase.services._clocks import (
    any_open_clock,
    case_clocks,
    clocks_of,
    next_due,
    next_due_clock,
    open_clock_rows,
    store_open_clocks,
    store_search_grams,
)
from firecase.services._judgement import _decide
from firecase.services._reads import (
    read_settings,
    stored_calendar,
)
from firecase.services.dto import (
    ClockView,
)
from firecase.store import CaseFile
from firecase.store.models import (
    DERIVED_CASE_COLUMNS,
    Case,
    CaseSearchGram,
    Evaluation,
    HandlingTask,
    OpenClock,
    SubGroup,
    SubGroupMember,
    TeamMember,
    case_search_text,
    search_grams,
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


def derived_mismatches(
    cf: CaseFile,
    today: dt.date,
    *,
    limit: int = 200,
    case_ids: Collection[int] | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, list[str]]:
    """``firecase verify`` for the recomputed data, which the audit trail does not hold: every
    case not marked for recomputation is recomputed as ``refresh_stale`` would (read only,
    nothing written) and its stored derived columns and ``open_clocks`` rows compared. A
    difference was written behind FireCase's back (the columns are writable so that a reader
    can refresh them). Returns the cases checked and at most ``limit`` problems.

    ``case_ids``: only those cases (the incremental check: the cases written since a verified
    point). ``progress`` is told the cases checked after each batch."""
    wanted_ids = None if case_ids is None else sorted(set(case_ids))
    position = 0
    problems: list[str] = []
    checked = 0
    last = 0
    memo: dict[tuple[Any, ...], Any] = {}
    with cf.unit_of_work() as uow:  # never committed
        s = uow.session
        calendar = stored_calendar(s)
        roll = read_settings(s).roll_to_workday
        while True:
            stmt = select(Case).where(Case.clocks_stale.is_(False))
            if wanted_ids is not None:  # the wanted ids, a batch at a time
                chunk = wanted_ids[position : position + STALE_BATCH]
                if not chunk:
                    break
                position += len(chunk)
                batch = list(s.scalars(stmt.where(Case.id.in_(chunk)).order_by(Case.id)))
            else:
                batch = list(
                    s.scalars(stmt.where(Case.id > last).order_by(Case.id).limit(STALE_BATCH))
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
            stored_grams: dict[int, set[str]] = {}
            for case_id, gram in s.execute(
                select(CaseSearchGram.case_id, CaseSearchGram.gram).where(
                    CaseSearchGram.case_id.in_(ids)
                )
            ):
                stored_grams.setdefault(case_id, set()).add(gram)
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
                # the search index: a piece deleted behind FireCase's back hides the case
                # from every search holding it
                if search_grams(values["search_text"]) != stored_grams.get(case.id, set()):
                    problems.append(
                        f"{where}的检索索引与按案卷数据重新计算的不符（在 FireCase 之外被改动，"
                        "搜索会漏掉或误列该案件）"
                    )
                if len(problems) >= limit:
                    return checked, problems[:limit]
            s.expunge_all()
            if progress is not None:
                progress(checked)
    return checked, problems


REDECIDE_ACTOR = "FireCase升级（0009）"

_REDECIDED: weakref.WeakSet[CaseFile] = weakref.WeakSet()
"""Case files ``redecide_pending`` found fully decided in this process."""


def redecide_pending(cf: CaseFile, today: dt.date) -> int:
    """Re-decide the cases an upgrade left undecided (``jurisdiction_grade`` NULL: cases with
    several casualty records, whose counts are now taken by their dates).

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
    # its 回收站 goes with it, after the case row (``RecycleEntry``: no foreign key, so a
    # leader's removal passes the bin's row-level security only once the case is gone)
    entries = list(
        session.scalars(select(models.RecycleEntry).where(models.RecycleEntry.case_id == case.id))
    )
    if entries:
        kept = list(
            session.scalars(
                select(models.RecycleContent).where(
                    models.RecycleContent.entry_id.in_([e.id for e in entries])
                )
            )
        )
        contents |= {k.sha256 for k in kept}
        for link in kept:
            session.delete(link)
        session.flush()
        for entry in entries:
            session.delete(entry)
        session.flush()
    from firecase.store import blobs

    if contents:
        blobs.prune(session.connection(), contents)  # content no other case's attachment refers to
