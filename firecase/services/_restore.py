"""Putting a 回收站 entry back: the payload's checks and the rows' return (see ``recycle``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from firecase.errors import ValidationError
from firecase.services._recycle_rows import (
    _NOT_KEPT,
    _SKIP_COLUMNS,
    _classes,
    _dec,
    _order,
    describe,
)
from firecase.store import models as m
from firecase.store.audit import audit_text
from firecase.store.replay import LABELS, json_object

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


NOT_RECORDED = (
    "这条回收站记录与审计记录中的删除不符（不是 FireCase 删除时写入的，或写入后被改动过），"
    "不能恢复。请管理员运行“检查案卷”（菜单“文件 → 检查案卷”）并查看审计记录。"
)


def recorded_removal(
    s: Session, entry: m.RecycleEntry, rows: list[Any], changed: list[Any]
) -> bool:
    """Whether ``entry`` holds what the audit trail records its removal deleted and changed.

    A removal writes its entry in the transaction that deletes the rows (``recycle.keep``):
    the trail holds the entry's insert and, under the same time and actor, the delete of each
    row with its values and the update of each link it cleared. An entry written any other
    way (an officer with psql may insert one: removing needs that) carries rows nobody
    removed, and a restore by someone with more rights would write them in that officer's
    place; a genuine entry edited since no longer matches either. Both are refused."""
    log = m.AuditEntry
    bin_table = m.RecycleEntry.__tablename__
    # the entry's own insert: the last one of its id (an id emptied and given again — by
    # SQLite, or by an officer's INSERT with psql — names another entry before it), with
    # the entry's values, and not deleted since (an entry put back behind the trail's back)
    made = s.execute(
        select(log.seq, log.at, log.actor, log.new_value)
        .where(log.entity == bin_table, log.entity_id == str(entry.id), log.action == "insert")
        .order_by(log.seq.desc())
        .limit(1)
    ).first()
    if made is None:
        return False
    deleted_since = s.scalar(
        select(log.seq)
        .where(
            log.entity == bin_table,
            log.entity_id == str(entry.id),
            log.action == "delete",
            log.seq > made.seq,
        )
        .limit(1)
    )
    if deleted_since is not None:
        return False
    inserted = json_object(made.new_value)
    if inserted is None or any(
        inserted.get(k) != audit_text(getattr(entry, k))
        for k in ("case_id", "entity", "entity_id", "payload")
    ):
        return False
    # one transaction's rows are consecutive in the trail (its head row serialises writers)
    reach = 1000 + 4 * (len(rows) + len(changed))
    deletes: dict[tuple[str, str], str | None] = {}
    updates: set[tuple[str, str, str, str | None, str | None]] = set()
    for action, entity, entity_id, fld, old, new in s.execute(
        select(log.action, log.entity, log.entity_id, log.field, log.old_value, log.new_value)
        .where(
            log.seq.between(made.seq - reach, made.seq + reach),
            log.at == made.at,
            log.actor == made.actor,
        )
        .order_by(log.seq)
    ):
        if action == "delete":
            deletes[(entity, entity_id)] = old
        elif action == "update":
            updates.add((entity, entity_id, fld, old, new))
    used: set[tuple[str, str]] = set()
    for r in rows:
        table = m.Base.metadata.tables[r["table"]]
        values = {k: _dec(x) for k, x in r["values"].items()}
        entity_id = ",".join(str(values[c.name]) for c in table.primary_key.columns)
        if (r["table"], entity_id) in used:  # one audited delete, one row put back
            return False
        used.add((r["table"], entity_id))
        audited = json_object(deletes.get((r["table"], entity_id)))
        if audited is None:
            return False
        # every value the trail holds, none left out (a default would fill it on restore)
        if any(k not in values for k in audited):
            return False
        if any(k in audited and audit_text(x) != audited[k] for k, x in values.items()):
            return False
    for c in changed:
        entity_id = ",".join(str(_dec(k)) for k in c["key"])
        link = (c["table"], entity_id, c["column"], audit_text(_dec(c["old"])))
        if (*link, audit_text(_dec(c["new"]))) not in updates:
            return False
    return True


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
        f"回收站记录“{entry.summary}”的内容与本案不符（可能已损坏或被改动），不能恢复。",
        field="entry_id",
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
