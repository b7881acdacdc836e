"""Chinese line setting for the printed reports: the character grid, 禁则, full justification.

ReportLab's own CJK wrapping hangs at most one closing mark past the line end, never keeps an
opening mark off the end of a line, and leaves lines ragged. Official documents (GB/T 9704-2012)
set the body on a grid of 28 characters a line, every line but a paragraph's last filling the
measure exactly, and follow the Chinese line-breaking rules (GB/T 15834, 禁则): no line starts
with a closing mark (，。、；：！？）》」』”’〕…), none ends with an opening one (（《「『“‘〔).

:func:`layout` breaks a paragraph's glyphs into lines; :class:`SetParagraph` is the ReportLab
flowable that draws them, splits across pages by whole lines (never leaving a single line of a
paragraph alone at the foot or the head of a page) and can be cut into line slices, so a heading
keeps with the first two lines of its paragraph and the 落款 with the last two.

A line is built from *units*: a CJK character or mark is a unit one grid pitch wide; a run of
Latin letters and digits ("4·12", "GB/T", "2026") is one unbreakable unit of its natural width;
a space is a stretchable break. A line break is allowed between two units unless the second
may not start a line or the first may not end one. When the next unit after a full line is a
closing mark, the line first tries to take it in by tightening its gaps by at most half a pitch
(挤进); otherwise units move to the next line (推出) until the break is allowed. Every line but
the last is then justified: its slack is shared equally among its gaps, so the last glyph ends
exactly at the right edge.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from firecase.reports.typeset_runs import LONG_RUN, cut_run, marks_after, run_end
from firecase.reports.typeset_units import CANNOT_END, CANNOT_START, Glyph, Unit

__all__ = [
    "CANNOT_END",
    "CANNOT_START",
    "LONG_RUN",
    "Glyph",
    "Line",
    "SetParagraph",
    "Unit",
    "layout",
    "units_of",
]

_QUOTES = frozenset("“”‘’")
_SQUEEZE = 0.5  # share of a pitch a line may tighten to take in one closing mark (挤进)


@dataclass
class Line:
    """One set line: its units, the x of each from the line's left edge, and its width."""

    units: list[Unit]
    xs: list[float]
    width: float  # from the first glyph's left edge to the last unit's right edge
    indent: float  # x of the line's start (first-line indent, alignment)
    last: bool = False  # the paragraph's last line (not justified)


def _latin(ch: str) -> bool:
    """Part of an unbreakable Latin run: letters, digits, "·" and "." between them, not quotes."""
    return (ord(ch) < 0x2E80 and ch not in _QUOTES and not ch.isspace() and ch not in "—…") or (
        "\uff10" <= ch <= "\uff19"
    )


def units_of(
    glyphs: Sequence[Glyph], size: float, pitch: float, width_of: Callable[[str, str, float], float]
) -> list[Unit]:
    """Group ``glyphs`` into units: Latin runs, spaces, and one unit per other character.

    A character whose natural width is at least 0.9 em is set on the grid ``pitch``; a
    narrower one (a half-width mark) keeps its own width.
    """
    units: list[Unit] = []
    i = 0
    n = len(glyphs)
    while i < n:
        g = glyphs[i]
        if g.char == "\n":
            units.append(Unit([], 0.0, newline=True))
            i += 1
            continue
        if g.char == " ":
            units.append(Unit([g], width_of(" ", g.font, size), space=True))
            i += 1
            continue
        if _latin(g.char):
            j = i
            while j < n and _latin(glyphs[j].char):
                j += 1
            run = list(glyphs[i:j])
            units.append(Unit(run, sum(width_of(x.char, x.font, size) for x in run)))
            i = j
            continue
        natural = width_of(g.char, g.font, size)
        if natural >= 0.9 * size:
            units.append(Unit([g], pitch, cjk=True))
        else:
            units.append(Unit([g], natural))
        i += 1
    return units


def _allowed(units: Sequence[Unit], k: int) -> bool:
    """True when a line may end before ``units[k]``."""
    if k <= 0 or k >= len(units):
        return True
    before, after = units[k - 1], units[k]
    if after.space or before.space or after.newline or before.newline:
        return True
    return after.first not in CANNOT_START and before.last not in CANNOT_END


def _trim(units: list[Unit]) -> list[Unit]:
    while units and units[0].space:
        units = units[1:]
    while units and units[-1].space:
        units = units[:-1]
    return units


def layout(
    units: Sequence[Unit],
    width: float,
    *,
    first_indent: float = 0.0,
    align: str = "justify",
    size: float = 16.0,
    width_of: Callable[[str, str, float], float] | None = None,
) -> list[Line]:
    """Break ``units`` into lines of ``width`` points (the first line ``first_indent`` in).

    ``align``: "justify" (every line but the last filled to the edge, the last left),
    "left", "center", "right" (a justified body with the last line so aligned when not
    "justify").
    """
    measure = width_of or stringWidth
    items: list[Unit] = list(units)
    lines: list[Line] = []

    def cut(at: int, room: float, before: int) -> Unit | None:
        """Break the Latin run ``items[at]`` to fit ``room`` (``cut_run``); its head."""
        pieces = cut_run(
            items[at], room, size, measure, before=before, line=width,
            reserve=marks_after(items, at + 1),
        )  # fmt: skip
        if pieces is None:
            return None
        items[at : at + 1] = pieces
        return pieces[0]

    i = 0
    n = len(items)
    while i < n:
        while i < n and items[i].space:
            i += 1
        if i >= n:
            break
        indent = first_indent if not lines else 0.0
        available = width - indent
        used = 0.0
        k = i
        while k < n and not items[k].newline and used + items[k].width <= available + 1e-6:
            used += items[k].width
            k += 1
        broken = False  # the line is the head of a run wider than a line
        if k == i and not items[k].newline:  # one unit wider than the line
            head = cut(k, available, 0)
            if head is not None:  # a Latin run: broken where the line ends
                n = len(items)
                used = head.width
                broken = True
            k = i + 1
        hard = k < n and items[k].newline
        if k < n and not hard and not _allowed(items, k):
            # 挤进: take in the closing marks that follow when the line can tighten for them.
            j = k
            extra = 0.0
            while j < n and not items[j].space and not items[j].newline and not _allowed(items, j):
                if items[j].first not in CANNOT_START:
                    break
                extra += items[j].width
                j += 1
            squeezable = any(u.cjk for u in items[i:k])  # else the mark is drawn on the run
            if (
                j > k
                and squeezable
                and _allowed(items, j)
                and used + extra - available <= _SQUEEZE * size
            ):
                k = j
            else:
                # 推出: move units to the next line until the break is allowed.
                b = k
                while b > i + 1 and not _allowed(items, b):
                    b -= 1
                if _allowed(items, b):
                    k = b
                else:  # a Latin run and its marks: the run's last letters go down with them
                    r = k - 1
                    while r > i and items[r].closing:
                        r -= 1
                    end = run_end(items[r], size, measure)
                    if end is not None:
                        items[r : r + 1] = end
                        n = len(items)
                        k = r + 1
        hard = k < n and items[k].newline
        if k < n and not hard and not broken:
            # a long Latin run that did not fit (or was moved down with the marks around it)
            # begins on this line when moving it whole would leave the line gappy; opening
            # marks before it ("（", "“") stay with its head
            j = k
            while j < n and items[j].opening:
                j += 1
            marks = sum(u.width for u in items[k:j])
            room = available - sum(u.width for u in _trim(list(items[i:k]))) - marks
            if j < n and room > 0 and cut(j, room, j - i) is not None:
                n = len(items)
                k = j + 1
        line_units = _trim(list(items[i:k]))
        hard = k < n and items[k].newline
        lines.append(_place(line_units, available, indent, last=hard or k >= n))
        i = k + 1 if hard else k
    for line in lines:
        _align(line, width, align)
    return lines


def _place(units: list[Unit], available: float, indent: float, *, last: bool) -> Line:
    xs: list[float] = []
    x = 0.0
    for u in units:
        xs.append(x)
        x += u.width
    natural = x
    if len(units) > 1 and (not last or natural > available + 1e-6):
        # justify; a last line that took in a closing mark (挤进) is tightened to the edge. A
        # closing mark stays against the Latin run before it ("…96daf，", not "…96daf    ，").
        # A line of nothing but a run and its marks is left short (a run is never spaced out).
        stretch = [
            (a.cjk or a.space or b.first not in CANNOT_START)
            and (b.cjk or b.space or a.last not in CANNOT_END)
            for a, b in itertools.pairwise(units)
        ]
        if any(stretch) or natural > available + 1e-6:
            if not any(stretch):
                stretch = [True] * len(stretch)
            gap = (available - natural) / sum(stretch)
            shift, placed = 0.0, [xs[0]]
            for xx, stretches in zip(xs[1:], stretch, strict=True):
                shift += gap if stretches else 0.0
                placed.append(xx + shift)
            xs = placed
            natural = available
    return Line(units, xs, natural, indent, last)


def _align(line: Line, width: float, align: str) -> None:
    """Place a line short of the edge by ``align``: a paragraph's last line, one ended by a
    hard break, or a piece of a long Latin run (never spaced out, so short of the edge even
    inside a paragraph: in a centred cell every piece is centred, not only the last). A
    justified line fills the measure and has nothing to place."""
    if align in ("justify", "left"):
        return
    free = width - line.indent - line.width
    if free <= 1e-6:
        return
    if align == "center":
        line.indent += free / 2
    elif align == "right":
        line.indent += free


@dataclass
class _Style:
    size: float
    leading: float
    first_indent: float
    align: str
    stroke: float = 0.0  # outline stroke width (a heavy face made from a regular one)
    left_indent: float = 0.0
    right_indent: float = 0.0
    pitch: float = 0.0


@dataclass
class _Layout:
    width: float
    lines: list[Line] = field(default_factory=list)


class SetParagraph(Flowable):  # type: ignore[misc]
    """A paragraph set by :func:`layout`, drawn glyph-run by glyph-run.

    ``lines`` (after :meth:`wrap`) is the set result; :meth:`slice` gives a flowable of some of
    its lines (for keeping a heading with the first lines of its paragraph).
    """

    def __init__(
        self,
        glyphs: Sequence[Glyph],
        *,
        size: float,
        leading: float,
        pitch: float | None = None,
        first_indent: float = 0.0,
        align: str = "justify",
        stroke: float = 0.0,
        left_indent: float = 0.0,
        right_indent: float = 0.0,
        where: str = "",
        min_lines: int = 2,
    ) -> None:
        super().__init__()
        self.glyphs = list(glyphs)
        self.style = _Style(
            size,
            leading,
            first_indent,
            align,
            stroke,
            left_indent,
            right_indent,
            pitch or size,
        )
        self.where = where
        self.min_lines = min_lines
        self.move_cost = 0.0
        self._layout: _Layout | None = None
        self._slice: tuple[int, int] | None = None  # (start, end) lines when a slice
        self._units = units_of(self.glyphs, size, self.style.pitch, stringWidth)

    # ------------------------------------------------------------------ layout

    def _set(self, avail_width: float, *, keep: bool = False) -> list[Line]:
        """The lines at ``avail_width``. A slice keeps the layout it was cut from, and so does
        ``keep`` (ReportLab splits a table cell with the column width, padding included)."""
        width = avail_width - self.style.left_indent - self.style.right_indent
        frozen = self._slice is not None or keep
        if self._layout is None or (not frozen and abs(self._layout.width - width) > 1e-6):
            st = self.style
            lines = layout(
                self._units, width, first_indent=st.first_indent, align=st.align, size=st.size
            )
            self._layout = _Layout(width, lines)
        lines = self._layout.lines
        if self._slice is not None:
            a, b = self._slice
            return lines[a:b]
        return lines

    @property
    def lines(self) -> list[Line]:
        """The set lines (of this slice); empty before the first :meth:`wrap`."""
        if self._layout is None:
            return []
        if self._slice is not None:
            a, b = self._slice
            return self._layout.lines[a:b]
        return self._layout.lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        lines = self._set(avail_width)
        self.width = avail_width
        self.height = max(len(lines), 1 if not self.glyphs else 0) * self.style.leading
        return self.width, self.height

    def line_count(self, avail_width: float) -> int:
        return len(self._set(avail_width))

    def slice(self, start: int, end: int) -> SetParagraph:
        """A flowable of lines ``start`` to ``end`` (of this paragraph's full layout)."""
        if self._layout is None:
            raise RuntimeError("slice() before wrap()")
        base = self._slice[0] if self._slice else 0
        part = SetParagraph.__new__(SetParagraph)
        Flowable.__init__(part)
        part.glyphs = self.glyphs
        part.style = self.style
        part.where = self.where
        part.min_lines = self.min_lines
        part.move_cost = 0.0
        part._units = self._units
        part._layout = self._layout
        part._slice = (base + start, base + end)
        return part

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """Split by whole lines: never one line alone at the foot of a page; one line alone at
        the head of the next only when moving the paragraph would leave more than two lines
        empty. ``move_cost`` (set by a heading kept with this paragraph) is the height that
        moving would leave empty, when more than ``avail_height``."""
        lines = self._set(avail_width, keep=True)
        total = len(lines)
        leading = self.style.leading
        fit = int((avail_height + 1e-6) // leading)
        if fit >= total:  # fits after all (a table cell asks with its own arithmetic)
            return [self.slice(0, total), self.slice(total, total)]
        keep = self.min_lines
        # a slice that continues a paragraph from above may leave a single line: it is not alone
        if fit < (1 if self._slice and self._slice[0] > 0 else keep) or fit < 1:
            return []
        if total - fit < keep:
            empty_if_moved = max(self.move_cost, avail_height) / leading
            if total - keep >= keep:
                fit = total - keep
            elif empty_if_moved <= 2.05:
                return []
            # else: the last line goes on alone rather than leave a page three lines short
        return [self.slice(0, fit), self.slice(fit, total)]

    # ------------------------------------------------------------------ drawing

    def draw(self) -> None:
        canv = self.canv
        st = self.style
        lines = self.lines
        canv.saveState()
        canv.setFillColor(colors.black)
        if st.stroke:
            canv.setStrokeColor(colors.black)
            canv.setLineWidth(st.stroke)
        # Baseline of the first line: the glyph body (about 0.88 em above the baseline)
        # centred in the line pitch, as a word processor sets it.
        y = self.height - (st.leading - st.size) / 2 - 0.88 * st.size
        for line in lines:
            x0 = st.left_indent + line.indent
            units, xs = line.units, line.xs
            k = 0
            while k < len(units):
                unit = units[k]
                if unit.space:
                    k += 1
                    continue
                if unit.cjk:
                    # a run of grid characters of one font and width: one string, with the
                    # character spacing that puts each on its (justified) place
                    g0 = unit.glyphs[0]
                    natural = stringWidth(g0.char, g0.font, st.size)
                    j = k + 1
                    while (
                        j < len(units)
                        and units[j].cjk
                        and units[j].glyphs[0].font == g0.font
                        and abs(stringWidth(units[j].glyphs[0].char, g0.font, st.size) - natural)
                        < 1e-6
                    ):
                        j += 1
                    step = xs[k + 1] - xs[k] if j - k > 1 else unit.width
                    self._draw_run(
                        "".join(u.glyphs[0].char for u in units[k:j]),
                        g0.font,
                        x0 + xs[k] + (unit.width - natural) / 2 * (natural > unit.width),
                        y,
                        step - natural,
                    )
                    k = j
                    continue
                self._draw_unit(unit, x0 + xs[k], y)
                k += 1
            y -= st.leading
        canv.restoreState()

    def _draw_run(self, chars: str, font: str, x: float, y: float, char_space: float) -> None:
        text = self.canv.beginText(x, y)
        if self.style.stroke:
            text.setTextRenderMode(2)
        text.setFont(font, self.style.size)
        text.setCharSpace(char_space)
        text.textOut(chars)
        self.canv.drawText(text)

    def _draw_unit(self, unit: Unit, x: float, y: float) -> None:
        canv = self.canv
        st = self.style
        text = canv.beginText(x, y)
        text.setCharSpace(0)  # Tc is graphics state: it outlives the last run's BT/ET
        if st.stroke:
            text.setTextRenderMode(2)
        if unit.cjk:
            g = unit.glyphs[0]
            natural = stringWidth(g.char, g.font, st.size)
            # centre a glyph narrower or wider than its grid cell in the cell
            text.setTextOrigin(x + (unit.width - natural) / 2 if natural > unit.width else x, y)
            text.setFont(g.font, st.size)
            text.textOut(g.char)
        else:
            font = ""
            chunk = ""
            for g in unit.glyphs:
                if g.font != font and chunk:
                    text.setFont(font, st.size)
                    text.textOut(chunk)
                    chunk = ""
                font = g.font
                chunk += g.char
            if chunk:
                text.setFont(font, st.size)
                text.textOut(chunk)
        canv.drawText(text)
