"""The register workbook writer and the register cell readers (no database): amounts written
and read back exactly, widths counted for CJK text, headers broken before their article."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st
from openpyxl import load_workbook

from firecase.services._register_read import (
    CellError,
    as_count,
    as_date,
    as_money,
    as_names,
    as_time,
    group_marks,
)
from firecase.services._register_xlsx import (
    AREA,
    DATE,
    LONG,
    MONEY,
    TEXT,
    Column,
    RegisterTable,
    column_widths,
    display_width,
    header_text,
    workbook_bytes,
)

fen = st.integers(min_value=0, max_value=10**15 - 1)  # amounts of at most 15 digits, in 分


def _table(rows: list[tuple[object, ...]], columns: tuple[Column, ...]) -> RegisterTable:
    return RegisterTable(
        "cases",
        "案件台账",
        "天门市消防救援大队",
        dt.datetime(2026, 6, 1, 8, 0),
        columns,
        tuple(rows),
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(fen, min_size=1, max_size=20))
def test_amounts_are_written_and_read_back_exactly(values: list[int]) -> None:
    amounts = [Decimal(v).scaleb(-2) for v in values]
    data = workbook_bytes(_table([(a,) for a in amounts], (Column("金额", MONEY),)))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    written = re.findall(r'<c r="A(\d+)"[^>]*t="n"><v>([^<]*)</v>', xml)
    assert [Decimal(text) for _, text in written] == amounts  # the decimal text, to the 分
    sheet = load_workbook(io.BytesIO(data)).active
    for n, amount in enumerate(amounts, start=4):
        cell = sheet.cell(row=n, column=1)
        assert cell.data_type == "n" and cell.number_format == '#,##0.00"元"'
        assert as_money(cell.value) == amount  # what the import reads


def test_more_digits_than_excel_holds_are_exact_text() -> None:
    amount = Decimal("9999999999999999.99")
    data = workbook_bytes(_table([(amount,)], (Column("金额", MONEY),)))
    cell = load_workbook(io.BytesIO(data)).active.cell(row=4, column=1)
    assert cell.data_type == "s" and as_money(cell.value) == amount
    with pytest.raises(CellError, match="位数过多"):
        as_money(float(amount))  # a number cell that cannot be exact is refused, not rounded


def test_widths_count_cjk_twice_and_headers_break_before_the_article() -> None:
    assert display_width("ab") == 2 and display_width("天门") > 4
    assert header_text("调查期限（第十七条）") == "调查期限\n（第十七条）"
    assert header_text("等级变化报告期状态") == "等级变化报告期\n状态"
    assert header_text("姓名") == "姓名"
    columns = (
        Column("姓名"),
        Column("简要情况", LONG),
        Column("起火日期", DATE),
        Column("面积", AREA),
    )
    widths = column_widths(
        _table([("欧阳建国", "很长的情况" * 30, dt.date(2026, 3, 1), Decimal("320.5"))], columns)
    )
    assert widths[0] >= display_width("欧阳建国") and widths[1] == 46  # long text wraps at its cap
    assert widths[2] >= 10 and widths[3] >= display_width("320.50")
    assert column_widths(_table([], (Column("调查期限（第十七条）", DATE),)))[0] >= display_width(
        "（第十七条）"
    )


def test_cells_are_read_as_their_fields_need() -> None:
    assert as_date("2026/3/14") == as_date("2026年3月14日") == dt.date(2026, 3, 14)
    assert as_date(dt.datetime(2026, 3, 14, 0, 0)) == dt.date(2026, 3, 14) and as_date(" ") is None
    with pytest.raises(CellError, match="不是日期"):
        as_date("三月十四日")
    assert as_money("3,200,000.50元") == Decimal("3200000.50") and as_money("320万元") == Decimal(
        "3200000"
    )
    assert as_money(386420.5) == Decimal("386420.5") and as_money(None) is None
    with pytest.raises(CellError, match="不是数字"):
        as_money("三百万")
    assert as_count("3人") == 3 and as_count(2.0) == 2 and as_count("") is None
    with pytest.raises(CellError, match="不是整数"):
        as_count(2.5)
    assert as_time("2时31分") == "02:31" and as_time(dt.time(14, 5)) == "14:05"
    assert as_time(0.5) == "12:00"
    assert as_names("陈晓红（胞妹）、刘强（兄）\n李四") == ("陈晓红（胞妹）", "刘强（兄）", "李四")
    assert list(group_marks(as_names("技术组（组长）、综合组, 管理组(组长)"))) == [
        ("技术组", True),
        ("综合组", False),
        ("管理组", True),
    ]
    assert TEXT == "text"


def test_the_unit_row_gives_the_unit_room_when_the_title_spans_few_columns() -> None:
    """The 整改台账's first page holds four columns, the first a narrow 序号: the unit and the
    count were in A2 alone (7 units wide), cut off by the time in B2 ("制表单位：" only)."""
    from firecase.services._register_xlsx import COUNT, DATE, LONG, column_widths, display_width

    columns = (
        Column("序号", COUNT),
        Column("案件编号"),
        Column("案件名称"),
        Column("整改措施", LONG),
        Column("责任单位"),
        *(Column(f"栏{n}", LONG) for n in range(6)),
        Column("提出日期", DATE),
    )
    row = (1, "天消调〔2025〕第001号", "某" * 30, "措" * 60, "天门经济开发区管委会",
           *("说" * 60 for _ in range(6)), dt.date(2025, 4, 3))  # fmt: skip
    table = _table([row], columns)
    sheet = load_workbook(io.BytesIO(workbook_bytes(table))).active
    widths = column_widths(table)
    merged = {str(r).split(":")[0]: r for r in sheet.merged_cells.ranges}
    info_cell = next(c for c in sheet[2] if c.value and str(c.value).startswith("制表单位"))
    made_cell = next(c for c in sheet[2] if c.value and str(c.value).startswith("制表时间"))
    info_range = merged.get(info_cell.coordinate)
    last = info_range.max_col if info_range else info_cell.column
    room = sum(widths[info_cell.column - 1 : last])
    assert room >= display_width(table.info), (room, table.info)
    assert made_cell.column > last
    made_range = merged.get(made_cell.coordinate)
    made_last = made_range.max_col if made_range else made_cell.column
    assert sum(widths[made_cell.column - 1 : made_last]) >= display_width(table.made)


@pytest.mark.parametrize("text", ["1e100000000", "1E+999999999", "9e999999元", "-1e100000000"])
def test_a_number_beyond_decimal_range_is_a_cell_error_not_a_crash(text: str) -> None:
    """A cell "1e100000000" overflowed the decimal context (decimal.Overflow out of the
    import: an unexpected error instead of the row listed with its reason)."""
    from firecase.services._register_read import CellError, as_area, as_count, as_money

    for convert in (as_money, as_area, as_count):
        try:
            convert(text)
        except CellError as exc:
            assert "数" in exc.message
