"""The audit trail: every change, append-only, each row hash-chained to the one before.

Changes are collected from the ORM after every flush (inserts as one row with all values,
updates as one row per changed field, deletes as one row with the old values) and written by
the unit of work just before it commits, in the same transaction. The chain head
(``audit_head``) is read ``FOR UPDATE`` so concurrent writers on a server serialise.
``verify_audit_chain`` recomputes every hash and finds edited, inserted or deleted rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Connection, Table, insert, inspect, select, update
from sqlalchemy.orm import Session, UOWTransaction

from firecase.store.models import AuditEntry, AuditHead, Case

GENESIS_HASH = "0" * 64
_AUDIT_TABLES = frozenset({AuditEntry.__tablename__, AuditHead.__tablename__})
_SKIP_FIELDS = frozenset({"version"})
PENDING_KEY = "firecase_audit_pending"
ACTOR_KEY = "firecase_actor"


def audit_text(value: Any) -> str | None:
    """The text stored in the audit trail for one column value."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes):
        return "sha256:" + hashlib.sha256(value).hexdigest()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _pk_text(obj: Any) -> str:
    # ``identity`` is still None for a row inserted in this flush; read the key off the row
    state = inspect(obj)
    key = state.mapper.primary_key_from_instance(obj)
    if all(part is None for part in key):
        return ""
    return ",".join(str(part) for part in key)


def _case_id(obj: Any) -> int | None:
    if isinstance(obj, Case):
        return obj.id
    value = getattr(obj, "case_id", None)
    return value if isinstance(value, int) else None


def _values(obj: Any) -> dict[str, str | None]:
    mapper = inspect(obj).mapper
    return {
        attr.key: audit_text(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in _SKIP_FIELDS
    }


def collect_changes(session: Session, flush_context: UOWTransaction) -> None:
    """``after_flush`` hook: remember what this flush inserted, changed and deleted."""
    pending: list[dict[str, Any]] = session.info.setdefault(PENDING_KEY, [])
    for obj in session.new:
        table = inspect(obj).mapper.persist_selectable.name
        if table in _AUDIT_TABLES:
            continue
        new_json = json.dumps(_values(obj), ensure_ascii=False, sort_keys=True)
        pending.append(_change("insert", table, obj, "*", None, new_json))
    for obj in session.dirty:
        state = inspect(obj)
        table = state.mapper.persist_selectable.name
        if table in _AUDIT_TABLES or not session.is_modified(obj):
            continue
        for attr in state.mapper.column_attrs:
            if attr.key in _SKIP_FIELDS:
                continue
            hist = state.attrs[attr.key].history
            if not hist.added and not hist.deleted:
                continue
            old = audit_text(hist.deleted[0]) if hist.deleted else None
            new = audit_text(hist.added[0]) if hist.added else None
            if old != new:
                pending.append(_change("update", table, obj, attr.key, old, new))
    for obj in session.deleted:
        table = inspect(obj).mapper.persist_selectable.name
        if table in _AUDIT_TABLES:
            continue
        old_json = json.dumps(_values(obj), ensure_ascii=False, sort_keys=True)
        pending.append(_change("delete", table, obj, "*", old_json, None))


def _change(
    action: str, table: str, obj: Any, field: str, old: str | None, new: str | None
) -> dict[str, Any]:
    return {
        "action": action,
        "entity": table,
        "entity_id": _pk_text(obj),
        "case_id": _case_id(obj),
        "field": field,
        "old_value": old,
        "new_value": new,
    }


def row_hash(row: dict[str, Any]) -> str:
    """SHA-256 over a row's content and the previous row's hash."""
    payload = [
        row["seq"],
        row["at"],
        row["actor"],
        row["action"],
        row["entity"],
        row["entity_id"],
        row["case_id"],
        row["field"],
        row["old_value"],
        row["new_value"],
        row["prev_hash"],
    ]
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_pending(session: Session, actor: str, now: dt.datetime | None = None) -> int:
    """Append the collected changes to the chain (inside the caller's transaction)."""
    pending: list[dict[str, Any]] = session.info.get(PENDING_KEY, [])
    if not pending:
        return 0
    head_table = cast(Table, AuditHead.__table__)
    head = session.execute(
        select(head_table.c.last_seq, head_table.c.last_hash)
        .where(head_table.c.id == 1)
        .with_for_update()
    ).first()
    if head is None:
        session.execute(insert(head_table).values(id=1, last_seq=0, last_hash=GENESIS_HASH))
        last_seq, last_hash = 0, GENESIS_HASH
    else:
        last_seq, last_hash = int(head[0]), str(head[1])
    stamp = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="microseconds")
    rows: list[dict[str, Any]] = []
    for change in pending:
        last_seq += 1
        row = {"seq": last_seq, "at": stamp, "actor": actor, **change, "prev_hash": last_hash}
        last_hash = row_hash(row)
        row["row_hash"] = last_hash
        rows.append(row)
    session.execute(insert(cast(Table, AuditEntry.__table__)), rows)
    session.execute(
        update(head_table)
        .where(head_table.c.id == 1)
        .values(last_seq=last_seq, last_hash=last_hash)
    )
    pending.clear()
    return len(rows)


def chain_head(conn: Connection) -> tuple[int, str]:
    """The chain's head (sequence number, hash): what reports print as their anchor."""
    head_table = cast(Table, AuditHead.__table__)
    row = conn.execute(
        select(head_table.c.last_seq, head_table.c.last_hash).where(head_table.c.id == 1)
    ).first()
    if row is None:
        return 0, GENESIS_HASH
    return int(row[0]), str(row[1])


@dataclass(frozen=True)
class AuditCheck:
    """Result of checking the audit chain: ``ok`` and one Chinese line per problem found."""

    ok: bool
    rows_checked: int
    problems: tuple[str, ...]


# how many rows the chain check reads between two progress reports
PROGRESS_ROWS = 2_000


def verify_audit_chain(
    conn: Connection,
    *,
    max_problems: int = 50,
    after: tuple[int, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> AuditCheck:
    """Recompute every row's hash and link; report edited, inserted or deleted rows.

    ``after`` (``SEQ``, ``HASH`` of a row checked before): only the rows that follow it are
    read, the first of them linked to ``HASH`` (the caller checks that row ``SEQ`` still has
    that hash). ``progress`` is told the rows read so far, every ``PROGRESS_ROWS``."""
    table = cast(Table, AuditEntry.__table__)
    problems: list[str] = []
    expected_seq = 1 if after is None else after[0] + 1
    prev = GENESIS_HASH if after is None else after[1]
    count = 0
    stmt = select(table).order_by(table.c.seq)
    if after is not None:
        stmt = stmt.where(table.c.seq > after[0])
    result = conn.execution_options(yield_per=PROGRESS_ROWS).execute(stmt).mappings()
    for row in result:
        count += 1
        if progress is not None and count % PROGRESS_ROWS == 0:
            progress(count)
        try:
            seq = int(row["seq"])
            rehashed = row_hash(dict(row))
        except (TypeError, ValueError):  # a damaged file: a value of the wrong type
            problems.append(f"审计记录第{expected_seq}条已损坏，无法读取（案卷文件已损坏）")
            prev, expected_seq = row["row_hash"], expected_seq + 1
            if len(problems) >= max_problems:
                break
            continue
        if seq != expected_seq:
            problems.append(
                f"审计记录缺失：第{expected_seq}条至第{seq - 1}条不存在（记录被删除）"
                if seq > expected_seq
                else f"审计记录序号重复或错乱：第{seq}条"
            )
        if row["prev_hash"] != prev:
            problems.append(f"审计记录第{seq}条与前一条的链接不符（前序记录被修改或删除）")
        if rehashed != row["row_hash"]:
            problems.append(f"审计记录第{seq}条的内容与其哈希不符（记录被修改）")
        prev = row["row_hash"]
        expected_seq = seq + 1
        if len(problems) >= max_problems:
            break
    head_table = cast(Table, AuditHead.__table__)
    head = conn.execute(
        select(head_table.c.last_seq, head_table.c.last_hash).where(head_table.c.id == 1)
    ).first()
    if len(problems) < max_problems:
        try:
            head_seq = 0 if head is None else int(head[0])
        except (TypeError, ValueError):
            head_seq = -1  # damaged: reported below as a mismatch
        head_hash = GENESIS_HASH if head is None else str(head[1])
        if head_seq != expected_seq - 1 or head_hash != prev:
            problems.append(
                f"审计链末端不符：应有{head_seq}条记录，实际最后一条为第{expected_seq - 1}条"
                "（末尾记录被删除或链头被改动）"
            )
    return AuditCheck(ok=not problems, rows_checked=count, problems=tuple(problems))
