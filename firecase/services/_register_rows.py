"""The rows of each register (``registers``), read from the case file in batched queries.

One function per register: it reads the rows of every case in scope with one query per table
(never one per case) and returns the cells in the register's column order. The clocks come
from the clock board (every case) or the case (one case), so a register shows the same due
dates and statuses as the board and the case's 期限 tab.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from firecase.services import _clock_inputs, _clocks, _judgement, _views as views
from firecase.services.dto import ClockView
from firecase.services.vocab import inclusion_clause_text
from firecase.store import CaseFile, models as m

Cells = tuple[Any, ...]
"""One row of a register: its cells in the register's column order."""

CLOCK_COLUMNS = (
    ("grade_change", "等级变化报告期", "第四条"),
    ("investigation", "调查期限", "第十七条"),
    ("reply", "批复期限", "第十九条"),
    ("handling", "处理备案期限", "第二十条"),
    ("evaluation", "整改评估期限", "第二十二条"),
    ("rectification", "整改期限", "第二十四条"),
)
"""The clocks of the case register: kind, name and article, each a due date and a status."""


# --------------------------------------------------------------------------------------------
# cells
# --------------------------------------------------------------------------------------------


def clock_state(c: ClockView) -> str:
    """A clock's status as a register cell: "进行中（剩余12日）", "已完成（逾期3日）"…,
    "（暂定）" when its date assumes a year the holiday calendar lacks."""
    text = c.status
    if c.done_on is not None and c.late_days:
        text += f"（逾期{c.late_days}日）"
    elif c.done_on is None and c.days_left is not None and c.due is not None:
        left = c.days_left
        text += f"（剩余{left}日）" if left > 0 else ("（今日到期）" if left == 0 else "")
        if left < 0:
            text += f"（逾期{-left}日）"
    return text + ("（暂定）" if c.provisional else "")


def clocks_cells(clocks: list[ClockView]) -> tuple[dt.date | None, str]:
    """(due date, status) of one kind of clock of a case. Several (handling per department,
    rectification per measure): the nearest due date not yet done (else the last), and how
    many stand where ("共3项：已逾期1项、已完成2项")."""
    if not clocks:
        return None, ""
    if len(clocks) == 1:
        return clocks[0].due, clock_state(clocks[0])
    open_dues = [c.due for c in clocks if c.done_on is None and c.due is not None]
    dues = [c.due for c in clocks if c.due is not None]
    due = min(open_dues) if open_dues else (max(dues) if dues else None)
    counts: dict[str, int] = {}
    for c in clocks:
        counts[c.status] = counts.get(c.status, 0) + 1
    parts = "、".join(f"{status}{n}项" for status, n in counts.items())
    marks = "（含暂定日期）" if any(c.provisional for c in clocks) else ""
    return due, f"共{len(clocks)}项：{parts}{marks}"


def _lines(items: Iterable[str]) -> str:
    return "\n".join(i for i in items if i)


def _size(n: int) -> str:
    return (
        f"{n}字节" if n < 1024 else f"{n / 1024:.1f} KB" if n < 1024**2 else f"{n / 1024**2:.1f} MB"
    )


# --------------------------------------------------------------------------------------------
# gathering the rows
# --------------------------------------------------------------------------------------------


def scope(s: Session, case_id: int | None) -> list[m.Case]:
    stmt = select(m.Case).order_by(m.Case.year, m.Case.seq)
    if case_id is not None:
        stmt = stmt.where(m.Case.id == case_id)
    return list(s.scalars(stmt))


def _children(s: Session, model: Any, cases: list[m.Case], *options: Any) -> dict[int, list[Any]]:
    """The rows of ``model`` for the cases, by case id, in entry order (one query)."""
    stmt = select(model).order_by(model.id)
    if len(cases) == 1:
        stmt = stmt.where(model.case_id == cases[0].id)
    if options:
        stmt = stmt.options(*options)
    out: dict[int, list[Any]] = {}
    for row in s.scalars(stmt):
        out.setdefault(row.case_id, []).append(row)
    return out


def clocks(cf: CaseFile, case_id: int | None, today: dt.date) -> dict[int, list[ClockView]]:
    """The clocks the measures impose, done ones too, by case id."""
    from firecase.services.clock_board import clock_board
    from firecase.services.reading import get_case

    if case_id is None:
        board: Iterable[ClockView] = clock_board(cf, today, include_done=True)
    else:
        board = get_case(cf, case_id, today=today).clocks
    out: dict[int, list[ClockView]] = {}
    for c in board:
        if c.status != _clocks.NOT_APPLICABLE and c.kind != "escalation":
            out.setdefault(c.case_id, []).append(c)
    return out


def case_rows(s: Session, cases: list[m.Case], clocks: dict[int, list[ClockView]]) -> list[Cells]:
    """案件台账."""
    latest_ids = select(func.max(m.GradeDecisionRow.id)).group_by(m.GradeDecisionRow.case_id)
    standards = {
        g.case_id: g.standard
        for g in s.scalars(select(m.GradeDecisionRow).where(m.GradeDecisionRow.id.in_(latest_ids)))
    }
    casualties = _children(s, m.CasualtyUpdate, cases)
    rows = []
    for n, c in enumerate(cases, start=1):
        records = sorted(
            casualties.get(c.id, []), key=lambda u: (_judgement.casualty_record(u).sort_key, u.id)
        )
        last = records[-1] if records else None
        duties = _clock_inputs.ClockCase.of(c).duties()
        by_kind: dict[str, list[ClockView]] = {}
        for clock in clocks.get(c.id, []):
            by_kind.setdefault(clock.kind, []).append(clock)
        clock_cells = [
            cell for kind, _, _ in CLOCK_COLUMNS for cell in clocks_cells(by_kind.get(kind, []))
        ]
        rows.append(
            (
                n,
                c.case_no,
                c.title,
                c.fire_date,
                c.fire_time,
                c.place,
                c.address,
                c.unit_name,
                c.fire_type,
                last.deaths if last else None,
                last.serious_injuries if last else None,
                last.minor_injuries if last else None,
                (last.as_of or last.recorded_on) if last else None,
                c.property_loss_yuan,
                c.economic_loss_yuan,
                c.households_affected,
                c.burned_area_m2,
                c.nature,
                c.grade or "",
                standards.get(c.id, ""),
                "" if c.included is None else ("是" if c.included else "否"),
                inclusion_clause_text(c.inclusion_clauses or ""),
                f"{duties.reason}（{duties.basis}）" if duties.basis else duties.reason,
                c.stage,
                *clock_cells,
                c.summary,
            )
        )
    return rows


def deadline_rows(cf: CaseFile, case_id: int | None, today: dt.date) -> list[Cells]:
    from firecase.services.clock_board import clock_board

    board = [
        c
        for c in clock_board(cf, today, include_done=False)
        if case_id is None or c.case_id == case_id
    ]
    return [
        (
            n,
            c.case_no,
            c.case_title,
            c.label,
            c.subject,
            c.start,
            c.due,
            c.days_left if c.done_on is None else None,
            c.status + ("（暂定）" if c.provisional else ""),
            c.explanation,
            c.basis,
        )
        for n, c in enumerate(board, start=1)
    ]


def member_rows(s: Session, cases: list[m.Case], today: dt.date) -> list[Cells]:
    members = _children(s, m.TeamMember, cases)
    groups = _children(s, m.SubGroup, cases)
    links: dict[int, set[int]] = {}
    stmt = select(m.SubGroupMember.subgroup_id, m.SubGroupMember.member_id)
    if len(cases) == 1:
        stmt = stmt.where(
            m.SubGroupMember.subgroup_id.in_([g.id for g in groups.get(cases[0].id, [])])
        )
    for group_id, member_id in s.execute(stmt):
        links.setdefault(group_id, set()).add(member_id)
    rows: list[Cells] = []
    for c in cases:
        for x in members.get(c.id, []):
            own = [
                g.name + ("（组长）" if g.leader_id == x.id else "")
                for g in groups.get(c.id, [])
                if x.id in links.get(g.id, set()) or g.leader_id == x.id
            ]
            view = views.member_view(x, today)
            if x.left_on is None:
                place = "在组"
            elif view.active:
                place = f"在组（{x.left_on.isoformat()}起回避）"
            else:
                place = f"已回避（{x.left_on.isoformat()}起，第十五条）"
            rows.append(
                (
                    len(rows) + 1,
                    c.case_no,
                    c.title,
                    x.name,
                    x.organisation,
                    x.title,
                    x.role,
                    x.body,
                    "、".join(own),
                    x.joined_on,
                    x.expertise,
                    "、".join(view.relatives),
                    place,
                    x.left_on,
                )
            )
    return rows


def party_rows(s: Session, cases: list[m.Case]) -> list[Cells]:
    parties = _children(s, m.Party, cases)
    rows: list[Cells] = []
    for c in cases:
        for p in parties.get(c.id, []):
            view = views.party_view(p)
            rows.append(
                (
                    len(rows) + 1,
                    c.case_no,
                    c.title,
                    p.kind,
                    p.name,
                    p.role,
                    p.organisation,
                    "、".join(view.relatives),
                    p.contact,
                    p.note,
                )
            )
    return rows


def evidence_rows(s: Session, cases: list[m.Case]) -> list[Cells]:
    items = _children(s, m.EvidenceItem, cases)
    custody: dict[int, list[m.CustodyEvent]] = {}
    for links in _children(s, m.CustodyEvent, cases).values():
        for e in links:
            custody.setdefault(e.evidence_id, []).append(e)
    files: dict[int, list[m.Attachment]] = {}
    for found in _children(s, m.Attachment, cases).values():
        for a in found:
            if a.evidence_id is not None:
                files.setdefault(a.evidence_id, []).append(a)
    rows: list[Cells] = []
    for c in cases:
        for e in items.get(c.id, []):
            chain = sorted(custody.get(e.id, []), key=lambda x: (x.on, x.id))
            attached = files.get(e.id, [])
            rows.append(
                (
                    len(rows) + 1,
                    c.case_no,
                    c.title,
                    e.code,
                    e.name,
                    e.kind,
                    e.description,
                    e.collected_on,
                    e.collected_by,
                    e.location,
                    _lines(
                        f"{x.on.isoformat()} {x.action}"
                        + (
                            f"：{x.from_holder or '—'}→{x.to_holder or '—'}"
                            if x.from_holder or x.to_holder
                            else ""
                        )
                        + (f"（{x.note}）" if x.note else "")
                        for x in chain
                    ),
                    next((x.to_holder for x in reversed(chain) if x.to_holder), e.collected_by),
                    _lines(f"{a.filename}（{_size(a.size)}）" for a in attached),
                    _lines(a.sha256 for a in attached),
                )
            )
    return rows


def _match(
    clocks: list[ClockView], kind: str, subject: str, due: dt.date | None = None
) -> ClockView | None:
    return next(
        (
            c
            for c in clocks
            if c.kind == kind and c.subject == subject and (due is None or c.due == due)
        ),
        None,
    )


def recommendation_rows(
    s: Session, cases: list[m.Case], clocks: dict[int, list[ClockView]]
) -> list[Cells]:
    """处理建议台账: each recommendation with its acting authority's 第二十条 clock."""
    recs = _children(s, m.Recommendation, cases)
    rows: list[Cells] = []
    for c in cases:
        for r in recs.get(c.id, []):
            clock = _match(clocks.get(c.id, []), "handling", r.authority)
            rows.append(
                (
                    len(rows) + 1,
                    c.case_no,
                    c.title,
                    r.target_name,
                    r.target_kind,
                    r.area,
                    r.kind,
                    r.text,
                    r.basis,
                    r.authority,
                    clock.due if clock else None,
                    clock_state(clock) if clock else ("批复后起算" if c.reply_on is None else ""),
                    r.feedback,
                    r.feedback_on,
                    r.filed_on,
                    r.transferred_on,
                    r.transferred_to,
                )
            )
    return rows


def measure_rows(
    s: Session, cases: list[m.Case], clocks: dict[int, list[ClockView]]
) -> list[Cells]:
    """整改台账: each measure with its 第二十四条 clock and the evaluation's result."""
    measures = _children(s, m.RectificationMeasure, cases)
    items = _children(s, m.EvaluationItem, cases)
    rows: list[Cells] = []
    for c in cases:
        checked = items.get(c.id, [])
        ordered = {i.order_id for i in checked if i.order_id is not None}
        for x in measures.get(c.id, []):
            clock = (
                _match(clocks.get(c.id, []), "rectification", x.responsible, x.deadline)
                if x.deadline
                else None
            )
            result = next((i for i in reversed(checked) if i.measure_id == x.id), None)
            rows.append(
                (
                    len(rows) + 1,
                    c.case_no,
                    c.title,
                    x.text,
                    x.responsible,
                    x.set_on,
                    x.deadline,
                    x.done_on,
                    x.status,
                    clock_state(clock) if clock else "",
                    "评估时限期整改（第二十四条）" if x.id in ordered else "调查报告提出",
                    result.result if result else "",
                    result.checked_on if result else None,
                    result.evidence if result else "",
                )
            )
    return rows
