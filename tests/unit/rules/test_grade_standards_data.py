"""R1: the standards name their documents; 轻微火灾 inside 一般; entered thresholds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from firecase.rules import Grade, RuleError, grade_fire_detailed, load_standards, standard_for

NEW = dt.date(2025, 6, 1)
OLD = dt.date(2024, 6, 1)
HH = "households_affected"


def test_the_2025_standard_names_its_document() -> None:
    s = standard_for(NEW)
    assert s.title == "《火灾统计管理规定》"
    assert s.citation == "消防〔2025〕17号"
    assert s.issued_on == dt.date(2025, 3, 14) and s.effective_from == dt.date(2025, 5, 1)
    assert s.issuers == (
        "国家消防救援局",
        "公安部",
        "应急管理部",
        "国家能源局",
        "国家林业和草原局",
        "中国民用航空局",
        "国家矿山安全监察局",
    )
    assert s.replaces == "公通字〔1996〕82号"
    assert s.death_window_days == 30
    assert s.minor_fire_max_property_yuan == Decimal(1000)
    assert all("《火灾统计管理规定》（消防〔2025〕17号）" in t.citation for t in s.thresholds)
    assert "轻微火灾" in s.minor_fire_text


def test_the_2007_standard_counts_deaths_under_the_1996_rule() -> None:
    s = standard_for(OLD)
    assert s.issuers == ("公安部办公厅",) and s.issued_on == dt.date(2007, 6, 26)
    assert "《火灾统计管理规定》（公通字〔1996〕82号）" in s.death_window_citation
    assert s.minor_fire_max_property_yuan is None and s.minor_fire_text == ""
    d = grade_fire_detailed(0, 0, Decimal("999.99"), OLD, minor_injuries=0)
    assert not d.minor and d.display == "一般"
    assert "公通字〔1996〕82号" in d.explanation


@pytest.mark.parametrize(
    ("deaths", "serious", "minor", "loss", "expected"),
    [
        (0, 0, 0, Decimal("999.99"), True),
        (0, 0, 0, Decimal("0"), True),
        (0, 0, 0, Decimal("1000"), False),  # 1000元以下 excludes 1000
        (0, 0, 0, Decimal("1000.01"), False),
        (0, 0, 1, Decimal("100"), False),  # any casualty: not 轻微
        (0, 1, 0, Decimal("100"), False),
        (1, 0, 0, Decimal("100"), False),
    ],
)
def test_minor_fire_boundaries(
    deaths: int, serious: int, minor: int, loss: Decimal, expected: bool
) -> None:
    d = grade_fire_detailed(deaths, serious, loss, NEW, minor_injuries=minor)
    assert d.grade is Grade.ORDINARY
    assert d.minor is expected
    if expected:
        assert d.display == "一般（轻微火灾）"
        assert "属一般火灾中的轻微火灾（" in d.explanation
        assert "消防〔2025〕17号" in d.explanation
    else:
        assert d.display == "一般" and "轻微火灾" not in d.explanation


def test_minor_fire_left_open_without_minor_injuries() -> None:
    d = grade_fire_detailed(0, 0, Decimal("10"), NEW)
    assert not d.minor
    assert any("未判断是否属轻微火灾" in n for n in d.notes)


def test_minor_injuries_are_checked() -> None:
    with pytest.raises(RuleError):
        grade_fire_detailed(0, 0, Decimal("10"), NEW, minor_injuries=-1)


def test_with_thresholds_grades_by_households_once_configured() -> None:
    old, new = load_standards()
    assert grade_fire_detailed(0, 0, Decimal(0), NEW, households_affected=10**6).grade is (
        Grade.ORDINARY
    )
    configured = new.with_thresholds(
        HH,
        {Grade.LARGE: Decimal(100), Grade.MAJOR: Decimal(500), Grade.EXTRAORDINARY: Decimal(1000)},
        "测试依据 第三条",
    )
    assert new.threshold(HH, Grade.LARGE).minimum is None  # type: ignore[union-attr]  # unchanged
    pool = (old, configured)
    for households, grade in (
        (99, Grade.ORDINARY),
        (100, Grade.LARGE),
        (499, Grade.LARGE),
        (500, Grade.MAJOR),
        (999, Grade.MAJOR),
        (1000, Grade.EXTRAORDINARY),
    ):
        d = grade_fire_detailed(
            0, 0, Decimal(0), NEW, households_affected=households, standards=pool
        )
        assert d.grade is grade, households
    d = grade_fire_detailed(0, 0, Decimal(0), NEW, households_affected=100, standards=pool)
    assert "受灾100户" in d.explanation and "100户以上500户以下" in d.explanation
    th = configured.threshold(HH, Grade.LARGE)
    assert th is not None and th.citation.startswith("测试依据 第三条")
    # a partly configured criterion grades by what is configured
    partial = new.with_thresholds(HH, {Grade.LARGE: Decimal(100)}, "依据")
    d = grade_fire_detailed(0, 0, Decimal(0), NEW, households_affected=5000, standards=(partial,))
    assert d.grade is Grade.LARGE


@pytest.mark.parametrize(
    ("values", "citation", "field"),
    [
        ({Grade.LARGE: Decimal(100), Grade.MAJOR: Decimal(100)}, "c", "major"),
        ({Grade.LARGE: Decimal(500), Grade.MAJOR: Decimal(100)}, "c", "major"),
        ({Grade.MAJOR: Decimal(100), Grade.EXTRAORDINARY: Decimal(50)}, "c", "extraordinary"),
        ({Grade.LARGE: Decimal("10.5")}, "c", "large"),
        ({Grade.LARGE: Decimal(-1)}, "c", "large"),
        ({Grade.LARGE: 1.5}, "c", "large"),
        ({Grade.LARGE: Decimal(100)}, "  ", "citation"),
        ({Grade.ORDINARY: Decimal(1)}, "c", "grade"),
    ],
)
def test_with_thresholds_validation(values: dict, citation: str, field: str) -> None:  # type: ignore[type-arg]
    new = load_standards()[1]
    with pytest.raises(RuleError) as err:
        new.with_thresholds(HH, values, citation)
    assert err.value.field == field


def test_with_thresholds_cannot_clear_required_criteria() -> None:
    new = load_standards()[1]
    with pytest.raises(RuleError):
        new.with_thresholds("deaths", {Grade.LARGE: None}, "")
    with pytest.raises(RuleError):
        new.with_thresholds("unknown", {Grade.LARGE: Decimal(1)}, "c")
    cleared = new.with_thresholds(HH, {g: None for g in (Grade.LARGE, Grade.MAJOR)}, "")
    assert cleared == new
