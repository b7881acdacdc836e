"""The Word writer: a :class:`~firecase.reports.document.Document` as an editable .docx.

Receiving offices revise and seal the reports in WPS or Word, so the file is made of what those
programs edit well: real paragraph styles (``Title``, ``Heading 1``/``Heading 2`` with outline
levels, ``Normal`` body), real tables (borders, repeating header row, rows that may break across
pages), page numbers as a ``PAGE`` field, and the GB/T 9704-2012 page set-up — A4, margins top
37 mm, bottom 35 mm, left 28 mm, right 26 mm, a document grid of 22 lines × 28 characters; title
二号 小标宋, body 三号 仿宋 on an exact 28 pt line with a two-character first-line indent,
headings 黑体 / 楷体; page numbers "— N —" (四号) on the outer side (odd pages right, even pages
left). The landscape clock sheet uses the PDF's landscape margins.

Fonts are named, not embedded: Word and WPS substitute a face the machine lacks. A .docx has no
fixed page count (the program that opens it lays it out), so :class:`BuiltReport` says 0 pages.

Every text block is written inside a guard that names its ``where``: a failure becomes a
:class:`DocxWriteError` naming the report field. Characters XML cannot hold (C0 controls other
than tab and line feed, lone surrogates, U+FFFE/U+FFFF) are dropped; they are never visible.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import docx
from docx.document import Document as WordDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt
from docx.table import Table as WordTable, _Cell
from docx.text.paragraph import Paragraph as WordParagraph

from firecase.paths import replace_atomically
from firecase.reports import document as d
from firecase.reports.base import (
    BODY_LEADING,
    BODY_SIZE,
    MASTHEAD_MAX_SIZE,
    BuiltReport,
    format_date,
)
from firecase.reports.data import Signatory
from firecase.reports.docx_setup import (
    _CAPTION_STYLE,
    _CELL_HEADER_STYLE,
    _CELL_STYLE,
    _CLOSING_STYLE,
    _EMU_PER_TWIP,
    _FOOTNOTE_STYLE,
    _GROUP_FILL,
    _HEADER_FILL,
    _MASTHEAD_RED,
    _NUMBER_WIDTH,
    _SHADE_FILL,
    _SUBTITLE_STYLE,
    _TITLE_STYLE,
    _TWIPS_PER_PT,
    BODY_FONT,
    HEADING1_FONT,
    HEADING2_FONT,
    KV_SIZE,
    PAGE_NO_FONT,
    TITLE_FONT,
    TITLE_SIZE,
    DocxWriteError,
    _child,
    _em_width,
    _guard,
    _header_footer,
    _indent,
    _make_styles,
    _page_setup,
    _properties,
    _set_fonts,
    _shade,
    _title_lines,
    clean_text,
)
from firecase.textmarks import parse_line

__all__ = [
    "BODY_FONT",
    "HEADING1_FONT",
    "HEADING2_FONT",
    "TITLE_FONT",
    "DocxWriteError",
    "clean_text",
    "write_docx",
]

# --------------------------------------------------------------------------- writer


class _Writer:
    """Writes the blocks of one document into a python-docx document."""

    def __init__(self, doc: d.Document) -> None:
        self.doc = doc
        self.word: WordDocument = docx.Document()
        _make_styles(self.word)
        self.text_w, _ = _page_setup(self.word, doc)
        self.fonts: set[str] = {BODY_FONT, PAGE_NO_FONT}
        self._page_break = False
        self._last_was_table = False

    # -- paragraphs ---------------------------------------------------------------------------

    def _paragraph(self, style: str) -> WordParagraph:
        p = self.word.add_paragraph(style=self.word.styles[style])
        if self._page_break:
            p.paragraph_format.page_break_before = True
            self._page_break = False
        self._last_was_table = False
        return p

    def _before_table(self) -> None:
        if self._page_break:  # a table cannot start a page by itself: an empty paragraph can
            p = self.word.add_paragraph()
            p.add_run().add_break(WD_BREAK.PAGE)
            self._page_break = False
        elif self._last_was_table:  # two tables in a row would merge into one in Word
            self._gap()

    def _gap(self, points: float = BODY_LEADING / 4) -> None:
        p = self.word.add_paragraph()
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.paragraph_format.line_spacing = Pt(points)
        self._last_was_table = False

    def title(self, block: d.Title) -> None:
        with _guard(block.where):
            lines = _title_lines(clean_text(block.text), self.text_w)
            p = self._paragraph(_TITLE_STYLE)
            p.add_run("\n".join(lines))
        self.fonts.add(TITLE_FONT)

    def subtitle(self, block: d.Subtitle) -> None:
        with _guard(block.where):
            p = self._paragraph(_SUBTITLE_STYLE)
            if block.align == "right":  # a 文书's number under its title, 右空一字
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                _indent(p._p.get_or_add_pPr(), rightChars=100, right=round(BODY_SIZE * 20))
            p.add_run(clean_text(block.text))

    def masthead(self, block: d.Masthead) -> None:
        """The 版头 (GB/T 9704 7.2), as the PDF's: the red mark centred, as large as fits one
        line (a long name broken between words), the number centred — or 居左空一字 with the
        签发人 居右空一字 — and a red line as wide as the text block 4 mm under it."""
        with _guard(block.where):
            text = clean_text(block.organisation).replace("\n", "")
            width_pt = self.text_w / _TWIPS_PER_PT
            size = min(MASTHEAD_MAX_SIZE, width_pt / max(_em_width(text), 1.0))
            lines: Sequence[str] = (text,)
            if size < TITLE_SIZE:
                from firecase.reports.titles import title_lines

                lines = title_lines(text, width_pt, lambda t: _em_width(t) * (TITLE_SIZE + 4))
                size = min(MASTHEAD_MAX_SIZE, width_pt / max(max(map(_em_width, lines)), 1.0))
            size = math.floor(size * 0.98 * 2) / 2  # Word sizes in half points
            mark = self._paragraph("Normal")
            mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _indent(mark._p.get_or_add_pPr(), firstLineChars=0, firstLine=0)
            pf = mark.paragraph_format
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = Pt(size * 1.25)
            pf.keep_with_next = True
            run = mark.add_run("\n".join(lines))
            _set_fonts(run._r, TITLE_FONT)
            run.font.size = Pt(size)
            run.font.color.rgb = _MASTHEAD_RED
            _child(run._r.get_or_add_rPr(), "w:spacing").set(qn("w:val"), "0")
            self.fonts.add(TITLE_FONT)
            self._gap(BODY_LEADING)
            self.word.paragraphs[-1].paragraph_format.keep_with_next = True
        with _guard("发文字号"):
            line = self._paragraph("Normal")
            ppr = line._p.get_or_add_pPr()
            _indent(ppr, firstLineChars=0, firstLine=0)
            line.paragraph_format.keep_with_next = True
            line.paragraph_format.space_after = Pt(BODY_LEADING)
            if block.signer:
                one = round(BODY_SIZE * _TWIPS_PER_PT)
                _indent(ppr, leftChars=100, left=one, rightChars=100, right=one)
                line.alignment = WD_ALIGN_PARAGRAPH.LEFT
                line.paragraph_format.tab_stops.add_tab_stop(
                    Emu((self.text_w - 2 * one) * _EMU_PER_TWIP), WD_TAB_ALIGNMENT.RIGHT
                )
                line.add_run(clean_text(block.number))
                line.add_run("\t")
                line.add_run(clean_text(block.signer))
            else:
                line.alignment = WD_ALIGN_PARAGRAPH.CENTER
                line.add_run(clean_text(block.number))
            bottom = _child(_child(ppr, "w:pBdr"), "w:bottom")
            rule = (("val", "single"), ("sz", "8"), ("space", "11"), ("color", "D90000"))
            for key, value in rule:
                bottom.set(qn(f"w:{key}"), value)

    def heading(self, block: d.Heading) -> None:
        where = block.where or f"标题“{block.text}”"
        style = "Heading 1" if block.level == 1 else "Heading 2"
        with _guard(where):
            self._paragraph(style).add_run(clean_text(block.text))
        self.fonts.add(HEADING1_FONT if block.level == 1 else HEADING2_FONT)

    def paragraph(self, block: d.Paragraph) -> None:
        with _guard(block.where):
            p = self._paragraph("Normal")
            if not block.indent:
                _indent(p._p.get_or_add_pPr(), firstLineChars=0, firstLine=0)
            if block.keep_with_next:
                p.paragraph_format.keep_with_next = True
            if not block.marked:
                p.add_run(clean_text(block.text))
                return
            parsed = parse_line(clean_text(block.text))
            prefix = {"": "", "-": "• "}.get(parsed.marker, f"{parsed.marker} ")
            if prefix:
                p.add_run(prefix)
            for run in parsed.runs:
                r = p.add_run(run.text)
                if run.bold:  # emphasis in the heading face, as the PDF and official documents
                    _set_fonts(r._r, HEADING1_FONT)
                    self.fonts.add(HEADING1_FONT)

    def closing(self, block: d.Closing) -> None:
        organisation = clean_text(block.organisation)
        on = format_date(block.on, blank="年　　月　　日")
        if self.word.paragraphs and not self._last_was_table:
            # the last lines before the 落款 stay on its page (GB/T 9704 7.3.5: never alone)
            self.word.paragraphs[-1].paragraph_format.keep_with_next = True
        self._gap(BODY_LEADING)
        self.word.paragraphs[-1].paragraph_format.keep_with_next = True
        with _guard("落款单位"):
            self._paragraph(_CLOSING_STYLE).add_run(organisation)
        with _guard("落款日期"):
            p = self._paragraph(_CLOSING_STYLE)
            # GB/T 9704 7.3.5.1: the date's first character two characters right of the
            # organisation's, i.e. the date ends (len(org) - len(date)) characters from the
            # organisation's right end, which is 2 characters in from the margin.
            widest = max((_em_width(line) for line in organisation.split("\n")), default=0.0)
            shift = max(0.0, widest - _em_width(on))
            right = round(shift * 100)
            _indent(
                p._p.get_or_add_pPr(),
                rightChars=max(0, right),
                right=round(max(0, right) / 100 * BODY_SIZE * _TWIPS_PER_PT),
            )
            p.paragraph_format.keep_with_next = bool(block.note)
            p.add_run(on)
        if block.note:  # the 附注 (7.3.6): 居左空二字 on the line under the date
            with _guard("附注"):
                self._paragraph("Normal").add_run(clean_text(block.note))

    def attachments(self, block: d.Attachments) -> None:
        """The 附件说明 (GB/T 9704 7.3.4), as the PDF's: after a blank line, each name hung so
        that it wraps under its own first character, the numbered names aligned."""
        self._gap(BODY_LEADING)
        label = "附件："
        names = [clean_text(n) for n in block.names]
        for n, name in enumerate(names, start=1):
            number = f"{n}." if len(names) > 1 else ""
            shown = (label if n == 1 else "") + number
            left = 2 + _em_width(label) + _em_width(number)  # characters
            hang = _em_width(shown)
            with _guard(f"{block.where}第{n}项"):
                p = self._paragraph("Normal")
                p.alignment = WD_ALIGN_PARAGRAPH.LEFT
                one = BODY_SIZE * _TWIPS_PER_PT
                _indent(
                    p._p.get_or_add_pPr(),
                    leftChars=round(left * 100),
                    left=round(left * one),
                    hangingChars=round(hang * 100),
                    hanging=round(hang * one),
                    firstLineChars=0,
                )
                ind = p._p.get_or_add_pPr().get_or_add_ind()
                ind.attrib.pop(qn("w:firstLine"), None)
                p.add_run(shown + name)

    def page_break(self) -> None:
        self._page_break = True

    def spacer(self, block: d.Spacer) -> None:
        self._gap(BODY_LEADING * block.lines)

    def small_print(self, block: d.SmallPrint) -> None:
        """A line in small print (the audit chain's anchor under the signatures)."""
        with _guard(block.where):
            p = self._paragraph(_FOOTNOTE_STYLE)
            p.add_run(clean_text(block.text))

    # -- tables -------------------------------------------------------------------------------

    def _new_table(self, widths: Sequence[float], rows: int) -> tuple[WordTable, list[list[_Cell]]]:
        """A grid table of ``rows`` rows, columns of ``widths`` (shares of the text width)."""
        self._before_table()
        table = self.word.add_table(rows=rows, cols=len(widths))
        table.style = self.word.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        twips = [round(w * self.text_w) for w in widths]
        tbl_pr = table._tbl.tblPr
        tbl_w = _child(tbl_pr, "w:tblW")
        tbl_w.set(qn("w:w"), str(sum(twips)))
        tbl_w.set(qn("w:type"), "dxa")
        for column, w in zip(table.columns, twips, strict=True):
            column.width = Emu(w * _EMU_PER_TWIP)
        margins = _child(tbl_pr, "w:tblCellMar")
        for side, value in (("top", 40), ("left", 80), ("bottom", 40), ("right", 60)):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:w"), str(value))
            el.set(qn("w:type"), "dxa")
            margins.append(el)
        grid: list[list[_Cell]] = []
        for tr in table._tbl.tr_lst:  # one pass: python-docx's row.cells is quadratic
            cells = [_Cell(tc, table) for tc in tr.tc_lst]
            for cell, w in zip(cells, twips, strict=True):
                cell.width = Emu(w * _EMU_PER_TWIP)
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            grid.append(cells)
        self._last_was_table = True
        return table, grid

    @staticmethod
    def _header_row(table: WordTable) -> None:
        """Mark the first row as the header repeated on every page."""
        tr_pr = table._tbl.tr_lst[0].get_or_add_trPr()
        _child(tr_pr, "w:tblHeader").set(qn("w:val"), "true")

    def _fill(
        self, cell: _Cell, text: str, *, style: str = _CELL_STYLE, align: str = "left"
    ) -> WordParagraph:
        p: WordParagraph = cell.paragraphs[0]
        p.style = self.word.styles[style]
        if style == _CELL_STYLE:
            p.alignment = {
                "left": WD_ALIGN_PARAGRAPH.LEFT,
                "center": WD_ALIGN_PARAGRAPH.CENTER,
                "right": WD_ALIGN_PARAGRAPH.RIGHT,
            }[align]
        if text:
            p.add_run(clean_text(text))
        return p

    def _caption(self, text: str, where: str) -> None:
        with _guard(f"{where}标题"):
            p = self._paragraph(_CAPTION_STYLE)
            _indent(p._p.get_or_add_pPr(), firstLineChars=0, firstLine=0)
            p.add_run(clean_text(text))

    def table(self, block: d.Table) -> None:
        if block.caption:
            self._caption(block.caption, block.where)
        columns = list(block.columns)
        rows = [list(r) for r in block.rows]
        if block.numbered:
            share = 1 - _NUMBER_WIDTH
            columns = [
                d.Column("序号", _NUMBER_WIDTH, "center"),
                *(d.Column(c.header, c.width * share, c.align) for c in columns),
            ]
            rows = [[str(i), *r] for i, r in enumerate(rows, start=1)]
        table, grid = self._new_table([c.width for c in columns], len(rows) + 1)
        self._header_row(table)
        with _guard(block.where):
            for cell, col in zip(grid[0], columns, strict=True):
                self._fill(cell, col.header, style=_CELL_HEADER_STYLE)
                _shade(cell, _HEADER_FILL)
        shaded = set(block.shaded)
        for i, (cells, row) in enumerate(zip(grid[1:], rows, strict=True)):
            for cell, col, value in zip(cells, columns, row, strict=True):
                with _guard(f"{block.where}第{i + 1}行“{col.header}”"):
                    self._fill(cell, value, align=col.align)
                if i in shaded:
                    _shade(cell, _SHADE_FILL)
        self.fonts.add(HEADING1_FONT)

    def key_value_table(self, block: d.KeyValueTable) -> None:
        _table, grid = self._new_table([0.25, 0.75], len(block.pairs))
        for (label_cell, value_cell), (key, value) in zip(grid, block.pairs, strict=True):
            with _guard(block.where):
                label = self._fill(label_cell, key, style=_CELL_HEADER_STYLE)
                _shade(label_cell, _HEADER_FILL)
            with _guard(f"{block.where}“{key}”"):
                text = self._fill(value_cell, value)
            for p in (label, text):
                for run in p.runs:
                    run.font.size = Pt(KV_SIZE)
        self.fonts.add(HEADING1_FONT)

    def signature_table(self, block: d.SignatureTable) -> None:
        """Grouped by sub-group in order of first appearance; recused members left out
        (第十五条), as :meth:`~firecase.reports.builder.ReportBuilder.signature_table`."""
        groups: dict[str, list[Signatory]] = {}
        for s in block.signatories:
            if not s.recused:
                groups.setdefault(s.subgroup, []).append(s)
        columns = list(d.SIGNATURE_COLUMNS)
        count = 1 + sum(1 + len(members) for members in groups.values())
        table, grid = self._new_table([c.width for c in columns], count)
        self._header_row(table)
        with _guard(block.where):
            for cell, col in zip(grid[0], columns, strict=True):
                self._fill(cell, col.header, style=_CELL_HEADER_STYLE)
                _shade(cell, _HEADER_FILL)
        tr_list = table._tbl.tr_lst
        row = 1
        for group, members in groups.items():
            with _guard(f"{block.where}分组名称"):
                merged = grid[row][0].merge(grid[row][-1])
                p = self._fill(merged, group, style=_CELL_HEADER_STYLE)
                p.alignment = WD_ALIGN_PARAGRAPH.LEFT
                _shade(merged, _GROUP_FILL)
            row += 1
            for m in members:
                member_where = f"{block.where}（{group}）成员"
                unit = m.organisation + (f" {m.position}" if m.position else "")
                cells = grid[row]
                with _guard(f"{member_where}姓名"):
                    self._fill(cells[0], m.name, align="center")
                with _guard(f"{member_where}“{m.name}”的单位及职务"):
                    self._fill(cells[1], unit)
                with _guard(f"{member_where}“{m.name}”的调查组职务"):
                    self._fill(cells[2], m.role, align="center")
                self._fill(cells[3], "")
                tr_pr = tr_list[row].get_or_add_trPr()
                height = OxmlElement("w:trHeight")
                height.set(qn("w:val"), str(round(Mm(12) / _EMU_PER_TWIP)))
                height.set(qn("w:hRule"), WD_ROW_HEIGHT_RULE.AT_LEAST.xml_value or "atLeast")
                tr_pr.append(height)
                row += 1
        self.fonts.add(HEADING1_FONT)

    # -- whole document ----------------------------------------------------------------------

    def write(self) -> WordDocument:
        for block in self.doc.blocks:
            match block:
                case d.Title():
                    self.title(block)
                case d.Subtitle():
                    self.subtitle(block)
                case d.Masthead():
                    self.masthead(block)
                case d.Heading():
                    self.heading(block)
                case d.Paragraph():
                    self.paragraph(block)
                case d.Table():
                    self.table(block)
                case d.KeyValueTable():
                    self.key_value_table(block)
                case d.SignatureTable():
                    self.signature_table(block)
                case d.Closing():
                    self.closing(block)
                case d.Attachments():
                    self.attachments(block)
                case d.SmallPrint():
                    self.small_print(block)
                case d.PageBreak():
                    self.page_break()
                case d.Spacer():
                    self.spacer(block)
                case _:
                    raise TypeError(f"unknown block {block!r}")
        if self._last_was_table or not self.word.paragraphs:
            self._gap()  # Word wants a paragraph after the last table
        _header_footer(self.word, self.doc, self.text_w)
        _properties(self.word, self.doc)
        return self.word


def write_docx(doc: d.Document, out: Path | BinaryIO) -> BuiltReport:
    """Write ``doc`` as a Word document to ``out`` (a path, written atomically, or a binary
    stream). Nothing is written when a block fails (:class:`DocxWriteError` names it)."""
    writer = _Writer(doc)
    word = writer.write()
    if isinstance(out, (str, os.PathLike)):
        replace_atomically(Path(out), word.save)
    else:
        word.save(out)
    return BuiltReport(pages=0, fonts=tuple(sorted(writer.fonts)), fallback_chars=())
