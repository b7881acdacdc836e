"""The page and the typesetting of every printed report (GB/T 9704-2012 党政机关公文格式).

A4, margins top 37 mm, bottom 35 mm, left (binding) 28 mm, right 26 mm: a text block of
156 × 225 mm holding 22 lines of 28 characters. Faces by role (:mod:`firecase.reports.fonts`):
title 2号 小标宋, centred, broken between words into a trapezoid or diamond
(:mod:`firecase.reports.titles`); body 3号 仿宋 on a 28-pt line, every line but a paragraph's
last justified to the 28-character grid, 禁则 kept (:mod:`firecase.reports.typeset`);
first-level headings "一、" 黑体, second-level "（一）" 楷体, both indented two characters like
the body; the 落款 右空二字 with the date two characters further right (7.3.5.1), kept on a
page with the last two lines before it; page numbers 4号 "— N —" on the outer side (odd pages
right, even pages left, one character in). A heading keeps with the first two lines of what
follows; a paragraph never leaves a single line at the foot or head of a page, so no page ends
more than two lines early.

Tables: cells are set with the same rules (禁则, justification), rows split across pages, the
header row repeats. Every page carries the issuing body and case number (header) and the
generation time (footer); so do the PDF's metadata, with the faces used for each role.

Every string goes through the fonts' character maps while the story is made, before anything
is written; any failure while typesetting is a :class:`ReportBuildError` naming the case part.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.units import mm

from firecase.errors import FirecaseError
from firecase.reports.document import Column
from firecase.reports.typeset import CANNOT_END, CANNOT_START

__all__ = [
    "BODY_LEADING",
    "BODY_SIZE",
    "BuiltReport",
    "Column",
    "DocumentInfo",
    "ReportBuildError",
    "format_date",
    "format_datetime",
    "format_yuan",
]

# GB/T 9704 sizes (字号) in points.
TITLE_SIZE = 22.0  # 二号
BODY_SIZE = 16.0  # 三号
PAGE_NO_SIZE = 14.0  # 四号
TABLE_SIZE = 11.0  # between 五号 (10.5) and 小四 (12): five-column tables stay readable
SMALL_SIZE = 9.0
HEADER_SIZE = 10.5  # the running header: issuing body and case number
DRAFT_SIZE = 15.0  # 小三, 黑体: the draft mark over the header of every page
BODY_LEADING = 28.0
TABLE_LEADING = 15.0
TITLE_LEADING = 35.0
# least height of each piece of a row split across pages: four lines, so a cell of up to four
# lines (a label, a date) is never cut, and no piece is a lone line
_MIN_ROW_PIECE = int(4 * 15.0 + 7)
CHARS_PER_LINE = 28

PORTRAIT_MARGINS = (37 * mm, 35 * mm, 28 * mm, 26 * mm)  # top, bottom, left, right
LANDSCAPE_MARGINS = (28 * mm, 24 * mm, 30 * mm, 28 * mm)

_TITLE_STROKE = 0.55  # pt: outline stroke that makes the Song title read as 小标宋
_SUBHEADING_STROKE = 0.35
_RULE_GREY = colors.Color(0.35, 0.35, 0.35)
_DRAFT_RED = colors.Color(0.75, 0.05, 0.05)
_MASTHEAD_RED = colors.Color(0.85, 0.0, 0.0)
_RULE_GAP = 4 * mm + 4  # from the number's line box to the separator line, and the line
MASTHEAD_MAX_SIZE = 36.0  # the mark's characters at most this size (GB/T 9704: ≤ 22×15 mm)
_HEADER_FILL = colors.Color(0.9, 0.9, 0.9)
_NUMBER_WIDTH = 0.07  # share of the 序号 column of a numbered table


def format_date(d: date | None, *, blank: str = "") -> str:
    """``2026年4月12日`` (GB/T 9704 writes dates in Arabic numerals without leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日" if d else blank


def format_datetime(dt: datetime) -> str:
    """``2026年4月12日 14:05``."""
    return f"{format_date(dt.date())} {dt:%H:%M}"


def format_yuan(amount: Decimal | None) -> str:
    """An amount in 元 with thousands separators and two decimals; "" for None."""
    if amount is None:
        return ""
    return f"{amount.quantize(Decimal('0.01')):,}"


@dataclass(frozen=True)
class DocumentInfo:
    """What every page and the PDF metadata say about the document."""

    kind: str  # e.g. "火灾事故调查报告"
    title: str
    organisation: str
    case_no: str
    generated_at: datetime
    draft_mark: str = ""  # e.g. "草稿（未经批复，不得公开）": printed on every page
    fingerprint: str = ""  # the reviewed content of a public version (keywords)
    anchor: str = ""  # the audit chain's head "SEQ:HASH" (keywords)
    official: bool = False  # an official document sent out: page numbers only on its pages


@dataclass(frozen=True)
class BuiltReport:
    """The result of a build: page count, the faces used, and characters set in a fallback."""

    pages: int
    fonts: tuple[str, ...]
    fallback_chars: tuple[str, ...]


# The 禁则 sets live in the typesetter; titles and balance_lines use the same ones.
_CANNOT_START = CANNOT_START
_CANNOT_END = CANNOT_END


def _latin(ch: str) -> bool:
    """Part of a run that must not be broken: Latin letters, digits, "4·12", quotes."""
    return ord(ch) < 0x2E80


def balance_lines(text: str, width_of: Callable[[str], float], available: float) -> str:
    """``text`` with line breaks so its lines are about equally long (titles, GB/T 9704 7.3.1).

    Never breaks before a closing mark, after an opening mark, or inside a run of Latin letters
    and digits (e.g. “4·12”). Text that fits on one line, or already holds line breaks, is
    returned unchanged.
    """
    total = width_of(text)
    if "\n" in text or total <= available:
        return text
    lines = int(total // available) + 1
    target = total / lines
    out: list[str] = []
    start = 0
    for _ in range(lines - 1):
        best: int | None = None  # the allowed break closest to the target width
        best_gap = float("inf")
        for i in range(start + 1, len(text)):
            prev, ch = text[i - 1], text[i]
            if ch in _CANNOT_START or prev in _CANNOT_END or (_latin(prev) and _latin(ch)):
                continue
            used = width_of(text[start:i])
            if used > available:
                break
            if abs(used - target) < best_gap:
                best, best_gap = i, abs(used - target)
            if used >= target:
                break
        if best is None:
            break
        out.append(text[start:best])
        start = best
    out.append(text[start:])
    return "\n".join(out)


class ReportBuildError(FirecaseError):
    """A report could not be typeset; the message names the case part and field."""
