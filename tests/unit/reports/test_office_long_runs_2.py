"""The receiving office's second review of long Latin runs in the line setting (``typeset``).

Every case failed on bfe1c3f (the first repair): a long run after an opening mark （“《 was not
broken into the line and left it spread, a lone "“" or "（" line before a number, a closing mark
squeezed onto the run's last letter, an opening mark spaced away from its run, a date or a
phone number broken, a line starting with "-". Cases marked "regression" were set correctly by
59de95a, before the long runs were broken at all."""

from __future__ import annotations

import hashlib

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from firecase.reports.base import PORTRAIT_MARGINS, TABLE_SIZE
from firecase.reports.fonts import FontConfig, FontSet
from firecase.reports.typeset import CANNOT_END, CANNOT_START, Line, layout, units_of

A4_W = 595.2756
_TOP, _BOTTOM, LEFT, RIGHT = PORTRAIT_MARGINS
TEXT_WIDTH = A4_W - LEFT - RIGHT
PITCH = TEXT_WIDTH / 28
DIGEST = hashlib.sha256(b"ZJ-07").hexdigest()
URL = "https://www.tianmen.gov.cn/xxgk/zfxxgk/fdzdgknr/202604/t20260413_4567890.shtml"
MAIL = "xingda_textile_safety@hbxingda-fangzhi.cn"
FILL = "火灾调查组" * 5 + "共"  # fills the indented first line exactly


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    return FontSet(FontConfig.bundled())


def _set(fonts: FontSet, text: str, width: float, size: float, pitch: float, indent: float):
    units = units_of(fonts.glyphs(text, fonts.body, "测试"), size, pitch, stringWidth)
    lines = layout(units, width, first_indent=indent, size=size)
    texts = ["".join(g.char for u in ln.units for g in u.glyphs) for ln in lines]
    assert "".join(texts).replace(" ", "") == text.replace(" ", "")
    return lines, texts


def _body(fonts: FontSet, text: str):
    return _set(fonts, text, TEXT_WIDTH, 16, PITCH, 2 * PITCH)


def _cell(fonts: FontSet, text: str, share: float):
    return _set(fonts, text, share * TEXT_WIDTH - 8, TABLE_SIZE, TABLE_SIZE, 0.0)


def _gaps(line: Line) -> list[float]:
    return [b - a - u.width for a, b, u in zip(line.xs, line.xs[1:], line.units, strict=False)]


# --- 1. an opening mark before a long run (regression) -------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f"调查组依法开展调查邮箱（{MAIL}）。后续内容继续",  # 调 查 … 邮 箱 at 1.5 pitch
        f"调见“{DIGEST}”。）后续内容继续",  # "调          见": 24 pitches
        f"依据GB/T 9704-2012和GA/T 812-2008，对“{URL}”所载信息进行固定。",
        f"一、网页（{URL}）的固定",  # a level-1 heading: "一   、   网   页"
    ],
)
def test_a_long_run_after_an_opening_mark_is_broken_into_the_line(
    fonts: FontSet, text: str
) -> None:
    """The run does not fit after "（"/"“", so 推出 moves the mark down and _cut_run is then
    asked about the mark (a CJK unit: None), not the run; the line before is spread."""
    lines, texts = _body(fonts, text)
    for line, t in zip(lines, texts, strict=True):
        if not line.last:
            assert max(_gaps(line), default=0.0) <= 0.75 * PITCH, (t, texts)


def test_a_paragraph_does_not_start_with_a_line_of_one_character(fonts: FontSet) -> None:
    """ "见" alone on the first line, the digest (opening with “) on the next."""
    _lines, texts = _body(fonts, f"见“{DIGEST}”。）后续内容继续")
    assert len(texts[0]) > 1, texts


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("湖北省消防救援总队（huozaidiaocha_hubei@119.gov.cn）", 0.42),  # signature table
        ("整改照片（IMG_20260412_021733.jpg）", 0.21),  # 佐证材料
        ("现场照片（IMG_20260412_021733.jpg）", 0.19),  # 证据名称
    ],
)
def test_a_cell_is_not_spread_before_a_bracketed_run(
    fonts: FontSet, text: str, share: float
) -> None:
    lines, texts = _cell(fonts, text, share)
    for line, t in zip(lines, texts, strict=True):
        if not line.last:
            assert max(_gaps(line), default=0.0) <= 0.5 * TABLE_SIZE, (t, texts)


def test_a_cell_has_no_line_of_one_character_before_a_quoted_file_name(fonts: FontSet) -> None:
    """来源 (0.17): "见" / "“IMG_0012." / "jpg”。" where "见“IMG_" / "0012.jpg”。" fits."""
    _lines, texts = _cell(fonts, "见“IMG_0012.jpg”。", 0.17)
    assert all(len(t) > 1 for t in texts[:-1]), texts


# --- 2. a line that ends with an opening mark ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "银行卡号“6228480402564890018312”",  # regression: 59de95a kept “ with the number
        "身份证号（420103198001011234）。",
    ],
)
def test_no_cell_line_is_an_opening_mark_alone(fonts: FontSet, text: str) -> None:
    """A number wider than the cell after "“"/"（": the mark is left alone on its line (a
    line ending with an opening mark, 禁则), because _cut_run refuses runs of digits before
    it looks whether the run is wider than the whole line."""
    _lines, texts = _cell(fonts, text, 0.21)
    for t in texts[:-1]:
        assert t[-1] not in CANNOT_END, texts


# --- 3. the gap after an opening mark --------------------------------------------------------


def test_an_opening_mark_stays_against_the_run_after_it(fonts: FontSet) -> None:
    """Line 2 is "（" + a run whose last letters _run_end sent down with "）。": the whole
    slack (1.7 pitches) goes into the one gap, after "（" ("（        aaaa…"). The mirror of
    the comma kept against the digest."""
    lines, texts = _body(fonts, FILL + "（" + "a" * 53 + "）。完毕")
    for line, t in zip(lines, texts, strict=True):
        for a, b, gap in zip(line.units, line.units[1:], _gaps(line), strict=False):
            if a.last in CANNOT_END and not b.cjk:
                assert gap <= 0.25 * PITCH, (t, gap / PITCH)


# --- 4. 挤进 draws the mark over the run ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (FILL + "0123456789" * 5 + "0123，完毕。", "body"),  # "0123，": the comma on the 3
        (FILL + "abcdefghij" * 5 + "abcd，完毕。", "body"),
        ("当事人王某（电话13812345678）", "cell"),  # 来源: ")" drawn over the 8
    ],
)
def test_a_closing_mark_taken_in_is_not_drawn_over_the_run(
    fonts: FontSet, text: str, where: str
) -> None:
    """A line of a run and its mark (no stretchable gap) that takes the mark in (挤进) moves
    the mark up to half a pitch into the run: rendered, "，" sits on the last digit."""
    lines, texts = _body(fonts, text) if where == "body" else _cell(fonts, text, 0.17)
    for line, t in zip(lines, texts, strict=True):
        for k in range(1, len(line.units)):
            prev = line.units[k - 1]
            if not prev.cjk and not prev.space:
                assert line.xs[k] >= line.xs[k - 1] + prev.width - 0.05, (t, texts)


# --- 5. numbers broken unreadably ------------------------------------------------------------


def test_a_date_that_fits_a_cell_is_not_broken(fonts: FontSet) -> None:
    """证据名称 (0.19): "收集于2026-04" / "-13，共3份"; the date fits a line of the cell."""
    _lines, texts = _cell(fonts, "收集于2026-04-13，共3份", 0.19)
    assert any("2026-04-13" in t for t in texts), texts


@pytest.mark.parametrize(("text", "share"), [("XC-2026-012", 0.11), ("ZJ-2026-0412-03", 0.11)])
def test_an_evidence_number_breaks_after_its_hyphen(
    fonts: FontSet, text: str, share: float
) -> None:
    """编号 (0.11, centred): "XC-2026" / "-012" reads as minus twelve; "XC-" / "2026-012"."""
    _lines, texts = _cell(fonts, text, share)
    assert not any(t.startswith("-") for t in texts[1:]), texts


def test_a_phone_number_that_fits_is_not_broken(fonts: FontSet) -> None:
    """来源 (0.17): "13812345" / "678）。": _run_end breaks runs of digits, though a run of
    digits is to move whole unless wider than the line (LONG_RUN's docstring)."""
    _lines, texts = _cell(fonts, "王某电话：13812345678）。", 0.17)
    assert any("13812345678" in t for t in texts), texts


# --- 6. 禁则 where a readable break exists ----------------------------------------------------


def test_a_closing_quote_is_not_alone_after_a_short_code(fonts: FontSet) -> None:
    """0.14 cell: "（ZJ-07）" / "”": _run_end needs six letters; "（ZJ-" / "07）”" is legal."""
    _lines, texts = _cell(fonts, "（ZJ-07）”", 0.14)
    assert not any(t[0] in CANNOT_START for t in texts[1:]), texts


# --- a long run in a centred or right-aligned cell ----------------------------------------


@pytest.mark.parametrize("align", ["center", "right"])
def test_every_piece_of_a_long_run_in_a_centred_cell_is_centred(fonts: FontSet, align: str) -> None:
    """A case number, a file name or an address broken over lines in a centred column: the
    head pieces were left against the cell's left edge, only the last one centred."""
    width = 0.3 * TEXT_WIDTH - 8
    units = units_of(fonts.glyphs(URL, fonts.body, "测试"), TABLE_SIZE, TABLE_SIZE, stringWidth)
    lines = layout(units, width, align=align, size=TABLE_SIZE)
    assert len(lines) >= 3
    for line in lines:
        free = width - line.width
        assert free > 0.5  # a run is never spaced out: each piece is short of the edge
        expected = free / 2 if align == "center" else free
        assert line.indent == pytest.approx(expected, abs=0.01), [ln.indent for ln in lines]


def test_a_justified_line_of_a_centred_cell_fills_it(fonts: FontSet) -> None:
    text = "天门市竟陵街道办事处东湖路社区居民委员会" * 2
    width = 0.3 * TEXT_WIDTH - 8
    units = units_of(fonts.glyphs(text, fonts.body, "测试"), TABLE_SIZE, TABLE_SIZE, stringWidth)
    lines = layout(units, width, align="center", size=TABLE_SIZE)
    assert len(lines) >= 2
    for line in lines[:-1]:
        assert line.indent == pytest.approx(0.0, abs=0.01)
        assert line.width == pytest.approx(width, abs=0.01)
    assert lines[-1].indent == pytest.approx((width - lines[-1].width) / 2, abs=0.01)
