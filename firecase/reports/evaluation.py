"""The evaluation report (评估报告, 第二十三条) on accountability and rectification.

The five sections of 第二十三条; sections (二), (三) and (四) each end with the item-by-item table
of their kind (责任人员, 责任单位, 整改措施: 第二十二条) giving the result (已落实 / 部分落实 /
未落实), the evidence and, for items not (fully) done, the 限期整改 deadline (第二十四条).
Recommendations of the investigation report that no item covers are named in section (二)
(persons) or (三) (units): their accountability was not evaluated. Section (五) opens with the
count of items by result and says plainly what is not yet carried out, so nothing reads as
"全部落实" when it is not. The measure is named in full once, then "本办法第X条". Then the 落款
and, when the evaluation group is given, its signature table.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from firecase.reports import document as d
from firecase.reports.base import BuiltReport, format_date
from firecase.reports.data import (
    EvaluationItem,
    EvaluationItemKind,
    EvaluationReportData,
    ImplementationResult,
)
from firecase.reports.document import Block, Column, Document
from firecase.reports.fonts import FontConfig
from firecase.reports.wording import cite, cite_blocks

__all__ = [
    "ITEM_TABLE_TITLES",
    "SECTION_HEADINGS",
    "build_evaluation_docx",
    "build_evaluation_pdf",
    "evaluation_document",
]

KIND = "火灾事故责任追究和整改措施落实情况评估报告"

SECTION_HEADINGS = (
    "一、评估工作的组织及开展情况",
    "二、责任人员的责任追究落实情况",
    "三、责任单位的责任追究落实情况",
    "四、火灾事故防范和整改措施的落实情况",
    "五、评估意见及措施建议",
)
ITEM_TABLE_TITLES = {
    EvaluationItemKind.PERSON: "责任人员责任追究落实情况逐项评估表",
    EvaluationItemKind.UNIT: "责任单位责任追究落实情况逐项评估表",
    EvaluationItemKind.MEASURE: "整改措施落实情况逐项评估表",
}
SIGNATURE_HEADING = "评估组成员签名"

_SUBJECT_HEADER = {
    EvaluationItemKind.PERSON: "责任人员",
    EvaluationItemKind.UNIT: "责任单位",
    EvaluationItemKind.MEASURE: "责任单位",
}
_ACTION_HEADER = {
    EvaluationItemKind.PERSON: "处理要求",
    EvaluationItemKind.UNIT: "处理要求",
    EvaluationItemKind.MEASURE: "整改措施",
}


def _item_table(data: EvaluationReportData, kind: EvaluationItemKind) -> list[Block]:
    items = [i for i in data.items if i.kind is kind]
    title = ITEM_TABLE_TITLES[kind]
    if not items:
        return [d.Paragraph(f"本部分无{kind.value}评估事项。", title)]
    columns = [
        Column(_SUBJECT_HEADER[kind], 0.17),
        Column(_ACTION_HEADER[kind], 0.33),
        Column("落实情况", 0.11, "center"),
        Column("佐证材料", 0.21),
        Column("整改期限", 0.18, "center"),
    ]
    rows = [
        [i.subject, i.required_action, i.result.value, i.evidence or "—", deadline_text(i)]
        for i in items
    ]
    return [d.Heading(f"附表：{title}", 2), d.table(columns, rows, title, numbered=True)]


def deadline_text(i: EvaluationItem) -> str:
    """The 整改期限 cell: the 限期整改 date the evaluation set (第二十四条), with the first
    deadline it replaced; a lapsed deadline with no new one says so."""
    if i.deadline is not None:
        text = format_date(i.deadline)
        if i.original_deadline is not None and i.original_deadline != i.deadline:
            text += f"\n（原定{format_date(i.original_deadline)}）"
        return text
    if i.original_deadline is not None:
        return f"未重新限期（原定{format_date(i.original_deadline)}，已逾期）"
    return "—"


def _unchecked(names: tuple[str, ...], where: str) -> list[Block]:
    if not names:
        return []
    listed = "；".join(f"{n}. {x}" for n, x in enumerate(names, start=1))
    return [
        d.Paragraph(
            f"下列处理建议未纳入逐项评估，其责任追究落实情况尚未评估（{cite('第二十二条')}、"
            f"{cite('第二十三条')}）：{listed}。",
            where,
        )
    ]


def _summary(data: EvaluationReportData) -> list[Block]:
    story: list[Block] = []
    if data.items:
        counts = {r: sum(1 for i in data.items if i.result is r) for r in ImplementationResult}
        parts = "，".join(f"{r.value}{n}项" for r, n in counts.items())
        story.append(d.Paragraph(f"本次评估共{len(data.items)}项：{parts}。", "评估项目统计"))
    open_items = [i for i in data.items if i.result is not ImplementationResult.DONE]
    unchecked = len(data.unchecked_persons) + len(data.unchecked_units)
    gaps = []
    if open_items:
        gaps.append(f"{len(open_items)}项未落实或落实不到位")
    if unchecked:
        gaps.append(f"{unchecked}项处理建议未纳入评估")
    if gaps:
        story.append(
            d.Paragraph(
                f"评估组认为，事故责任追究和整改措施尚未全部落实：{'，'.join(gaps)}；"
                f"应按照{cite('第二十四条')}督促限期整改落实。",
                "评估结论",
            )
        )
    elif data.items:
        story.append(d.Paragraph("评估组认为，事故责任追究和整改措施已全部落实。", "评估结论"))
    return story


def evaluation_document(data: EvaluationReportData, *, generated_at: datetime) -> Document:
    """The evaluation report as a :class:`~firecase.reports.document.Document`."""
    s = data.sections
    persons = _unchecked(data.unchecked_persons, "未评估的处理建议（责任人员）")
    units = _unchecked(data.unchecked_units, "未评估的处理建议（责任单位）")
    parts: tuple[tuple[str, list[Block], list[Block]], ...] = (
        (s.organisation_and_conduct, [], []),
        (s.persons_accountability, [], persons + _item_table(data, EvaluationItemKind.PERSON)),
        (s.units_accountability, [], units + _item_table(data, EvaluationItemKind.UNIT)),
        (s.rectification, [], _item_table(data, EvaluationItemKind.MEASURE)),
        (s.opinion_and_recommendations, _summary(data), []),
    )
    blocks: list[Block] = [d.Title(data.title)]
    if data.public:
        blocks.append(d.Subtitle("（公开版）"))
    for heading, (text, before, after) in zip(SECTION_HEADINGS, parts, strict=True):
        blocks.append(d.Heading(heading))
        blocks += before
        blocks += d.paragraphs(text, heading, empty=None if (before or after) else "无。")
        blocks += after
    blocks.append(d.Closing(data.organisation, data.report_date))
    if data.evaluators and not data.public:  # the public version names no signatories
        blocks += [d.PageBreak(), d.Heading(SIGNATURE_HEADING)]
        blocks.append(d.SignatureTable(data.evaluators, "评估组签名表"))
    one_line = "".join(part.strip() for part in data.title.splitlines())
    return Document(
        KIND + ("（公开版）" if data.public else ""),
        one_line,
        data.organisation,
        data.case_no,
        generated_at,
        tuple(cite_blocks(blocks)),
        draft_mark=data.draft_mark,
        fingerprint=data.fingerprint,
    )


def build_evaluation_pdf(
    data: EvaluationReportData,
    out: Path | BinaryIO,
    *,
    fonts: FontConfig | None = None,
    generated_at: datetime,
) -> BuiltReport:
    """Build the evaluation report of 第二十三条 as PDF into ``out`` (path or binary stream).

    Raises ``MissingGlyphError`` before writing anything when a character is in no font.
    """
    from firecase.reports.pdf import write_pdf

    return write_pdf(evaluation_document(data, generated_at=generated_at), out, fonts=fonts)


def build_evaluation_docx(
    data: EvaluationReportData, out: Path | BinaryIO, *, generated_at: datetime
) -> BuiltReport:
    """The evaluation report as an editable Word document (.docx)."""
    from firecase.reports.docx import write_docx

    return write_docx(evaluation_document(data, generated_at=generated_at), out)
