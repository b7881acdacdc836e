"""The public version of the investigation and its handling (向社会公布, 第二十一条).

Lays out :class:`~firecase.reports.data.PublicReportData` as it is: the basic facts, then one
numbered part per item of 第十八条 that has anything to publish (each heading once), each with
its paragraphs and its records ("label：text"), then 事故处理情况. What is withheld and what is
masked was decided before (``services.disclosure``): nothing withheld is in the data, so it cannot
leak through the text, the metadata or hidden text. A version that may not be released yet
carries its ``draft_mark`` on every page.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from firecase.reports import document as d
from firecase.reports.base import BuiltReport
from firecase.reports.data import PublicReportData
from firecase.reports.document import Block, Document
from firecase.reports.fonts import FontConfig
from firecase.reports.wording import cite_blocks

__all__ = [
    "SUBTITLE",
    "build_public_docx",
    "build_public_pdf",
    "numeral",
    "public_document",
]

KIND = "火灾事故调查处理情况（公开版）"
SUBTITLE = "（公开版）"
_NUMERALS = "一二三四五六七八九十"


def numeral(n: int) -> str:
    """Chinese numeral for 1–99, as used in headings ("十一、")."""
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _NUMERALS[tens - 1]
    return f"{head}十{_NUMERALS[ones - 1] if ones else ''}"


def public_document(data: PublicReportData, *, generated_at: datetime) -> Document:
    """The public version as a :class:`~firecase.reports.document.Document`."""
    blocks: list[Block] = [d.Title(data.title), d.Subtitle(SUBTITLE)]
    for text in data.opening:
        blocks += d.paragraphs(text, "基本情况")
    n = 0
    for part in data.parts:
        if not part.paragraphs and not part.items:
            continue
        n += 1
        where = f"{numeral(n)}、{part.heading}"
        blocks.append(d.Heading(where, 1, f"“{part.heading}”的标题"))
        for text in part.paragraphs:
            blocks += d.paragraphs(text, where)
        for item in part.items:
            text = " ".join(line.strip() for line in item.text.splitlines() if line.strip())
            blocks.append(
                d.Paragraph(
                    f"{item.label}：{text}" if item.label else text, f"{where}—{item.label}"
                )
            )
    blocks.append(d.Closing(data.organisation, data.published_on))
    return Document(
        KIND,
        data.title,
        data.organisation,
        data.case_no,
        generated_at,
        tuple(cite_blocks(blocks)),
        draft_mark=data.draft_mark,
        fingerprint=data.fingerprint,
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
