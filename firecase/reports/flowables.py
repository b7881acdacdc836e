"""The ReportLab flowables the report builder places (:mod:`firecase.reports.builder`).

A heading kept with what follows (``_KeepWith``), the 落款 kept with the last lines before it
(``_Closing``, 7.3.5.1), the 版头 of a 公文 (``_Masthead``, 7.2), a table that splits between
rows and inside a tall row (``_Table``), and the document template that remembers which case
part it is placing (``_Doc``), so a layout failure can name it.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Table,
)

from firecase.reports.base import (
    _MASTHEAD_RED,
    _RULE_GAP,
    BODY_LEADING,
    BODY_SIZE,
    TABLE_LEADING,
)
from firecase.reports.typeset import SetParagraph


class _KeepWith(Flowable):  # type: ignore[misc]
    """``first`` kept on a page with the start of ``second`` (a heading with the first two
    lines of its paragraph, or the last two lines of a paragraph with the 落款).

    Splitting splits ``second`` (its own rules keep at least two lines together) and keeps
    ``first`` with the part that stays; when even that does not fit, the pair moves on.
    """

    def __init__(self, first: Flowable, second: Flowable) -> None:
        super().__init__()
        self.first = first
        self.second = second
        self.where = getattr(second, "where", "") or getattr(first, "where", "")
        self._h1 = 0.0
        self._h2 = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        _w1, self._h1 = self.first.wrap(avail_width, avail_height)
        _w2, self._h2 = self.second.wrap(avail_width, max(avail_height - self._h1, 0))
        self.width = avail_width
        self.height = self._h1 + self._h2 + self.second.getSpaceBefore()
        return self.width, self.height

    def getSpaceBefore(self) -> float:
        return float(self.first.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.second.getSpaceAfter())

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        _w1, h1 = self.first.wrap(avail_width, avail_height)
        rest = avail_height - h1 - self.second.getSpaceBefore()
        if rest <= 0:
            if h1 <= avail_height:
                return []
            # a heading longer than the page itself (never in practice): split it
            first_parts = self.first.split(avail_width, avail_height)
            if len(first_parts) < 2:
                return []
            return [first_parts[0], _KeepWith(first_parts[1], self.second)]
        # moving the pair leaves the whole height empty, not just what the second is offered
        self.second.move_cost = max(getattr(self, "move_cost", 0.0), avail_height)
        try:
            parts = self.second.split(avail_width, rest)
        finally:
            self.second.move_cost = 0.0
        if len(parts) >= 2:
            return [_KeepWith(self.first, parts[0]), *parts[1:]]
        # the second cannot split (the 落款): the end of the first goes over with it
        _w2, h2 = self.second.wrap(avail_width, 0)  # its least height (the 落款: two lines)
        head = avail_height - h2 - self.second.getSpaceBefore()
        if head <= 0:
            return []
        self.first.move_cost = max(getattr(self, "move_cost", 0.0), avail_height)
        try:
            first_parts = self.first.split(avail_width, head)
        finally:
            self.first.move_cost = 0.0
        if len(first_parts) < 2 or not first_parts[1].wrap(avail_width, avail_height)[1]:
            return []
        return [first_parts[0], _KeepWith(first_parts[1], self.second)]

    def draw(self) -> None:
        top = self._h2 + self.second.getSpaceBefore()
        self.first.drawOn(self.canv, 0, top)  # first: text extraction follows drawing order
        self.second.drawOn(self.canv, 0, 0)


class _Closing(Flowable):  # type: ignore[misc]
    """The 落款 (GB/T 9704 7.3.5.1, 不加盖印章): one blank line under the text, the issuing
    body 右空二字, the date on the next line starting two characters right of the body's
    first character; when the date is longer, the date keeps 右空二字 and the body moves so
    it still starts two characters left of the date. A body too long for one line is broken
    between words into right-aligned lines (one longer than a page splits between them)."""

    def __init__(
        self,
        bodies: list[SetParagraph],
        date_line: SetParagraph | None,
        pitch: float,
        leading: float,
        *,
        blank: bool = True,
        note: SetParagraph | None = None,
    ) -> None:
        super().__init__()
        self.bodies = bodies
        self.date_line = date_line
        self.pitch = pitch
        self.leading = leading
        self.blank = blank
        self.note = note  # the 附注, set across the text width under the date
        self._note_lines = 1 if note is not None else 0
        self.where = "落款"

    @staticmethod
    def _width(p: SetParagraph) -> float:
        p.wrap(100_000, 100_000)
        lines = p.lines
        return lines[0].width if lines else 0.0

    def positions(self, avail_width: float) -> tuple[list[float], float]:
        """x of each body line's and of the date's first character."""
        widths = [self._width(b) for b in self.bodies]
        w_date = self._width(self.date_line) if self.date_line is not None else 0.0
        right = avail_width - 2 * self.pitch
        xs = [right - w for w in widths]
        date_x = (min(xs) if xs else right - w_date) + 2 * self.pitch
        if date_x + w_date > right:
            date_x = right - w_date
            shift = min(xs) - (date_x - 2 * self.pitch) if xs else 0.0
            xs = [x - shift for x in xs] if shift > 0 else xs
        return [max(x, 0.0) for x in xs], max(date_x, 0.0)

    def _lines(self) -> int:
        return len(self.bodies) + (self.date_line is not None) + self._note_lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # the blank line above gives way when it alone would push the block to the next page
        self.width = avail_width
        if self.note is not None:
            self._note_lines = max(self.note.line_count(avail_width), 1)
        full = (self._lines() + self.blank) * self.leading
        self.height = full if avail_height + 1e-6 >= full else self._lines() * self.leading
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        fit = int((avail_height + 1e-6) // self.leading) - self.blank
        if self._lines() * self.leading <= avail_height or fit < 2 or len(self.bodies) < 4:
            return []
        fit = min(fit, len(self.bodies) - 2)  # two lines of the body go on with the date
        head = _Closing(self.bodies[:fit], None, self.pitch, self.leading, blank=self.blank)
        tail = _Closing(
            self.bodies[fit:], self.date_line, self.pitch, self.leading, blank=False, note=self.note
        )
        return [head, tail]

    def draw(self) -> None:
        xs, date_x = self.positions(self.width)
        w = 100_000.0
        y = self._lines() * self.leading - self.leading
        for body, x in zip(self.bodies, xs, strict=True):
            body.wrap(w, self.leading)
            body.drawOn(self.canv, x, y)
            y -= self.leading
        if self.date_line is not None:
            self.date_line.wrap(w, self.leading)
            self.date_line.drawOn(self.canv, date_x, y)
        if self.note is not None:
            self.note.wrap(self.width, self._note_lines * self.leading)
            self.note.drawOn(self.canv, 0, 0)


class _Masthead(Flowable):  # type: ignore[misc]
    """The 版头 (GB/T 9704 7.2): the issuing body's mark centred in red (its lines set in
    ``size``), one blank line, the document number — centred, or 居左空一字 with the 签发人
    居右空一字 on the same line for a 上行文; its line left empty while the number is not yet
    given — and 4 mm under it the red separator line as
    wide as the text block; the title follows one blank line under the line. The mark stands at
    the top of the text block (not 35 mm down as on pre-printed letterhead paper), so a short
    document still fits one page."""

    def __init__(
        self,
        mark: list[list[tuple[str, str]]],
        size: float,
        number: list[tuple[str, str]],
        signer: list[tuple[str, str]],
        pitch: float,
        stroke: float,
        width_of: Callable[[list[tuple[str, str]], float], float],
    ) -> None:
        super().__init__()
        self.mark = mark
        self.size = size
        self.number = number
        self.signer = signer
        self.pitch = pitch
        self.stroke = stroke
        self.width_of = width_of
        self.where = "版头"
        self.spaceAfter = BODY_LEADING

    def _mark_height(self) -> float:
        return len(self.mark) * self.size * 1.25

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        # the number's line stands even while the number is not yet given (a document in the
        # government's name is numbered by its office): room to write it in
        self.height = self._mark_height() + 2 * BODY_LEADING + _RULE_GAP
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setFillColor(_MASTHEAD_RED)
        canv.setStrokeColor(_MASTHEAD_RED)
        y = self.height - self.size * 1.02
        for line in self.mark:
            x = (self.width - self.width_of(line, self.size)) / 2
            for font, chunk in line:
                text = canv.beginText(x, y)
                if self.stroke:
                    canv.setLineWidth(self.stroke)
                    text.setTextRenderMode(2)
                text.setFont(font, self.size)
                text.textOut(chunk)
                canv.drawText(text)
                x += stringWidth(chunk, font, self.size)
            y -= self.size * 1.25
        canv.setFillColor(colors.black)
        canv.setStrokeColor(colors.black)
        base = _RULE_GAP + (BODY_LEADING - BODY_SIZE) / 2 + 0.12 * BODY_SIZE
        if self.signer:
            self._runs(self.number, self.pitch, base)
            w = self.width_of(self.signer, BODY_SIZE)
            self._runs(self.signer, self.width - self.pitch - w, base)
        elif self.number:
            w = self.width_of(self.number, BODY_SIZE)
            self._runs(self.number, (self.width - w) / 2, base)
        canv.setStrokeColor(_MASTHEAD_RED)
        canv.setLineWidth(1.0)
        canv.line(0, _RULE_GAP * 0.3, self.width, _RULE_GAP * 0.3)
        canv.restoreState()

    def _runs(self, runs: list[tuple[str, str]], x: float, y: float) -> None:
        for font, chunk in runs:
            text = self.canv.beginText(x, y)
            text.setTextRenderMode(0)  # the mark's stroked mode is text state: it carries over
            text.setFont(font, BODY_SIZE)
            text.textOut(chunk)
            self.canv.drawText(text)
            x += stringWidth(chunk, font, BODY_SIZE)


class _Table(Table):  # type: ignore[misc]
    """A table that splits between rows where it can, and inside a row only when that row is
    taller than six lines — a short row moves to the next page whole, a tall one never
    leaves a page half empty."""

    # a row of more than six lines may split (each piece then holds at least four); a
    # shorter one moves on whole. Pieces of a split table keep these class values.
    tall_row = 6 * TABLE_LEADING + 8

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        # column shares summing to 1 can add up to a hair over the frame width; ReportLab then
        # refuses to split at all ("split called with inadequate width")
        avail_width += 0.01
        self._calc(avail_width, avail_height)
        used = 0.0
        for n, height in enumerate(self._rowHeights):
            if used + height > avail_height:
                if height > self.tall_row and n >= self.repeatRows:
                    # split inside the tall row here, so its rest does not start a second
                    # table (with a repeated header) on what is left of this page
                    parts: list[Flowable] = self._splitRows(avail_height, doInRowSplit=True)
                    if parts:
                        return parts
                    # what would be left of the row is shorter than a piece may be (a row
                    # that fits a page alone but not under the repeated header): end this
                    # piece earlier, so the rest holds the least a piece may hold
                    earlier = used + height - self.splitInRow
                    if earlier < avail_height and height >= 2 * self.splitInRow:
                        parts = self._splitRows(earlier, doInRowSplit=True)
                        if parts:
                            return parts
                break
            used += height
        result: list[Flowable] = self._splitRows(avail_height, doInRowSplit=False)
        return result


class EnoughPages(Exception):
    """Raised when the pages a partial build asked for are laid out (``_Doc.stop_after``)."""


class _Doc(BaseDocTemplate):  # type: ignore[misc]
    """Remembers the flowable being placed, so a layout failure can name its field; with
    ``stop_after`` it stops once that many pages are laid out (a preview's first page)."""

    current_where = ""
    stop_after = 0

    def afterPage(self) -> None:
        # called by handle_pageEnd before the page is shown: the caller shows and saves it
        if self.stop_after and self.page >= self.stop_after:
            raise EnoughPages

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        if flowables:
            self.current_where = getattr(flowables[0], "where", "") or self.current_where
        super().handle_flowable(flowables)
