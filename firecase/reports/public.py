"""The public version of the investigation summary (向社会公布, 第二十一条).

Prints every field of :class:`~firecase.reports.data.PublicReportData` in order — a field alone
under its own numbered heading, consecutive fields of one group under the group's heading — and
leaves out exactly the fields marked confidential (除依法应当保密外): their label, their text, and
their number. Nothing else is left out. A confidential field's text
never reaches the PDF builder, so it cannot leak through metadata or hidden text either.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from firecase.reports import document as d
from firecase.reports.base import BuiltReport
from firecase.reports.data import PublicField, PublicReportData
from firecase.reports.document import Block, Document
from firecase.reports.fonts import FontConfig
from firecase.reports.wording import cite_blocks

__all__ = [
    "SUBTITLE",
    "build_public_docx",
    "build_public_pdf",
    "public_document",
    "published_fields",
]

KIND = "火灾事故调查处理情况（公开版）"
SUBTITLE = "（公开版）"
_NUMERALS = "一二三四五六七八九十"


def _numeral(n: int) -> str:
    """Chinese numeral for 1–99, as used in headings ("十一、")."""
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _NUMERALS[tens - 1]
    return f"{head}十{_NUMERALS[ones - 1] if ones else ''}"


def published_fields(data: PublicReportData) -> tuple[PublicField, ...]:
    """The fields that are published: all not marked confidential, in their order."""
    return tuple(f for f in data.fields if not f.confidential)


def public_document(data: PublicReportData, *, generated_at: datetime) -> Document:
    """The public version as a :class:`~firecase.reports.document.Document` (confidential
    fields are never touched)."""
    blocks: list[Block] = [d.Title(data.title), d.Subtitle(SUBTITLE)]
    fields = published_fields(data)
    n = 0
    i = 0
    while i < len(fields):
        f = fields[i]
        n += 1
        if not f.group:
            blocks.append(d.Heading(f"{_numeral(n)}、{f.label}", 1, f"公开字段“{f.label}”的标题"))
            blocks += d.paragraphs(f.text, f"公开字段“{f.label}”", empty="无。")
            i += 1
            continue
        blocks.append(d.Heading(f"{_numeral(n)}、{f.group}", 1, f"公开字段组“{f.group}”的标题"))
        while i < len(fields) and fields[i].group == f.group:
            item = fields[i]
            where = f"公开字段“{f.group}—{item.label}”"
            text = " ".join(line.strip() for line in item.text.splitlines() if line.strip())
            blocks.append(d.Paragraph(f"{item.label}：{text}" if item.label else text, where))
            i += 1
    blocks.append(d.Closing(data.organisation, data.published_on))
    return Document(
        KIND, data.title, data.organisation, data.case_no, generated_at, tuple(cite_blocks(blocks))
    )


def build_public_pdf(
    data: PublicReportData,
    out: Path | BinaryIO,
    *,
    fonts: FontConfig | None = None,
    generated_at: datetime,
) -> BuiltReport:
    """Build the public version (第二十一条) as PDF into ``out`` (path or binary stream)."""
    from firecase.reports.pdf import write_pdf

    return write_pdf(public_document(data, generated_at=generated_at), out, fonts=fonts)


def build_public_docx(
    data: PublicReportData, out: Path | BinaryIO, *, generated_at: datetime
) -> BuiltReport:
    """The public version as an editable Word document (.docx)."""
    from firecase.reports.docx import write_docx

    return write_docx(public_document(data, generated_at=generated_at), out)
