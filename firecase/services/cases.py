"""Case-level use cases: open a case from an incident, casualties, decisions, takeover, team
setup, report wording (the milestones after it are in ``reply``, reading in ``reading``).

Each public function is one transaction (``CaseFile.unit_of_work``), validates its input and
raises ``FirecaseError`` subclasses with Chinese messages; it returns frozen DTOs from
``firecase.services.dto``. After every change the case's derived columns (grade, inclusion,
stage, next due date) are recomputed through ``firecase.rules`` in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from firecase.errors import ValidationError
from firecase.services import _common as v, _derive, _judgement, guards
from firecase.services._records import _set_case_fields
from firecase.services._views import case_summary, casualty_view
from firecase.services.dto import (
    CaseSummary,
    CasualtyInput,
    CasualtyUpdateView,
    IncidentInput,
    InclusionDecisionView,
    JudgementInput,
    ReportWordingInput,
    Stage,
    TeamSetupInput,
)
from firecase.services.permissions import Permission, requires
from firecase.services.settings import read_settings
from firecase.store import CaseFile
from firecase.store.models import (
    Case,
    CasualtyUpdate,
    InclusionDecisionRow,
)

# --------------------------------------------------------------------------------------------
# validation of the case-level inputs
# --------------------------------------------------------------------------------------------


def _incident_values(data: Any) -> dict[str, Any]:
    if not isinstance(data, IncidentInput):
        raise ValidationError("火灾事故信息格式不正确。", field="incident")
    values: dict[str, Any] = {
        "title": v.text(data.title, "title", "案件名称", max_len=200),
        "fire_date": v.date(data.fire_date, "fire_date", "起火日期"),
        "fire_time": v.text(data.fire_time, "fire_time", "起火时间", max_len=8, required=False),
        "place": v.text(data.place, "place", "起火地点", max_len=200),
        "address": v.text(data.address, "address", "详细地址", max_len=300, required=False),
        "unit_name": v.text(data.unit_name, "unit_name", "起火单位（场所）", required=False),
        "fire_type": v.choice(data.fire_type, "fire_type", "火灾类别", _judgement.fire_types()),
        "property_loss_yuan": v.money(
            data.property_loss_yuan, "property_loss_yuan", "直接财产损失"
        ),
        "economic_loss_yuan": v.money(
            data.economic_loss_yuan, "economic_loss_yuan", "直接经济损失"
        ),
        "households_affected": v.opt_integer(
            data.households_affected, "households_affected", "受灾户数", maximum=10**7
        ),
        "summary": v.long_text(data.summary, "summary", "简要情况"),
        "burned_area_m2": burned_area(data.burned_area_m2),
        "nature": v.text(data.nature, "nature", "事故性质", max_len=100, required=False),
    }
    if values["economic_loss_yuan"] < values["property_loss_yuan"]:
        raise ValidationError(
            "直接经济损失包括直接财产损失，不能小于直接财产损失"
            f"（{values['property_loss_yuan']}元；第五条第二项按直接经济损失判断）。",
            field="economic_loss_yuan",
        )
    ft = values["fire_time"]
    if ft and not _valid_time(ft):
        raise ValidationError("起火时间应为“时:分”，如 14:35。", field="fire_time")
    return values


MAX_AREA_M2 = Decimal("10000000000")  # 10^10 平方米: far beyond any fire


def burned_area(value: Any) -> Decimal | None:
    """过火面积 in 平方米: exact (Decimal, int, or decimal text such as "320" / "320.5"), at
    most two decimal places, never negative; None or "" when not known. Floats are refused
    (the area is printed exactly as entered)."""
    field, label = "burned_area_m2", "过火面积"
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise ValidationError(f"{label}应为数字（平方米），如 320 或 320.5。", field=field)
    text = value.strip().replace(",", "").replace("，", "") if isinstance(value, str) else value
    try:
        area = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(
            f"{label}“{value}”不是数字：请填写平方米数，如 320 或 320.5。", field=field
        ) from exc
    if not area.is_finite():
        raise ValidationError(f"{label}不是有效的数字。", field=field)
    if area < 0:
        raise ValidationError(f"{label}不能为负数。", field=field)
    if area > MAX_AREA_M2:
        raise ValidationError(f"{label}超出可记录的范围。", field=field)
    if area != area.quantize(Decimal("0.01")):
        raise ValidationError(f"{label}最多保留两位小数。", field=field)
    return area.quantize(Decimal("0.01"))


def _valid_time(text: str) -> bool:
    try:
        dt.time.fromisoformat(text)
    except ValueError:
        return False
    return len(text) in (5, 8)


def _casualty_values(data: Any, fire_date: dt.date, today: dt.date) -> dict[str, Any]:
    """A casualty record's values: counts as of ``as_of`` (the day they became true, never
    after today nor before the fire), entered ``today``."""
    if not isinstance(data, CasualtyInput):
        raise ValidationError("伤亡情况格式不正确。", field="casualty")
    values: dict[str, Any] = {
        "as_of": v.date(data.as_of, "as_of", "伤亡发生（截至）日期"),
        "recorded_on": today,
        "deaths": v.integer(data.deaths, "deaths", "死亡人数"),
        "serious_injuries": v.integer(data.serious_injuries, "serious_injuries", "重伤人数"),
        "minor_injuries": v.integer(data.minor_injuries, "minor_injuries", "轻伤人数"),
        "note": v.long_text(data.note, "note", "说明"),
    }
    v.not_before(values["as_of"], fire_date, "as_of", "伤亡发生（截至）日期", "起火日期")
    v.not_before(today, values["as_of"], "as_of", "今天（录入日期）", "伤亡发生（截至）日期")
    return values


def _judgement_values(data: Any, fire_date: dt.date, today: dt.date) -> dict[str, Any]:
    if not isinstance(data, JudgementInput):
        raise ValidationError("研判信息格式不正确。", field="judgement")
    out: dict[str, Any] = {
        "social_impact": v.flag(data.social_impact, "social_impact", "造成重大社会影响"),
        "deemed_necessary": v.flag(data.deemed_necessary, "deemed_necessary", "认为有必要调查"),
    }
    by = v.text(data.social_impact_by, "social_impact_by", "认定机关或人员", required=False)
    on = v.opt_date(data.social_impact_on, "social_impact_on", "认定日期")
    why = v.long_text(data.social_impact_reason, "social_impact_reason", "认定理由")
    if out["social_impact"]:
        by = v.text(by, "social_impact_by", "认定机关或人员")
        on = v.date(on, "social_impact_on", "认定日期")
        why = v.long_text(why, "social_impact_reason", "认定理由", required=True)
        v.not_before(on, fire_date, "social_impact_on", "认定日期", "起火日期")
        v.not_future(on, today, "social_impact_on", "认定日期")
        out.update(social_impact_by=by, social_impact_on=on, social_impact_reason=why)
    else:
        out.update(social_impact_by="", social_impact_on=None, social_impact_reason="")
    by = v.text(data.deemed_by, "deemed_by", "作出决定的政府或消防救援机构", required=False)
    on = v.opt_date(data.deemed_on, "deemed_on", "决定日期")
    why = v.long_text(data.deemed_reason, "deemed_reason", "决定理由")
    if out["deemed_necessary"]:
        by = v.text(by, "deemed_by", "作出决定的政府或消防救援机构")
        if "人民政府" not in by and "消防救援" not in by:
            raise ValidationError(
                "第五条第四项由人民政府或消防救援机构认为有必要：请填写作出决定的人民政府或"
                f"消防救援机构（如“天门市消防救援大队”），“{by}”不是。",
                field="deemed_by",
            )
        on = v.date(on, "deemed_on", "决定日期")
        v.not_before(on, fire_date, "deemed_on", "决定日期", "起火日期")
        v.not_future(on, today, "deemed_on", "决定日期")
        why = v.long_text(why, "deemed_reason", "决定理由", required=True)
        out.update(deemed_by=by, deemed_on=on, deemed_reason=why)
    else:
        out.update(deemed_by="", deemed_on=None, deemed_reason="")
    return out


# --------------------------------------------------------------------------------------------
# case numbers
# --------------------------------------------------------------------------------------------


def format_case_no(prefix: str, year: int, seq: int) -> str:
    """The case number, e.g. ``天消调〔2026〕第001号``."""
    return f"{prefix}〔{year}〕第{seq:03d}号"


def _next_seq(session: Session, year: int) -> int:
    current = session.scalar(select(func.max(Case.seq)).where(Case.year == year))
    return int(current or 0) + 1


# --------------------------------------------------------------------------------------------
# use cases
# --------------------------------------------------------------------------------------------


@requires(Permission.RECORD)
def open_case(
    cf: CaseFile,
    incident: IncidentInput,
    casualties: CasualtyInput | None = None,
    judgement: JudgementInput | None = None,
    *,
    actor: str | None = None,
    today: dt.date | None = None,
) -> CaseSummary:
    """Open a case from an incident: number it, record casualties, decide grade and inclusion."""
    now = v.today_or(today)
    values = _incident_values(incident)
    cas = _casualty_values(casualties, values["fire_date"], now) if casualties is not None else None
    judge = (
        _judgement_values(judgement, values["fire_date"], now) if judgement is not None else None
    )
    with cf.unit_of_work(actor) as uow:
        obj = _insert_case(uow.session, uow.actor, values, cas, judge, now)
        out = case_summary(obj)
        uow.commit()
    return out


def _insert_case(
    s: Session,
    actor: str,
    values: dict[str, Any],
    cas: dict[str, Any] | None,
    judge: dict[str, Any] | None,
    now: dt.date,
    *,
    seq: int | None = None,
) -> Case:
    """Number and insert a case from validated intake values (``open_case``; the register
    import passes ``seq`` to keep a number), decide grade and inclusion (in this transaction)."""
    settings = read_settings(s)
    year = values["fire_date"].year
    number = _next_seq(s, year) if seq is None else seq
    obj = Case(
        case_no=format_case_no(settings.case_no_prefix, year, number),
        year=year,
        seq=number,
        stage=Stage.ACCEPTED.value,
        created_on=now,
        created_by=actor,
        **values,
    )
    s.add(obj)
    s.flush()
    if cas is not None:
        s.add(CasualtyUpdate(case_id=obj.id, recorded_by=actor, **cas))
    if judge is not None:
        _judgement.set_judgement(s, obj, judge, actor, now)
    _derive.refresh_case(s, obj, actor, now)
    s.flush()  # bump ``version`` before it is read into the summary
    return obj


@requires(Permission.RECORD)
def update_incident(
    cf: CaseFile,
    case_id: int,
    incident: IncidentInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> CaseSummary:
    """Correct the incident facts; grade and inclusion are re-decided."""
    now = v.today_or(today)
    values = _incident_values(incident)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        obj = v.load_case(s, case_id)
        v.check_version(obj, expected_version, "案件")
        if values["fire_date"].year != obj.year:
            raise ValidationError(
                "起火日期的年份与案件编号的年份不同：请新建案件并删除本案。", field="fire_date"
            )
        first = s.scalar(
            select(func.min(func.coalesce(CasualtyUpdate.as_of, CasualtyUpdate.recorded_on))).where(
                CasualtyUpdate.case_id == obj.id
            )
        )
        v.not_before(first, values["fire_date"], "fire_date", "最早的伤亡发生日期", "起火日期")
        if any(getattr(obj, k) != value for k, value in values.items()):
            guards.check_edit(
                s, obj, "cases", obj.id, override_reason, by=uow.display_name, today=now
            )
        for key, value in values.items():
            setattr(obj, key, value)
        _derive.refresh_case(s, obj, uow.actor, now)
        s.flush()  # bump ``version`` before it is read into the summary
        out = case_summary(obj)
        uow.commit()
    return out


@requires(Permission.REMOVE_CASE)
def remove_case(
    cf: CaseFile, case_id: int, *, expected_version: int, actor: str | None = None
) -> None:
    """Delete a case and everything recorded under it (the audit trail keeps the old values)."""
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        obj = v.load_case(s, case_id)
        v.check_version(obj, expected_version, "案件")
        _derive.delete_case_rows(s, obj)
        uow.commit()


@requires(Permission.RECORD)
def add_casualty_update(
    cf: CaseFile,
    case_id: int,
    data: CasualtyInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> CasualtyUpdateView:
    """Record a dated casualty count; the grade is re-decided and escalation checked (第四条)."""
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        obj = v.load_case(s, case_id)
        values = _casualty_values(data, obj.fire_date, now)
        v.not_before(now, obj.created_on, "recorded_on", "录入日期", "立案日期")
        guards.check_edit(
            s, obj, "casualty_updates", "", override_reason, by=uow.display_name, today=now
        )
        row = CasualtyUpdate(case_id=obj.id, recorded_by=uow.actor, **values)
        s.add(row)
        s.flush()
        _derive.refresh_case(s, obj, uow.actor, now)
        out = casualty_view(row)
        uow.commit()
    return out


@requires(Permission.RECORD)
def remove_casualty_update(
    cf: CaseFile,
    update_id: int,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> None:
    """Remove a casualty update recorded in error (the audit trail keeps it)."""
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        row = v.load(s, CasualtyUpdate, update_id, "伤亡统计")
        obj = v.load_case(s, row.case_id)
        guards.check_edit(
            s, obj, "casualty_updates", row.id, override_reason, by=uow.display_name, today=now
        )
        s.delete(row)
        s.flush()
        _derive.refresh_case(s, obj, uow.actor, now)
        uow.commit()


@requires(Permission.RECORD)
def record_judgement(
    cf: CaseFile,
    case_id: int,
    judgement: JudgementInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> InclusionDecisionView:
    """Record the judgement clauses of 第五条（三）（四） with who, when and why; re-decide."""
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        obj = v.load_case(s, case_id)
        values = _judgement_values(judgement, obj.fire_date, now)
        guards.check_edit(s, obj, "cases", obj.id, override_reason, by=uow.display_name, today=now)
        _judgement.set_judgement(s, obj, values, uow.actor, now)
        _derive.refresh_case(s, obj, uow.actor, now)
        row = s.scalars(
            select(InclusionDecisionRow)
            .where(InclusionDecisionRow.case_id == obj.id)
            .order_by(InclusionDecisionRow.id.desc())
            .limit(1)
        ).one()
        out = _judgement.inclusion_view(row)
        uow.commit()
    return out


def higher_government(name: str) -> str:
    """``name`` (spaces and full-width forms folded) when it is a government above 天门市
    (第四条第二款: 上级人民政府 — 湖北省人民政府 or 国务院), else a ValidationError."""
    import unicodedata

    text = "".join(unicodedata.normalize("NFKC", name).split())
    higher = text in {"国务院", "中华人民共和国国务院"} or (
        text.endswith(("省人民政府", "自治区人民政府")) and "天门" not in text
    )
    if not higher:
        raise ValidationError(
            f"“{name}”不是天门市的上级人民政府：提级调查由上级人民政府决定（第四条第二款），"
            "请填写“湖北省人民政府”或“国务院”。",
            field="taken_over_by",
        )
    return text


@requires(Permission.RECORD)
def record_takeover(
    cf: CaseFile,
    case_id: int,
    taken_over_by: str,
    taken_over_on: dt.date | None,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> CaseSummary:
    """Record that a higher government took the investigation over (提级调查, 第四条第二款);
    both empty clears a takeover recorded in error (the audit trail keeps it).

    From the takeover the case names that government as investigator and the city's clocks
    stop counting (``rules.measures_duties``)."""
    now = v.today_or(today)
    by = v.text(taken_over_by, "taken_over_by", "提级调查的上级人民政府", required=False)
    on = v.opt_date(taken_over_on, "taken_over_on", "提级日期")
    if by or on is not None:
        by = v.text(by, "taken_over_by", "提级调查的上级人民政府")
        if on is None:
            raise ValidationError("请填写提级日期。", field="taken_over_on")
        by = higher_government(by)
        v.not_future(on, now, "taken_over_on", "提级日期")
    return _set_case_fields(
        cf,
        case_id,
        {"taken_over_by": by, "taken_over_on": on},
        expected_version,
        actor,
        now,
        checks=[("taken_over_on", "提级日期", "fire_date", "起火日期")],
        override_reason=override_reason,
    )


@requires(Permission.APPROVE_TEAM)
def set_team_setup(
    cf: CaseFile,
    case_id: int,
    data: TeamSetupInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> CaseSummary:
    """Record when the team was formed, whether the fire agency was authorised to lead, the
    founding document's number (成立文件文号) and the body that set the team up (组建机关,
    第四条); an empty number or body is "not recorded"."""
    now = v.today_or(today)
    if not isinstance(data, TeamSetupInput):
        raise ValidationError("调查组组建信息格式不正确。", field="team")
    values = {
        "team_formed_on": v.date(data.formed_on, "formed_on", "调查组成立日期"),
        "team_authorised_fire_agency": v.flag(
            data.authorised_fire_agency, "authorised_fire_agency", "授权消防救援机构牵头"
        ),
        "team_document_no": v.text(
            data.document_no, "document_no", "成立文件文号", max_len=64, required=False
        ),
        "team_formed_by": v.text(
            data.formed_by, "formed_by", "组建机关", max_len=200, required=False
        ),
    }
    return _set_case_fields(
        cf,
        case_id,
        values,
        expected_version,
        actor,
        now,
        checks=[("team_formed_on", "调查组成立日期", "fire_date", "起火日期")],
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def set_report_wording(
    cf: CaseFile,
    case_id: int,
    data: ReportWordingInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> CaseSummary:
    """Store the investigation report's wording the officer chose (第十八条): the team that
    signs it, the title with its line breaks, the opening summary and the team-composition
    paragraph. An empty text means "generated from the case" (``reporting``)."""
    now = v.today_or(today)
    if not isinstance(data, ReportWordingInput):
        raise ValidationError("报告文字格式不正确。", field="report")
    title = v.long_text(data.title, "report_title", "报告标题")
    lines = [line.strip() for line in title.splitlines() if line.strip()]
    if len("".join(lines)) > 200:
        raise ValidationError("报告标题不能超过200个字。", field="report_title")
    values = {
        "team_name": v.text(data.team_name, "team_name", "调查组名称", required=False),
        "report_title": "\n".join(lines),
        "report_opening": v.long_text(data.opening, "report_opening", "报告开头概述"),
        "report_composition": v.long_text(data.composition, "report_composition", "调查组组成情况"),
    }
    return _set_case_fields(
        cf, case_id, values, expected_version, actor, now, override_reason=override_reason
    )
