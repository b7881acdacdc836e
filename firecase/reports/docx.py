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

import contextlib
import math
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table as WordTable, _Cell
from docx.text.paragraph import Paragraph as WordParagraph

from firecase.errors import FirecaseError
from firecase.paths import replace_atomically
from firecase.reports import document as d
from firecase.reports.base import (
    BODY_LEADING,
    BODY_SIZE,
    DRAFT_SIZE,
    MASTHEAD_MAX_SIZE,
    PAGE_NO_SIZE,
    SMALL_SIZE,
    TABLE_SIZE,
    BuiltReport,
    format_date,
    format_datetime,
)
from firecase.reports.data import Signatory
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

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体"
PAGE_NO_FONT = "宋体"  # GB/T 9704 7.5: 4号半角宋体阿拉伯数字
TITLE_SIZE = 22.0  # 二号
HEADER_SIZE = 10.5  # 五号
KV_SIZE = 12.0  # 小四, as the PDF's facts table

# Page set-up (mm): GB/T 9704 portrait; the clock sheet's landscape margins as base.py's.
_A4 = (210.0, 297.0)
PORTRAIT_MARGINS_MM = (37.0, 35.0, 28.0, 26.0)  # top, bottom, left, right
LANDSCAPE_MARGINS_MM = (28.0, 24.0, 30.0, 28.0)
GRID_LINES = 22
GRID_CHARS = 28
_HEADER_DISTANCE_MM = 20.0
_FOOTER_DISTANCE_MM = 18.0

_NUMBER_WIDTH = 0.07  # share of the 序号 column, as the PDF
_HEADER_FILL = "E6E6E6"
_SHADE_FILL = "D9D9D9"
_GROUP_FILL = "F2F2F2"
_BLACK = RGBColor(0, 0, 0)
_MASTHEAD_RED = RGBColor(0xD9, 0x00, 0x00)
_GREY = RGBColor(0x59, 0x59, 0x59)
_TWIPS_PER_PT = 20
_EMU_PER_TWIP = 635

_TITLE_STYLE = "Title"
_SUBTITLE_STYLE = "Subtitle"
_CELL_STYLE = "FC Table Text"
_CELL_HEADER_STYLE = "FC Table Header"
_CLOSING_STYLE = "FC Closing"
_CAPTION_STYLE = "FC Caption"
_FOOTNOTE_STYLE = "FC Footer Note"

# XML 1.0 cannot hold these (lxml refuses them); \t and \n are kept (tab, line break).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


class DocxWriteError(FirecaseError):
    """A block of the report could not be written into the Word document; ``where`` names
    the report field it came from."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        super().__init__(
            f"无法生成Word文档：“{where}”中的内容无法写入（{reason}）。"
            "请检查该处文字（例如从其他程序粘贴来的特殊字符）后重试。",
            field=where,
        )


def clean_text(text: str) -> str:
    """``text`` as the PDF prints it (:func:`firecase.reports.document.tidy`: no blank lines,
    no control characters), and so without anything XML cannot hold."""
    return _NOT_XML.sub("", d.tidy(text))


@contextlib.contextmanager
def _guard(where: str) -> Iterator[None]:
    """Turn any failure while writing one block into a :class:`DocxWriteError` naming it."""
    try:
        yield
    except FirecaseError:
        raise
    except Exception as exc:  # lxml, python-docx: anything is a failure of this block
        raise DocxWriteError(where, f"{type(exc).__name__}: {exc}") from exc


# --------------------------------------------------------------------------- low-level XML


def _set_fonts(rpr_owner: Any, name: str) -> None:
    """Name ``name`` for every script (ascii, hAnsi, eastAsia, cs); theme fonts removed.

    ``rpr_owner`` is an element with ``get_or_add_rPr`` (a style, a run) or a ``w:rPr``.
    """
    rpr = rpr_owner if rpr_owner.tag == qn("w:rPr") else rpr_owner.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in _THEME_FONT_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


# Schema order of the children that are set here by hand (Word refuses misordered XML).
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_TCPR_ORDER = (
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
    "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
)  # fmt: skip
_TBLPR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
)  # fmt: skip
_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
    "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
    "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
)  # fmt: skip
_ORDER = {
    "w:pPr": _PPR_ORDER,
    "w:rPr": _RPR_ORDER,
    "w:tcPr": _TCPR_ORDER,
    "w:tblPr": _TBLPR_ORDER,
}


def _child(parent: Any, tag: str) -> Any:
    """The child ``tag`` of ``parent``, inserted at its place in the schema order if missing
    (``w:pPr``, ``w:tcPr``, ``w:tblPr``; other parents get it appended)."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    found = OxmlElement(tag)
    order = next((o for k, o in _ORDER.items() if parent.tag == qn(k)), None)
    if order is None:
        parent.append(found)
        return found
    later = {qn(t) for t in order[order.index(tag) + 1 :]}
    for i, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(i, found)
            return found
    parent.append(found)
    return found


def _indent(ppr: Any, **attrs: int) -> None:
    """Set ``w:ind`` attributes, e.g. ``firstLineChars=200`` (hundredths of a character)."""
    ind = ppr.get_or_add_ind()
    for key, value in attrs.items():
        ind.set(qn(f"w:{key}"), str(value))


def _no_snap(ppr: Any) -> None:
    """Do not snap the paragraph to the character grid (small table and footer text)."""
    _child(ppr, "w:snapToGrid").set(qn("w:val"), "0")


def _shade(cell: _Cell, fill: str) -> None:
    shd = _child(cell._tc.get_or_add_tcPr(), "w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)


def _twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


# --------------------------------------------------------------------------- styles


def _style_font(
    style: Any,
    name: str,
    size: float,
    *,
    bold: bool = False,
    colour: RGBColor = _BLACK,
) -> None:
    font = style.font
    _set_fonts(style.element, name)
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    font.color.rgb = colour
    rpr = style.element.get_or_add_rPr()
    for tag in ("w:bCs", "w:iCs"):
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)
    for tag in ("w:spacing", "w:kern"):
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)


def _style_paragraph(
    style: ParagraphStyle,
    *,
    align: WD_ALIGN_PARAGRAPH,
    line: float | None,
    first_line_chars: int = 0,
    before: float = 0,
    after: float = 0,
) -> None:
    pf = style.paragraph_format
    pf.alignment = align
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if line is None:
        pf.line_spacing = 1.0
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line)
    ppr = style.element.get_or_add_pPr()
    _indent(
        ppr,
        firstLineChars=first_line_chars,
        firstLine=round(first_line_chars / 100 * BODY_SIZE * _TWIPS_PER_PT),
    )


def _paragraph_style(word: WordDocument, name: str) -> ParagraphStyle:
    styles = word.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.quick_style = True
    assert isinstance(style, ParagraphStyle)
    return style


def _make_styles(word: WordDocument) -> None:
    styles = word.styles
    # Document defaults: the body face, 三号, Chinese language; no theme fonts, no 10 pt after.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr_default, BODY_FONT)
    for tag in ("w:sz", "w:szCs"):
        rpr_default.find(qn(tag)).set(qn("w:val"), str(round(BODY_SIZE * 2)))
    lang = rpr_default.find(qn("w:lang"))
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    for attr in ("w:after", "w:line", "w:lineRule"):
        spacing.attrib.pop(qn(attr), None)

    normal = styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    _style_font(normal, BODY_FONT, BODY_SIZE)
    _style_paragraph(
        normal, align=WD_ALIGN_PARAGRAPH.JUSTIFY, line=BODY_LEADING, first_line_chars=200
    )
    normal.paragraph_format.widow_control = True

    title = _paragraph_style(word, _TITLE_STYLE)
    _style_font(title, TITLE_FONT, TITLE_SIZE)
    _style_paragraph(
        title, align=WD_ALIGN_PARAGRAPH.CENTER, line=TITLE_SIZE * 1.5, after=BODY_LEADING
    )
    ppr = title.element.get_or_add_pPr()
    for tag in ("w:pBdr", "w:contextualSpacing"):
        for el in ppr.findall(qn(tag)):
            ppr.remove(el)
    title.paragraph_format.keep_with_next = True
    _no_snap(ppr)  # 二号 characters would take two cells of the 三号 grid each

    subtitle = _paragraph_style(word, _SUBTITLE_STYLE)
    _style_font(subtitle, BODY_FONT, BODY_SIZE)
    ppr = subtitle.element.get_or_add_pPr()
    for el in ppr.findall(qn("w:numPr")):
        ppr.remove(el)
    _style_paragraph(
        subtitle, align=WD_ALIGN_PARAGRAPH.CENTER, line=BODY_LEADING, after=BODY_LEADING / 2
    )
    subtitle.paragraph_format.keep_with_next = True

    for level, face in ((1, HEADING1_FONT), (2, HEADING2_FONT)):
        heading = _paragraph_style(word, f"Heading {level}")
        _style_font(heading, face, BODY_SIZE)
        _style_paragraph(
            heading,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            line=BODY_LEADING,
            first_line_chars=200,
            before=BODY_LEADING / 4 if level == 1 else 0,
        )
        pf = heading.paragraph_format
        pf.keep_with_next = True
        pf.keep_together = True
        _child(heading.element.get_or_add_pPr(), "w:outlineLvl").set(qn("w:val"), str(level - 1))
        linked = styles.element.get_by_id(f"Heading{level}Char")
        if linked is not None:  # the character style Word applies to a selection
            char_style = styles[linked.name_val]
            _style_font(char_style, face, BODY_SIZE)

    cell = _paragraph_style(word, _CELL_STYLE)
    _style_font(cell, BODY_FONT, TABLE_SIZE)
    _style_paragraph(cell, align=WD_ALIGN_PARAGRAPH.LEFT, line=None)
    _no_snap(cell.element.get_or_add_pPr())
    header = _paragraph_style(word, _CELL_HEADER_STYLE)
    header.base_style = cell
    _style_font(header, HEADING1_FONT, TABLE_SIZE)
    _style_paragraph(header, align=WD_ALIGN_PARAGRAPH.CENTER, line=None)

    closing = _paragraph_style(word, _CLOSING_STYLE)
    _style_paragraph(closing, align=WD_ALIGN_PARAGRAPH.RIGHT, line=BODY_LEADING)
    _indent(closing.element.get_or_add_pPr(), rightChars=200, right=round(2 * BODY_SIZE * 20))
    closing.paragraph_format.keep_with_next = True

    caption = _paragraph_style(word, _CAPTION_STYLE)
    _style_font(caption, HEADING1_FONT, BODY_SIZE)
    _style_paragraph(caption, align=WD_ALIGN_PARAGRAPH.LEFT, line=BODY_LEADING)
    caption.paragraph_format.keep_with_next = True

    for name, size in (("Header", HEADER_SIZE), ("Footer", PAGE_NO_SIZE)):
        style = _paragraph_style(word, name)
        _style_font(style, BODY_FONT, size)
        _style_paragraph(style, align=WD_ALIGN_PARAGRAPH.LEFT, line=None)
        ppr = style.element.get_or_add_pPr()
        for el in ppr.findall(qn("w:tabs")):  # the template's centre/right stops of Letter
            ppr.remove(el)
        _no_snap(ppr)
    note = _paragraph_style(word, _FOOTNOTE_STYLE)
    note.base_style = styles["Footer"]
    _style_font(note, BODY_FONT, SMALL_SIZE, colour=_GREY)
    _style_paragraph(note, align=WD_ALIGN_PARAGRAPH.RIGHT, line=None)


# --------------------------------------------------------------------------- page


def _page_setup(word: WordDocument, doc: d.Document) -> tuple[int, int]:
    """A4 (landscape for the clock sheet), margins, grid; returns the text area in twips."""
    section = word.sections[0]
    width, height = _A4
    if doc.landscape:
        width, height = height, width
        section.orientation = WD_ORIENT.LANDSCAPE
        top, bottom, left, right = LANDSCAPE_MARGINS_MM
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        top, bottom, left, right = PORTRAIT_MARGINS_MM
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance = Mm(_HEADER_DISTANCE_MM)
    section.footer_distance = Mm(_FOOTER_DISTANCE_MM)
    section.gutter = Mm(0)
    text_w = _twips(width - left - right)
    text_h = _twips(height - top - bottom)
    pitch = _doc_grid(section._sectPr, text_w, text_h, landscape=doc.landscape)
    _fit_body_to_grid(word, pitch)
    return text_w, text_h


def _doc_grid(sect_pr: Any, text_w: int, text_h: int, *, landscape: bool) -> float:
    """``w:docGrid type=linesAndChars``: 22 lines × 28 characters on portrait A4 (GB/T 9704
    7.1: the line pitch is the text height / 22, the character pitch the text width / 28; Word
    stores the character pitch as the extra space over the default 三号 size, in 1/4096 pt).
    The landscape sheet keeps the body's own pitches (28 pt lines, 16 pt characters).
    Returns the character pitch in points."""
    if landscape:
        lines = max(1, int(text_h / (BODY_LEADING * _TWIPS_PER_PT)))
        chars = max(1, int(text_w / (BODY_SIZE * _TWIPS_PER_PT)))
    else:
        lines, chars = GRID_LINES, GRID_CHARS
    line_pitch = text_h // lines  # twips
    char_pitch_pt = text_w / chars / _TWIPS_PER_PT
    char_space = round((char_pitch_pt - BODY_SIZE) * 4096)
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.attrib.clear()
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(line_pitch))
    grid.set(qn("w:charSpace"), str(char_space))
    return char_pitch_pt


def _fit_body_to_grid(word: WordDocument, pitch: float) -> None:
    """Set 28 body characters a line in every program, not only in Word.

    Word squeezes a 16 pt character into the grid's 15.8 pt cell; LibreOffice gives it two
    cells, which breaks every line after about 14 characters. So the body styles do not snap
    to the character grid and are tracked in by the difference instead (−0.25 pt): Word, WPS
    and LibreOffice all set 28 characters a line, and the page set-up still reads 22 × 28.
    Styles in other sizes (title, tables, header, footer) keep their natural tracking.
    """
    tighten = min(0, math.floor((pitch - BODY_SIZE) * _TWIPS_PER_PT))
    normal = word.styles["Normal"].element
    _no_snap(normal.get_or_add_pPr())
    _child(normal.get_or_add_rPr(), "w:spacing").set(qn("w:val"), str(tighten))
    for name in (_TITLE_STYLE, _CELL_STYLE, "Header", "Footer"):
        _child(word.styles[name].element.get_or_add_rPr(), "w:spacing").set(qn("w:val"), "0")


def _field_runs(paragraph: WordParagraph, instruction: str, placeholder: str) -> None:
    """A complex field (``PAGE``): begin, instruction, separate, the shown result, end."""

    def run_with(el: Any) -> None:
        run = paragraph.add_run()
        _set_fonts(run._r, PAGE_NO_FONT)
        run._r.append(el)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    result = paragraph.add_run(placeholder)
    _set_fonts(result._r, PAGE_NO_FONT)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _header_footer(word: WordDocument, doc: d.Document, text_w: int) -> None:
    """Header: organisation left, case number right, a hairline under them. Footer: "— N —"
    on the outer side (odd pages right, even pages left, one character in from the edge) and
    the generation time, small, under it."""
    word.settings.odd_and_even_pages_header_footer = True
    section = word.sections[0]
    with _guard("页眉"):
        organisation = clean_text(doc.organisation)
        case_no = clean_text(f"案件编号：{doc.case_no}")
    with _guard("页脚"):
        note = clean_text(f"生成时间：{format_datetime(doc.generated_at)}")
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        if doc.official:  # an official document: no header, the page number only
            continue
        p = header.paragraphs[0]
        p.style = word.styles["Header"]
        p.paragraph_format.tab_stops.add_tab_stop(
            Emu(text_w * _EMU_PER_TWIP), WD_TAB_ALIGNMENT.RIGHT
        )
        with _guard("页眉"):
            p.add_run(organisation)
            p.add_run("\t")
            p.add_run(case_no)
        bottom = _child(_child(p._p.get_or_add_pPr(), "w:pBdr"), "w:bottom")
        for key, value in (("val", "single"), ("sz", "4"), ("space", "1"), ("color", "595959")):
            bottom.set(qn(f"w:{key}"), value)
        if doc.draft_mark:  # a version that may not be released: said on every page, in red
            mark = header.add_paragraph(style=word.styles["Header"])
            mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
            with _guard("草稿标记"):
                run = mark.add_run(clean_text(doc.draft_mark))
            run.bold = True
            run.font.size = Pt(DRAFT_SIZE)
            run.font.color.rgb = RGBColor(0xBF, 0x0D, 0x0D)
            _set_fonts(run._r, HEADING1_FONT)
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = word.styles["Footer"]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
        one_char = round(PAGE_NO_SIZE * _TWIPS_PER_PT)
        if odd:
            _indent(p._p.get_or_add_pPr(), right=one_char)
        else:
            _indent(p._p.get_or_add_pPr(), left=one_char)
        dash = p.add_run("— ")
        _set_fonts(dash._r, PAGE_NO_FONT)
        _field_runs(p, "PAGE", "1")
        dash = p.add_run(" —")
        _set_fonts(dash._r, PAGE_NO_FONT)
        if doc.official:
            continue
        small = footer.add_paragraph(style=word.styles[_FOOTNOTE_STYLE])
        with _guard("页脚"):
            small.add_run(note)


def _properties(word: WordDocument, doc: d.Document) -> None:
    props = word.core_properties
    generated = format_datetime(doc.generated_at)
    with _guard("文件属性"):
        props.title = clean_text(doc.title.replace("\n", ""))[:255]
        props.author = clean_text(doc.organisation)[:255]
        draft = f"｜{doc.draft_mark}" if doc.draft_mark else ""
        props.subject = clean_text(f"{doc.kind}｜案件编号 {doc.case_no}{draft}")[:255]
        keywords = f"{doc.kind}; {doc.case_no}; 生成时间 {generated}"
        if doc.draft_mark:
            keywords += f"; {doc.draft_mark}"
        if doc.fingerprint:
            keywords += f"; 公开版内容指纹 {doc.fingerprint}"
        if doc.anchor:
            keywords += f"; {d.anchor_keyword(doc.anchor)}"
        props.keywords = clean_text(keywords)[:255]
        props.category = clean_text(doc.kind)[:255]
        props.comments = clean_text(f"由 FireCase 生成，生成时间 {generated}")[:255]
        props.last_modified_by = "FireCase"
        props.language = "zh-CN"
        props.revision = 1
        props.created = _naive(doc.generated_at)
        props.modified = _naive(doc.generated_at)


def _naive(moment: datetime) -> datetime:
    """``moment`` as the naive UTC time the core properties hold (a naive ``moment`` is local
    time, as ``generated_at`` is), so Word shows the local time again."""
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)


# --------------------------------------------------------------------------- title


def _em_width(text: str) -> float:
    """Width in ems: full-width (and ambiguous, as Chinese fonts set them) 1, others ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


def _title_lines(text: str, text_w: int) -> tuple[str, ...]:
    """The title's lines: the officer's own breaks, else balanced lines broken between words
    (:func:`firecase.reports.titles.title_lines`, as the PDF), one 二号 character short of
    the text width on either side."""
    from firecase.reports.titles import title_lines

    available = text_w / _TWIPS_PER_PT - 2 * TITLE_SIZE
    lines = title_lines(text, available, lambda t: _em_width(t) * TITLE_SIZE)
    return tuple(lines) or (text,)


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
