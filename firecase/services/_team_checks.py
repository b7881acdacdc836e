"""Team checks and recusal screening (第十五条) derived from the stored team."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase import rules
from firecase.services._common import split_relatives
from firecase.services.dto import (
    RecusalFlagView,
    TeamWarningView,
)
from firecase.store.models import (
    Party,
    SubGroup,
    SubGroupMember,
    TeamMember,
)

# --------------------------------------------------------------------------------------------
# team checks and recusal screening
# --------------------------------------------------------------------------------------------


def _names(stored: str) -> tuple[str, ...]:
    """Stored relatives as the screen reads them: "刘强（兄）" (the relation is kept for the
    flag's reason; ``rules.normalise_name`` drops it when comparing)."""
    return tuple(r.display for r in split_relatives(stored))


def _infos(
    members: list[TeamMember], groups: list[SubGroup], links: dict[int, list[int]], today: dt.date
) -> list[rules.TeamMemberInfo]:
    """Rules' view of the roster: each member's sub-group (the one led, else the first)."""
    by_id = {g.id: g for g in groups}
    infos = []
    for x in members:
        led = next((g for g in groups if g.leader_id == x.id), None)
        first = next((by_id[gid] for gid in links.get(x.id, []) if gid in by_id), None)
        group = led or first
        infos.append(
            rules.TeamMemberInfo(
                name=x.name,
                organisation=x.organisation,
                body=rules.Body(x.body),
                role=rules.TeamRole(x.role),
                subgroup=group.name if group is not None else None,
                is_subgroup_leader=led is not None,
                relatives=_names(x.relatives),
                active=x.left_on is None or x.left_on > today,
            )
        )
    return infos


def team_warnings(
    session: Session,
    members: list[TeamMember],
    subgroups: list[SubGroup],
    today: dt.date,
    links: dict[int, list[int]] | None = None,
    *,
    authorised_fire_agency: bool | None = None,
) -> list[TeamWarningView]:
    """Composition warnings from ``rules.check_team`` (``links``: ``member_links``, read here
    unless given; ``authorised_fire_agency``: the case's 第八条 authorisation)."""
    if links is None:
        links = member_links(session, subgroups)
    infos = _infos(members, subgroups, links, today)
    names = [g.name for g in subgroups]
    return [
        TeamWarningView(code=w.code, message=w.message, basis=w.basis)
        for w in rules.check_team(infos, names, authorised_fire_agency=authorised_fire_agency)
    ]


def member_links(session: Session, groups: list[SubGroup]) -> dict[int, list[int]]:
    """member id → ids of the sub-groups they belong to."""
    out: dict[int, list[int]] = {}
    if not groups:
        return out
    for link in session.scalars(
        select(SubGroupMember)
        .where(SubGroupMember.subgroup_id.in_([g.id for g in groups]))
        .order_by(SubGroupMember.subgroup_id)
    ):
        out.setdefault(link.member_id, []).append(link.subgroup_id)
    return out


def recusal_flags(
    members: list[TeamMember], parties: list[Party], today: dt.date
) -> list[RecusalFlagView]:
    """Possible conflicts from ``rules.screen_recusal``: declared relatives and organisations."""
    active = [x for x in members if x.left_on is None or x.left_on > today]
    by_name = {x.name: x for x in active}
    infos = _infos(active, [], {}, today)
    pinfos = [
        rules.PartyInfo(
            name=p.name,
            kind=rules.PartyKind(p.kind),
            organisation=p.organisation or None,
            relatives=_names(p.relatives),
        )
        for p in parties
    ]
    out: list[RecusalFlagView] = []
    for flag in rules.screen_recusal(infos, pinfos):
        member = by_name.get(flag.member_name)
        out.append(
            RecusalFlagView(
                member_id=member.id if member is not None else 0,
                member_name=flag.member_name,
                party_name=flag.party_name,
                ground=f"第十五条第{'一二三'[flag.ground - 1]}项",
                reason=flag.reason,
                near=flag.near,
            )
        )
    return out


def team_rows(session: Session, case_id: int) -> tuple[list[TeamMember], list[SubGroup]]:
    """A case's members and sub-groups."""
    members = list(
        session.scalars(
            select(TeamMember).where(TeamMember.case_id == case_id).order_by(TeamMember.id)
        )
    )
    groups = list(
        session.scalars(select(SubGroup).where(SubGroup.case_id == case_id).order_by(SubGroup.id))
    )
    return members, groups
