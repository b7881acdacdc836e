"""Evaluation of the recommendations and rectification."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from firecase.store.models._base import (
    Base,
    Versioned,
    _case_fk,
)


class Evaluation(Versioned, Base):
    """The evaluation of a 较大 fire within one year of closure (第二十二条, 第二十三条)."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    lead: Mapped[str] = mapped_column(String(200))
    members: Mapped[str] = mapped_column(Text, default="")  # departments, one per line
    third_party: Mapped[str] = mapped_column(String(200), default="")
    started_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    finished_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    submitted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    conduct: Mapped[str] = mapped_column(Text, default="")
    opinion: Mapped[str] = mapped_column(Text, default="")


class EvaluationItem(Versioned, Base):
    """One item checked by the evaluation group: a person, a unit or a rectification measure."""

    __tablename__ = "evaluation_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(300))
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendations.id", ondelete="SET NULL"), nullable=True, index=True
    )
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("rectification_measures.id", ondelete="SET NULL"), nullable=True, index=True
    )
    result: Mapped[str] = mapped_column(String(8))
    evidence: Mapped[str] = mapped_column(Text, default="")
    checked_on: Mapped[dt.date] = mapped_column(Date)
    # the measure the evaluation set for what it found not (fully) done: the 限期整改 with its
    # new deadline (第二十四条, migration 0010)
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("rectification_measures.id", ondelete="SET NULL"), nullable=True, index=True
    )


class EvaluationItemRecommendation(Base):
    """A recommendation an evaluation item covers (migration 0010): one item may check the
    handling of several persons or units (e.g. two persons transferred together); the item's
    ``recommendation_id`` is the first of them."""

    __tablename__ = "evaluation_item_recommendations"
    __table_args__ = (UniqueConstraint("item_id", "recommendation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    item_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_items.id", ondelete="CASCADE"), index=True
    )
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)


class RectificationMeasure(Versioned, Base):
    """A prevention/rectification measure, optionally with a deadline (限期整改, 第二十四条)."""

    __tablename__ = "rectification_measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    text: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(200))
    set_on: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    done_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(8), default="未落实")
