"""Vocabulary stored in the case file, and the case list's rows: stdlib only, cheap to import.

The main window needs these before the store is loaded (its first page of cases is shown before
SQLAlchemy is imported, ``firecase.store.peek``), so they live apart from the 60-odd dataclasses of
``firecase.services.dto``, which re-exports every name here. Enumerated values are the Chinese
labels the case file stores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

# --------------------------------------------------------------------------------------------
# Vocabulary (labels stored in the case file)
# --------------------------------------------------------------------------------------------


class Stage(StrEnum):
    """Where a case stands; derived from its milestones by the services."""

    ACCEPTED = "受理"
    INVESTIGATING = "调查"
    REPORT_SUBMITTED = "报告已提交"
    REPLIED = "已批复"
    HANDLING = "处理中"
    EVALUATING = "评估"
    CLOSED = "结案"


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)

PARTY_ROLES = ("当事人", "利害关系人", "事故发生单位", "被调查部门", "其他")
EVIDENCE_KINDS = (
    "物证",
    "书证",
    "视听资料",
    "电子数据",
    "证人证言",
    "当事人陈述",
    "鉴定意见",
    "勘验笔录",
)
CUSTODY_ACTIONS = ("提取", "入库", "移交", "送检", "返还", "销毁")
APPRAISAL_KINDS = ("检验", "鉴定")
RESPONSIBILITY_AREAS = (
    "使用管理责任",
    "工程建设、中介服务责任",
    "消防产品质量责任",
    "政府、部门相关责任",
)  # 第十六条（一）至（四）
CAUSE_KINDS = ("直接原因", "间接原因")
TARGET_KINDS = ("个人", "单位")
RECOMMENDATION_KINDS = (
    "移送司法机关",
    "党纪政务处分",
    "行政处罚",
    "约谈",
    "问责",
    "通报批评",
    "内部处理",
)
APPLICANT_KINDS = ("本人", "当事人", "利害关系人")
RECUSAL_DECISIONS = ("批准", "驳回")
EVALUATION_ITEM_KINDS = ("人员责任追究", "单位责任追究", "整改措施")
EVALUATION_RESULTS = ("已落实", "部分落实", "未落实")
MEASURE_STATUSES = ("未落实", "部分落实", "已落实")
REPORT_SECTION_TITLES: tuple[str, ...] = (
    "火灾事故发生单位（场所）概况",
    "火灾事故发生经过及事故救援情况",
    "火灾事故造成的人员伤亡和直接经济损失",
    "火灾事故发生的起火原因、成因和性质",
    "火灾事故发生单位消防安全管理责任落实情况",
    "火灾事故责任的认定以及对事故责任者的处理建议",
    "事故防范和整改措施",
    "其他需要载明的事项",
)  # 第十八条（一）至（八）


class UserRole(StrEnum):
    """A user's role in a shared case file (what each may do: ``services.permissions``)."""

    ADMIN = "管理员"
    LEADER = "调查组组长"
    INVESTIGATOR = "调查员"
    READER = "只读"


USER_ROLES: tuple[str, ...] = tuple(r.value for r in UserRole)
GOVERNMENT_BODY = "人民政府"  # decides the team leader's own recusal (第十五条)
LEADER_BODY = "调查组组长"  # decides every other recusal (第十五条)


class CaseSort(StrEnum):
    """Sort orders of the case list: each sortable column in both directions.

    ``opposite`` is the same column sorted the other way (what a second header click asks for).
    """

    NEXT_DUE = "next_due"  # soonest due first, cases without an open clock last
    NEXT_DUE_DESC = "next_due_desc"  # latest due first, cases without an open clock still last
    FIRE_DATE_DESC = "fire_date_desc"
    FIRE_DATE_ASC = "fire_date_asc"
    CASE_NO = "case_no"  # newest first: year, then number, both descending
    CASE_NO_ASC = "case_no_asc"  # oldest first
    GRADE = "grade"  # most serious first
    GRADE_ASC = "grade_asc"  # least serious first
    STAGE = "stage"  # stage order (受理 first), soonest due first within a stage
    STAGE_DESC = "stage_desc"  # stage order reversed, soonest due first within a stage

    @property
    def opposite(self) -> CaseSort:
        """The same column sorted in the other direction."""
        return _OPPOSITE_SORT[self]


_OPPOSITE_SORT = {
    CaseSort.NEXT_DUE: CaseSort.NEXT_DUE_DESC,
    CaseSort.FIRE_DATE_DESC: CaseSort.FIRE_DATE_ASC,
    CaseSort.CASE_NO: CaseSort.CASE_NO_ASC,
    CaseSort.GRADE: CaseSort.GRADE_ASC,
    CaseSort.STAGE: CaseSort.STAGE_DESC,
}
_OPPOSITE_SORT.update({b: a for a, b in list(_OPPOSITE_SORT.items())})


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list (read from the case row only)."""

    id: int
    case_no: str
    title: str
    stage: str
    grade: str | None
    fire_date: dt.date
    place: str
    unit_name: str
    next_due_on: dt.date | None
    next_due_label: str
    overdue: bool
    version: int
    # the current inclusion decision: None before the first decision; ``inclusion_basis`` names
    # the items of 第五条 that hold ("第五条第一项、第二项"), empty when not included
    included: bool | None = None
    inclusion_basis: str = ""
    # who must investigate when it is not the city (第四条): "应报请上级人民政府" for a fire beyond
    # the city by its first 7 days, "已提级调查" after a takeover; "" otherwise
    jurisdiction_note: str = ""
    next_due_provisional: bool = False  # 暂定: the year's holidays are not in the calendar yet


@dataclass(frozen=True)
class CasePage:
    """A page of the case list and the total count matching the filter."""

    rows: tuple[CaseRow, ...]
    total: int
    offset: int
    limit: int


_ITEM_NUMERALS = "一二三四五六七八九十"


def inclusion_clause_text(clauses: str) -> str:
    """The stored items of 第五条 ("1,2") as the user reads them: "第五条第一项、第二项"."""
    items = [int(c) for c in clauses.split(",") if c.strip().isdigit()]
    named = [f"第{_ITEM_NUMERALS[i - 1]}项" for i in items if 1 <= i <= len(_ITEM_NUMERALS)]
    return "第五条" + "、".join(named) if named else ""


CASE_ROW_COLUMNS: tuple[str, ...] = (
    "id",
    "case_no",
    "title",
    "stage",
    "grade",
    "fire_date",
    "place",
    "unit_name",
    "next_due_on",
    "next_due_label",
    "version",
    "included",
    "inclusion_clauses",
    "jurisdiction_grade",
    "taken_over_on",
    "next_due_provisional",
)
"""The ``cases`` columns a list row is made of, in the order ``case_row`` takes them."""


def _as_date(value: object) -> dt.date | None:
    """A date column's value: a ``date`` (SQLAlchemy) or the ISO text SQLite stores."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def case_row(values: Sequence[object], today: dt.date) -> CaseRow:
    """One case-list row from the ``CASE_ROW_COLUMNS`` values of a case (``today``: overdue).

    Both readers of the list build their rows here: ``services.reading.list_cases`` (SQLAlchemy)
    and ``services.first_page`` (the standard ``sqlite3`` module, before the store is loaded).
    """
    (
        case_id,
        case_no,
        title,
        stage,
        grade,
        fire_date,
        place,
        unit_name,
        next_due_on,
        next_due_label,
        version,
        included,
        clauses,
        jurisdiction_grade,
        taken_over_on,
        next_due_provisional,
    ) = values
    due = _as_date(next_due_on)
    fire = _as_date(fire_date)
    assert fire is not None
    decided = None if included is None else bool(included)
    return CaseRow(
        id=int(case_id),  # type: ignore[call-overload]
        case_no=str(case_no),
        title=str(title),
        stage=str(stage),
        grade=None if grade is None else str(grade),
        fire_date=fire,
        place=str(place),
        unit_name=str(unit_name),
        next_due_on=due,
        next_due_label=str(next_due_label),
        overdue=due is not None and due < today,
        version=int(version),  # type: ignore[call-overload]
        included=decided,
        inclusion_basis=inclusion_clause_text(str(clauses or "")) if decided else "",
        jurisdiction_note=(
            "已提级调查"
            if taken_over_on is not None
            else "应报请上级人民政府"
            if jurisdiction_grade in ("重大", "特别重大")
            else ""
        ),
        next_due_provisional=bool(next_due_provisional) and due is not None,
    )
