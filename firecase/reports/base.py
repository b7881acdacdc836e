"""The one base document of every printed report: page, fonts, styles, header and footer.

Layout after GB/T 9704 (党政机关公文格式): A4, margins top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm; title in a heavy Song face (二号, 22 pt; the bundled Song face has no bold, so its
outline is stroked); body in a Song face, 三号 (16 pt) with a 28 pt line pitch and a two-character
first-line indent; first-level headings "一、" in a 黑体-like face, second-level "（一）" in the
stroked Song face; page number "— N —" (四号) centred at the foot. Every page also carries the
organisation and case number (header) and the generation time (footer); the PDF metadata carry
them too (title, author, subject, keywords).

A report module builds its story with a :class:`ReportBuilder` and calls :meth:`ReportBuilder.
build`. Every string goes through the builder, which checks it against the fonts' character maps
while the story is made, i.e. before anything is written (see :mod:`firecase.reports.fonts`).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib import colors, textsplit as _rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
    paragraph as _rl_paragraph,
)

from firecase.reports.data import Signatory
from firecase.reports.document import Column
from firecase.reports.fonts import FontConfig, FontSet
from firecase.textmarks import parse_line

__all__ = [
    "BODY_LEADING",
    "BODY_SIZE",
    "BuiltReport",
    "Column",
    "DocumentInfo",
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
BODY_LEADING = 28.0
TABLE_LEADING = 15.0

PORTRAIT_MARGINS = (37 * mm, 35 * mm, 28 * mm, 26 * mm)  # top, bottom, left, right
LANDSCAPE_MARGINS = (28 * mm, 24 * mm, 30 * mm, 28 * mm)

_TITLE_STROKE = 0.55  # pt: outline stroke that makes the Song title read as 小标宋
_SUBHEADING_STROKE = 0.35
_RULE_GREY = colors.Color(0.35, 0.35, 0.35)
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


@dataclass(frozen=True)
class BuiltReport:
    """The result of a build: page count, the faces used, and characters set in a fallback."""

    pages: int
    fonts: tuple[str, ...]
    fallback_chars: tuple[str, ...]


class _StrokedParagraph(Paragraph):  # type: ignore[misc]
    """A paragraph whose glyphs are filled and stroked: a heavy face from a regular one."""

    stroke_width = _TITLE_STROKE

    def beginText(self, x: float, y: float) -> Any:
        text = super().beginText(x, y)
        text.setTextRenderMode(2)
        return text

    def draw(self) -> None:
        self.canv.setLineWidth(self.stroke_width)
        self.canv.setStrokeColor(colors.black)
        super().draw()


class _StrokedSubheading(_StrokedParagraph):
    stroke_width = _SUBHEADING_STROKE


# ReportLab's CJK line breakers let full-width commas and the like start a line; Chinese
# typesetting forbids it (GB/T 15834 标点符号用法). Both read a module global: extend them once.
_CANNOT_START = "，。、；：！？）》」』】〕〗…—·％”’"
_CANNOT_END = "“‘（《「『【〔〖"
for _module in (_rl_paragraph, _rl_textsplit):
    _module.ALL_CANNOT_START = _module.ALL_CANNOT_START + "".join(
        ch for ch in _CANNOT_START if ch not in _module.ALL_CANNOT_START
    )


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


_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


class ReportBuilder:
    """Builds one report: styles, checked paragraphs and tables, the page template, the PDF.

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
        self.fonts = FontSet(fonts or FontConfig.bundled())
        if orientation == "landscape":
            self.pagesize = landscape(A4)
            self.margins = LANDSCAPE_MARGINS
        else:
            self.pagesize = A4
            self.margins = PORTRAIT_MARGINS
        top, bottom, left, right = self.margins
        self.frame_width = self.pagesize[0] - left - right
        self.frame_height = self.pagesize[1] - top - bottom
        self.shade_colour = colors.Color(0.85, 0.85, 0.85)
        self._make_styles()
        where = "页眉"
        self._header_left = self.fonts.markup(info.organisation, self.fonts.body, where)
        self._header_right = self.fonts.markup(f"案件编号：{info.case_no}", self.fonts.body, where)
        self._footer_note = self.fonts.runs(
            f"生成时间：{format_datetime(info.generated_at)}", self.fonts.body, "页脚"
        )

    # ------------------------------------------------------------------ styles

    def _make_styles(self) -> None:
        f = self.fonts
        indent = 2 * BODY_SIZE
        self.title_style = ParagraphStyle(
            "fc-title",
            fontName=f.title,
            fontSize=TITLE_SIZE,
            leading=TITLE_SIZE * 1.5,
            alignment=TA_CENTER,
            wordWrap="CJK",
            spaceAfter=BODY_LEADING,
        )
        self.subtitle_style = ParagraphStyle(
            "fc-subtitle",
            fontName=f.body,
            fontSize=BODY_SIZE,
            leading=BODY_LEADING,
            alignment=TA_CENTER,
            wordWrap="CJK",
            spaceAfter=BODY_LEADING / 2,
        )
        self.body_style = ParagraphStyle(
            "fc-body",
            fontName=f.body,
            fontSize=BODY_SIZE,
            leading=BODY_LEADING,
            firstLineIndent=indent,
            alignment=TA_JUSTIFY,
            wordWrap="CJK",
        )
        self.heading_style = ParagraphStyle(
            "fc-heading",
            parent=self.body_style,
            fontName=f.heading,
            alignment=TA_LEFT,
            spaceBefore=BODY_LEADING / 4,
            keepWithNext=1,
        )
        self.subheading_style = ParagraphStyle(
            "fc-subheading",
            parent=self.body_style,
            fontName=f.title if not f.title_is_body else f.body,
            alignment=TA_LEFT,
            keepWithNext=1,
        )
        self.right_style = ParagraphStyle(
            "fc-right", parent=self.body_style, firstLineIndent=0, alignment=TA_RIGHT
        )
        self.cell_styles = {
            name: ParagraphStyle(
                f"fc-cell-{name}",
                fontName=f.body,
                fontSize=TABLE_SIZE,
                leading=TABLE_LEADING,
                alignment=align,
                wordWrap="CJK",
                # A closing mark that may not start a line hangs past the line end: keep a
                # third of an em free so its ink stays inside the cell, off the rule.
                rightIndent=TABLE_SIZE / 3,
            )
            for name, align in _ALIGN.items()
        }
        self.cell_header_style = ParagraphStyle(
            "fc-cell-header",
            parent=self.cell_styles["center"],
            fontName=f.heading,
            rightIndent=0,
        )
        self.header_styles = (
            ParagraphStyle(
                "fc-page-header-left",
                fontName=f.body,
                fontSize=10.5,
                leading=13,
                alignment=TA_LEFT,
                wordWrap="CJK",
            ),
            ParagraphStyle(
                "fc-page-header-right",
                fontName=f.body,
                fontSize=10.5,
                leading=13,
                alignment=TA_RIGHT,
                wordWrap="CJK",
            ),
        )

    # ------------------------------------------------------------------ text

    def _para(self, text: str, style: ParagraphStyle, where: str) -> Paragraph:
        return Paragraph(self.fonts.markup(text, style.fontName, where), style)

    def title(self, text: str, where: str = "标题") -> Flowable:
        """The document title: 二号, centred, heavy (stroked when the face has no bold)."""
        font, size = self.title_style.fontName, TITLE_SIZE
        text = balance_lines(
            self.fonts.clean(text),
            lambda t: self._runs_width(self.fonts.runs(t, font, where), size),
            self.frame_width - 2 * size,
        )
        markup = self.fonts.markup(text, font, where)
        if self.fonts.title_is_body:
            return _StrokedParagraph(markup, self.title_style)
        return Paragraph(markup, self.title_style)

    def subtitle(self, text: str, where: str) -> Paragraph:
        """A centred line under the title, e.g. "（公开版）"."""
        return self._para(text, self.subtitle_style, where)

    def heading(self, text: str, where: str | None = None) -> Paragraph:
        """A first-level heading ("一、…") in the heading face."""
        return self._para(text, self.heading_style, where or f"标题“{text}”")

    def subheading(self, text: str, where: str | None = None) -> Paragraph:
        """A second-level heading ("（一）…") in the stroked Song face."""
        markup = self.fonts.markup(text, self.subheading_style.fontName, where or f"标题“{text}”")
        if self.fonts.title_is_body:
            return _StrokedSubheading(markup, self.subheading_style)
        return Paragraph(markup, self.subheading_style)

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
            return [self._para(empty, self.body_style, where)]
        return [self._marked_para(line, where) for line in lines]

    def _marked_para(self, line: str, where: str) -> Paragraph:
        parsed = parse_line(line)
        body, bold = self.body_style.fontName, self.heading_style.fontName
        prefix = {"": "", "-": "• "}.get(parsed.marker, f"{parsed.marker} ")
        parts = [self.fonts.markup(prefix, body, where)] if prefix else []
        for run in parsed.runs:
            if run.bold:
                inner = self.fonts.markup(run.text, bold, where)
                parts.append(f'<font name="{bold}">{inner}</font>')
            else:
                parts.append(self.fonts.markup(run.text, body, where))
        return Paragraph("".join(parts), self.body_style)

    def paragraph(self, text: str, where: str) -> Paragraph:
        """One body paragraph (line breaks inside ``text`` kept as line breaks)."""
        return self._para(text, self.body_style, where)

    def right_aligned(self, text: str, where: str) -> Paragraph:
        """A right-aligned body line (the organisation and date under a report)."""
        return self._para(text, self.right_style, where)

    def closing(self, organisation: str, on: date | None) -> Flowable:
        """The 落款: organisation and date, right-aligned, kept together."""
        return KeepTogether(
            [
                Spacer(1, BODY_LEADING),
                self.right_aligned(organisation, "落款单位"),
                self.right_aligned(format_date(on, blank="年　　月　　日"), "落款日期"),
            ]
        )

    def spacer(self, lines: float = 0.5) -> Spacer:
        """Vertical space of ``lines`` body lines."""
        return Spacer(1, BODY_LEADING * lines)

    @staticmethod
    def page_break() -> PageBreak:
        """Start a new page."""
        return PageBreak()

    # ------------------------------------------------------------------ tables

    def cell(self, text: str, where: str, align: str = "left") -> Paragraph:
        """One table cell (line breaks kept)."""
        style = self.cell_styles[align]
        return Paragraph(self.fonts.markup(text, style.fontName, where), style)

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
        """A grid table whose header row repeats on every page.

        Rows are not split across pages (ReportLab's in-row splitting leaves stray header rows
        behind); a table cell's text is short by nature.

        ``numbered`` prepends a 序号 column; the other columns shrink in proportion.
        ``where`` names the table in glyph errors; cells are named "<where>第N行“<header>”".
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
        data: list[list[Any]] = [
            [
                Paragraph(
                    self.fonts.markup(c.header, self.cell_header_style.fontName, where),
                    self.cell_header_style,
                )
                for c in cols
            ]
        ]
        for i, row in enumerate(body_rows, start=1):
            cells = []
            for j, (col, value) in enumerate(zip(cols, row, strict=True)):
                cell_where = row_where(i, j) if row_where else f"{where}第{i}行“{col.header}”"
                cells.append(self.cell(value, cell_where, col.align))
            data.append(cells)
        widths = [c.width * self.frame_width for c in cols]
        table = Table(
            data,
            colWidths=widths,
            repeatRows=1,
            hAlign="CENTER",
            spaceBefore=BODY_LEADING / 4,
            spaceAfter=BODY_LEADING / 4,
        )
        table.setStyle(TableStyle([*self._grid_style(), *extra_style]))
        return table

    def _grid_style(self) -> list[tuple[Any, ...]]:
        # FONTNAME: ReportLab sets the cell font even for empty string cells (and for the
        # pieces of a split row); without it the PDF references an unembedded Helvetica.
        return [
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.body),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), _HEADER_FILL),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ]

    def key_value_table(self, pairs: Sequence[tuple[str, str]], where: str) -> Table:
        """A two-column facts table (label | value), labels in the heading face."""
        label_style = ParagraphStyle(
            "fc-kv-label", parent=self.cell_header_style, fontSize=12, leading=16
        )
        value_style = ParagraphStyle(
            "fc-kv-value", parent=self.cell_styles["left"], fontSize=12, leading=16
        )
        data = [
            [
                Paragraph(self.fonts.markup(k, label_style.fontName, where), label_style),
                Paragraph(self.fonts.markup(v, value_style.fontName, f"{where}“{k}”"), value_style),
            ]
            for k, v in pairs
        ]
        table = Table(data, colWidths=[0.25 * self.frame_width, 0.75 * self.frame_width])
        style = self._grid_style()
        style = [
            ("BACKGROUND", (0, 0), (0, -1), _HEADER_FILL) if cmd[0] == "BACKGROUND" else cmd
            for cmd in style
        ]
        table.setStyle(TableStyle(style))
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
        cols = [
            Column("姓名", 0.16, "center"),
            Column("单位及职务", 0.40),
            Column("调查组职务", 0.16, "center"),
            Column("签名", 0.28, "center"),
        ]
        header_style = self.cell_header_style
        data: list[list[Any]] = [
            [
                Paragraph(self.fonts.markup(c.header, header_style.fontName, where), header_style)
                for c in cols
            ]
        ]
        style = self._grid_style()
        group_style = ParagraphStyle("fc-sig-group", parent=header_style, alignment=TA_LEFT)
        for group, members in groups.items():
            row = len(data)
            data.append(
                [
                    Paragraph(
                        self.fonts.markup(group, group_style.fontName, f"{where}分组名称"),
                        group_style,
                    ),
                    "",
                    "",
                    "",
                ]
            )
            style += [
                ("SPAN", (0, row), (-1, row)),
                ("BACKGROUND", (0, row), (-1, row), colors.Color(0.95, 0.95, 0.95)),
            ]
            for m in members:
                member_where = f"{where}（{group}）成员"
                unit = m.organisation + (f" {m.position}" if m.position else "")
                data.append(
                    [
                        self.cell(m.name, f"{member_where}姓名", "center"),
                        self.cell(unit, f"{member_where}“{m.name}”的单位及职务"),
                        self.cell(m.role, f"{member_where}“{m.name}”的调查组职务", "center"),
                        "",
                    ]
                )
                r = len(data) - 1
                style += [
                    ("TOPPADDING", (0, r), (-1, r), 11),
                    ("BOTTOMPADDING", (0, r), (-1, r), 11),
                ]
        widths = [c.width * self.frame_width for c in cols]
        table = Table(data, colWidths=widths, repeatRows=1, hAlign="CENTER")
        table.setStyle(TableStyle(style))
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

    def _runs_width(self, runs: list[tuple[str, str]], size: float) -> float:
        return float(sum(stringWidth(chunk, font, size) for font, chunk in runs))

    def _on_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        top, bottom, left, right = self.margins
        page_w, page_h = self.pagesize
        width = self.frame_width
        canv.saveState()
        # Header: organisation (left), case number (right), a hairline under them.
        rule_y = page_h - top + 8 * mm
        left_style, right_style = self.header_styles
        p_left = Paragraph(self._header_left, left_style)
        p_right = Paragraph(self._header_right, right_style)
        p_right.wrap(width * 0.4, 40 * mm)
        p_left.wrap(width * 0.6 - 4 * mm, 40 * mm)
        p_left.drawOn(canv, left, rule_y + 2 * mm)
        p_right.drawOn(canv, left + width * 0.6, rule_y + 2 * mm)
        canv.setStrokeColor(_RULE_GREY)
        canv.setLineWidth(0.5)
        canv.line(left, rule_y, page_w - right, rule_y)
        # Footer: "— N —" centred 7 mm under the text area, the generation time under it.
        number_runs = self.fonts.runs(f"— {doc.page} —", self.fonts.body, "页码")
        number_y = bottom - 7 * mm - PAGE_NO_SIZE * 0.75
        x = (page_w - self._runs_width(number_runs, PAGE_NO_SIZE)) / 2
        canv.setFillColor(colors.black)
        self._draw_runs(canv, number_runs, x, number_y, PAGE_NO_SIZE)
        canv.setFillColor(_RULE_GREY)
        note_x = page_w - right - self._runs_width(self._footer_note, SMALL_SIZE)
        self._draw_runs(canv, self._footer_note, note_x, number_y - 6 * mm, SMALL_SIZE)
        canv.restoreState()

    def build(self, story: list[Flowable], out: Path | BinaryIO) -> BuiltReport:
        """Write the PDF to ``out`` (a path, written atomically, or a binary stream)."""
        info = self.info
        generated = format_datetime(info.generated_at)
        top, bottom, left, right = self.margins

        def make_doc(target: str | BinaryIO) -> BaseDocTemplate:
            doc = BaseDocTemplate(
                target,
                pagesize=self.pagesize,
                leftMargin=left,
                rightMargin=right,
                topMargin=top,
                bottomMargin=bottom,
                title=info.title,
                author=info.organisation,
                subject=f"{info.kind}｜案件编号 {info.case_no}｜生成时间 {generated}",
                keywords=[info.kind, info.case_no, f"生成时间 {generated}"],
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

        if isinstance(out, (str, os.PathLike)):
            path = Path(out)
            fd, tmp_name = tempfile.mkstemp(prefix=".firecase-", suffix=".pdf", dir=path.parent)
            os.close(fd)
            try:
                doc = make_doc(tmp_name)
                doc.build(story)
                os.replace(tmp_name, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)
                raise
        else:
            doc = make_doc(out)
            doc.build(story)
        return BuiltReport(
            pages=int(doc.page),
            fonts=self.fonts.embedded_names(),
            fallback_chars=tuple(sorted(self.fonts.fallback_chars)),
        )
