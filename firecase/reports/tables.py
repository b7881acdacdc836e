"""The tables of a report (GB/T 9704 body text in cells): data tables with a repeating header
and a 序号 column, the key-value table of the facts, and the signature table of the team
(第十八条第二款: every member signs; a recused one is left out). A mixin of
:class:`~firecase.reports.builder.ReportBuilder`, whose line setter and fonts its cells use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import (
    Table,
    TableStyle,
)

from firecase.reports.base import (
    _HEADER_FILL,
    _MIN_ROW_PIECE,
    _NUMBER_WIDTH,
    BODY_LEADING,
    TABLE_LEADING,
    TABLE_SIZE,
)
from firecase.reports.data import Signatory
from firecase.reports.document import SIGNATURE_COLUMNS, Column
from firecase.reports.flowables import (
    _Table,
)
from firecase.reports.fonts import FontSet
from firecase.reports.typeset import SetParagraph

_ALIGN = {"left": "justify", "center": "center", "right": "right", "justify": "justify"}


class TableBlocks:
    """The table blocks of :class:`~firecase.reports.builder.ReportBuilder` (which provides
    ``fonts`` and the text width)."""

    fonts: FontSet
    frame_width: float

    def cell(
        self, text: str, where: str, align: str = "left", *, font: str | None = None
    ) -> SetParagraph:
        """One table cell (禁则 kept, justified; line breaks kept)."""
        return SetParagraph(
            self.fonts.glyphs(text, font or self.fonts.body, where),
            size=TABLE_SIZE,
            leading=TABLE_LEADING,
            align=_ALIGN[align],
            where=where,
            min_lines=1,
        )

    def _header_cell(self, text: str, where: str, align: str = "center") -> SetParagraph:
        return self.cell(text, where, align, font=self.fonts.heading)

    def table(
        self,
        columns: Sequence[Column],
        rows: Iterable[Sequence[str]],
        where: str,
        *,
        numbered: bool = False,
        extra_style: Sequence[tuple[Any, ...]] = (),
        row_where: Callable[[int, int], str] | None = None,
    ) -> Table:
        """A grid table whose header row repeats on every page; long rows split across pages.

        ``numbered`` prepends a 序号 column; the other columns shrink in proportion.
        ``where`` names the table in errors; cells are named "<where>第N行“<header>”".
        """
        cols = list(columns)
        body_rows = [list(r) for r in rows]
        if numbered:
            share = 1 - _NUMBER_WIDTH
            cols = [
                Column("序号", _NUMBER_WIDTH, "center"),
                *(Column(c.header, c.width * share, c.align) for c in cols),
            ]
            body_rows = [[str(i), *r] for i, r in enumerate(body_rows, start=1)]
        data: list[list[Any]] = [[[self._header_cell(c.header, where)] for c in cols]]
        for i, row in enumerate(body_rows, start=1):
            cells = []
            for j, (col, value) in enumerate(zip(cols, row, strict=True)):
                cell_where = row_where(i, j) if row_where else f"{where}第{i}行“{col.header}”"
                cells.append([self.cell(value, cell_where, col.align)])
            data.append(cells)
        widths = [c.width * self.frame_width for c in cols]
        table = _Table(
            data,
            colWidths=widths,
            repeatRows=1,
            hAlign="CENTER",
            spaceBefore=BODY_LEADING / 4,
            spaceAfter=BODY_LEADING / 4,
            splitInRow=_MIN_ROW_PIECE,
        )
        table.setStyle(TableStyle([*self._grid_style(), *extra_style]))
        table.where = where
        return table

    def _grid_style(self) -> list[tuple[Any, ...]]:
        # FONTNAME: ReportLab sets the cell font even for empty string cells (and for the
        # pieces of a split row); without it the PDF references an unembedded Helvetica.
        return [
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.body),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), _HEADER_FILL),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]

    def key_value_table(self, pairs: Sequence[tuple[str, str]], where: str) -> Table:
        """A two-column facts table (label | value), labels in the heading face."""
        data = [
            [
                [self._header_cell(k, where, "left")],
                [self.cell(v, f"{where}“{k}”")],
            ]
            for k, v in pairs
        ]
        table = _Table(
            data,
            colWidths=[0.25 * self.frame_width, 0.75 * self.frame_width],
            splitInRow=_MIN_ROW_PIECE,
        )
        style = self._grid_style()
        style = [
            ("BACKGROUND", (0, 0), (0, -1), _HEADER_FILL) if cmd[0] == "BACKGROUND" else cmd
            for cmd in style
        ]
        table.setStyle(TableStyle(style))
        table.where = where
        return table

    def signature_table(self, signatories: Sequence[Signatory], where: str) -> Table:
        """Signature table grouped by sub-group, with a blank cell to sign for each member.

        Recused members are left out (第十五条) even when a caller passes them. Sub-groups keep
        the order in which they first appear; members keep the caller's order within a group.
        """
        active = [s for s in signatories if not s.recused]
        groups: dict[str, list[Signatory]] = {}
        for s in active:
            groups.setdefault(s.subgroup, []).append(s)
        cols = list(SIGNATURE_COLUMNS)
        data: list[list[Any]] = [[[self._header_cell(c.header, where)] for c in cols]]
        style = self._grid_style()
        for group, members in groups.items():
            row = len(data)
            named = f"{where}中专项小组“{group}”的名称（在“调查组”页修改）"
            data.append([[self._header_cell(group, named, "left")], [], [], []])
            style += [
                ("SPAN", (0, row), (-1, row)),
                ("BACKGROUND", (0, row), (-1, row), colors.Color(0.95, 0.95, 0.95)),
            ]
            for m in members:
                # named as the officer finds it: which member, which entry, where to change it
                member = f"{where}中调查组成员“{m.name}”（{group}）"
                fix = "（在“调查组”页修改）"
                unit = m.organisation + (f" {m.position}" if m.position else "")
                data.append(
                    [
                        [self.cell(m.name, f"{member}的姓名{fix}", "center")],
                        [self.cell(unit, f"{member}的单位及职务{fix}")],
                        [self.cell(m.role, f"{member}的调查组职务{fix}", "center")],
                        [],
                    ]
                )
                r = len(data) - 1
                style += [
                    ("TOPPADDING", (0, r), (-1, r), 11),
                    ("BOTTOMPADDING", (0, r), (-1, r), 11),
                ]
        widths = [c.width * self.frame_width for c in cols]
        table = _Table(
            data, colWidths=widths, repeatRows=1, hAlign="CENTER", splitInRow=_MIN_ROW_PIECE
        )
        table.setStyle(TableStyle(style))
        table.where = where
        return table

    # ------------------------------------------------------------------ page and build
