"""The working-day calendar's import service and export (国务院办公厅部分节假日安排): importing a
year adds it once, the years missing, the help text, and every export format read back as it was
written (CSV, Excel, .ics, JSON) and as Excel and phones read it. The file formats the import
reads: ``test_calendar_import.py``."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from test_calendar_import import triples

from firecase.errors import ValidationError
from firecase.services.calendar_import import (
    FORMATS_HELP,
    export_calendar_year,
    import_calendar_file,
    missing_years,
    parse_calendar_text,
    read_calendar_file,
)
from firecase.services.settings import add_calendar_year, get_calendar
from firecase.store import open_case_file


def test_import_adds_the_year_once(tmp_path: Path) -> None:
    source = tmp_path / "2031.csv"
    source.write_text("2031-01-01,节假日,元旦\n2031-02-08,调休上班,春节\n", encoding="utf-8")
    with open_case_file(tmp_path / "c.sqlite", user="测试") as cf:
        view = import_calendar_file(cf, source)
        assert 2031 in view.years and 2031 in get_calendar(cf).years
        with pytest.raises(ValidationError, match="2031 年已在日历中"):
            import_calendar_file(cf, source)


def test_missing_years() -> None:
    assert missing_years((2024, 2026), dt.date(2026, 5, 1)) == (2025, 2027)
    assert missing_years((), dt.date(2026, 5, 1)) == (2026, 2027)


def test_the_help_text_shows_an_example() -> None:
    assert "2027/1/1,休,元旦" in FORMATS_HELP and "GBK" in FORMATS_HELP and ".ics" in FORMATS_HELP
    parsed = parse_calendar_text("2027/1/1,休,元旦\n2027年2月7日,班,春节\n", ".csv")
    assert len(parsed.days) == 2  # the example itself imports


# ---------------------------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------------------------

YEAR_2031 = (
    ("2031-01-01", "holiday", "元旦"),
    ("2031-01-22", "holiday", "春节"),
    ("2031-01-23", "holiday", "春节"),
    ("2031-01-24", "holiday", "春节"),
    ("2031-01-26", "workday", "春节"),
    ("2031-10-01", "holiday", "国庆节"),
    ("2031-10-11", "workday", "国庆节"),
)


@pytest.fixture
def case_file_2031(tmp_path: Path) -> Any:
    from firecase.services.dto import CalendarDayInput

    with open_case_file(tmp_path / "c.sqlite", user="测试") as cf:
        days = tuple(CalendarDayInput(dt.date.fromisoformat(d), k, n) for d, k, n in YEAR_2031)
        add_calendar_year(cf, 2031, days)
        yield cf


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".ics", ".json"])
def test_export_then_import_gives_the_same_days(
    case_file_2031: Any, tmp_path: Path, suffix: str
) -> None:
    target = tmp_path / f"2031年节假日{suffix}"
    assert export_calendar_year(case_file_2031, 2031, target) == target
    parsed = read_calendar_file(target)
    assert parsed.year == 2031 and parsed.notes == ()
    assert [(d.day.isoformat(), d.kind, d.name) for d in parsed.days] == list(YEAR_2031)
    with open_case_file(tmp_path / f"other{suffix}.sqlite", user="测试") as other:
        view = import_calendar_file(other, target)
        assert [(d.day.isoformat(), d.kind, d.name) for d in view.days if d.day.year == 2031] == (
            list(YEAR_2031)
        )


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".ics", ".json"])
def test_export_of_a_bundled_year_lists_its_weekend_days(tmp_path: Path, suffix: str) -> None:
    with open_case_file(tmp_path / "c.sqlite", user="测试") as cf:
        stored = [d for d in get_calendar(cf).days if d.day.year == 2026]
        target = export_calendar_year(cf, 2026, tmp_path / f"2026{suffix}")
    parsed = read_calendar_file(target)
    changing = [
        (d.day, d.kind, d.name) for d in stored if (d.kind == "holiday") == (d.day.weekday() < 5)
    ]
    assert triples(parsed) == changing
    assert len(parsed.weekend_rest_days) == len(stored) - len(changing)


def test_the_exported_files_as_excel_and_phones_read_them(
    case_file_2031: Any, tmp_path: Path
) -> None:
    csv_bytes = export_calendar_year(case_file_2031, 2031, tmp_path / "y.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf") and b"\r\n" in csv_bytes  # Excel opens UTF-8
    assert csv_bytes.decode("utf-8-sig").splitlines()[1] == "2031-01-01,法定节假日,元旦,星期三"
    book = load_workbook(export_calendar_year(case_file_2031, 2031, tmp_path / "y.xlsx"))
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["日期", "类型", "名称", "星期"]
    assert (
        sheet["A2"].value == dt.datetime(2031, 1, 1) and sheet["A2"].number_format == "yyyy-mm-dd"
    )
    assert sheet.column_dimensions["A"].width >= 12
    text = export_calendar_year(case_file_2031, 2031, tmp_path / "y.ics").read_text(
        encoding="utf-8"
    )
    assert "PRODID:-//FireCase//" in text and "UID:20310101-holiday@firecase" in text
    assert "SUMMARY:元旦 休" in text and "SUMMARY:春节 班" in text
    assert "DTSTART;VALUE=DATE:20310101" in text and "DTEND;VALUE=DATE:20310102" in text
    data = json.loads(
        (export_calendar_year(case_file_2031, 2031, tmp_path / "y.json")).read_text("utf-8")
    )
    assert data["years"] == [2031] and data["holidays"]["2031-01-01"] == "元旦"


def test_export_problems(case_file_2031: Any, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=re.escape(".csv、.xlsx、.ics 或 .json")):
        export_calendar_year(case_file_2031, 2031, tmp_path / "y.pdf")
    with pytest.raises(ValidationError, match="2040 年不在日历中"):
        export_calendar_year(case_file_2031, 2040, tmp_path / "y.csv")
    with pytest.raises(ValidationError, match="无法写入文件"):
        export_calendar_year(case_file_2031, 2031, tmp_path / "no" / "such" / "y.csv")
    assert not list(tmp_path.glob(".*.part"))
