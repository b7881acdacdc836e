"""Evaluation and rectification (第二十二条–第二十四条): items and measures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase.errors import ValidationError
from firecase.services import _common as v, _derive, _views as views
from firecase.services._clocks import evaluation_open
from firecase.services._records import Kind, _need, _ref
from firecase.services.dto import (
    EVALUATION_ITEM_KINDS,
    EVALUATION_RESULTS,
    MEASURE_STATUSES,
    EvaluationInput,
    EvaluationItemInput,
    EvaluationItemView,
    EvaluationView,
    MeasureInput,
    MeasureView,
)
from firecase.services.permissions import Permission, requires
from firecase.store import CaseFile, models as m

# --------------------------------------------------------------------------------------------
# evaluation and rectification (第二十二条–第二十四条)
# --------------------------------------------------------------------------------------------


@requires(Permission.RECORD)
def save_evaluation(
    cf: CaseFile,
    case_id: int,
    data: EvaluationInput,
    *,
    expected_version: int | None = None,
    actor: str | None = None,
    today: dt.date | None = None,
) -> EvaluationView:
    """Set up or update the evaluation group and report (较大 fires, after closure)."""
    _need(data, EvaluationInput, "评估信息")
    values: dict[str, Any] = {
        "lead": v.text(data.lead, "lead", "牵头单位"),
        "members": v.join_names(v.names(data.members, "members", "参加部门")),
        "third_party": v.text(
            data.third_party, "third_party", "第三方技术服务机构", required=False
        ),
        "started_on": v.opt_date(data.started_on, "started_on", "开始日期"),
        "finished_on": v.opt_date(data.finished_on, "finished_on", "结束日期"),
        "submitted_on": v.opt_date(data.submitted_on, "submitted_on", "报告提交日期"),
        "conduct": v.long_text(data.conduct, "conduct", "评估工作组织开展情况"),
        "opinion": v.long_text(data.opinion, "opinion", "评估意见及措施建议"),
    }
    v.not_before(values["finished_on"], values["started_on"], "finished_on", "结束日期", "开始日期")
    v.not_before(
        values["submitted_on"], values["finished_on"], "submitted_on", "报告提交日期", "结束日期"
    )
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        case = v.load_case(s, case_id)
        _check_applies(s, case)
        if case.reply_on is None:
            raise ValidationError("政府批复、结案后才能开展整改评估。", field="reply_on")
        closure = case.closed_on or case.reply_on
        v.not_before(values["started_on"], closure, "started_on", "评估开始日期", "结案日期")
        ev = s.scalars(select(m.Evaluation).where(m.Evaluation.case_id == case.id)).first()
        if ev is None:
            if expected_version is not None:
                raise ValidationError("尚无评估记录，无需版本号。", field="version")
            ev = m.Evaluation(case_id=case.id, **values)
            s.add(ev)
        else:
            if expected_version is None:
                raise ValidationError("评估记录已由他人保存，请刷新后再编辑。", field="version")
            v.check_version(ev, expected_version, "评估记录")
            for key, value in values.items():
                if getattr(ev, key) != value:
                    setattr(ev, key, value)
        s.flush()
        _derive.refresh_derived(s, case, now)
        out = views.evaluation_view(ev)
        uow.commit()
    return out


def _item_recommendations(s: Session, case: m.Case, d: EvaluationItemInput) -> list[int]:
    """Every recommendation the item covers, each once, ``recommendation_id`` first."""
    if not isinstance(d.recommendation_ids, (tuple, list)):
        raise ValidationError("对应处理建议格式不正确。", field="recommendation_ids")
    ids: list[int] = []
    for value in (d.recommendation_id, *d.recommendation_ids):
        rid = _ref(s, m.Recommendation, value, case, "recommendation_ids", "处理建议")
        if rid is not None and rid not in ids:
            ids.append(rid)
    return ids


def _check_applies(s: Session, case: m.Case) -> None:
    """第二十二条 evaluates a 较大 fire: an evaluation, or an item of one, for any other case
    is refused naming its grade. An evaluation already begun stays editable (to be finished
    and submitted) when the case is regraded since."""
    begun = select(m.Evaluation.id).where(m.Evaluation.case_id == case.id).limit(1)
    if not evaluation_open(case.grade, case.jurisdiction_grade, begun=s.scalar(begun) is not None):
        raise ValidationError(
            "整改评估适用于较大火灾事故（第二十二条）；本案等级为"
            f"{case.grade or '未定级'}，不开展该项评估。",
            field="grade",
        )


def _item_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, EvaluationItemInput, "评估事项")
    _check_applies(s, case)
    ids = _item_recommendations(s, case, d)
    values = {
        "kind": v.choice(d.kind, "kind", "评估事项类别", EVALUATION_ITEM_KINDS),
        "subject": v.text(d.subject, "subject", "评估对象", max_len=300),
        "result": v.choice(d.result, "result", "落实情况", EVALUATION_RESULTS),
        "evidence": v.long_text(d.evidence, "evidence", "佐证材料"),
        "checked_on": v.date(d.checked_on, "checked_on", "核查日期"),
        "recommendation_id": ids[0] if ids else None,
        "measure_id": _ref(s, m.RectificationMeasure, d.measure_id, case, "measure_id", "整改措施"),
        "order_id": _ref(s, m.RectificationMeasure, d.order_id, case, "order_id", "限期整改措施"),
    }
    if values["order_id"] is not None:
        _check_order(s, values)
    return values


def order_problem(result: str, checked_on: dt.date, set_on: dt.date) -> str | None:
    """Why a measure set on ``set_on`` cannot be the 限期整改 an evaluation item (found
    ``result`` on ``checked_on``) orders, or None. 第二十四条: 限期整改 is 督促 for what was
    found 未落实 or 落实不到位, after it was found; a measure the report proposed, set before
    the check, is not the evaluation's order. Checked when the item is saved and again when a
    限期整改通知书 is drafted (items recorded before the check existed)."""
    if result == "已落实":
        return (
            "落实情况为“已落实”的事项不督促限期整改（第二十四条：发现未落实或落实不到位的，"
            "督促限期整改）。请清除“限期整改措施”，或更正落实情况。"
        )
    if set_on < checked_on:
        return (
            f"所选限期整改措施的提出日期（{set_on.isoformat()}）早于本事项的核查日期"
            f"（{checked_on.isoformat()}）：限期整改是评估发现问题后督促的（第二十四条），"
            "请选择评估时提出的整改措施，或更正日期。"
        )
    return None


def _check_order(s: Session, values: dict[str, Any]) -> None:
    order = s.get(m.RectificationMeasure, values["order_id"])
    assert order is not None  # _ref checked it
    problem = order_problem(values["result"], values["checked_on"], order.set_on)
    if problem is not None:
        raise ValidationError(problem, field="order_id")


def _item_links(s: Session, item: m.EvaluationItem, d: EvaluationItemInput) -> None:
    """Store the recommendations the item covers (through the ORM, so audited)."""
    ids = _item_recommendations(s, v.load_case(s, item.case_id), d)
    link = m.EvaluationItemRecommendation
    old = list(s.scalars(select(link).where(link.item_id == item.id)))
    if [x.recommendation_id for x in sorted(old, key=lambda x: (x.position, x.id))] == ids:
        return
    for x in old:
        s.delete(x)
    s.flush()
    for position, rid in enumerate(ids):
        s.add(link(case_id=item.case_id, item_id=item.id, recommendation_id=rid, position=position))
    s.flush()


@requires(Permission.RECORD)
def add_evaluation_item(
    cf: CaseFile,
    case_id: int,
    data: EvaluationItemInput,
    *,
    actor: str | None = None,
    today: dt.date | None = None,
) -> EvaluationItemView:
    """Record the result of one evaluation item (person, unit or measure)."""
    return _EVALUATION_ITEM.add(cf, case_id, data, actor, today, _item_links)


@requires(Permission.RECORD)
def update_evaluation_item(
    cf: CaseFile,
    item_id: int,
    data: EvaluationItemInput,
    *,
    expected_version: int,
    actor: str | None = None,
    today: dt.date | None = None,
) -> EvaluationItemView:
    """Change an evaluation item."""
    return _EVALUATION_ITEM.update(cf, item_id, data, expected_version, actor, today, _item_links)


@requires(Permission.RECORD)
def remove_evaluation_item(
    cf: CaseFile,
    item_id: int,
    *,
    expected_version: int,
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove an evaluation item (and the links to the recommendations it covered)."""

    def before(s: Session, x: m.EvaluationItem) -> None:
        link = m.EvaluationItemRecommendation
        for row in list(s.scalars(select(link).where(link.item_id == x.id))):
            s.delete(row)
        s.flush()

    return _EVALUATION_ITEM.remove(cf, item_id, expected_version, actor, today, before)


def _measure_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, MeasureInput, "整改措施")
    set_on = v.date(d.set_on, "set_on", "提出日期")
    deadline = v.opt_date(d.deadline, "deadline", "整改期限")
    done = v.opt_date(d.done_on, "done_on", "完成日期")
    status = v.choice(d.status, "status", "落实情况", MEASURE_STATUSES)
    v.not_before(set_on, case.fire_date, "set_on", "提出日期", "起火日期")
    v.not_before(deadline, set_on, "deadline", "整改期限", "提出日期")
    v.not_before(done, set_on, "done_on", "完成日期", "提出日期")
    if done is not None and status != "已落实":
        raise ValidationError("已填写完成日期的措施，落实情况应为“已落实”。", field="status")
    if status == "已落实" and done is None:
        raise ValidationError("请填写整改完成日期。", field="done_on")
    return {
        "text": v.long_text(d.text, "text", "措施内容", required=True),
        "responsible": v.text(d.responsible, "responsible", "责任单位"),
        "set_on": set_on,
        "deadline": deadline,
        "done_on": done,
        "status": status,
    }


@requires(Permission.RECORD)
def add_measure(
    cf: CaseFile,
    case_id: int,
    data: MeasureInput,
    *,
    actor: str | None = None,
    today: dt.date | None = None,
) -> MeasureView:
    """Record a prevention/rectification measure (限期整改 when it has a deadline)."""
    return _RECTIFICATION_MEASURE.add(cf, case_id, data, actor, today)


@requires(Permission.RECORD)
def update_measure(
    cf: CaseFile,
    measure_id: int,
    data: MeasureInput,
    *,
    expected_version: int,
    actor: str | None = None,
    today: dt.date | None = None,
) -> MeasureView:
    """Change a measure, e.g. record it done."""
    return _RECTIFICATION_MEASURE.update(cf, measure_id, data, expected_version, actor, today)


@requires(Permission.RECORD)
def remove_measure(
    cf: CaseFile,
    measure_id: int,
    *,
    expected_version: int,
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove a measure."""

    def before(s: Session, x: m.RectificationMeasure) -> None:
        for item in s.scalars(select(m.EvaluationItem).where(m.EvaluationItem.measure_id == x.id)):
            item.measure_id = None
        for item in s.scalars(select(m.EvaluationItem).where(m.EvaluationItem.order_id == x.id)):
            item.order_id = None

    return _RECTIFICATION_MEASURE.remove(cf, measure_id, expected_version, actor, today, before)


# The record kinds of this room (``_records.Kind``: add, update and remove in one place).
_EVALUATION_ITEM = Kind(
    m.EvaluationItem, "评估事项", lambda s, i: views.evaluation_item_view(i, s), values=_item_values
)
_RECTIFICATION_MEASURE = Kind(
    m.RectificationMeasure, "整改措施", lambda s, x: views.measure_view(x), values=_measure_values
)
