"""The clock sheet (期限一览): every statutory clock of one case, on landscape A4.

One row per clock with its start, due date, days left, status, how the due date was computed,
and its basis (SPEC R6). Overdue rows are shaded so they stand out on a grey-scale printout.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.platypus import Flowable

from firecase.reports.base import BuiltReport, Column, DocumentInfo, ReportBuilder, format_date
from firecase.reports.data import ClockSheetData
from firecase.reports.fonts import FontConfig

__all__ = ["COLUMNS", "build_clock_sheet_pdf"]

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
_OVERDUE_FILL = colors.Color(0.85, 0.85, 0.85)


def _days_left(days: int | None) -> str:
    if days is None:
        return "—"
    if days < 0:
        return f"逾期{-days}天"
    return f"{days}天"


def clock_sheet_story(b: ReportBuilder, data: ClockSheetData) -> list[Flowable]:
    """The flowables of the clock sheet (checked against the fonts as made)."""
    story: list[Flowable] = [
        b.title(data.title),
        b.subtitle(f"截至{format_date(data.today)}", "副标题"),
    ]
    if not data.rows:
        story.append(b.paragraph("本案暂无需要计算的期限。", "期限表"))
        return story
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
    shade: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, i), (-1, i), _OVERDUE_FILL)
        for i, r in enumerate(data.rows, start=1)  # row 0 is the header
        if r.overdue
    ]
    story.append(b.table(COLUMNS, rows, "期限表", extra_style=shade))
    story.append(b.spacer())
    story.append(
        b.paragraph(
            "灰底行为已逾期的期限；各期限的起算、届满和扣除情况见“计算说明”栏。",
            "期限表说明",
        )
    )
    return story


def build_clock_sheet_pdf(
    data: ClockSheetData,
    out: Path | BinaryIO,
    *,
    fonts: FontConfig | None = None,
    generated_at: datetime,
) -> BuiltReport:
    """Build the clock sheet of one case as PDF (landscape A4) into ``out``."""
    b = ReportBuilder(
        DocumentInfo(KIND, data.title, data.organisation, data.case_no, generated_at),
        fonts=fonts,
        orientation="landscape",
    )
    return b.build(clock_sheet_story(b, data), out)
