"""The fire grade standards a case file grades by (第二十五条).

The standards are data shipped in ``resources/rules/``; figures a standard sets that FireCase
does not ship (the 2025 standard's 受灾户 thresholds) are ``未配置`` until an administrator enters
them with their citation. The administrator also confirms which standard is in force.

Both are stored in the case file's key/value ``settings`` table (audited like every ORM change):

* ``standard.<id>.households``: JSON ``{"较大": "100", "重大": "", "特别重大": "",
  "citation": "…", "by": "…", "on": "2025-06-01"}`` (``""`` = 未配置);
* ``standard.confirmed``: JSON ``{"id": "xf-2025", "by": "…", "login": "…", "on": "…"}``.

Entering the 受灾户 thresholds clears a confirmation of that standard (it was confirmed with the
figures it graded by then) and re-decides the cases it grades that record households affected.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase import rules
from firecase.errors import NotFoundError, PermissionDeniedError, ValidationError
from firecase.rules._common import fmt_date
from firecase.rules.grade import CRITERIA
from firecase.services import _common as v
from firecase.services._reads import (
    HOUSEHOLD_FIELDS as HOUSEHOLD_FIELDS,
    HOUSEHOLDS as HOUSEHOLDS,
    _apply,
    _parse_entry,
    _stored,
    configured_standards as configured_standards,
    households_key as households_key,
)
from firecase.services.permissions import Permission, check, requires
from firecase.store import CaseFile
from firecase.store.models import Case, Setting

log = logging.getLogger(__name__)

CONFIRMED_KEY = "standard.confirmed"
MAX_HOUSEHOLDS = 10**7


# --------------------------------------------------------------------------------------------
# DTOs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThresholdRowView:
    """One (criterion, grade) threshold of a standard as the 火灾等级标准 page shows it."""

    criterion: str  # key, e.g. "households_affected"
    criterion_label: str  # e.g. "受灾户数"
    grade: str  # e.g. "较大"
    display: str  # e.g. "3人以上" / "未配置"
    band: str  # e.g. "3人以上10人以下"
    citation: str
    configured: bool
    entered: bool = False  # entered by an administrator (not shipped data)


@dataclass(frozen=True)
class HouseholdsEntryView:
    """What an administrator entered for a standard's 受灾户 thresholds."""

    minimums: tuple[tuple[str, int | None], ...]  # (grade label, minimum or None), 较大 first
    citation: str
    entered_by: str
    entered_on: dt.date | None

    def minimum(self, grade: str) -> int | None:
        """The entered minimum for ``grade`` (label), None when 未配置."""
        return dict(self.minimums).get(grade)


@dataclass(frozen=True)
class StandardView:
    """One fire grade standard for the 火灾等级标准 page."""

    id: str
    title: str
    citation: str
    issuers: tuple[str, ...]
    issued_on: dt.date | None
    effective_from: dt.date
    effective_until: dt.date | None  # the day before the next standard takes effect
    replaces: str
    death_window_days: int
    death_window_citation: str
    thresholds: tuple[ThresholdRowView, ...]
    minor_fire: str  # the 轻微火灾 definition, "" when the standard has none
    minor_fire_citation: str
    note: str
    in_force: bool  # in force today (the latest standard already in effect)
    households_configurable: bool  # grades by 受灾户 (an administrator may enter the figures)
    households: HouseholdsEntryView | None
    confirmed_by: str = ""  # who confirmed it as the standard in force ("" = not confirmed)
    confirmed_on: dt.date | None = None

    @property
    def summary(self) -> str:
        """One line naming the standard."""
        return f"{self.title}（{self.citation}）"


@dataclass(frozen=True)
class StandardsView:
    """Every grade standard of the case file, and whether the reader may change them."""

    standards: tuple[StandardView, ...]
    in_force_id: str
    editable: bool  # the user holds MANAGE_SETTINGS (管理员)
    today: dt.date

    def standard(self, standard_id: str) -> StandardView:
        """The standard ``standard_id`` (KeyError if absent)."""
        for s in self.standards:
            if s.id == standard_id:
                return s
        raise KeyError(standard_id)

    @property
    def in_force(self) -> StandardView:
        """The standard in force today."""
        return self.standard(self.in_force_id)


# --------------------------------------------------------------------------------------------
# the standards grades are computed with
# --------------------------------------------------------------------------------------------


def _entry_view(raw: str | None) -> HouseholdsEntryView | None:
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        minimums, citation = _parse_entry(raw)
        on = data.get("on")
        return HouseholdsEntryView(
            minimums=tuple((g.value, None if m is None else int(m)) for g, m in minimums.items()),
            citation=citation,
            entered_by=str(data.get("by", "")),
            entered_on=dt.date.fromisoformat(on) if on else None,
        )
    except (ValueError, TypeError, AttributeError):
        return None


def _confirmation(raw: str | None) -> dict[str, Any]:
    if raw is None:
        return {}
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            return {}
        dt.date.fromisoformat(str(data.get("on", "")))
        return data
    except (ValueError, TypeError):
        return {}


# --------------------------------------------------------------------------------------------
# the 火灾等级标准 page
# --------------------------------------------------------------------------------------------


def read_standards_view(
    session: Session, today: dt.date, *, editable: bool = False
) -> StandardsView:
    """The standards page inside an open unit of work."""
    stored = _stored(session)
    entries = dict(stored)
    standards = _apply(stored)
    in_force = rules.standard_for(today, standards)
    confirmed = _confirmation(entries.get(CONFIRMED_KEY))
    views: list[StandardView] = []
    for i, s in enumerate(standards):
        entry = _entry_view(entries.get(households_key(s.id))) if HOUSEHOLDS in s.criteria else None
        entered = entry is not None and any(m is not None for _g, m in entry.minimums)
        rows = tuple(
            ThresholdRowView(
                criterion=t.criterion,
                criterion_label=_criterion_label(t.criterion),
                grade=t.grade.value,
                display=t.display,
                band=s.range_text(t.criterion, t.grade),
                citation=t.citation,
                configured=t.configured,
                entered=entered and t.criterion == HOUSEHOLDS and t.configured,
            )
            for t in s.thresholds
        )
        following = standards[i + 1] if i + 1 < len(standards) else None
        is_confirmed = confirmed.get("id") == s.id
        views.append(
            StandardView(
                id=s.id,
                title=s.title,
                citation=s.citation,
                issuers=s.issuers,
                issued_on=s.issued_on,
                effective_from=s.effective_from,
                effective_until=(
                    following.effective_from - dt.timedelta(days=1) if following else None
                ),
                replaces=s.replaces,
                death_window_days=s.death_window_days,
                death_window_citation=s.death_window_citation,
                thresholds=rows,
                minor_fire=s.minor_fire_text,
                minor_fire_citation=s.minor_fire_citation,
                note=s.note,
                in_force=s.id == in_force.id,
                households_configurable=HOUSEHOLDS in s.criteria,
                households=entry,
                confirmed_by=str(confirmed.get("by", "")) if is_confirmed else "",
                confirmed_on=(
                    dt.date.fromisoformat(str(confirmed["on"])) if is_confirmed else None
                ),
            )
        )
    return StandardsView(
        standards=tuple(views), in_force_id=in_force.id, editable=editable, today=today
    )


def _criterion_label(criterion: str) -> str:
    label, unit = CRITERIA[criterion]
    return f"{label}{'户数' if unit == '户' else '人数' if unit == '人' else ''}"


def standards_view(
    cf: CaseFile, *, actor: str | None = None, today: dt.date | None = None
) -> StandardsView:
    """Every grade standard with its document, dates, thresholds and citations; which one is in
    force ``today`` and who confirmed it; whether the user may change them (管理员)."""
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        try:
            check(uow.role, Permission.MANAGE_SETTINGS, who="")
            editable = True
        except PermissionDeniedError:
            editable = False
        return read_standards_view(uow.session, now, editable=editable)


def _bundled(standard_id: Any) -> rules.GradeStandard:
    if not isinstance(standard_id, str):
        raise ValidationError("火灾等级标准应以其编号指明。", field="standard_id")
    for s in rules.load_standards():
        if s.id == standard_id:
            return s
    raise NotFoundError(f"没有编号为“{standard_id}”的火灾等级标准。", field="standard_id")


def _households_values(values: Any) -> dict[rules.Grade, int | None]:
    """Check the three entered minimums: each a whole number of households ≥ 1, or None."""
    if not isinstance(values, Mapping):
        raise ValidationError("受灾户数阈值格式不正确。", field="households")
    by_grade: dict[rules.Grade, Any] = {}
    for key, value in values.items():
        try:
            grade = key if isinstance(key, rules.Grade) else rules.Grade.from_label(str(key))
        except rules.RuleError as exc:
            raise ValidationError(f"未知的火灾等级：{key}", field="households") from exc
        if grade is rules.Grade.ORDINARY:
            raise ValidationError("一般火灾没有受灾户数阈值。", field="households")
        by_grade[grade] = value
    out: dict[rules.Grade, int | None] = {}
    for grade, field in HOUSEHOLD_FIELDS:
        value = by_grade.get(grade)
        label = f"{grade.label}受灾户数阈值"
        if value is None or value == "":
            out[grade] = None
            continue
        if isinstance(value, str):
            text = value.strip()
            if not text.isdigit():
                raise ValidationError(f"{label}应为正整数（户）。", field=field)
            value = int(text)
        out[grade] = v.integer(value, field, label, minimum=1, maximum=MAX_HOUSEHOLDS)
    lower: tuple[rules.Grade, int] | None = None
    for grade, field in HOUSEHOLD_FIELDS:
        current = out[grade]
        if current is None:
            continue
        if lower is not None and current <= lower[1]:
            raise ValidationError(
                f"{grade.label}受灾户数阈值（{current}户）必须大于"
                f"{lower[0].label}的阈值（{lower[1]}户）。",
                field=field,
            )
        lower = (grade, current)
    return out


@requires(Permission.MANAGE_SETTINGS)
def set_households_thresholds(
    cf: CaseFile,
    standard_id: str,
    values: Mapping[Any, Any],
    citation: str,
    *,
    actor: str | None = None,
    today: dt.date | None = None,
) -> StandardsView:
    """Enter (or clear) a standard's 受灾户 thresholds, verified by the administrator.

    ``values`` maps 较大 / 重大 / 特别重大 (``Grade`` or its label) to a whole number of
    households (the minimum, "以上" including it) or None / "" for 未配置; configured figures
    must increase with the grade. ``citation`` names the document and article the figures come
    from (required when any figure is given). Cases the standard grades that record households
    affected are re-decided; a confirmation of this standard as the one in force is cleared.
    """
    now = v.today_or(today)
    standard = _bundled(standard_id)
    if HOUSEHOLDS not in standard.criteria:
        raise ValidationError(
            f"{standard.title}（{standard.citation}）不按受灾户数定级。", field="standard_id"
        )
    minimums = _households_values(values)
    configured = any(m is not None for m in minimums.values())
    cite = v.text(
        citation, "households_citation", "受灾户数阈值的依据", max_len=300, required=configured
    )
    # the rules check the same again (and that the result is a valid standard)
    try:
        standard.with_thresholds(
            HOUSEHOLDS,
            {g: None if m is None else Decimal(m) for g, m in minimums.items()},
            cite,
        )
    except rules.RuleError as exc:
        raise ValidationError(exc.message, field="households") from exc
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        key = households_key(standard.id)
        value = json.dumps(
            {
                **{g.value: "" if m is None else str(m) for g, m in minimums.items()},
                "citation": cite,
                "by": uow.display_name,
                "on": now.isoformat(),
            },
            ensure_ascii=False,
        )
        before = configured_standards(s)
        row = s.get(Setting, key)
        if row is None:
            s.add(Setting(key=key, value=value))
        elif row.value != value:
            row.value = value
        confirmed = s.get(Setting, CONFIRMED_KEY)
        if confirmed is not None and _confirmation(confirmed.value).get("id") == standard.id:
            s.delete(confirmed)
        s.flush()
        after = configured_standards(s)
        if _households_of(before, standard.id) != _households_of(after, standard.id):
            _redecide(s, after, standard.id, uow.actor, now)
        out = read_standards_view(s, now, editable=True)
        uow.commit()
    return out


def _households_of(
    standards: tuple[rules.GradeStandard, ...], standard_id: str
) -> tuple[Decimal | None, ...]:
    s = next(x for x in standards if x.id == standard_id)
    return tuple(
        t.minimum if (t := s.threshold(HOUSEHOLDS, g)) is not None else None
        for g, _f in HOUSEHOLD_FIELDS
    )


def _redecide(
    session: Session,
    standards: tuple[rules.GradeStandard, ...],
    standard_id: str,
    actor: str,
    today: dt.date,
) -> None:
    """Re-decide the cases ``standard_id`` grades that record households affected (a change of
    its 受灾户 thresholds changes nothing else)."""
    from firecase.services import _derive

    # every fire from the standard's date on: a later standard grades its own fires, but this
    # one is still listed beside it where the two disagree
    start = next(s for s in standards if s.id == standard_id).effective_from
    query = select(Case).where(Case.fire_date >= start, Case.households_affected.is_not(None))
    for case in session.scalars(query.order_by(Case.id)):
        _derive.refresh_case(session, case, actor, today)


@requires(Permission.MANAGE_SETTINGS)
def confirm_standard_in_force(
    cf: CaseFile,
    standard_id: str,
    *,
    actor: str | None = None,
    today: dt.date | None = None,
) -> StandardsView:
    """Record that the administrator confirmed ``standard_id`` as the standard in force today
    (who and when); only the standard actually in force on ``today`` can be confirmed."""
    now = v.today_or(today)
    standard = _bundled(standard_id)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        in_force = rules.standard_for(now, configured_standards(s))
        if in_force.id != standard.id:
            raise ValidationError(
                f"{standard.title}（{standard.citation}）不是{fmt_date(now)}"
                f"施行的标准；现行标准为{in_force.title}（{in_force.citation}）。",
                field="standard_id",
            )
        value = json.dumps(
            {"id": standard.id, "by": uow.display_name, "login": uow.actor, "on": now.isoformat()},
            ensure_ascii=False,
        )
        row = s.get(Setting, CONFIRMED_KEY)
        if row is None:
            s.add(Setting(key=CONFIRMED_KEY, value=value))
        else:
            row.value = value
        s.flush()
        out = read_standards_view(s, now, editable=True)
        uow.commit()
    return out
