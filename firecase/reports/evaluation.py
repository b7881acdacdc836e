"""The evaluation report (评估报告, 第二十三条) on accountability and rectification.

The five sections of 第二十三条; sections (二), (三) and (四) each end with the item-by-item table
of their kind (责任人员, 责任单位, 整改措施: 第二十二条) giving the result (已落实 / 部分落实 /
未落实), the evidence and, for items not (fully) done, the 限期整改 deadline (第二十四条).
Section (五) opens with the count of items by result. Then the 落款 and, when the evaluation
group is given, its signature table.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from firecase.reports import document as d
from firecase.reports.base import BuiltReport, format_date
from firecase.reports.data import EvaluationItemKind, EvaluationReportData, ImplementationResult
from firecase.reports.document import Block, Column, Document
from firecase.reports.fonts import FontConfig

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
        Column(_SUBJECT_HEADER[kind], 0.19),
        Column(_ACTION_HEADER[kind], 0.26),
        Column("落实情况", 0.13, "center"),
        Column("佐证材料", 0.22),
        Column("整改期限", 0.20, "center"),
    ]
    rows = [
        [
            i.subject,
            i.required_action,
            i.result.value,
            i.evidence or "—",
            format_date(i.deadline, blank="—"),
        ]
        for i in items
    ]
    return [d.Heading(f"附表：{title}", 2), d.table(columns, rows, title, numbered=True)]


def _summary(data: EvaluationReportData) -> list[Block]:
    if not data.items:
        return []
    counts = {r: sum(1 for i in data.items if i.result is r) for r in ImplementationResult}
    parts = "，".join(f"{r.value}{n}项" for r, n in counts.items())
    return [d.Paragraph(f"本次评估共{len(data.items)}项：{parts}。", "评估项目统计")]


def evaluation_document(data: EvaluationReportData, *, generated_at: datetime) -> Document:
    """The evaluation report as a :class:`~firecase.reports.document.Document`."""
    s = data.sections
    parts: tuple[tuple[str, list[Block], list[Block]], ...] = (
        (s.organisation_and_conduct, [], []),
        (s.persons_accountability, [], _item_table(data, EvaluationItemKind.PERSON)),
        (s.units_accountability, [], _item_table(data, EvaluationItemKind.UNIT)),
        (s.rectification, [], _item_table(data, EvaluationItemKind.MEASURE)),
        (s.opinion_and_recommendations, _summary(data), []),
    )
    blocks: list[Block] = [d.Title(data.title)]
    for heading, (text, before, after) in zip(SECTION_HEADINGS, parts, strict=True):
        blocks.append(d.Heading(heading))
        blocks += before
        blocks += d.paragraphs(text, heading, empty=None if (before or after) else "无。")
        blocks += after
    blocks.append(d.Closing(data.organisation, data.report_date))
    if data.evaluators:
        blocks += [d.PageBreak(), d.Heading(SIGNATURE_HEADING)]
        blocks.append(d.SignatureTable(data.evaluators, "评估组签名表"))
    return Document(KIND, data.title, data.organisation, data.case_no, generated_at, tuple(blocks))


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
