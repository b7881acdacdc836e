"""Fire grade (第二十五条): grade standards as data, and grading a fire.

A grade standard is a JSON file in ``resources/rules/`` with an id, a title, a citation, the
date it takes effect, the window in which deaths are counted, and one threshold per
(criterion, grade), each with its own citation. A threshold we do not ship is ``"未配置"``: it is
shown as such and never used to grade. The standard in force for a fire is the one with the latest
``effective_from`` on or before the fire date (第二十五条: "国家有新规定的，从其规定").

Thresholds are minimums: "以上" includes the number, "以下" excludes it. A fire takes the highest
grade that any one criterion reaches; 一般 when none reaches 较大.

A standard may also define 轻微火灾 (the 2025 rule, 消防〔2025〕17号): an 一般 fire with no
casualties at all (no deaths, no serious and no minor injuries: the rule says "无人员伤亡") and
direct property loss below a figure (1000元以下, i.e. under 1,000 元). It is not a fifth grade: the
grade stays 一般 and ``GradeDecision.minor`` says so. Figures an administrator verified and entered
(the 2025 受灾户 thresholds) are applied with ``GradeStandard.with_thresholds``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
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
    issuers: tuple[str, ...] = ()  # the issuing bodies, in the document's order
    issued_on: dt.date | None = None  # the date the document was issued (发布日期)
    replaces: str = ""  # the document number of the rule it replaced, if any
    minor_fire_max_property_yuan: Decimal | None = None  # 轻微火灾: loss below this, no casualties
    minor_fire_citation: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GradeStandard:
        """Build and check a standard from its JSON structure (RuleError if malformed)."""
        try:
            thresholds = tuple(_threshold_from_dict(t) for t in data["thresholds"])
            issued = data.get("issued_on")
            minor = data.get("minor_fire")
            minor_max: Decimal | None = None
            minor_citation = ""
            if minor is not None:
                try:
                    minor_max = Decimal(str(minor["max_property_loss_yuan"]))
                except InvalidOperation as exc:
                    raise ValueError("轻微火灾的财产损失上限不是数字") from exc
                minor_citation = str(minor["citation"])
            issuers = data.get("issuers", ())
            if isinstance(issuers, str):
                raise ValueError("issuers 应为列表")
            standard = cls(
                id=str(data["id"]),
                title=str(data["title"]),
                citation=str(data["citation"]),
                effective_from=dt.date.fromisoformat(str(data["effective_from"])),
                death_window_days=int(data["death_window_days"]),
                thresholds=thresholds,
                death_window_citation=str(data.get("death_window_citation", "")),
                note=str(data.get("note", "")),
                issuers=tuple(str(i) for i in issuers),
                issued_on=dt.date.fromisoformat(str(issued)) if issued else None,
                replaces=str(data.get("replaces", "")),
                minor_fire_max_property_yuan=minor_max,
                minor_fire_citation=minor_citation,
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
        minor = self.minor_fire_max_property_yuan
        if minor is not None and (not minor.is_finite() or minor <= 0):
            raise RuleError(f"火灾等级标准{self.id}的轻微火灾财产损失上限必须为正数")
        if self.issued_on is not None and self.issued_on > self.effective_from:
            raise RuleError(f"火灾等级标准{self.id}的发布日期晚于施行日期")

    def with_thresholds(
        self, criterion: str, minimums: Mapping[Grade, Decimal | None], citation: str
    ) -> GradeStandard:
        """A copy of this standard with ``criterion``'s thresholds set to ``minimums``.

        For figures an administrator verified and entered (the 2025 受灾户 thresholds). Each of
        较大 / 重大 / 特别重大 may be given (``None`` = 未配置); grades not given keep their
        current threshold. Configured minimums must be non-negative whole numbers, strictly
        increasing from 较大 to 特别重大; a citation is required when any figure is configured.
        The three required criteria (deaths, serious injuries, property loss) cannot be cleared.
        Raises RuleError (``field`` names the grade or the citation) otherwise.
        """
        if criterion not in CRITERIA:
            raise RuleError(f"未知的定级指标：{criterion}", field="criterion")
        label = CRITERIA[criterion][0]
        unit = "户数" if CRITERIA[criterion][1] == "户" else ""
        cite = citation.strip() if isinstance(citation, str) else ""
        checked: dict[Grade, Decimal | None] = {}
        for grade, value in minimums.items():
            if not isinstance(grade, Grade) or grade is Grade.ORDINARY:
                raise RuleError(f"{label}阈值只能按较大、重大、特别重大设定", field="grade")
            if value is None:
                checked[grade] = None
                continue
            if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
                raise RuleError(f"{grade.label}的{label}阈值必须是整数", field=grade.name.lower())
            number = Decimal(value)
            if not number.is_finite() or number != number.to_integral_value():
                raise RuleError(f"{grade.label}的{label}阈值必须是整数", field=grade.name.lower())
            if number < 0:
                raise RuleError(f"{grade.label}的{label}阈值不能为负数", field=grade.name.lower())
            checked[grade] = number.quantize(Decimal(1))
        kept = [t for t in self.thresholds if not (t.criterion == criterion and t.grade in checked)]
        if any(v is not None for v in checked.values()) and not cite:
            raise RuleError(f"请填写{label}阈值的依据（文件名称、文号和条款）", field="citation")
        added = [
            GradeThreshold(
                criterion=criterion,
                grade=grade,
                minimum=value,
                citation=(
                    f"{cite} {grade.label}：{_fmt_value(criterion, value)}以上"
                    if value is not None
                    else f"{self.title}（{self.citation}） {grade.label}："
                    f"{label}{unit}标准（{NOT_CONFIGURED}）"
                ),
            )
            for grade, value in checked.items()
        ]
        order = {c: i for i, c in enumerate(CRITERIA)}
        merged = sorted([*kept, *added], key=lambda t: (order[t.criterion], -t.grade.rank))
        # a configured threshold never lies below the one of a lower grade (逐级递增)
        values = [
            (g, th.minimum)
            for g in reversed(GRADED)
            if (th := next((t for t in merged if t.criterion == criterion and t.grade is g), None))
            and th.minimum is not None
        ]
        for (low_grade, low), (high_grade, high) in itertools.pairwise(values):
            if high <= low:
                raise RuleError(
                    f"{high_grade.label}的{label}阈值（{_fmt_value(criterion, high)}）必须大于"
                    f"{low_grade.label}的阈值（{_fmt_value(criterion, low)}）",
                    field=high_grade.name.lower(),
                )
        standard = replace(self, thresholds=tuple(merged))
        standard._check()
        return standard

    @property
    def minor_fire_text(self) -> str:
        """The standard's definition of 轻微火灾, or "" when it defines none."""
        if self.minor_fire_max_property_yuan is None:
            return ""
        return (
            f"一般火灾中，无人员伤亡（死亡、重伤、轻伤均为0人）且直接财产损失"
            f"{fmt_yuan(self.minor_fire_max_property_yuan)}以下的，为轻微火灾"
        )

    def is_minor_fire(
        self, deaths: int, serious_injuries: int, minor_injuries: int, property_loss_yuan: Decimal
    ) -> bool:
        """Whether these counted casualties and this loss make a 轻微火灾 under this standard
        (the caller checks the grade is 一般; all three casualty counts must be 0)."""
        limit = self.minor_fire_max_property_yuan
        return (
            limit is not None
            and deaths == 0
            and serious_injuries == 0
            and minor_injuries == 0
            and property_loss_yuan < limit
        )

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
    minor: bool = False  # 一般 fire that is a 轻微火灾 under the standard (grade stays ORDINARY)

    @property
    def display(self) -> str:
        """The grade as shown: ``较大`` / ``一般`` / ``一般（轻微火灾）``."""
        if self.minor:
            return f"{self.grade.value}（轻微火灾）"
        return self.grade.value


def grade_fire_detailed(
    deaths: int,
    serious_injuries: int,
    property_loss_yuan: Decimal,
    fire_date: dt.date,
    *,
    households_affected: int | None = None,
    standards: tuple[GradeStandard, ...] | None = None,
    minor_injuries: int | None = None,
) -> GradeDecision:
    """Grade a fire under the standard in force on ``fire_date``, with reasons and citation.

    ``deaths`` should be counted within the standard's death window (7 days under 2007, 30 under
    2025); the explanation says which. ``households_affected`` is used only where the standard
    configures households thresholds. ``minor_injuries`` is needed to tell a 轻微火灾 (no
    casualties at all); when it is None and the fire would otherwise qualify, a note says the
    question was left open (``minor`` stays False). Raises RuleError for negative counts,
    negative or float amounts, or a date no standard covers.
    """
    if minor_injuries is not None:
        check_count(minor_injuries, "轻伤人数", "minor_injuries")
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

    minor = False
    minor_text = ""
    if grade is Grade.ORDINARY and standard.minor_fire_max_property_yuan is not None:
        loss = values["property_loss_yuan"]
        if standard.is_minor_fire(
            deaths, serious_injuries, 0 if minor_injuries is None else minor_injuries, loss
        ):
            if minor_injuries is None:
                notes.append("未提供轻伤人数，未判断是否属轻微火灾")
            else:
                minor = True
                minor_text = (
                    f"属一般火灾中的轻微火灾（无人员伤亡，直接财产损失{fmt_yuan(loss)}，"
                    f"在{fmt_yuan(standard.minor_fire_max_property_yuan)}以下；"
                    f"{standard.minor_fire_citation or standard.citation}）。"
                )
    if "households_affected" in standard.criteria and households_affected is None:
        notes.append("未填写受灾户数")
    notes.append(
        f"死亡人数按火灾发生之日起{standard.death_window_days}日内统计"
        + (
            f"（{standard.death_window_citation or standard.citation}）"
            if standard.death_window_days
            else ""
        )
    )
    basis = f"第二十五条；{standard.citation}"
    explanation = (
        f"火灾发生于{fmt_date(fire_date)}，适用{standard.summary}。"
        f"定为{grade.label}：{'；'.join(reasons)}。"
        + minor_text
        + "（“以上”含本数，“以下”不含本数；按任一项达到的最高等级定级。）"
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
        minor=minor,
    )


def grade_fire(
    deaths: int, serious_injuries: int, property_loss_yuan: Decimal, fire_date: dt.date
) -> Grade:
    """The fire's grade under the standard in force on ``fire_date`` (public rules API)."""
    return grade_fire_detailed(deaths, serious_injuries, property_loss_yuan, fire_date).grade
