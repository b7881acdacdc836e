"""The Word document's set-up for :mod:`firecase.reports.docx`: names, sizes and styles, the page.

The faces and sizes by role, the GB/T 9704 margins and the 22 × 28 grid, the paragraph and table
styles (``Title``, ``Heading 1``/``Heading 2``, ``Normal`` and FireCase's own), the header and
footer with the ``PAGE`` field, the core properties, the title's lines, and the low-level XML
helpers (elements in the order the schema wants, shading, indents). Text is cleaned of what XML
cannot hold (:func:`clean_text`) and every block is written inside :func:`_guard`, which names
its ``where`` in a :class:`DocxWriteError`.
"""

from __future__ import annotations

import contextlib
import math
import re
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph

from firecase.errors import FirecaseError
from firecase.reports import document as d
from firecase.reports.base import (
    BODY_LEADING,
    BODY_SIZE,
    DRAFT_SIZE,
    PAGE_NO_SIZE,
    SMALL_SIZE,
    TABLE_SIZE,
    format_datetime,
)

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
