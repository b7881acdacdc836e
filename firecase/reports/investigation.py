"""The fire accident investigation report (火灾事故调查报告, 第十八条).

Order: title (with the officer's line breaks); the opening summary and the paragraph on the
team's composition, as published reports open; basic facts; the eight sections of 第十八条 —
(三) with the casualty and loss table, (四) with the direct and indirect causes, (六) with the
findings by the four areas of 第十六条 and every recommendation in full as a numbered paragraph,
(七) with the rectification measures, (八) with the dissenting opinions; the 落款 naming the
调查组; the signature table of the active team members by sub-group (recused members never
appear, 第十五条); the evidence list as an annex (第十八条第二款).

Section 六's text and its records never contradict: the text introduces the findings and
recommendations printed after it, and where no record exists the text stands alone (no "无。"
under a text that proposes something). The measure is named in full once, then "本办法第X条".
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from firecase.reports import document as d
from firecase.reports.base import BuiltReport, format_date, format_yuan
from firecase.reports.data import InvestigationReportData, Recommendation, ResponsibilityArea
from firecase.reports.document import Block, Column, Document
from firecase.reports.fonts import FontConfig
from firecase.reports.wording import cite, cite_blocks, cn_time, prose_area

__all__ = [
    "SECTION_HEADINGS",
    "build_investigation_docx",
    "build_investigation_pdf",
    "investigation_document",
]

KIND = "火灾事故调查报告"

# The eight sections of 第十八条, as printed.
SECTION_HEADINGS = (
    "一、火灾事故发生单位（场所）概况",
    "二、火灾事故发生经过及事故救援情况",
    "三、火灾事故造成的人员伤亡和直接经济损失",
    "四、火灾事故发生的起火原因、成因和性质",
    "五、火灾事故发生单位消防安全管理责任落实情况",
    "六、火灾事故责任的认定以及对事故责任者的处理建议",
    "七、事故防范和整改措施",
    "八、其他需要载明的事项",
)
SIGNATURE_HEADING = "火灾事故调查组成员签名"
ANNEX_HEADING = "附件：证据材料清单"


def _facts(data: InvestigationReportData) -> Block:
    fire = data.fire
    when = format_date(fire.fire_date)
    if fire.fire_time is not None:
        when += cn_time(fire.fire_time)
    casualties = f"死亡{fire.deaths}人，重伤{fire.serious_injuries}人，轻伤{fire.minor_injuries}人"
    if fire.casualty_note:
        casualties += f"（{fire.casualty_note}）"
    pairs = [
        ("案件编号", data.case_no),
        ("起火时间", when),
        ("起火地点", fire.location),
        ("起火单位（场所）", fire.unit),
        ("火灾等级", fire.grade),
        *([("调查权限", fire.jurisdiction)] if fire.jurisdiction else []),
        ("人员伤亡", casualties),
        ("直接经济损失", f"{format_yuan(fire.direct_loss_yuan)}元"),
    ]
    if fire.burned_area_m2 is not None:
        pairs.append(("过火面积", f"{prose_area(fire.burned_area_m2)}平方米"))
    if fire.nature:
        pairs.append(("事故性质", fire.nature))
    return d.KeyValueTable(tuple(pairs), "基本情况表")


def _casualty_table(data: InvestigationReportData) -> list[Block]:
    out: list[Block] = []
    if data.casualty_persons:
        people = [
            [p.role, p.name, p.sex, "" if p.age is None else f"{p.age}岁", p.note]
            for p in data.casualty_persons
        ]
        columns = [
            Column("伤亡情况", 0.14, "center"),
            Column("姓名", 0.16, "center"),
            Column("性别", 0.10, "center"),
            Column("年龄", 0.12, "center"),
            Column("备注", 0.48),
        ]
        out.append(d.table(columns, people, "伤亡人员表", numbered=True))
    if not data.casualty_loss:
        return out
    rows = [[r.item, r.quantity, format_yuan(r.amount_yuan), r.note] for r in data.casualty_loss]
    columns = [
        Column("项目", 0.28),
        Column("数量", 0.16, "center"),
        Column("金额（元）", 0.22, "right"),
        Column("备注", 0.34),
    ]
    return [*out, d.table(columns, rows, "人员伤亡和直接经济损失表", numbered=True)]


def _causes(data: InvestigationReportData) -> list[Block]:
    story: list[Block] = []
    if data.direct_cause:
        story.append(d.Heading("（一）直接原因", 2))
        story += d.paragraphs(data.direct_cause, "直接原因")
    if data.indirect_causes:
        story.append(d.Heading("（二）间接原因" if data.direct_cause else "（一）间接原因", 2))
        for i, cause in enumerate(data.indirect_causes, start=1):
            story.append(d.Paragraph(f"{i}. {cause}", f"间接原因第{i}条"))
    return story


_SUBHEADS = ("（一）", "（二）")


def _sentence(text: str) -> str:
    """``text`` ending with a full stop (one only)."""
    text = text.strip()
    return text if not text or text[-1] in "。！？；" else text + "。"


def recommendation_paragraph(n: int, r: Recommendation) -> str:
    """One recommendation in full, as published reports print it: "1. 何某某（党纪政务处分，政府、
    部门相关责任，本办法第十六条第四项）：建议给予政务记过处分。依据：…。由…依法处理。"."""
    proposal = _sentence(r.text) if r.text.strip() else f"建议予以{r.kind}。"
    kind = f"{r.kind}，" if r.kind else ""
    text = f"{n}. {r.subject}（{kind}{r.area.value}，{cite(r.area.clause)}）：{proposal}"
    if r.basis.strip():
        text += f"依据：{_sentence(r.basis).removesuffix('。')}。"
    if r.authority.strip():
        text += f"由{r.authority.strip()}依法处理。"
    return text


def _findings(data: InvestigationReportData) -> list[Block]:
    """Findings and recommendations after section 六's text. Where a kind of record is absent
    but the text says something, the text is the only source: no "无。" contradicts it."""
    has_text = bool(data.sections.responsibility.strip())
    story: list[Block] = []
    heads = iter(_SUBHEADS)
    if data.findings or not has_text:
        story.append(d.Heading(f"{next(heads)}事故责任认定", 2))
        for n, area in enumerate(ResponsibilityArea, start=1):
            story.append(
                d.Paragraph(
                    f"{n}. {area.value}（{cite(area.clause)}）",
                    f"责任认定“{area.value}”",
                    keep_with_next=True,
                )
            )
            found = [f for f in data.findings if f.area is area]
            if not found:
                story.append(d.Paragraph("经调查，未认定本方面的事故责任。", "责任认定"))
            for k, f in enumerate(found, start=1):
                where = f"责任认定“{area.value}”第{k}条"
                story.append(d.Paragraph(f"（{k}）{f.subject}：{f.finding}", where))
    if not data.recommendations:
        if not has_text:
            story.append(d.Heading(f"{next(heads)}对事故责任者的处理建议", 2))
            story.append(d.Paragraph("无。", "处理建议"))
        return story
    story.append(d.Heading(f"{next(heads)}对事故责任者的处理建议", 2))
    story.append(
        d.Paragraph(
            f"根据{cite('第七条第四项')}，调查组对事故责任单位和责任人员提出以下处理建议：",
            "处理建议",
        )
    )
    for n, r in enumerate(data.recommendations, start=1):
        story.append(d.Paragraph(recommendation_paragraph(n, r), f"处理建议第{n}条（{r.subject}）"))
    return story


def _measures(data: InvestigationReportData) -> list[Block]:
    if not data.rectification_measures:
        return []
    columns = [
        Column("整改措施", 0.50),
        Column("责任单位", 0.26),
        Column("完成期限", 0.24, "center"),  # "2025年12月31日" on one line
    ]
    rows = [
        [m.measure, m.responsible, format_date(m.deadline, blank="—")]
        for m in data.rectification_measures
    ]
    return [d.table(columns, rows, "整改措施表", numbered=True)]


def _dissents(data: InvestigationReportData) -> list[Block]:
    story: list[Block] = [d.Heading("调查组成员不同意见", 2)]
    if not data.dissents:
        story.append(d.Paragraph("无。", "不同意见"))
    for x in data.dissents:
        where = f"不同意见（{x.member}，{format_date(x.on)}）"
        story.append(
            d.Paragraph(f"{x.member}（{format_date(x.on)}）：", where, keep_with_next=True)
        )
        story += d.paragraphs(x.text, where)
    return story


def _evidence(data: InvestigationReportData) -> list[Block]:
    story: list[Block] = [d.PageBreak(), d.Heading(ANNEX_HEADING)]
    if not data.evidence:
        story.append(d.Paragraph("无。", "证据材料清单"))
        return story
    columns = [
        # 编号, 类别, the date and the digest never wrap: a split "WZ-00 / 1" is misread
        Column("编号", 0.11, "center"),
        Column("证据名称", 0.19),
        Column("类别", 0.15, "center"),
        Column("来源", 0.17),
        Column("收集日期", 0.21, "center"),
        Column("SHA-256（前12位）", 0.17, "center"),
    ]
    rows = [
        [
            e.no,
            e.name,
            e.kind,
            e.source,
            format_date(e.collected_on, blank="—"),
            e.sha256_short or "—",
        ]
        for e in data.evidence
    ]
    story.append(d.table(columns, rows, "证据材料清单"))
    return story


def investigation_document(data: InvestigationReportData, *, generated_at: datetime) -> Document:
    """The investigation report as a :class:`~firecase.reports.document.Document`."""
    s = data.sections
    texts: tuple[tuple[str, list[Block]], ...] = (
        (s.overview, []),
        (s.course_and_rescue, []),
        (s.casualties_and_loss, _casualty_table(data)),
        (s.cause_and_nature, _causes(data)),
        (s.safety_management, []),
        (s.responsibility, _findings(data)),
        (s.prevention_and_rectification, _measures(data)),
        (s.other_matters, _dissents(data)),
    )
    blocks: list[Block] = [d.Title(data.title)]
    blocks += d.paragraphs(data.opening, "报告开头概述")
    blocks += d.paragraphs(data.composition, "调查组组成情况")
    blocks += [_facts(data), d.Spacer()]
    for heading, (text, extra) in zip(SECTION_HEADINGS, texts, strict=True):
        blocks.append(d.Heading(heading))
        blocks += d.paragraphs(text, heading, empty=None if extra else "无。")
        blocks += extra
    blocks.append(d.Closing(data.organisation, data.report_date))
    blocks += [d.PageBreak(), d.Heading(SIGNATURE_HEADING)]
    blocks.append(d.SignatureTable(data.signatories, "签名表"))
    blocks += _evidence(data)
    one_line = "".join(part.strip() for part in data.title.splitlines())
    return Document(
        KIND, one_line, data.organisation, data.case_no, generated_at, tuple(cite_blocks(blocks))
    )


def build_investigation_pdf(
    data: InvestigationReportData,
    out: Path | BinaryIO,
    *,
    fonts: FontConfig | None = None,
    generated_at: datetime,
) -> BuiltReport:
    """Build the investigation report of 第十八条 as PDF into ``out`` (path or binary stream).

    Raises ``MissingGlyphError`` (naming the character and the field) before writing anything
    when a character is in no available font, ``FontError`` when a chosen font is unusable.
    """
    from firecase.reports.pdf import write_pdf

    return write_pdf(investigation_document(data, generated_at=generated_at), out, fonts=fonts)


def build_investigation_docx(
    data: InvestigationReportData, out: Path | BinaryIO, *, generated_at: datetime
) -> BuiltReport:
    """The investigation report as an editable Word document (.docx)."""
    from firecase.reports.docx import write_docx

    return write_docx(investigation_document(data, generated_at=generated_at), out)
