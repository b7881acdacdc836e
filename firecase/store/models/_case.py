"""The case and its incident facts: the case row, its derived tables, grade and inclusion."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    case,
    false as sa_false,
    literal_column,
    true as sa_true,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import Grouping

from firecase.store.models._base import (
    Base,
    Money,
    Versioned,
    _case_fk,
)

SEARCH_SEPARATOR = "\x1f"
"""Joins the fields of ``Case.search_text`` (a search needle never spans two fields)."""


def case_search_text(case_no: str, title: str, place: str, unit_name: str) -> str:
    """``Case.search_text``: the fields the case list searches, lower-cased, in one string."""
    return SEARCH_SEPARATOR.join((case_no, title, place, unit_name or "")).lower()


def search_grams(text: str) -> set[str]:
    """The distinct two-character pieces of ``text`` (``case_search_grams``), none spanning
    two fields: every substring of two or more characters contains one of them."""
    return {
        text[i : i + 2] for i in range(len(text) - 1) if SEARCH_SEPARATOR not in text[i : i + 2]
    }


class Case(Versioned, Base):
    """One fire accident investigation case, with the incident facts and report milestones."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("year", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_no: Mapped[str] = mapped_column(String(64), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(16), index=True)
    created_on: Mapped[dt.date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(64))
    # incident facts
    fire_date: Mapped[dt.date] = mapped_column(Date)
    fire_time: Mapped[str] = mapped_column(String(8), default="")
    place: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    unit_name: Mapped[str] = mapped_column(String(200), default="")
    fire_type: Mapped[str] = mapped_column(String(32))
    property_loss_yuan: Mapped[Decimal] = mapped_column(Money())
    economic_loss_yuan: Mapped[Decimal] = mapped_column(Money())
    households_affected: Mapped[int | None] = mapped_column(Integer, nullable=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    # 过火面积 in 平方米 (exact, never negative) and 事故性质 (migration 0010)
    burned_area_m2: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), nullable=True)
    nature: Mapped[str] = mapped_column(String(100), default="", server_default="")
    # the investigation report as the officer words it (migration 0010); "" = generated from
    # the case: the team that signs it (第四条、第六条), the title with the officer's line
    # breaks, the opening summary and the team-composition paragraph
    team_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    report_title: Mapped[str] = mapped_column(String(400), default="", server_default="")
    report_opening: Mapped[str] = mapped_column(Text, default="", server_default="")
    report_composition: Mapped[str] = mapped_column(Text, default="", server_default="")
    # current decisions (denormalised from the latest decision rows)
    grade: Mapped[str | None] = mapped_column(String(8), nullable=True, index=True)
    included: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    # the grade by the casualties of the first 7 days (第四条: who investigates); None: not yet
    # decided under migration 0009's rules
    jurisdiction_grade: Mapped[str | None] = mapped_column(String(8), nullable=True)
    # the 第五条 items that hold, "1,2" as in the latest inclusion decision (migration 0005)
    inclusion_clauses: Mapped[str] = mapped_column(String(32), default="", server_default="")
    # 提级调查 by a higher government (第四条第二款)
    taken_over_by: Mapped[str] = mapped_column(String(200), default="")
    taken_over_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # team set-up (第八条)
    team_formed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    team_authorised_fire_agency: Mapped[bool] = mapped_column(Boolean, default=False)
    # the founding document (migration 0019): its number (成立文件文号, "天政办函〔2026〕12号")
    # and the body that set the team up (组建机关, 第四条: the government or, authorised, the
    # fire-rescue agency); "" = not recorded (the notice derives the body from the case)
    team_document_no: Mapped[str] = mapped_column(String(64), default="", server_default="")
    team_formed_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # report milestones (第十七条, 第十九条, 第二十二条)
    report_submitted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    report_signed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    report_received_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    reply_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    reply_ref: Mapped[str] = mapped_column(String(100), default="")
    reply_summary: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # the next open clock, denormalised for the case list and clock board (migration 0002);
    # kept up to date by the services, recomputed when ``clocks_stale`` is set
    next_due_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    next_due_label: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # the next due date is 暂定: computed for a year the holiday calendar lacks
    next_due_provisional: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=sa_false()
    )
    clocks_stale: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_true())
    # a clock other than the grade-change window is not done yet (migration 0003): the clock
    # board computes clocks only for these cases (and those still inside the window)
    has_open_clocks: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # the case list's text search (migration 0006): case number, title, place and unit,
    # lower-cased and joined by ``case_search_text``; kept by ``_derive.refresh_derived``
    search_text: Mapped[str] = mapped_column(String(800), default="", server_default="", index=True)


Index("ix_cases_stage_next_due_on", Case.stage, Case.next_due_on)
Index("ix_cases_next_due_on", Case.next_due_on)
# migration 0003: the case list's due-date order exactly as list_cases sorts, stale lookup, flag
Index("ix_cases_due_order", Case.next_due_on.is_(None), Case.next_due_on, Case.id)
Index("ix_cases_stage_due_order", Case.stage, Case.next_due_on.is_(None), Case.next_due_on, Case.id)
Index("ix_cases_clocks_stale", Case.clocks_stale)
Index("ix_cases_has_open_clocks", Case.has_open_clocks)

GRADE_ORDER = ("一般", "较大", "重大", "特别重大")
"""The grades from the least to the most serious: the case list's grade sort ranks them 1 to 4
(no grade yet: 0), ``rules.grade.Grade.rank``."""

STAGE_ORDER = ("受理", "调查", "报告已提交", "已批复", "处理中", "评估", "结案")
"""The stages in the order of ``services.vocab.Stage``: the case list's stage sort ranks them
0 to 6 (anything else: 7)."""


def _rank(column: Any, values: tuple[str, ...], first: int) -> ColumnElement[int]:
    """``CASE WHEN column = 'v' THEN n … ELSE m END`` with literals, never bound parameters:
    an index on an expression serves an ORDER BY only when the expression is written the same,
    and SQLite never matches a bound parameter to an indexed literal."""
    return case(
        *(
            (column == literal_column(f"'{value}'"), literal_column(str(first + i)))
            for i, value in enumerate(values)
        ),
        else_=literal_column(str(0 if first else len(values))),
    )


GRADE_RANK = _rank(Case.grade, GRADE_ORDER, 1)
"""The case list's grade sort key (migration 0022 indexes it as written here)."""

STAGE_RANK = _rank(Case.stage, STAGE_ORDER, 0)
"""The case list's stage sort key (migration 0022 indexes it as written here)."""

# migration 0022 (the rank in parentheses: PostgreSQL indexes an expression written so): an
# index serving every sort of the case list (``services.reading._order_by``)
# to its unique end, each read forwards or backwards; the case number's is the unique
# (year, seq). ``tests/unit/store/test_sort_indexes.py`` fails for a sort without one.
Index("ix_cases_due_order_reversed", Case.next_due_on.is_not(None), Case.next_due_on, Case.id)
Index("ix_cases_fire_date_order", Case.fire_date, Case.id)
Index("ix_cases_grade_order", Grouping(GRADE_RANK), Case.fire_date, Case.id)
Index(
    "ix_cases_stage_order",
    Grouping(STAGE_RANK),
    Case.next_due_on.is_(None),
    Case.next_due_on,
    Case.id,
)
Index(
    "ix_cases_stage_order_desc",
    Grouping(STAGE_RANK).desc(),
    Case.next_due_on.is_(None),
    Case.next_due_on,
    Case.id,
)
# a filter with the default sort: by grade (by stage: ix_cases_stage_due_order)
Index("ix_cases_grade_due_order", Case.grade, Case.next_due_on.is_(None), Case.next_due_on, Case.id)


class OpenClock(Base):
    """A clock of a case not yet done, as the clock board shows it (migration 0007).

    Derived data, like ``cases.next_due_on``: written by ``_derive.store_open_clocks`` whenever
    the services recompute a case's clocks (with Core statements, so never audited, and never
    exported with a case: the importing file computes its own), and read by the clock board in
    one indexed query instead of computing every case's clocks. The grade-change window is
    kept for every case (``closes_on``: the board shows it until that day, as it closes by
    itself); every other row is a clock whose completion is not recorded yet.
    """

    __tablename__ = "open_clocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    position: Mapped[int] = mapped_column(Integer)  # order among the case's clocks
    kind: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(300), default="")
    start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    computed: Mapped[bool] = mapped_column(Boolean, default=True)  # False: explanation says why
    explanation: Mapped[str] = mapped_column(Text, default="")
    basis: Mapped[str] = mapped_column(Text, default="")
    closes_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())


Index("ix_open_clocks_closes_on", OpenClock.closes_on)


class CaseSearchGram(Base):
    """The case list's text index (migration 0008): each two-character piece of a case's
    ``search_text`` (``search_grams``), so a search finds its candidate cases through the
    primary key instead of scanning every case (Chinese has no spaces to split words at).

    Derived data, like ``search_text``: kept by ``_derive.store_search_grams`` with Core
    statements (never audited, never exported). No foreign key on purpose: a cascade would
    need a second index over millions of rows; the services delete a case's pieces by key.
    """

    __tablename__ = "case_search_grams"
    __table_args__ = ({"sqlite_with_rowid": False},)

    gram: Mapped[str] = mapped_column(String(2), primary_key=True)
    case_id: Mapped[int] = mapped_column(Integer, primary_key=True)


DERIVED_TABLES = frozenset({OpenClock.__tablename__, CaseSearchGram.__tablename__})
"""Tables the services recompute from the others: not exported with a case, not audited."""

DERIVED_CASE_COLUMNS = frozenset(
    {
        "stage",
        "next_due_on",
        "next_due_label",
        "next_due_provisional",
        "has_open_clocks",
        "clocks_stale",
        "search_text",
    }
)
"""Columns of ``cases`` the services recompute (``_derive``), some written without the ORM:
not audited on PostgreSQL and not compared by ``firecase verify``."""


class CasualtyUpdate(Base):
    """A dated count of deaths and serious injuries (kept to prove escalation, 第四条)."""

    __tablename__ = "casualty_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    # the date the counts became true (date of death or injury); ``recorded_on`` is the day the
    # record was entered (never used to order the counts)
    as_of: Mapped[dt.date] = mapped_column(Date, nullable=True)
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    deaths: Mapped[int] = mapped_column(Integer)
    serious_injuries: Mapped[int] = mapped_column(Integer)
    minor_injuries: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(64))


class GradeDecisionRow(Base):
    """A fire-grade decision as computed by the rules at the time (history, newest last)."""

    __tablename__ = "grade_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    decided_on: Mapped[dt.date] = mapped_column(Date)
    grade: Mapped[str] = mapped_column(String(8))
    standard: Mapped[str] = mapped_column(String(200))
    explanation: Mapped[str] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(64))


class InclusionDecisionRow(Base):
    """Inclusion under 第五条, with who/when/why for the judgement clauses (三) and (四)."""

    __tablename__ = "inclusion_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    decided_on: Mapped[dt.date] = mapped_column(Date)
    included: Mapped[bool] = mapped_column(Boolean)
    clauses: Mapped[str] = mapped_column(String(32), default="")
    explanation: Mapped[str] = mapped_column(Text)
    social_impact: Mapped[bool] = mapped_column(Boolean, default=False)
    social_impact_by: Mapped[str] = mapped_column(String(100), default="")
    social_impact_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    social_impact_reason: Mapped[str] = mapped_column(Text, default="")
    deemed_necessary: Mapped[bool] = mapped_column(Boolean, default=False)
    deemed_by: Mapped[str] = mapped_column(String(100), default="")
    deemed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    deemed_reason: Mapped[str] = mapped_column(Text, default="")
    scope_note: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(64))
