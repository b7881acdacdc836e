"""R1: which casualties count and as of when (火灾统计管理规定): dated records, death windows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, strategies as st

from firecase.rules import CasualtyRecord, Grade, assess_case, count_casualties

FIRE_2007 = dt.date(2024, 6, 1)  # graded by 公消〔2007〕234号, deaths within 7 days
FIRE_2025 = dt.date(2025, 6, 1)  # graded by 消防〔2025〕17号, deaths within 30 days


def at(fire: dt.date, n: int) -> dt.date:
    return fire + dt.timedelta(days=n)


def grade_of(fire: dt.date, *records: CasualtyRecord) -> Grade:
    a = assess_case(
        fire_date=fire,
        fire_type="建筑火灾",
        property_loss_yuan=Decimal(0),
        economic_loss_yuan=Decimal(0),
        records=records,
    )
    return a.grade.grade


def test_no_records_count_nothing() -> None:
    c = count_casualties(FIRE_2007, [], window_days=7)
    assert (c.deaths, c.serious_injuries, c.late_deaths) == (0, 0, 0)


def test_a_death_on_day_7_counts_under_2007_one_on_day_8_is_a_serious_injury() -> None:
    base = CasualtyRecord(FIRE_2007, 2, 0)
    on_7 = CasualtyRecord(at(FIRE_2007, 7), 3, 0)
    on_8 = CasualtyRecord(at(FIRE_2007, 8), 3, 0)
    assert grade_of(FIRE_2007, base, on_7) is Grade.LARGE
    assert grade_of(FIRE_2007, base, on_8) is Grade.ORDINARY
    c = count_casualties(FIRE_2007, [base, on_8], window_days=7)
    assert (c.deaths, c.serious_injuries, c.late_deaths) == (2, 1, 1)
    assert "按重伤统计" in c.note


def test_a_death_on_day_30_counts_under_2025_one_on_day_31_is_a_serious_injury() -> None:
    base = CasualtyRecord(FIRE_2025, 2, 0)
    assert grade_of(FIRE_2025, base, CasualtyRecord(at(FIRE_2025, 30), 3, 0)) is Grade.LARGE
    assert grade_of(FIRE_2025, base, CasualtyRecord(at(FIRE_2025, 31), 3, 0)) is Grade.ORDINARY


def test_a_day_40_death_does_not_raise_the_grade() -> None:
    """The reported defect: a day-40 death turned a closed 一般 case into 较大."""
    records = [CasualtyRecord(FIRE_2007, 2, 0), CasualtyRecord(at(FIRE_2007, 40), 3, 0)]
    assert grade_of(FIRE_2007, *records) is Grade.ORDINARY


def test_a_death_dated_the_4th_entered_the_10th_is_not_older_than_its_date() -> None:
    """The reported defect: the record typed later but dated earlier was ignored."""
    intake = CasualtyRecord(FIRE_2007, 1, 0, recorded_on=FIRE_2007)
    typed_late = CasualtyRecord(at(FIRE_2007, 3), 3, 0, recorded_on=at(FIRE_2007, 9))
    assert grade_of(FIRE_2007, typed_late, intake) is Grade.LARGE


def test_a_same_day_correction_downwards_is_followed() -> None:
    """Two entries of the fire day on the fire day: the second corrects the first."""
    wrong = CasualtyRecord(FIRE_2007, 12, 0)
    fixed = CasualtyRecord(FIRE_2007, 1, 0)
    assert grade_of(FIRE_2007, wrong, fixed) is Grade.ORDINARY
    c = count_casualties(FIRE_2007, [wrong, fixed], window_days=7)
    assert c.deaths == 1


def test_a_correction_of_the_same_day_entered_later_wins() -> None:
    first = CasualtyRecord(at(FIRE_2007, 2), 4, 0, recorded_on=at(FIRE_2007, 2))
    fixed = CasualtyRecord(at(FIRE_2007, 2), 2, 0, recorded_on=at(FIRE_2007, 5))
    c = count_casualties(FIRE_2007, [fixed, first], window_days=7)
    assert c.deaths == 2


records_strategy = st.lists(
    st.builds(
        lambda d, e, deaths, serious: CasualtyRecord(
            at(FIRE_2025, d), deaths, serious, at(FIRE_2025, d + e)
        ),
        st.integers(0, 45),
        st.integers(0, 5),
        st.integers(0, 40),
        st.integers(0, 120),
    ),
    max_size=6,
    # two entries of the same day on the same day are taken in entry order (a correction);
    # records that differ in a date must give the same result in any order
    unique_by=lambda r: r.sort_key,
)


@given(records_strategy, st.randoms(use_true_random=False), st.sampled_from([FIRE_2007, FIRE_2025]))
def test_the_same_records_in_any_order_give_the_same_result(
    records: list[CasualtyRecord], rnd: object, fire: dt.date
) -> None:
    shift = fire - FIRE_2025
    moved = [
        CasualtyRecord(
            r.as_of + shift, r.deaths, r.serious_injuries, (r.recorded_on or r.as_of) + shift
        )
        for r in records
    ]
    shuffled = list(moved)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]

    def outcome(rs: list[CasualtyRecord]) -> tuple[object, ...]:
        a = assess_case(
            fire_date=fire,
            fire_type="建筑火灾",
            property_loss_yuan=Decimal(0),
            economic_loss_yuan=Decimal(0),
            records=rs,
        )
        return (
            a.grade.grade,
            a.counted,
            a.inclusion.clauses,
            a.jurisdiction_grade,
            a.escalation.explanation if a.escalation else None,
            tuple(w.code for w in a.warnings),
        )

    assert outcome(moved) == outcome(shuffled)


@given(records_strategy)
def test_counted_deaths_never_exceed_the_latest_record_and_nothing_is_lost(
    records: list[CasualtyRecord],
) -> None:
    c = count_casualties(FIRE_2025, records, window_days=30)
    if records:
        latest = max(records, key=lambda r: r.sort_key)
        assert c.deaths + c.late_deaths == latest.deaths
        assert c.serious_injuries == latest.serious_injuries + c.late_deaths
