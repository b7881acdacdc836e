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

import base64
import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError
from sqlalchemy.orm import Session, UOWTransaction

from firecase.errors import NotFoundError, ValidationError
from firecase.services import _common as v, _derive, guards
from firecase.services.permissions import Permission, allowed, authorize, requires
from firecase.store import blobs, models as m
from firecase.store.casefile import CaseFile
from firecase.store.replay import LABELS

FORMAT = 1
"""The version of an entry's ``payload`` layout."""

# what a removal's capture ignores: the trail itself, recomputed data, content, and records of
# the removal's own circumstances (the reason given past a guard stays with the case)
_NOT_KEPT = m.NOT_AUDITED_TABLES | {
    m.GuardReason.__tablename__,
    m.RecycleEntry.__tablename__,
    m.RecycleContent.__tablename__,
}
_SKIP_COLUMNS = frozenset({"version"})

# the removal of these needs more than recording facts; so does putting them back
_RESTORE_PERMISSION = {
    m.SubGroup.__tablename__: Permission.APPROVE_TEAM,
    m.SubGroupMember.__tablename__: Permission.APPROVE_TEAM,
    m.RecusalApplication.__tablename__: Permission.DECIDE_RECUSAL,
    m.Extension.__tablename__: Permission.RECORD_EXTENSION,
}

# the columns that name a record for a person, most telling first
_NAMING = ("number", "code", "name", "title", "subject", "summary", "content", "text")


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
# values as JSON
# --------------------------------------------------------------------------------------------


def _enc(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$dec": format(value, "f")}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$b64": base64.b64encode(bytes(value)).decode("ascii")}
    raise TypeError(f"cannot keep a {type(value).__name__} in the recycle bin")


def _dec(value: Any) -> Any:
    if isinstance(value, dict):
        if "$dt" in value:
            return dt.datetime.fromisoformat(value["$dt"])
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        if "$dec" in value:
            return Decimal(value["$dec"])
        if "$b64" in value:
            return base64.b64decode(value["$b64"])
    return value


def _row_values(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {
        a.key: _enc(getattr(obj, a.key)) for a in mapper.column_attrs if a.key not in _SKIP_COLUMNS
    }


def _key_of(obj: Any) -> list[Any]:
    return [_enc(part) for part in inspect(obj).mapper.primary_key_from_instance(obj)]


def _table_of(obj: Any) -> str:
    return str(inspect(obj).mapper.persist_selectable.name)


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


def describe(obj: Any) -> str:
    """A short name of a record for a person: its number and name where it has them."""
    parts: list[str] = []
    for key in _NAMING:
        value = getattr(obj, key, None)
        if isinstance(value, str) and value.strip() and value.strip() not in parts:
            parts.append(" ".join(value.split()))
        if len(parts) == 2:
            break
    text = " ".join(parts) or f"#{getattr(obj, 'id', '')}"
    return text if len(text) <= 80 else text[:79] + "…"


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


def _case_of(s: Session, classes: dict[str, Any], table: Any, values: dict[str, Any]) -> Any:
    """The case a row belongs to: its own ``case_id``, or its first parent's (a link)."""
    if "case_id" in table.c:
        return values.get("case_id")
    for fk in table.foreign_keys:
        parent = s.get(classes[fk.column.table.name], values.get(fk.parent.name))
        if parent is not None:
            return getattr(parent, "case_id", None)
    return None


def _check_payload(
    s: Session, entry: m.RecycleEntry, rows: list[dict[str, Any]], changed: list[dict[str, Any]]
) -> None:
    """Refuse an entry that would write outside its case's records (a damaged or forged
    ``payload``: the bin is a table any writer adds to)."""
    allowed, classes = _restorable(), _classes()
    damaged = ValidationError(
        f"回收站记录“{entry.summary}”的内容与本案记录不符（可能已损坏或被篡改），不能恢复。",
        field="entry_id",
    )
    in_payload: dict[str, set[Any]] = {}
    for r in rows:
        if not isinstance(r, dict) or r.get("table") not in allowed:
            raise damaged
        values = r.get("values")
        if not isinstance(values, dict):
            raise damaged
        table = classes[r["table"]].__table__
        if set(values) - set(table.c.keys()):
            raise damaged
        if "case_id" in table.c and values.get("case_id") != entry.case_id:
            raise damaged
        pk = [c.name for c in table.primary_key.columns]
        if len(pk) == 1:
            in_payload.setdefault(r["table"], set()).add(values.get(pk[0]))
    for r in rows:  # a link: each parent in this entry or a record of this case
        table = classes[r["table"]].__table__
        if "case_id" in table.c:
            continue
        for fk in table.foreign_keys:
            value = _dec(r["values"].get(fk.parent.name))
            parent_table = fk.column.table.name
            if value in in_payload.get(parent_table, set()):
                continue
            parent = s.get(classes[parent_table], value)
            if parent is not None and getattr(parent, "case_id", None) != entry.case_id:
                raise damaged
    for c in changed:
        if not isinstance(c, dict) or c.get("table") not in allowed:
            raise damaged
        table = classes[c["table"]].__table__
        column = c.get("column")
        if column not in table.c or column == "case_id" or table.c[column].primary_key:
            raise damaged
        key = c.get("key")
        if not isinstance(key, list) or len(key) != len(table.primary_key.columns):
            raise damaged
        target = s.get(
            classes[c["table"]], tuple(_dec(k) for k in key) if len(key) > 1 else _dec(key[0])
        )
        if target is not None:
            values = {col.name: getattr(target, col.key, None) for col in table.c}
            if _case_of(s, classes, table, values) != entry.case_id:
                raise damaged


def _classes() -> dict[str, Any]:
    return {
        str(getattr(mp.persist_selectable, "name", "")): mp.class_ for mp in m.Base.registry.mappers
    }


def _order() -> dict[str, int]:
    return {t.name: i for i, t in enumerate(m.Base.metadata.sorted_tables)}


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
        _check_payload(s, entry, rows, changed)
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


_NOT_RESTORED = frozenset(
    {
        m.Case.__tablename__,  # a removal never deletes the case row
        "case_documents",  # issued documents and reasons past a guard: added, never removed
        m.GuardReason.__tablename__,
        "report_outputs",
    }
)


def _restorable() -> frozenset[str]:
    """The tables a removal can delete rows of: a case's own records and their children."""
    names: set[str] = set()
    for table in m.Base.metadata.sorted_tables:
        if table.name in _NOT_KEPT:
            continue
        if table.name == m.Case.__tablename__ or any(
            fk.column.table.name in names for fk in table.foreign_keys
        ):
            names.add(table.name)
    return frozenset(names - _NOT_RESTORED)


def _check_shape(rows: list[Any], changed: list[Any]) -> None:
    """``TypeError`` unless the payload is what ``keep`` writes (any table a case's own)."""
    restorable = _restorable()
    for r in rows:
        table = r["table"]
        if table not in restorable or not isinstance(r["values"], dict):
            raise TypeError(table)
        columns = m.Base.metadata.tables[table].c
        if any(k not in columns for k in r["values"]):
            raise TypeError(table)
        if any(c.name not in r["values"] for c in columns if c.primary_key):
            raise TypeError(table)
    for c in changed:
        table, column, key = c["table"], c["column"], c["key"]
        if table not in restorable or not isinstance(key, list) or not key:
            raise TypeError(table)
        col = m.Base.metadata.tables[table].c.get(column)
        # a removal changes links only: a nullable foreign key cleared or pointed elsewhere
        if col is None or col.primary_key or not col.foreign_keys or not col.nullable:
            raise TypeError(column)


def _belongs(s: Session, classes: dict[str, Any], obj: Any, case_id: int, depth: int = 0) -> bool:
    """Whether ``obj`` is a record of case ``case_id`` (directly or through its parents)."""
    if obj is None or depth > 4:
        return False
    if isinstance(obj, m.Case):
        return bool(obj.id == case_id)
    table = obj.__table__
    if "case_id" in table.c:
        return bool(getattr(obj, "case_id", None) == case_id)
    parents = [fk for fk in table.foreign_keys if fk.column.table.name in classes]
    if not parents:
        return False
    for fk in parents:
        value = getattr(obj, fk.parent.key, None)
        if value is None:
            continue
        parent = s.get(classes[fk.column.table.name], value)
        if not _belongs(s, classes, parent, case_id, depth + 1):
            return False
    return True


def _foreign(entry: m.RecycleEntry) -> ValidationError:
    return ValidationError(
        f"回收站记录“{entry.summary}”的内容与本案不符（可能被改动），未恢复。", field="entry_id"
    )


def _put_back(
    s: Session,
    entry: m.RecycleEntry,
    rows: list[dict[str, Any]],
    changed: list[dict[str, Any]],
    barred: frozenset[str] = frozenset(),
) -> tuple[int | None, int, list[str]]:
    classes, order = _classes(), _order()
    rows = sorted(rows, key=lambda r: order.get(r["table"], 0))  # parents first (stable)
    new_ids: dict[tuple[str, Any], Any] = {}  # (table, old id) -> id given on restore
    skipped: set[tuple[str, Any]] = set()
    notes: list[str] = []
    record_id: int | None = None
    count = 0
    for r in rows:
        table_name = r["table"]
        cls = classes.get(table_name)
        if cls is None:
            notes.append(f"“{table_name}”类记录已不再使用，未恢复。")
            continue
        table = cls.__table__
        values = {k: _dec(x) for k, x in r["values"].items() if k not in _SKIP_COLUMNS}
        pk = [c.name for c in table.primary_key.columns]
        old_id = values[pk[0]] if len(pk) == 1 else tuple(values[c] for c in pk)
        label = LABELS.get(table_name, table_name)
        if not _link_parents(s, classes, table, values, new_ids, skipped, notes, label):
            skipped.add((table_name, old_id))
            continue
        if len(pk) == 1 and s.get(cls, values[pk[0]]) is not None:
            values.pop(pk[0])  # the id was given to another record since: a new one
        elif len(pk) > 1 and s.get(cls, tuple(values[c] for c in pk)) is not None:
            continue  # the link exists again
        if "case_id" in table.c and values.get("case_id") != entry.case_id:
            raise _foreign(entry)
        for fk in table.foreign_keys:
            parent = values.get(fk.parent.name)
            parent_cls = classes.get(fk.column.table.name)
            if (
                parent is not None
                and parent_cls is not None
                and parent_cls is not m.AttachmentBlob  # content is shared, named by its hash
                and not _belongs(s, classes, s.get(parent_cls, parent), entry.case_id)
            ):
                raise _foreign(entry)
        obj = cls(**values)
        try:
            with s.begin_nested():
                s.add(obj)
                s.flush()
        except IntegrityError as exc:
            raise ValidationError(
                f"无法恢复{entry.label}“{entry.summary}”：本案已有编号或名称相同的{label}。"
                f"请先修改那条{label}，再从回收站恢复。",
                field="entry_id",
            ) from exc
        count += 1
        if len(pk) == 1:
            new_id = getattr(obj, pk[0])
            new_ids[(table_name, old_id)] = new_id
            if table_name == entry.entity and str(old_id) == entry.entity_id:
                record_id = new_id if isinstance(new_id, int) else None
    for c in changed:
        if c["table"] in barred:
            label = LABELS.get(c["table"], c["table"])
            notes.append(f"{label}的关联需由有权修改{label}的人员恢复，未恢复。")
            continue
        _revert(s, classes, c, new_ids, notes, entry)
    return record_id, count, notes


def _link_parents(
    s: Session,
    classes: dict[str, Any],
    table: Any,
    values: dict[str, Any],
    new_ids: dict[tuple[str, Any], Any],
    skipped: set[tuple[str, Any]],
    notes: list[str],
    label: str,
) -> bool:
    """Point ``values``' foreign keys at the parents as they are now; False to leave it out."""
    for fk in table.foreign_keys:
        column = fk.parent.name
        value = values.get(column)
        parent_table = fk.column.table.name
        if value is None:
            continue
        if (parent_table, value) in new_ids:
            values[column] = new_ids[(parent_table, value)]
            continue
        parent_cls = classes.get(parent_table)
        gone = (parent_table, value) in skipped or (
            parent_cls is not None and s.get(parent_cls, value) is None
        )
        if not gone:
            continue
        parent_label = LABELS.get(parent_table, parent_table)
        if fk.parent.nullable:
            values[column] = None
            notes.append(f"{label}原关联的{parent_label}已被删除，该关联未恢复。")
        else:
            notes.append(f"{label}所属的{parent_label}已被删除，该{label}未恢复。")
            return False
    return True


def _revert(
    s: Session,
    classes: dict[str, Any],
    c: dict[str, Any],
    new_ids: dict[tuple[str, Any], Any],
    notes: list[str],
    entry: m.RecycleEntry,
) -> None:
    """Undo one field the removal changed, if it still holds what the removal left."""
    cls = classes.get(c.get("table", ""))
    if cls is None:
        return
    key = tuple(_dec(k) for k in c["key"])
    obj = s.get(cls, key if len(key) > 1 else key[0])
    label = LABELS.get(c["table"], c["table"])
    if obj is None:
        return  # removed since: nothing to relink
    column = c["column"]
    old, new = _dec(c["old"]), _dec(c["new"])
    fks = [fk for fk in cls.__table__.c[column].foreign_keys] if column in cls.__table__.c else []
    if fks and (fks[0].column.table.name, old) in new_ids:
        old = new_ids[(fks[0].column.table.name, old)]
    if not _belongs(s, classes, obj, entry.case_id):
        raise _foreign(entry)
    if getattr(obj, column) != new:
        notes.append(f"{label}“{describe(obj)}”此后已被修改，其关联未恢复。")
        return
    target_cls = classes.get(fks[0].column.table.name) if fks else None
    if old is not None and (
        target_cls is None or not _belongs(s, classes, s.get(target_cls, old), entry.case_id)
    ):
        if target_cls is not None and s.get(target_cls, old) is None:
            return  # the record it pointed at was removed since: nothing to relink
        raise _foreign(entry)
    setattr(obj, column, old)
    s.flush()


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
