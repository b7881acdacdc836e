"""Importing a year of the holiday calendar (no Qt): every encoding, date style and file format,
weekend rest days inside a holiday, hostile files. The service and the export:
``test_calendar_export.py``."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import Workbook

from firecase.errors import FirecaseError, ValidationError
from firecase.services.calendar_import import (
    FIELD,
    KINDS,
    MAX_BYTES,
    CalendarImport,
    SeveralYearsError,
    import_calendar,
    parse_calendar_bytes,
    parse_calendar_text,
    read_calendar_file,
)
from firecase.store import open_case_file

NEW_YEAR = dt.date(2027, 1, 1)  # a Friday


def triples(parsed: CalendarImport) -> list[tuple[dt.date, str, str]]:
    return [(d.day, d.kind, d.name) for d in parsed.days]


def test_the_accepted_forms() -> None:
    parsed = parse_calendar_text(
        '{"holidays": {"2030-01-01": "元旦"}, "workdays": {"2030-02-09": "春节"}}', ".json"
    )
    assert parsed.year == 2030 and [d.kind for d in parsed.days] == ["holiday", "workday"]
    parsed = parse_calendar_text(
        '{"year": 2030, "days": [{"day": "2030-10-01", "kind": "节假日", "name": "国庆节"}]}',
        ".JSON",
    )
    assert (parsed.year, parsed.days[0].day, parsed.days[0].name) == (
        2030,
        dt.date(2030, 10, 1),
        "国庆节",
    )
    parsed = parse_calendar_text(
        '[{"date": "2030-05-01", "type": "holiday"}, {"date": "2030-04-28", "type": "班"}]', ".json"
    )
    assert [d.day for d in parsed.days] == [dt.date(2030, 4, 28), dt.date(2030, 5, 1)]  # sorted
    parsed = parse_calendar_text(
        "\ufeff日期,类型,名称\n2030-01-01,节假日,元旦\n\n2030-02-09,调休上班,春节\n", ".csv"
    )
    assert parsed.year == 2030 and [d.name for d in parsed.days] == ["元旦", "春节"]
    assert parsed.notes == () and "1 个节假日、1 个调休上班日" in parsed.summary()


# ---------------------------------------------------------------------------------------------
# encodings, date styles, separators, type words, layouts
# ---------------------------------------------------------------------------------------------

CSV_2027 = "日期,类型,名称\n2027/1/1,休,元旦\n2027年2月7日,班,春节\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_every_encoding_chinese_excel_writes(tmp_path: Path, encoding: str) -> None:
    source = tmp_path / "2027.csv"
    source.write_bytes(CSV_2027.replace("\n", "\r\n").encode(encoding))
    parsed = read_calendar_file(source)
    assert triples(parsed) == [
        (NEW_YEAR, "holiday", "元旦"),
        (dt.date(2027, 2, 7), "workday", "春节"),
    ]


def test_gb18030_beyond_gbk(tmp_path: Path) -> None:
    source = tmp_path / "2027.csv"
    source.write_bytes("2027/1/1,休,元旦𠀀\n".encode("gb18030"))  # a character GBK lacks
    assert read_calendar_file(source).days[0].name == "元旦𠀀"


@pytest.mark.parametrize(
    "written",
    [
        "2027-01-01",
        "2027/1/1",
        "2027/01/01",
        "2027.1.1",
        "2027年1月1日",
        "2027 年 1 月 1 日",
        "2027年1月1号",
        "２０２７/１/１",
        "20270101",
        "46388",  # Excel's serial number
        "46388.0",
        "2027/1/1 0:00",  # how Excel writes a date-time cell to CSV
        "2027-01-01 00:00:00",
        "2027-01-01T00:00:00",
        "2027年1月1日（星期五）",
        "2027/1/1 周五",
    ],
)
def test_every_date_style(written: str) -> None:
    parsed = parse_calendar_text(f"{written},休,元旦\n", ".csv")
    assert triples(parsed) == [(NEW_YEAR, "holiday", "元旦")]


def test_excel_serial_numbers_and_the_1900_leap_bug() -> None:
    # Excel counts a 1900-02-29 that never was: serials after 59 are one day "late"
    for serial, day in (
        (18264, dt.date(1950, 1, 1)),
        (46388, NEW_YEAR),
        (46425, dt.date(2027, 2, 7)),
    ):
        parsed = parse_calendar_text(f"{serial},{'班' if day.weekday() >= 5 else '休'}\n", ".csv")
        assert parsed.days[0].day == day


@pytest.mark.parametrize("separator", [",", "\t", ";", "，", " "])
def test_every_separator(separator: str) -> None:
    text = f"2027/1/1{separator}休{separator}元旦\n2027/2/7{separator}班{separator}春节\n"
    assert [d.name for d in parse_calendar_text(text, ".txt").days] == ["元旦", "春节"]


@pytest.mark.parametrize("word", sorted(KINDS))
def test_every_type_word(word: str) -> None:
    day = NEW_YEAR if KINDS[word] == "holiday" else dt.date(2027, 2, 7)
    parsed = parse_calendar_text(f"{day.isoformat()},{word.upper()},名称\n", ".csv")
    assert triples(parsed) == [(day, KINDS[word], "名称")]


def test_the_words_the_issue_names() -> None:
    for word in ("休", "假", "节假日", "放假"):
        assert KINDS[word] == "holiday"
    for word in ("班", "调休", "上班", "工作日", "补班"):
        assert KINDS[word] == "workday"


def test_layouts_a_title_a_header_in_any_order_a_weekday_column_and_no_name() -> None:
    text = (
        "2027年国庆节放假安排\n"
        "名称,星期,类型,日期\n"
        "国庆节,星期五,休,2027/10/1\n"
        "国庆节,星期一,休,2027/10/4\n"
        ",星期六,班,2027/10/9\n"
    )
    assert triples(parse_calendar_text(text, ".csv")) == [
        (dt.date(2027, 10, 1), "holiday", "国庆节"),
        (dt.date(2027, 10, 4), "holiday", "国庆节"),
        (dt.date(2027, 10, 9), "workday", ""),
    ]
    no_header = "1,2027/10/1,星期五,国庆节,休\n2,2027/10/4,星期一,国庆节,休\n"  # a 序号 column
    assert [d.name for d in parse_calendar_text(no_header, ".csv").days] == ["国庆节"] * 2
    assert parse_calendar_text("2027/1/1,休\n", ".csv").days[0].name == ""


def test_a_range_expands_to_its_days() -> None:
    parsed = parse_calendar_text("2027/10/1~2027/10/7,休,国庆节\n2027/10/9,班,国庆节\n", ".csv")
    assert [d.day.day for d in parsed.days] == [1, 4, 5, 6, 7, 9]
    assert parsed.weekend_rest_days == (dt.date(2027, 10, 2), dt.date(2027, 10, 3))
    for joined in (
        "2027-10-01 至 2027-10-07",
        "2027年10月1日—2027年10月7日",
        "2027/10/1 - 2027/10/7",
    ):
        assert len(parse_calendar_text(f"{joined},休\n", ".csv").days) == 5


# ---------------------------------------------------------------------------------------------
# weekend rest days and weekday working days: accepted, left out, counted
# ---------------------------------------------------------------------------------------------


def bundled_2026_csv() -> str:
    """The bundled 2026 data as a CSV: its 元旦 and 国庆 list weekend days."""
    data = json.loads(Path("resources/calendars/cn_workdays.json").read_text(encoding="utf-8"))
    lines = ["日期,类型,名称"]
    for key, kind in (("holidays", "节假日"), ("workdays", "调休上班")):
        lines += [f"{d},{kind},{n}" for d, n in data[key].items() if d.startswith("2026")]
    return "\n".join(lines) + "\n"


def test_weekend_rest_days_inside_a_holiday_are_accepted_and_left_out() -> None:
    parsed = parse_calendar_text(bundled_2026_csv(), ".csv")
    assert parsed.year == 2026
    assert parsed.weekend_rest_days and all(d.weekday() >= 5 for d in parsed.weekend_rest_days)
    assert dt.date(2026, 1, 3) in parsed.weekend_rest_days  # 元旦, a Saturday
    assert all(
        (d.kind == "holiday") == (d.day.weekday() < 5) for d in parsed.days
    )  # only days that change something are stored
    assert f"其中{len(parsed.weekend_rest_days)}个周末休息日已忽略（本就是休息日）" in parsed.notes
    assert parsed.notes[0] in parsed.summary()


def test_weekday_working_days_are_left_out_too() -> None:
    parsed = parse_calendar_text("2027/1/1,休,元旦\n2027/1/4,上班\n2027/1/5,工作日\n", ".csv")
    assert parsed.weekday_workdays == (dt.date(2027, 1, 4), dt.date(2027, 1, 5))
    assert "其中2个周一至周五的上班日已忽略（本就是工作日）" in parsed.notes


def test_a_file_of_only_no_op_days_is_refused() -> None:
    with pytest.raises(ValidationError, match="没有节假日或调休上班日可导入"):
        parse_calendar_text("2027/1/2,休\n2027/1/4,班\n", ".csv")


def test_the_bundled_2026_file_imports(tmp_path: Path) -> None:
    """The defect: the bundled data, listing weekends inside holidays, was refused."""
    source = tmp_path / "2026.csv"
    source.write_text(bundled_2026_csv(), encoding="gbk")
    with open_case_file(tmp_path / "c.sqlite", user="测试") as cf:
        with cf.unit_of_work() as uow:  # an empty calendar: 2026 not bundled in this case file
            from firecase.store.models import CalendarYear

            uow.session.add(CalendarYear(year=2000, source="user"))
            uow.commit()
        done = import_calendar(cf, source)
        assert 2026 in done.view.years
        stored = {d.day for d in done.view.days if d.day.year == 2026}
        assert stored == {d.day for d in done.parsed.days}
        assert "周末休息日已忽略" in done.parsed.summary()


# ---------------------------------------------------------------------------------------------
# years and conflicts
# ---------------------------------------------------------------------------------------------


def test_several_years_name_the_dates_and_one_may_be_picked() -> None:
    text = "2026-12-31,休,元旦\n2027-01-01,休,元旦\n2027-02-08,休,春节\n"
    with pytest.raises(SeveralYearsError) as caught:
        parse_calendar_text(text, ".csv")
    assert caught.value.years == (2026, 2027) and caught.value.field == FIELD
    assert "2026 年：2026-12-31" in caught.value.message
    assert parse_calendar_text(text, ".csv", year=2027).year == 2027
    assert [d.day for d in parse_calendar_text(text, ".csv", year=2026).days] == [
        dt.date(2026, 12, 31)
    ]
    with pytest.raises(ValidationError, match="没有 2028 年的日期"):
        parse_calendar_text(text, ".csv", year=2028)


def test_a_day_both_rest_and_working_is_named() -> None:
    with pytest.raises(
        ValidationError, match=re.escape("2027-02-07 既列为休息日（第1行）又列为上班日（第3行）")
    ):
        parse_calendar_text("2027/2/6~2027/2/7,休,春节\n2027/1/1,休\n2027/2/7,班,春节\n", ".csv")


# ---------------------------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------------------------


def xlsx(rows: list[tuple[Any, ...]], *, date1904: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if date1904:
        book.epoch = dt.datetime(1904, 1, 1)  # type: ignore[assignment]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_with_date_cells_strings_and_serials(tmp_path: Path) -> None:
    source = tmp_path / "2027.xlsx"
    source.write_bytes(
        xlsx(
            [
                ("2027年节假日安排", None, None),
                ("日期", "类型", "名称"),
                (dt.datetime(2027, 1, 1), "休", "元旦"),  # a real date cell
                ("2027/2/8", "休", "春节"),  # text
                (46425, "班", "春节"),  # a serial number not formatted as a date
                ("2027年2月9日", "节假日", "春节"),
                (None, None, None),
            ]
        )
    )
    assert triples(read_calendar_file(source)) == [
        (NEW_YEAR, "holiday", "元旦"),
        (dt.date(2027, 2, 7), "workday", "春节"),
        (dt.date(2027, 2, 8), "holiday", "春节"),
        (dt.date(2027, 2, 9), "holiday", "春节"),
    ]


def test_xlsx_recognised_by_content_and_the_1904_date_system() -> None:
    data = xlsx([(46388 - 1462, "休", "元旦")], date1904=True)  # 1904 serial of 2027-01-01
    assert parse_calendar_bytes(data, "").days[0].day == NEW_YEAR


@pytest.mark.parametrize(
    ("data", "suffix", "message"),
    [
        (b"PK\x03\x04" + bytes(range(256)) * 4, ".xlsx", "无法打开此 Excel 文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls", "旧版 Excel（.xls）"),
        (b"2027/1/1,\xd0\xdd\n", ".xlsx", "不是有效的 Excel"),
    ],
)
def test_damaged_excel_files(data: bytes, suffix: str, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        parse_calendar_bytes(data, suffix)


def test_a_zip_that_is_not_a_workbook() -> None:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "你好")
    with pytest.raises(ValidationError, match="无法打开此 Excel 文件"):
        parse_calendar_bytes(out.getvalue(), ".xlsx")


def test_text_saved_as_xls_is_read_as_text() -> None:
    data = "日期\t类型\t名称\r\n2027/1/1\t休\t元旦\r\n".encode("gbk")  # as some systems export
    assert parse_calendar_bytes(data, ".xls").days[0].name == "元旦"


# ---------------------------------------------------------------------------------------------
# iCalendar
# ---------------------------------------------------------------------------------------------


def ics(*events: str) -> str:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{n}@test\r\n{e.strip()}\r\nEND:VEVENT\r\n"
        for n, e in enumerate(events)
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n"


PHONE_2027 = ics(
    "SUMMARY:元旦 休\r\nDTSTART;VALUE=DATE:20270101\r\nDTEND;VALUE=DATE:20270104",
    "SUMMARY:春节（休）\r\nDTSTART;VALUE=DATE:20270206\r\nDTEND;VALUE=DATE:20270214",
    "SUMMARY:春节\r\nDTSTART;VALUE=DATE:20270206",  # the festival itself, overlapping
    "SUMMARY:班\r\nDTSTART;VALUE=DATE:20270214",
    "SUMMARY:补班\r\nDTSTART;VALUE=DATE:20270220\r\nDTEND;VALUE=DATE:20270221",
    "SUMMARY:情人节\r\nDTSTART;VALUE=DATE:20270214",
    "SUMMARY:国庆节假期\r\nDTSTART;VALUE=DATE:20271001\r\nDURATION:P7D",
    "SUMMARY:国庆节 补班\r\nDTSTART;VALUE=DATE:20271009\r\nSTATUS:CANCELLED",
)


def test_ics_all_day_ranges_as_phones_export_them(tmp_path: Path) -> None:
    source = tmp_path / "节假日.ics"
    source.write_text(PHONE_2027, encoding="utf-8")
    parsed = read_calendar_file(source)
    assert parsed.year == 2027
    days = {d.day: (d.kind, d.name) for d in parsed.days}
    assert days[NEW_YEAR] == ("holiday", "元旦")
    assert dt.date(2027, 1, 4) not in days  # DTEND is exclusive
    assert days[dt.date(2027, 2, 8)] == ("holiday", "春节")
    assert days[dt.date(2027, 2, 14)] == ("workday", "春节")  # "班" named after the holiday
    assert days[dt.date(2027, 2, 20)] == ("workday", "春节")
    assert days[dt.date(2027, 10, 7)] == ("holiday", "国庆节")
    assert dt.date(2027, 10, 8) not in days and dt.date(2027, 10, 9) not in days  # cancelled
    assert len(parsed.weekend_rest_days) == 2 + 3 + 2  # 元旦 2, 春节 3, 国庆 2
    assert any("1个与放假、上班无关的日程未导入（“情人节”）" in n for n in parsed.notes)


def test_ics_date_time_events_outlook_and_utc() -> None:
    text = ics(
        # Outlook: an all-day event as midnight to midnight
        "SUMMARY:元旦（休）\r\nDTSTART:20270101T000000\r\nDTEND:20270102T000000\r\n"
        "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE",
        # a phone writing Beijing midnight in UTC
        "SUMMARY:春节 休\r\nDTSTART:20270207T160000Z\r\nDTEND:20270209T160000Z",
        # a timed event with a time zone, ending the same day
        "SUMMARY:春节调休上班\r\nDTSTART;TZID=Asia/Shanghai:20270220T090000\r\n"
        "DTEND;TZID=Asia/Shanghai:20270220T180000",
    )
    assert triples(parse_calendar_text(text, ".ics")) == [
        (NEW_YEAR, "holiday", "元旦"),
        (dt.date(2027, 2, 8), "holiday", "春节"),
        (dt.date(2027, 2, 9), "holiday", "春节"),
        (dt.date(2027, 2, 20), "workday", "春节"),
    ]


def test_ics_events_too_long_for_a_holiday_are_left_out() -> None:
    text = ics(
        "SUMMARY:暑假\r\nDTSTART;VALUE=DATE:20270701\r\nDTEND;VALUE=DATE:20270901",
        "SUMMARY:元旦 休\r\nDTSTART;VALUE=DATE:20270101",
    )
    parsed = parse_calendar_text(text, ".ics")
    assert [d.day for d in parsed.days] == [NEW_YEAR]
    assert "1个超过31天的日程不像法定节假日，未导入（“暑假（2027-07-01 起62天）”）" in parsed.notes


def test_ics_of_several_years_asks_for_one() -> None:
    text = ics(
        "SUMMARY:元旦 休\r\nDTSTART;VALUE=DATE:20270101",
        "SUMMARY:元旦 休\r\nDTSTART;VALUE=DATE:20280103",
    )
    with pytest.raises(SeveralYearsError) as caught:
        parse_calendar_text(text, ".ics")
    assert caught.value.years == (2027, 2028)
    assert parse_calendar_text(text, ".ics", year=2028).days[0].day == dt.date(2028, 1, 3)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("BEGIN:VCALENDAR\r\nthis is not a calendar", "日历文件（.ics）格式有误"),
        (ics(), "没有任何日程"),
        (ics("SUMMARY:休\r\nDTSTART:garbage"), "日程“休”缺少开始日期"),
        (ics("SUMMARY:休"), "日程“休”缺少开始日期"),
        (ics("SUMMARY:生日\r\nDTSTART;VALUE=DATE:20270101"), "没有任何节假日"),
    ],
)
def test_bad_ics(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        parse_calendar_text(text, ".ics")


# ---------------------------------------------------------------------------------------------
# problems: a Chinese ValidationError, never a traceback
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "suffix", "message"),
    [
        ("2030-01-01,放一天,元旦\n", ".csv", "第1行：类型“放一天”"),
        ("2030-13-01,节假日,元旦\n", ".csv", "第1行：日期“2030-13-01”无法识别"),
        ("日期,类型\n2030-13-01,节假日\n", ".csv", "第2行：日期“2030-13-01”无法识别"),
        ("日期,类型\n2030-01-01,放一天\n", ".csv", "第2行：类型“放一天”"),
        ("2030-01-01\n", ".csv", "三列"),
        ("", ".csv", "没有任何"),
        ("日期,类型,名称\n", ".csv", "没有任何"),
        ("2030-01-01,节假日,元旦\n2030-01-01,节假日,元旦\n", ".csv", "不止一次（第1行、第2行）"),
        ("2030/1/1~2030/3/1,休\n", ".csv", "跨越60天"),
        ('{"days": [', ".json", "JSON 格式有误（第1行"),
        ('{"holidays": ["2030-01-01"]}', ".json", "“holidays”应为对象"),
        ('{"days": "2030-01-01"}', ".json", "“days”应为列表"),
        ('{"days": [{"kind": "holiday"}]}', ".json", "第1条：缺少日期"),
        ('{"days": [{"day": "2030-01-01"}]}', ".json", "第1条：类型"),
        ('{"days": [1]}', ".json", "第1条应为对象"),
        ('{"year": 2031, "days": [{"day": "2030-01-01", "kind": "holiday"}]}', ".json", "2031"),
        ('{"years": [2031], "holidays": {"2030-01-01": "元旦"}}', ".json", "2031"),
        ("42", ".json", "没有日历条目"),
        ("[" * 100_000, ".json", "嵌套过深"),
        ("2030-01-01,节假日", ".doc", "只能导入 .csv、.xlsx、.ics、.json 或 .txt"),
    ],
)
def test_every_problem_is_a_chinese_validation_error(text: str, suffix: str, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)) as caught:
        parse_calendar_text(text, suffix)
    assert caught.value.field == FIELD


def test_json_and_ics_are_recognised_by_content() -> None:
    assert parse_calendar_text('{"holidays": {"2030-01-01": "元旦"}}', ".txt").year == 2030
    assert parse_calendar_text(PHONE_2027, ".txt").year == 2027


@pytest.mark.parametrize(
    ("data", "suffix", "message"),
    [
        (bytes(range(256)) * 40, ".csv", "不是文本格式的日历文件"),
        (b"\x00\x01\x02\x03" * 1000, ".ics", "不是文本格式的日历文件"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, ".json", "不是文本格式的日历文件"),
        (b"\x81\x20\xff\xfe", ".csv", "编码无法识别"),  # neither UTF-8 nor GB18030
        (b"", ".csv", "文件是空的"),
        (b"\r\n  \r\n", ".ics", "文件是空的"),
        (b"2027/1/1,\xd0\xdd\n" * (MAX_BYTES // 10 + 1), ".csv", "超过日历文件的上限 5 MB"),
    ],
)
def test_hostile_content(data: bytes, suffix: str, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        parse_calendar_bytes(data, suffix)


def test_too_many_rows_is_refused() -> None:
    with pytest.raises(ValidationError, match="超过 5000 行"):
        parse_calendar_text("2027/1/1,休\n" * 5001, ".csv")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.text(max_size=200).map(lambda t: t.encode("utf-8")),
        st.lists(
            st.sampled_from(["2027/1/1", "休", "班", ",", "\n", "~", "年", "46388", "{", "\t"]),
            max_size=40,
        ).map(lambda parts: "".join(parts).encode("gbk")),
    ),
    suffix=st.sampled_from([".csv", ".txt", ".json", ".ics", ".xlsx", ""]),
)
def test_any_bytes_give_a_result_or_a_validation_error(data: bytes, suffix: str) -> None:
    try:
        parsed = parse_calendar_bytes(data, suffix)
    except ValidationError as exc:
        assert exc.message and exc.field == FIELD
    else:
        assert parsed.days and all(d.day.year == parsed.year for d in parsed.days)


def test_file_problems_name_the_file(tmp_path: Path) -> None:
    garbage = tmp_path / "2030.csv"
    garbage.write_bytes(b"\x81\x20\xff\xfe")
    with pytest.raises(ValidationError, match=re.escape("“2030.csv”：不是文本格式")):
        read_calendar_file(garbage)
    with pytest.raises(ValidationError, match="找不到文件"):
        read_calendar_file(tmp_path / "missing.csv")
    with pytest.raises(ValidationError, match="无法读取文件"):
        read_calendar_file(tmp_path)  # a folder
    bad = tmp_path / "bad.csv"
    bad.write_text("2030-01-01,放一天\n", encoding="utf-8")
    with pytest.raises(FirecaseError, match=re.escape("“bad.csv”：第1行")):
        read_calendar_file(bad)
    several = tmp_path / "several.csv"
    several.write_text("2030-01-01,休\n2031-01-01,休\n", encoding="utf-8")
    with pytest.raises(
        SeveralYearsError, match=re.escape("“several.csv”：一个文件只能导入一个年份")
    ):
        read_calendar_file(several)


def test_a_10_mb_file_is_refused_politely_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.truncate(10 * 1024 * 1024)
    with pytest.raises(ValidationError) as caught:
        read_calendar_file(big)
    assert "“big.csv”" in caught.value.message and "10.0 MB" in caught.value.message
    assert "上限 5 MB" in caught.value.message
