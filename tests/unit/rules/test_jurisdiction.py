"""R3 jurisdiction (第四条) and the escalation alert within 7 days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from firecase.rules import (
    CasualtyUpdate,
    Grade,
    RuleError,
    escalation_alert,
    jurisdiction_for,
)

FIRE = dt.date(2024, 6, 1)
ZERO = Decimal(0)


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


def test_update_on_day_7_raising_to_major_alerts() -> None:
    updates = [
        CasualtyUpdate(FIRE, 3, 0),
        CasualtyUpdate(FIRE + dt.timedelta(days=7), 10, 0),
    ]
    alert = escalation_alert(FIRE, ZERO, updates)
    assert alert is not None
    assert alert.update is updates[1]
    assert alert.previous_grade is Grade.LARGE
    assert alert.grade is Grade.MAJOR
    assert alert.basis.startswith("第四条")
    assert "报请上级人民政府" in alert.explanation
    assert alert.message == alert.explanation


def test_update_on_day_8_does_not_alert() -> None:
    updates = [CasualtyUpdate(FIRE, 3, 0), CasualtyUpdate(FIRE + dt.timedelta(days=8), 30, 0)]
    assert escalation_alert(FIRE, ZERO, updates) is None


def test_rise_within_city_grades_does_not_alert() -> None:
    updates = [CasualtyUpdate(FIRE, 0, 0), CasualtyUpdate(FIRE + dt.timedelta(days=2), 9, 49)]
    assert escalation_alert(FIRE, ZERO, updates) is None


def test_injuries_can_escalate_too_and_order_does_not_matter() -> None:
    later = CasualtyUpdate(FIRE + dt.timedelta(days=3), 0, 100)
    alert = escalation_alert(FIRE, ZERO, [later, CasualtyUpdate(FIRE, 1, 0)])
    assert alert is not None and alert.grade is Grade.EXTRAORDINARY


def test_property_loss_already_major_is_not_an_escalation() -> None:
    updates = [CasualtyUpdate(FIRE + dt.timedelta(days=1), 12, 0)]
    assert escalation_alert(FIRE, Decimal("60000000"), updates) is None


def test_first_update_already_beyond_city_alerts() -> None:
    alert = escalation_alert(FIRE, ZERO, [CasualtyUpdate(FIRE, 10, 0)])
    assert alert is not None and alert.previous_grade is Grade.ORDINARY


def test_bad_updates() -> None:
    with pytest.raises(RuleError, match="早于火灾发生日期"):
        escalation_alert(FIRE, ZERO, [CasualtyUpdate(FIRE - dt.timedelta(days=1), 1, 0)])
    with pytest.raises(RuleError):
        escalation_alert(FIRE, ZERO, [CasualtyUpdate(FIRE, -1, 0)])
    with pytest.raises(RuleError):
        escalation_alert(FIRE, 1.0, [])  # type: ignore[arg-type]
