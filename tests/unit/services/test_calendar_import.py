"""Importing a year of the holiday calendar from CSV/JSON (no Qt): formats, errors, the service."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from firecase.errors import FirecaseError, ValidationError
from firecase.services.calendar_import import (
    FIELD,
    import_calendar_file,
    missing_years,
    parse_calendar_text,
    read_calendar_file,
)
from firecase.services.settings import get_calendar
from firecase.store import open_case_file


def test_the_accepted_forms() -> None:
    year, days = parse_calendar_text(
        '{"holidays": {"2030-01-01": "元旦"}, "workdays": {"2030-02-09": "春节"}}', ".json"
    )
    assert year == 2030 and [d.kind for d in days] == ["holiday", "workday"]
    year, days = parse_calendar_text(
        '{"year": 2030, "days": [{"day": "2030-10-01", "kind": "节假日", "name": "国庆节"}]}',
        ".JSON",
    )
    assert (year, days[0].day, days[0].name) == (2030, dt.date(2030, 10, 1), "国庆节")
    year, days = parse_calendar_text(
        '[{"date": "2030-05-01", "type": "holiday"}, {"date": "2030-04-28", "type": "班"}]', ".json"
    )
    assert [d.day for d in days] == [dt.date(2030, 4, 28), dt.date(2030, 5, 1)]  # sorted
    year, days = parse_calendar_text(
        "\ufeff日期,类型,名称\n2030-01-01,节假日,元旦\n\n2030-02-09,调休上班,春节\n", ".csv"
    )
    assert year == 2030 and [d.name for d in days] == ["元旦", "春节"]


@pytest.mark.parametrize(
    ("text", "suffix", "message"),
    [
        ("2030-01-01,节假日,元旦\n2031-01-01,节假日,元旦\n", ".csv", "一个年份"),
        ("2030-01-01,放一天,元旦\n", ".csv", "第1行：类型“放一天”"),
        ("2030-13-01,节假日,元旦\n", ".csv", "2027-01-01 的形式"),
        ("2030-01-01\n", ".csv", "三列"),
        ("", ".csv", "没有任何"),
        ("2030-01-01,节假日,元旦\n2030-01-01,节假日,元旦\n", ".csv", "不止一次"),
        ('{"days": [', ".json", "JSON 格式有误（第1行"),
        ('{"holidays": ["2030-01-01"]}', ".json", "“holidays”应为对象"),
        ('{"days": "2030-01-01"}', ".json", "“days”应为列表"),
        ('{"days": [{"kind": "holiday"}]}', ".json", "第1条：缺少日期"),
        ('{"days": [{"day": "2030-01-01"}]}', ".json", "第1条：类型"),
        ('{"days": [1]}', ".json", "第1条应为对象"),
        ('{"year": 2031, "days": [{"day": "2030-01-01", "kind": "holiday"}]}', ".json", "2031"),
        ("42", ".json", "没有日历条目"),
        ("2030-01-01,节假日", ".txt", "只能导入 .csv 或 .json"),
    ],
)
def test_every_problem_is_a_chinese_validation_error(text: str, suffix: str, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)) as caught:
        parse_calendar_text(text, suffix)
    assert caught.value.field == FIELD


def test_file_problems_name_the_file(tmp_path: Path) -> None:
    gbk = tmp_path / "2030.csv"
    gbk.write_bytes("2030-01-01,节假日,元旦\n".encode("gbk"))
    with pytest.raises(ValidationError, match=re.escape("“2030.csv”不是 UTF-8 编码")):
        read_calendar_file(gbk)
    with pytest.raises(ValidationError, match="找不到文件"):
        read_calendar_file(tmp_path / "missing.csv")
    with pytest.raises(ValidationError, match="无法读取文件"):
        read_calendar_file(tmp_path)  # a folder
    bad = tmp_path / "bad.csv"
    bad.write_text("2030-01-01,放一天\n", encoding="utf-8")
    with pytest.raises(FirecaseError, match=re.escape("“bad.csv”：第1行")):
        read_calendar_file(bad)


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
