"""What the printed reports say: headings, members, confidential fields, page furniture."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader

from firecase.reports import evaluation, investigation
from firecase.reports.base import format_date, format_yuan
from firecase.reports.clock_sheet import COLUMNS, build_clock_sheet_pdf
from firecase.reports.data import ResponsibilityArea

from . import samples
from .pdftext import Built, Extractor, pypdf_pages, squash

# Header and footer are drawn before the page's body: organisation, case number, page number,
# generation time. Strip them so a paragraph broken across pages reads as one.
_FURNITURE = re.compile(r"^.*?生成时间：\d+年\d+月\d+日\d{1,2}:\d{2}")


def _all(pages: list[str]) -> str:
    """The body text of all pages, page furniture removed."""
    return "".join(_FURNITURE.sub("", page, count=1) for page in pages)


def test_investigation_is_several_pages(built_reports: dict[str, Built]) -> None:
    assert built_reports["investigation"].result.pages >= 5


def test_investigation_has_every_heading(
    built_reports: dict[str, Built], extract: Extractor
) -> None:
    text = _all(extract(built_reports["investigation"].path))
    data = samples.investigation_sample()
    expected = [
        *investigation.SECTION_HEADINGS,
        investigation.SIGNATURE_HEADING,
        investigation.ANNEX_HEADING,
        "（一）直接原因",
        "（二）间接原因",
        "（一）事故责任认定",
        "（二）对事故责任者的处理建议",
        "调查组成员不同意见",
        *(area.value for area in ResponsibilityArea),
        squash(data.title),
    ]
    for heading in expected:
        assert squash(heading) in text, heading


def test_investigation_prints_the_tables(
    built_reports: dict[str, Built], extract: Extractor
) -> None:
    text = _all(extract(built_reports["investigation"].path))
    data = samples.investigation_sample()
    for row in data.casualty_loss:
        assert squash(row.item) in text
        assert format_yuan(row.amount_yuan) in text
    for rec in data.recommendations:
        assert squash(rec.kind) in text and squash(rec.authority) in text
    for measure in data.rectification_measures:
        assert format_date(measure.deadline, blank="—") in text
    for item in data.evidence:
        assert item.sha256_short in text
    for dissent in data.dissents:
        assert f"{dissent.member}（{format_date(dissent.on)}）" in text
    assert format_yuan(data.fire.direct_loss_yuan) in text


def _signature_page(pages: list[str]) -> str:
    heading = squash(investigation.SIGNATURE_HEADING)
    found = [p for p in pages if heading in p]
    assert len(found) == 1
    return found[0]


def test_signature_table_lists_every_active_member_once(
    built_reports: dict[str, Built], extract: Extractor
) -> None:
    page = _signature_page(extract(built_reports["investigation"].path))
    for member in samples.SIGNATORIES:
        assert page.count(member.name) == 1, member.name
    for group in ("调查组领导", "综合组", "技术组", "管理组"):
        assert group in page


def test_recused_member_does_not_sign(built_reports: dict[str, Built], extract: Extractor) -> None:
    pages = extract(built_reports["investigation"].path)
    assert samples.RECUSED.name not in _signature_page(pages)
    # The body still tells why the member left the team (section 八).
    assert samples.RECUSED.name in _all(pages)


def test_evaluation_has_sections_and_item_tables(
    built_reports: dict[str, Built], extract: Extractor
) -> None:
    text = _all(extract(built_reports["evaluation"].path))
    data = samples.evaluation_sample()
    for heading in (*evaluation.SECTION_HEADINGS, *evaluation.ITEM_TABLE_TITLES.values()):
        assert squash(heading) in text, heading
    for item in data.items:
        assert squash(item.subject) in text
        assert squash(item.required_action) in text
        if item.deadline:
            assert format_date(item.deadline) in text
    assert "本次评估共10项：已落实7项，部分落实2项，未落实1项。" in text
    for member in data.evaluators:
        assert member.name in text


def test_public_version_prints_each_part_once_numbered_without_gaps(
    built_reports: dict[str, Built], extract: Extractor
) -> None:
    path = built_reports["public"].path
    text = _all(extract(path))
    data = samples.public_sample()
    for line in data.opening:
        assert squash(line) in text
    # three parts with content, numbered 一 to 三; the empty one prints no heading
    assert "一、起火原因和事故性质" in text
    assert "二、责任认定和处理建议" in text
    assert "三、事故防范和整改措施" in text
    assert "四、" not in text and "其他需要载明的事项" not in text
    for part in data.parts:
        for paragraph in part.paragraphs:
            assert squash(paragraph) in text
        for item in part.items:
            assert squash(f"{item.label}：{item.text}") in text
    assert text.count("责任认定和处理建议") == 1
    meta = PdfReader(path).metadata
    assert meta is not None
    assert all(t[:6] not in str(dict(meta)) for t in samples.CONFIDENTIAL_TEXTS)


def test_clock_sheet_lists_every_clock(built_reports: dict[str, Built], extract: Extractor) -> None:
    text = _all(extract(built_reports["clocks"].path))
    for column in COLUMNS:
        assert squash(column.header) in text
    for row in samples.clock_sheet_sample().rows:
        assert squash(row.label) in text
        assert squash(row.status) in text
        if row.due:
            assert format_date(row.due) in text
    assert "逾期3天" in text


@pytest.mark.parametrize("kind", ["investigation", "evaluation", "public", "clocks"])
def test_every_page_has_case_number_time_and_page_number(
    built_reports: dict[str, Built], kind: str
) -> None:
    built = built_reports[kind]
    pages = pypdf_pages(built.path)
    assert len(pages) == built.result.pages
    for n, page in enumerate(pages, start=1):
        assert squash(samples.CASE_NO) in page
        assert "生成时间：2026年6月8日15:42" in page
        assert f"—{n}—" in page


@pytest.mark.parametrize("kind", ["investigation", "evaluation", "public", "clocks"])
def test_metadata_names_case_and_generation_time(
    built_reports: dict[str, Built], kind: str
) -> None:
    meta = PdfReader(built_reports[kind].path).metadata
    assert meta is not None
    assert meta.title and meta.author
    assert samples.CASE_NO in (meta.subject or "")
    keywords = str(meta.get("/Keywords", ""))
    assert samples.CASE_NO in keywords and "2026年6月8日 15:42" in keywords


def test_text_is_not_read_as_markup() -> None:
    data = samples.clock_sheet_sample()
    row = data.rows[0]
    odd = "A<B> & C <font name='x'>"
    data = replace(data, rows=(replace(row, explanation=odd),))
    out = io.BytesIO()
    build_clock_sheet_pdf(data, out, generated_at=samples.GENERATED_AT)
    text = squash("".join(p.extract_text() or "" for p in PdfReader(out).pages))
    assert squash(odd) in text
