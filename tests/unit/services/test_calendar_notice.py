"""A year of the calendar from the State Council's notice: preview, apply, files, the CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from firecase.cli import main as cli_main
from firecase.errors import PermissionDeniedError, ValidationError
from firecase.rules import RuleError
from firecase.services.calendar_notice import (
    apply_notice,
    html_to_text,
    notice_preview,
    read_notice_file,
)
from firecase.services.dto import CalendarDayInput, UserInput
from firecase.services.settings import get_calendar, remove_calendar_day, set_calendar_day
from firecase.services.users import add_user
from firecase.store import open_case_file
from tests.unit.rules.test_holiday_notice import NOTICE_2024, NOTICE_2026


def _stored(cf, year: int) -> dict[dt.date, tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {d.day: (d.kind, d.name) for d in get_calendar(cf).days if d.day.year == year}


def test_the_bundled_year_is_unchanged_by_its_own_notice(tmp_path: Path) -> None:
    with open_case_file(tmp_path / "c.sqlite", user="测试") as cf:
        before = _stored(cf, 2026)
        preview = notice_preview(cf, NOTICE_2026, 2026)
        assert preview.year_was_covered and preview.changes == ()
        assert preview.count("same") == 33 + 6
        applied = apply_notice(cf, NOTICE_2026, 2026)
        assert applied.changes == ()
        assert _stored(cf, 2026) == before


def test_preview_says_what_is_added_changed_and_removed(tmp_path: Path) -> None:
    with open_case_file(tmp_path / "c.sqlite", user="测试") as cf:
        get_calendar(cf)
        remove_calendar_day(cf, dt.date(2024, 2, 4))  # a make-up Sunday lost
        set_calendar_day(cf, CalendarDayInput(dt.date(2024, 2, 12), "holiday", "新春"))
        set_calendar_day(cf, CalendarDayInput(dt.date(2024, 3, 8), "holiday", "妇女节"))
        preview = notice_preview(cf, NOTICE_2024, 2024)
        by_day = {d.day: d for d in preview.changes}
        assert by_day[dt.date(2024, 2, 4)].change_label == "新增"
        assert by_day[dt.date(2024, 2, 4)].after == ("workday", "春节")
        assert by_day[dt.date(2024, 2, 12)].change_label == "修改"
        assert by_day[dt.date(2024, 2, 12)].before == ("holiday", "新春")
        assert by_day[dt.date(2024, 3, 8)].change_label == "删除"
        assert by_day[dt.date(2024, 3, 8)].rest is None
        assert set(by_day) == {dt.date(2024, 2, 4), dt.date(2024, 2, 12), dt.date(2024, 3, 8)}
        assert "新增 1 天，修改 1 天，删除 1 天" in preview.summary()
        # nothing written yet
        assert dt.date(2024, 3, 8) in _stored(cf, 2024)

        applied = apply_notice(cf, NOTICE_2024, 2024)
        assert [d.day for d in applied.changes] == sorted(by_day)
        stored = _stored(cf, 2024)
        assert stored[dt.date(2024, 2, 4)] == ("workday", "春节")
        assert stored[dt.date(2024, 2, 12)] == ("holiday", "春节")
        assert dt.date(2024, 3, 8) not in stored
        assert notice_preview(cf, NOTICE_2024, 2024).changes == ()
        sources = {d.day: d.source for d in get_calendar(cf).days}
        assert sources[dt.date(2024, 2, 4)] == "notice"


def test_a_new_year_becomes_covered(tmp_path: Path) -> None:
    text = (
        "一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
        "二、春节：2月5日（农历除夕、周五）至12日（周五）放假调休，共8天。"
        "2月20日（周六）上班。"
    )
    with open_case_file(tmp_path / "c.sqlite", user="测试") as cf:
        assert 2027 not in get_calendar(cf).years
        preview = notice_preview(cf, text, 2027)
        assert not preview.year_was_covered
        applied = apply_notice(cf, text, 2027)
        assert 2027 in get_calendar(cf).years
        holidays = sorted(d.day for d in applied.changes if d.after and d.after[0] == "holiday")
        assert holidays[0] == dt.date(2027, 1, 1) and len(holidays) == 7  # weekdays only
        assert _stored(cf, 2027)[dt.date(2027, 2, 20)] == ("workday", "春节")


def test_the_year_before_is_spoken_for_only_in_its_new_year_days(tmp_path: Path) -> None:
    # the 2019 notice's 元旦 began on 2018-12-30: those days are the 2019 notice's
    text = "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。"
    with open_case_file(tmp_path / "c.sqlite", user="测试") as cf:
        preview = notice_preview(cf, text, 2019)
        named = [d for d in preview.days if d.rest is not None]
        assert named[0].day == dt.date(2018, 12, 29)
        assert {d.change for d in named} == {"same"}
        assert {d.day.year for d in preview.days if d.change == "remove"} == {2019}
        preview_2018 = notice_preview(cf, "元旦：1月1日放假，与周末连休。", 2018)
        assert {d.day.year for d in preview_2018.days if d.change == "remove"} <= {2018}
        assert all(d.day.month != 12 for d in preview_2018.changes)


def test_refusals(tmp_path: Path) -> None:
    with open_case_file(tmp_path / "c.sqlite", user="测试") as cf:
        with pytest.raises(RuleError, match="上斑"):
            notice_preview(cf, "元旦：1月1日放假。1月4日上斑。", 2026)
        with pytest.raises(ValidationError, match="请粘贴通知"):
            notice_preview(cf, "  ", 2026)
        with pytest.raises(ValidationError, match="年份"):
            notice_preview(cf, NOTICE_2026, "2026")  # type: ignore[arg-type]
        add_user(cf, UserInput("测试", "管理员甲", "管理员"))
        add_user(cf, UserInput("zhang", "张三", "调查员"))
        with pytest.raises(PermissionDeniedError, match="无权修改案卷设置和节假日日历"):
            apply_notice(cf, NOTICE_2026, 2026, actor="zhang")


def test_files(tmp_path: Path) -> None:
    page = (
        "<html><head><title>x</title><style>p{}</style></head><body>"
        "<p>二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，"
        "共9天。2月14日（周六）、2月28日（周六）上班。</p><p>&nbsp;国务院办公厅</p>"
        "<script>var a = '1月1日上斑';</script></body></html>"
    )
    assert html_to_text(page).splitlines()[0].startswith("二、春节")
    for name, data in (
        ("n.html", page.encode("utf-8")),
        ("n.htm", page.encode("gb18030")),
        ("n.txt", "\ufeff".encode() + NOTICE_2026.encode("utf-8")),
        ("g.txt", NOTICE_2026.encode("gb18030")),
    ):
        (tmp_path / name).write_bytes(data)
        assert "2月14日" in read_notice_file(tmp_path / name)
    with pytest.raises(ValidationError, match=r"\.txt 或 \.html"):
        read_notice_file(tmp_path / "n.pdf")
    with pytest.raises(ValidationError, match="找不到文件"):
        read_notice_file(tmp_path / "无.txt")


def test_cli_import_notice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "c.sqlite"
    with open_case_file(db, user="测试") as cf:
        get_calendar(cf)
        remove_calendar_day(cf, dt.date(2024, 10, 12))
    notice = tmp_path / "2024.txt"
    notice.write_text(NOTICE_2024, encoding="utf-8")
    assert (
        cli_main(["calendar", "import-notice", str(notice), "--year", "2024", "--db", str(db)]) == 0
    )
    out = capsys.readouterr().out
    assert "已按通知更新2024年节假日日历：新增 1 天" in out
    assert "2024-10-12 周六 上班 国庆节 新增" in out
    with open_case_file(db, user="测试") as cf:
        assert _stored(cf, 2024)[dt.date(2024, 10, 12)] == ("workday", "国庆节")

    bad = tmp_path / "bad.txt"
    bad.write_text("一、元旦：1月1日放假。1月4日（星期日）上斑。", encoding="utf-8")
    assert cli_main(["calendar", "import-notice", str(bad), "--year", "2024", "--db", str(db)]) == 2
    assert capsys.readouterr().out.startswith("错误：无法读懂通知中的“1月4日（星期日）上斑”")
    missing = str(tmp_path / "无.txt")
    assert cli_main(["calendar", "import-notice", missing, "--year", "2024", "--db", str(db)]) == 2
    assert "错误：找不到文件" in capsys.readouterr().out
