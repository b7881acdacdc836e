"""Every sort of the case list has an index serving it: without one, each page sorts the whole
archive (sort by grade: 147 ms at 300,000 cases before migration 0022).

An index serves a sort when its leading keys are the sort's keys, in the sort's directions or
all reversed (read backwards), to the sort's end; or when a unique index leads with a first
part of the sort's keys (nothing is left to order after it). SQLite keeps the rowid (``id``)
at the end of every index. Checked on the models' metadata, and by the plans of each sort's
first page (and the filters' common sorts) on a case file built by the migrations: SQLite
reads an index and never sorts in a temporary B-tree; PostgreSQL, with sorting made
prohibitively expensive, still plans no Sort. The last tests show the check names a sort
left without an index.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import (
    Column,
    Index,
    UniqueConstraint,
    create_engine,
    select,
    text,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.sql.elements import UnaryExpression

from firecase.services import reading
from firecase.services.vocab import CaseSort, Stage
from firecase.store import open_case_file
from firecase.store.models import GRADE_ORDER, STAGE_ORDER, Case

Key = tuple[str, bool]  # (expression as SQL without the table name, descending)


def _sql(expr: Any, dialect: Dialect) -> str:
    raw = str(expr.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    raw = re.sub(r"\bcases\.", "", raw)
    while raw.startswith("(") and raw.endswith(")") and _balanced(raw[1:-1]):
        raw = raw[1:-1]
    return " ".join(raw.split())


def _balanced(s: str) -> bool:
    depth = 0
    for ch in s:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _key(expr: Any, dialect: Dialect) -> Key:
    if isinstance(expr, UnaryExpression) and expr.modifier is not None:
        descending = expr.modifier.__name__ == "desc_op"
        return _sql(expr.element, dialect), descending
    return _sql(expr, dialect), False


def sort_keys(order: CaseSort, dialect: Dialect) -> list[Key]:
    return [_key(e, dialect) for e in reading._order_by(order)]


def index_keys(dialect: Dialect, *, rowid: bool) -> list[tuple[list[Key], bool]]:
    """(keys, unique) of every index, primary key and unique constraint of ``cases``."""
    table = Case.__table__
    out: list[tuple[list[Key], bool]] = []
    for ix in table.indexes:
        assert isinstance(ix, Index)
        out.append(([_key(e, dialect) for e in ix.expressions], bool(ix.unique)))
    for c in table.constraints:
        if isinstance(c, UniqueConstraint):
            out.append(([(col.name, False) for col in c.columns], True))
    for column in table.columns:
        assert isinstance(column, Column)
        if column.unique:
            out.append(([(column.name, False)], True))
    out.append(([(c.name, False) for c in table.primary_key.columns], True))
    if rowid:
        out = [([*keys, ("id", False)], unique) for keys, unique in out]
    return out


def served(keys: Sequence[Key], indexes: Iterable[tuple[list[Key], bool]]) -> bool:
    for ix, unique in indexes:
        for flip in (False, True):
            wanted = [(expr, desc != flip) for expr, desc in keys]
            n = len(wanted)
            if ix[:n] == wanted:
                return True
            if unique and any(ix == wanted[:k] for k in range(1, n)):
                return True
    return False


def unserved(dialect: Dialect, *, rowid: bool) -> list[str]:
    indexes = index_keys(dialect, rowid=rowid)
    return [s.value for s in CaseSort if not served(sort_keys(s, dialect), indexes)]


def test_every_sort_of_the_models_has_an_index() -> None:
    from sqlalchemy.dialects import postgresql

    assert unserved(sqlite.dialect(), rowid=True) == []
    assert unserved(postgresql.dialect(), rowid=False) == []


def test_the_ranks_follow_the_grades_and_stages() -> None:
    from firecase.rules.grade import Grade

    assert tuple(s.value for s in Stage) == STAGE_ORDER
    assert tuple(g.value for g in sorted(Grade, key=lambda g: g.rank)) == GRADE_ORDER
    assert [g.rank for g in sorted(Grade, key=lambda g: g.rank)] == [1, 2, 3, 4]


# ---- the plans on a case file built by the migrations ---------------------------------------

FILTERS: list[tuple[str, dict[str, Any]]] = [
    ("stage", {"stage": "调查"}),
    ("grade", {"grade": "较大"}),
]
"""Filters whose matches can be most of the archive, with the list's default sort (仅显示逾期
reads its few cases by the due date's range and sorts them)."""


def _statements(dialect: Dialect) -> list[tuple[str, str]]:
    """(label, SQL with literals) of each sort's first page, and of each filter's default
    sort, as ``list_cases`` reads them."""
    import datetime as dt

    out = []
    for sort in CaseSort:
        stmt = reading.page_statement([], sort, 0, 100)
        out.append((sort.value, stmt))
    for label, kwargs in FILTERS:
        args = {"stage": None, "grade": None, "overdue_only": False, **kwargs}
        found = reading._conditions(text=None, today=dt.date(2026, 6, 1), **args)
        out.append(
            (f"{label} + next_due", reading.page_statement(found.where, CaseSort.NEXT_DUE, 0, 100))
        )
    return [
        (label, str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True})))
        for label, stmt in out
    ]


def sqlite_plans(conn: Any) -> dict[str, list[str]]:
    return {
        label: [str(r[3]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
        for label, sql in _statements(sqlite.dialect())
    }


def sorted_in_a_temp_btree(plans: dict[str, list[str]]) -> list[str]:
    return [
        label
        for label, plan in plans.items()
        if any("TEMP B-TREE" in step for step in plan)
        or not any("USING INDEX" in s or "USING COVERING INDEX" in s for s in plan)
    ]


def test_each_sort_reads_an_index_on_sqlite(tmp_path: Path) -> None:
    with open_case_file(tmp_path / "案卷.sqlite", user="测试") as cf, cf.connect() as conn:
        plans = sqlite_plans(conn)
    assert len(plans) == len(CaseSort) + len(FILTERS)
    assert sorted_in_a_temp_btree(plans) == []


@pytest.mark.postgres
def test_each_sort_reads_an_index_on_postgresql() -> None:
    from sqlalchemy.dialects import postgresql

    pg_url = os.environ.get("FIRECASE_TEST_PG_URL")
    if not pg_url:
        pytest.skip("FIRECASE_TEST_PG_URL not set")
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(pg_url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"})
        with (
            open_case_file(url.render_as_string(hide_password=False), user="测试") as cf,
            cf.connect() as conn,
        ):
            conn.exec_driver_sql("SET enable_sort = off")
            conn.exec_driver_sql("SET enable_seqscan = off")
            sorting = []
            for label, sql in _statements(postgresql.dialect()):
                plan = [str(r[0]) for r in conn.exec_driver_sql("EXPLAIN " + sql)]
                if any(re.search(r"\bSort\b", step) for step in plan):
                    sorting.append(label)
            assert conn.scalar(select(Case.id).limit(1)) is None
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
    assert sorting == []


# ---- the checks can fail ---------------------------------------------------------------------


def test_the_check_names_a_sort_without_an_index() -> None:
    dialect = sqlite.dialect()
    indexes = [
        (keys, unique)
        for keys, unique in index_keys(dialect, rowid=True)
        if not keys[0][0].startswith("CASE WHEN (grade")
    ]
    grade = sort_keys(CaseSort.GRADE, dialect)
    assert not served(grade, indexes) and not served(
        sort_keys(CaseSort.GRADE_ASC, dialect), indexes
    )
    assert served(sort_keys(CaseSort.NEXT_DUE, dialect), indexes)
    # mixed directions need an index in those directions
    assert not served([("a", False), ("b", True)], [([("a", False), ("b", False)], False)])
    assert served([("a", True), ("b", False)], [([("a", False), ("b", True)], False)])
    # a unique index ends what is left to order
    assert served(
        [("a", False), ("b", False), ("id", False)], [([("a", False), ("b", False)], True)]
    )
    assert not served(
        [("a", False), ("b", False), ("id", False)], [([("a", False), ("b", False)], False)]
    )


def test_the_plan_check_names_a_sort_without_an_index(tmp_path: Path) -> None:
    with open_case_file(tmp_path / "案卷.sqlite", user="测试") as cf, cf.connect() as conn:
        conn.exec_driver_sql("DROP INDEX ix_cases_grade_order")
        conn.exec_driver_sql("DROP INDEX ix_cases_stage_order_desc")
        plans = sqlite_plans(conn)
        conn.rollback()
    assert sorted_in_a_temp_btree(plans) == ["grade", "grade_asc", "stage_desc"]
