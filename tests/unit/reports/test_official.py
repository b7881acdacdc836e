"""The documents of the procedure as Documents and files: 版头, number, addressee, headings,
table, 附件说明, 落款, 附注 and 抄送 where GB/T 9704 puts them, in both writers."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import docx
from docx.oxml.ns import qn
from pypdf import PdfReader

from firecase.reports import document as d
from firecase.reports.official import (
    OfficialText,
    build_official_docx,
    build_official_pdf,
    official_document,
)

AT = dt.datetime(2026, 6, 1, 9, 0)

NOTICE = OfficialText(
    kind="team_notice",
    kind_label="成立调查组的通知",
    case_no="天消调〔2026〕第001号",
    organisation="天门市消防救援大队",
    title="关于成立天门市“3·14”火灾事故调查组的通知",
    number="天消发〔2026〕1号",
    addressee="天门市公安局、天门市应急管理局",
    body=(
        "依据有关规定，决定成立调查组。现将有关事项通知如下：",
        "一、调查组组成",
        "（一）综合组",
        "（一）这是一段以项号开头、长度超过三十个字因而不是标题而是正文的段落，应照正文排。",
    ),
    table=(("委托事项", "锂电池组检验"),),
    after_table=("检验时间不计入调查期限。",),
    attachments=("调查组成员名单", "专项小组职责和分工的说明（一个较长的附件名称需要回行）"),
    signature="天门市消防救援大队",
    on=dt.date(2026, 3, 15),
    note="联系人：刘志强",
    copy_to="天门市人民政府",
    masthead="天门市消防救援大队",
)


def test_the_blocks_stand_where_gb_t_9704_puts_them() -> None:
    doc = official_document(NOTICE, generated_at=AT)
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == [
        "Masthead", "Title", "Paragraph", "Paragraph", "Heading", "Heading", "Paragraph",
        "KeyValueTable", "Paragraph", "Attachments", "Closing", "Spacer", "Paragraph",
    ]  # fmt: skip
    masthead = doc.blocks[0]
    assert isinstance(masthead, d.Masthead) and masthead.number == "天消发〔2026〕1号"
    addressee = doc.blocks[2]
    assert isinstance(addressee, d.Paragraph) and addressee.text.endswith("：")
    assert not addressee.indent  # 主送机关 flush left
    levels = [b.level for b in doc.blocks if isinstance(b, d.Heading)]
    assert levels == [1, 2]
    assert doc.official and doc.kind == "成立调查组的通知"
    assert doc.blocks[-1] == d.Paragraph("抄送：天门市人民政府", "抄送", indent=False)
    # the 附注 stays with the 落款 and its date (never alone on a page)
    assert doc.blocks[-3] == d.Closing(
        "天门市消防救援大队", dt.date(2026, 3, 15), "（联系人：刘志强）"
    )
    # a 文书 without 版头: the number under the title, flush right
    plain = official_document(
        OfficialText("recusal_decision", "回避决定书", "X", "Y", "回避决定书", number="第1号"),
        generated_at=AT,
    )
    assert plain.blocks[:2] == (d.Title("回避决定书"), d.Subtitle("第1号", "文号", align="right"))


def test_the_pdf_reads_in_order_with_the_page_number_only(tmp_path: Path) -> None:
    out = tmp_path / "通知.pdf"
    built = build_official_pdf(NOTICE, out, generated_at=AT, anchor="12:" + "ab" * 32)
    assert built.pages >= 1
    reader = PdfReader(out)
    words = "".join("".join((p.extract_text() or "").split()) for p in reader.pages)
    order = ["天门市消防救援大队", "天消发〔2026〕1号", "关于成立", "天门市公安局",
             "一、调查组组成", "委托事项", "附件：1.调查组成员名单", "2.专项小组职责",
             "2026年3月15日", "（联系人：刘志强）", "抄送：天门市人民政府"]  # fmt: skip
    positions = [words.index(w) for w in order]
    assert positions == sorted(positions)
    assert "生成时间" not in words and "案件编号" not in words  # no report header or footer
    assert "—1—" in words  # the page number
    assert "firecase-anchor=12:" in str(reader.metadata.get("/Keywords"))


def test_the_word_document_has_the_red_masthead_hung_attachments_and_the_number(
    tmp_path: Path,
) -> None:
    out = tmp_path / "通知.docx"
    build_official_docx(NOTICE, out, generated_at=AT)
    word = docx.Document(str(out))
    paragraphs = [p for p in word.paragraphs if p.text.strip()]
    mark, number = paragraphs[0], paragraphs[1]
    assert mark.text == "天门市消防救援大队"
    assert str(mark.runs[0].font.color.rgb) == "D90000"
    assert number.text == "天消发〔2026〕1号"
    border = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert border.get(qn("w:color")) == "D90000"  # the red separator line
    second = next(p for p in paragraphs if p.text.startswith("2."))
    ind = second._p.pPr.find(qn("w:ind"))
    assert int(ind.get(qn("w:hangingChars"))) > 0 and int(ind.get(qn("w:leftChars"))) > 200
    header = word.sections[0].header
    assert not "".join(p.text for p in header.paragraphs).strip()  # no report header
    texts = [p.text for p in paragraphs]
    assert texts.index("天门市公安局、天门市应急管理局：") < texts.index("一、调查组组成")
    assert texts[-1] == "抄送：天门市人民政府"


def test_a_name_the_segmenter_cannot_read_is_not_broken() -> None:
    from firecase.reports.titles import title_lines

    # jieba reads "华纺纺织" as 华 / 纺 / 纺织: a run of single characters stays together
    title = "关于报送天门经济开发区华纺纺织有限公司仓库“1·9”较大火灾事故调查报告的函"
    lines = title_lines(title, 18)
    assert "".join(lines) == title
    assert all(not line.endswith(("华", "纺")) for line in lines)
    assert any(line.startswith("华纺纺织有限公司") for line in lines)


def _title_y(path: Path) -> float:
    """The height on page 1 at which the title "关于成立…" begins."""
    found: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.startswith("关于") and not found:
            found.append(tm[5] * cm[3] + cm[5])

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    assert found, "no title on page 1"
    return found[0]


def test_a_number_not_yet_given_leaves_its_line_in_the_masthead(tmp_path: Path) -> None:
    """The receiving office's finding: a notice issued in the government's name (its office
    gives the number) went from the red mark straight to the red line, leaving nowhere to
    write the 发文字号. The line stands empty where the number goes (GB/T 9704 7.2.4)."""
    numbered, blank = tmp_path / "numbered.pdf", tmp_path / "blank.pdf"
    build_official_pdf(NOTICE, numbered, generated_at=AT)
    build_official_pdf(replace(NOTICE, number=""), blank, generated_at=AT)
    assert abs(_title_y(numbered) - _title_y(blank)) < 0.5
