"""The clock sheet (期限一览): every statutory clock of one case, on landscape A4.

One row per clock with its start, due date, days left, status, how the due date was computed,
and its basis. Overdue rows are shaded so they stand out on a grey-scale printout.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from firecase.reports import document as d
from firecase.reports.base import BuiltReport, format_date
from firecase.reports.data import ClockSheetData
from firecase.reports.document import Block, Column, Document
from firecase.reports.fonts import FontConfig

__all__ = ["COLUMNS", "build_clock_sheet_docx", "build_clock_sheet_pdf", "clock_sheet_document"]

KIND = "火灾事故调查处理期限一览表"

COLUMNS = (
    Column("期限", 0.13),
    Column("起算日", 0.13, "center"),
    Column("届满日", 0.13, "center"),
    Column("剩余天数", 0.08, "center"),
    Column("状态", 0.07, "center"),
    Column("计算说明", 0.36),
    Column("依据", 0.10),
)


def _days_left(days: int | None) -> str:
    if days is None:
        return "—"
    if days < 0:
        return f"逾期{-days}天"
    return f"{days}天"


def clock_sheet_document(data: ClockSheetData, *, generated_at: datetime) -> Document:
    """The clock sheet as a :class:`~firecase.reports.document.Document` (landscape)."""
    blocks: list[Block] = [d.Title(data.title), d.Subtitle(f"截至{format_date(data.today)}")]
    if not data.rows:
        blocks.append(d.Paragraph("本案暂无需要计算的期限。", "期限表"))
    else:
        rows = [
            [
                r.label,
                format_date(r.start, blank="—"),
                format_date(r.due, blank="—") + ("（暂定）" if r.provisional and r.due else ""),
                _days_left(r.days_left),
                r.status,
                r.explanation,
                r.basis,
            ]
            for r in data.rows
        ]
        shaded = [i for i, r in enumerate(data.rows) if r.overdue]
        blocks.append(d.table(COLUMNS, rows, "期限表", shaded=shaded))
        blocks.append(d.Spacer())
        blocks.append(
            d.Paragraph(
                "灰底行为已逾期的期限；各期限的起算、届满和扣除情况见“计算说明”栏。",
                "期限表说明",
            )
        )
    return Document(
        KIND,
        data.title,
        data.organisation,
        data.case_no,
        generated_at,
        tuple(blocks),
        landscape=True,
    )


def build_clock_sheet_pdf(
    data: ClockSheetData,
    out: Path | BinaryIO,
    *,
    fonts: FontConfig | None = None,
    generated_at: datetime,
) -> BuiltReport:
    """Build the clock sheet of one case as PDF (landscape A4) into ``out``."""
    from firecase.reports.pdf import write_pdf

    return write_pdf(clock_sheet_document(data, generated_at=generated_at), out, fonts=fonts)


def build_clock_sheet_docx(
    data: ClockSheetData, out: Path | BinaryIO, *, generated_at: datetime
) -> BuiltReport:
    """The clock sheet as an editable Word document (.docx, landscape)."""
    from firecase.reports.docx import write_docx

    return write_docx(clock_sheet_document(data, generated_at=generated_at), out)
