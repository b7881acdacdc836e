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

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    LayoutError,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from firecase.errors import FirecaseError
from firecase.paths import replace_atomically
from firecase.reports.data import Signatory
from firecase.reports.document import SIGNATURE_COLUMNS, Column
from firecase.reports.fonts import FontConfig, FontSet
from firecase.reports.titles import title_lines
from firecase.reports.typeset import CANNOT_END, CANNOT_START, SetParagraph, units_of
from firecase.textmarks import parse_line

__all__ = [
    "BODY_LEADING",
    "BODY_SIZE",
    "BuiltReport",
    "Column",
    "DocumentInfo",
    "ReportBuildError",
    "ReportBuilder",
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


class _KeepWith(Flowable):  # type: ignore[misc]
    """``first`` kept on a page with the start of ``second`` (a heading with the first two
    lines of its paragraph, or the last two lines of a paragraph with the 落款).

    Splitting splits ``second`` (its own rules keep at least two lines together) and keeps
    ``first`` with the part that stays; when even that does not fit, the pair moves on.
    """

    def __init__(self, first: Flowable, second: Flowable) -> None:
        super().__init__()
        self.first = first
        self.second = second
        self.where = getattr(second, "where", "") or getattr(first, "where", "")
        self._h1 = 0.0
        self._h2 = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        _w1, self._h1 = self.first.wrap(avail_width, avail_height)
        _w2, self._h2 = self.second.wrap(avail_width, max(avail_height - self._h1, 0))
        self.width = avail_width
        self.height = self._h1 + self._h2 + self.second.getSpaceBefore()
        return self.width, self.height

    def getSpaceBefore(self) -> float:
        return float(self.first.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.second.getSpaceAfter())

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        _w1, h1 = self.first.wrap(avail_width, avail_height)
        rest = avail_height - h1 - self.second.getSpaceBefore()
        if rest <= 0:
            if h1 <= avail_height:
                return []
            # a heading longer than the page itself (never in practice): split it
            first_parts = self.first.split(avail_width, avail_height)
            if len(first_parts) < 2:
                return []
            return [first_parts[0], _KeepWith(first_parts[1], self.second)]
        # moving the pair leaves the whole height empty, not just what the second is offered
        self.second.move_cost = max(getattr(self, "move_cost", 0.0), avail_height)
        try:
            parts = self.second.split(avail_width, rest)
        finally:
            self.second.move_cost = 0.0
        if len(parts) >= 2:
            return [_KeepWith(self.first, parts[0]), *parts[1:]]
        # the second cannot split (the 落款): the end of the first goes over with it
        _w2, h2 = self.second.wrap(avail_width, 0)  # its least height (the 落款: two lines)
        head = avail_height - h2 - self.second.getSpaceBefore()
        if head <= 0:
            return []
        self.first.move_cost = max(getattr(self, "move_cost", 0.0), avail_height)
        try:
            first_parts = self.first.split(avail_width, head)
        finally:
            self.first.move_cost = 0.0
        if len(first_parts) < 2 or not first_parts[1].wrap(avail_width, avail_height)[1]:
            return []
        return [first_parts[0], _KeepWith(first_parts[1], self.second)]

    def draw(self) -> None:
        top = self._h2 + self.second.getSpaceBefore()
        self.first.drawOn(self.canv, 0, top)  # first: text extraction follows drawing order
        self.second.drawOn(self.canv, 0, 0)


class _Closing(Flowable):  # type: ignore[misc]
    """The 落款 (GB/T 9704 7.3.5.1, 不加盖印章): one blank line under the text, the issuing
    body 右空二字, the date on the next line starting two characters right of the body's
    first character; when the date is longer, the date keeps 右空二字 and the body moves so
    it still starts two characters left of the date. A body too long for one line is broken
    between words into right-aligned lines (one longer than a page splits between them)."""

    def __init__(
        self,
        bodies: list[SetParagraph],
        date_line: SetParagraph | None,
        pitch: float,
        leading: float,
        *,
        blank: bool = True,
        note: SetParagraph | None = None,
    ) -> None:
        super().__init__()
        self.bodies = bodies
        self.date_line = date_line
        self.pitch = pitch
        self.leading = leading
        self.blank = blank
        self.note = note  # the 附注, set across the text width under the date
        self._note_lines = 1 if note is not None else 0
        self.where = "落款"

    @staticmethod
    def _width(p: SetParagraph) -> float:
        p.wrap(100_000, 100_000)
        lines = p.lines
        return lines[0].width if lines else 0.0

    def positions(self, avail_width: float) -> tuple[list[float], float]:
        """x of each body line's and of the date's first character."""
        widths = [self._width(b) for b in self.bodies]
        w_date = self._width(self.date_line) if self.date_line is not None else 0.0
        right = avail_width - 2 * self.pitch
        xs = [right - w for w in widths]
        date_x = (min(xs) if xs else right - w_date) + 2 * self.pitch
        if date_x + w_date > right:
            date_x = right - w_date
            shift = min(xs) - (date_x - 2 * self.pitch) if xs else 0.0
            xs = [x - shift for x in xs] if shift > 0 else xs
        return [max(x, 0.0) for x in xs], max(date_x, 0.0)

    def _lines(self) -> int:
        return len(self.bodies) + (self.date_line is not None) + self._note_lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # the blank line above gives way when it alone would push the block to the next page
        self.width = avail_width
        if self.note is not None:
            self._note_lines = max(self.note.line_count(avail_width), 1)
        full = (self._lines() + self.blank) * self.leading
        self.height = full if avail_height + 1e-6 >= full else self._lines() * self.leading
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        fit = int((avail_height + 1e-6) // self.leading) - self.blank
        if self._lines() * self.leading <= avail_height or fit < 2 or len(self.bodies) < 4:
            return []
        fit = min(fit, len(self.bodies) - 2)  # two lines of the body go on with the date
        head = _Closing(self.bodies[:fit], None, self.pitch, self.leading, blank=self.blank)
        tail = _Closing(
            self.bodies[fit:], self.date_line, self.pitch, self.leading, blank=False, note=self.note
        )
        return [head, tail]

    def draw(self) -> None:
        xs, date_x = self.positions(self.width)
        w = 100_000.0
        y = self._lines() * self.leading - self.leading
        for body, x in zip(self.bodies, xs, strict=True):
            body.wrap(w, self.leading)
            body.drawOn(self.canv, x, y)
            y -= self.leading
        if self.date_line is not None:
            self.date_line.wrap(w, self.leading)
            self.date_line.drawOn(self.canv, date_x, y)
        if self.note is not None:
            self.note.wrap(self.width, self._note_lines * self.leading)
            self.note.drawOn(self.canv, 0, 0)


class _Masthead(Flowable):  # type: ignore[misc]
    """The 版头 (GB/T 9704 7.2): the issuing body's mark centred in red (its lines set in
    ``size``), one blank line, the document number — centred, or 居左空一字 with the 签发人
    居右空一字 on the same line for a 上行文 — and 4 mm under it the red separator line as
    wide as the text block; the title follows one blank line under the line. The mark stands at
    the top of the text block (not 35 mm down as on pre-printed letterhead paper), so a short
    document still fits one page."""

    def __init__(
        self,
        mark: list[list[tuple[str, str]]],
        size: float,
        number: list[tuple[str, str]],
        signer: list[tuple[str, str]],
        pitch: float,
        stroke: float,
        width_of: Callable[[list[tuple[str, str]], float], float],
    ) -> None:
        super().__init__()
        self.mark = mark
        self.size = size
        self.number = number
        self.signer = signer
        self.pitch = pitch
        self.stroke = stroke
        self.width_of = width_of
        self.where = "版头"
        self.spaceAfter = BODY_LEADING

    def _mark_height(self) -> float:
        return len(self.mark) * self.size * 1.25

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        number = 2 * BODY_LEADING if self.number or self.signer else 0.0
        self.height = self._mark_height() + number + _RULE_GAP
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setFillColor(_MASTHEAD_RED)
        canv.setStrokeColor(_MASTHEAD_RED)
        y = self.height - self.size * 1.02
        for line in self.mark:
            x = (self.width - self.width_of(line, self.size)) / 2
            for font, chunk in line:
                text = canv.beginText(x, y)
                if self.stroke:
                    canv.setLineWidth(self.stroke)
                    text.setTextRenderMode(2)
                text.setFont(font, self.size)
                text.textOut(chunk)
                canv.drawText(text)
                x += stringWidth(chunk, font, self.size)
            y -= self.size * 1.25
        canv.setFillColor(colors.black)
        canv.setStrokeColor(colors.black)
        base = _RULE_GAP + (BODY_LEADING - BODY_SIZE) / 2 + 0.12 * BODY_SIZE
        if self.signer:
            self._runs(self.number, self.pitch, base)
            w = self.width_of(self.signer, BODY_SIZE)
            self._runs(self.signer, self.width - self.pitch - w, base)
        elif self.number:
            w = self.width_of(self.number, BODY_SIZE)
            self._runs(self.number, (self.width - w) / 2, base)
        canv.setStrokeColor(_MASTHEAD_RED)
        canv.setLineWidth(1.0)
        canv.line(0, _RULE_GAP * 0.3, self.width, _RULE_GAP * 0.3)
        canv.restoreState()

    def _runs(self, runs: list[tuple[str, str]], x: float, y: float) -> None:
        for font, chunk in runs:
            text = self.canv.beginText(x, y)
            text.setTextRenderMode(0)  # the mark's stroked mode is text state: it carries over
            text.setFont(font, BODY_SIZE)
            text.textOut(chunk)
            self.canv.drawText(text)
            x += stringWidth(chunk, font, BODY_SIZE)


class _Table(Table):  # type: ignore[misc]
    """A table that splits between rows where it can, and inside a row only when that row is
    taller than six lines — a short row moves to the next page whole, a tall one never
    leaves a page half empty."""

    # a row of more than six lines may split (each piece then holds at least four); a
    # shorter one moves on whole. Pieces of a split table keep these class values.
    tall_row = 6 * TABLE_LEADING + 8

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        # column shares summing to 1 can add up to a hair over the frame width; ReportLab then
        # refuses to split at all ("split called with inadequate width")
        avail_width += 0.01
        self._calc(avail_width, avail_height)
        used = 0.0
        for n, height in enumerate(self._rowHeights):
            if used + height > avail_height:
                if height > self.tall_row and n >= self.repeatRows:
                    # split inside the tall row here, so its rest does not start a second
                    # table (with a repeated header) on what is left of this page
                    parts: list[Flowable] = self._splitRows(avail_height, doInRowSplit=True)
                    if parts:
                        return parts
                break
            used += height
        result: list[Flowable] = self._splitRows(avail_height, doInRowSplit=False)
        return result


class _Doc(BaseDocTemplate):  # type: ignore[misc]
    """Remembers the flowable being placed, so a layout failure can name its field."""

    current_where = ""

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        if flowables:
            self.current_where = getattr(flowables[0], "where", "") or self.current_where
        super().handle_flowable(flowables)


_ALIGN = {"left": "justify", "center": "center", "right": "right", "justify": "justify"}


class ReportBuilder:
    """Builds one report: checked, typeset paragraphs and tables, the page template, the PDF.

    Create one per build; not shared between threads. Every text method checks its string
    against the fonts (raising ``MissingGlyphError`` with ``where``) as the story is made.
    """

    def __init__(
        self,
        info: DocumentInfo,
        *,
        fonts: FontConfig | None = None,
        orientation: str = "portrait",
    ) -> None:
        self.info = info
        self.font_config = fonts or FontConfig.bundled()
        self.fonts = FontSet(self.font_config)
        if orientation == "landscape":
            self.pagesize = landscape(A4)
            self.margins = LANDSCAPE_MARGINS
        else:
            self.pagesize = A4
            self.margins = PORTRAIT_MARGINS
        top, bottom, left, right = self.margins
        self.frame_width = self.pagesize[0] - left - right
        self.frame_height = self.pagesize[1] - top - bottom
        # GB/T 9704: 28 characters a line on the portrait text block; landscape sheets keep
        # the face's own width.
        self.pitch = self.frame_width / CHARS_PER_LINE if orientation != "landscape" else BODY_SIZE
        self.shade_colour = colors.Color(0.85, 0.85, 0.85)
        where = "页眉"
        self._header_left = self.fonts.runs(info.organisation, self.fonts.body, where)
        self._header_right = self.fonts.runs(f"案件编号：{info.case_no}", self.fonts.body, where)
        self._footer_note = self.fonts.runs(
            f"生成时间：{format_datetime(info.generated_at)}", self.fonts.body, "页脚"
        )
        self._draft_mark = (
            self.fonts.runs(info.draft_mark, self.fonts.heading, "草稿标记")
            if info.draft_mark
            else []
        )

    # ------------------------------------------------------------------ text

    def _set(
        self,
        text: str,
        font: str,
        where: str,
        *,
        size: float = BODY_SIZE,
        leading: float = BODY_LEADING,
        indent: float = 2,
        align: str = "justify",
        pitch: float | None = None,
        stroke: float = 0.0,
    ) -> SetParagraph:
        pitch = pitch or self.pitch
        return SetParagraph(
            self.fonts.glyphs(text, font, where),
            size=size,
            leading=leading,
            pitch=pitch if size == BODY_SIZE else size,
            first_indent=indent * (pitch if size == BODY_SIZE else size),
            align=align,
            stroke=stroke,
            where=where,
        )

    def title(self, text: str, where: str = "标题") -> Flowable:
        """The document title: 二号, centred, broken between words (heavy: the title face, or
        the body face stroked when no 小标宋 is available)."""
        font = self.fonts.title
        text = self.fonts.clean(text)
        lines = title_lines(
            text,
            self.frame_width - 2 * TITLE_SIZE,
            lambda t: self._runs_width(self.fonts.runs(t, font, where), TITLE_SIZE),
        )
        p = SetParagraph(
            self.fonts.glyphs("\n".join(lines), font, where),
            size=TITLE_SIZE,
            leading=TITLE_LEADING,
            align="center",
            stroke=_TITLE_STROKE if self.fonts.title_is_body else 0.0,
            where=where,
            min_lines=2,  # a title longer than a page (never in practice) still prints
        )
        p.spaceAfter = BODY_LEADING
        return p

    def subtitle(self, text: str, where: str, align: str = "center") -> Flowable:
        """A line under the title, e.g. "（公开版）", centred; ``align`` "right": flush right
        one character in (a 文书's number under its title)."""
        p = self._set(text, self.fonts.body, where, indent=0, align=align)
        if align == "right":
            p.style = replace(p.style, right_indent=self.pitch)
        p.spaceAfter = BODY_LEADING / 2
        return p

    def masthead(self, organisation: str, number: str, signer: str, where: str) -> Flowable:
        """The 版头 of an official document: see :class:`_Masthead`. The mark is set in the
        title face as large as fits one line (at most ``MASTHEAD_MAX_SIZE``); a name too long
        to stand one line at the title's size is broken between words."""
        font = self.fonts.title
        text = self.fonts.clean(organisation).replace("\n", "")
        width = self.frame_width

        def measure(t: str, size: float) -> float:
            return self._runs_width(self.fonts.runs(t, font, where), size)

        size = min(MASTHEAD_MAX_SIZE, width / max(measure(text, 1.0), 1.0))
        lines: tuple[str, ...] = (text,)
        if size < TITLE_SIZE:
            lines = title_lines(text, width, lambda t: measure(t, TITLE_SIZE + 4))
            size = min(MASTHEAD_MAX_SIZE, width / max(max(measure(t, 1.0) for t in lines), 1.0))
        mark = [self.fonts.runs(line, font, where) for line in lines]
        body = self.fonts.body
        number_runs = self.fonts.runs(number, body, "发文字号") if number else []
        signer_runs = self.fonts.runs(signer, body, "签发人") if signer else []
        return _Masthead(
            mark,
            size * 0.98,
            number_runs,
            signer_runs,
            self.pitch,
            _TITLE_STROKE if self.fonts.title_is_body else 0.0,
            self._runs_width,
        )

    def heading(self, text: str, where: str | None = None) -> SetParagraph:
        """A first-level heading ("一、…") in 黑体, indented two characters."""
        return self._set(text, self.fonts.heading, where or f"标题“{text}”")

    def subheading(self, text: str, where: str | None = None) -> SetParagraph:
        """A second-level heading ("（一）…") in 楷体, indented two characters."""
        return self._set(text, self.fonts.heading2, where or f"标题“{text}”")

    def paragraphs(self, text: str, where: str, *, empty: str | None = None) -> list[Flowable]:
        """Body paragraphs: one per non-blank line of ``text``; ``empty`` printed if none.

        The section editor's marks (``firecase.textmarks``) are honoured: ``**…**`` prints in
        the heading face (黑体, the usual emphasis in official documents), ``*…*`` prints plain
        (Chinese documents do not italicise), ``- `` items get a bullet, ``1. `` items keep
        their number.
        """
        lines = [line.strip() for line in text.splitlines()]
        lines = [line for line in lines if line]
        if not lines and empty is not None:
            return [self.paragraph(empty, where)]
        return [self._marked_para(line, where) for line in lines]

    def _marked_para(self, line: str, where: str) -> SetParagraph:
        parsed = parse_line(line)
        body, bold = self.fonts.body, self.fonts.heading
        prefix = {"": "", "-": "• "}.get(parsed.marker, f"{parsed.marker} ")
        glyphs = self.fonts.glyphs(prefix, body, where) if prefix else []
        for run in parsed.runs:
            glyphs += self.fonts.glyphs(run.text, bold if run.bold else body, where)
        return SetParagraph(
            glyphs,
            size=BODY_SIZE,
            leading=BODY_LEADING,
            pitch=self.pitch,
            first_indent=2 * self.pitch,
            where=where,
        )

    def paragraph(self, text: str, where: str, *, indent: bool = True) -> SetParagraph:
        """One body paragraph (line breaks inside ``text`` kept as line breaks)."""
        return self._set(text, self.fonts.body, where, indent=2 if indent else 0)

    def attachments(self, names: Sequence[str], where: str) -> list[Flowable]:
        """The 附件说明 (GB/T 9704 7.3.4, see ``document.Attachments``): one set paragraph per
        name, hung so that its continuation lines start under the name's first character."""
        body = self.fonts.body

        def width(text: str) -> float:
            glyphs = self.fonts.glyphs(text, body, where)
            return float(sum(u.width for u in units_of(glyphs, BODY_SIZE, self.pitch, stringWidth)))

        label = "附件："
        out: list[Flowable] = [self.spacer(1)]
        for n, name in enumerate(names, start=1):
            number = f"{n}." if len(names) > 1 else ""
            shown = (label if n == 1 else "") + number
            p = self._set(shown + name, body, f"{where}第{n}项", indent=0, align="left")
            left = 2 * self.pitch + width(label) + width(number)
            p.style = replace(p.style, left_indent=left, first_indent=-width(shown))
            out.append(p)
        return out

    def closing(self, organisation: str, on: date | None, note: str = "") -> Flowable:
        """The 落款: the issuing body 右空二字 and the date under it (see :class:`_Closing`);
        a 附注 (GB/T 9704 7.3.6) on the line under the date, 居左空二字, stays with them."""
        font = self.fonts.body
        measure = lambda t: self._runs_width(self.fonts.runs(t, font, "落款单位"), BODY_SIZE)  # noqa: E731
        organisation = self.fonts.clean(organisation)
        lines = title_lines(organisation, self.frame_width - 6 * self.pitch, measure)
        bodies = [self._set(line, font, "落款单位", indent=0, align="left") for line in lines]
        when = self._set(
            format_date(on, blank="年　　月　　日"), self.fonts.body, "落款日期", indent=0
        )
        noted = self._set(note, self.fonts.body, "附注") if note else None
        return _Closing(bodies, when, self.pitch, BODY_LEADING, note=noted)

    def small_line(self, text: str, where: str) -> SetParagraph:
        """A line in small print, flush left (the audit chain's anchor under the signatures)."""
        return self._set(
            text,
            self.fonts.body,
            where,
            size=SMALL_SIZE,
            leading=SMALL_SIZE * 1.4,
            indent=0,
            align="left",
        )

    def spacer(self, lines: float = 0.5) -> Spacer:
        """Vertical space of ``lines`` body lines."""
        return Spacer(1, BODY_LEADING * lines)

    @staticmethod
    def page_break() -> PageBreak:
        """Start a new page."""
        return PageBreak()

    @staticmethod
    def keep_with(first: Flowable, second: Flowable) -> Flowable:
        """``first`` kept on a page with the start of ``second``."""
        return _KeepWith(first, second)

    # ------------------------------------------------------------------ tables

    def cell(
        self, text: str, where: str, align: str = "left", *, font: str | None = None
    ) -> SetParagraph:
        """One table cell (禁则 kept, justified; line breaks kept)."""
        return SetParagraph(
            self.fonts.glyphs(text, font or self.fonts.body, where),
            size=TABLE_SIZE,
            leading=TABLE_LEADING,
            align=_ALIGN[align],
            where=where,
            min_lines=1,
        )

    def _header_cell(self, text: str, where: str, align: str = "center") -> SetParagraph:
        return self.cell(text, where, align, font=self.fonts.heading)

    def table(
        self,
        columns: Sequence[Column],
        rows: Iterable[Sequence[str]],
        where: str,
        *,
        numbered: bool = False,
        extra_style: Sequence[tuple[Any, ...]] = (),
        row_where: Callable[[int, int], str] | None = None,
    ) -> Table:
        """A grid table whose header row repeats on every page; long rows split across pages.

        ``numbered`` prepends a 序号 column; the other columns shrink in proportion.
        ``where`` names the table in errors; cells are named "<where>第N行“<header>”".
        """
        cols = list(columns)
        body_rows = [list(r) for r in rows]
        if numbered:
            share = 1 - _NUMBER_WIDTH
            cols = [
                Column("序号", _NUMBER_WIDTH, "center"),
                *(Column(c.header, c.width * share, c.align) for c in cols),
            ]
            body_rows = [[str(i), *r] for i, r in enumerate(body_rows, start=1)]
        data: list[list[Any]] = [[[self._header_cell(c.header, where)] for c in cols]]
        for i, row in enumerate(body_rows, start=1):
            cells = []
            for j, (col, value) in enumerate(zip(cols, row, strict=True)):
                cell_where = row_where(i, j) if row_where else f"{where}第{i}行“{col.header}”"
                cells.append([self.cell(value, cell_where, col.align)])
            data.append(cells)
        widths = [c.width * self.frame_width for c in cols]
        table = _Table(
            data,
            colWidths=widths,
            repeatRows=1,
            hAlign="CENTER",
            spaceBefore=BODY_LEADING / 4,
            spaceAfter=BODY_LEADING / 4,
            splitInRow=_MIN_ROW_PIECE,
        )
        table.setStyle(TableStyle([*self._grid_style(), *extra_style]))
        table.where = where
        return table

    def _grid_style(self) -> list[tuple[Any, ...]]:
        # FONTNAME: ReportLab sets the cell font even for empty string cells (and for the
        # pieces of a split row); without it the PDF references an unembedded Helvetica.
        return [
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.body),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), _HEADER_FILL),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]

    def key_value_table(self, pairs: Sequence[tuple[str, str]], where: str) -> Table:
        """A two-column facts table (label | value), labels in the heading face."""
        data = [
            [
                [self._header_cell(k, where, "left")],
                [self.cell(v, f"{where}“{k}”")],
            ]
            for k, v in pairs
        ]
        table = _Table(
            data,
            colWidths=[0.25 * self.frame_width, 0.75 * self.frame_width],
            splitInRow=_MIN_ROW_PIECE,
        )
        style = self._grid_style()
        style = [
            ("BACKGROUND", (0, 0), (0, -1), _HEADER_FILL) if cmd[0] == "BACKGROUND" else cmd
            for cmd in style
        ]
        table.setStyle(TableStyle(style))
        table.where = where
        return table

    def signature_table(self, signatories: Sequence[Signatory], where: str) -> Table:
        """Signature table grouped by sub-group, with a blank cell to sign for each member.

        Recused members are left out (第十五条) even when a caller passes them. Sub-groups keep
        the order in which they first appear; members keep the caller's order within a group.
        """
        active = [s for s in signatories if not s.recused]
        groups: dict[str, list[Signatory]] = {}
        for s in active:
            groups.setdefault(s.subgroup, []).append(s)
        cols = list(SIGNATURE_COLUMNS)
        data: list[list[Any]] = [[[self._header_cell(c.header, where)] for c in cols]]
        style = self._grid_style()
        for group, members in groups.items():
            row = len(data)
            data.append([[self._header_cell(group, f"{where}分组名称", "left")], [], [], []])
            style += [
                ("SPAN", (0, row), (-1, row)),
                ("BACKGROUND", (0, row), (-1, row), colors.Color(0.95, 0.95, 0.95)),
            ]
            for m in members:
                member_where = f"{where}（{group}）成员"
                unit = m.organisation + (f" {m.position}" if m.position else "")
                data.append(
                    [
                        [self.cell(m.name, f"{member_where}姓名", "center")],
                        [self.cell(unit, f"{member_where}“{m.name}”的单位及职务")],
                        [self.cell(m.role, f"{member_where}“{m.name}”的调查组职务", "center")],
                        [],
                    ]
                )
                r = len(data) - 1
                style += [
                    ("TOPPADDING", (0, r), (-1, r), 11),
                    ("BOTTOMPADDING", (0, r), (-1, r), 11),
                ]
        widths = [c.width * self.frame_width for c in cols]
        table = _Table(
            data, colWidths=widths, repeatRows=1, hAlign="CENTER", splitInRow=_MIN_ROW_PIECE
        )
        table.setStyle(TableStyle(style))
        table.where = where
        return table

    # ------------------------------------------------------------------ page and build

    def _draw_runs(
        self, canv: Canvas, runs: list[tuple[str, str]], x: float, y: float, size: float
    ) -> None:
        """Draw font runs starting at ``x`` on baseline ``y``."""
        for font, chunk in runs:
            canv.setFont(font, size)
            canv.drawString(x, y, chunk)
            x += stringWidth(chunk, font, size)

    def _fit_runs(
        self, runs: list[tuple[str, str]], size: float, room: float
    ) -> list[tuple[str, str]]:
        """``runs`` cut to ``room`` points with a closing "…" (a page header never overprints)."""
        if self._runs_width(runs, size) <= room:
            return runs
        ellipsis = ("…", self.fonts.face_for("…", self.fonts.body, "页眉"))
        room -= stringWidth(ellipsis[0], ellipsis[1], size)
        out: list[tuple[str, str]] = []
        used = 0.0
        for font, chunk in runs:
            for ch in chunk:
                w = float(stringWidth(ch, font, size))
                if used + w > room:
                    return [*out, (ellipsis[1], ellipsis[0])]
                used += w
                if out and out[-1][0] == font:
                    out[-1] = (font, out[-1][1] + ch)
                else:
                    out.append((font, ch))
        return out

    def _runs_width(self, runs: list[tuple[str, str]], size: float) -> float:
        return sum(float(stringWidth(chunk, font, size)) for font, chunk in runs)

    def page_number_x(self, page: int, width: float) -> float:
        """x of the page number: odd pages 右空一字, even pages 左空一字 (GB/T 9704 7.5)."""
        _top, _bottom, left, right = self.margins
        if page % 2:
            return float(self.pagesize[0] - right - PAGE_NO_SIZE - width)
        return float(left + PAGE_NO_SIZE)

    def _on_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        top, bottom, left, right = self.margins
        page_w, page_h = self.pagesize
        canv.saveState()
        if self.info.official:  # an official document: the page number only (GB/T 9704 7.5)
            number_runs = self.fonts.runs(f"— {doc.page} —", self.fonts.page_number, "页码")
            number_y = bottom - 7 * mm - PAGE_NO_SIZE * 0.75
            x = self.page_number_x(doc.page, self._runs_width(number_runs, PAGE_NO_SIZE))
            self._draw_runs(canv, number_runs, x, number_y, PAGE_NO_SIZE)
            canv.restoreState()
            return
        # Header: issuing body (left), case number (right), a hairline under them.
        rule_y = page_h - top + 8 * mm
        canv.setFillColor(colors.black)
        header_size = 10.5
        right_w = self._runs_width(self._header_right, header_size)
        room = self.frame_width - right_w - 2 * header_size
        self._draw_runs(
            canv,
            self._fit_runs(self._header_left, header_size, room),
            left,
            rule_y + 2 * mm,
            header_size,
        )
        self._draw_runs(
            canv, self._header_right, page_w - right - right_w, rule_y + 2 * mm, header_size
        )
        canv.setStrokeColor(_RULE_GREY)
        canv.setLineWidth(0.5)
        canv.line(left, rule_y, page_w - right, rule_y)
        if self._draft_mark:  # a version that may not be released: said on every page, in red
            canv.setFillColor(_DRAFT_RED)
            mark_w = self._runs_width(self._draft_mark, DRAFT_SIZE)
            self._draw_runs(
                canv, self._draft_mark, (page_w - mark_w) / 2, page_h - 16 * mm, DRAFT_SIZE
            )
            canv.setFillColor(colors.black)
        # Footer: "— N —" 7 mm under the text block on the outer side, generation time under.
        number_runs = self.fonts.runs(f"— {doc.page} —", self.fonts.page_number, "页码")
        number_y = bottom - 7 * mm - PAGE_NO_SIZE * 0.75
        x = self.page_number_x(doc.page, self._runs_width(number_runs, PAGE_NO_SIZE))
        self._draw_runs(canv, number_runs, x, number_y, PAGE_NO_SIZE)
        canv.setFillColor(_RULE_GREY)
        note_w = self._runs_width(self._footer_note, SMALL_SIZE)
        note_x = left if doc.page % 2 else page_w - right - note_w
        self._draw_runs(canv, self._footer_note, note_x, number_y - 6 * mm, SMALL_SIZE)
        canv.restoreState()

    def font_note(self) -> str:
        """The faces used, role by role (recorded in the PDF's keywords)."""
        return "；".join(self.font_config.describe())

    def build(self, story: list[Flowable], out: Path | BinaryIO) -> BuiltReport:
        """Write the PDF to ``out`` (a path, written atomically, or a binary stream).

        A layout failure raises :class:`ReportBuildError` naming the part being placed;
        nothing is written.
        """
        info = self.info
        generated = format_datetime(info.generated_at)
        top, bottom, left, right = self.margins

        def make_doc(target: str | BinaryIO) -> _Doc:
            doc = _Doc(
                target,
                pagesize=self.pagesize,
                leftMargin=left,
                rightMargin=right,
                topMargin=top,
                bottomMargin=bottom,
                title=info.title,
                author=info.organisation,
                subject=f"{info.kind}｜案件编号 {info.case_no}｜生成时间 {generated}"
                + (f"｜{info.draft_mark}" if info.draft_mark else ""),
                keywords=[
                    info.kind,
                    info.case_no,
                    f"生成时间 {generated}",
                    self.font_note(),
                    *([info.draft_mark] if info.draft_mark else []),
                    *([f"公开版内容指纹 {info.fingerprint}"] if info.fingerprint else []),
                    *([f"firecase-anchor={info.anchor}"] if info.anchor else []),
                ],
                creator="FireCase",
                lang="zh-CN",
                displayDocTitle=1,
                initialFontName=self.fonts.body,
                initialFontSize=BODY_SIZE,
            )
            frame = Frame(
                left,
                bottom,
                self.frame_width,
                self.frame_height,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
                id="body",
            )
            doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._on_page)])
            return doc

        def run(target: str | BinaryIO) -> _Doc:
            doc = make_doc(target)
            try:
                doc.build(story)
            except LayoutError as exc:
                part = doc.current_where or "报告正文"
                if len(part) > 60:
                    part = part[:60] + "…"
                raise ReportBuildError(
                    f"报告无法排版：“{part}”的内容无法放入页面（{exc}）。"
                    "请缩短该处内容或将其分成几段。",
                    field=part,
                ) from exc
            return doc

        doc = (
            replace_atomically(Path(out), run) if isinstance(out, (str, os.PathLike)) else run(out)
        )
        return BuiltReport(
            pages=int(doc.page),
            fonts=self.fonts.embedded_names(),
            fallback_chars=tuple(sorted(self.fonts.fallback_chars)),
        )
