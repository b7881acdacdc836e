"""The wording of the documents that follow the investigation: 调查报告报送函 (第十八条,
第十九条), 处理情况备案表 (第二十条) and 限期整改通知书 (第二十二条, 第二十四条), drafted from
a case as :mod:`firecase.services._doc_wording` drafts the others (its helpers, its citation
rule; ``_doc_draft.draft`` dispatches here)."""

from __future__ import annotations

import datetime as dt

from firecase.reports.base import format_date
from firecase.reports.official import OfficialText
from firecase.services._doc_wording import (
    FIRST,
    Drafted,
    _contact,
    _d,
    _fire_name,
    _fire_sentence,
    _leader,
    _orders,
    _pick,
    _tasks,
)
from firecase.services._report_text import _fire_agency, _government
from firecase.services.doc_kinds import DocumentKind
from firecase.services.dto import CaseDetail
from firecase.services.reporting import report_team_name, report_title

__all__ = ["handling_record", "rectification_notice", "report_letter"]


def report_letter(d: CaseDetail, k: DocumentKind, org: str, number: str, today: dt.date) -> Drafted:
    c = d.case
    team = report_team_name(d, org)
    government = _government(d, org)
    report = " ".join(report_title(d).split()).replace(" ", "")
    formed = f"{format_date(c.team_formed_on)}，" if c.team_formed_on else ""
    signed = [m for m in d.members if m.active]
    dissent = ""
    if d.dissents:
        names = "、".join(dict.fromkeys(x.member_name for x in d.dissents))
        dissent = f"调查组成员{names}的不同意见已载入调查报告。"
    body = (
        _fire_sentence(d),
        f"{formed}{team}成立后，依据{FIRST}第七条、第十六条的规定，查明了事故发生的经过、原因、"
        "人员伤亡和直接经济损失情况，认定了火灾性质和事故责任，提出了对事故责任单位和责任人员的"
        f"处理建议以及事故防范和整改措施，形成了《{report}》。",
        "调查报告载明《办法》第十八条第一款规定的事项，附具有关证据材料"
        f"{len(d.evidence)}件，由调查组成员{len(signed)}人签名（《办法》第十八条第二款）。{dissent}",
        "现将调查报告报送你单位，请依照《办法》第十九条的规定，自收到调查报告之日起15个工作日内"
        "作出批复。",
    )
    leader = _leader(d)
    notes = () if c.report_submitted_on else ("案件未记录调查报告提交日期，落款日期暂用今天。",)
    text = OfficialText(
        k.key,
        k.label,
        c.case_no,
        org,
        f"关于报送{_fire_name(d)}调查报告的函",
        number=number,
        addressee=government,
        body=body,
        attachments=(report, "证据材料目录"),
        signature=team,
        on=c.report_submitted_on or today,
        note=_contact(d),
        masthead=team,
        signer=f"签发人：{leader.name}" if leader else "",
    )
    return Drafted(text, "", notes)


def handling_record(
    d: CaseDetail, k: DocumentKind, org: str, index: int | None, number: str, today: dt.date
) -> Drafted:
    tasks = _tasks(d)
    at = _pick(tasks, index, "处理落实任务（人民政府批复后按第二十条建立）", k)
    t = tasks[at]
    c = d.case
    government = _government(d, org)
    agency = _fire_agency(d, org)
    clock = next((x for x in d.clocks if x.kind == "handling" and x.subject == t.department), None)
    recs = [r for r in d.recommendations if r.authority == t.department]
    table: list[tuple[str, str]] = [
        ("火灾事故名称", _fire_name(d)),
        ("案件编号", c.case_no),
        ("批复机关及文号", f"{government}{'　' + c.reply_ref if c.reply_ref else ''}"),
        ("批复日期", _d(c.reply_on)),
        ("处理部门（单位）", t.department),
        ("处理事项", t.task),
    ]
    if recs:
        table.append(("调查报告处理建议", "\n".join(f"{r.target_name}：{r.kind}" for r in recs)))
    table.append(("处理结果", t.result or "（尚未报告）"))
    table.append(("处理情况报告日期", _d(t.reported_on)))
    if clock is not None and clock.due is not None:
        state = "按期完成" if clock.late_days == 0 and t.filed_on else clock.status
        if clock.late_days:
            state = f"逾期{clock.late_days}日"
        table.append(
            (
                "处理期限",
                f"自批复之日起30日内，至{format_date(clock.due)}（《办法》第二十条）；{state}",
            )
        )
    table.append(("备案日期", _d(t.filed_on)))
    body = (
        f"依据{FIRST}第二十条的规定，{t.department}按照{government}的批复，在30日内对"
        f"{_fire_name(d)}有关责任单位和责任人员依法依规进行处理、落实整改措施，并将处理情况报"
        f"{government}及{agency}备案。备案情况如下：",
    )
    text = OfficialText(
        k.key,
        k.label,
        c.case_no,
        org,
        "火灾事故处理情况备案表",
        number=number,
        body=body,
        table=tuple(table),
        signature=f"备案单位：{agency}",
        on=t.filed_on or today,
    )
    notes = () if t.filed_on else ("该任务尚未记录备案日期，落款日期暂用今天。",)
    return Drafted(text, f"处理落实：{t.department}", notes)


def rectification_notice(
    d: CaseDetail, k: DocumentKind, org: str, index: int | None, number: str
) -> Drafted:
    orders = _orders(d)
    at = _pick(orders, index, "评估发现未落实或落实不到位后督促限期整改的整改措施", k)
    m = orders[at]
    assert m.deadline is not None  # _orders: the measures with a deadline
    ev = d.evaluation
    government = _government(d, org)
    # 第二十四条: the 市消防安全委员会办公室 督促 限期整改 — no other body (not the fire agency,
    # not the evaluation's lead unit or a third party the work was commissioned to)
    issuer = government.removesuffix("人民政府") + "消防安全委员会办公室"
    evaluated_by = ev.lead if ev is not None and ev.lead else "评估组"
    item = next(i for i in d.evaluation_items if i.order_id == m.id)  # _orders: one has it
    evidence = item.evidence.strip().rstrip("。")
    found = (
        f"依据{FIRST}第二十二条，{evaluated_by}对{_fire_name(d)}责任追究和整改措施落实情况进行了"
        f"评估，发现{item.subject}{item.result}" + (f"：{evidence}。" if evidence else "。")
    )
    body = (
        found,
        f"依据《办法》第二十四条的规定，现督促你单位限期整改落实，于{format_date(m.deadline)}前完成"
        "以下整改："
        f"{m.text.strip().rstrip('。')}。",
        f"整改完成后，请将整改落实情况书面报送{issuer}。逾期仍未整改造成严重后果的，将依照《办法》"
        "第二十四条予以通报并严肃处理。",
    )
    text = OfficialText(
        k.key,
        k.label,
        d.case.case_no,
        org,
        "限期整改通知书",
        number=number,
        addressee=m.responsible,
        body=body,
        signature=issuer,
        on=m.set_on,
        copy_to=government if government != issuer else "",
    )
    return Drafted(text, f"整改措施：{m.responsible}（{m.deadline.isoformat()}前）")
