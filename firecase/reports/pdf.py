"""The PDF writer: a :class:`~firecase.reports.document.Document` typeset after GB/T 9704.

Every block becomes ReportLab flowables through :class:`~firecase.reports.base.ReportBuilder`
(which checks every character against the fonts as it goes), then the PDF is written in one
pass; nothing is written when any block fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import Flowable

from firecase.reports import document as d
from firecase.reports.base import BuiltReport, DocumentInfo, ReportBuilder
from firecase.reports.fonts import FontConfig

__all__ = ["write_pdf"]


def _flowables(b: ReportBuilder, block: d.Block) -> list[Flowable]:
    match block:
        case d.Title(text, where):
            return [b.title(text, where)]
        case d.Subtitle(text, where):
            return [b.subtitle(text, where)]
        case d.Heading(text, level, where):
            if level == 1:
                return [b.heading(text, where or None)]
            return [b.subheading(text, where or None)]
        case d.Paragraph(text, where, _indent, marked):
            if marked:
                return b.paragraphs(text, where)
            return [b.paragraph(text, where)]
        case d.Table():
            shade = [
                ("BACKGROUND", (0, i + 1), (-1, i + 1), b.shade_colour) for i in block.shaded
            ]
            return [
                b.table(
                    block.columns,
                    block.rows,
                    block.where,
                    numbered=block.numbered,
                    extra_style=shade,
                )
            ]
        case d.KeyValueTable(pairs, where):
            return [b.key_value_table(pairs, where)]
        case d.SignatureTable(signatories, where):
            return [b.signature_table(signatories, where)]
        case d.Closing(organisation, on):
            return [b.closing(organisation, on)]
        case d.PageBreak():
            return [b.page_break()]
        case d.Spacer(lines):
            return [b.spacer(lines)]
    raise TypeError(f"unknown block {block!r}")


def write_pdf(
    doc: d.Document, out: Path | BinaryIO, *, fonts: FontConfig | None = None
) -> BuiltReport:
    """Typeset ``doc`` and write the PDF to ``out`` (a path, written atomically, or a stream)."""
    b = ReportBuilder(
        DocumentInfo(doc.kind, doc.title, doc.organisation, doc.case_no, doc.generated_at),
        fonts=fonts,
        orientation="landscape" if doc.landscape else "portrait",
    )
    story: list[Flowable] = []
    for block in doc.blocks:
        story += _flowables(b, block)
    return b.build(story, out)
