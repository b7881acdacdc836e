"""Printed reports of a case: build the reports' frozen input from the case file, and the
``firecase report`` command.

Each ``*_report_data`` function reads one case in one read-only transaction (through
:func:`firecase.services.cases.get_case`, which never commits) and returns the frozen dataclass
of :mod:`firecase.reports.data`; the report modules turn that into PDF without touching the
database. Fonts come from the case file's settings (``report_body_font``,
``report_title_font``: paths of system TrueType fonts) with the bundled fonts as fallback.

Public version (第二十一条): a field is confidential when its section or recommendation is
marked so, or a redaction names it (``case.<field>``, ``section:N``, ``recommendation:N``,
``finding:N``, ``cause:N``, ``measure:N``, ``task:N``). A person or unit whose name is redacted
(``party:N.name``) is also masked wherever the name occurs in a published text ("胡某某",
"某单位"), because the name is the confidential field and must not appear in the PDF at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Callable
from os import PathLike
from pathlib import Path
from typing import BinaryIO

from firecase.errors import CaseFileError, FirecaseError, NotFoundError, ValidationError
from firecase.reports.base import BuiltReport, format_date, format_yuan
from firecase.reports.clock_sheet import build_clock_sheet_pdf
from firecase.reports.data import (
    CasualtyLossRow,
    ClockRow,
    ClockSheetData,
    DissentingOpinion,
    EvaluationItem,
    EvaluationItemKind,
    EvaluationReportData,
    EvaluationSections,
    EvidenceItem,
    FireFacts,
    ImplementationResult,
    InvestigationReportData,
    InvestigationSections,
    PublicField,
    PublicReportData,
    Recommendation,
    RectificationMeasure,
    ResponsibilityArea,
    ResponsibilityFinding,
    Signatory,
)
from firecase.reports.evaluation import build_evaluation_pdf
from firecase.reports.fonts import FontConfig
from firecase.reports.investigation import build_investigation_pdf
from firecase.reports.public import build_public_pdf
from firecase.services.cases import find_case_id, get_case
from firecase.services.dto import CaseDetail, MemberView, SettingsView
from firecase.services.settings import get_settings
from firecase.store import CaseFile, open_case_file

__all__ = [
    "REPORT_FORMATS",
    "REPORT_NAMES",
    "build_report",
    "clock_sheet_data",
    "evaluation_report_data",
    "font_config",
    "investigation_report_data",
    "public_report_data",
    "report_command",
    "report_format",
]

_LEADERSHIP = "调查组领导"
_OTHERS = "其他成员"
_SHA_DIGITS = 12
_ITEM_KINDS = {
    "人员责任追究": EvaluationItemKind.PERSON,
    "单位责任追究": EvaluationItemKind.UNIT,
    "整改措施": EvaluationItemKind.MEASURE,
}
_CLOCK_DONE = "已完成"


# ------------------------------------------------------------------------------- helpers


def _detail(cf: CaseFile, case_no: str, today: dt.date | None) -> CaseDetail:
    return get_case(cf, find_case_id(cf, case_no), today=today)


def _fire_title(title: str, suffix: str) -> str:
    """ "…“3·14”火灾" + "事故调查报告" → "…“3·14”火灾事故调查报告"."""
    if title.endswith("火灾事故"):
        return title + suffix.removeprefix("事故")
    if title.endswith("火灾"):
        return title + suffix
    return f"{title}火灾{suffix}"


def _fire_time(text: str) -> dt.time | None:
    try:
        return dt.time.fromisoformat(text) if text else None
    except ValueError:
        return None


def _minor_injuries(d: CaseDetail) -> int:
    updates = d.casualty_updates  # in effect order (by the dates the counts became true)
    return updates[-1].minor_injuries if updates else 0


def _grade_text(d: CaseDetail) -> str:
    if d.case.grade is None:
        return "未定级"
    if d.grade_decision is not None and d.grade_decision.standard:
        return f"{d.case.grade}火灾（{d.grade_decision.standard}）"
    return f"{d.case.grade}火灾"


def _recused_ids(d: CaseDetail) -> set[int]:
    return {r.member_id for r in d.recusals if r.decision == "批准"}


def signing_date(d: CaseDetail) -> dt.date:
    """The day the report was signed: recorded, else its submission, else today (a draft).

    The signature list is the roster of that day, so a reprint is the signed original."""
    c = d.case
    return c.report_signed_on or c.report_submitted_on or d.today


def _signatories(d: CaseDetail) -> tuple[Signatory, ...]:
    """Members on the team on the signing day, each once: team leaders first, then by
    sub-group, then the rest (a member recused or joined later is not on it)."""
    signed = signing_date(d)
    recused = {
        r.member_id
        for r in d.recusals
        if r.decision == "批准" and r.decided_on is not None and r.decided_on <= signed
    }
    active = [
        m for m in d.members if m.joined_on <= signed and (m.left_on is None or m.left_on > signed)
    ]
    group_of: dict[int, str] = {}
    group_leader: dict[int, str] = {}
    for g in d.subgroups:
        for member_id in g.member_ids:
            group_of.setdefault(member_id, g.name)
        if g.leader_id is not None:
            group_leader.setdefault(g.leader_id, g.name)

    def signatory(m: MemberView, group: str, role: str) -> Signatory:
        return Signatory(
            name=m.name,
            subgroup=group,
            role=role,
            organisation=m.organisation,
            position=m.title,
            recused=m.id in recused,
        )

    out: list[Signatory] = []
    leaders = [m for m in active if m.role in ("组长", "副组长")]
    for m in leaders:
        led = group_leader.get(m.id)
        out.append(signatory(m, _LEADERSHIP, f"{m.role}（{led}组长）" if led else m.role))
    rest = [m for m in active if m not in leaders]
    for g in d.subgroups:
        for m in rest:
            if group_of.get(m.id) == g.name:
                out.append(signatory(m, g.name, "组长" if g.leader_id == m.id else m.role))
    out += [signatory(m, _OTHERS, m.role) for m in rest if m.id not in group_of]
    return tuple(out)


def _evidence(d: CaseDetail) -> tuple[EvidenceItem, ...]:
    items = []
    for e in d.evidence:
        digests = "\n".join(a.sha256[:_SHA_DIGITS] for a in e.attachments)
        source = e.collected_by + (f"（{e.location}）" if e.location else "")
        items.append(EvidenceItem(e.code, e.name, e.kind, source, e.collected_on, digests))
    return tuple(items)


def _casualty_loss(d: CaseDetail) -> tuple[CasualtyLossRow, ...]:
    minor = _minor_injuries(d)
    return (
        CasualtyLossRow("死亡", f"{d.deaths}人"),
        CasualtyLossRow("重伤", f"{d.serious_injuries}人"),
        CasualtyLossRow("轻伤", f"{minor}人"),
        CasualtyLossRow(
            "直接财产损失", "", d.case.property_loss_yuan, "火灾等级依据（第二十五条）"
        ),
        CasualtyLossRow(
            "直接经济损失", "", d.case.economic_loss_yuan, "含直接财产损失（第五条第二项）"
        ),
    )


# ------------------------------------------------------------------------------- reports


def investigation_report_data(
    cf: CaseFile, case_no: str, *, today: dt.date | None = None
) -> InvestigationReportData:
    """The investigation report (第十八条) of the case ``case_no``, read in one transaction."""
    d = _detail(cf, case_no, today)
    settings = get_settings(cf)
    c = d.case
    sections = {s.number: s.body for s in d.report_sections}
    evaluation_start = d.evaluation.started_on if d.evaluation is not None else None
    return InvestigationReportData(
        organisation=settings.organisation_name,
        case_no=c.case_no,
        title=_fire_title(c.title, "事故调查报告"),
        fire=FireFacts(
            fire_date=c.fire_date,
            fire_time=_fire_time(c.fire_time),
            location=c.address or c.place,
            unit=c.unit_name or "—",
            grade=_grade_text(d),
            deaths=d.deaths,
            serious_injuries=d.serious_injuries,
            minor_injuries=_minor_injuries(d),
            direct_loss_yuan=c.economic_loss_yuan,
            jurisdiction=d.jurisdiction,
            casualty_note=d.counted_note,
        ),
        sections=InvestigationSections(*(sections.get(n, "") for n in range(1, 9))),
        casualty_loss=_casualty_loss(d),
        direct_cause="\n".join(x.text for x in d.causes if x.kind == "直接原因"),
        indirect_causes=tuple(x.text for x in d.causes if x.kind == "间接原因"),
        findings=tuple(
            ResponsibilityFinding(ResponsibilityArea(f.area), f.subject, f.text) for f in d.findings
        ),
        recommendations=tuple(
            Recommendation(r.target_name, ResponsibilityArea(r.area), r.kind, r.basis, r.authority)
            for r in d.recommendations
        ),
        # the case's measures, without those the evaluation set later (限期整改, 第二十四条)
        rectification_measures=tuple(
            RectificationMeasure(m.text, m.responsible, m.deadline)
            for m in d.measures
            if evaluation_start is None or m.set_on < evaluation_start
        ),
        dissents=tuple(DissentingOpinion(x.member_name, x.recorded_on, x.text) for x in d.dissents),
        evidence=_evidence(d),
        signatories=_signatories(d),
        report_date=c.report_submitted_on,
    )


def evaluation_report_data(
    cf: CaseFile, case_no: str, *, today: dt.date | None = None
) -> EvaluationReportData:
    """The evaluation report (第二十三条) of the case; ``NotFoundError`` if none is recorded."""
    d = _detail(cf, case_no, today)
    ev = d.evaluation
    if ev is None:
        raise NotFoundError(
            f"案件“{d.case.case_no}”尚未建立整改评估（第二十二条），无法生成评估报告。",
            field="evaluation",
        )
    recs = {r.id: r for r in d.recommendations}
    measures = {m.id: m for m in d.measures}
    items: list[EvaluationItem] = []
    for i in d.evaluation_items:
        kind = _ITEM_KINDS.get(i.kind, EvaluationItemKind.MEASURE)
        result = ImplementationResult(i.result)
        action, deadline = i.subject, None
        if i.recommendation_id in recs:
            r = recs[i.recommendation_id]
            action = f"{r.kind}（{r.authority}）" + (f"：{r.text}" if r.text else "")
        if i.measure_id in measures:
            m = measures[i.measure_id]
            action = m.text
            if result is not ImplementationResult.DONE:
                deadline = m.deadline
        items.append(EvaluationItem(kind, i.subject, action, result, i.evidence, deadline))

    composition = f"评估组由{ev.lead}牵头"
    if ev.members:
        composition += f"，{'、'.join(ev.members)}参加"
    if ev.third_party:
        composition += f"，委托{ev.third_party}参与评估（第二十二条第二款）"
    period = ""
    if ev.started_on:
        period = f"评估工作自{format_date(ev.started_on)}开始"
        period += f"，于{format_date(ev.finished_on)}结束。" if ev.finished_on else "。"

    def counted(kind: EvaluationItemKind, noun: str) -> str:
        mine = [x for x in items if x.kind is kind]
        if not mine:
            return ""
        done = sum(1 for x in mine if x.result is ImplementationResult.DONE)
        return f"共评估{noun}{len(mine)}项，已落实{done}项，逐项情况见下表。"

    return EvaluationReportData(
        organisation=ev.lead,
        case_no=d.case.case_no,
        title=_fire_title(d.case.title, "事故责任追究和整改措施落实情况评估报告"),
        sections=EvaluationSections(
            organisation_and_conduct="\n".join(
                x for x in (composition + "。", period, ev.conduct) if x
            ),
            persons_accountability=counted(EvaluationItemKind.PERSON, "责任人员责任追究事项"),
            units_accountability=counted(EvaluationItemKind.UNIT, "责任单位责任追究事项"),
            rectification=counted(EvaluationItemKind.MEASURE, "整改措施"),
            opinion_and_recommendations=ev.opinion,
        ),
        items=tuple(items),
        report_date=ev.submitted_on,
    )


def _mask(name: str, kind: str) -> str:
    """The public stand-in for a confidential name: "胡某某" for a person, "某单位" otherwise."""
    return f"{name[0]}某某" if kind == "个人" and name else "某单位"


def public_report_data(
    cf: CaseFile, case_no: str, *, today: dt.date | None = None
) -> PublicReportData:
    """The public version (第二十一条): every field, each flagged confidential or not."""
    d = _detail(cf, case_no, today)
    c = d.case
    keys = {r.field_key for r in d.publication.redactions}
    masks = [
        (p.name, _mask(p.name, p.kind))
        for p in d.parties
        if f"party:{p.id}.name" in keys and p.name
    ]
    masks.sort(key=lambda pair: -len(pair[0]))  # longer names first ("某公司" before "某")
    pattern = re.compile("|".join(re.escape(n) for n, _ in masks)) if masks else None
    replacement = dict(masks)

    def clean(text: str) -> str:
        return pattern.sub(lambda m: replacement[m.group(0)], text) if pattern else text

    def field(
        label: str, text: str, key: str, *, secret: bool = False, group: str = ""
    ) -> PublicField:
        return PublicField(clean(label), clean(text), secret or key in keys, group)

    minor = _minor_injuries(d)
    when = format_date(c.fire_date) + (f" {c.fire_time}" if c.fire_time else "")
    basic = "基本情况"
    fields: list[PublicField] = [
        field("起火时间", when, "case.fire_date", group=basic),
        field("起火地点", c.address or c.place, "case.address", group=basic),
        field("起火单位（场所）", c.unit_name, "case.unit_name", group=basic),
        field("火灾等级", _grade_text(d), "case.grade", group=basic),
        field(
            "人员伤亡",
            f"死亡{d.deaths}人，重伤{d.serious_injuries}人，轻伤{minor}人",
            "case.casualties",
            group=basic,
        ),
        field(
            "直接经济损失",
            f"{format_yuan(c.economic_loss_yuan)}元",
            "case.economic_loss_yuan",
            group=basic,
        ),
    ]
    sections = {s.number: s for s in d.report_sections}

    def section(n: int) -> list[PublicField]:
        s = sections.get(n)
        if s is None or not s.body.strip():
            return []
        return [field(s.title, s.body, f"section:{n}", secret=s.confidential)]

    for n in (1, 2, 3, 4):
        fields += section(n)
    fields += [field(x.kind, x.text, f"cause:{x.id}", group="起火原因") for x in d.causes]
    fields += section(5)
    fields += section(6)
    fields += [
        field(f"{f.subject}（{f.area}）", f.text, f"finding:{f.id}", group="责任认定")
        for f in d.findings
    ]
    fields += [
        field(
            r.target_name,
            f"{r.kind}，由{r.authority}依法处理" + (f"。{r.text}" if r.text else ""),
            f"recommendation:{r.id}",
            secret=r.confidential,
            group="处理建议",
        )
        for r in d.recommendations
    ]
    if c.reply_on:
        reply = f"{format_date(c.reply_on)}，人民政府作出批复" + (
            f"（{c.reply_ref}）" if c.reply_ref else ""
        )
        fields.append(
            field(
                "政府批复",
                reply + (f"：{c.reply_summary}" if c.reply_summary else "。"),
                "case.reply",
                group="处理情况",
            )
        )
    fields += [
        field(
            t.department,
            t.task + (f"。{t.result}" if t.result else ""),
            f"task:{t.id}",
            group="处理情况",
        )
        for t in d.handling_tasks
    ]
    fields += section(7)
    fields += [
        field(
            m.responsible,
            m.text + (f"（完成期限：{format_date(m.deadline)}）" if m.deadline else ""),
            f"measure:{m.id}",
            group="整改措施",
        )
        for m in d.measures
    ]
    fields += section(8)
    organisation = d.publication.published_by or get_settings(cf).organisation_name
    return PublicReportData(
        organisation=organisation,
        case_no=c.case_no,
        title=_fire_title(clean(c.title), "事故调查处理情况"),
        fields=tuple(fields),
        published_on=d.publication.published_on,
    )


def clock_sheet_data(cf: CaseFile, case_no: str, *, today: dt.date | None = None) -> ClockSheetData:
    """Every clock of the case as of ``today`` (default: the system date)."""
    d = _detail(cf, case_no, today)
    rows = tuple(
        ClockRow(
            label=k.label + (f"（{k.subject}）" if k.subject else ""),
            start=k.start,
            due=k.due,
            days_left=None if k.status == _CLOCK_DONE or k.paused else k.days_left,
            status=k.status + (f"（逾期{k.late_days}天）" if k.late_days else ""),
            explanation=k.explanation,
            basis=k.basis,
            overdue=k.overdue,
            provisional=k.provisional,
        )
        for k in d.clocks
    )
    return ClockSheetData(
        organisation=get_settings(cf).organisation_name,
        case_no=d.case.case_no,
        title=_fire_title(d.case.title, "事故期限一览"),
        today=d.today,
        rows=rows,
    )


# ------------------------------------------------------------------------------- build, CLI


def font_config(settings: SettingsView) -> FontConfig:
    """The face of each role (GB/T 9704): the one the settings choose, else the standard face
    installed on this machine (simfang.ttf, simkai.ttf, …), else the bundled one."""
    from firecase.services.settings import FONT_KEYS

    chosen: dict[str, Path | None] = {}
    for role, key in FONT_KEYS.items():
        value = str(getattr(settings, key, "") or "")
        chosen[role] = Path(value) if value else None
    return FontConfig.resolve(chosen)


REPORT_NAMES: dict[str, str] = {
    "investigation": "火灾事故调查报告",
    "evaluation": "评估报告",
    "public": "公开版",
    "clocks": "期限一览表",
}

REPORT_FORMATS: dict[str, str] = {"pdf": "PDF 文件", "docx": "Word 文档"}


def report_format(out: Path | BinaryIO) -> str:
    """The format a report written to ``out`` gets by default: "docx" for a path ending
    ``.docx``, "pdf" otherwise (streams too)."""
    if isinstance(out, (str, PathLike)) and Path(out).suffix.lower() == ".docx":
        return "docx"
    return "pdf"


def build_report(
    cf: CaseFile,
    kind: str,
    case_no: str,
    out: Path | BinaryIO,
    *,
    generated_at: dt.datetime,
    today: dt.date | None = None,
    fmt: str | None = None,
) -> BuiltReport:
    """Read the case and write the report ``kind`` ("investigation" | "evaluation" |
    "public" | "clocks") to ``out``: as PDF with the fonts the case file's settings choose,
    or as an editable Word document (``fmt`` "docx"; by default when ``out`` ends ``.docx``).
    A Word document has no fixed page count: its ``pages`` is 0."""
    fmt = fmt or report_format(out)
    if fmt not in REPORT_FORMATS:
        raise ValidationError(f"不支持“{fmt}”格式，只能生成PDF或Word（.docx）文件。", field="fmt")
    data_of = {
        "investigation": investigation_report_data,
        "evaluation": evaluation_report_data,
        "public": public_report_data,
        "clocks": clock_sheet_data,
    }
    if kind not in data_of:
        raise NotFoundError(f"没有“{kind}”这种报告。", field="kind")
    data = data_of[kind](cf, case_no, today=today)
    if fmt == "docx":
        from firecase.reports.clock_sheet import build_clock_sheet_docx
        from firecase.reports.evaluation import build_evaluation_docx
        from firecase.reports.investigation import build_investigation_docx
        from firecase.reports.public import build_public_docx

        docx_builders: dict[str, Callable[..., BuiltReport]] = {
            "investigation": build_investigation_docx,
            "evaluation": build_evaluation_docx,
            "public": build_public_docx,
            "clocks": build_clock_sheet_docx,
        }
        return docx_builders[kind](data, out, generated_at=generated_at)
    pdf_builders: dict[str, Callable[..., BuiltReport]] = {
        "investigation": build_investigation_pdf,
        "evaluation": build_evaluation_pdf,
        "public": build_public_pdf,
        "clocks": build_clock_sheet_pdf,
    }
    fonts = font_config(get_settings(cf))
    return pdf_builders[kind](data, out, fonts=fonts, generated_at=generated_at)


def _is_url(text: str) -> bool:
    return "://" in text


def report_command(args: argparse.Namespace) -> int:
    """``firecase report KIND CASE_NO --db PATH -o OUT.pdf|OUT.docx``: print one report to PDF,
    or to an editable Word document when the output ends ``.docx``."""
    out = Path(args.output)
    fmt = report_format(out)
    try:
        if not _is_url(str(args.db)) and not Path(args.db).is_file():
            raise CaseFileError(f"案卷文件不存在：{args.db}")
        if not out.parent.is_dir():
            raise CaseFileError(f"输出文件夹不存在：{out.parent}")
        with open_case_file(args.db, user=getattr(args, "user", None)) as cf:
            result = build_report(
                cf, args.kind, args.case_no, out, generated_at=dt.datetime.now(), fmt=fmt
            )
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    except OSError as exc:  # the output cannot be written (permissions, disk full, locked)
        print(f"错误：无法写入文件{out}：{exc.strerror or exc}")
        return 2
    name = REPORT_NAMES[args.kind]
    if fmt == "docx":  # Word lays the pages out itself: no page count to report
        print(f"已生成{name}（Word 文档）：{out}")
        return 0
    note = ""
    if result.fallback_chars:
        note = f"（{''.join(result.fallback_chars)} 用备用字体打印）"
    print(f"已生成{name}：{out}，共{result.pages}页{note}")
    return 0
