"""The section editor's marks (bold, italic, lists) print as emphasis, never as asterisks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from hypothesis import given, strategies as st

from firecase.reports.investigation import build_investigation_pdf
from firecase.textmarks import Run, parse_line

from . import samples
from .pdftext import pypdf_pages


def test_parse_line_reads_every_mark() -> None:
    line = parse_line("- 起火部位在**仓库东北角**，*初步判断*为电气故障")
    assert line.marker == "-"
    assert line.runs == (
        Run("起火部位在"),
        Run("仓库东北角", bold=True),
        Run("，"),
        Run("初步判断", italic=True),
        Run("为电气故障"),
    )
    assert parse_line("12. 整改措施").marker == "12."
    assert parse_line("没有标记的文字").runs == (Run("没有标记的文字"),)


@given(st.text(alphabet="火灾调查报告，。 1-", max_size=40))
def test_text_without_asterisks_keeps_every_character(text: str) -> None:
    line = parse_line(text)
    marker = {"": "", "-": "- "}.get(line.marker, f"{line.marker} ")
    assert marker + line.plain == text


def test_marks_print_as_emphasis_not_asterisks(tmp_path: Path) -> None:
    data = samples.investigation_sample()
    sections = replace(
        data.sections,
        overview="**仓库东北角**为起火部位\n- 第一项*整改*要求\n3. 第三项整改要求",
    )
    out = tmp_path / "marks.pdf"
    build_investigation_pdf(
        replace(data, sections=sections), out, generated_at=samples.GENERATED_AT
    )
    text = "".join(pypdf_pages(out))
    assert "仓库东北角为起火部位" in text
    assert "•第一项整改要求" in text
    assert "3.第三项整改要求" in text
    assert "*" not in text
