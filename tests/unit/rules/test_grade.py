"""R1 fire grade: boundaries of every threshold, the two standards, data files, monotonicity."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from firecase.errors import ValidationError
from firecase.rules import (
    NOT_CONFIGURED,
    Grade,
    GradeStandard,
    RuleError,
    grade_fire,
    grade_fire_detailed,
    load_standards,
    standard_for,
)

OLD = dt.date(2024, 6, 1)  # 公消〔2007〕234号
NEW = dt.date(2025, 6, 1)  # 消防〔2025〕17号
ZERO = Decimal(0)
WAN = Decimal(10_000)


def test_grade_enum_values_and_rank() -> None:
    assert [g.value for g in Grade] == ["特别重大", "重大", "较大", "一般"]
    assert [g.rank for g in (Grade.ORDINARY, Grade.LARGE, Grade.MAJOR, Grade.EXTRAORDINARY)] == [
        1,
        2,
        3,
        4,
    ]
    assert Grade.ORDINARY < Grade.LARGE < Grade.MAJOR < Grade.EXTRAORDINARY
    assert max(Grade) is Grade.EXTRAORDINARY
    assert Grade.from_label("较大火灾") is Grade.LARGE


@pytest.mark.parametrize(
    ("deaths", "grade"),
    [
        (0, Grade.ORDINARY),
        (2, Grade.ORDINARY),
        (3, Grade.LARGE),
        (9, Grade.LARGE),
        (10, Grade.MAJOR),
        (29, Grade.MAJOR),
        (30, Grade.EXTRAORDINARY),
    ],
)
@pytest.mark.parametrize("day", [OLD, NEW])
def test_death_boundaries(deaths: int, grade: Grade, day: dt.date) -> None:
    assert grade_fire(deaths, 0, ZERO, day) is grade


@pytest.mark.parametrize(
    ("injuries", "grade"),
    [
        (9, Grade.ORDINARY),
        (10, Grade.LARGE),
        (49, Grade.LARGE),
        (50, Grade.MAJOR),
        (99, Grade.MAJOR),
        (100, Grade.EXTRAORDINARY),
    ],
)
@pytest.mark.parametrize("day", [OLD, NEW])
def test_serious_injury_boundaries(injuries: int, grade: Grade, day: dt.date) -> None:
    assert grade_fire(0, injuries, ZERO, day) is grade


@pytest.mark.parametrize(
    ("loss", "grade"),
    [
        (Decimal("9999999.99"), Grade.ORDINARY),
        (1000 * WAN, Grade.LARGE),
        (Decimal("49999999.99"), Grade.LARGE),
        (5000 * WAN, Grade.MAJOR),
        (Decimal("99999999.99"), Grade.MAJOR),
        (10000 * WAN, Grade.EXTRAORDINARY),
    ],
)
def test_property_loss_boundaries_2007(loss: Decimal, grade: Grade) -> None:
    assert grade_fire(0, 0, loss, OLD) is grade


@pytest.mark.parametrize(
    ("loss", "grade"),
    [
        (1000 * WAN, Grade.ORDINARY),
        (Decimal("29999999.99"), Grade.ORDINARY),
        (3000 * WAN, Grade.LARGE),
        (Decimal("99999999.99"), Grade.LARGE),
        (10000 * WAN, Grade.MAJOR),
        (Decimal("299999999.99"), Grade.MAJOR),
        (30000 * WAN, Grade.EXTRAORDINARY),
    ],
)
def test_property_loss_boundaries_2025(loss: Decimal, grade: Grade) -> None:
    assert grade_fire(0, 0, loss, NEW) is grade


def test_ten_million_on_either_side_of_2025_05_01() -> None:
    loss = Decimal("10000000")
    before = grade_fire_detailed(0, 0, loss, dt.date(2025, 4, 30))
    after = grade_fire_detailed(0, 0, loss, dt.date(2025, 5, 1))
    assert before.grade is Grade.LARGE
    assert before.standard.id == "gb-2007"
    assert "公消〔2007〕234号" in before.basis
    assert after.grade is Grade.ORDINARY
    assert after.standard.id == "xf-2025"
    assert "消防〔2025〕17号" in after.basis


def test_highest_criterion_wins_and_reasons_name_it() -> None:
    decision = grade_fire_detailed(3, 50, 1000 * WAN, OLD)
    assert decision.grade is Grade.MAJOR
    assert decision.reasons == ("重伤50人，达到重大火灾标准（50人以上100人以下）",)


def test_reason_text_and_explanation() -> None:
    decision = grade_fire_detailed(3, 10, ZERO, OLD)
    assert decision.grade is Grade.LARGE
    assert decision.reasons == (
        "死亡3人，达到较大火灾标准（3人以上10人以下）",
        "重伤10人，达到较大火灾标准（10人以上50人以下）",
    )
    assert decision.basis == "第二十五条；公消〔2007〕234号"
    assert "定为较大火灾" in decision.explanation
    assert "7日内" in decision.explanation
    money = grade_fire_detailed(0, 0, 1000 * WAN, OLD)
    assert money.reasons == ("直接财产损失1000万元，达到较大火灾标准（1000万元以上5000万元以下）",)


def test_ordinary_fire_lists_every_criterion() -> None:
    decision = grade_fire_detailed(2, 9, Decimal("100"), OLD)
    assert decision.grade is Grade.ORDINARY
    assert len(decision.reasons) == 3
    assert decision.reasons[0] == "死亡2人，未达到较大火灾标准，属一般火灾（3人以下）"


def test_2025_death_window_and_households_not_configured() -> None:
    decision = grade_fire_detailed(0, 0, ZERO, NEW, households_affected=10_000)
    assert decision.grade is Grade.ORDINARY  # never guessed from households
    assert decision.standard.death_window_days == 30
    assert "30日内" in decision.explanation
    assert NOT_CONFIGURED in decision.explanation
    households = [t for t in decision.standard.thresholds if t.criterion == "households_affected"]
    assert len(households) == 3
    assert all(not t.configured and t.display == NOT_CONFIGURED for t in households)


def test_2007_standard_has_no_households_criterion() -> None:
    decision = grade_fire_detailed(0, 0, ZERO, OLD, households_affected=5)
    assert decision.standard.death_window_days == 7
    assert "不按受灾户数定级" in decision.explanation


def test_every_threshold_has_a_citation() -> None:
    for standard in load_standards():
        assert standard.citation
        for t in standard.thresholds:
            assert standard.citation in t.citation


def test_standard_for_picks_by_date() -> None:
    assert standard_for(dt.date(2025, 4, 30)).id == "gb-2007"
    assert standard_for(dt.date(2025, 5, 1)).id == "xf-2025"
    assert standard_for(dt.date(2025, 5, 1)).effective_from == dt.date(2025, 5, 1)
    with pytest.raises(RuleError, match="没有适用于"):
        standard_for(dt.date(2000, 1, 1))


@pytest.mark.parametrize(
    "args",
    [
        (-1, 0, ZERO),
        (0, -1, ZERO),
        (0, 0, Decimal("-0.01")),
        (0, 0, 1.5),
        (0, 0, "100"),
        (0, 0, Decimal("NaN")),
        (1.0, 0, ZERO),
        (True, 0, ZERO),
    ],
)
def test_bad_input_raises_rule_error(args: tuple[object, object, object]) -> None:
    with pytest.raises(RuleError) as info:
        grade_fire(*args, OLD)  # type: ignore[arg-type]
    assert isinstance(info.value, ValidationError)
    assert info.value.message


def test_float_amount_message_is_chinese() -> None:
    with pytest.raises(RuleError, match="不能使用浮点数"):
        grade_fire(0, 0, 1000.0, OLD)  # type: ignore[arg-type]


def test_negative_households_rejected() -> None:
    with pytest.raises(RuleError):
        grade_fire_detailed(0, 0, ZERO, NEW, households_affected=-1)


def _standard_dict(**changes: object) -> dict[str, object]:
    base = json.loads(
        (
            __import__("firecase.paths", fromlist=["resource"]).resource("rules", "gb-2007.json")
        ).read_text(encoding="utf-8")
    )
    base.update(changes)
    return dict(base)


def test_malformed_standard_rejected() -> None:
    data = _standard_dict()
    GradeStandard.from_dict(data)
    thresholds = [t for t in data["thresholds"] if t["criterion"] != "deaths"]  # type: ignore[attr-defined]
    with pytest.raises(RuleError, match="缺少"):
        GradeStandard.from_dict(_standard_dict(thresholds=thresholds))
    swapped = [dict(t) for t in data["thresholds"]]  # type: ignore[attr-defined]
    swapped[0]["minimum"] = "1"  # 特别重大 deaths below 较大
    with pytest.raises(RuleError, match="递增"):
        GradeStandard.from_dict(_standard_dict(thresholds=swapped))
    with pytest.raises(RuleError):
        GradeStandard.from_dict({"id": "x"})


def test_missing_threshold_means_not_configured_and_is_never_used(tmp_path: object) -> None:
    data = _standard_dict()
    t = dict(data["thresholds"][0])  # type: ignore[index]
    t.update(criterion="households_affected", minimum=NOT_CONFIGURED)
    data["thresholds"] = [*data["thresholds"], t]  # type: ignore[misc]
    standard = GradeStandard.from_dict(data)
    assert "households_affected" in standard.criteria
    assert standard.range_text("households_affected", Grade.EXTRAORDINARY) == NOT_CONFIGURED


counts = st.integers(min_value=0, max_value=200)
amounts = st.decimals(min_value=0, max_value=Decimal("500000000"), places=2)
dates = st.dates(min_value=dt.date(2007, 6, 26), max_value=dt.date(2030, 12, 31))


@given(counts, counts, amounts, dates, st.integers(min_value=0, max_value=50))
def test_grade_monotone_in_deaths(
    deaths: int, injuries: int, loss: Decimal, day: dt.date, more: int
) -> None:
    assert grade_fire(deaths, injuries, loss, day) <= grade_fire(deaths + more, injuries, loss, day)


@given(counts, counts, amounts, dates, st.integers(min_value=0, max_value=50))
def test_grade_monotone_in_injuries(
    deaths: int, injuries: int, loss: Decimal, day: dt.date, more: int
) -> None:
    assert grade_fire(deaths, injuries, loss, day) <= grade_fire(deaths, injuries + more, loss, day)


@given(counts, counts, amounts, dates, amounts)
def test_grade_monotone_in_loss(
    deaths: int, injuries: int, loss: Decimal, day: dt.date, more: Decimal
) -> None:
    assert grade_fire(deaths, injuries, loss, day) <= grade_fire(deaths, injuries, loss + more, day)


@given(counts, counts, amounts, dates)
def test_grade_is_the_max_of_the_single_criteria(
    deaths: int, injuries: int, loss: Decimal, day: dt.date
) -> None:
    whole = grade_fire(deaths, injuries, loss, day)
    parts = [
        grade_fire(deaths, 0, ZERO, day),
        grade_fire(0, injuries, ZERO, day),
        grade_fire(0, 0, loss, day),
    ]
    assert whole is max(parts)
    decision = grade_fire_detailed(deaths, injuries, loss, day)
    assert decision.reasons
    assert decision.standard is standard_for(day)
