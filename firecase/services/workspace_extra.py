"""Small use cases the case workspace needs that the other service modules do not cover.

Acknowledging a team composition warning (warnings "the user can see and
acknowledge, not silent"): who acknowledged which warning of which case, and when. Stored in the
case file's key/value ``settings`` table (no schema change), one row per warning, written through
a unit of work so the audit trail records it. No Qt here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select

from firecase.services import _common as v
from firecase.services.permissions import Permission, requires
from firecase.store import CaseFile
from firecase.store.models import Setting

_PREFIX = "team_ack"


@dataclass(frozen=True)
class WarningAckView:
    """An acknowledged team warning: its key, message as acknowledged, who and when."""

    key: str
    code: str
    message: str
    acknowledged_by: str
    acknowledged_on: dt.date
    note: str


def warning_key(code: str, message: str) -> str:
    """Identifies one warning of a case: its code and a digest of its message."""
    digest = hashlib.sha256(message.encode("utf-8")).hexdigest()[:12]
    return f"{code}:{digest}"


def _setting_key(case_id: int, key: str) -> str:
    return f"{_PREFIX}:{case_id}:{key}"[:64]


def _view(key: str, raw: str) -> WarningAckView:
    data = json.loads(raw)
    return WarningAckView(
        key=key,
        code=str(data.get("code", "")),
        message=str(data.get("message", "")),
        acknowledged_by=str(data.get("by", "")),
        acknowledged_on=dt.date.fromisoformat(str(data.get("on"))),
        note=str(data.get("note", "")),
    )


@requires(Permission.APPROVE_TEAM)
def acknowledge_team_warning(
    cf: CaseFile,
    case_id: int,
    code: str,
    message: str,
    note: str = "",
    *,
    actor: str | None = None,
    today: dt.date | None = None,
) -> WarningAckView:
    """Record that the user saw team warning ``code``/``message`` of case ``case_id``."""
    cid = v.ident(case_id, "case_id", "案件")
    c = v.text(code, "code", "提示代码", max_len=40)
    msg = v.text(message, "message", "提示内容", max_len=500)
    why = v.long_text(note, "note", "说明")
    on = v.today_or(today)
    key = warning_key(c, msg)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        v.load_case(s, cid)
        value = json.dumps(
            {"code": c, "message": msg, "by": uow.actor, "on": on.isoformat(), "note": why},
            ensure_ascii=False,
        )
        row = s.get(Setting, _setting_key(cid, key))
        if row is None:
            s.add(Setting(key=_setting_key(cid, key), value=value))
        else:
            row.value = value
        s.flush()
        out = _view(key, value)
        uow.commit()
    return out


@requires(Permission.APPROVE_TEAM)
def withdraw_team_warning_ack(
    cf: CaseFile, case_id: int, key: str, *, actor: str | None = None
) -> None:
    """Take an acknowledgement back (the warning shows as open again)."""
    cid = v.ident(case_id, "case_id", "案件")
    k = v.text(key, "key", "提示", max_len=60)
    with cf.unit_of_work(actor) as uow:
        row = uow.session.get(Setting, _setting_key(cid, k))
        if row is not None:
            uow.session.delete(row)
        uow.commit()


def team_warning_acks(cf: CaseFile, case_id: int) -> tuple[WarningAckView, ...]:
    """Every acknowledgement recorded for case ``case_id``."""
    cid = v.ident(case_id, "case_id", "案件")
    prefix = f"{_PREFIX}:{cid}:"
    with cf.unit_of_work() as uow:
        rows = uow.session.scalars(select(Setting).where(Setting.key.startswith(prefix)))
        return tuple(_view(r.key[len(prefix) :], r.value) for r in rows)
