"""Recusal decisions (第十五条) and declared relatives through the services.

The decider of a member's application is the case's active team leader, picked by member id;
the leader's own application is decided by a government, named, never a team member; the
member concerned and the applicant never decide; no decision is dated after today or before the
application. Each refusal names its field with a Chinese message and writes nothing.
Relatives carry a name and a relation and are stored one a line as ``name<TAB>relation``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from firecase.errors import ValidationError
from firecase.services import cases, parties, reading, recusal, team
from firecase.services.dto import (
    IncidentInput,
    MemberInput,
    PartyInput,
    RecusalApplicationInput,
    RecusalDecisionInput,
    Relative,
)
from firecase.store import CaseFile, open_case_file

D = dt.date
TODAY = D(2026, 4, 1)
APPLIED = D(2026, 3, 5)
DECIDED = D(2026, 3, 6)


@pytest.fixture
def cf(tmp_path: Path) -> Iterator[CaseFile]:
    with open_case_file(tmp_path / "回避.sqlite", user="测试") as case_file:
        yield case_file


def _case(cf: CaseFile, title: str = "竟陵街道商铺火灾") -> tuple[int, dict[str, int]]:
    case = cases.open_case(
        cf,
        IncidentInput(
            title=title,
            fire_date=D(2026, 3, 1),
            place="天门市竟陵街道",
            fire_type="建筑火灾",
            property_loss_yuan=Decimal("120000.00"),
            economic_loss_yuan=Decimal("650000.00"),
        ),
        today=TODAY,
    )
    people = (
        # the leader's organisation and title contain 人民政府: he must not pass for it
        ("周建国", "天门市人民政府", "人民政府", "组长", "天门市人民政府副市长"),
        ("刘志强", "天门市消防救援大队", "消防救援机构", "副组长", "大队长"),
        ("陈晓明", "天门市消防救援大队", "消防救援机构", "成员", ""),
    )
    ids = {
        name: team.add_member(
            cf,
            case.id,
            MemberInput(name, org, body, role, D(2026, 3, 3), title=title_),
            today=TODAY,
        ).id
        for name, org, body, role, title_ in people
    }
    return case.id, ids


def _apply(cf: CaseFile, case_id: int, member_id: int, applicant: str = "吴海涛") -> Any:
    return recusal.apply_recusal(
        cf,
        case_id,
        RecusalApplicationInput(
            member_id=member_id,
            applicant=applicant,
            applicant_kind="本人" if applicant != "吴海涛" else "当事人",
            ground=3,
            reason="与事故发生单位负责人有债务往来。",
            applied_on=APPLIED,
        ),
        today=TODAY,
    )


def _decide(
    cf: CaseFile,
    app: Any,
    by: str = "",
    by_member: int | None = None,
    on: dt.date = DECIDED,
) -> Any:
    return recusal.decide_recusal(
        cf,
        app.id,
        RecusalDecisionInput(
            "批准", on, by, "符合第十五条第三项。", decided_by_member_id=by_member
        ),
        expected_version=app.version,
        today=TODAY,
    )


def _refused(cf: CaseFile, case_id: int, app: Any, field: str, *args: Any, **kw: Any) -> str:
    with pytest.raises(ValidationError) as err:
        _decide(cf, app, *args, **kw)
    assert err.value.field == field, err.value
    still = next(r for r in reading.get_case(cf, case_id, today=TODAY).recusals if r.id == app.id)
    assert (still.decision, still.version, still.decided_by_member_id) == ("", app.version, None)
    return str(err.value)


# --------------------------------------------------------------------------------------------
# a member's application: the team leader decides, picked by id
# --------------------------------------------------------------------------------------------


def test_the_leader_picked_by_id_decides_a_members_application(cf: CaseFile) -> None:
    case_id, ids = _case(cf)
    app = _apply(cf, case_id, ids["陈晓明"])
    out = _decide(cf, app, "随便写的", ids["周建国"])
    assert (out.decided_by, out.decided_by_member_id, out.deciding_body) == (
        "周建国",
        ids["周建国"],
        "调查组组长",
    )
    detail = reading.get_case(cf, case_id, today=TODAY)
    saved = next(r for r in detail.recusals if r.id == app.id)
    assert (saved.decided_by, saved.decided_by_member_id) == ("周建国", ids["周建国"])
    assert next(m for m in detail.members if m.id == ids["陈晓明"]).left_on == D(2026, 3, 6)


def test_a_members_application_needs_the_leader(cf: CaseFile) -> None:
    case_id, ids = _case(cf)
    app = _apply(cf, case_id, ids["陈晓明"])
    message = _refused(cf, case_id, app, "decided_by_member_id", "周建国")
    assert (
        message == "回避申请由调查组组长决定（第十五条），请在“决定人”中选择调查组组长（周建国）。"
    )
    message = _refused(cf, case_id, app, "decided_by_member_id", "", ids["刘志强"])
    assert message == (
        "刘志强不是本案调查组组长（组长：周建国），回避申请由调查组组长决定（第十五条）。"
    )


def test_the_member_concerned_never_decides(cf: CaseFile) -> None:
    case_id, ids = _case(cf)
    app = _apply(cf, case_id, ids["陈晓明"], applicant="陈晓明")
    message = _refused(cf, case_id, app, "decided_by_member_id", "", ids["陈晓明"])
    assert message == "陈晓明是被申请回避的成员，不能对针对本人的回避申请作出决定（第十五条）。"


def test_the_applicant_never_decides(cf: CaseFile) -> None:
    case_id, ids = _case(cf)
    app = _apply(cf, case_id, ids["陈晓明"], applicant="周 建国")  # the leader applied
    message = _refused(cf, case_id, app, "decided_by_member_id", "", ids["周建国"])
    assert message == "周建国是本回避申请的申请人，申请人不能对本人提出的回避申请作出决定。"


def test_a_member_of_another_case_or_no_member_is_refused(cf: CaseFile) -> None:
    case_id, ids = _case(cf)
    _other, other_ids = _case(cf, "另一起火灾")
    app = _apply(cf, case_id, ids["陈晓明"])
    message = _refused(cf, case_id, app, "decided_by_member_id", "", other_ids["周建国"])
    assert message == "所选决定人不是本案调查组成员。"
    _refused(cf, case_id, app, "decided_by_member_id", "", 0)


def test_a_recused_leader_no_longer_decides(cf: CaseFile) -> None:
    case_id, ids = _case(cf)
    _decide(cf, _apply(cf, case_id, ids["周建国"]), "天门市人民政府", on=D(2026, 3, 6))
    app = _apply(cf, case_id, ids["陈晓明"])
    message = _refused(cf, case_id, app, "decided_by_member_id", "", ids["周建国"], on=TODAY)
    assert message.startswith("周建国已于2026-03-06回避，决定日期（2026-04-01）不是调查组组长")
    # the day before he left he was still the leader
    _decide(cf, _apply(cf, case_id, ids["刘志强"]), "", ids["周建国"], on=D(2026, 3, 5))


# --------------------------------------------------------------------------------------------
# the leader's own application: a government decides, never a team member
# --------------------------------------------------------------------------------------------


def test_the_government_decides_the_leaders_own(cf: CaseFile) -> None:
    case_id, ids = _case(cf)
    app = _apply(cf, case_id, ids["周建国"])
    out = _decide(cf, app, " 天门市人民政府 ")
    assert (out.decided_by, out.decided_by_member_id, out.deciding_body) == (
        "天门市人民政府",
        None,
        "人民政府",
    )


HINT = "请在“决定人”中填写作出决定的人民政府，如“天门市人民政府”。"


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("", f"周建国是调查组组长，组长本人的回避由人民政府决定（第十五条）。{HINT}"),
        (
            "刘志强",
            "周建国是调查组组长，组长本人的回避由人民政府决定，不由调查组决定（第十五条）。"
            f"“决定人”应为人民政府的名称（以“人民政府”结尾）。{HINT}",
        ),
        (
            "周建国（天门市人民政府副市长）",
            "周建国是调查组组长，组长本人的回避由人民政府决定，不由调查组决定（第十五条）。"
            f"“决定人”应为人民政府的名称（以“人民政府”结尾）。{HINT}",
        ),
        (
            "人民政府",
            "周建国是调查组组长，组长本人的回避由人民政府决定，不由调查组决定（第十五条）。"
            f"“决定人”应为人民政府的名称（以“人民政府”结尾）。{HINT}",
        ),
        (
            "天门市人民政府周建国天门市人民政府",
            "“天门市人民政府周建国天门市人民政府”含有组长本人周建国的姓名：组长本人的回避由"
            f"人民政府决定，不能由组长本人决定（第十五条）。{HINT}",
        ),
        (
            "刘 志强天门市人民政府",
            "“刘 志强天门市人民政府”含有调查组成员刘志强的姓名：组长本人的回避由人民政府决定，"
            f"不能由调查组成员决定（第十五条）。{HINT}",
        ),
    ],
)
def test_the_leader_never_decides_his_own(cf: CaseFile, by: str, expected: str) -> None:
    case_id, ids = _case(cf)
    app = _apply(cf, case_id, ids["周建国"])
    assert _refused(cf, case_id, app, "decided_by", by) == expected


def test_no_team_member_is_picked_for_the_leaders_own(cf: CaseFile) -> None:
    case_id, ids = _case(cf)
    app = _apply(cf, case_id, ids["周建国"])
    for who in ("周建国", "刘志强"):
        message = _refused(cf, case_id, app, "decided_by", "天门市人民政府", ids[who])
        assert message == (
            "周建国是调查组组长，组长本人的回避由人民政府决定，不由调查组成员决定（第十五条）。"
            + HINT
        )


def test_the_applicant_government_does_not_decide(cf: CaseFile) -> None:
    case_id, ids = _case(cf)
    app = _apply(cf, case_id, ids["周建国"], applicant="竟陵街道人民政府")
    message = _refused(cf, case_id, app, "decided_by", "竟陵街道人民政府")
    assert message == (
        "竟陵街道人民政府是本回避申请的申请人，申请人不能对本人提出的回避申请作出决定。"
    )


# --------------------------------------------------------------------------------------------
# dates
# --------------------------------------------------------------------------------------------


def test_no_decision_after_today(cf: CaseFile) -> None:
    case_id, ids = _case(cf)
    app = _apply(cf, case_id, ids["陈晓明"])
    message = _refused(
        cf, case_id, app, "decided_on", "", ids["周建国"], on=TODAY + dt.timedelta(days=1)
    )
    assert message == "决定日期（2026-04-02）不能晚于今天（2026-04-01）。"
    assert _decide(cf, app, "", ids["周建国"], on=TODAY).decided_on == TODAY


def test_no_decision_before_the_application(cf: CaseFile) -> None:
    case_id, ids = _case(cf)
    app = _apply(cf, case_id, ids["周建国"])
    message = _refused(cf, case_id, app, "decided_on", "天门市人民政府", on=D(2026, 3, 4))
    assert message == "决定日期（2026-03-04）不能早于申请日期（2026-03-05）。"


# --------------------------------------------------------------------------------------------
# relatives: name and relation
# --------------------------------------------------------------------------------------------


def test_relatives_with_relation_are_stored_and_shown(cf: CaseFile) -> None:
    case_id, _ids = _case(cf)
    x = team.add_member(
        cf,
        case_id,
        MemberInput(
            "张三",
            "天门市应急管理局",
            "消防安全监管部门",
            "成员",
            D(2026, 3, 3),
            relatives=("刘强（兄）", Relative("王五", "配偶"), "赵六", "钱七 之子", "孙八(母)"),
        ),
        today=TODAY,
    )
    assert x.relatives == ("刘强（兄）", "王五（配偶）", "赵六", "钱七（之子）", "孙八（母）")
    assert x.relatives_detail[:3] == (
        Relative("刘强", "兄"),
        Relative("王五", "配偶"),
        Relative("赵六", ""),
    )
    with cf.connect() as conn:
        stored = conn.execute(
            text("SELECT relatives FROM team_members WHERE id = :id"), {"id": x.id}
        ).scalar_one()
    assert stored == "刘强\t兄\n王五\t配偶\n赵六\t\n钱七\t之子\n孙八\t母"


def test_old_relative_lines_are_read_with_their_relation(cf: CaseFile) -> None:
    case_id, _ids = _case(cf)
    p = parties.add_party(cf, case_id, PartyInput("个人", "吴海涛"), today=TODAY)
    with cf.engine.begin() as conn:
        conn.execute(
            text("UPDATE parties SET relatives = :r WHERE id = :id"),
            {"r": "刘强（兄）\n刘强(兄)\n刘强 兄\n刘 强\n李四", "id": p.id},
        )
    party = next(x for x in reading.get_case(cf, case_id, today=TODAY).parties if x.id == p.id)
    assert party.relatives_detail == (
        Relative("刘强", "兄"),
        Relative("刘强", "兄"),
        Relative("刘强", "兄"),
        Relative("刘 强", ""),  # a space inside a name is not a relation
        Relative("李四", ""),
    )
    assert party.relatives == ("刘强（兄）", "刘强（兄）", "刘强（兄）", "刘 强", "李四")


@pytest.mark.parametrize(
    ("relative", "message"),
    [
        (Relative("", "兄"), "请填写近亲属第1项的姓名。"),
        (Relative("刘" * 51, "兄"), "近亲属第1项的姓名过长（最多50个字）。"),
        (Relative("刘强", "兄" * 21), "近亲属第1项的关系过长（最多20个字）。"),
        (Relative("刘\t强", "兄"), "近亲属第1项的姓名含有制表符或换行。"),
        ("刘强\n王五", "近亲属第1项含有换行。"),
        (3, "近亲属第1项应为姓名及关系。"),
    ],
)
def test_bad_relatives_are_refused(cf: CaseFile, relative: Any, message: str) -> None:
    case_id, _ids = _case(cf)
    with pytest.raises(ValidationError) as err:
        parties.add_party(cf, case_id, PartyInput("个人", "吴海涛", relatives=(relative,)))
    assert (err.value.field, str(err.value)) == ("relatives", message)


def test_screening_matches_a_relative_typed_with_the_relation(cf: CaseFile) -> None:
    """The issue: a relative typed "刘强（兄）" was not matched to party 刘强."""
    case_id, ids = _case(cf)
    team.update_member(
        cf,
        ids["陈晓明"],
        MemberInput(
            "陈晓明",
            "天门市消防救援大队",
            "消防救援机构",
            "成员",
            D(2026, 3, 3),
            relatives=("刘强（兄）", Relative("王志刚", "配偶")),
        ),
        expected_version=1,
        today=TODAY,
    )
    parties.add_party(cf, case_id, PartyInput("个人", "刘　强"), today=TODAY)
    parties.add_party(cf, case_id, PartyInput("个人", "王智刚"), today=TODAY)
    flags = reading.get_case(cf, case_id, today=TODAY).recusal_flags
    got = {(f.member_name, f.party_name, f.ground, f.near) for f in flags}
    assert got == {
        ("陈晓明", "刘　强", "第十五条第一项", False),
        ("陈晓明", "王智刚", "第十五条第一项", True),
    }
    near = next(f for f in flags if f.near)
    assert near.reason.startswith("姓名相近（王志刚（配偶） / 王智刚），请核实是否同一人")
