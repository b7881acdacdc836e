"""Reading cases: one case as the workspace shows it (``get_case``), its summary, a case by
its number, and the case list with its count (search, filters, order, pages).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import and_, false, func, select
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
    GRADE_RANK,
    STAGE_RANK,
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


# the grade and stage ranks as indexed by migration 0022 (literals: see ``models.GRADE_RANK``)
_GRADE_RANK = GRADE_RANK
_STAGE_RANK = STAGE_RANK


_DUE_ORDER = (Case.next_due_on.is_(None), Case.next_due_on, Case.id)


def _order_by(order: CaseSort) -> list[Any]:
    """The ORDER BY of a case-list sort; every order ends on a unique key (stable paging).

    Cases without an open clock come last in both directions of the due-date sort.
    """
    orders: dict[CaseSort, list[Any]] = {
        CaseSort.NEXT_DUE: list(_DUE_ORDER),
        # the cases with a date first (NOT NULL descending): ix_cases_due_order_reversed backwards
        CaseSort.NEXT_DUE_DESC: [
            Case.next_due_on.is_not(None).desc(),
            Case.next_due_on.desc(),
            Case.id.desc(),
        ],
        CaseSort.FIRE_DATE_DESC: [Case.fire_date.desc(), Case.id.desc()],
        CaseSort.FIRE_DATE_ASC: [Case.fire_date, Case.id],
        # (year, seq) is unique: its index serves the order on PostgreSQL too
        CaseSort.CASE_NO: [Case.year.desc(), Case.seq.desc()],
        CaseSort.CASE_NO_ASC: [Case.year, Case.seq],
        CaseSort.GRADE: [_GRADE_RANK.desc(), Case.fire_date.desc(), Case.id.desc()],
        CaseSort.GRADE_ASC: [_GRADE_RANK, Case.fire_date, Case.id],
        CaseSort.STAGE: [_STAGE_RANK, *_DUE_ORDER],
        CaseSort.STAGE_DESC: [_STAGE_RANK.desc(), *_DUE_ORDER],
    }
    return orders[order]


class _Filter(NamedTuple):
    """The WHERE clauses of a case-list filter and how its text search finds the cases:
    ``searched`` "" (no text), "pieces" (by key through ``case_search_grams``) or "scan"
    (``LIKE`` over all); ``matches``: how many cases match, when the piece alone decides and
    its count is known already; ``walk``: the same clauses for reading a page along the
    sort's index (see ``list_cases``)."""

    where: list[Any]
    searched: str
    matches: int | None = None
    walk: list[Any] | None = None


def _conditions(
    *,
    text: str | None,
    stage: str | None,
    grade: str | None,
    overdue_only: bool,
    today: dt.date,
    session: Session | None = None,
) -> _Filter:
    """The case-list filter (see ``_Filter``)."""
    where: list[Any] = []
    if stage is not None:
        where.append(Case.stage == v.choice(stage, "stage", "阶段", [s.value for s in Stage]))
    if grade is not None:
        where.append(Case.grade == v.choice(grade, "grade", "火灾等级", _judgement.grades()))
    if v.flag(overdue_only, "overdue_only", "仅显示逾期"):
        where.append(and_(Case.next_due_on.is_not(None), Case.next_due_on < today))
    if text is not None:
        needle = v.text(text, "text", "搜索文字", max_len=100, required=False)
        if needle:
            found = _text_match(needle.lower(), session, alone=not where)
            return _Filter(
                [found.clause, *where],
                found.how,
                found.matches,
                None if found.walk is None else [found.walk, *where],
            )
    return _Filter(where, "")


SPARSE_MATCHES = 900
"""A text search matching at most this many cases reads its page by id.

The list is sorted by due date; a search whose matches are rare would otherwise walk the
due-date order through most of the file before a page is full (a surname in no case: 70 ms
on 100,000 cases). Their ids are read instead and the page is read by id: narrowed by a
piece, the ids come first (cheap) and their number is the count; scanning, the count comes
first (one pass), so that a search found nowhere or everywhere costs no second pass. Below
SQLite's oldest limit of 999 bound parameters."""


WALK = "(offset + limit) × cases < matches²"
"""When a page of many matches found through a piece is read along the sort's index with the
``LIKE`` alone (about ``cases / matches`` rows read per row shown), instead of reading every
match by key and sorting them all: the cheaper of the two (100,000 cases, 仓库 in 13,536:
20 ms by key, 1.3 ms along the index)."""


GRAM_SHARE = 0.2
"""A search whose rarest two-character piece is in more than this share of the cases scans
instead (``search_text``'s index, one ``LIKE`` per case): each candidate found through a
piece costs a read of its case row and a ``LIKE``, about five entries of the scan. Measured
on 100,000 cases: 东湖社区 through 湖社 (10,069 candidates) 36 ms against
89 ms scanning, 2019 through 19 (15,771) 63 against 69 ms. See ``gram_cutoff``."""

GRAM_SHARE_EXACT = 0.5
"""The same for a needle of two characters, its own piece, with another condition (stage,
grade, overdue): no ``LIKE`` is needed, only the other condition read from each case row.
Searched alone its piece always wins: the count is the piece's (see ``_text_match``)."""

GRAM_FLOOR = 100
"""The cut-off of a tiny archive, where either way costs next to nothing."""

GRAMS_WEIGHED = 12
"""How many of a long search's pieces are counted to find the rarest one: each count stops
at ``SPARSE_MATCHES`` first (a rare piece settles it), then at four times that, and so on
up to the cut-off, and never past the rarest so far."""


def archive_size(session: Session) -> int:
    """How many cases the archive holds, estimated from the highest id (one index lookup,
    where ``count(*)`` reads every case; deleted cases only raise the estimate)."""
    return int(session.scalar(select(func.max(Case.id))) or 0)


def gram_cutoff(session: Session, *, exact: bool, alone: bool = False) -> int:
    """The number of cases from which a piece is too common to narrow a search down: a share
    of the archive (``GRAM_SHARE``, ``GRAM_SHARE_EXACT`` for a two-character needle), at least
    ``GRAM_FLOOR``; never, for a two-character needle searched ``alone``. Either way finds
    the same cases; this only picks the cheaper one."""
    size = archive_size(session)
    if exact and alone:
        return size + 1
    return max(GRAM_FLOOR, int(size * (GRAM_SHARE_EXACT if exact else GRAM_SHARE)))


class _Match(NamedTuple):
    clause: Any
    how: str  # "pieces" or "scan"
    matches: int | None = None  # the cases of a two-character needle, counted by its piece
    walk: Any = None  # the same cases by ``LIKE`` alone: checked on each row read in order


def _text_match(needle: str, session: Session | None, *, alone: bool = False) -> _Match:
    """The WHERE clause of the text search for the lower-cased ``needle`` and how it finds
    the cases (see ``_Filter``); ``alone``: no other condition filters the list.

    One ``LIKE`` on the lower-cased case number, title, place and unit (migration 0006),
    narrowed first by the rarest two-character piece of the needle in ``case_search_grams``
    (migration 0008): the candidates are found by primary key, not by reading every case,
    while the rarest piece is in fewer cases than ``gram_cutoff``. A two-character needle is
    its own piece, so no ``LIKE`` is needed, and searched alone its count is the number of
    matches (the piece never loses to a scan then); one character, or only common pieces,
    scan the index of ``search_text``.
    """
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    like = Case.search_text.like(f"%{escaped}%", escape="\\")
    grams = sorted(search_grams(needle))[:GRAMS_WEIGHED]
    if session is None or not grams:
        return _Match(like, "scan")
    exact = needle in grams
    counted = exact and alone
    cutoff = max(gram_cutoff(session, exact=exact, alone=alone), 1)
    rarest, fewest = grams[0], cutoff
    # each piece counted up to a limit growing fourfold to the cut-off: a rare piece is found
    # for a few reads, a common one is never read far past the rarest
    limit = min(SPARSE_MATCHES + 1, cutoff)
    while True:
        for g in grams:
            found = int(
                session.scalar(
                    select(func.count()).select_from(
                        select(CaseSearchGram.case_id)
                        .where(CaseSearchGram.gram == g)
                        .limit(min(limit, fewest))
                        .subquery()
                    )
                )
                or 0
            )
            if found < min(limit, fewest):
                rarest, fewest = g, found
            if fewest == 0:
                return _Match(false(), "pieces", 0 if counted else None)
        if fewest < limit or limit >= cutoff:
            break
        limit = min(limit * 4, cutoff)
    if fewest >= cutoff:
        return _Match(like, "scan")
    ids = Case.id.in_(select(CaseSearchGram.case_id).where(CaseSearchGram.gram == rarest))
    return _Match(ids if exact else and_(ids, like), "pieces", fewest if counted else None, like)


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
        found = _conditions(
            text=text,
            stage=stage,
            grade=grade,
            overdue_only=overdue_only,
            today=now,
            session=s,
        )
        where, searched = found.where, found.searched
        ids: Sequence[int] | None = None
        total = found.matches
        if total is not None:
            if 0 < total <= SPARSE_MATCHES:
                ids = s.scalars(select(Case.id).where(*where)).all()
                total = len(ids)  # the same statement's view of the file (PostgreSQL)
        elif searched == "pieces":  # few matches: read by id (see SPARSE_MATCHES)
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
        elif found.walk is not None and (off + lim) * archive_size(s) < total * total:
            where = found.walk  # dense matches: along the sort's index (see WALK)
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
        found = _conditions(
            text=text,
            stage=stage,
            grade=grade,
            overdue_only=overdue_only,
            today=now,
            session=uow.session,
        )
        if found.matches is not None:
            return found.matches
        return int(uow.session.scalar(count_statement(found.where)) or 0)


def case_list_row(cf: CaseFile, case_id: int, today: dt.date) -> Any:
    """One case's row of the case list, as ``list_cases`` builds it, read by id (None when the
    case is gone): what the window refreshes after a save in that case's tab."""
    from firecase.store.models import Case

    stmt = select(*(getattr(Case, name) for name in CASE_ROW_COLUMNS)).where(Case.id == case_id)
    with cf.unit_of_work() as uow:
        values = uow.session.execute(stmt).first()
    return None if values is None else case_row(tuple(values), today)
