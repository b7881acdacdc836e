"""The reports as Word documents: read back with python-docx, compared with their Document."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from firecase.reports import document as d, docx as writer
from firecase.reports.base import LANDSCAPE_MARGINS, format_datetime
from firecase.reports.clock_sheet import clock_sheet_document
from firecase.reports.evaluation import evaluation_document
from firecase.reports.investigation import investigation_document
from firecase.reports.public import public_document
from firecase.textmarks import parse_line

from . import samples

MM_PER_PT = 25.4 / 72

DOCUMENTS: dict[str, Callable[[], d.Document]] = {
    "investigation": lambda: investigation_document(
        samples.investigation_sample(), generated_at=samples.GENERATED_AT
    ),
    "evaluation": lambda: evaluation_document(
        samples.evaluation_sample(), generated_at=samples.GENERATED_AT
    ),
    "public": lambda: public_document(samples.public_sample(), generated_at=samples.GENERATED_AT),
    "clocks": lambda: clock_sheet_document(
        samples.clock_sheet_sample(), generated_at=samples.GENERATED_AT
    ),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[d.Document, Path, Any]]:
    """Each sample report as a Document, its .docx and the .docx opened again."""
    out = tmp_path_factory.mktemp("docx")
    result: dict[str, tuple[d.Document, Path, Any]] = {}
    for kind, make in DOCUMENTS.items():
        document = make()
        path = out / f"{kind}.docx"
        report = writer.write_docx(document, path)
        assert report.pages == 0  # Word lays the pages out itself
        assert "仿宋" in report.fonts and "方正小标宋简体" in report.fonts
        result[kind] = (document, path, docx.Document(str(path)))
    return result


def _open(document: d.Document) -> Any:
    buffer = io.BytesIO()
    writer.write_docx(document, buffer)
    buffer.seek(0)
    return docx.Document(buffer)


def _plain(block: d.Paragraph) -> str:
    if not block.marked:
        return block.text
    line = parse_line(block.text)
    prefix = {"": "", "-": "• "}.get(line.marker, f"{line.marker} ")
    return prefix + line.plain


def _body_paragraphs(word: Any) -> list[Any]:
    return [p for p in word.paragraphs if p.text.strip()]


KINDS = list(DOCUMENTS)


@pytest.mark.parametrize("kind", KINDS)
def test_headings_are_real_heading_styles_in_order(built: dict[str, Any], kind: str) -> None:
    document, _path, word = built[kind]
    expected = [(f"Heading {b.level}", b.text) for b in document.blocks if isinstance(b, d.Heading)]
    found = [
        (p.style.name, p.text)
        for p in word.paragraphs
        if p.style.name in ("Heading 1", "Heading 2")
    ]
    assert found == expected
    assert len(expected) >= {"investigation": 8, "evaluation": 4, "public": 3, "clocks": 0}[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_every_text_block_is_a_paragraph_in_order(built: dict[str, Any], kind: str) -> None:
    document, _path, word = built[kind]
    expected: list[str] = []
    for b in document.blocks:
        match b:
            case d.Title(text):
                expected.append(text.replace("\n", ""))
            case d.Subtitle(text) | d.Heading(text):
                expected.append(text)
            case d.Paragraph():
                expected.append(_plain(b))
            case d.Closing(organisation, on):
                expected += [organisation, writer.format_date(on, blank="年　　月　　日")]
    found = [p.text.replace("\n", "") for p in _body_paragraphs(word)]
    assert found == expected


@pytest.mark.parametrize("kind", KINDS)
def test_title_is_the_title_style_on_balanced_lines(built: dict[str, Any], kind: str) -> None:
    document, _path, word = built[kind]
    title = next(b for b in document.blocks if isinstance(b, d.Title))
    first = _body_paragraphs(word)[0]
    assert first.style.name == "Title"
    assert first.text.replace("\n", "") == title.text.replace("\n", "")
    lines = first.text.split("\n")
    text_width_pt = (297 - 30 - 28 if document.landscape else 210 - 28 - 26) / MM_PER_PT
    if len(title.text) * 22 > text_width_pt - 44:  # too long for one 二号 line: balanced lines
        assert len(lines) >= 2
        assert max(map(len, lines)) - min(map(len, lines)) <= max(4, len(title.text) // 4)


def test_officer_line_breaks_in_the_title_are_kept() -> None:
    doc = d.Document("报告", "甲", "单位", "X1", samples.GENERATED_AT, (d.Title("第一行\n第二行"),))
    assert _body_paragraphs(_open(doc))[0].text == "第一行\n第二行"


def _tables_of(document: d.Document) -> list[d.Table | d.KeyValueTable | d.SignatureTable]:
    return [
        b for b in document.blocks if isinstance(b, d.Table | d.KeyValueTable | d.SignatureTable)
    ]


def _is_header(row: Any) -> bool:
    tr_pr = row._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


@pytest.mark.parametrize("kind", KINDS)
def test_tables_have_their_header_cells_and_rows(built: dict[str, Any], kind: str) -> None:
    document, _path, word = built[kind]
    blocks = _tables_of(document)
    assert len(word.tables) == len(blocks)
    assert len(blocks) >= (0 if kind == "public" else 1)
    for block, table in zip(blocks, word.tables, strict=True):
        rows = table.rows
        for row in rows:  # rows may break across pages
            assert row._tr.trPr is None or row._tr.trPr.find(qn("w:cantSplit")) is None
        match block:
            case d.Table():
                headers = [c.header for c in block.columns]
                if block.numbered:
                    headers = ["序号", *headers]
                assert [c.text for c in rows[0].cells] == headers
                assert len(rows) == len(block.rows) + 1
                assert _is_header(rows[0]) and not any(_is_header(r) for r in rows[1:])
                for i, values in enumerate(block.rows, start=1):
                    cells = [c.text for c in rows[i].cells]
                    assert cells == ([str(i), *values] if block.numbered else list(values))
                widths = [c.width for c in rows[0].cells]
                shares = [c.width for c in block.columns]
                if not block.numbered:
                    total = sum(widths)
                    for w, share in zip(widths, shares, strict=True):
                        assert w / total == pytest.approx(share, abs=0.002)
            case d.KeyValueTable():
                assert [(r.cells[0].text, r.cells[1].text) for r in rows] == list(block.pairs)
            case d.SignatureTable():
                assert [c.text for c in rows[0].cells] == [
                    "姓名",
                    "单位及职务",
                    "调查组职务",
                    "签名",
                ]
                assert _is_header(rows[0])
                names = [r.cells[0].text for r in rows[1:]]
                active = [s for s in block.signatories if not s.recused]
                for s in active:
                    assert s.name in names
                for s in block.signatories:
                    if s.recused:
                        assert s.name not in names
                groups = list(dict.fromkeys(s.subgroup for s in active))
                assert len(rows) == 1 + len(groups) + len(active)


def test_recused_member_is_not_in_the_signature_table() -> None:
    data = samples.investigation_sample()
    data = replace(data, signatories=(*data.signatories, samples.RECUSED))
    word = _open(investigation_document(data, generated_at=samples.GENERATED_AT))
    text = "".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    assert samples.RECUSED.name not in text
    assert samples.SIGNATORIES[0].name in text


def test_overdue_clock_rows_are_shaded(built: dict[str, Any]) -> None:
    document, _path, word = built["clocks"]
    block = next(b for b in document.blocks if isinstance(b, d.Table))
    assert block.shaded  # the sample has an overdue clock
    table = word.tables[0]
    for i in range(len(block.rows)):
        tc_pr = table.rows[i + 1].cells[0]._tc.tcPr
        shd = tc_pr.find(qn("w:shd"))
        fill = shd.get(qn("w:fill")) if shd is not None else None
        assert (fill == "D9D9D9") == (i in block.shaded)


@pytest.mark.parametrize("kind", KINDS)
def test_page_size_margins_orientation_and_grid(built: dict[str, Any], kind: str) -> None:
    document, _path, word = built[kind]
    section = word.sections[0]
    if document.landscape:
        assert section.orientation == WD_ORIENT.LANDSCAPE
        size = (297, 210)
        top, bottom, left, right = (m * MM_PER_PT for m in LANDSCAPE_MARGINS)
    else:
        assert section.orientation == WD_ORIENT.PORTRAIT
        size = (210, 297)
        top, bottom, left, right = 37, 35, 28, 26
    assert section.page_width.mm == pytest.approx(size[0], abs=0.1)
    assert section.page_height.mm == pytest.approx(size[1], abs=0.1)
    assert section.top_margin.mm == pytest.approx(top, abs=0.1)
    assert section.bottom_margin.mm == pytest.approx(bottom, abs=0.1)
    assert section.left_margin.mm == pytest.approx(left, abs=0.1)
    assert section.right_margin.mm == pytest.approx(right, abs=0.1)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid is not None and grid.get(qn("w:type")) == "linesAndChars"
    text_w_pt = (size[0] - left - right) / MM_PER_PT
    text_h_pt = (size[1] - top - bottom) / MM_PER_PT
    line_pitch_pt = int(grid.get(qn("w:linePitch"))) / 20
    char_pitch_pt = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    if not document.landscape:  # GB/T 9704: 22 lines of 28 characters
        assert text_h_pt / line_pitch_pt == pytest.approx(22, abs=0.05)
        assert text_w_pt / char_pitch_pt == pytest.approx(28, abs=0.05)


def test_body_style_is_fangsong_sanhao_on_28_point_lines(built: dict[str, Any]) -> None:
    _document, _path, word = built["investigation"]
    normal = word.styles["Normal"]
    fonts = normal.element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋" and fonts.get(qn("w:ascii")) == "仿宋"
    assert normal.font.size == Pt(16)
    pf = normal.paragraph_format
    assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY and pf.line_spacing == Pt(28)
    assert pf.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    ind = normal.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    # 28 characters of 16 pt less their tracking fit the 156 mm line
    tracking = int(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    assert 28 * (16 + tracking) <= (210 - 28 - 26) / MM_PER_PT < 29 * (16 + tracking)


@pytest.mark.parametrize(
    ("name", "face", "size", "outline"),
    [
        ("Heading 1", "黑体", 16, "0"),
        ("Heading 2", "楷体", 16, "1"),
        ("Title", "方正小标宋简体", 22, None),
    ],
)
def test_heading_and_title_styles(
    built: dict[str, Any], name: str, face: str, size: int, outline: str | None
) -> None:
    _document, _path, word = built["investigation"]
    style = word.styles[name]
    rpr = style.element.rPr
    fonts = rpr.rFonts
    assert fonts.get(qn("w:eastAsia")) == face
    for theme in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme"):
        assert fonts.get(qn(theme)) is None
    assert style.font.size == Pt(size)
    assert style.font.bold is False
    color = rpr.find(qn("w:color"))
    assert color.get(qn("w:val")) == "000000" and color.get(qn("w:themeColor")) is None
    level = style.element.pPr.find(qn("w:outlineLvl"))
    if outline is None:
        assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert style.element.pPr.find(qn("w:pBdr")) is None  # the template's blue rule
    else:
        assert level.get(qn("w:val")) == outline


@pytest.mark.parametrize("kind", KINDS)
def test_header_footer_and_page_numbers(built: dict[str, Any], kind: str) -> None:
    document, _path, word = built[kind]
    section = word.sections[0]
    assert word.settings.odd_and_even_pages_header_footer
    for header in (section.header, section.even_page_header):
        text = header.paragraphs[0].text
        assert document.organisation in text and f"案件编号：{document.case_no}" in text
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        number = footer.paragraphs[0]
        assert number.alignment == align  # the outer side of the page
        instructions = [el.text for el in number._p.iter(qn("w:instrText"))]
        assert [i.strip() for i in instructions] == ["PAGE"]
        assert number.text.startswith("— ") and number.text.endswith(" —")
        assert all(r.font.size in (None, Pt(14)) for r in number.runs)
        assert word.styles["Footer"].font.size == Pt(14)
        generated = f"生成时间：{format_datetime(document.generated_at)}"
        assert footer.paragraphs[1].text == generated


@pytest.mark.parametrize("kind", KINDS)
def test_core_properties(built: dict[str, Any], kind: str) -> None:
    document, _path, word = built[kind]
    props = word.core_properties
    assert props.title == document.title.replace("\n", "")
    assert props.author == document.organisation
    assert document.kind in props.subject and document.case_no in props.subject
    assert document.case_no in props.keywords and document.kind in props.keywords
    # stored in UTC (the generation time is local), so Word shows the local time again
    created = document.generated_at.astimezone(dt.UTC)
    assert props.created == created


def test_closing_is_right_aligned_two_characters_in(built: dict[str, Any]) -> None:
    document, _path, word = built["investigation"]
    closing = next(b for b in document.blocks if isinstance(b, d.Closing))
    paragraphs = _body_paragraphs(word)
    index = next(i for i, p in enumerate(paragraphs) if p.text == closing.organisation)
    organisation, on = paragraphs[index], paragraphs[index + 1]
    assert on.text == writer.format_date(closing.on)
    for p in (organisation, on):
        assert p.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert organisation.style.element.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "200"


def test_page_break_starts_the_signature_page(built: dict[str, Any]) -> None:
    _document, _path, word = built["investigation"]
    heading = next(p for p in word.paragraphs if p.text == "火灾事故调查组成员签名")
    assert heading.paragraph_format.page_break_before


def test_marked_paragraphs_bold_in_heiti_and_list_items() -> None:
    blocks = (
        d.Paragraph("本段**重点**内容", "甲", marked=True),
        d.Paragraph("- 列表项", "乙", marked=True),
        d.Paragraph("3. 第三项", "丙", marked=True),
        d.Paragraph("不缩进", "丁", indent=False),
    )
    word = _open(d.Document("报告", "题", "单位", "X1", samples.GENERATED_AT, blocks))
    first, bullet, numbered, flush = _body_paragraphs(word)
    assert [r.text for r in first.runs] == ["本段", "重点", "内容"]
    assert first.runs[1]._r.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert first.runs[0]._r.rPr is None
    assert bullet.text == "• 列表项" and numbered.text == "3. 第三项"
    assert flush._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "0"


def test_large_table_and_long_paragraph_build() -> None:
    columns = (d.Column("项目", 0.3), d.Column("说明", 0.7))
    rows = [[f"第{i}项", "说明文字" * 12] for i in range(300)]
    long_text = ("火灾调查" * 5000)[:20000]
    blocks = (
        d.Title("大表格"),
        d.table(columns, rows, "大表", numbered=True),
        d.Paragraph(long_text, "长段落"),
    )
    word = _open(d.Document("报告", "大表格", "单位", "X1", samples.GENERATED_AT, blocks))
    table = word.tables[0]
    assert len(table.rows) == 301
    assert table.rows[300].cells[0].text == "300"
    assert any(p.text == long_text for p in word.paragraphs)


def test_control_characters_are_dropped() -> None:
    bad = "起\x00火\x01点\x08在\x0b仓\x0c库\x1f\ufffe内"
    blocks = (
        d.Title("标题\x00一"),
        d.Heading("一、\x07概况", 1, "概况"),
        d.Paragraph(bad, "正文"),
        d.table((d.Column("栏\x02目", 1.0),), [["格\x03子"]], "表"),
        d.Closing("单\x04位", None),
    )
    doc = d.Document("报告\x05", "题\x06", "组织\x0e", "X\x101", samples.GENERATED_AT, blocks)
    word = _open(doc)
    texts = [p.text for p in _body_paragraphs(word)]
    # vertical tab and form feed are line breaks, as in the PDF (document.tidy)
    assert texts[:3] == ["标题一", "一、概况", "起火点在\n仓\n库内"]
    assert "单位" in texts
    assert [c.text for r in word.tables[0].rows for c in r.cells] == ["栏目", "格子"]
    assert word.sections[0].header.paragraphs[0].text == "组织\t案件编号：X1"
    assert word.core_properties.title == "题"


def test_a_failing_block_names_its_field_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = writer.clean_text

    def failing(text: str) -> str:
        if text == "坏字":
            raise ValueError("cannot write")
        return real(text)

    monkeypatch.setattr(writer, "clean_text", failing)
    columns = (d.Column("责任人员", 0.5), d.Column("依据", 0.5))
    blocks = (d.table(columns, [["甲", "好"], ["乙", "坏字"]], "处理建议表"),)
    doc = d.Document("报告", "题", "单位", "X1", samples.GENERATED_AT, blocks)
    out = tmp_path / "x.docx"
    with pytest.raises(writer.DocxWriteError) as caught:
        writer.write_docx(doc, out)
    assert caught.value.field == "处理建议表第2行“依据”"
    assert "处理建议表第2行“依据”" in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_clock_sheet_landscape_margins_are_the_pdf_ones(built: dict[str, Any]) -> None:
    document, _path, word = built["clocks"]
    assert document.landscape
    section = word.sections[0]
    assert section.page_width > section.page_height
    assert section.left_margin == pytest.approx(Mm(LANDSCAPE_MARGINS[2] * MM_PER_PT), rel=1e-3)
