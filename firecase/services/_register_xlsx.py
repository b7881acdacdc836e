"""A register (台账) as an Excel workbook: one sheet laid out as registers are kept by hand.

Row 1 is the title (what the register is, and for one case which), row 2 the unit that made it
and, in its own cell at the right, when; row 3 the header, then one row per record. Rows 1–3
are frozen (and the first ``freeze_columns`` columns), the header carries an autofilter and
repeats on every printed page (landscape, fitted to the page width, page numbers in the
footer).

Cells are real values with a number format, never numbers as text: dates are Excel dates
(``yyyy-mm-dd``); amounts are the exact ``Decimal`` 元 the case file holds, written as the
amount's own decimal text in a number cell (``value_cell``: no float rounding enters the
file; one beyond Excel's 15 digits, above ten trillion 元, as exact text) shown
``#,##0.00"元"``;
days left are signed integers shown 剩N日 / 逾期N日. Column widths are fitted to the text with
CJK characters counted twice as wide as Latin ones; long texts wrap within a capped width and
the row is made tall enough for their lines.

Written in openpyxl's write-only mode, so a register of every case of a large file streams
instead of holding a cell object per value.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

TEXT, LONG, DATE, MONEY, COUNT, AREA, DAYS = (
    "text",
    "long",
    "date",
    "money",
    "count",
    "area",
    "days",
)
"""Column kinds: short text, long text (wrapped), date, amount in 元, count, 平方米, days left."""

TITLE_ROW, INFO_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW = 4

NUMBER_FORMATS = {
    DATE: "yyyy-mm-dd",
    MONEY: '#,##0.00"元"',
    COUNT: "0",
    AREA: "#,##0.00",
    DAYS: '"剩"0"日";"逾期"0"日";"今日到期"',
}
_CAPS = {TEXT: 30, LONG: 46, DATE: 12, MONEY: 24, COUNT: 10, AREA: 16, DAYS: 12}
_MIN_WIDTH = 6
_LINE_POINTS = 15.0  # one line of 11-point 宋体
_WIDE = 2.15  # a CJK character, in widths of "0"
_HEADER_LINE = 14.0  # a header wider than this is broken (``header_text``)
_SCREEN = 180.0  # about what a screen shows without scrolling, in column units
_PAGE_A4, _PAGE_A3 = 140.0, 205.0  # printable width of a landscape page, in column units
FONT_NAME = "宋体"


@dataclass(frozen=True)
class Column:
    """One column of a register: its header and the kind of value it holds."""

    header: str
    kind: str = TEXT
    max_width: int | None = None  # instead of the kind's cap (e.g. a SHA-256 on one line)


@dataclass(frozen=True)
class RegisterTable:
    """What one register sheet shows (frozen data in; no database access here)."""

    kind: str  # the slug: "cases", "members", …
    title: str  # "案件台账", or "调查组名单（天消调〔2026〕第001号 …）"
    organisation: str  # 制表单位
    made_at: dt.datetime
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    sheet_name: str = ""
    freeze_columns: int = 0
    wide: bool = False  # printed on A3

    @property
    def info(self) -> str:
        """Row 2, left: the unit and how many records."""
        return f"制表单位：{self.organisation}　　共 {len(self.rows)} 条"

    @property
    def made(self) -> str:
        """Row 2, right: when the register was made."""
        return f"制表时间：{self.made_at:%Y-%m-%d %H:%M}"


def display_width(text: str) -> float:
    """The width of ``text`` in Excel's units (the width of "0"): a CJK (wide or full-width)
    character counts a little over 2, as 宋体 and the faces standing in for it set it."""
    return sum(_WIDE if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in text)


def header_text(header: str) -> str:
    """The header as its cell holds it: a long one broken before its article "（第十七条）"
    or before "状态", so the column need not be as wide as the whole header."""
    if display_width(header) <= _HEADER_LINE:
        return header
    if "（" in header and not header.startswith("（"):
        head, _, tail = header.partition("（")
        return f"{head}\n（{tail}"
    if header.endswith("状态") and len(header) > 4:
        return f"{header[:-2]}\n状态"
    return header


def shown(value: Any, kind: str) -> str:
    """``value`` as the cell shows it (for fitting widths and heights)."""
    if value is None:
        return ""
    if kind == DATE and isinstance(value, dt.date):
        return value.isoformat()
    if kind == MONEY and isinstance(value, Decimal | int):
        return f"{value:,.2f}元"
    if kind == AREA and isinstance(value, Decimal | int):
        return f"{value:,.2f}"
    if kind == DAYS and isinstance(value, int):
        return f"逾期{-value}日" if value < 0 else f"剩{value}日"
    return str(value)


def column_widths(table: RegisterTable) -> list[float]:
    """Each column's width: its widest value's line within the kind's cap (longer text wraps),
    and never narrower than its header's widest line with room for the filter button."""
    widths: list[float] = []
    for i, col in enumerate(table.columns):
        cap = col.max_width or _CAPS[col.kind]
        head = max(display_width(line) for line in header_text(col.header).splitlines()) + 3
        widest = 0.0
        for row in table.rows:
            for line in shown(row[i], col.kind).splitlines() or [""]:
                widest = max(widest, display_width(line) + 2)
        widths.append(float(round(max(_MIN_WIDTH, head, min(cap, widest)), 1)))
    return widths


def title_span(widths: Sequence[float], pages: int = 1) -> int:
    """How many columns the title and the unit row span: those of the first printed page
    (the sheet is printed ``pages`` wide), at most about a screen, all of them when narrower:
    the title is seen without scrolling and centred over what the first page shows."""
    room = min(_SCREEN, sum(widths) / max(1, pages))
    total = 0.0
    for n, width in enumerate(widths, start=1):
        total += width
        if total >= room - 0.5:
            return n
    return len(widths)


def _lines(text: str, width: float) -> int:
    room = max(1.0, width - 1.5)
    return sum(max(1, math.ceil(display_width(line) / room)) for line in text.splitlines() or [""])


def row_height(values: Sequence[str], widths: Sequence[float]) -> float | None:
    """The height a row needs for its wrapped lines, or None for one line."""
    lines = max((_lines(v, w) for v, w in zip(values, widths, strict=True)), default=1)
    return None if lines <= 1 else round(lines * _LINE_POINTS + 3, 1)


EXCEL_DIGITS = 15
"""Significant digits an Excel number holds (a double shown to 15 digits)."""


def value_cell(sheet: Any, value: Any, kind: str) -> Any:
    """The write-only cell of ``value``. An exact amount (``Decimal``) is written as its own
    decimal text: openpyxl formats numbers with ``%.16g`` through a float, which writes
    9266434130788.88 as 9266434130788.881. One of more than ``EXCEL_DIGITS`` significant
    digits, which no Excel number holds, is written as text, exact."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, Decimal) and kind in (MONEY, AREA) and value.is_finite():
        text = format(value, "f")
        cell = WriteOnlyCell(sheet, text)
        if len(value.normalize().as_tuple().digits) <= EXCEL_DIGITS:
            cell.data_type = "n"  # a number cell holding exactly this decimal text
        return cell
    return WriteOnlyCell(sheet, value)


def _safe_sheet_name(name: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'")
    return cleaned[:31] or "台账"


def workbook_bytes(table: RegisterTable) -> bytes:
    """The .xlsx file of ``table`` (see the module docstring for its layout)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook(write_only=True)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    styles: dict[str, NamedStyle] = {}
    for kind in (TEXT, LONG, DATE, MONEY, COUNT, AREA, DAYS):
        style = NamedStyle(name=f"register_{kind}")
        style.font = Font(name=FONT_NAME, size=11)
        style.border = border
        right = kind in (MONEY, COUNT, AREA, DAYS)
        style.alignment = Alignment(
            horizontal="right" if right else ("center" if kind == DATE else "left"),
            vertical="top",
            wrap_text=kind in (TEXT, LONG),
        )
        style.number_format = NUMBER_FORMATS.get(kind, "General")
        book.add_named_style(style)
        styles[kind] = style
    header = NamedStyle(name="register_header")
    header.font = Font(name=FONT_NAME, size=11, bold=True)
    header.fill = PatternFill("solid", fgColor="DDE4EE")
    header.border = border
    header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    book.add_named_style(header)

    sheet = book.create_sheet(_safe_sheet_name(table.sheet_name or table.title))
    last = len(table.columns)
    last_letter = get_column_letter(last)
    widths = column_widths(table)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = f"{get_column_letter(table.freeze_columns + 1)}{FIRST_DATA_ROW}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    if sum(widths) > (_PAGE_A3 if table.wide else _PAGE_A4):  # the record on every page
        sheet.print_title_cols = "A:B"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A3 if table.wide else Worksheet.PAPERSIZE_A4
    page = _PAGE_A3 if table.wide else _PAGE_A4
    pages = max(1, math.ceil(sum(widths) / page))
    sheet.page_setup.fitToWidth = pages
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.oddHeader.center.text = table.title

    span = title_span(widths, pages)
    span_letter = get_column_letter(span)
    title = WriteOnlyCell(sheet, table.title)
    title.font = Font(name=FONT_NAME, size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[TITLE_ROW].height = 30
    sheet.append([title])
    repeat = sum(widths) > (_PAGE_A3 if table.wide else _PAGE_A4)  # A:B on every page
    first = 3 if repeat and span > 5 else 1  # the unit: not in the columns every page repeats
    made_at = max(first + 1, span - 2)  # the time: the span's last three columns, right-aligned

    def room(a: int, b: int) -> float:  # columns a..b (1-based, inclusive)
        return sum(widths[a - 1 : b])

    while (  # a few wide columns (整改台账: 序号, 编号, 名称, 措施): the unit is not cut off
        made_at < span
        and room(first, made_at - 1) < display_width(table.info)
        and room(made_at + 1, span) >= display_width(table.made)
    ):
        made_at += 1
    info = WriteOnlyCell(sheet, table.info)
    info.font = Font(name=FONT_NAME, size=11)
    info.alignment = Alignment(horizontal="left", vertical="center")
    made = WriteOnlyCell(sheet, table.made)
    made.font = Font(name=FONT_NAME, size=11)
    made.alignment = Alignment(horizontal="right", vertical="center")
    sheet.row_dimensions[INFO_ROW].height = 20
    sheet.append([*([None] * (first - 1)), info, *([None] * (made_at - first - 1)), made])
    if span > 1:
        sheet.merged_cells.add(f"A{TITLE_ROW}:{span_letter}{TITLE_ROW}")
    if made_at - 1 > first:
        start = get_column_letter(first)
        sheet.merged_cells.add(f"{start}{INFO_ROW}:{get_column_letter(made_at - 1)}{INFO_ROW}")
    if made_at < span:
        sheet.merged_cells.add(f"{get_column_letter(made_at)}{INFO_ROW}:{span_letter}{INFO_ROW}")

    heads = []
    for col in table.columns:
        cell = WriteOnlyCell(sheet, header_text(col.header))
        cell.style = header.name
        heads.append(cell)
    sheet.row_dimensions[HEADER_ROW].height = row_height(
        [header_text(c.header) for c in table.columns], widths
    ) or (_LINE_POINTS + 5)
    sheet.append(heads)
    for n, values in enumerate(table.rows, start=FIRST_DATA_ROW):
        cells = []
        for col, value in zip(table.columns, values, strict=True):
            cell = value_cell(sheet, value, col.kind)
            cell.style = styles[col.kind].name
            cells.append(cell)
        height = row_height(
            [shown(v, c.kind) for c, v in zip(table.columns, values, strict=True)], widths
        )
        if height is not None:
            sheet.row_dimensions[n].height = height
        sheet.append(cells)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_letter}{HEADER_ROW + len(table.rows)}"

    book.properties.creator = "FireCase"
    book.properties.title = table.title
    book.properties.created = table.made_at.replace(tzinfo=None)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
