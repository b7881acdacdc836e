"""The receiving office's review of long Latin runs in the line setting (``typeset``).

Each case is a realistic sentence of a fire investigation report; each failed on the first
version of the break of long runs (5f74930): a line starting with "，" after a digest, a comma
spread away from it, a run moved down by its comma leaving a gappy line, a web address broken
between its two slashes, a file name in a narrow cell. The property test at the end sets any
mix of them."""

from __future__ import annotations

import hashlib
import itertools

import pytest
from hypothesis import example, given, settings, strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from firecase.reports.base import PORTRAIT_MARGINS, TABLE_SIZE
from firecase.reports.fonts import FontConfig, FontSet
from firecase.reports.typeset import CANNOT_START, Line, layout, units_of

A4_W = 595.2756
_TOP, _BOTTOM, LEFT, RIGHT = PORTRAIT_MARGINS
TEXT_WIDTH = A4_W - LEFT - RIGHT
PITCH = TEXT_WIDTH / 28
DIGEST = hashlib.sha256(b"ZJ-07").hexdigest()  # 001978c4…96daf
URL = "https://www.tianmen.gov.cn/xxgk/zfxxgk/fdzdgknr/202604/t20260413_4567890.shtml"


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    return FontSet(FontConfig.bundled())


def _set(fonts: FontSet, text: str, width: float, size: float, pitch: float, indent: float):
    glyphs = fonts.glyphs(text, fonts.body, "测试")
    units = units_of(glyphs, size, pitch, stringWidth)
    lines = layout(units, width, first_indent=indent, size=size)
    texts = ["".join(g.char for u in ln.units for g in u.glyphs) for ln in lines]
    # nothing lost or reordered (a space at a line edge is dropped)
    assert "".join(texts).replace(" ", "") == text.replace(" ", "")
    return lines, texts


def _body(fonts: FontSet, text: str) -> tuple[list[Line], list[str]]:
    return _set(fonts, text, TEXT_WIDTH, 16, PITCH, 2 * PITCH)


def _gaps(line: Line) -> list[float]:
    return [b - a - u.width for a, b, u in zip(line.xs, line.xs[1:], line.units, strict=False)]


def test_no_line_starts_with_the_comma_after_a_digest(fonts: FontSet) -> None:
    """The digest is cut at the end of line 1; its tail fills line 2 exactly and the "，"
    after it starts line 3 (before 5f74930 the digest moved whole and this did not happen)."""
    text = f"2号纺纱车间配电箱照片原始文件的SHA-256值为{DIGEST}，与提取笔录记载一致。"
    _lines, texts = _body(fonts, text)
    assert not any(t and t[0] in CANNOT_START for t in texts), texts


def test_the_comma_is_not_justified_away_from_the_digest(fonts: FontSet) -> None:
    """Line 2 is [digest tail, "，"], justified: the comma stands a pitch away at the margin
    ("…96daf    ，"); pdftotext copies it as "daf ，"."""
    text = f"经计算，该公司监控硬盘镜像的SHA-256值为{DIGEST}，与提取笔录记载一致。"
    lines, texts = _body(fonts, text)
    for line, t in zip(lines, texts, strict=True):
        assert max(_gaps(line), default=0.0) <= 0.5 * PITCH, (t, _gaps(line))


def test_a_long_run_pushed_back_by_its_comma_does_not_leave_a_gappy_line(fonts: FontSet) -> None:
    """The e-mail address fits line 2 but the "，" after it does not; 推出 moves the whole
    41-character address down and "件，邮箱地址为" is spread across the whole line (gaps of
    about 3.5 pitches). _cut_run is only asked about the unit that did not fit."""
    text = (
        "调查组于2026年4月13日向该公司法定代表人发送了电子邮件，邮箱地址为"
        "xingda_textile_safety@hbxingda-fangzhi.cn，并电话告知。"
    )
    lines, texts = _body(fonts, text)
    for line, t in zip(lines, texts, strict=True):
        if not line.last:
            assert max(_gaps(line), default=0.0) <= 0.5 * PITCH, (t, _gaps(line))


def test_a_web_address_is_not_broken_between_its_two_slashes(fonts: FontSet) -> None:
    """ "…和https:/" / "/www.tianmen…" reads as "https:/ /www" and cannot be retyped."""
    text = f"火灾事故调查组依法开展调查工作查明起火原因和{URL}，经比对一致。"
    _lines, texts = _body(fonts, text)
    for a, b in itertools.pairwise(texts):
        assert not (a.endswith("/") and b.startswith("/")), (a, b)


def test_a_signature_cell_has_no_line_of_one_character(fonts: FontSet) -> None:
    """单位及职务 of the signature table: "（邮" / "箱" / "huozaidiaocha_hubei@119.gov.cn）":
    the address fits after "箱" but its "）" does not, and it is pushed down whole."""
    width = 0.42 * TEXT_WIDTH - 8
    text = "湖北省消防救援总队火灾调查处（邮箱huozaidiaocha_hubei@119.gov.cn） 高级工程师"
    lines, texts = _set(fonts, text, width, TABLE_SIZE, TABLE_SIZE, 0.0)
    for line, t in zip(lines, texts, strict=True):
        if not line.last:
            assert line.indent + line.width >= 0.5 * width, (t, texts)


@pytest.mark.parametrize(
    "text",
    ["现场照片IMG_20260412_021733.jpg", "监控录像CH03_20260412021500_20260412023000.mp4"],
)
def test_a_file_name_in_the_evidence_list_does_not_leave_a_gappy_line(
    fonts: FontSet, text: str
) -> None:
    """证据名称 (0.19 of the text width): "现 场 照 片" spread 0.8 of a character apart
    before the file name, because _GAPPY is 3 pitches whatever the measure (the cell has 6)."""
    width = 0.19 * TEXT_WIDTH - 8
    lines, texts = _set(fonts, text, width, TABLE_SIZE, TABLE_SIZE, 0.0)
    for line, t in zip(lines, texts, strict=True):
        if not line.last:
            assert max(_gaps(line), default=0.0) <= 0.5 * TABLE_SIZE, (t, _gaps(line))


_WORDS = st.sampled_from([*"火灾事故调查组依法开展工作查明起原因和成", "2026", "GB/T", "4·12"])
_RUNS = st.sampled_from(
    [URL, DIGEST, "xingda_textile_safety@hbxingda-fangzhi.cn", "IMG_20260412_021733.jpg",
     "6228480402564890018312", "Antidisestablishmentarianism"]
)  # fmt: skip
_MARKS = st.sampled_from(["", "，", "。", "）", "、", "”"])


_URL_PARTS = (["火"], URL, "")


@settings(max_examples=300, deadline=None)
@example(  # found by CI: a number cut twice on one line, its tail filling the next exactly
    [_URL_PARTS, (["火", "火"], URL, ""), (["火"] * 9 + ["2026"], "6228480402564890018312", "，")],
    0.19 * TEXT_WIDTH - 8,
)
@given(
    st.lists(st.tuples(st.lists(_WORDS, min_size=1, max_size=12), _RUNS, _MARKS), max_size=5),
    st.sampled_from([TEXT_WIDTH, 0.42 * TEXT_WIDTH - 8, 0.19 * TEXT_WIDTH - 8]),
)
def test_any_mix_of_long_runs_keeps_the_rules(
    fonts: FontSet, parts: list[tuple[list[str], str, str]], width: float
) -> None:
    """Nothing lost or reordered, no line past the margin, none starting with a closing mark
    where the text allows a break, no run broken inside "://", and no justified body line
    spread a pitch or more (it was up to 3.5) unless the next line begins with what may not
    break (a short run, a number)."""
    text = "".join("".join(words) + run + mark for words, run, mark in parts) + "。"
    body = width == TEXT_WIDTH
    size, pitch = (16, PITCH) if body else (TABLE_SIZE, TABLE_SIZE)
    lines, texts = _set(fonts, text, width, size, pitch, 2 * PITCH if body else 0.0)
    for n, (line, t) in enumerate(zip(lines, texts, strict=True)):
        assert line.indent + line.xs[-1] + line.units[-1].width <= width + 1e-6, t
        # a number that fits a line moves whole (the office's second review): where it and its
        # marks fill the line exactly, the last mark is the one exception to 禁则
        before = lines[n - 1].units if n else []
        number = [not u.cjk and all(g.char in "0123456789-:./,·" for g in u.glyphs) for u in before]
        after_number = any(number) and all(
            k or u.first in CANNOT_START for k, u in zip(number, before, strict=True)
        )
        if n and not after_number:
            assert t[0] not in CANNOT_START, texts
            assert not (t.startswith("/") and texts[n - 1].endswith((":", "/"))), texts
        # spread only where the next line begins with what may not break: a short run
        following = lines[n + 1].units[0] if n + 1 < len(lines) else None
        unbreakable = following is not None and (
            following.cjk
            or len(following.glyphs) < 2 * 3
            or all(g.char in "0123456789-:./,·" for g in following.glyphs)  # a number
            or (len(following.glyphs) < 20 and following.width <= width / 2)
        )
        # a run and one character (its marks held to it): nothing to even out without
        # breaking off a lone letter pair
        free = sum(a.cjk or b.first not in CANNOT_START for a, b in itertools.pairwise(line.units))
        if body and not line.last and not unbreakable and free > 1:
            assert max(_gaps(line), default=0.0) <= PITCH, (t, _gaps(line))
