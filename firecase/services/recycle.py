"""The 回收站 (recycle bin) of a case: a removal costs nothing, emptying is an administrator's act.

Every ``remove_*`` use case keeps what it deleted in one ``recycle_bin`` entry of the case: the
record, everything that went with it (an evidence item's custody events and attachments, a
member's sub-group links) and every link the removal cleared (an appraisal no longer pointing
at the evidence, a sub-group left without its leader), each with its values as they were. The
rows are read off the ORM's flush (``capture``), the same place the audit trail reads them, so
the entry holds exactly what the trail records as deleted.

``restore`` puts the rows back, parents first, and the cleared links where nobody has set them
since; a record whose number was taken in the meantime gets a new id (the links follow it), a
link to a record removed since is left out and said so. Attachments' content stays stored while
an entry needs it (``recycle_contents``, which ``blobs.prune`` respects). Restoring is a change
of the case like any other: audited, and asked about once the case is replied
(``guards.EDIT_AFTER_REPLY``). ``empty`` removes a case's entries and the content only they
kept: ``Permission.EMPTY_RECYCLE_BIN``, an administrator's (on a team server also the row-level
security of ``recycle_bin``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.orm import Session, UOWTransaction

from firecase.errors import NotFoundError, ValidationError
from firecase.services import _common as v, _derive, guards
from firecase.services._recycle_rows import (
    _NOT_KEPT,
    _SKIP_COLUMNS,
    _classes,
    _enc,
    _key_of,
    _row_values,
    _table_of,
    describe as describe,
)
from firecase.services._restore import (
    NOT_RECORDED,
    _check_shape,
    _put_back,
    _restorable,
    recorded_removal,
)
from firecase.services.permissions import Permission, allowed, authorize, requires
from firecase.store import blobs, models as m
from firecase.store.casefile import CaseFile
from firecase.store.replay import LABELS

FORMAT = 1
"""The version of an entry's ``payload`` layout."""


# the removal of these needs more than recording facts; so does putting them back
_RESTORE_PERMISSION = {
    m.SubGroup.__tablename__: Permission.APPROVE_TEAM,
    m.SubGroupMember.__tablename__: Permission.APPROVE_TEAM,
    m.RecusalApplication.__tablename__: Permission.DECIDE_RECUSAL,
    m.Extension.__tablename__: Permission.RECORD_EXTENSION,
}


# --------------------------------------------------------------------------------------------
# what the services return
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecycleEntryView:
    """One entry of a case's 回收站 as the list shows it."""

    id: int
    case_id: int
    label: str  # what was removed, e.g. 证据
    summary: str  # which one, e.g. 物证-001 烧毁的插座
    removed_by: str
    removed_at: str  # ISO timestamp (UTC)
    contents: str  # what went with it, e.g. 含保管记录2条、附件1个
    restored_by: str = ""
    restored_at: str = ""

    @property
    def restored(self) -> bool:
        return bool(self.restored_at)


@dataclass(frozen=True)
class RestoreResult:
    """What ``restore`` put back: the record (table and new id) and what it could not."""

    entry_id: int
    entity: str
    record_id: int | None
    rows: int
    notes: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------
# a removal kept
# --------------------------------------------------------------------------------------------


@dataclass
class Capture:
    """The rows one removal deleted and the fields it changed, in the order flushed."""

    deleted: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)


@contextmanager
def capture(session: Session) -> Iterator[Capture]:
    """Collect, flush by flush, what the enclosed code deletes and changes in ``session``."""
    kept = Capture()

    def after_flush(s: Session, _ctx: UOWTransaction) -> None:
        for obj in s.deleted:
            table = _table_of(obj)
            if table not in _NOT_KEPT:
                kept.deleted.append({"table": table, "values": _row_values(obj)})
        for obj in s.dirty:
            table = _table_of(obj)
            if table in _NOT_KEPT or obj in s.deleted or not s.is_modified(obj):
                continue
            state = inspect(obj)
            for attr in state.mapper.column_attrs:
                if attr.key in _SKIP_COLUMNS or (
                    table == m.Case.__tablename__ and attr.key in m.DERIVED_CASE_COLUMNS
                ):
                    continue
                hist = state.attrs[attr.key].history
                if not hist.added and not hist.deleted:
                    continue
                old = hist.deleted[0] if hist.deleted else None
                new = hist.added[0] if hist.added else None
                if old != new:
                    kept.changed.append(
                        {
                            "table": table,
                            "key": _key_of(obj),
                            "column": attr.key,
                            "old": _enc(old),
                            "new": _enc(new),
                        }
                    )

    event.listen(session, "after_flush", after_flush)
    try:
        yield kept
    finally:
        event.remove(session, "after_flush", after_flush)


def unlink(session: Session, obj: Any, kept: Capture, *, through_orm: bool) -> None:
    """Keep in ``kept`` the links the database clears on deleting ``obj`` (``ON DELETE SET
    NULL``), which the ORM's flush never sees. ``through_orm``: clear them here instead, so the
    trail the ORM writes records them (SQLite, a shared server account); on a team server the
    database's triggers record the database's own clearing, and row-level security would refuse
    an officer's update of a row they may not change (a decided recusal application)."""
    table = obj.__table__
    classes = _classes()
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    if len(key) != 1:
        return
    for other in m.Base.metadata.sorted_tables:
        cls = classes.get(other.name)
        if cls is None or other.name in _NOT_KEPT:
            continue
        for fk in other.foreign_keys:
            if fk.column.table is not table or (fk.ondelete or "").upper() != "SET NULL":
                continue
            column = fk.parent.key
            for row in session.scalars(select(cls).where(getattr(cls, column) == key[0])):
                if through_orm:
                    setattr(row, column, None)  # the capture reads it off the flush
                else:
                    kept.changed.append(
                        {
                            "table": other.name,
                            "key": _key_of(row),
                            "column": column,
                            "old": _enc(key[0]),
                            "new": None,
                        }
                    )
    session.flush()


def keep(
    session: Session,
    case: m.Case,
    obj: Any,
    *,
    label: str,
    summary: str,
    kept: Capture,
    by: str,
) -> m.RecycleEntry:
    """Write the 回收站 entry of the removal ``kept`` captured (``obj``: the record removed)."""
    entry = m.RecycleEntry(
        case_id=case.id,
        entity=_table_of(obj),
        entity_id=",".join(str(p) for p in inspect(obj).mapper.primary_key_from_instance(obj)),
        label=label[:32],
        summary=summary[:255],
        removed_by=by[:64],
        removed_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        payload=json.dumps(
            {"format": FORMAT, "rows": kept.deleted, "changed": kept.changed},
            ensure_ascii=False,
            sort_keys=True,
        ),
    )
    session.add(entry)
    session.flush()
    for sha in sorted(_contents(kept.deleted)):
        session.add(m.RecycleContent(entry_id=entry.id, sha256=sha))
    session.flush()
    return entry


def _contents(rows: list[dict[str, Any]]) -> set[str]:
    return {
        str(r["values"]["sha256"])
        for r in rows
        if r["table"] == m.Attachment.__tablename__ and r["values"].get("sha256")
    }


# --------------------------------------------------------------------------------------------
# the list
# --------------------------------------------------------------------------------------------


def _went_with(entry: m.RecycleEntry) -> str:
    try:
        payload = json.loads(entry.payload)
        rows = payload.get("rows", [])
        links = len(payload.get("changed", []))
    except (ValueError, AttributeError, TypeError):
        return "（内容无法读取）"
    counts: dict[str, int] = {}
    for r in rows:
        table = r.get("table") if isinstance(r, dict) else None
        if table and table != entry.entity:
            counts[table] = counts.get(table, 0) + 1
    parts = [f"{LABELS.get(t, t)}{n}条" for t, n in sorted(counts.items())]
    text = "含" + "、".join(parts) if parts else ""
    if links:
        text += ("，" if text else "") + f"解除关联{links}处"
    return text


def _view(entry: m.RecycleEntry) -> RecycleEntryView:
    return RecycleEntryView(
        id=entry.id,
        case_id=entry.case_id,
        label=entry.label,
        summary=entry.summary,
        removed_by=entry.removed_by,
        removed_at=entry.removed_at,
        contents=_went_with(entry),
        restored_by=entry.restored_by,
        restored_at=entry.restored_at,
    )


@requires(Permission.READ)
def list_bin(
    cf: CaseFile, case_id: int, *, actor: str | None = None
) -> tuple[RecycleEntryView, ...]:
    """The case's 回收站, newest removal first (restored entries too, marked)."""
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        v.load_case(s, case_id)
        entries = s.scalars(
            select(m.RecycleEntry)
            .where(m.RecycleEntry.case_id == case_id)
            .order_by(m.RecycleEntry.id.desc())
        )
        return tuple(_view(e) for e in entries)


# --------------------------------------------------------------------------------------------
# restore
# --------------------------------------------------------------------------------------------


@requires(Permission.RECORD)
def restore(
    cf: CaseFile,
    entry_id: int,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> RestoreResult:
    """Put back what the removal ``entry_id`` deleted, with its links (see the module text)."""
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        ident = v.ident(entry_id, "entry_id", "回收站记录")
        # locked: a second restore of the same entry waits, then finds it restored
        entry = s.scalars(
            select(m.RecycleEntry).where(m.RecycleEntry.id == ident).with_for_update()
        ).first()
        if entry is None:  # on a team server a restored entry is no longer lockable
            entry = s.get(m.RecycleEntry, ident)
        if entry is None:
            raise NotFoundError("回收站中没有这条记录（可能已被清空）。", field="entry_id")
        if entry.restored_at:
            raise ValidationError(
                f"“{entry.summary}”已于{entry.restored_at[:10]}由{entry.restored_by}恢复。",
                field="entry_id",
            )
        case = v.load_case(s, entry.case_id)
        guards.check_edit(
            s,
            case,
            entry.entity,
            entry.entity_id,
            override_reason,
            by=uow.display_name or uow.actor,
            today=now,
        )
        try:
            payload = json.loads(entry.payload)
            rows = list(payload["rows"])
            changed = list(payload.get("changed", []))
            _check_shape(rows, changed)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValidationError("这条回收站记录已损坏，无法恢复。", field="entry_id") from exc
        if entry.entity not in _restorable():
            raise ValidationError("这条回收站记录已损坏，无法恢复。", field="entry_id")
        if not recorded_removal(s, entry, rows, changed):
            raise ValidationError(NOT_RECORDED, field="entry_id")
        # what the entry puts back decides who may: every table it writes, not its label
        # (a link of a record the officer may not change is left for one who may, and said)
        tables = {r["table"] for r in rows}
        for special in sorted(
            {p for t, p in _RESTORE_PERMISSION.items() if t in tables}, key=lambda p: p.value
        ):
            authorize(cf, special, actor=actor)
        barred = frozenset(
            t
            for t, p in _RESTORE_PERMISSION.items()
            if t in {c["table"] for c in changed} and not allowed(cf, p, actor=actor)
        )
        try:
            record_id, count, notes = _put_back(s, entry, rows, changed, barred)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise ValidationError("这条回收站记录已损坏，无法恢复。", field="entry_id") from exc
        except StatementError as exc:
            if isinstance(exc, DBAPIError):
                raise  # the server's refusal, said by the unit of work
            raise ValidationError("这条回收站记录已损坏，无法恢复。", field="entry_id") from exc
        entry.restored_by = (uow.display_name or uow.actor)[:64]
        entry.restored_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        s.flush()
        _derive.refresh_derived(s, case, now)
        uow.commit()
        return RestoreResult(entry.id, entry.entity, record_id, count, tuple(notes))


# --------------------------------------------------------------------------------------------
# empty
# --------------------------------------------------------------------------------------------


@requires(Permission.EMPTY_RECYCLE_BIN)
def empty(
    cf: CaseFile, case_id: int, *, actor: str | None = None, today: dt.date | None = None
) -> int:
    """Remove every entry of the case's 回收站 for good; returns how many."""
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        v.load_case(s, case_id)
        count = drop_entries(s, case_id)
        uow.commit()
        return count


def drop_entries(s: Session, case_id: int) -> int:
    """Delete the case's entries through the ORM (audited) and the content only they kept."""
    entries = list(s.scalars(select(m.RecycleEntry).where(m.RecycleEntry.case_id == case_id)))
    if not entries:
        return 0
    ids = [e.id for e in entries]
    links = list(s.scalars(select(m.RecycleContent).where(m.RecycleContent.entry_id.in_(ids))))
    contents = {link.sha256 for link in links}
    for link in links:
        s.delete(link)
    s.flush()
    for e in entries:
        s.delete(e)
    s.flush()
    if contents:
        blobs.prune(s.connection(), contents)
    return len(entries)
