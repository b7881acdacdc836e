"""The shared machinery of the add / update / remove use cases of every room.

Every use case is one transaction: it validates the input, checks the caller's
``expected_version`` (``ConflictError`` when stale), writes through the ORM (so the audit trail
sees every change), recomputes the case's stage and next due date, and returns a frozen DTO.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from firecase.errors import ValidationError
from firecase.services import _common as v, _derive, guards, recycle
from firecase.services._views import case_summary
from firecase.services.dto import (
    CaseSummary,
)
from firecase.store import CaseFile, models as m

R = TypeVar("R")


def _need(data: Any, cls: type, label: str) -> None:
    if not isinstance(data, cls):
        raise ValidationError(f"{label}格式不正确。", field=label)


# --------------------------------------------------------------------------------------------
# generic add / update / remove
# --------------------------------------------------------------------------------------------

Values = Callable[[Session, m.Case, Any], dict[str, Any]]


def _add(
    cf: CaseFile,
    model: type[m.Base],
    case_id: int,
    data: Any,
    values: Values,
    view: Callable[[Session, Any], R],
    actor: str | None,
    today: dt.date | None,
    after: Callable[[Session, Any, Any], None] | None = None,
    *,
    override_reason: str = "",
) -> R:
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        case = v.load_case(s, case_id)
        obj = model(case_id=case.id, **values(s, case, data))
        s.add(obj)
        s.flush()
        _edit_guard(uow, case, obj, override_reason, now)
        if after is not None:
            after(s, obj, data)
        _derive.refresh_derived(s, case, now)
        out = view(s, obj)
        uow.commit()
    return out


def _update(
    cf: CaseFile,
    model: type[m.Base],
    label: str,
    record_id: int,
    data: Any,
    values: Values,
    view: Callable[[Session, Any], R],
    expected_version: int,
    actor: str | None,
    today: dt.date | None,
    after: Callable[[Session, Any, Any], None] | None = None,
    *,
    override_reason: str = "",
    guarded: bool = True,
) -> R:
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        obj: Any = v.load(s, model, record_id, label)
        v.check_version(obj, expected_version, label)
        case = v.load_case(s, obj.case_id)
        changed = after is not None
        for key, value in values(s, case, data).items():
            if getattr(obj, key) != value:
                setattr(obj, key, value)
                changed = True
        if guarded and changed:
            _edit_guard(uow, case, obj, override_reason, now)
        s.flush()
        if after is not None:
            after(s, obj, data)
        _derive.refresh_derived(s, case, now)
        out = view(s, obj)
        uow.commit()
    return out


def _remove(
    cf: CaseFile,
    model: type[m.Base],
    label: str,
    record_id: int,
    expected_version: int | None,
    actor: str | None,
    today: dt.date | None,
    before: Callable[[Session, Any], None] | None = None,
    *,
    override_reason: str = "",
) -> int:
    """Remove a record into the case's 回收站 (``services.recycle``); returns the entry's id.
    What ``before`` deletes or unlinks with it is kept in the same entry."""
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        obj: Any = v.load(s, model, record_id, label)
        if hasattr(obj, "version"):
            v.check_version(obj, expected_version, label)
        case = v.load_case(s, obj.case_id)
        summary = recycle.describe(obj)
        with recycle.capture(s) as kept:
            if before is not None:
                before(s, obj)
            _edit_guard(uow, case, obj, override_reason, now)
            recycle.unlink(s, obj, kept, through_orm=cf.team is None)
            s.delete(obj)
            s.flush()
        entry = recycle.keep(
            s, case, obj, label=label, summary=summary, kept=kept, by=uow.display_name or uow.actor
        )
        _derive.refresh_derived(s, case, now)
        uow.commit()
        return entry.id


@dataclass(frozen=True)
class Kind(Generic[R]):
    """One kind of record of a case, as its use cases add, change and remove it: the model, the
    label its messages name it by, how the DTO is read and (usually) how the input is checked.

    The methods take the use cases' own arguments; a use case whose input is checked
    differently (an id-dependent rule, a prepared value) passes ``values``."""

    model: type[m.Base]
    label: str
    view: Callable[[Session, Any], R]
    values: Values | None = None

    def _values(self, values: Values | None) -> Values:
        chosen = values or self.values
        assert chosen is not None, f"{self.label}: no input check"
        return chosen

    def add(
        self,
        cf: CaseFile,
        case_id: int,
        data: Any,
        actor: str | None,
        today: dt.date | None,
        after: Callable[[Session, Any, Any], None] | None = None,
        *,
        values: Values | None = None,
        override_reason: str = "",
    ) -> R:
        return _add(
            cf,
            self.model,
            case_id,
            data,
            self._values(values),
            self.view,
            actor,
            today,
            after,
            override_reason=override_reason,
        )

    def update(
        self,
        cf: CaseFile,
        record_id: int,
        data: Any,
        expected_version: int,
        actor: str | None,
        today: dt.date | None,
        after: Callable[[Session, Any, Any], None] | None = None,
        *,
        values: Values | None = None,
        override_reason: str = "",
        guarded: bool = True,
    ) -> R:
        return _update(
            cf,
            self.model,
            self.label,
            record_id,
            data,
            self._values(values),
            self.view,
            expected_version,
            actor,
            today,
            after,
            override_reason=override_reason,
            guarded=guarded,
        )

    def remove(
        self,
        cf: CaseFile,
        record_id: int,
        expected_version: int | None,
        actor: str | None,
        today: dt.date | None,
        before: Callable[[Session, Any], None] | None = None,
        *,
        override_reason: str = "",
    ) -> int:
        return _remove(
            cf,
            self.model,
            self.label,
            record_id,
            expected_version,
            actor,
            today,
            before,
            override_reason=override_reason,
        )


def _edit_guard(uow: Any, case: m.Case, obj: Any, override_reason: str, now: dt.date) -> None:
    """Changing a record of the investigation after the 批复 asks (``guards.EDIT_AFTER_REPLY``)."""
    guards.check_edit(
        uow.session,
        case,
        obj.__tablename__,
        getattr(obj, "id", ""),
        override_reason,
        by=uow.display_name or uow.actor,
        today=now,
    )


def _ref(
    session: Session, model: type[m.Base], value: Any, case: m.Case, field: str, label: str
) -> int | None:
    rid = v.opt_ident(value, field, label)
    if rid is None:
        return None
    obj = session.get(model, rid)
    if obj is None or getattr(obj, "case_id", None) != case.id:
        raise ValidationError(f"所选{label}不存在或不属于本案件。", field=field)
    return rid


# --------------------------------------------------------------------------------------------
# case-level fields (moved from cases)
# --------------------------------------------------------------------------------------------


def _set_case_fields(
    cf: CaseFile,
    case_id: int,
    values: dict[str, Any],
    expected_version: int,
    actor: str | None,
    now: dt.date,
    *,
    checks: list[tuple[str, str, str, str]] = (),  # type: ignore[assignment]
    require: list[tuple[str, str]] = (),  # type: ignore[assignment]
    after: Any = None,
    override_reason: str = "",
    edit_guard: bool = True,
    sequence: Any = None,
) -> CaseSummary:
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        obj = v.load_case(s, case_id)
        v.check_version(obj, expected_version, "案件")
        for name, message in require:
            if getattr(obj, name) is None:
                raise ValidationError(message, field=name)
        for later, later_label, earlier, earlier_label in checks:
            later_value = values.get(later, getattr(obj, later))
            earlier_value = values.get(earlier, getattr(obj, earlier))
            v.not_before(later_value, earlier_value, later, later_label, earlier_label)
        by = uow.display_name or uow.actor
        if edit_guard and any(getattr(obj, k) != value for k, value in values.items()):
            guards.check_edit(s, obj, "cases", obj.id, override_reason, by=by, today=now)
        if sequence is not None:
            sequence(s, obj, by)
        for key, value in values.items():
            setattr(obj, key, value)
        if after is not None:
            s.flush()
            after(s, obj)
        _derive.refresh_case(s, obj, uow.actor, now)
        s.flush()  # bump ``version`` before it is read into the summary
        out = case_summary(obj)
        uow.commit()
    return out
