"""The wording of the documents of the procedure, drafted from a case (no database access).

One function per kind turns a :class:`~firecase.services.dto.CaseDetail` into an
:class:`~firecase.reports.official.OfficialText` the officer then edits: who issues it, to whom,
the body with the articles it rests on, the 落款 and date. ``documents.draft_document`` reads
the case and hands it here; the figures of an extension request (days used, due dates) are
computed there with the case file's calendar and passed in. The documents that follow the
investigation (报送函, 备案表, 整改通知书) are in :mod:`firecase.services._doc_handling`.

Citations: the measure is named in full at its first mention with "（以下简称《办法》）", then
"《办法》第X条" (a document goes to other offices: "本办法" would read as the document's own).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from firecase.errors import ValidationError
from firecase.reports.base import format_date
from firecase.reports.official import OfficialText
from firecase.reports.wording import MEASURE, cn_time, prose_yuan
from firecase.rules import RECUSAL_GROUNDS
from firecase.services._report_text import (
    _after_location,
    _casualty_phrase,
    _fire_agency,
    _fire_time,
    _fire_title,
    _government,
    fire_location,
)
from firecase.services.doc_kinds import DocumentKind
from firecase.services.dto import (
    CaseDetail,
    HandlingTaskView,
    MeasureView,
    MemberView,
    RecusalView,
)
from firecase.services.evaluation import order_problem
from firecase.services.reporting import report_team_name, team_founding_body

__all__ = ["Drafted", "ExtensionFigures", "item_labels"]

FIRST = f"{MEASURE}（以下简称《办法》）"
_CN = "一二三四五六七八九十"
_BODY_WORDS = {
    "人民政府": "人民政府",
    "消防救援机构": "消防救援机构",
    "公安机关": "公安机关",
    "消防安全监管部门": "负有消防安全监督管理职责的部门",
    "行业主管部门": "有关行业主管部门",
}
_TEAM_DUTIES = (
    "（一）查明事故发生的经过、直接原因和间接原因；（二）统计人员伤亡情况和直接经济损失；"
    "（三）认定火灾的性质和火灾事故责任；（四）提出对事故责任单位和责任人的处理建议；"
    "（五）总结事故教训，提出防范和整改措施；（六）提交火灾事故调查报告。"
)
_SUBGROUP_ARTICLES = {"综合组": "第十条", "技术组": "第十一条", "管理组": "第十二条"}
_BARE_CITE = re.compile(r"(（|依照|依据|根据|按照|符合|违反)第([一二三四五六七八九十]+条)")


def _cites(text: str) -> str:
    """A stored text citing the measure's articles bare ("（第十条）", "符合第十五条第一项")
    cites "《办法》第…" (a law named before its article is left alone)."""
    return _BARE_CITE.sub(r"\1《办法》第\2", " ".join(text.split()))


@dataclass(frozen=True)
class Drafted:
    """A drafted document: its wording, what it is about (kept with the record) and notes to
    show the officer (what FireCase could not fill in from the case)."""

    text: OfficialText
    subject: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExtensionFigures:
    """The investigation period on the day an extension was requested (第十七条)."""

    used: int  # days counted so far (appraisal days left out)
    excluded: int  # appraisal days not counted (第十七条第二款)
    appraisals: int  # appraisals commissioned by then
    prior_days: int  # extensions approved before this one
    due_before: dt.date | None  # None: paused by an open appraisal
    due_after: dt.date | None
    provisional: bool = False  # a due date computed for a year the calendar lacks


def _d(day: dt.date | None) -> str:
    return format_date(day, blank="　　年　　月　　日")


def _fire_name(d: CaseDetail) -> str:
    return _fire_title(d.case.title, "事故")


def _fire_sentence(d: CaseDetail) -> str:
    """What happened, in one sentence: when, where, casualties and loss."""
    c = d.case
    when = format_date(c.fire_date)
    t = _fire_time(c.fire_time)
    if t is not None:
        when += cn_time(t)
    where = fire_location(c)
    unit = _after_location(where, c.unit_name.strip())
    first = f"{when}，位于{where}的{unit}发生火灾" if unit else f"{when}，{where}发生火灾"
    return f"{first}，{_casualty_phrase(d)}，直接经济损失{prose_yuan(c.economic_loss_yuan)}。"


def _who(m: MemberView) -> str:
    return f"{m.name}（{m.organisation}{m.title}）"


def _roster_on(d: CaseDetail, day: dt.date) -> list[MemberView]:
    return [m for m in d.members if m.joined_on <= day and (m.left_on is None or m.left_on > day)]


def _leader(d: CaseDetail) -> MemberView | None:
    return next((m for m in d.members if m.role == "组长" and m.active), None) or next(
        (m for m in d.members if m.role == "组长"), None
    )


def _contact(d: CaseDetail) -> str:
    heads = [m for m in d.members if m.body == "消防救援机构" and m.role in ("组长", "副组长")]
    return f"联系人：{_who(heads[0])}" if heads else ""


def _pick(items: tuple[Any, ...], index: int | None, what: str, kind: DocumentKind) -> int:
    if not items:
        raise ValidationError(
            f"本案尚未登记{what}，无法生成{kind.label}（{kind.basis}）。", field="item"
        )
    if index is None:
        return len(items) - 1
    if not 0 <= index < len(items):
        raise ValidationError(f"本案没有第{index + 1}项{what}（共{len(items)}项）。", field="item")
    return index


def item_labels(d: CaseDetail, kind: DocumentKind) -> tuple[str, ...]:
    """What each document of ``kind`` can be about, as the dialog lists them ("" kinds: ())."""
    if kind.item == "回避申请":
        return tuple(f"{r.member_name}（{r.applied_on.isoformat()}申请）" for r in d.recusals)
    if kind.item == "延期申请":
        return tuple(f"延长{x.days}日（{x.requested_on.isoformat()}申请）" for x in d.extensions)
    if kind.item == "检验鉴定":
        return tuple(f"{a.kind}：{a.subject}" for a in d.appraisals)
    if kind.item == "处理落实任务":
        return tuple(" ".join(f"{t.department}：{t.task}".split()) for t in _tasks(d))
    if kind.item == "整改措施":
        return tuple(" ".join(f"{m.responsible}：{m.text}".split()) for m in _orders(d))
    return ()


def _tasks(d: CaseDetail) -> tuple[HandlingTaskView, ...]:
    return tuple(t for t in d.handling_tasks if t.removed_on is None)


def _orders(d: CaseDetail) -> tuple[MeasureView, ...]:
    """The measures a 限期整改通知书 can be about: those the evaluation set with a new deadline
    for an item it found 未落实 or 部分落实 (``order_id``). 第二十四条 督促 限期整改 where
    measures were found not or not fully implemented; a measure proposed in the report, with
    its own deadline, was found nothing yet (the notice said "经查…尚未落实到位" of it)."""
    items = {i.order_id: i for i in d.evaluation_items if i.order_id is not None}
    return tuple(
        m
        for m in d.measures
        if m.id in items
        and m.deadline is not None
        and order_problem(items[m.id].result, items[m.id].checked_on, m.set_on) is None
    )


# ----------------------------------------------------------------------------- the kinds


def _team_notice(d: CaseDetail, k: DocumentKind, org: str, number: str, today: dt.date) -> Drafted:
    c = d.case
    on = c.team_formed_on or today
    roster = _roster_on(d, on)
    if not roster:
        raise ValidationError(
            f"本案尚未登记调查组成员（{k.basis}），无法生成{k.label}。", field="members"
        )
    team = report_team_name(d, org)
    government = _government(d, org)
    agency = _fire_agency(d, org)
    authorised = c.team_authorised_fire_agency and not c.taken_over_by
    issuer = team_founding_body(d, org)  # the 组建机关 recorded, else the one 第四条 gives
    if authorised and issuer != government:
        agency = issuer
    who = f"经{government}授权，由{agency}牵头组织调查处理，" if authorised else ""
    body = [
        _fire_sentence(d)
        + f"为查明事故原因、认定事故责任、提出处理建议和防范整改措施，依据{FIRST}第四条、"
        f"第六条的规定，{who}决定成立{team}（以下简称调查组）。现将有关事项通知如下：",
        "一、调查组组成",
    ]
    bodies = [_BODY_WORDS[b] for b in _BODY_WORDS if any(m.body == b for m in roster)]
    line = f"调查组由{'、'.join(bodies)}的人员组成（《办法》第六条第一款）" if bodies else ""
    body.append((line + "，在组长的统一领导下开展调查处理工作（《办法》第八条）。").lstrip("，"))
    for role in ("组长", "副组长"):
        named = [_who(m) for m in roster if m.role == role]
        if named:
            body.append(f"{role}：{'、'.join(named)}")
    plain = [m for m in roster if m.role == "成员" and m.body not in ("纪检监察机关", "专家")]
    if plain:
        body.append(f"成员：{'、'.join(_who(m) for m in plain)}")
    invited = [m for m in roster if m.body == "纪检监察机关"]
    if invited:
        units = "、".join(dict.fromkeys(m.organisation for m in invited))
        names = "、".join(f"{m.name}（{m.title}）" if m.title else m.name for m in invited)
        body.append(f"邀请{units}派{names}参加调查（《办法》第六条第一款）。")
    experts = [m for m in roster if m.body == "专家"]
    if experts:
        body.append(
            f"聘请{'、'.join(_who(m) for m in experts)}为专家参与调查（《办法》第六条第一款）。"
        )
    body += ["二、调查组主要职责", f"依据《办法》第七条，调查组主要职责是：{_TEAM_DUTIES}"]
    groups = [g for g in d.subgroups if g.member_ids or g.leader_id is not None]
    if groups:
        by_id = {m.id: m for m in d.members}
        body.append("三、专项小组及职责")
        body.append(
            f"调查组下设{'、'.join(g.name for g in groups)}{len(groups)}个专项小组，"
            "各小组组长由调查组组长指定（《办法》第九条）。"
        )
        for n, g in enumerate(groups):
            body.append(f"（{_CN[n]}）{g.name}")
            leader = by_id.get(g.leader_id) if g.leader_id is not None else None
            members = [by_id[i].name for i in g.member_ids if i in by_id and i != g.leader_id]
            parts = [f"组长：{leader.name}" if leader else "组长：由调查组组长指定"]
            if members:
                parts.append(f"成员：{'、'.join(members)}")
            body.append("；".join(parts) + "。")
            article = _SUBGROUP_ARTICLES.get(g.name)
            standard = f"按照《办法》{article}规定的职责开展工作。" if article else ""
            duties = _cites(g.duties) or standard or "完成调查组交办的任务。"
            body.append(f"主要职责：{duties}")
    body.append(f"{'四' if groups else '三'}、工作要求")
    body.append(
        "调查组成员应当诚信公正，恪尽职守，遵守工作纪律，保守事故调查秘密，未经批准不得擅自发布"
        "有关事故的信息（《办法》第十四条）；具有《办法》第十五条规定情形之一的，应当主动提出"
        "回避申请。调查组应当在火灾发生之日起60日内完成事故调查并提交火灾事故调查报告，检验、"
        "鉴定时间不计入调查期限（《办法》第十七条）。"
    )
    # the member units; the government, when the fire agency issues it, gets a copy (抄送)
    skip = {issuer, government}
    units_to = dict.fromkeys(m.organisation for m in roster if m.organisation not in skip)
    addressee = "、".join(units_to)
    notes = () if c.team_formed_on else ("案件未记录调查组成立日期，落款日期暂用今天。",)
    text = OfficialText(
        k.key,
        k.label,
        c.case_no,
        org,
        f"关于成立{team}的通知",
        number=number,
        addressee=addressee,
        body=tuple(body),
        signature=issuer,
        on=on,
        copy_to=government if issuer != government else "",
        masthead=issuer,
    )
    return Drafted(text, "", notes)


def _recusal(d: CaseDetail, index: int | None, k: DocumentKind) -> tuple[RecusalView, MemberView]:
    at = _pick(d.recusals, index, "回避申请", k)
    r = d.recusals[at]
    member = next(m for m in d.members if m.id == r.member_id)
    return r, member


def _recusal_application(
    d: CaseDetail, k: DocumentKind, org: str, index: int | None, number: str
) -> Drafted:
    r, m = _recusal(d, index, k)
    team = report_team_name(d, org)
    leader_own = m.role == "组长"
    decider = _government(d, org) if leader_own else f"{team}组长"
    who = "调查组成员本人" if r.applicant_kind == "本人" else r.applicant_kind
    role = "组长" if leader_own else m.role
    own = r.applicant_kind == "本人"
    post = f"{m.organisation}{m.title}，{team}{role}"
    who_line = (
        (f"申请人：{m.name}，{post}。",)
        if own
        else (f"申请人：{r.applicant}（{who}）。", f"被申请回避人：{m.name}，{post}。")
    )
    body = (
        *who_line,
        f"申请事项：申请{'本人' if own else m.name}回避{_fire_name(d)}的调查处理工作。",
        f"事实和理由：{_cites(r.reason).rstrip('。')}。上述情形属于{MEASURE}"
        f"第十五条第{_CN[r.ground - 1]}项“{RECUSAL_GROUNDS.get(r.ground, '')}”规定的情形"
        + ("，依照该条第二款参照执行" if r.applicant_kind != "本人" else "")
        + "。",
        f"依据该条规定，特申请{'' if own else m.name}回避，"
        f"请{'人民政府' if leader_own else '调查组组长'}决定。",
    )
    text = OfficialText(
        k.key,
        k.label,
        d.case.case_no,
        org,
        "回避申请书",
        number=number,
        addressee=decider,
        body=body,
        signature=f"申请人：{r.applicant}",
        on=r.applied_on,
    )
    return Drafted(text, f"回避申请：{m.name}（{r.applied_on.isoformat()}）")


def _recusal_decision(
    d: CaseDetail, k: DocumentKind, org: str, index: int | None, number: str
) -> Drafted:
    r, m = _recusal(d, index, k)
    if not r.decision or r.decided_on is None:
        raise ValidationError(
            f"{m.name}的回避申请尚未作出决定（第十五条），请先在“回避”页记录决定，"
            "再生成回避决定书。",
            field="decision",
        )
    team = report_team_name(d, org)
    government_decides = r.deciding_body == "人民政府"
    who = "调查组成员本人" if r.applicant_kind == "本人" else r.applicant_kind
    applicant = f"{r.applicant}（{who}）"
    addressee = r.applicant if r.applicant == m.name else f"{r.applicant}、{m.name}"
    post = f"{m.organisation}{m.title}，调查组{m.role}"
    asked = (
        f"{m.name}（{post}）申请回避"
        if r.applicant_kind == "本人"
        else f"{applicant}申请{m.name}（{post}）回避"
    )
    first = (
        f"{format_date(r.applied_on)}，{asked}{_fire_name(d)}的调查处理工作，"
        f"理由是：{_cites(r.reason)}"
    )
    body = [first if first.endswith("。") else first + "。"]
    if r.decision_reason.strip():
        body.append(f"经审查，{_cites(r.decision_reason)}")
    basis = f"依据{FIRST}第十五条第{_CN[r.ground - 1]}项" + (
        "和第二款" if r.applicant_kind != "本人" else ""
    )
    if r.decision == "批准":
        body.append(
            f"{basis}的规定，决定准予{m.name}回避。{m.name}自{format_date(r.decided_on)}起不再"
            "参加本起火灾事故的调查处理工作，不在火灾事故调查报告上签名。"
        )
    else:
        body.append(f"{basis}的规定，决定驳回该回避申请，{m.name}继续参加调查处理工作。")
    body.append("特此决定。")
    signature = _government(d, org) if government_decides else f"{team}\n组长：{r.decided_by}"
    text = OfficialText(
        k.key,
        k.label,
        d.case.case_no,
        org,
        "回避决定书",
        number=number,
        addressee=addressee,
        body=tuple(body),
        signature=signature,
        on=r.decided_on,
    )
    return Drafted(text, f"回避申请：{m.name}（{r.applied_on.isoformat()}）")


def _extension_request(
    d: CaseDetail,
    k: DocumentKind,
    org: str,
    index: int | None,
    number: str,
    figures: ExtensionFigures | None,
) -> Drafted:
    at = _pick(d.extensions, index, "调查期限延长申请", k)
    x = d.extensions[at]
    assert figures is not None
    c = d.case
    team = report_team_name(d, org)
    government = x.approved_by or _government(d, org)
    formed = f"{format_date(c.team_formed_on)}，" if c.team_formed_on else ""
    f = figures
    period = "调查期限60日"
    if f.prior_days:
        period += f"，经批准已延长{f.prior_days}日"
    appraisal = ""
    if f.appraisals:
        appraisal = (
            f"本案委托检验、鉴定{f.appraisals}项，用时{f.excluded}日，依照《办法》第十七条第二款"
            "不计入调查期限；"
        )
    mark = "（暂定：节假日日历缺少该年份）" if f.provisional else ""
    if f.due_before is not None:
        left = (f.due_before - x.requested_on).days
        due = f"调查期限届满日为{format_date(f.due_before)}{mark}，尚余{max(left, 0)}日"
    else:
        due = "因检验、鉴定尚未出具意见，调查期限暂停计算"
    after = (
        f"，延长后调查期限届满日为{format_date(f.due_after)}{mark}"
        if f.due_after is not None
        else ""
    )
    total = f.prior_days + x.days
    if total > 60:  # 第十七条第一款: 延长期限不超过60日 (a pending request is not checked)
        raise ValidationError(
            f"本次申请延长{x.days}日，连同此前已批准的{f.prior_days}日累计{total}日，超过"
            "第十七条第一款规定的60日（延长期限不超过60日），不能据此生成请示。请在“期限”页"
            "核对延长天数。",
            field="days",
        )
    body = (
        _fire_sentence(d) + f"{formed}依据{FIRST}第四条、第六条的规定，成立了{team}开展调查。",
        f"依据《办法》第十七条第一款，调查组应当在火灾发生之日起60日内完成事故调查，并提交火灾事故"
        f"调查报告（{period}）。截至{format_date(x.requested_on)}，{appraisal}调查已用"
        f"{f.used}日，{due}。",
        f"因{x.reason.strip().rstrip('。')}，本起火灾事故情况复杂疑难，调查组难以在期限内完成调查。"
        f"依据《办法》第十七条第一款的规定，特请求将调查期限延长{x.days}日{after}（延长期限累计"
        f"{total}日，不超过60日）。",
        "妥否，请批示。",
    )
    leader = _leader(d)
    text = OfficialText(
        k.key,
        k.label,
        c.case_no,
        org,
        f"关于延长{_fire_name(d)}调查期限的请示",
        number=number,
        addressee=government,
        body=body,
        signature=team,
        on=x.requested_on,
        note=_contact(d),
        masthead=team,
        signer=f"签发人：{leader.name}" if leader else "",
    )
    return Drafted(text, f"延期申请：{x.days}日（{x.requested_on.isoformat()}）")


def _appraisal_commission(
    d: CaseDetail, k: DocumentKind, org: str, index: int | None, number: str
) -> Drafted:
    at = _pick(d.appraisals, index, "检验、鉴定", k)
    a = d.appraisals[at]
    team = report_team_name(d, org)
    agency = _fire_agency(d, org)
    evidence = next((e for e in d.evidence if e.id == a.evidence_id), None)
    subject = a.subject.strip()
    need = f"需要进行{subject}" if subject.endswith(a.kind) else f"需要对{subject}进行{a.kind}"
    body = (
        f"{team}在调查{_fire_name(d)}过程中，{need}。依据{FIRST}第十一条第二项、第十七条第二款"
        f"的规定，现委托你单位进行{a.kind}，有关事项如下：",
    )
    table: list[tuple[str, str]] = [("委托事项", a.subject), (f"{a.kind}类别", a.kind)]
    if evidence is not None:
        table.append(("检材名称及编号", f"{evidence.name}（编号{evidence.code}）"))
        if evidence.description.strip():
            table.append(("检材情况", evidence.description.strip()))
        if evidence.location.strip():
            table.append(("检材保管地点", evidence.location.strip()))
    table += [
        ("委托日期", format_date(a.commissioned_on)),
        ("委托单位", f"{agency}（{team}）"),
        (
            "要求",
            f"请依照有关技术标准和规范进行{a.kind}，出具书面{a.kind}意见，并注明出具日期。",
        ),
    ]
    after = (
        f"依据《办法》第十七条第二款，{a.kind}时间不计入调查期限。请你单位在{a.kind}意见出具后"
        "及时送交调查组。",
    )
    text = OfficialText(
        k.key,
        k.label,
        d.case.case_no,
        org,
        f"{a.kind}委托书",
        number=number,
        addressee=a.agency,
        body=body,
        table=tuple(table),
        after_table=after,
        signature=agency,
        on=a.commissioned_on,
        note=_contact(d),
    )
    return Drafted(text, f"{a.kind}：{a.subject}（{a.commissioned_on.isoformat()}）")
