"""设置 → 火灾等级标准 services: the 受灾户 thresholds and the confirmation are 管理员's, validated,
stored in the case file, and change the grade of the cases they grade."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest

from firecase.errors import NotFoundError, PermissionDeniedError, ValidationError
from firecase.services import cases, reading
from firecase.services.dto import IncidentInput, UserInput
from firecase.services.standards import (
    configured_standards,
    confirm_standard_in_force,
    set_households_thresholds,
    standards_view,
)
from firecase.services.users import add_user
from firecase.store import CaseFile, open_case_file

TODAY = dt.date(2025, 7, 1)
VALUES = {"较大": 100, "重大": 500, "特别重大": 1000}
CITE = "《火灾统计管理规定》（消防〔2025〕17号）第×条"


def _incident(households: int | None, fire_date: dt.date = dt.date(2025, 6, 1)) -> IncidentInput:
    return IncidentInput(
        title="竟陵街道居民楼火灾",
        fire_date=fire_date,
        place="天门市竟陵街道",
        fire_type="建筑火灾",
        property_loss_yuan=Decimal("5000.00"),
        economic_loss_yuan=Decimal("8000.00"),
        households_affected=households,
    )


@pytest.fixture
def cf(case_url: str) -> Iterator[CaseFile]:
    with open_case_file(case_url, user="admin") as f:
        yield f


def test_view_names_both_standards_and_the_one_in_force(cf: CaseFile) -> None:
    view = standards_view(cf, today=TODAY)
    assert view.editable and view.in_force_id == "xf-2025"
    new = view.in_force
    assert new.title == "《火灾统计管理规定》" and new.citation == "消防〔2025〕17号"
    assert new.issued_on == dt.date(2025, 3, 14) and new.effective_from == dt.date(2025, 5, 1)
    assert "国家矿山安全监察局" in new.issuers and new.replaces == "公通字〔1996〕82号"
    assert new.death_window_days == 30 and "轻微火灾" in new.minor_fire
    households = [t for t in new.thresholds if t.criterion == "households_affected"]
    assert [t.display for t in households] == ["未配置"] * 3
    assert not any(t.configured for t in households)
    old = view.standard("gb-2007")
    assert not old.in_force and old.effective_until == dt.date(2025, 4, 30)
    assert old.death_window_days == 7 and "公通字〔1996〕82号" in old.death_window_citation
    assert not old.households_configurable and old.minor_fire == ""
    assert standards_view(cf, today=dt.date(2025, 4, 30)).in_force_id == "gb-2007"


def test_entered_thresholds_change_a_cases_grade(cf: CaseFile) -> None:
    at_min = cases.open_case(cf, _incident(100), today=TODAY)
    below = cases.open_case(cf, _incident(99), today=TODAY)
    before_standard = cases.open_case(cf, _incident(5000, dt.date(2025, 4, 1)), today=TODAY)
    assert at_min.grade == below.grade == before_standard.grade == "一般"

    view = set_households_thresholds(cf, "xf-2025", VALUES, CITE, today=TODAY)
    rows = {t.grade: t for t in view.in_force.thresholds if t.criterion == "households_affected"}
    assert rows["较大"].display == "100户以上" and rows["较大"].entered
    assert rows["较大"].citation.startswith(CITE)
    entry = view.in_force.households
    assert entry is not None and entry.minimum("重大") == 500 and entry.entered_by
    assert entry.entered_on == TODAY

    detail = reading.get_case(cf, at_min.id)
    assert detail.case.grade == "较大"
    assert "受灾100户" in detail.grade_decision.explanation  # type: ignore[union-attr]
    # no death, a loss under 500,000 元: covered by 第二条第一款 all the same (the lawyer's
    # finding: it was shown 不纳入调查, without its clocks)
    assert detail.inclusion is not None and detail.inclusion.included
    assert "较大火灾（第二条第一款）" in detail.inclusion.explanation
    assert "investigation" in {c.kind for c in detail.clocks}
    assert reading.get_case(cf, below.id).case.grade == "一般"
    # a fire graded by the 2007 standard is not graded by households
    assert reading.get_case(cf, before_standard.id).case.grade == "一般"

    # the standards a new case is graded with carry the entered figures
    with cf.unit_of_work() as uow:
        new = configured_standards(uow.session)[1]
    assert [t.minimum for t in new.thresholds if t.criterion == "households_affected"] == [
        Decimal(1000),
        Decimal(500),
        Decimal(100),
    ]
    # clearing them restores 未配置 and the grade
    set_households_thresholds(cf, "xf-2025", {"较大": None, "重大": "", "特别重大": None}, "")
    assert reading.get_case(cf, at_min.id).case.grade == "一般"


@pytest.mark.parametrize(
    ("values", "citation", "field"),
    [
        ({"较大": 100, "重大": 100}, CITE, "households_major"),
        ({"较大": 100, "重大": 500, "特别重大": 400}, CITE, "households_extraordinary"),
        ({"较大": 0}, CITE, "households_large"),
        ({"较大": "十"}, CITE, "households_large"),
        ({"较大": -5}, CITE, "households_large"),
        ({"较大": True}, CITE, "households_large"),
        ({"较大": 100}, " ", "households_citation"),
        ({"一般": 1}, CITE, "households"),
        ("100", CITE, "households"),
    ],
)
def test_thresholds_are_validated(cf: CaseFile, values: object, citation: str, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        set_households_thresholds(cf, "xf-2025", values, citation, today=TODAY)  # type: ignore[arg-type]
    assert err.value.field == field
    assert err.value.message  # Chinese, naming the field
    view = standards_view(cf, today=TODAY)
    assert view.in_force.households is None


def test_only_a_standard_grading_by_households_takes_them(cf: CaseFile) -> None:
    with pytest.raises(ValidationError) as err:
        set_households_thresholds(cf, "gb-2007", VALUES, CITE)
    assert err.value.field == "standard_id" and "不按受灾户数定级" in err.value.message
    with pytest.raises(NotFoundError):
        set_households_thresholds(cf, "no-such", VALUES, CITE)


def test_confirm_the_standard_in_force(cf: CaseFile) -> None:
    assert standards_view(cf, today=TODAY).in_force.confirmed_by == ""
    with pytest.raises(ValidationError) as err:
        confirm_standard_in_force(cf, "gb-2007", today=TODAY)
    assert (
        err.value.field == "standard_id" and "现行标准为《火灾统计管理规定》" in err.value.message
    )
    view = confirm_standard_in_force(cf, "xf-2025", today=TODAY)
    assert view.in_force.confirmed_by == "admin" and view.in_force.confirmed_on == TODAY
    assert standards_view(cf, today=TODAY).in_force.confirmed_on == TODAY
    # new figures invite a new confirmation
    view = set_households_thresholds(cf, "xf-2025", VALUES, CITE, today=TODAY)
    assert view.in_force.confirmed_by == ""


def test_only_the_administrator_may_change_standards(case_url: str) -> None:
    with open_case_file(case_url, user="admin") as cf:
        add_user(cf, UserInput("admin", "赵管理", "管理员"), today=TODAY)
        add_user(cf, UserInput("zhou", "周建国", "调查组组长"), today=TODAY)
        add_user(cf, UserInput("guest", "孙只读", "只读"), today=TODAY)
        for login in ("zhou", "guest"):
            with pytest.raises(PermissionDeniedError, match="管理员"):
                set_households_thresholds(cf, "xf-2025", VALUES, CITE, actor=login)
            with pytest.raises(PermissionDeniedError):
                confirm_standard_in_force(cf, "xf-2025", actor=login, today=TODAY)
            view = standards_view(cf, actor=login, today=TODAY)
            assert not view.editable and view.in_force.households is None
        view = set_households_thresholds(cf, "xf-2025", VALUES, CITE, actor="admin", today=TODAY)
        assert view.editable and view.in_force.households is not None
        view = confirm_standard_in_force(cf, "xf-2025", actor="admin", today=TODAY)
        assert view.in_force.confirmed_by == "赵管理"
