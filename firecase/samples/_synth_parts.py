"""Synthetic cases: the generator's context and the parts of one case (``_synth_case``)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from firecase import rules
from firecase.samples._synth_data import (
    _EVIDENCE,
    _GIVEN,
    _GROUPS,
    _MEMBER_SLOTS,
    _SURNAMES,
    DAY,
    SYNTH_ACTOR,
    D,
    _Rows,
)
from firecase.services import _judgement


@dataclass
class _Ctx:
    """Everything the case generator needs besides the random generator."""

    today: D
    prefix: str
    calendar: rules.WorkdayCalendar
    roll: bool
    seq: dict[int, int]
    rows: _Rows
    case_nos: list[str] = field(default_factory=list)


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN)


def _yuan(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def _casualties_and_loss(rng: random.Random) -> tuple[int, int, int, Decimal, Decimal]:
    """(deaths, serious, minor, property loss, economic loss): mostly 一般, some 较大, few 重大."""
    u = rng.random()
    if u < 0.004:  # 重大-scale
        deaths, serious = rng.randint(10, 16), rng.randint(5, 30)
        prop = rng.uniform(6e6, 4e7)
    elif u < 0.045:  # 较大-scale: by deaths or by loss
        if rng.random() < 0.5:
            deaths, serious = rng.randint(3, 7), rng.randint(0, 9)
            prop = rng.uniform(2e5, 8e6)
        else:
            deaths, serious = rng.randint(0, 2), rng.randint(0, 6)
            prop = rng.uniform(3.2e7, 4.8e7)
    else:
        r = rng.random()
        deaths = 0 if r < 0.9 else (1 if r < 0.98 else 2)
        serious = rng.choice((0, 0, 0, 0, 1, 1, 2, 3))
        prop = rng.choice((rng.uniform(2e4, 5e5), rng.uniform(4e5, 3e6), rng.uniform(5e5, 6e6)))
    minor = rng.randint(0, 6)
    return deaths, serious, minor, _yuan(prop), _yuan(prop * rng.uniform(1.05, 1.45))


def _decisions(
    ctx: _Ctx,
    case_id: int,
    fire: D,
    deaths: int,
    serious: int,
    prop: Decimal,
    econ: Decimal,
    households: int | None,
    fire_type: str,
) -> tuple[str, bool]:
    """Grade and inclusion rows as the services decide them (same rules, same wording)."""
    decision = rules.grade_fire_detailed(
        deaths, serious, prop, fire, households_affected=households
    )
    grade = str(decision.grade.value)
    ctx.rows.add(
        "grade_decisions",
        {
            "case_id": case_id,
            "decided_on": fire,
            "grade": grade,
            "standard": _judgement._text_of(decision.standard),
            "explanation": str(decision.explanation),
            "basis": _judgement._text_of(decision.basis),
            "decided_by": SYNTH_ACTOR,
        },
    )
    inclusion = rules.assess_inclusion(deaths, serious, econ)
    included, scope_note = _judgement.included_under_measures(
        bool(inclusion.included), fire_type, fire
    )
    ctx.rows.add(
        "inclusion_decisions",
        {
            "case_id": case_id,
            "decided_on": fire,
            "included": included,
            "clauses": ",".join(str(c) for c in inclusion.clauses),
            "explanation": str(inclusion.explanation),
            "social_impact": False,
            "social_impact_by": "",
            "social_impact_on": None,
            "social_impact_reason": "",
            "deemed_necessary": False,
            "deemed_by": "",
            "deemed_on": None,
            "deemed_reason": "",
            "scope_note": scope_note,
            "decided_by": SYNTH_ACTOR,
        },
    )
    return grade, included


def _versioned(row: dict[str, Any]) -> dict[str, Any]:
    row["version"] = 1
    return row


def _team(
    ctx: _Ctx, rng: random.Random, case_id: int, joined: D, n_members: int
) -> tuple[list[tuple[int, str]], int]:
    """Members and the three sub-groups; returns ([(member id, name)], sub-groups written)."""
    members: list[tuple[int, str]] = []
    for i in range(n_members):
        org, body, role, title = _MEMBER_SLOTS[i] if i < len(_MEMBER_SLOTS) else _MEMBER_SLOTS[-1]
        name = _person(rng)
        mid = ctx.rows.add(
            "team_members",
            _versioned(
                {
                    "case_id": case_id,
                    "name": name,
                    "organisation": org,
                    "body": body,
                    "role": role,
                    "title": title,
                    "expertise": "",
                    "relatives": "",
                    "joined_on": joined,
                    "left_on": None,
                }
            ),
        )
        members.append((mid, name))
    others = members[2:] or members
    for g, (gname, duties) in enumerate(_GROUPS):
        share = others[g :: len(_GROUPS)] or others[:1]
        gid = ctx.rows.add(
            "subgroups",
            _versioned(
                {"case_id": case_id, "name": gname, "leader_id": share[0][0], "duties": duties}
            ),
        )
        for mid, _name in share:
            ctx.rows.add("subgroup_members", {"subgroup_id": gid, "member_id": mid})
    return members, len(_GROUPS)


def _evidence(
    ctx: _Ctx, rng: random.Random, case_id: int, fire: D, count: int, holder: str
) -> list[int]:
    ids: list[int] = []
    for i in range(count):
        kind, name = _EVIDENCE[i % len(_EVIDENCE)]
        collected = fire + DAY * rng.randint(0, 3)
        if collected > ctx.today:
            collected = fire
        eid = ctx.rows.add(
            "evidence_items",
            _versioned(
                {
                    "case_id": case_id,
                    "code": f"ZJ-{i + 1:03d}",
                    "name": name if count <= len(_EVIDENCE) else f"{name}（{i + 1}）",
                    "kind": kind,
                    "description": f"{name}，提取自起火部位附近。",
                    "collected_on": collected,
                    "collected_by": holder,
                    "location": "物证室",
                }
            ),
        )
        ctx.rows.add(
            "custody_events",
            {
                "case_id": case_id,
                "evidence_id": eid,
                "on": collected,
                "action": "提取",
                "from_holder": "",
                "to_holder": holder,
                "note": "",
            },
        )
        ids.append(eid)
    return ids


def _maybe(day: D | None, today: D) -> D | None:
    """``day`` if it has already come, else None (a milestone not reached yet)."""
    return day if day is not None and day <= today else None
