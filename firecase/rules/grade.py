"""Fire grade (SPEC R1; 第二十五条): grade standards as data, and grading a fire.

A grade standard is a JSON file in ``resources/rules/`` with an id, a title, a citation, the
date it takes effect, the window in which deaths are counted, and one threshold per
(criterion, grade), each with its own citation. A threshold we do not ship is ``"未配置"``: it is
shown as such and never used to grade. The standard in force for a fire is the one with the latest
``effective_from`` on or before the fire date (第二十五条: "国家有新规定的，从其规定").

Thresholds are minimums: "以上" includes the number, "以下" excludes it. A fire takes the highest
grade that any one criterion reaches; 一般 when none reaches 较大.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

from firecase.rules._common import check_amount, check_count, check_date, fmt_date, fmt_yuan
from firecase.rules.errors import RuleError

NOT_CONFIGURED = "未配置"


class Grade(Enum):
    """Fire grade; ``.value`` is the Chinese label. Ordered by ``.rank`` (一般=1 … 特别重大=4)."""

    EXTRAORDINARY = "特别重大"
    MAJOR = "重大"
    LARGE = "较大"
    ORDINARY = "一般"

    @property
    def rank(self) -> int:
        """1 for 一般 up to 4 for 特别重大."""
        return _RANKS[self]

    @property
    def label(self) -> str:
        """The Chinese name as used in sentences, e.g. ``较大火灾``."""
        return f"{self.value}火灾"

    @classmethod
    def from_label(cls, value: str) -> Grade:
        """The grade whose value is ``value`` (``"较大"`` or ``"较大火灾"``)."""
        text = value.removesuffix("火灾")
        for grade in cls:
            if grade.value == text:
                return grade
        raise RuleError(f"未知的火灾等级：{value}", field="grade")

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Grade):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Grade):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Grade):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Grade):
            return NotImplemented
        return self.rank >= other.rank


_RANKS = {Grade.ORDINARY: 1, Grade.LARGE: 2, Grade.MAJOR: 3, Grade.EXTRAORDINARY: 4}
GRADED = (Grade.EXTRAORDINARY, Grade.MAJOR, Grade.LARGE)  # grades that have thresholds

# criterion key -> (Chinese label, unit)
CRITERIA: Mapping[str, tuple[str, str]] = {
    "deaths": ("死亡", "人"),
    "serious_injuries": ("重伤", "人"),
    "property_loss_yuan": ("直接财产损失", "元"),
    "households_affected": ("受灾", "户"),
}
REQUIRED_CRITERIA = ("deaths", "serious_injuries", "property_loss_yuan")


def _fmt_value(criterion: str, value: Decimal) -> str:
    if criterion == "property_loss_yuan":
        return fmt_yuan(value)
    return f"{value}{CRITERIA[criterion][1]}"


@dataclass(frozen=True)
class GradeThreshold:
    """The minimum one criterion must reach for one grade (``minimum`` None = 未配置)."""

    criterion: str
    grade: Grade
    minimum: Decimal | None
    citation: str

    @property
    def configured(self) -> bool:
        """False when the standard's figure is not shipped (shown as 未配置)."""
        return self.minimum is not None

    @property
    def display(self) -> str:
        """``3人以上``, ``1000万元以上`` or ``未配置``."""
        if self.minimum is None:
            return NOT_CONFIGURED
        return f"{_fmt_value(self.criterion, self.minimum)}以上"


@dataclass(frozen=True)
class GradeStandard:
    """One fire grade standard, loaded from ``resources/rules/<id>.json``."""

    id: str
    title: str
    citation: str
    effective_from: dt.date
    death_window_days: int
    thresholds: tuple[GradeThreshold, ...]
    death_window_citation: str = ""
    note: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GradeStandard:
        """Build and check a standard from its JSON structure (RuleError if malformed)."""
        try:
            thresholds = tuple(_threshold_from_dict(t) for t in data["thresholds"])
            standard = cls(
                id=str(data["id"]),
                title=str(data["title"]),
                citation=str(data["citation"]),
                effective_from=dt.date.fromisoformat(str(data["effective_from"])),
                death_window_days=int(data["death_window_days"]),
                thresholds=thresholds,
                death_window_citation=str(data.get("death_window_citation", "")),
                note=str(data.get("note", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise RuleError(f"火灾等级标准数据格式不正确：{exc}", field="grade_standard") from exc
        standard._check()
        return standard

    def _check(self) -> None:
        seen: set[tuple[str, Grade]] = set()
        for t in self.thresholds:
            if (t.criterion, t.grade) in seen:
                raise RuleError(f"火灾等级标准{self.id}重复定义了{t.criterion}/{t.grade.value}")
            seen.add((t.criterion, t.grade))
        for criterion in REQUIRED_CRITERIA:
            for grade in GRADED:
                found = self.threshold(criterion, grade)
                if found is None or not found.configured:
                    raise RuleError(
                        f"火灾等级标准{self.id}缺少{CRITERIA[criterion][0]}的{grade.value}标准"
                    )
        for criterion in self.criteria:
            minimums = [
                th.minimum
                for g in reversed(GRADED)
                if (th := self.threshold(criterion, g)) is not None and th.minimum is not None
            ]
            if minimums != sorted(minimums) or len(set(minimums)) != len(minimums):
                raise RuleError(f"火灾等级标准{self.id}的{CRITERIA[criterion][0]}阈值未逐级递增")

    @property
    def criteria(self) -> tuple[str, ...]:
        """The criteria this standard grades by, in the fixed order of ``CRITERIA``."""
        present = {t.criterion for t in self.thresholds}
        return tuple(c for c in CRITERIA if c in present)

    def threshold(self, criterion: str, grade: Grade) -> GradeThreshold | None:
        """The threshold for (criterion, grade), or None if the standard has none."""
        for t in self.thresholds:
            if t.criterion == criterion and t.grade is grade:
                return t
        return None

    def range_text(self, criterion: str, grade: Grade) -> str:
        """The band of ``grade`` for ``criterion``, e.g. ``3人以上10人以下`` / ``3人以下``."""
        if grade is Grade.ORDINARY:
            lowest = self.threshold(criterion, Grade.LARGE)
            if lowest is None or lowest.minimum is None:
                return NOT_CONFIGURED
            return f"{_fmt_value(criterion, lowest.minimum)}以下"
        own = self.threshold(criterion, grade)
        if own is None or own.minimum is None:
            return NOT_CONFIGURED
        text = f"{_fmt_value(criterion, own.minimum)}以上"
        above = [g for g in GRADED if g.rank == grade.rank + 1]
        if above:
            upper = self.threshold(criterion, above[0])
            if upper is not None and upper.minimum is not None:
                text += f"{_fmt_value(criterion, upper.minimum)}以下"
        return text

    def grade_for(self, criterion: str, value: Decimal) -> Grade:
        """The highest grade whose configured threshold ``value`` reaches (inclusive)."""
        for grade in GRADED:
            t = self.threshold(criterion, grade)
            if t is not None and t.minimum is not None and value >= t.minimum:
                return grade
        return Grade.ORDINARY

    @property
    def summary(self) -> str:
        """One line naming the standard, e.g. ``… （公消〔2007〕234号，自2007年6月26日起施行）``."""
        return f"{self.title}（{self.citation}，自{fmt_date(self.effective_from)}起施行）"


def _threshold_from_dict(data: Mapping[str, Any]) -> GradeThreshold:
    criterion = str(data["criterion"])
    if criterion not in CRITERIA:
        raise ValueError(f"未知的定级指标 {criterion}")
    raw = data["minimum"]
    minimum: Decimal | None
    if raw == NOT_CONFIGURED:
        minimum = None
    else:
        try:
            minimum = Decimal(str(raw))
        except InvalidOperation as exc:
            raise ValueError(f"阈值 {raw!r} 不是数字") from exc
    return GradeThreshold(
        criterion=criterion,
        grade=Grade.from_label(str(data["grade"])),
        minimum=minimum,
        citation=str(data["citation"]),
    )


def load_standards(folder: Path | None = None) -> tuple[GradeStandard, ...]:
    """Every grade standard in ``folder`` (default: bundled ``resources/rules``), oldest first."""
    if folder is None:
        return _bundled_standards()
    return _load_folder(folder)


def _load_folder(folder: Path) -> tuple[GradeStandard, ...]:
    standards = []
    for path in sorted(folder.glob("*.json")):
        with path.open(encoding="utf-8") as fh:
            standards.append(GradeStandard.from_dict(json.load(fh)))
    if not standards:
        raise RuleError(f"找不到火灾等级标准数据（{folder}）", field="grade_standard")
    standards.sort(key=lambda s: s.effective_from)
    dates = [s.effective_from for s in standards]
    if len(set(dates)) != len(dates):
        raise RuleError("两个火灾等级标准的施行日期相同", field="grade_standard")
    return tuple(standards)


@lru_cache(maxsize=1)
def _bundled_standards() -> tuple[GradeStandard, ...]:
    from firecase.paths import resource

    return _load_folder(resource("rules"))


def standard_for(
    fire_date: dt.date, standards: tuple[GradeStandard, ...] | None = None
) -> GradeStandard:
    """The grade standard in force on ``fire_date`` (latest ``effective_from`` on or before it)."""
    check_date(fire_date, "火灾发生日期", "fire_date")
    pool = standards if standards is not None else load_standards()
    in_force = [s for s in pool if s.effective_from <= fire_date]
    if not in_force:
        raise RuleError(
            f"没有适用于{fmt_date(fire_date)}的火灾等级标准（最早的标准自"
            f"{fmt_date(min(s.effective_from for s in pool))}起施行）",
            field="fire_date",
        )
    return max(in_force, key=lambda s: s.effective_from)


@dataclass(frozen=True)
class GradeDecision:
    """A graded fire: the grade, the standard used, and why."""

    grade: Grade
    standard: GradeStandard
    reasons: tuple[str, ...]  # each criterion that set the grade
    basis: str  # e.g. "第二十五条；公消〔2007〕234号"
    explanation: str  # full Chinese text
    notes: tuple[str, ...] = ()  # criteria not used (未配置, not in the standard) and windows


def grade_fire_detailed(
    deaths: int,
    serious_injuries: int,
    property_loss_yuan: Decimal,
    fire_date: dt.date,
    *,
    households_affected: int | None = None,
    standards: tuple[GradeStandard, ...] | None = None,
) -> GradeDecision:
    """Grade a fire under the standard in force on ``fire_date``, with reasons and citation.

    ``deaths`` should be counted within the standard's death window (7 days under 2007, 30 under
    2025); the explanation says which. ``households_affected`` is used only where the standard
    configures households thresholds. Raises RuleError for negative counts, negative or float
    amounts, or a date no standard covers.
    """
    values: dict[str, Decimal] = {
        "deaths": Decimal(check_count(deaths, "死亡人数", "deaths")),
        "serious_injuries": Decimal(check_count(serious_injuries, "重伤人数", "serious_injuries")),
        "property_loss_yuan": check_amount(
            property_loss_yuan, "直接财产损失", "property_loss_yuan"
        ),
    }
    if households_affected is not None:
        values["households_affected"] = Decimal(
            check_count(households_affected, "受灾户数", "households_affected")
        )
    standard = standard_for(fire_date, standards)

    notes: list[str] = []
    per_criterion: dict[str, Grade] = {}
    for criterion, value in values.items():
        label = CRITERIA[criterion][0]
        if criterion not in standard.criteria:
            notes.append(f"{label}{_fmt_value(criterion, value)}：该标准不按{label}户数定级")
            continue
        configured = [t for g in GRADED if (t := standard.threshold(criterion, g)) and t.configured]
        if not configured:
            notes.append(
                f"{label}{_fmt_value(criterion, value)}：该标准的{label}户数分级阈值"
                f"{NOT_CONFIGURED}，未据此定级"
            )
            continue
        per_criterion[criterion] = standard.grade_for(criterion, value)

    grade = max(per_criterion.values(), default=Grade.ORDINARY)
    reasons: list[str] = []
    for criterion, reached in per_criterion.items():
        if reached is not grade:
            continue
        label = CRITERIA[criterion][0]
        value_text = _fmt_value(criterion, values[criterion])
        band = standard.range_text(criterion, grade)
        if grade is Grade.ORDINARY:
            reasons.append(f"{label}{value_text}，未达到较大火灾标准，属一般火灾（{band}）")
        else:
            reasons.append(f"{label}{value_text}，达到{grade.label}标准（{band}）")

    if "households_affected" in standard.criteria and households_affected is None:
        notes.append("未填写受灾户数")
    notes.append(
        f"死亡人数按火灾发生之日起{standard.death_window_days}日内统计"
        + (f"（{standard.citation}）" if standard.death_window_days else "")
    )
    basis = f"第二十五条；{standard.citation}"
    explanation = (
        f"火灾发生于{fmt_date(fire_date)}，适用{standard.summary}。"
        f"定为{grade.label}：{'；'.join(reasons)}。"
        "（“以上”含本数，“以下”不含本数；按任一项达到的最高等级定级。）"
        + "".join(f"{n}。" for n in notes)
        + f"依据：{basis}。"
    )
    return GradeDecision(
        grade=grade,
        standard=standard,
        reasons=tuple(reasons),
        basis=basis,
        explanation=explanation,
        notes=tuple(notes),
    )


def grade_fire(
    deaths: int, serious_injuries: int, property_loss_yuan: Decimal, fire_date: dt.date
) -> Grade:
    """The fire's grade under the standard in force on ``fire_date`` (SPEC §4)."""
    return grade_fire_detailed(deaths, serious_injuries, property_loss_yuan, fire_date).grade
