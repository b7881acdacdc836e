"""The investigation team: members and sub-groups."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase.errors import ValidationError
from firecase.services import _common as v, _judgement, _views as views
from firecase.services._records import Kind, _need, _ref
from firecase.services.dto import (
    MemberInput,
    MemberView,
    SubGroupInput,
    SubGroupView,
)
from firecase.services.permissions import Permission, allowed, requires, who_may
from firecase.store import CaseFile, models as m

# --------------------------------------------------------------------------------------------
# team members and sub-groups
# --------------------------------------------------------------------------------------------


def _member_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, MemberInput, "调查组成员信息")
    joined = v.date(d.joined_on, "joined_on", "加入日期")
    v.not_before(joined, case.fire_date, "joined_on", "加入日期", "起火日期")
    return {
        "name": v.text(d.name, "name", "姓名", max_len=100),
        "organisation": v.text(d.organisation, "organisation", "所在单位"),
        "body": v.choice(d.body, "body", "所代表的机关", _judgement.bodies()),
        "role": v.choice(d.role, "role", "调查组职务", _judgement.team_roles()),
        "title": v.text(d.title, "title", "本单位职务", max_len=100, required=False),
        "expertise": v.text(d.expertise, "expertise", "专长", required=False),
        "relatives": v.join_relatives(v.relatives(d.relatives, "relatives", "申报的近亲属")),
        "joined_on": joined,
    }


def _member_out(s: Session, x: m.TeamMember) -> MemberView:
    return views.member_view(x)


@requires(Permission.RECORD)
def add_member(
    cf: CaseFile,
    case_id: int,
    data: MemberInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> MemberView:
    """Appoint a team member."""
    return _TEAM_MEMBER.add(cf, case_id, data, actor, today, override_reason=override_reason)


@requires(Permission.RECORD)
def update_member(
    cf: CaseFile,
    member_id: int,
    data: MemberInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> MemberView:
    """Change a team member's details."""
    return _TEAM_MEMBER.update(
        cf, member_id, data, expected_version, actor, today, override_reason=override_reason
    )


@requires(Permission.RECORD)
def remove_member(
    cf: CaseFile,
    member_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove a member appointed in error (a recused member stays, with ``left_on``).

    A member in a sub-group is taken out of it first, which only those who set up sub-groups
    may do (第九条): anyone else is told so, rather than refused by the team server."""
    regroups = allowed(cf, Permission.APPROVE_TEAM, actor=actor)

    def before(s: Session, obj: m.TeamMember) -> None:
        for model, label in ((m.RecusalApplication, "回避申请"), (m.Dissent, "不同意见")):
            if s.scalar(select(model.id).where(model.member_id == obj.id).limit(1)) is not None:
                raise ValidationError(
                    f"该成员已有{label}记录，不能删除；如需退出调查组请办理回避。", field="id"
                )
        decided = select(m.RecusalApplication.id).where(
            m.RecusalApplication.decided_by_member_id == obj.id
        )
        if s.scalar(decided.limit(1)) is not None:
            raise ValidationError(
                "该成员作出过回避决定，不能删除；决定须保留作决定人（第十五条）。", field="id"
            )
        links = list(
            s.scalars(select(m.SubGroupMember).where(m.SubGroupMember.member_id == obj.id))
        )
        led = list(s.scalars(select(m.SubGroup).where(m.SubGroup.leader_id == obj.id)))
        if (links or led) and not regroups:
            ids = {g.id for g in led} | {link.subgroup_id for link in links}
            names = "、".join(
                f"“{name}”"
                for name in s.scalars(
                    select(m.SubGroup.name).where(m.SubGroup.id.in_(ids)).order_by(m.SubGroup.id)
                )
            )
            raise ValidationError(
                f"该成员在专项小组{names}中，不能由您删除：专项小组由"
                f"{who_may(Permission.APPROVE_TEAM)}确定（第九条），请其先将该成员移出小组，"
                "或由其删除该成员。",
                field="id",
            )
        for link in links:
            s.delete(link)
        for g in led:
            g.leader_id = None

    return _TEAM_MEMBER.remove(
        cf, member_id, expected_version, actor, today, before, override_reason=override_reason
    )


def _subgroup_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, SubGroupInput, "专项小组信息")
    if not isinstance(d.member_ids, (tuple, list)):
        raise ValidationError("小组成员应为列表。", field="member_ids")
    for mid in d.member_ids:
        _ref(s, m.TeamMember, mid, case, "member_ids", "小组成员")
    if len(set(d.member_ids)) != len(d.member_ids):
        raise ValidationError("小组成员有重复。", field="member_ids")
    leader = _ref(s, m.TeamMember, d.leader_id, case, "leader_id", "小组组长")
    return {
        "name": v.text(d.name, "name", "小组名称", max_len=50),
        "leader_id": leader,
        "duties": v.long_text(d.duties, "duties", "职责"),
    }


def _subgroup_members(s: Session, g: m.SubGroup, d: SubGroupInput) -> None:
    wanted = set(d.member_ids)
    if g.leader_id is not None:
        wanted.add(g.leader_id)
    have = {
        link.member_id: link
        for link in s.scalars(select(m.SubGroupMember).where(m.SubGroupMember.subgroup_id == g.id))
    }
    for mid, link in have.items():
        if mid not in wanted:
            s.delete(link)
    for mid in sorted(wanted - set(have)):
        s.add(m.SubGroupMember(subgroup_id=g.id, member_id=mid))
    s.flush()


def _subgroup_out(s: Session, g: m.SubGroup) -> SubGroupView:
    return views.subgroup_view(s, g)


@requires(Permission.APPROVE_TEAM)
def add_subgroup(
    cf: CaseFile,
    case_id: int,
    data: SubGroupInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> SubGroupView:
    """Set up a sub-group (综合组/技术组/管理组/…) with leader, duties and members."""
    return _SUB_GROUP.add(
        cf, case_id, data, actor, today, _subgroup_members, override_reason=override_reason
    )


@requires(Permission.APPROVE_TEAM)
def update_subgroup(
    cf: CaseFile,
    subgroup_id: int,
    data: SubGroupInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> SubGroupView:
    """Change a sub-group, its leader, duties and members."""
    return _SUB_GROUP.update(
        cf,
        subgroup_id,
        data,
        expected_version,
        actor,
        today,
        _subgroup_members,
        override_reason=override_reason,
    )


@requires(Permission.APPROVE_TEAM)
def remove_subgroup(
    cf: CaseFile,
    subgroup_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove a sub-group."""

    def before(s: Session, g: m.SubGroup) -> None:
        for link in list(
            s.scalars(select(m.SubGroupMember).where(m.SubGroupMember.subgroup_id == g.id))
        ):
            s.delete(link)

    return _SUB_GROUP.remove(
        cf, subgroup_id, expected_version, actor, today, before, override_reason=override_reason
    )


# The record kinds of this room (``_records.Kind``: add, update and remove in one place).
_TEAM_MEMBER = Kind(m.TeamMember, "调查组成员", _member_out, values=_member_values)
_SUB_GROUP = Kind(m.SubGroup, "专项小组", _subgroup_out, values=_subgroup_values)
