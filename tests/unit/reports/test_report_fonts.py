"""Fonts of the printed reports: embedded subsets, fallback, and no character printed blank."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from firecase.errors import FirecaseError
from firecase.reports import investigation
from firecase.reports.base import balance_lines
from firecase.reports.fonts import FontConfig, FontError, FontFace, FontSet, MissingGlyphError
from firecase.reports.investigation import build_investigation_pdf
from firecase.reports.public import build_public_pdf

from . import samples
from .pdftext import Built, pypdf_pages, squash

# 峣 (U+5CE3, a character of given names) is not in AR PL UMing CN but is in WenQuanYi Micro
# Hei; U+31350 (CJK Ext-H) is in none of the bundled faces (LXGW WenKai has Ext-G "biáng").
FALLBACK_CHAR = "峣"
NO_FONT_CHAR = "\U00031350"


def _fonts_of(path: Path) -> list[DictionaryObject]:
    fonts: dict[int, DictionaryObject] = {}
    for page in PdfReader(path).pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        for ref in resources.get_object().get("/Font", {}).values():
            fonts[id(ref.get_object())] = ref.get_object()
    return list(fonts.values())


@pytest.mark.parametrize("kind", ["investigation", "evaluation", "public", "clocks"])
def test_every_font_is_an_embedded_truetype_subset_pypdf(
    built_reports: dict[str, Built], kind: str
) -> None:
    fonts = _fonts_of(built_reports[kind].path)
    assert fonts
    for font in fonts:
        name = str(font["/BaseFont"])
        assert "+" in name, f"{name} is not a subset"
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded as TrueType"


@pytest.mark.parametrize("kind", ["investigation", "evaluation", "public", "clocks"])
def test_every_font_is_embedded_pdffonts(built_reports: dict[str, Built], kind: str) -> None:
    exe = shutil.which("pdffonts")
    if exe is None:
        pytest.skip("poppler-utils (pdffonts) is not installed")
    out = subprocess.run(
        [exe, str(built_reports[kind].path)], check=True, capture_output=True, text=True
    ).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        # name type encoding emb sub uni object ID: emb and sub are the 4th/3rd from the end
        cols = row.split()
        assert cols[-5:-3] == ["yes", "yes"], row
        assert "STSong" not in row and "Helvetica" not in row


def test_bundled_fonts_cover_the_documented_characters() -> None:
    fonts = FontSet(FontConfig.bundled())
    assert not fonts.covers(fonts.body, FALLBACK_CHAR)
    assert fonts.covers(fonts.heading, FALLBACK_CHAR)
    assert not fonts.covers(fonts.body, NO_FONT_CHAR)
    assert not fonts.covers(fonts.heading, NO_FONT_CHAR)


def test_character_outside_the_main_font_prints_from_the_fallback(tmp_path: Path) -> None:
    name = f"李{FALLBACK_CHAR}"
    data = samples.with_member_name(samples.investigation_sample(), name)
    out = tmp_path / "fallback.pdf"
    result = build_investigation_pdf(data, out, generated_at=samples.GENERATED_AT)
    assert result.fallback_chars == (FALLBACK_CHAR,)
    pages = pypdf_pages(out)
    signature_page = next(p for p in pages if squash(investigation.SIGNATURE_HEADING) in p)
    assert name in signature_page
    used = {str(f["/BaseFont"]).split("+", 1)[1] for f in _fonts_of(out)}
    assert any(n.startswith("WenQuanYiMicroHei") for n in used)


def test_character_in_no_font_is_refused_with_where(tmp_path: Path) -> None:
    name = f"张{NO_FONT_CHAR}"
    data = samples.with_member_name(samples.investigation_sample(), name)
    out = tmp_path / "missing.pdf"
    with pytest.raises(MissingGlyphError) as caught:
        build_investigation_pdf(data, out, generated_at=samples.GENERATED_AT)
    err = caught.value
    assert isinstance(err, FirecaseError)
    assert err.char == NO_FONT_CHAR
    assert "U+31350" in err.message and NO_FONT_CHAR in err.message
    assert "签名表" in err.message and "技术组" in err.message and "姓名" in err.message
    # the reviewer's finding: it named a layout position ("签名表（技术组）成员姓名"), not
    # which member nor where the name is changed
    assert f"调查组成员“{name}”" in err.message and "在“调查组”页修改" in err.message
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_missing_glyph_in_a_section_names_the_section() -> None:
    data = samples.investigation_sample()
    sections = replace(data.sections, other_matters=f"另查明{NO_FONT_CHAR}面馆无证经营。")
    with pytest.raises(MissingGlyphError) as caught:
        build_investigation_pdf(
            replace(data, sections=sections), io.BytesIO(), generated_at=samples.GENERATED_AT
        )
    assert "八、其他需要载明的事项" in caught.value.message


def test_missing_glyph_in_public_field_names_the_field() -> None:
    data = samples.public_sample()
    part = data.parts[0]
    bad = replace(part, paragraphs=(f"起火于{NO_FONT_CHAR}面馆。",))
    with pytest.raises(MissingGlyphError) as caught:
        build_public_pdf(
            replace(data, parts=(bad, *data.parts[1:])),
            io.BytesIO(),
            generated_at=samples.GENERATED_AT,
        )
    assert f"一、{part.heading}" in caught.value.message


def test_invisible_format_characters_are_dropped_not_refused() -> None:
    fonts = FontSet(FontConfig.bundled())
    assert fonts.markup("王\u200b五\ufeff", fonts.body, "测试") == "王五"


def test_system_font_path_is_used_for_the_body(tmp_path: Path) -> None:
    # Any TrueType file works as a "system font"; WenQuanYi stands in for simfang.ttf.
    chosen = FontFace.bundled_hei().path
    out = io.BytesIO()
    result = build_public_pdf(
        samples.public_sample(),
        out,
        fonts=FontConfig.with_system_fonts(body=chosen),
        generated_at=samples.GENERATED_AT,
    )
    assert "WenQuanYiMicroHei" in result.fonts
    assert result.pages >= 1


def test_unusable_font_file_is_a_font_error(tmp_path: Path) -> None:
    missing = tmp_path / "simfang.ttf"
    with pytest.raises(FontError, match="找不到字体文件"):
        FontSet(FontConfig.with_system_fonts(body=missing))
    cff = tmp_path / "NotoSerifCJK.otf"
    cff.write_bytes(b"OTTO" + b"\0" * 64)
    with pytest.raises(FontError, match="TrueType"):
        FontSet(FontConfig.with_system_fonts(body=cff))


def test_balance_lines_splits_titles_evenly_and_keeps_runs_whole() -> None:
    def width(text: str) -> float:
        return float(len(text))

    assert balance_lines("短标题", width, 10) == "短标题"
    title = "天门市兴达纺织有限公司“4·12”较大火灾事故调查报告"
    lines = balance_lines(title, width, 24).split("\n")
    assert "".join(lines) == title
    assert len(lines) == 2
    assert abs(len(lines[0]) - len(lines[1])) <= 6
    assert all("“4·12”" in line or "4" not in line for line in lines)
    assert not lines[1].startswith(("，", "”"))


def test_reports_import_without_qt() -> None:
    code = (
        "import sys\n"
        "import firecase.reports.investigation, firecase.reports.evaluation\n"
        "import firecase.reports.public, firecase.reports.clock_sheet\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


HANAZONO = Path("/usr/share/fonts/truetype/hanazono")  # Debian's fonts-hanazono (.ci/run)


def test_rare_characters_print_from_an_installed_face_loaded_only_when_needed(
    tmp_path: Path,
) -> None:
    """The receiving office's finding: a name with 𪚥 (Ext-B) or 㐀 (Ext-A, GB 18030's
    mandatory set) could not be printed at all. An installed face for rare characters
    (SimSun-ExtB on Windows, HanaMin on Linux) is tried after the bundled ones; a report
    without such a character neither loads nor embeds it."""
    if not (HANAZONO / "HanaMinA.ttf").is_file():
        pytest.skip("fonts-hanazono is not installed (.ci/run installs it)")
    config = FontConfig.resolve({}, dirs=(HANAZONO,))
    assert [f.path.name for f in config.rare] == ["HanaMinA.ttf", "HanaMinB.ttf"]
    assert any("生僻字" in line and "HanaMinA.ttf" in line for line in config.describe())
    plain = FontSet(config)
    plain.glyphs("张三", plain.body, "姓名")
    assert not any(n.startswith("HanaMin") for n in plain.embedded_names())

    name = "张𪚥㐀"
    data = samples.with_member_name(samples.investigation_sample(), name)
    out = tmp_path / "rare.pdf"
    result = build_investigation_pdf(data, out, fonts=config, generated_at=samples.GENERATED_AT)
    assert set(result.fallback_chars) >= {"𪚥", "㐀"}
    # the text layer: ReportLab's ToUnicode map keeps four hex digits, so a character beyond
    # the BMP (𪚥) is printed right but copied wrong; the BMP's rare ones copy as printed
    assert any("张" in page and "㐀" in page for page in pypdf_pages(out))
    used = {str(f["/BaseFont"]).split("+", 1)[1] for f in _fonts_of(out)}
    assert any(n.startswith("HanaMin") for n in used)
