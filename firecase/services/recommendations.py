"""Recommendations (第十三条) and the feedback on them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase.errors import ValidationError
from firecase.services import _common as v, _views as views
from firecase.services._records import Kind, _need, _ref
from firecase.services.dto import (
    RECOMMENDATION_KINDS,
    RESPONSIBILITY_AREAS,
    TARGET_KINDS,
    FeedbackInput,
    RecommendationInput,
    RecommendationView,
)
from firecase.services.permissions import Permission, requires
from firecase.services.reply import create_handling_tasks
from firecase.store import CaseFile, models as m

# --------------------------------------------------------------------------------------------
# recommendations and handling (第十三条, 第二十条)
# --------------------------------------------------------------------------------------------


def _rec_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, RecommendationInput, "处理建议")
    return {
        "target_kind": v.choice(d.target_kind, "target_kind", "对象类别", TARGET_KINDS),
        "target_name": v.text(d.target_name, "target_name", "处理对象"),
        "party_id": _ref(s, m.Party, d.party_id, case, "party_id", "当事人"),
        "area": v.choice(d.area, "area", "责任类别（第十六条）", RESPONSIBILITY_AREAS),
        "kind": v.choice(d.kind, "kind", "处理方式", RECOMMENDATION_KINDS),
        "basis": v.long_text(d.basis, "basis", "处理依据", required=True),
        "authority": v.text(d.authority, "authority", "负责落实的机关"),
        "text": v.long_text(d.text, "text", "建议内容"),
        "confidential": v.flag(d.confidential, "confidential", "涉密（不公开）"),
    }


def _rec_out(s: Session, r: m.Recommendation) -> RecommendationView:
    return views.recommendation_view(r)


@requires(Permission.RECORD)
def add_recommendation(
    cf: CaseFile,
    case_id: int,
    data: RecommendationInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> RecommendationView:
    """Record a handling recommendation for a responsible person or unit; after the 批复 a new
    acting authority gets its handling task and 30-day clock at once (第二十条)."""

    def after(s: Session, rec: m.Recommendation, _data: Any) -> None:
        case = v.load_case(s, rec.case_id)
        if case.reply_on is not None:
            create_handling_tasks(s, case)

    return _RECOMMENDATION.add(
        cf, case_id, data, actor, today, after=after, override_reason=override_reason
    )


@requires(Permission.RECORD)
def update_recommendation(
    cf: CaseFile,
    recommendation_id: int,
    data: RecommendationInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> RecommendationView:
    """Change a recommendation."""
    return _RECOMMENDATION.update(
        cf, recommendation_id, data, expected_version, actor, today, override_reason=override_reason
    )


@requires(Permission.RECORD)
def remove_recommendation(
    cf: CaseFile,
    recommendation_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove a recommendation; an evaluation item that covered it keeps the others."""

    def before(s: Session, x: m.Recommendation) -> None:
        link = m.EvaluationItemRecommendation
        for row in list(s.scalars(select(link).where(link.recommendation_id == x.id))):
            s.delete(row)
        s.flush()
        for item in s.scalars(
            select(m.EvaluationItem).where(m.EvaluationItem.recommendation_id == x.id)
        ):
            item.recommendation_id = next(iter(views.item_recommendation_ids(s, item.id)), None)
        s.flush()

    return _RECOMMENDATION.remove(
        cf,
        recommendation_id,
        expected_version,
        actor,
        today,
        before,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def record_feedback(
    cf: CaseFile,
    recommendation_id: int,
    data: FeedbackInput,
    *,
    expected_version: int,
    actor: str | None = None,
    today: dt.date | None = None,
) -> RecommendationView:
    """Record the authority's feedback, 备案 and any judicial transfer (第十三条第三款)."""
    _need(data, FeedbackInput, "落实反馈")

    def values(s: Session, case: m.Case, d: FeedbackInput) -> dict[str, Any]:
        feedback_on = v.opt_date(d.feedback_on, "feedback_on", "反馈日期")
        filed_on = v.opt_date(d.filed_on, "filed_on", "备案日期")
        transferred_on = v.opt_date(d.transferred_on, "transferred_on", "移送日期")
        v.not_before(filed_on, feedback_on, "filed_on", "备案日期", "反馈日期")
        v.not_before(feedback_on, case.fire_date, "feedback_on", "反馈日期", "起火日期")
        v.not_before(transferred_on, case.fire_date, "transferred_on", "移送日期", "起火日期")
        to = v.text(
            d.transferred_to,
            "transferred_to",
            "接收移送的司法机关",
            required=transferred_on is not None,
        )
        if to and transferred_on is None:
            raise ValidationError("请填写移送日期。", field="transferred_on")
        return {
            "feedback": v.long_text(
                d.feedback, "feedback", "反馈内容", required=feedback_on is not None
            ),
            "feedback_on": feedback_on,
            "filed_on": filed_on,
            "transferred_on": transferred_on,
            "transferred_to": to,
        }

    return _RECOMMENDATION.update(
        cf, recommendation_id, data, expected_version, actor, today, values=values, guarded=False
    )


# The record kinds of this room (``_records.Kind``: add, update and remove in one place).
_RECOMMENDATION = Kind(m.Recommendation, "处理建议", _rec_out, values=_rec_values)
