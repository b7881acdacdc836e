"""Parties of a case: the persons, units and departments involved in the fire."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase.errors import ValidationError
from firecase.services import _common as v, _judgement, _views as views
from firecase.services._records import Kind, _need
from firecase.services.dto import (
    PARTY_ROLES,
    PartyInput,
    PartyView,
)
from firecase.services.permissions import Permission, requires
from firecase.store import CaseFile, models as m

# --------------------------------------------------------------------------------------------
# parties
# --------------------------------------------------------------------------------------------


def _party_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, PartyInput, "当事人信息")
    return {
        "kind": v.choice(d.kind, "kind", "当事人类别", _judgement.party_kinds()),
        "name": v.text(d.name, "name", "名称或姓名"),
        "role": v.choice(d.role, "role", "身份", PARTY_ROLES),
        "organisation": v.text(d.organisation, "organisation", "所在单位", required=False),
        "relatives": v.join_relatives(v.relatives(d.relatives, "relatives", "近亲属")),
        "contact": v.text(d.contact, "contact", "联系方式", required=False),
        "note": v.long_text(d.note, "note", "备注"),
    }


def _party_out(s: Session, p: m.Party) -> PartyView:
    return views.party_view(p)


@requires(Permission.RECORD)
def add_party(
    cf: CaseFile,
    case_id: int,
    data: PartyInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> PartyView:
    """Add a person, unit or department involved in the fire."""
    return _PARTY.add(cf, case_id, data, actor, today, override_reason=override_reason)


@requires(Permission.RECORD)
def update_party(
    cf: CaseFile,
    party_id: int,
    data: PartyInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> PartyView:
    """Change a party."""
    return _PARTY.update(
        cf, party_id, data, expected_version, actor, today, override_reason=override_reason
    )


@requires(Permission.RECORD)
def remove_party(
    cf: CaseFile,
    party_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove a party: taken off a pending recusal application first; refused while a decided
    one names it (the decision is the leader's record, 第十五条, and the database refuses it
    too: migration 0023)."""

    def before(s: Session, obj: m.Party) -> None:
        apps = s.scalars(
            select(m.RecusalApplication).where(m.RecusalApplication.party_id == obj.id)
        )
        for app in list(apps):
            if app.decision:  # decided (services.recusal)
                raise ValidationError(
                    "该当事人是已作出决定的回避申请所涉当事人，不能删除；回避决定须保留原样"
                    "（第十五条）。",
                    field="id",
                )
            app.party_id = None

    return _PARTY.remove(
        cf, party_id, expected_version, actor, today, before, override_reason=override_reason
    )


# The record kinds of this room (``_records.Kind``: add, update and remove in one place).
_PARTY = Kind(m.Party, "当事人", _party_out, values=_party_values)
