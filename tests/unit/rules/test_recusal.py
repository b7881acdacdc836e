"""R5 recusal screening (第十五条, 第十六条第四项)."""

from __future__ import annotations

from firecase.rules import (
    RECUSAL_GROUNDS,
    Body,
    PartyInfo,
    PartyKind,
    TeamMemberInfo,
    TeamRole,
    screen_recusal,
)


def member(
    name: str, org: str = "市消防救援大队", relatives: tuple[str, ...] = (), active: bool = True
) -> TeamMemberInfo:
    return TeamMemberInfo(
        name, org, Body.FIRE_RESCUE, TeamRole.MEMBER, relatives=relatives, active=active
    )


def test_grounds_text() -> None:
    assert set(RECUSAL_GROUNDS) == {1, 2, 3}
    assert RECUSAL_GROUNDS[1] == "是火灾事故当事人或者是当事人近亲属的"
    assert "利害关系" in RECUSAL_GROUNDS[2]
    assert "债权债务" in RECUSAL_GROUNDS[3]


def test_no_conflict() -> None:
    parties = [PartyInfo("刘某", PartyKind.PERSON, "某公司"), PartyInfo("某公司", PartyKind.UNIT)]
    assert screen_recusal([member("张三")], parties) == ()


def test_member_is_a_party() -> None:
    flags = screen_recusal([member("刘某")], [PartyInfo("刘 某", PartyKind.PERSON)])
    assert len(flags) == 1
    assert flags[0].ground == 1
    assert flags[0].member_name == "刘某"
    assert "第十五条第一项" in flags[0].reason
    assert flags[0].basis == "第十五条第一项"


def test_declared_relative_is_a_party() -> None:
    flags = screen_recusal(
        [member("张三", relatives=("刘某",))], [PartyInfo("刘某", PartyKind.PERSON)]
    )
    assert [(f.party_name, f.ground) for f in flags] == [("刘某", 1)]
    assert "近亲属" in flags[0].reason


def test_party_declares_the_member_as_relative() -> None:
    flags = screen_recusal(
        [member("张三")], [PartyInfo("刘某", PartyKind.PERSON, relatives=("张三",))]
    )
    assert [f.ground for f in flags] == [1]


def test_relative_shared_with_a_party() -> None:
    flags = screen_recusal(
        [member("张三", relatives=("王五",))],
        [PartyInfo("刘某", PartyKind.PERSON, relatives=("王五",))],
    )
    assert [f.ground for f in flags] == [3]
    assert "王五" in flags[0].reason


def test_member_organisation_is_a_party_unit() -> None:
    flags = screen_recusal(
        [member("张三", org="某化工公司")], [PartyInfo("某化工公司", PartyKind.UNIT)]
    )
    assert [f.ground for f in flags] == [2]
    assert "当事单位" in flags[0].reason


def test_member_organisation_is_a_department_under_investigation() -> None:
    flags = screen_recusal(
        [member("张三", org="市应急管理局")], [PartyInfo("市应急管理局", PartyKind.DEPARTMENT)]
    )
    assert [f.ground for f in flags] == [2]
    assert "第十六条第四项" in flags[0].reason


def test_member_works_with_a_person_party() -> None:
    flags = screen_recusal(
        [member("张三", org="市住建局")], [PartyInfo("刘某", PartyKind.PERSON, "市住建局")]
    )
    assert [f.ground for f in flags] == [3]


def test_inactive_members_are_not_screened_and_flags_are_unique() -> None:
    parties = [PartyInfo("刘某", PartyKind.PERSON, relatives=("刘某",))]
    assert screen_recusal([member("刘某", active=False)], parties) == ()
    flags = screen_recusal([member("刘某", relatives=("刘某",))], parties)
    assert len({(f.member_name, f.party_name, f.ground) for f in flags}) == len(flags)
