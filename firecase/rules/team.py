"""Investigation team composition checks (第六条, 第八条, 第九条).

The checks return warnings the user can see and acknowledge; none of them blocks anything.
Only active members (not recused, not removed) are considered. ``TeamWarning.code`` is stable;
``subject`` names the sub-group or member a warning is about, so ``key`` identifies one warning
for acknowledgement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


class Body(Enum):
    """The kind of body a member comes from (第六条)."""

    GOVERNMENT = "人民政府"
    FIRE_RESCUE = "消防救援机构"
    PUBLIC_SECURITY = "公安机关"
    FIRE_SUPERVISION = "消防安全监管部门"
    INDUSTRY_REGULATOR = "行业主管部门"
    DISCIPLINE = "纪检监察机关"
    EXPERT = "专家"
    OTHER = "其他"


class TeamRole(Enum):
    """A member's role in the team (第八条)."""

    LEADER = "组长"
    DEPUTY = "副组长"
    MEMBER = "成员"


STANDARD_SUBGROUPS = ("综合组", "技术组", "管理组")  # 第九条; others are allowed


@dataclass(frozen=True)
class TeamMemberInfo:
    """What the checks need to know about one member."""

    name: str
    organisation: str
    body: Body
    role: TeamRole = TeamRole.MEMBER
    subgroup: str | None = None
    is_subgroup_leader: bool = False
    relatives: tuple[str, ...] = ()
    active: bool = True


@dataclass(frozen=True)
class TeamWarning:
    """One composition warning."""

    code: str
    message: str
    basis: str
    subject: str = ""

    @property
    def key(self) -> str:
        """``code`` or ``code:subject``: identifies the warning for acknowledgement."""
        return f"{self.code}:{self.subject}" if self.subject else self.code


REQUIRED_BODIES: tuple[tuple[str, frozenset[Body], str], ...] = (
    ("missing_government", frozenset({Body.GOVERNMENT}), "人民政府"),
    ("missing_fire_rescue", frozenset({Body.FIRE_RESCUE}), "消防救援机构"),
    ("missing_public_security", frozenset({Body.PUBLIC_SECURITY}), "公安机关"),
    (
        "missing_supervision",
        frozenset({Body.FIRE_SUPERVISION, Body.INDUSTRY_REGULATOR}),
        "负有消防安全监督管理职责的相关部门或有关行业主管部门",
    ),
)


def check_team(
    members: Sequence[TeamMemberInfo],
    subgroups: Sequence[str] = (),
    *,
    authorised_fire_agency: bool | None = None,
) -> tuple[TeamWarning, ...]:
    """Warnings about the team's composition.

    Checks, with their basis: a leader (exactly one) and a deputy leader (第八条); the leader from
    the government or, when authorised, the fire-rescue agency, and a deputy from the fire-rescue
    agency (第八条); members from each required body (第六条第一款); discipline inspection invited
    (第六条第一款); each sub-group has exactly one leader and names a sub-group that exists
    (第九条); when sub-groups exist, every member other than the leader and deputy leaders works
    in one (第九条: the team's work is done through its sub-groups — our reading, shown as a
    warning only). ``authorised_fire_agency``: whether the city government authorised the
    fire-rescue agency's head to lead (第八条); False warns about a leader from that agency,
    None (not known) does not.
    """
    active = [m for m in members if m.active]
    warnings: list[TeamWarning] = []
    leaders = [m for m in active if m.role is TeamRole.LEADER]
    deputies = [m for m in active if m.role is TeamRole.DEPUTY]

    if not leaders:
        warnings.append(
            TeamWarning("no_leader", "调查组未确定组长：调查组在组长的统一领导下开展工作", "第八条")
        )
    elif len(leaders) > 1:
        names = "、".join(m.name for m in leaders)
        warnings.append(
            TeamWarning(
                "multiple_leaders", f"调查组有多名组长（{names}），应由一人担任组长", "第八条"
            )
        )
    for leader in leaders:
        if leader.body is Body.FIRE_RESCUE and authorised_fire_agency is False:
            warnings.append(
                TeamWarning(
                    "leader_not_authorised",
                    f"组长{leader.name}来自消防救援机构，但未记录市人民政府的授权：由消防救援机构"
                    "负责人担任组长须经市人民政府授权（请在调查组信息中勾选授权，或改由人民政府"
                    "分管领导担任组长）",
                    "第八条",
                    leader.name,
                )
            )
        if leader.body not in (Body.GOVERNMENT, Body.FIRE_RESCUE):
            warnings.append(
                TeamWarning(
                    "leader_body",
                    f"组长{leader.name}来自{leader.body.value}：组长一般由人民政府分管领导担任，"
                    "或经市人民政府授权由消防救援机构负责人担任",
                    "第八条",
                    leader.name,
                )
            )
    if not deputies:
        warnings.append(
            TeamWarning(
                "no_deputy", "调查组未确定副组长：副组长由同级消防救援机构负责人担任", "第八条"
            )
        )
    elif not any(m.body is Body.FIRE_RESCUE for m in deputies) and not any(
        m.body is Body.FIRE_RESCUE for m in leaders
    ):
        warnings.append(
            TeamWarning(
                "deputy_body",
                "副组长中没有消防救援机构负责人：副组长由同级消防救援机构负责人担任",
                "第八条",
            )
        )

    present = {m.body for m in active}
    for code, bodies, name in REQUIRED_BODIES:
        if not present & bodies:
            warnings.append(TeamWarning(code, f"调查组中没有来自{name}的成员", "第六条第一款"))
    if Body.DISCIPLINE not in present:
        warnings.append(
            TeamWarning(
                "discipline_not_invited",
                "未邀请纪检监察机关派人参加调查组",
                "第六条第一款",
            )
        )

    known = list(dict.fromkeys(subgroups))
    for group in known:
        group_leaders = [m for m in active if m.subgroup == group and m.is_subgroup_leader]
        if not group_leaders:
            warnings.append(
                TeamWarning(
                    "subgroup_without_leader",
                    f"{group}未指定组长：各小组组长由调查组组长指定",
                    "第九条",
                    group,
                )
            )
        elif len(group_leaders) > 1:
            names = "、".join(m.name for m in group_leaders)
            warnings.append(
                TeamWarning(
                    "subgroup_multiple_leaders",
                    f"{group}有多名组长（{names}）",
                    "第九条",
                    group,
                )
            )
    for m in active:
        if m.subgroup is not None and m.subgroup not in known:
            warnings.append(
                TeamWarning(
                    "unknown_subgroup",
                    f"{m.name}所在的“{m.subgroup}”不是调查组已设的专项小组",
                    "第九条",
                    m.name,
                )
            )
        elif m.subgroup is None and m.is_subgroup_leader:
            warnings.append(
                TeamWarning(
                    "subgroup_leader_without_group",
                    f"{m.name}被标为小组组长，但未分入任何专项小组",
                    "第九条",
                    m.name,
                )
            )
    if known:
        for m in active:
            if m.subgroup is None and m.role is TeamRole.MEMBER:
                warnings.append(
                    TeamWarning(
                        "member_without_subgroup",
                        f"调查组已设专项小组，成员{m.name}未分入任何小组",
                        "第九条",
                        m.name,
                    )
                )
    return tuple(warnings)
