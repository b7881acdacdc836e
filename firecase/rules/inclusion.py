"""Inclusion in the measures (第二条, 第五条) and the scope check (第二条第二款).

第五条: a fire is included when any of (一) 1 or more deaths, or 3 or more serious injuries;
(二) direct economic loss of 500,000 元 or more; (三) major social impact; (四) the government
or the fire-rescue agency deems it necessary. (三) and (四) are judgements the caller records
(who, when, why); here they are booleans. Every clause that holds is listed, each with its citation.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from firecase.rules._common import check_amount, check_count, fmt_yuan
from firecase.rules.errors import RuleError
from firecase.rules.grade import Grade

INCLUSION_DEATHS = 1
INCLUSION_SERIOUS_INJURIES = 3
INCLUSION_LOSS_YUAN = Decimal(500_000)

CLAUSE_NAMES = {1: "第五条第一项", 2: "第五条第二项", 3: "第五条第三项", 4: "第五条第四项"}


@dataclass(frozen=True)
class InclusionReason:
    """One clause of 第五条 that holds, e.g. clause 1, ``死亡1人（第五条第一项）``."""

    clause: int
    text: str


@dataclass(frozen=True)
class Inclusion:
    """Whether a fire falls under the measures, and every clause of 第五条 that holds."""

    included: bool
    clauses: tuple[int, ...]
    reasons: tuple[InclusionReason, ...]
    explanation: str
    basis: str = "第五条"


def assess_inclusion(
    deaths: int,
    serious_injuries: int,
    economic_loss_yuan: Decimal,
    *,
    social_impact: bool = False,
    deemed_necessary: bool = False,
    grade: Grade | None = None,
) -> Inclusion:
    """Decide inclusion under 第五条 (public rules API, docs/RULES.md).

    ``grade``: the fire's grade when known. A 较大 (or graver) fire is covered by 第二条第一款
    whatever 第五条 says: the 2025 standard grades by 受灾户 too, so a 较大 fire may have no
    death and a loss under 500,000 元. Such a reason has clause 0 and is not in ``clauses``
    (those are 第五条's). Raises RuleError for negative or float input."""
    check_count(deaths, "死亡人数", "deaths")
    check_count(serious_injuries, "重伤人数", "serious_injuries")
    loss = check_amount(economic_loss_yuan, "直接经济损失", "economic_loss_yuan")
    reasons: list[InclusionReason] = []
    if grade is not None and grade.rank >= Grade.LARGE.rank:
        reasons.append(InclusionReason(0, f"{grade.label}（第二条第一款）"))
    if deaths >= INCLUSION_DEATHS:
        reasons.append(InclusionReason(1, f"死亡{deaths}人（{CLAUSE_NAMES[1]}）"))
    if serious_injuries >= INCLUSION_SERIOUS_INJURIES:
        reasons.append(InclusionReason(1, f"重伤{serious_injuries}人（{CLAUSE_NAMES[1]}）"))
    if loss >= INCLUSION_LOSS_YUAN:
        reasons.append(InclusionReason(2, f"直接经济损失{fmt_yuan(loss)}（{CLAUSE_NAMES[2]}）"))
    if social_impact:
        reasons.append(InclusionReason(3, f"造成重大社会影响（{CLAUSE_NAMES[3]}）"))
    if deemed_necessary:
        reasons.append(
            InclusionReason(4, f"人民政府或消防救援机构认为有必要进行调查处理（{CLAUSE_NAMES[4]}）")
        )
    clauses = tuple(sorted({r.clause for r in reasons if r.clause}))
    if reasons:
        explanation = "纳入调查：" + "；".join(r.text for r in reasons)
    else:
        explanation = (
            f"不纳入调查：死亡{deaths}人、重伤{serious_injuries}人、直接经济损失{fmt_yuan(loss)}，"
            "未达到第五条规定的情形（1人以上死亡或者重伤3人以上；直接经济损失50万元以上；"
            "造成重大社会影响；人民政府或消防救援机构认为有必要调查处理）"
        )
    return Inclusion(
        included=bool(reasons), clauses=clauses, reasons=tuple(reasons), explanation=explanation
    )


class FireType(Enum):
    """Kind of fire, as recorded on a case; ``.value`` is the Chinese label."""

    BUILDING = "建筑火灾"
    OUTDOOR = "室外场所火灾"
    STACK = "可燃物堆垛火灾"
    VEHICLE = "车辆火灾（非交通事故）"
    OTHER = "其他火灾"
    FOREST_GRASSLAND = "森林草原火灾"
    NUCLEAR = "核设施火灾"
    MILITARY = "军事设施火灾"
    TRANSPORT = "交通运输火灾"

    @classmethod
    def from_label(cls, value: str) -> FireType:
        """The fire type whose value is ``value``."""
        for kind in cls:
            if kind.value == value:
                return kind
        raise RuleError(f"未知的火灾类型：{value}", field="fire_type")


OUT_OF_SCOPE: dict[FireType, str] = {
    FireType.FOREST_GRASSLAND: "森林草原",
    FireType.NUCLEAR: "核设施",
    FireType.MILITARY: "军事设施",
    FireType.TRANSPORT: "交通运输",
}


@dataclass(frozen=True)
class ScopeCheck:
    """Whether the fire type is governed by the measures (第二条第二款)."""

    in_scope: bool
    reason: str
    basis: str = "第二条第二款"


def check_scope(fire_type: FireType | str) -> ScopeCheck:
    """Flag fires that other laws govern: forest/grassland, nuclear, military, transport."""
    kind = fire_type if isinstance(fire_type, FireType) else FireType.from_label(fire_type)
    area = OUT_OF_SCOPE.get(kind)
    if area is None:
        return ScopeCheck(True, f"{kind.value}适用本办法（第二条）。")
    return ScopeCheck(
        False,
        f"{kind.value}：法律、法规和规章对{area}火灾事故调查处理另有规定的，从其规定"
        "（第二条第二款），不按本办法调查处理。",
    )
