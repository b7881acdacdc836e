"""R3 jurisdiction (第四条), the escalation alert within 7 days, and the measures' duties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from firecase.rules import (
    CasualtyRecord,
    Grade,
    RuleError,
    assess_case,
    escalation_alert,
    jurisdiction_for,
    measures_duties,
)

FIRE = dt.date(2024, 6, 1)
ZERO = Decimal(0)


def day(n: int) -> dt.date:
    return FIRE + dt.timedelta(days=n)


def rec(n: int, deaths: int, serious: int = 0, entered: int | None = None) -> CasualtyRecord:
    return CasualtyRecord(day(n), deaths, serious, day(n if entered is None else entered))


def assessed(*records: CasualtyRecord, **kw: object) -> object:
    args: dict[str, object] = {
        "fire_date": FIRE,
        "fire_type": "建筑火灾",
        "property_loss_yuan": ZERO,
        "economic_loss_yuan": ZERO,
        "records": records,
    }
    args.update(kw)
    return assess_case(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize("grade", [Grade.ORDINARY, Grade.LARGE])
def test_city_grades(grade: Grade) -> None:
    j = jurisdiction_for(grade)
    assert j.authority == "市人民政府"
    assert j.may_authorise_fire_agency
    assert j.basis == "第四条"
    assert "授权消防救援机构" in j.explanation


@pytest.mark.parametrize("grade", [Grade.MAJOR, Grade.EXTRAORDINARY])
def test_higher_government_grades(grade: Grade) -> None:
    j = jurisdiction_for(grade)
    assert j.authority == "上级人民政府"
    assert not j.may_authorise_fire_agency


def test_death_on_day_7_raising_to_major_alerts() -> None:
    records = [rec(0, 3), rec(7, 10)]
    alert = escalation_alert(FIRE, ZERO, records)
    assert alert is not None
    assert alert.record == records[1]
    assert alert.previous_grade is Grade.LARGE
    assert alert.grade is Grade.MAJOR
    assert alert.basis.startswith("第四条")
    assert "报请上级人民政府" in alert.explanation
    assert alert.message == alert.explanation


def test_death_on_day_8_does_not_alert() -> None:
    assert escalation_alert(FIRE, ZERO, [rec(0, 3), rec(8, 30)]) is None


def test_a_death_of_day_5_entered_on_day_10_alerts_by_its_date() -> None:
    alert = escalation_alert(FIRE, ZERO, [rec(0, 2), rec(5, 12, entered=10)])
    assert alert is not None and "2024年6月11日录入" in alert.explanation


def test_rise_within_city_grades_does_not_alert() -> None:
    assert escalation_alert(FIRE, ZERO, [rec(0, 0), rec(2, 9, 49)]) is None


def test_injuries_can_escalate_too_and_order_does_not_matter() -> None:
    later = rec(3, 0, 100)
    alert = escalation_alert(FIRE, ZERO, [later, rec(0, 1)])
    assert alert is not None and alert.grade is Grade.EXTRAORDINARY


def test_property_loss_already_major_is_not_an_escalation() -> None:
    assert escalation_alert(FIRE, Decimal("60000000"), [rec(1, 12)]) is None


def test_the_first_record_is_never_an_escalation() -> None:
    """A 12-death fire is 重大 from its first record: no 由一般火灾升为重大火灾."""
    assert escalation_alert(FIRE, ZERO, [rec(0, 12)]) is None
    a = assessed(rec(0, 12))
    assert a.escalation is None  # type: ignore[attr-defined]
    assert a.jurisdiction.authority == "上级人民政府"  # type: ignore[attr-defined]


def test_bad_records() -> None:
    with pytest.raises(RuleError, match="早于火灾发生日期"):
        escalation_alert(FIRE, ZERO, [rec(-1, 1)])
    with pytest.raises(RuleError):
        escalation_alert(FIRE, ZERO, [rec(0, -1)])
    with pytest.raises(RuleError):
        escalation_alert(FIRE, 1.0, [])  # type: ignore[arg-type]
    with pytest.raises(RuleError, match="不能登记尚未发生的伤亡"):
        escalation_alert(FIRE, ZERO, [CasualtyRecord(day(3), 1, 0, day(2))])


def test_ten_deaths_counted_on_day_8_keep_the_city_as_investigator() -> None:
    a = assessed(rec(0, 1), rec(8, 10))
    assert a.jurisdiction_grade is Grade.ORDINARY  # type: ignore[attr-defined]
    assert a.jurisdiction.authority == "市人民政府"  # type: ignore[attr-defined]
    assert a.escalation is None  # type: ignore[attr-defined]
    # 2007 standard: deaths after day 7 count as serious injuries: 1 death, 9 serious = 一般
    assert a.grade.grade is Grade.ORDINARY  # type: ignore[attr-defined]
    assert a.counted.late_deaths == 9  # type: ignore[attr-defined]


def test_change_after_day_7_shows_the_statistical_grade_and_keeps_the_investigator() -> None:
    a = assessed(rec(0, 1), rec(8, 1, 10))  # 10 serious injuries on day 8: 较大 for statistics
    assert a.grade.grade is Grade.LARGE  # type: ignore[attr-defined]
    assert a.jurisdiction_grade is Grade.ORDINARY  # type: ignore[attr-defined]
    codes = [w.code for w in a.warnings]  # type: ignore[attr-defined]
    assert "grade_changed_after_window" in codes


def test_takeover_names_who_investigates_and_stops_the_city_clocks() -> None:
    a = assessed(rec(0, 1), taken_over_by="湖北省人民政府", taken_over_on=day(3))
    assert a.jurisdiction.authority == "湖北省人民政府"  # type: ignore[attr-defined]
    assert "提级调查" in a.jurisdiction.explanation  # type: ignore[attr-defined]
    assert not a.duties.applies and a.duties.code == "taken_over"  # type: ignore[attr-defined]
    with pytest.raises(RuleError, match="提级日期"):
        assessed(rec(0, 1), taken_over_by="湖北省人民政府", taken_over_on=day(-1))


def test_economic_loss_below_property_loss_is_refused() -> None:
    with pytest.raises(RuleError, match="不能小于直接财产损失") as info:
        assessed(property_loss_yuan=Decimal(600000), economic_loss_yuan=Decimal(400000))
    assert info.value.field == "economic_loss_yuan"


@pytest.mark.parametrize(
    ("kw", "code", "basis"),
    [
        ({"in_scope": False}, "out_of_scope", "第二条第二款"),
        ({"fire_date": dt.date(2022, 11, 27)}, "before_measures", "第二十六条"),
        ({"included": False}, "not_included", "第五条"),
        ({"jurisdiction_grade": Grade.MAJOR}, "above_city", "第四条第一款"),
        ({"taken_over_on": FIRE, "taken_over_by": "湖北省人民政府"}, "taken_over", "第四条第二款"),
    ],
)
def test_duties_apply_only_where_the_measures_impose_them(
    kw: dict[str, object], code: str, basis: str
) -> None:
    args: dict[str, object] = {
        "fire_date": FIRE,
        "in_scope": True,
        "included": True,
        "jurisdiction_grade": Grade.LARGE,
    }
    args.update(kw)
    d = measures_duties(**args)  # type: ignore[arg-type]
    assert not d.applies and d.code == code and d.basis == basis and d.reason
    args.update({"fire_date": dt.date(2022, 11, 28)} if code == "before_measures" else {})


def test_measures_in_force_from_2022_11_28() -> None:
    on = measures_duties(
        fire_date=dt.date(2022, 11, 28),
        in_scope=True,
        included=True,
        jurisdiction_grade=Grade.ORDINARY,
    )
    assert on.applies and on.code == ""


def test_a_wrong_first_record_corrected_the_same_day_raises_no_alert() -> None:
    """Review: the intake said 12 deaths, corrected to 1 the same day: 一般, the city."""
    a = assessed(CasualtyRecord(FIRE, 12, 0, FIRE), CasualtyRecord(FIRE, 1, 0, FIRE))
    assert a.escalation is None  # type: ignore[attr-defined]
    assert a.grade.grade is Grade.ORDINARY  # type: ignore[attr-defined]
    assert a.jurisdiction.authority == "市人民政府"  # type: ignore[attr-defined]


def test_a_rise_after_a_corrected_first_record_still_alerts() -> None:
    a = assessed(CasualtyRecord(FIRE, 12, 0, FIRE), CasualtyRecord(FIRE, 1, 0, day(1)), rec(3, 11))
    assert a.escalation is not None  # type: ignore[attr-defined]
    assert a.escalation.previous_grade is Grade.ORDINARY  # type: ignore[attr-defined]


def test_a_rise_corrected_back_down_within_the_window_is_no_escalation() -> None:
    a = assessed(rec(0, 1), rec(2, 12), rec(4, 2))
    assert a.escalation is None  # type: ignore[attr-defined]
    assert a.jurisdiction.authority == "市人民政府"  # type: ignore[attr-defined]


def test_a_late_death_still_includes_the_fire_under_article_5() -> None:
    """第五条第一项 counts every death; the 7/30-day window is the grade standard's."""
    a = assessed(rec(0, 0, 1), rec(8, 1))
    assert a.counted.deaths == 0 and a.counted.serious_injuries == 1  # type: ignore[attr-defined]
    assert a.inclusion.included and a.inclusion.clauses == (1,)  # type: ignore[attr-defined]
    assert a.duties.applies  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "kw", [{"fire_type": "森林草原火灾"}, {"fire_date": dt.date(2022, 11, 20)}]
)
def test_no_escalation_alert_where_the_measures_do_not_reach(kw: dict[str, object]) -> None:
    fire = kw.get("fire_date", FIRE)
    assert isinstance(fire, dt.date)
    records = (
        CasualtyRecord(fire, 1, 0, fire),
        CasualtyRecord(fire + dt.timedelta(days=2), 12, 0, fire + dt.timedelta(days=2)),
    )
    a = assessed(*records, **kw)
    assert a.escalation is None  # type: ignore[attr-defined]
