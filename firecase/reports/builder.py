"""The report builder: checked, typeset paragraphs and tables, the page template, the PDF.

:class:`ReportBuilder` sets every block after GB/T 9704-2012 with the sizes, margins and grid of
:mod:`firecase.reports.base` and the flowables of :mod:`firecase.reports.flowables`; the page
decorations (header, footer, page numbers on the outer side, draft mark) are drawn by its
``_on_page``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import BinaryIO

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
)

from firecase.paths import replace_atomically
from firecase.reports.base import (
    _DRAFT_RED,
    _RULE_GREY,
    _TITLE_STROKE,
    BODY_LEADING,
    BODY_SIZE,
    CHARS_PER_LINE,
    DRAFT_SIZE,
    HEADER_SIZE,
    LANDSCAPE_MARGINS,
    MASTHEAD_MAX_SIZE,
    PAGE_NO_SIZE,
    PORTRAIT_MARGINS,
    SMALL_SIZE,
    TITLE_LEADING,
    TITLE_SIZE,
    BuiltReport,
    DocumentInfo,
    ReportBuildError,
    format_date,
    format_datetime,
)
from firecase.reports.flowables import (
    EnoughPages,
    _Closing,
    _Doc,
    _KeepWith,
    _Masthead,
)
from firecase.reports.fonts import FontConfig, FontSet
from firecase.reports.tables import (
    TableBlocks,
)
from firecase.reports.titles import title_lines
from firecase.reports.typeset import SetParagraph, units_of
from firecase.textmarks import parse_line


class ReportBuilder(TableBlocks):
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
        # named as the officer finds them: which entry, and where it is changed
        self._header_left = self.fonts.runs(
            info.organisation,
            self.fonts.body,
            "页眉中的单位名称（调查组名称、评估组牵头单位或“设置”中的单位）",
        )
        self._header_right = self.fonts.runs(
            f"案件编号：{info.case_no}",
            self.fonts.body,
            "页眉中的案件编号（编号前缀在“设置”中修改）",
        )
        self._footer_note = self.fonts.runs(
            f"生成时间：{format_datetime(info.generated_at)}", self.fonts.body, "页脚"
        )
        self._draft_mark = (
            self.fonts.runs(info.draft_mark, self.fonts.heading, "草稿标记")
            if info.draft_mark
            else []
        )
        # what every page repeats, measured and cut to its room once, not on each page (the
        # header never overprints the case number; the draft mark stays within the text block)
        self._header_right_w = self._runs_width(self._header_right, HEADER_SIZE)
        room = self.frame_width - self._header_right_w - 2 * HEADER_SIZE
        self._header_left = self._fit_runs(self._header_left, HEADER_SIZE, room)
        self._draft_mark = self._fit_runs(
            self._draft_mark, DRAFT_SIZE, self.frame_width, self.fonts.heading, "草稿标记"
        )
        self._draft_mark_w = self._runs_width(self._draft_mark, DRAFT_SIZE)

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

    def _draw_runs(
        self, canv: Canvas, runs: list[tuple[str, str]], x: float, y: float, size: float
    ) -> None:
        """Draw font runs starting at ``x`` on baseline ``y``."""
        for font, chunk in runs:
            canv.setFont(font, size)
            canv.drawString(x, y, chunk)
            x += stringWidth(chunk, font, size)

    def _fit_runs(
        self,
        runs: list[tuple[str, str]],
        size: float,
        room: float,
        face: str | None = None,
        where: str = "页眉",
    ) -> list[tuple[str, str]]:
        """``runs`` cut to ``room`` points with a closing "…" in ``face`` (default the body's;
        a page header never overprints)."""
        if self._runs_width(runs, size) <= room:
            return runs
        ellipsis = ("…", self.fonts.face_for("…", face or self.fonts.body, where))
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
        self._draw_runs(canv, self._header_left, left, rule_y + 2 * mm, HEADER_SIZE)
        right_x = page_w - right - self._header_right_w
        self._draw_runs(canv, self._header_right, right_x, rule_y + 2 * mm, HEADER_SIZE)
        canv.setStrokeColor(_RULE_GREY)
        canv.setLineWidth(0.5)
        canv.line(left, rule_y, page_w - right, rule_y)
        if self._draft_mark:  # a version that may not be released: said on every page, in red
            canv.setFillColor(_DRAFT_RED)
            mark_x = (page_w - self._draft_mark_w) / 2
            self._draw_runs(canv, self._draft_mark, mark_x, page_h - 16 * mm, DRAFT_SIZE)
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

    def build(self, story: list[Flowable], out: Path | BinaryIO, *, pages: int = 0) -> BuiltReport:
        """Write the PDF to ``out`` (a path, written atomically, or a binary stream).

        A layout failure raises :class:`ReportBuildError` naming the part being placed;
        nothing is written. ``pages``: only the first that many pages are typeset (a
        preview's first page while the rest is built; nothing on them depends on the pages
        after: the footer gives the page number, not the count).
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
            doc.stop_after = pages
            try:
                doc.build(story)
            except EnoughPages:  # the pages asked for are laid out: the rest is not typeset
                doc.canv.showPage()
                doc.canv.save()
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
