"""R4 team composition warnings (第六条, 第八条, 第九条)."""

from __future__ import annotations

from firecase.rules import Body, TeamMemberInfo, TeamRole, check_team

SUBGROUPS = ("综合组", "技术组", "管理组")


def full_team() -> list[TeamMemberInfo]:
    """A team that passes every check."""
    return [
        TeamMemberInfo("张副市长", "市人民政府", Body.GOVERNMENT, TeamRole.LEADER),
        TeamMemberInfo("李大队长", "市消防救援大队", Body.FIRE_RESCUE, TeamRole.DEPUTY),
        TeamMemberInfo(
            "王警官", "市公安局", Body.PUBLIC_SECURITY, subgroup="综合组", is_subgroup_leader=True
        ),
        TeamMemberInfo(
            "赵科长",
            "市应急管理局",
            Body.FIRE_SUPERVISION,
            subgroup="管理组",
            is_subgroup_leader=True,
        ),
        TeamMemberInfo(
            "钱工", "市消防救援大队", Body.FIRE_RESCUE, subgroup="技术组", is_subgroup_leader=True
        ),
        TeamMemberInfo("孙主任", "市纪委监委", Body.DISCIPLINE, subgroup="管理组"),
    ]


def codes(members: list[TeamMemberInfo], subgroups: tuple[str, ...] = SUBGROUPS) -> set[str]:
    return {w.code for w in check_team(members, subgroups)}


def test_complete_team_has_no_warnings() -> None:
    assert check_team(full_team(), SUBGROUPS) == ()


def test_empty_team_warns_about_everything() -> None:
    found = codes([], ())
    assert found == {
        "no_leader",
        "no_deputy",
        "missing_government",
        "missing_fire_rescue",
        "missing_public_security",
        "missing_supervision",
        "discipline_not_invited",
    }


def test_no_leader_and_no_deputy() -> None:
    team = [m for m in full_team() if m.role is TeamRole.MEMBER]
    warnings = check_team(team, SUBGROUPS)
    by_code = {w.code: w for w in warnings}
    assert by_code["no_leader"].basis == "第八条"
    assert "组长" in by_code["no_leader"].message
    assert "no_deputy" in by_code


def test_industry_regulator_satisfies_supervision_body() -> None:
    team = full_team()
    team[3] = TeamMemberInfo(
        "周处长", "市住建局", Body.INDUSTRY_REGULATOR, subgroup="管理组", is_subgroup_leader=True
    )
    assert "missing_supervision" not in codes(team)


def test_missing_required_body_and_discipline() -> None:
    team = [m for m in full_team() if m.body not in (Body.PUBLIC_SECURITY, Body.DISCIPLINE)]
    warnings = check_team(team, ("技术组", "管理组"))
    found = {w.code: w for w in warnings}
    assert found["missing_public_security"].basis == "第六条第一款"
    assert "公安机关" in found["missing_public_security"].message
    assert "纪检监察机关" in found["discipline_not_invited"].message


def test_inactive_members_do_not_count() -> None:
    team = full_team()
    team[0] = TeamMemberInfo(
        "张副市长", "市人民政府", Body.GOVERNMENT, TeamRole.LEADER, active=False
    )
    assert {"no_leader", "missing_government"} <= codes(team)


def test_subgroup_without_leader() -> None:
    team = full_team()
    team[4] = TeamMemberInfo("钱工", "市消防救援大队", Body.FIRE_RESCUE, subgroup="技术组")
    warnings = [w for w in check_team(team, SUBGROUPS) if w.code == "subgroup_without_leader"]
    assert len(warnings) == 1
    assert warnings[0].subject == "技术组"
    assert warnings[0].key == "subgroup_without_leader:技术组"
    assert warnings[0].basis == "第九条"


def test_member_in_no_subgroup_when_subgroups_exist() -> None:
    team = [*full_team(), TeamMemberInfo("吴专家", "某大学", Body.EXPERT)]
    warnings = [w for w in check_team(team, SUBGROUPS) if w.code == "member_without_subgroup"]
    assert [w.subject for w in warnings] == ["吴专家"]
    # without sub-groups nobody needs one
    plain = [TeamMemberInfo(m.name, m.organisation, m.body, m.role) for m in team]
    assert "member_without_subgroup" not in codes(plain, ())


def test_leader_from_wrong_body_and_several_leaders() -> None:
    team = full_team()
    team.append(TeamMemberInfo("郑局长", "市公安局", Body.PUBLIC_SECURITY, TeamRole.LEADER))
    found = codes(team)
    assert {"multiple_leaders", "leader_body"} <= found


def test_authorised_fire_rescue_leader_is_fine() -> None:
    team = full_team()
    team[0] = TeamMemberInfo("李支队长", "市消防救援支队", Body.FIRE_RESCUE, TeamRole.LEADER)
    team[1] = TeamMemberInfo("陈秘书长", "市人民政府", Body.GOVERNMENT, TeamRole.DEPUTY)
    assert check_team(team, SUBGROUPS) == ()


def test_unknown_subgroup_and_two_subgroup_leaders() -> None:
    team = full_team()
    team.append(TeamMemberInfo("冯", "市公安局", Body.PUBLIC_SECURITY, subgroup="宣传组"))
    team.append(
        TeamMemberInfo(
            "褚", "市公安局", Body.PUBLIC_SECURITY, subgroup="综合组", is_subgroup_leader=True
        )
    )
    assert {"unknown_subgroup", "subgroup_multiple_leaders"} <= codes(team)


def test_a_fire_rescue_leader_needs_the_governments_authorisation() -> None:
    """第八条, the lawyer's finding: a leader from the fire-rescue agency without the city
    government's authorisation gave no warning."""
    team = full_team()
    team[0] = TeamMemberInfo("李支队长", "市消防救援支队", Body.FIRE_RESCUE, TeamRole.LEADER)
    team[1] = TeamMemberInfo("陈秘书长", "市人民政府", Body.GOVERNMENT, TeamRole.DEPUTY)
    found = check_team(team, SUBGROUPS, authorised_fire_agency=False)
    assert [w.code for w in found] == ["leader_not_authorised"]
    assert found[0].basis == "第八条" and "授权" in found[0].message
    assert check_team(team, SUBGROUPS, authorised_fire_agency=True) == ()
    assert check_team(full_team(), SUBGROUPS, authorised_fire_agency=False) == ()
