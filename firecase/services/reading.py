"""Reading cases: one case as the workspace shows it (``get_case``), its summary, a case by
its number, and the case list with its count (search, filters, order, pages).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, case, false, func, select
from sqlalchemy.orm import Session

from firecase.errors import ValidationError
from firecase.services import _common as v, _derive, _judgement
from firecase.services._detail import detail
from firecase.services._views import case_summary
from firecase.services.dto import (
    CaseDetail,
    CasePage,
    CaseSort,
    CaseSummary,
    Stage,
)
from firecase.services.vocab import CASE_ROW_COLUMNS, case_row
from firecase.store import CaseFile
from firecase.store.models import (
    Case,
    CaseSearchGram,
    search_grams,
)


def get_case(cf: CaseFile, case_id: int, *, today: dt.date | None = None) -> CaseDetail:
    """Everything a case workspace shows, read in one transaction."""
    now = v.today_or(today)
    with cf.unit_of_work() as uow:
        obj = v.load_case(uow.session, case_id)
        return detail(uow.session, obj, now)


def get_case_summary(cf: CaseFile, case_id: int) -> CaseSummary:
    """The case row only (cheap: e.g. to refresh ``version`` before a case-level edit)."""
    with cf.unit_of_work() as uow:
        return case_summary(v.load_case(uow.session, case_id))


def find_case_id(cf: CaseFile, case_no: str) -> int:
    """The id of the case with this number (``NotFoundError`` if none)."""
    no = v.text(case_no, "case_no", "案件编号", max_len=64)
    with cf.unit_of_work() as uow:
        found = uow.session.scalar(select(Case.id).where(Case.case_no == no))
    if found is None:
        from firecase.errors import NotFoundError

        raise NotFoundError(f"没有编号为“{no}”的案件。", field="case_no")
    return int(found)


_GRADE_RANK = case(
    (Case.grade == "特别重大", 4),
    (Case.grade == "重大", 3),
    (Case.grade == "较大", 2),
    (Case.grade == "一般", 1),
    else_=0,
)


_STAGE_RANK = case(
    *((Case.stage == stage.value, i) for i, stage in enumerate(Stage)), else_=len(Stage)
)


_DUE_ORDER = (Case.next_due_on.is_(None), Case.next_due_on, Case.id)


def _order_by(order: CaseSort) -> list[Any]:
    """The ORDER BY of a case-list sort; every order ends on a unique key (stable paging).

    Cases without an open clock come last in both directions of the due-date sort.
    """
    orders: dict[CaseSort, list[Any]] = {
        CaseSort.NEXT_DUE: list(_DUE_ORDER),
        CaseSort.NEXT_DUE_DESC: [
            Case.next_due_on.is_(None),
            Case.next_due_on.desc(),
            Case.id.desc(),
        ],
        CaseSort.FIRE_DATE_DESC: [Case.fire_date.desc(), Case.id.desc()],
        CaseSort.FIRE_DATE_ASC: [Case.fire_date, Case.id],
        CaseSort.CASE_NO: [Case.year.desc(), Case.seq.desc(), Case.id.desc()],
        CaseSort.CASE_NO_ASC: [Case.year, Case.seq, Case.id],
        CaseSort.GRADE: [_GRADE_RANK.desc(), Case.fire_date.desc(), Case.id.desc()],
        CaseSort.GRADE_ASC: [_GRADE_RANK, Case.fire_date, Case.id],
        CaseSort.STAGE: [_STAGE_RANK, *_DUE_ORDER],
        CaseSort.STAGE_DESC: [_STAGE_RANK.desc(), *_DUE_ORDER],
    }
    return orders[order]


def _conditions(
    *,
    text: str | None,
    stage: str | None,
    grade: str | None,
    overdue_only: bool,
    today: dt.date,
    session: Session | None = None,
) -> tuple[list[Any], str]:
    """The WHERE clauses of a case-list filter, and how its text search finds cases: "" (no
    text), "pieces" (by key through ``case_search_grams``) or "scan" (``LIKE`` over all)."""
    where: list[Any] = []
    searched = ""
    if text is not None:
        needle = v.text(text, "text", "搜索文字", max_len=100, required=False)
        if needle:
            clause, searched = _text_match(needle.lower(), session)
            where.append(clause)
    if stage is not None:
        where.append(Case.stage == v.choice(stage, "stage", "阶段", [s.value for s in Stage]))
    if grade is not None:
        where.append(Case.grade == v.choice(grade, "grade", "火灾等级", _judgement.grades()))
    if v.flag(overdue_only, "overdue_only", "仅显示逾期"):
        where.append(and_(Case.next_due_on.is_not(None), Case.next_due_on < today))
    return where, searched


SPARSE_MATCHES = 900
"""A text search matching at most this many cases reads its page by id.

The list is sorted by due date; a search whose matches are rare would otherwise walk the
due-date order through most of the file before a page is full (a surname in no case: 70 ms
on 100,000 cases). Their ids are read instead and the page is read by id: narrowed by a
piece, the ids come first (cheap) and their number is the count; scanning, the count comes
first (one pass), so that a search found nowhere or everywhere costs no second pass. Below
SQLite's oldest limit of 999 bound parameters."""


GRAM_COMMON = 12_000
"""A two-character piece found in this many cases is too common to narrow a search down:
the search then scans ``search_text``'s index instead. Measured on 100,000 cases: reading
15,600 candidates by key ("2019" through "19") took 57 ms against 34 ms for the scan; below
about 8,000 the pieces win again ("第12": 31 ms through its piece, 88 ms scanning)."""


GRAMS_WEIGHED = 6
"""How many of a long search's pieces are counted to find the rarest one."""


def _text_match(needle: str, session: Session | None) -> tuple[Any, str]:
    """The WHERE clause of the text search for the lower-cased ``needle``, and "pieces" or
    "scan" for how it finds the cases (see ``_conditions``).

    One ``LIKE`` on the lower-cased case number, title, place and unit (migration 0006),
    narrowed first by the rarest two-character piece of the needle in ``case_search_grams``
    (migration 0008; each count stops at ``GRAM_COMMON``): the candidates are found by primary
    key, not by reading every case. A two-character needle is its own piece, so no ``LIKE``
    is needed; one character, or only very common pieces, scan the index of ``search_text``.
    """
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    like = Case.search_text.like(f"%{escaped}%", escape="\\")
    grams = sorted(search_grams(needle))[:GRAMS_WEIGHED]
    if session is None or not grams:
        return like, "scan"
    counts = {
        g: int(
            session.scalar(
                select(func.count()).select_from(
                    select(CaseSearchGram.case_id)
                    .where(CaseSearchGram.gram == g)
                    .limit(GRAM_COMMON)
                    .subquery()
                )
            )
            or 0
        )
        for g in grams
    }
    rarest = min(grams, key=lambda g: counts[g])
    if counts[rarest] == 0:
        return false(), "pieces"
    if counts[rarest] >= GRAM_COMMON:
        return like, "scan"
    found = Case.id.in_(select(CaseSearchGram.case_id).where(CaseSearchGram.gram == rarest))
    return (found if needle == rarest else and_(found, like)), "pieces"


def page_select() -> Any:
    """The columns of a case-list row (``vocab.CASE_ROW_COLUMNS``), unfiltered and unsorted."""
    return select(*(getattr(Case, name) for name in CASE_ROW_COLUMNS))


def page_statement(where: Sequence[Any], order: CaseSort, offset: int, limit: int) -> Any:
    """The SELECT of one case-list page: ``where`` clauses (see ``_conditions``), sort, page."""
    return page_select().where(*where).order_by(*_order_by(order)).offset(offset).limit(limit)


def count_statement(where: Sequence[Any]) -> Any:
    """The SELECT counting the cases ``where`` matches."""
    return select(func.count(Case.id)).where(*where)


def list_cases(
    cf: CaseFile,
    *,
    text: str | None = None,
    stage: str | None = None,
    grade: str | None = None,
    overdue_only: bool = False,
    sort: CaseSort | str = CaseSort.NEXT_DUE,
    offset: int = 0,
    limit: int = 100,
    today: dt.date | None = None,
) -> CasePage:
    """One page of the case list, filtered, sorted and paged in SQL (reads case rows only)."""
    now = v.today_or(today)
    off = v.integer(offset, "offset", "起始行", maximum=10**9)
    lim = v.integer(limit, "limit", "每页行数", minimum=1, maximum=1000)
    try:
        order = CaseSort(sort)
    except ValueError as exc:
        raise ValidationError("排序方式无效。", field="sort") from exc
    _derive.refresh_stale(cf, now)
    with cf.unit_of_work() as uow:
        s = uow.session
        where, searched = _conditions(
            text=text,
            stage=stage,
            grade=grade,
            overdue_only=overdue_only,
            today=now,
            session=s,
        )
        ids: Sequence[int] | None = None
        total: int | None = None
        if searched == "pieces":  # few matches: read by id (see SPARSE_MATCHES)
            probe = s.scalars(select(Case.id).where(*where).limit(SPARSE_MATCHES + 1)).all()
            if len(probe) <= SPARSE_MATCHES:
                ids, total = probe, len(probe)
        if total is None:
            total = int(s.scalar(count_statement(where)) or 0)
            if searched == "scan" and 0 < total <= SPARSE_MATCHES:
                ids = s.scalars(select(Case.id).where(*where)).all()
                total = len(ids)  # the same statement's view of the file (PostgreSQL)
        if ids is not None:
            where = [Case.id.in_(ids)]
        rows = s.execute(page_statement(where, order, off, lim)).all() if total else []
    return CasePage(
        rows=tuple(case_row(r, now) for r in rows),
        total=total,
        offset=off,
        limit=lim,
    )


def count_cases(
    cf: CaseFile,
    *,
    text: str | None = None,
    stage: str | None = None,
    grade: str | None = None,
    overdue_only: bool = False,
    today: dt.date | None = None,
) -> int:
    """How many cases match the filter (same filter as ``list_cases``)."""
    now = v.today_or(today)
    _derive.refresh_stale(cf, now)
    with cf.unit_of_work() as uow:
        where, _searched = _conditions(
            text=text,
            stage=stage,
            grade=grade,
            overdue_only=overdue_only,
            today=now,
            session=uow.session,
        )
        return int(uow.session.scalar(count_statement(where)) or 0)


def case_list_row(cf: CaseFile, case_id: int, today: dt.date) -> Any:
    """One case's row of the case list, as ``list_cases`` builds it, read by id (None when the
    case is gone): what the window refreshes after a save in that case's tab."""
    from firecase.store.models import Case

    stmt = select(*(getattr(Case, name) for name in CASE_ROW_COLUMNS)).where(Case.id == case_id)
    with cf.unit_of_work() as uow:
        values = uow.session.execute(stmt).first()
    return None if values is None else case_row(tuple(values), today)
