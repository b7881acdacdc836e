"""Evaluation and rectification (第二十二条–第二十四条)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class EvaluationInput:
    """The evaluation group and its report (第二十二条, 第二十三条)."""

    lead: str
    members: tuple[str, ...] = ()
    third_party: str = ""
    started_on: dt.date | None = None
    finished_on: dt.date | None = None
    submitted_on: dt.date | None = None
    conduct: str = ""
    opinion: str = ""


@dataclass(frozen=True)
class EvaluationItemInput:
    """One item checked by the evaluation group."""

    kind: str  # EVALUATION_ITEM_KINDS
    subject: str
    result: str  # EVALUATION_RESULTS
    checked_on: dt.date
    evidence: str = ""
    recommendation_id: int | None = None
    measure_id: int | None = None
    # every recommendation the item covers (one item may check several persons); the first is
    # also ``recommendation_id``. Empty: just ``recommendation_id``.
    recommendation_ids: tuple[int, ...] = ()
    order_id: int | None = None  # the 限期整改 measure the evaluation set (第二十四条)


@dataclass(frozen=True)
class MeasureInput:
    """A prevention/rectification measure (限期整改 when it has a deadline)."""

    text: str
    responsible: str
    set_on: dt.date
    deadline: dt.date | None = None
    done_on: dt.date | None = None
    status: str = "未落实"  # MEASURE_STATUSES


@dataclass(frozen=True)
class EvaluationView:
    """The evaluation group and report."""

    id: int
    lead: str
    members: tuple[str, ...]
    third_party: str
    started_on: dt.date | None
    finished_on: dt.date | None
    submitted_on: dt.date | None
    conduct: str
    opinion: str
    version: int


@dataclass(frozen=True)
class EvaluationItemView:
    """An evaluation item result."""

    id: int
    kind: str
    subject: str
    result: str
    evidence: str
    checked_on: dt.date
    recommendation_id: int | None
    measure_id: int | None
    version: int
    recommendation_ids: tuple[int, ...] = ()  # every recommendation the item covers
    order_id: int | None = None  # the 限期整改 measure the evaluation set (第二十四条)


@dataclass(frozen=True)
class MeasureView:
    """A rectification measure."""

    id: int
    text: str
    responsible: str
    set_on: dt.date
    deadline: dt.date | None
    done_on: dt.date | None
    status: str
    version: int
