"""Reading an Excel register someone else made, without believing it: the sheet and its cells.

``read_sheet`` opens an .xlsx from its bytes and refuses, with a Chinese message and never a
traceback, what is not one or is built to hurt: another format (.xls, CSV, a renamed file),
an empty file or sheet, a file above ``MAX_BYTES`` or unpacking beyond ``MAX_UNPACKED`` or at
a ratio above ``MAX_RATIO`` (a zip bomb), XML with a DOCTYPE (entity expansion), more than
``MAX_ROWS`` data rows. It reads at most ``MAX_COLUMNS`` columns in openpyxl's read-only mode
(streamed) and reports which cells hold formulas or error values (FireCase calculates nothing
a file says) and which ranges are merged (only the first cell of a range has a value).

The ``as_*`` converters turn a cell into what a service input takes — a date, an exact
``Decimal``, an int, a list of names — or raise ``CellError`` naming what the cell holds;
they check the form of a cell only, never whether the value is allowed (the services do).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

from firecase.errors import ValidationError
from firecase.services._calendar_cells import _as_date

FIELD = "file"
MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 5000
MAX_ROWS = 10000
MAX_COLUMNS = 200
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class SheetError(ValidationError):
    """The file or sheet cannot be read as a register (the message says why and what to do)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field=FIELD)


class CellError(ValueError):
    """A cell that is not written as its field needs (``message`` in Chinese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Sheet:
    """The cells of one worksheet as read: rows by their sheet row number (1-based), values in
    columns 0…; formula cells' text, error cells' code, and merged ranges
    (first row, first column, last row, last column; 1-based)."""

    name: str
    names: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    merged: tuple[tuple[int, int, int, int], ...] = ()
    wide: bool = False  # columns beyond MAX_COLUMNS were left out


def column_letter(index: int) -> str:
    """The letter of column ``index`` (0-based): 0 → A, 26 → AA."""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _check_zip(data: bytes) -> zipfile.ZipFile:
    unreadable = SheetError(
        "无法打开此文件：它不是有效的 Excel 工作簿（.xlsx），可能已损坏。请在 Excel 或 WPS 中"
        "打开后“另存为”Excel 工作簿（.xlsx）再导入。"
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise unreadable from exc
    if len(members) > MAX_MEMBERS:
        raise SheetError("此文件包含的部件过多，不是普通的 Excel 台账，未导入。")
    total = sum(info.file_size for info in members)
    if total > MAX_UNPACKED:
        raise SheetError(
            f"此文件解压后有 {total / 1024**2:.0f} MB，超过台账的上限 "
            f"{MAX_UNPACKED // 1024**2} MB，不像是一份台账，未导入。"
        )
    for info in members:
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            raise SheetError("此文件的压缩比异常（可能是“压缩炸弹”），未导入。")
    names = {info.filename for info in members}
    if "xl/workbook.xml" not in names:
        raise unreadable
    for info in members:
        if info.filename.endswith((".xml", ".rels")):
            with archive.open(info) as part:
                if _DTD.search(part.read(4096)):
                    raise SheetError(
                        "此文件含有文档类型定义（DOCTYPE），不是 Excel 写出的文件，未导入。"
                    )
    return archive


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> tuple[tuple[int, int, int, int], ...]:
    from openpyxl.utils.cell import range_boundaries

    found: list[tuple[int, int, int, int]] = []
    try:
        with archive.open(path) as source:
            for _, element in ElementTree.iterparse(source, events=("end",)):
                if element.tag.endswith("}mergeCell"):
                    min_col, min_row, max_col, max_row = range_boundaries(element.get("ref", ""))
                    found.append((min_row or 1, min_col or 1, max_row or 1, max_col or 1))
                element.clear()
    except (KeyError, ElementTree.ParseError, ValueError, TypeError):
        return ()
    return tuple(found)


def read_sheet(data: bytes, sheet: str | None = None) -> Sheet:
    """The worksheet ``sheet`` (default: the first) of the .xlsx ``data`` (see the module)."""
    from openpyxl import load_workbook

    if not data:
        raise SheetError("文件是空的（0 字节），其中没有台账。")
    if len(data) > MAX_BYTES:
        raise SheetError(
            f"文件有 {len(data) / 1024**2:.1f} MB，超过台账的上限 {MAX_BYTES // 1024**2} MB，"
            "请确认选对了文件，或分成几个文件导入。"
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetError(
            "这是旧版 Excel（.xls）文件或加密的工作簿，无法直接导入。请在 Excel 或 WPS 中"
            "打开后“另存为”Excel 工作簿（.xlsx）再导入。"
        )
    if not data.startswith(b"PK\x03\x04"):
        raise SheetError(
            "此文件不是 Excel 工作簿（.xlsx）（可能是 CSV、文本或改了扩展名的其他文件）。"
            "请在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（.xlsx）再导入。"
        )
    archive = _check_zip(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise SheetError(
            "无法读取此 Excel 工作簿（可能已损坏）。请在 Excel 或 WPS 中打开后重新保存再导入。"
        ) from exc
    try:
        names = tuple(ws.title for ws in book.worksheets)
        if not names:
            raise SheetError("此工作簿中没有工作表。")
        if sheet is not None and sheet not in names:
            raise SheetError(f"工作簿中没有名为“{sheet}”的工作表（有：{'、'.join(names)}）。")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        rows, formulas, errors, wide = _rows(ws)
        merged = _merged_ranges(archive, getattr(ws, "_worksheet_path", ""))
    except (SheetError, CellError):
        raise
    except Exception as exc:
        raise SheetError(
            "读取工作表时出错（文件可能已损坏），请在 Excel 中重新保存后再导入。"
        ) from exc
    finally:
        book.close()
        archive.close()
    if not rows:
        raise SheetError(f"工作表“{ws.title}”是空的，其中没有任何数据。")
    return Sheet(ws.title, names, tuple(rows), formulas, errors, merged, wide)


Cell = tuple[int, int]


def _rows(
    ws: Any,
) -> tuple[list[tuple[int, tuple[Any, ...]]], dict[Cell, str], dict[Cell, str], bool]:
    rows: list[tuple[int, tuple[Any, ...]]] = []
    formulas: dict[tuple[int, int], str] = {}
    errors: dict[tuple[int, int], str] = {}
    wide = False
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # a stated dimension is not believed: read what is there
    for n, cells in enumerate(ws.iter_rows(max_col=MAX_COLUMNS + 1), start=1):
        values = []
        for i, cell in enumerate(cells):
            value = cell.value
            if i >= MAX_COLUMNS:
                wide = wide or value is not None
                continue
            kind = getattr(cell, "data_type", "n")
            if kind == "f":
                formulas[(n, i)] = str(value)
                value = None
            elif kind == "e":
                errors[(n, i)] = str(value)
                value = None
            elif not isinstance(value, (str, int, float, Decimal, dt.date, dt.time, bool)):
                value = None if value is None else str(value)  # an array formula and the like
            values.append(value)
        while values and (values[-1] is None or values[-1] == ""):
            values.pop()
        if values:
            if len(rows) > MAX_ROWS + 50:
                raise SheetError(f"工作表超过 {MAX_ROWS} 行，请分成几个文件导入。")
            rows.append((n, tuple(values)))
    return rows, formulas, errors, wide


# --------------------------------------------------------------------------------------------
# cells
# --------------------------------------------------------------------------------------------


def norm(text: Any) -> str:
    """A header as compared: NFKC, no spaces or line breaks, no "*" marks, lower case."""
    return re.sub(r"[\s*＊]+", "", unicodedata.normalize("NFKC", str(text or ""))).lower()


def shown(value: Any) -> str:
    """A cell as the preview shows it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def as_text(value: Any) -> str:
    """Any cell as text (a number typed into a text field, e.g. a phone number, unchanged)."""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return shown(value)


def as_time(value: Any) -> str:
    """起火时间 as "HH:MM": a time cell, a date-time cell's time, or the text as written."""
    if isinstance(value, dt.datetime):
        return value.strftime("%H:%M")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and 0 <= value < 1:  # a time typed as a fraction of a day
        minutes = round(value * 24 * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    text = as_text(value).strip().replace("：", ":")
    found = re.fullmatch(r"(\d{1,2})[:时](\d{2})分?", text)
    return f"{int(found[1]):02d}:{found[2]}" if found else text


def as_date(value: Any) -> dt.date | None:
    """A date cell, a date typed as text (2026-03-14, 2026/3/14, 2026年3月14日) or a serial
    number; None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(f"“{shown(value)}”不是日期")
    day = _as_date(value)
    if day is None:
        raise CellError(f"“{shown(value)}”不是日期，应写成 2026-03-14、2026/3/14 或 2026年3月14日")
    return day


_MAX_DIGITS = 30  # digits before the point a number cell may have (far above any amount)


def _decimal(value: Any, unit: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(f"“{shown(value)}”不是数字")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        text = repr(value)
        digits = len(re.sub(r"[^0-9]", "", text.split("e")[0]).lstrip("0"))
        if "e" in text or digits > 15:
            raise CellError(
                f"“{text}”位数过多，Excel 的数字无法精确保存；请把该单元格设为文本，"
                "按元写出精确金额后再导入"
            )
        return Decimal(text)
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "").replace(" ", "")
    scale = Decimal(1)
    if unit == "元":
        text = text.removesuffix("元")
        if text.endswith("万"):
            text, scale = text[:-1], Decimal(10000)
    else:
        text = text.removesuffix("平方米").removesuffix("m2").removesuffix("㎡")
    try:
        amount = Decimal(text) * scale
    except ArithmeticError as exc:  # InvalidOperation; Overflow for "1e100000000"
        raise CellError(f"“{shown(value)}”不是数字（{unit}）") from exc
    if not amount.is_finite():
        raise CellError(f"“{shown(value)}”不是数字（{unit}）")
    if amount and amount.adjusted() > _MAX_DIGITS:  # "9e999999": no register holds such a number
        raise CellError(f"“{shown(value)}”数值过大，不是台账中的数字（{unit}）")
    return amount


def as_money(value: Any) -> Decimal | None:
    """An amount in 元: a number cell, or text such as "3,200,000.50元" or "320万元"."""
    return _decimal(value, "元")


def as_area(value: Any) -> Decimal | None:
    """An area in 平方米 (a number, or text such as "320.5平方米")."""
    return _decimal(value, "平方米")


def as_count(value: Any) -> int | None:
    """A whole number (人, 户): a number cell or text such as "3" or "3人"."""
    amount = _decimal(value.rstrip("人户名个") if isinstance(value, str) else value, "个")
    if amount is None:
        return None
    if amount != amount.to_integral_value():
        raise CellError(f"“{shown(value)}”不是整数")
    return int(amount)


_SPLIT = re.compile(r"[\n\r、，,；;]+")


def as_names(value: Any) -> tuple[str, ...]:
    """A list in one cell, one item a line or separated by 、，；: ("陈晓红（胞妹）", …)."""
    return tuple(part.strip() for part in _SPLIT.split(as_text(value)) if part.strip())


_MARK = re.compile(r"\s*[（(]\s*(组长|成员)\s*[)）]$")


def group_marks(names: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """The sub-groups of a member's cell (``as_names``): (name, leads it), as "技术组（组长）"
    marks the leader."""
    for name in names:
        mark = _MARK.search(name)
        yield (name[: mark.start()].strip(), mark[1] == "组长") if mark else (name.strip(), False)
