"""Recusal screening (SPEC R5; 第十五条, 第十六条第四项).

The screen compares each active member's name, declared close relatives and organisation with
the case's parties (persons, units, and government departments under investigation) and flags
possible conflicts for the team leader to decide. Names are compared after trimming white space;
a flag is a prompt for a decision, never a decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from firecase.rules.team import TeamMemberInfo

RECUSAL_GROUNDS: dict[int, str] = {
    1: "是火灾事故当事人或者是当事人近亲属的",
    2: "本人或者近亲属与火灾事故有利害关系的",
    3: "与火灾事故当事人关系密切、有矛盾、纠纷或有债权债务关系等，可能影响事故公正调查的",
}
"""第十五条第一款（一）至（三）, the text of each ground."""

GROUND_CITATIONS = {1: "第十五条第一项", 2: "第十五条第二项", 3: "第十五条第三项"}


class PartyKind(Enum):
    """What kind of party: a person, a unit, or a government department (第十六条第四项)."""

    PERSON = "个人"
    UNIT = "单位"
    DEPARTMENT = "政府部门"


@dataclass(frozen=True)
class PartyInfo:
    """What the screen needs to know about one party."""

    name: str
    kind: PartyKind
    organisation: str | None = None
    relatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecusalFlag:
    """A possible conflict between a member and a party, for the team leader to decide."""

    member_name: str
    party_name: str
    ground: int  # 1–3: the item of 第十五条
    reason: str

    @property
    def basis(self) -> str:
        """The item of 第十五条 the flag points to."""
        return GROUND_CITATIONS[self.ground]


def _norm(text: str | None) -> str:
    return "".join((text or "").split())


def screen_recusal(
    members: Sequence[TeamMemberInfo], parties: Sequence[PartyInfo]
) -> tuple[RecusalFlag, ...]:
    """Flag possible recusal grounds between active members and parties.

    * ground 1 — the member is a party (same name as a person party), a declared relative of the
      member is a person party, or a person party declares the member as a relative;
    * ground 2 — the member's organisation is a unit party or a government department under
      investigation (第十六条第四项): the member's own body has an interest in the outcome;
    * ground 3 — a declared relative of the member is also a declared relative of a party (a
      family tie), or the member works in the same organisation as a person party (a close
      working relationship).
    One flag per (member, party, ground), in member then party order.
    """
    flags: list[RecusalFlag] = []
    seen: set[tuple[str, str, int]] = set()

    def add(member: TeamMemberInfo, party: PartyInfo, ground: int, reason: str) -> None:
        key = (member.name, party.name, ground)
        if key not in seen:
            seen.add(key)
            flags.append(
                RecusalFlag(
                    member.name, party.name, ground, f"{reason}（{GROUND_CITATIONS[ground]}）"
                )
            )

    for member in members:
        if not member.active:
            continue
        m_name = _norm(member.name)
        m_org = _norm(member.organisation)
        m_relatives = {_norm(r) for r in member.relatives} - {""}
        for party in parties:
            p_name = _norm(party.name)
            if not p_name:
                continue
            p_relatives = {_norm(r) for r in party.relatives} - {""}
            if party.kind is PartyKind.PERSON:
                if m_name and m_name == p_name:
                    add(member, party, 1, f"调查组成员{member.name}本人是火灾事故当事人")
                if p_name in m_relatives:
                    add(
                        member,
                        party,
                        1,
                        f"调查组成员{member.name}申报的近亲属{party.name}是火灾事故当事人",
                    )
                if m_name and m_name in p_relatives:
                    add(
                        member,
                        party,
                        1,
                        f"当事人{party.name}申报的近亲属中有调查组成员{member.name}",
                    )
                p_org = _norm(party.organisation)
                if m_org and p_org and m_org == p_org:
                    add(
                        member,
                        party,
                        3,
                        f"调查组成员{member.name}与当事人{party.name}同在{member.organisation}工作，"
                        "可能关系密切",
                    )
            else:
                if m_org and m_org == p_name:
                    what = (
                        "被调查的政府部门（第十六条第四项）"
                        if party.kind is PartyKind.DEPARTMENT
                        else "火灾事故当事单位"
                    )
                    add(
                        member,
                        party,
                        2,
                        f"调查组成员{member.name}所在的{member.organisation}是{what}，"
                        "与火灾事故有利害关系",
                    )
            shared = m_relatives & p_relatives
            if shared:
                add(
                    member,
                    party,
                    3,
                    f"调查组成员{member.name}申报的近亲属{'、'.join(sorted(shared))}"
                    f"也是当事人{party.name}申报的亲属",
                )
    return tuple(flags)
