"""Long Latin runs in the line setting (``typeset.layout``): where a web address, a digest or
a file name may be broken at the end of a line, and where it moves whole (the receiving
office's two reviews: no line left gappy before a run, none starting with the mark after it,
no number, date or "://" broken)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from firecase.reports.typeset_units import CANNOT_END, CANNOT_START, Glyph, Unit

LONG_RUN = 20
"""A Latin run of this many characters or more (a web address, a digest), or one wider than
half the line (a file name in a narrow table cell), may be broken at the end of a line when
moving it whole would leave the line gappy (``_gappy``): justified, such a line spread its
characters a pitch and more apart (the receiving office's finding). Shorter runs (a year,
"GB/T 9704", an 18-digit number) and runs of digits alone move whole unless wider than the
line."""
_GAPPY = 3.0  # pitches a line may be left short at most before a long run is broken into it
_MIN_PIECE = 3  # letters on each side of a break in a run (a lone "m" or "A" reads badly)
_RUN_BREAKS = frozenset("/\\-_.:?&=#@+")  # a break after one of these reads best


def _gappy(size: float, line: float, gaps: int) -> float:
    """How short a line of ``gaps`` gaps may be left before a long run is broken into it:
    half a pitch a gap (the most justification may spread a line), at most three pitches or
    a quarter of a narrow line (a table cell of six characters)."""
    return min(_GAPPY * size, line / 4, 0.5 * size * max(gaps, 1))


_NUMBER_CHARS = frozenset("0123456789０１２３４５６７８９-:./,·")


def _number(glyphs: Sequence[Glyph]) -> bool:
    """A number, a date or a time ("2026-04-13", "13812345678", "4·12"): moves whole."""
    return all(g.char in _NUMBER_CHARS for g in glyphs)


def _break_ok(glyphs: Sequence[Glyph], at: int) -> bool:
    """Whether a run may break before ``glyphs[at]``: 禁则, never inside "://" or "//", and
    never before a hyphen ("XC-2026" / "-012" reads as minus twelve: break after it)."""
    before, after = glyphs[at - 1].char, glyphs[at].char
    if after in CANNOT_START or before in CANNOT_END or after == "-":
        return False
    return not (after == "/" and before in ":/")


def marks_after(items: Sequence[Unit], k: int) -> float:
    """The width of the closing marks from ``items[k]`` on (they go with what precedes)."""
    width = 0.0
    while k < len(items) and items[k].closing:
        width += items[k].width
        k += 1
    return width


def cut_run(
    unit: Unit,
    room: float,
    size: float,
    width_of: Any,
    *,
    before: int,
    line: float,
    reserve: float = 0.0,
) -> list[Unit] | None:
    """``unit`` as [head that fits ``room``, tail], or None to move it whole.

    Cut: a Latin run wider than a whole line (nothing ``before`` it on the line), and a long
    run (``LONG_RUN``) that would leave at least ``_gappy`` of its line empty. Each piece
    keeps ``_MIN_PIECE`` letters where the run allows. The head ends after a separator
    ("/", ".", "_", …) when the line's justified gaps then stay within a quarter pitch each (a
    line of the run alone: two pitches short at most), else where the line is full."""
    if not unit.latin or len(unit.glyphs) < 2:
        return None
    glyphs = unit.glyphs
    widths = [width_of(g.char, g.font, size) for g in glyphs]
    alone = before == 0
    must = unit.width > line + 1e-6  # it cannot be set whole on any line
    if alone:
        if unit.width <= room + 1e-6:
            return None
    elif not must:
        long_run = len(glyphs) >= LONG_RUN or unit.width > line / 2
        too_little = room < max(_gappy(size, line, before), sum(widths[:_MIN_PIECE]))
        if not long_run or _number(glyphs) or len(glyphs) < 2 * _MIN_PIECE or too_little:
            return None
    elif room < sum(widths[:_MIN_PIECE]):
        return None
    fits, used = 0, 0.0
    while fits < len(widths) - 1 and used + widths[fits] <= room + 1e-6:
        used += widths[fits]
        fits += 1
    lowest = 1 if alone else _MIN_PIECE
    highest = len(glyphs) - (_MIN_PIECE if len(glyphs) > 2 * _MIN_PIECE else 1)
    top = min(fits, highest)
    slack = 2 * size if alone else min(2 * size, 0.25 * size * before)
    at = next((b for b in range(top, lowest - 1, -1) if _break_ok(glyphs, b)), 0)
    for b in range(at, lowest - 1, -1):
        if sum(widths[b:fits]) > slack:
            break
        if _break_ok(glyphs, b) and glyphs[b - 1].char in _RUN_BREAKS:
            at = b
            break
    # the tail and the closing marks after the run share the next line: a tail that fills it
    # exactly would leave "，" to start the line after (the receiving office's finding)
    # (a tail of digits only: any other tail's last letters go down with them, ``run_end``)
    while (
        _number(glyphs[at:])
        and at > lowest
        and sum(widths[at:]) <= line + 1e-6 < sum(widths[at:]) + reserve
        and any(_break_ok(glyphs, b) for b in range(lowest, at))
    ):
        at = next(b for b in range(at - 1, lowest - 1, -1) if _break_ok(glyphs, b))
    if at < lowest:
        return None
    return _pieces(glyphs, widths, at)


def _pieces(glyphs: list[Glyph], widths: list[float], at: int) -> list[Unit]:
    """The run of ``glyphs`` as two units, broken before ``glyphs[at]``."""
    return [Unit(glyphs[:at], sum(widths[:at])), Unit(glyphs[at:], sum(widths[at:]))]


def run_end(unit: Unit, size: float, width_of: Any) -> list[Unit] | None:
    """A Latin run alone on its line, before a mark that may not start the next one: its last
    ``_MIN_PIECE`` letters split off to go down with the mark (else None)."""
    glyphs = unit.glyphs
    if not unit.latin or len(glyphs) < 4 or _number(glyphs):
        return None
    piece = min(_MIN_PIECE, len(glyphs) // 2)  # "（ZJ-" / "07）”" in a narrow cell
    at = next(
        (b for b in range(len(glyphs) - piece, piece - 1, -1) if _break_ok(glyphs, b)),
        0,
    )
    if not at:
        return None
    return _pieces(glyphs, [width_of(g.char, g.font, size) for g in glyphs], at)
