"""Reading the State Council's holiday notice (国务院办公厅关于<year>年部分节假日安排的通知).

Every item below is typed from the published notice of its year, in its own wording (the
2007–2009 notices explain each move with 其中…为法定节假日…调至…; 2010 onwards list only the
days; 2025–2026 write weekdays as 周三 and lunar dates in the brackets).
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from firecase.rules import HolidayEntry, RuleError, WorkdayCalendar, parse_holiday_notice

CAL = WorkdayCalendar.bundled().to_json_dict()


def _days(spec: str, year: int) -> set[dt.date]:
    """ "01-01..01-03 2006-12-30" → the dates (a bare MM-DD is in ``year``)."""
    out: set[dt.date] = set()
    for part in spec.split():
        a, _, b = part.partition("..")
        first = dt.date.fromisoformat(a if len(a) == 10 else f"{year}-{a}")
        last = first if not b else dt.date.fromisoformat(b if len(b) == 10 else f"{year}-{b}")
        while first <= last:
            out.add(first)
            first += dt.timedelta(days=1)
    return out


# (year, text as published, rest days, make-up working days, name)
ITEMS = [
    (
        2007,
        "一、元旦：1月1日—3日放假，共3天。其中1月1日为法定假日，将2006年12月30日（星期六）、"
        "31日（星期日）两个公休日分别调至2007年1月2日、3日，2006年12月30日（星期六）、"
        "31日（星期日）上班。",
        "01-01..01-03",
        "2006-12-30 2006-12-31",
        "元旦",
    ),
    (
        2007,
        "二、春节：2月18日—24日（即农历大年初一至初七）放假，共7天。其中18日、19日、20日为法定假日，"
        "将17日（星期六）、18日（星期日）、25日（星期日）三个公休日分别调至21日（星期三）、"
        "22日（星期四）、23日（星期五）；24日（星期六）照常公休，17日、25日上班。",
        "02-18..02-24",
        "02-17 02-25",
        "春节",
    ),
    (
        2007,
        "三、“五一”：5月1日—7日放假，共7天。其中，1日、2日、3日为法定假日，将4月28日（星期六）、"
        "29日（星期日）两个公休日调至5月4日（星期五）、7日（星期一）；5月5日（星期六）、"
        "6日（星期日）照常公休，4月28日、29日上班。",
        "05-01..05-07",
        "04-28 04-29",
        "劳动节",
    ),
    (
        2008,
        "一、元旦：2007年12月30日—2008年1月1日放假，共3天。其中：1月1日（星期二）为法定节假日，"
        "12月30日（星期日）为公休日，12月29日（星期六）公休日调至12月31日（星期一），"
        "12月29日（星期六）上班。",
        "2007-12-30..2008-01-01",
        "2007-12-29",
        "元旦",
    ),
    (
        2008,
        "二、春节：2月6日—12日（即农历除夕至正月初六）放假，共7天。其中，2月6日（除夕）、"
        "2月7日（春节）、2月8日（正月初二）为法定节假日，2月9日（星期六）、2月10日（星期日）照常公休，"
        "将2月2日（星期六）、2月3日（星期日）两个公休日调至2月11日（星期一）、2月12日（星期二），"
        "2月2日（星期六）、2月3日（星期日）上班。",
        "02-06..02-12",
        "02-02 02-03",
        "春节",
    ),
    (
        2008,
        "三、清明节：4月4日—6日放假，共3天。其中：4月4日（清明节），为法定节假日，"
        "4月5日（星期六）、4月6日（星期日）照常公休。",
        "04-04..04-06",
        "",
        "清明节",
    ),
    (
        2008,
        "四、“五一”国际劳动节：5月1日—3日放假，共3天。其中，5月1日为法定节假日，"
        "5月3日（星期六）为公休日，5月4日（星期日）公休日调至5月2日（星期五），5月4日（星期日）上班。",
        "05-01..05-03",
        "05-04",
        "劳动节",
    ),
    (
        2009,
        "一、元旦：1月1日至3日放假，共3天。其中，1月1日（星期四、新年）为法定节假日，"
        "1月3日（星期六）为公休日。1月4日（星期日）公休日调至1月2日（星期五）。1月4日（星期日）上班。",
        "01-01..01-03",
        "01-04",
        "元旦",
    ),
    (
        2009,
        "二、春节：1月25日至31日放假，共7天。其中，1月25日（星期日、农历除夕）、"
        "1月26日（星期一、农历正月初一）、1月27日（星期二、农历正月初二）为法定节假日，"
        "1月31日（星期六）照常公休；1月25日（星期日）公休日调至1月28日（星期三），"
        "1月24日（星期六）、2月1日（星期日）两个公休日调至1月29日（星期四）、1月30日（星期五）。"
        "1月24日（星期六）、2月1日（星期日）上班。",
        "01-25..01-31",
        "01-24 02-01",
        "春节",
    ),
    (
        2009,
        "六、国庆节、中秋节：10月1日至8日放假，共8天。其中，10月1日（星期四）、10月2日（星期五）、"
        "10月3日（星期六）为国庆节法定节假日，10月4日（星期日）照常公休；10月3日（星期六）公休日"
        "及中秋节分别调至10月5日（星期一）、10月6日（星期二），9月27日（星期日）、10月10日（星期六）"
        "公休日调至10月7日（星期三）、10月8日（星期四）。9月27日（星期日）、10月10日（星期六）上班。",
        "10-01..10-08",
        "09-27 10-10",
        "国庆节、中秋节",
    ),
    (2010, "一、元旦：1月1日至3日放假公休，共3天。", "01-01..01-03", "", "元旦"),
    (
        2010,
        "六、中秋节：9月22日至24日放假调休，共3天。9月19日（星期日）、25日（星期六）上班。",
        "09-22..09-24",
        "09-19 09-25",
        "中秋节",
    ),
    (
        2011,
        "二、春节：2月2日至8日放假调休，共7天。1月30日（星期日）、2月12日（星期六）上班。",
        "02-02..02-08",
        "01-30 02-12",
        "春节",
    ),
    (2011, "四、劳动节：4月30日至5月2日放假公休，共3天。", "04-30..05-02", "", "劳动节"),
    (
        2012,
        "一、元旦：2012年1月1日至3日放假调休，共3天。2011年12月31日（星期六）上班。",
        "01-01..01-03",
        "2011-12-31",
        "元旦",
    ),
    (
        2012,
        "六、中秋节、国庆节：9月30日至10月7日放假调休，共8天。9月29日（星期六）上班。",
        "09-30..10-07",
        "09-29",
        "中秋节、国庆节",
    ),
    (
        2013,
        "一、元旦：1月1日至3日放假调休，共3天。1月5日（星期六）、6日（星期日）上班。",
        "01-01..01-03",
        "01-05 01-06",
        "元旦",
    ),
    (2014, "一、元旦：1月1日放假1天。", "01-01", "", "元旦"),
    (2014, "三、清明节：4月5日放假，4月7日（星期一）补休。", "04-05 04-07", "", "清明节"),
    (
        2014,
        "二、春节：1月31日至2月6日放假调休，共7天。1月26日（星期日）、2月8日（星期六）上班。",
        "01-31..02-06",
        "01-26 02-08",
        "春节",
    ),
    (
        2015,
        "一、元旦：1月1日至3日放假调休，共3天。1月4日（星期日）上班。",
        "01-01..01-03",
        "01-04",
        "元旦",
    ),
    (2015, "五、端午节：6月20日放假，6月22日（星期一）补休。", "06-20 06-22", "", "端午节"),
    (2016, "四、劳动节：5月1日放假，5月2日（星期一）补休。", "05-01 05-02", "", "劳动节"),
    (
        2016,
        "二、春节：2月7日至13日放假调休，共7天。2月6日（星期六）、2月14日（星期日）上班。",
        "02-07..02-13",
        "02-06 02-14",
        "春节",
    ),
    (2017, "一、元旦：1月1日放假，1月2日（星期一）补休。", "01-01 01-02", "", "元旦"),
    (
        2017,
        "六、中秋节、国庆节：10月1日至8日放假调休，共8天。9月30日（星期六）上班。",
        "10-01..10-08",
        "09-30",
        "中秋节、国庆节",
    ),
    (
        2018,
        "四、劳动节：4月29日至5月1日放假调休，共3天。4月28日（星期六）上班。",
        "04-29..05-01",
        "04-28",
        "劳动节",
    ),
    (2018, "五、端午节：6月18日放假，与周末连休。", "06-18", "", "端午节"),
    (
        2019,
        "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。",
        "2018-12-30..2019-01-01",
        "2018-12-29",
        "元旦",
    ),
    (
        2019,
        "七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。",
        "10-01..10-07",
        "09-29 10-12",
        "国庆节",
    ),
    (2020, "一、元旦：2020年1月1日放假，共1天。", "01-01", "", "元旦"),
    (
        2020,
        "五、端午节：6月25日至27日放假调休，共3天。6月28日（星期日）上班。",
        "06-25..06-27",
        "06-28",
        "端午节",
    ),
    (
        2021,
        "二、春节：2月11日至17日放假调休，共7天。2月7日（星期日）、2月20日（星期六）上班。",
        "02-11..02-17",
        "02-07 02-20",
        "春节",
    ),
    (
        2022,
        "二、春节：1月31日至2月6日放假调休，共7天。1月29日（星期六）、1月30日（星期日）上班。",
        "01-31..02-06",
        "01-29 01-30",
        "春节",
    ),
    (
        2023,
        "一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。",
        "2022-12-31..2023-01-02",
        "",
        "元旦",
    ),
    (
        2023,
        "六、中秋节、国庆节：9月29日至10月6日放假调休，共8天。10月7日（星期六）、10月8日（星期日）上班。",
        "09-29..10-06",
        "10-07 10-08",
        "中秋节、国庆节",
    ),
    (
        2024,
        "二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。"
        "鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。",
        "02-10..02-17",
        "02-04 02-18",
        "春节",
    ),
    (2025, "一、元旦：1月1日（周三）放假1天，不调休。", "01-01", "", "元旦"),
    (
        2025,
        "二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。"
        "1月26日（周日）、2月8日（周六）上班。",
        "01-28..02-04",
        "01-26 02-08",
        "春节",
    ),
    (
        2026,
        "二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。"
        "2月14日（周六）、2月28日（周六）上班。",
        "02-15..02-23",
        "02-14 02-28",
        "春节",
    ),
]


@pytest.mark.parametrize(("year", "text", "rest", "work", "name"), ITEMS)
def test_items_as_published(year: int, text: str, rest: str, work: str, name: str) -> None:
    entries = parse_holiday_notice(text, year)
    assert {e.day for e in entries if e.rest} == _days(rest, year)
    assert {e.day for e in entries if not e.rest} == _days(work, year)
    assert {e.name for e in entries} == {name}
    assert [e.day for e in entries] == sorted({e.day for e in entries})  # once each, in order


def test_every_year_since_2007_has_an_item() -> None:
    assert {year for year, *_ in ITEMS} == set(range(2007, 2027))


@pytest.mark.parametrize(("year", "text", "rest", "work", "name"), ITEMS)
def test_items_agree_with_the_bundled_calendar(
    year: int, text: str, rest: str, work: str, name: str
) -> None:
    # the bundled calendar keeps the weekday holidays (and some weekends) and make-up days
    for e in parse_holiday_notice(text, year):
        if e.rest and e.day.weekday() < 5:
            assert e.day.isoformat() in CAL["holidays"], e
        if not e.rest:
            assert e.day.isoformat() in CAL["workdays"], e


NOTICE_2015 = """国务院办公厅关于2015年部分节假日安排的通知
国办发明电〔2014〕28号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2015年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日至3日放假调休，共3天。1月4日（星期日）上班。
二、春节：2月18日至24日放假调休，共7天。2月15日（星期日）、2月28日（星期六）上班。
三、清明节：4月5日放假，4月6日（星期一）补休。
四、劳动节：5月1日放假，与周末连休。
五、端午节：6月20日放假，6月22日（星期一）补休。
六、中秋节：9月27日放假。
七、国庆节：10月1日至7日放假调休，共7天。10月10日（星期六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
国务院办公厅
2014年12月16日
"""

NOTICE_2024 = """国务院办公厅关于2024年部分节假日安排的通知
国办发明电〔2023〕7号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2024年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日放假，与周末连休。
二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。
三、清明节：4月4日至6日放假调休，共3天。4月7日（星期日）上班。
四、劳动节：5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班。
五、端午节：6月10日放假，与周末连休。
六、中秋节：9月15日至17日放假调休，共3天。9月14日（星期六）上班。
七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
国务院办公厅
2023年10月25日
"""

NOTICE_2025 = """国务院办公厅关于2025年部分节假日安排的通知
国办发明电〔2024〕12号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经党中央、国务院批准，根据2024年11月修订的《全国年节及纪念日放假办法》，自2025年1月1日起，全体公民放假的假日增加2天，其中春节、劳动节各增加1天。据此对放假调休原则作进一步优化完善，除个别特殊情形外，春节自农历除夕起放假调休8天，国庆节自10月1日起放假调休7天，劳动节放假调休5天，元旦、清明节、端午节、中秋节分别放假调休或连休3天（如逢周三则只在当日放假），国庆节放假如逢中秋节则合并放假8天。
按照上述原则，现将2025年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
国务院办公厅
2024年11月12日
"""

NOTICE_2026 = """国务院办公厅关于2026年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
鼓励单位和个人结合落实带薪年休假等制度，实际形成较长假期，推动错峰出行。节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
国务院办公厅
2025年11月4日
"""

# 国办发明电〔2018〕15号, as published (the items and their punctuation; 2018-12-04)
NOTICE_2019 = """国务院办公厅关于2019年部分节假日安排的通知
国办发明电〔2018〕15号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2019年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。
二、春节：2月4日至10日放假调休，共7天。2月2日（星期六）、2月3日（星期日）上班。
三、清明节：4月5日放假，与周末连休。
四、劳动节：5月1日放假。
五、端午节：6月7日放假，与周末连休。
六、中秋节：9月13日放假，与周末连休。
七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
国务院办公厅
2018年12月4日
"""

WHOLE = {2015: NOTICE_2015, 2024: NOTICE_2024, 2025: NOTICE_2025, 2026: NOTICE_2026}


def test_the_2019_notice_as_first_published() -> None:
    """The 2019 notice (国办发明电〔2018〕15号) gave 劳动节 one day; a later notice
    (国办发明电〔2019〕2号) made it 5月1日至4日, which the bundled calendar follows. The parser
    reads what a notice says, so each notice is applied in turn; the rest of 2019 agrees."""
    entries = parse_holiday_notice(NOTICE_2019, 2019)
    rest = {e.day for e in entries if e.rest}
    work = {e.day for e in entries if not e.rest}
    assert dt.date(2019, 5, 1) in rest and dt.date(2019, 5, 2) not in rest
    assert {dt.date(2018, 12, 30), dt.date(2018, 12, 31), dt.date(2019, 1, 1)} <= rest
    holidays, workdays = _bundled_year(2019)
    may = {dt.date(2019, 5, d) for d in (2, 3)}
    assert {d for d in rest if d.year == 2019 and d.weekday() < 5} == holidays - may
    assert {d for d in work if d.year == 2019} == workdays - {
        dt.date(2019, 4, 28),
        dt.date(2019, 5, 5),
    }


def _bundled_year(year: int) -> tuple[set[dt.date], set[dt.date]]:
    """The bundled weekday holidays and make-up days of one notice (not the separate 2015
    抗战胜利70周年纪念日 notice)."""

    def pick(mapping: dict[str, str]) -> set[dt.date]:
        return {
            dt.date.fromisoformat(k)
            for k, name in mapping.items()
            if k.startswith(str(year)) and "纪念日" not in name
        }

    holidays = {d for d in pick(CAL["holidays"]) if d.weekday() < 5}
    return holidays, pick(CAL["workdays"])


@pytest.mark.parametrize("year", sorted(WHOLE))
def test_a_whole_notice_equals_the_bundled_year(year: int) -> None:
    entries = parse_holiday_notice(WHOLE[year], year)
    holidays, workdays = _bundled_year(year)
    assert {e.day for e in entries if e.rest and e.day.weekday() < 5} == holidays
    assert {e.day for e in entries if not e.rest} == workdays
    assert all(e.day.year == year for e in entries)
    names = {e.day.isoformat(): e.name for e in entries}
    for day in holidays:  # the bundled names are the notice's (a combined item names both)
        assert CAL["holidays"][day.isoformat()] in names[day.isoformat()]


def test_2026_names_every_day_of_its_ranges() -> None:
    entries = parse_holiday_notice(NOTICE_2026, 2026)
    rest = [e for e in entries if e.rest]
    assert len(rest) == 33  # 放假调休日期共33天
    assert HolidayEntry(dt.date(2026, 2, 21), True, "春节") in entries  # a Saturday inside
    assert HolidayEntry(dt.date(2026, 9, 20), False, "国庆节") in entries


def test_the_brief_example_without_a_heading() -> None:
    text = (
        "2007年12月30日—2008年1月1日放假，共3天。其中，1月1日为法定节假日，"
        "将12月29日（星期六）调至12月31日（星期一）。12月29日（星期六）上班。"
    )
    entries = parse_holiday_notice(text, 2008)
    assert [(e.day.isoformat(), e.rest, e.name) for e in entries] == [
        ("2007-12-29", False, ""),
        ("2007-12-30", True, ""),
        ("2007-12-31", True, ""),
        ("2008-01-01", True, ""),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "元旦：12月31日至1月2日放假调休，共3天。",  # no year written: the notice's own 元旦
        "元旦：2022年12月31日至1月2日放假调休，共3天。",
        "元旦：12月31日至2023年1月2日放假调休，共3天。",
        "元旦：2022年12月31日–2023年1月2日放假调休，共3天。",
        "元旦：2022年12月31日~2023年1月2日放假调休，共3天。",
    ],
)
def test_ranges_crossing_new_year(text: str) -> None:
    days = [e.day for e in parse_holiday_notice(text, 2023)]
    assert days == [dt.date(2022, 12, 31), dt.date(2023, 1, 1), dt.date(2023, 1, 2)]


@pytest.mark.parametrize("sep", ["至", "—", "–", "-", "~", "～", "－", "到"])
def test_range_separators(sep: str) -> None:
    text = f"国庆节：10月1日{sep}7日放假调休，共7天。"
    assert len(parse_holiday_notice(text, 2024)) == 7


@pytest.mark.parametrize(
    "text",
    [
        "二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。",
        "二、春节:2月10日至17日放假调休,共8天.2月4日(星期日)、2月18日(星期日)上班.".replace(
            ".", "。"
        ),
        "二、春节：２月１０日至１７日放假调休，共８天。２月４日（星期日）、２月１８日（星期日）上班。",
        "二、春节：2月10日至17日放假调休，共8天。2月4日【星期日】、2月18日[星期日]上班。",
        "  二、春节： 2月10日 至 17日 放假调休， 共8天。\n"
        " 2月4日（星期日）、 2月18日（星期日）上班。",
    ],
)
def test_widths_brackets_and_spaces(text: str) -> None:
    entries = parse_holiday_notice(text, 2024)
    assert {e.day for e in entries if not e.rest} == {dt.date(2024, 2, 4), dt.date(2024, 2, 18)}
    assert len([e for e in entries if e.rest]) == 8


# ------------------------------------------------------------------ refusals name the words


@pytest.mark.parametrize(
    ("text", "year", "words"),
    [
        (
            "一、元旦：1月1日至3日放假调休，共3天。1月4日（星期日）上斑。",
            2015,
            "1月4日（星期日）上斑",
        ),
        ("春节：2月30日放假。", 2024, "2月30日"),
        ("一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。", 2025, "星期三"),  # wrong year
        ("国庆节：10月1日至7日放假。10月5日（星期六）上班。", 2024, "10月5日"),
        ("国庆节：10月7日至1日放假。", 2024, "10月7日至1日"),
        ("元旦：2019年1月1日放假。", 2024, "2019年"),
        ("春节：18日至24日放假。", 2007, "18日"),
        ("春节：2月18日至放假。", 2007, "2月18日至放假"),
        ("节假日期间，各地区要妥善安排值班。", 2024, "没有找到"),
    ],
)
def test_refusals_name_the_words(text: str, year: int, words: str) -> None:
    with pytest.raises(RuleError) as err:
        parse_holiday_notice(text, year)
    assert words in str(err.value)


def test_a_wrong_year_is_refused() -> None:
    with pytest.raises(RuleError):
        parse_holiday_notice(NOTICE_2026, 2025)  # (周四) is not 2025-01-01
    with pytest.raises(RuleError):
        parse_holiday_notice("元旦：1月1日放假。", True)  # type: ignore[arg-type]


def test_boilerplate_and_preamble_are_read_past() -> None:
    text = NOTICE_2025.split("一、")[0] + "一、元旦：1月1日（周三）放假1天，不调休。"
    assert parse_holiday_notice(text, 2025) == (HolidayEntry(dt.date(2025, 1, 1), True, "元旦"),)


# ------------------------------------------------------------------ properties


def _wide(text: str) -> str:
    """The full-width form of every ASCII character that has one."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(ITEMS), st.booleans())
def test_full_and_half_width_read_the_same(
    item: tuple[int, str, str, str, str], wide: bool
) -> None:
    year, text = item[0], item[1]
    narrow = unicodedata.normalize("NFKC", text)
    other = _wide(narrow) if wide else narrow
    assert parse_holiday_notice(other, year) == parse_holiday_notice(text, year)


@settings(max_examples=80, deadline=None)
@given(
    st.dates(min_value=dt.date(2008, 1, 1), max_value=dt.date(2030, 12, 1)),
    st.integers(min_value=0, max_value=9),
    st.lists(st.integers(min_value=1, max_value=12), max_size=3),
)
def test_every_day_once_and_the_range_whole(
    start: dt.date, length: int, offsets: list[int]
) -> None:
    end = start + dt.timedelta(days=length)
    if end.year != start.year:
        return
    work = sorted(
        {
            end + dt.timedelta(days=o)
            for o in offsets
            if (end + dt.timedelta(days=o)).year == start.year
        }
    )
    text = f"国庆节：{start.month}月{start.day}日至{end.month}月{end.day}日放假调休。"
    if work:
        text += "、".join(f"{d.month}月{d.day}日" for d in work) + "上班。"
    entries = parse_holiday_notice(text, start.year)
    days = [e.day for e in entries]
    assert len(days) == len(set(days)) == length + 1 + len(work)
    assert {e.day for e in entries if e.rest} == {
        start + dt.timedelta(days=i) for i in range(length + 1)
    }
    assert [e.day for e in entries if not e.rest] == work
    assert {e.name for e in entries} == {"国庆节"}
