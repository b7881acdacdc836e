"""R2 inclusion (第五条) with every clause that holds, and the scope check (第二条第二款)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from firecase.rules import FireType, RuleError, assess_inclusion, check_scope

ZERO = Decimal(0)


def test_one_death_is_included_with_clause_text() -> None:
    result = assess_inclusion(1, 0, ZERO)
    assert result.included
    assert result.clauses == (1,)
    assert [r.text for r in result.reasons] == ["死亡1人（第五条第一项）"]
    assert result.explanation == "纳入调查：死亡1人（第五条第一项）"


@pytest.mark.parametrize(("injuries", "included"), [(2, False), (3, True)])
def test_serious_injury_boundary(injuries: int, included: bool) -> None:
    result = assess_inclusion(0, injuries, ZERO)
    assert result.included is included
    assert result.clauses == ((1,) if included else ())


@pytest.mark.parametrize(
    ("loss", "included"),
    [(Decimal("500000"), True), (Decimal("500000.00"), True), (Decimal("499999.99"), False)],
)
def test_economic_loss_boundary(loss: Decimal, included: bool) -> None:
    result = assess_inclusion(0, 0, loss)
    assert result.included is included
    if included:
        assert result.clauses == (2,)
        assert result.reasons[0].text == "直接经济损失50万元（第五条第二项）"


def test_every_clause_that_holds_is_listed() -> None:
    result = assess_inclusion(2, 5, Decimal("600000"), social_impact=True, deemed_necessary=True)
    assert result.clauses == (1, 2, 3, 4)
    assert [r.clause for r in result.reasons] == [1, 1, 2, 3, 4]
    assert result.reasons[1].text == "重伤5人（第五条第一项）"
    assert "第五条第三项" in result.explanation and "第五条第四项" in result.explanation


@pytest.mark.parametrize(
    ("kwargs", "clause"), [({"social_impact": True}, 3), ({"deemed_necessary": True}, 4)]
)
def test_judgement_clauses(kwargs: dict[str, bool], clause: int) -> None:
    result = assess_inclusion(0, 0, ZERO, **kwargs)
    assert result.included and result.clauses == (clause,)


def test_not_included_explains_why() -> None:
    result = assess_inclusion(0, 2, Decimal("499999.99"))
    assert not result.included
    assert result.reasons == ()
    assert result.explanation.startswith("不纳入调查")
    assert "499999.99元" in result.explanation


@pytest.mark.parametrize(
    "args",
    [(-1, 0, ZERO), (0, -1, ZERO), (0, 0, Decimal("-1")), (0, 0, 500000.0), (0.5, 0, ZERO)],
)
def test_bad_input(args: tuple[object, object, object]) -> None:
    with pytest.raises(RuleError):
        assess_inclusion(*args)  # type: ignore[arg-type]


@given(
    st.integers(0, 20),
    st.integers(0, 20),
    st.decimals(min_value=0, max_value=10**7, places=2),
    st.booleans(),
    st.booleans(),
)
def test_included_iff_some_clause(
    deaths: int, injuries: int, loss: Decimal, social: bool, deemed: bool
) -> None:
    result = assess_inclusion(deaths, injuries, loss, social_impact=social, deemed_necessary=deemed)
    expected = deaths >= 1 or injuries >= 3 or loss >= 500_000 or social or deemed
    assert result.included is expected
    assert result.included is bool(result.clauses)
    assert set(result.clauses) == {r.clause for r in result.reasons}


@pytest.mark.parametrize(
    "kind",
    [FireType.FOREST_GRASSLAND, FireType.NUCLEAR, FireType.MILITARY, FireType.TRANSPORT],
)
def test_out_of_scope_types(kind: FireType) -> None:
    scope = check_scope(kind)
    assert not scope.in_scope
    assert scope.basis == "第二条第二款"
    assert "从其规定" in scope.reason


def test_in_scope_types_and_labels() -> None:
    assert check_scope(FireType.BUILDING).in_scope
    assert check_scope("建筑火灾").in_scope
    assert not check_scope("森林草原火灾").in_scope
    assert FireType.BUILDING.value == "建筑火灾"
    with pytest.raises(RuleError):
        check_scope("不存在的类型")


def test_a_larger_fire_is_covered_by_article_2_whatever_article_5_says() -> None:
    """The lawyer's finding: a 较大 fire by 受灾户 (2025 standard) with no death and a loss
    under 500,000 元 was shown 不纳入调查, without the investigation clock or the evaluation."""
    from firecase.rules import Grade

    for grade in (Grade.LARGE, Grade.MAJOR, Grade.EXTRAORDINARY):
        inc = assess_inclusion(0, 0, Decimal("400000"), grade=grade)
        assert inc.included and inc.clauses == ()
        assert f"{grade.label}（第二条第一款）" in inc.explanation
    ordinary = assess_inclusion(0, 0, Decimal("400000"), grade=Grade.ORDINARY)
    assert not ordinary.included and ordinary.explanation.startswith("不纳入调查")
    both = assess_inclusion(3, 0, Decimal("400000"), grade=Grade.LARGE)
    assert both.included and both.clauses == (1,)
