"""The incremental check's data part (``replay_since``): what was written after a verified
point, compared with what the trail says (see ``store.replay`` for the full check).

A verified point records, per audited table, its row count and two sums over its keys
(``table_marks``: each key reduced modulo a large prime, and its square): a row added or
deleted outside FireCase changes the count, and one deleted and another added (or a record
renumbered) changes the sums, which the trail since the point must account for key by key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Connection,
    Integer,
    String,
    Table,
    and_,
    cast as cast_,
    func,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.sql.elements import ColumnElement

from firecase.store.models import AuditEntry
from firecase.store.replay import (
    ReplayCheck,
    _audited_tables,
    _check_attachments,
    _differences,
    _label,
    _short,
    _skipped_columns,
    _ticker,
    json_object,
)

PRIME = 2_147_483_647  # 2**31 - 1: a key's remainder squared stays within 64 bits


def _key_number(table: Table) -> ColumnElement[Any] | None:
    """The table's key as one integer (SQL), or None for a table keyed by text or date."""
    pk = list(table.primary_key.columns)
    if not all(isinstance(c.type, Integer) for c in pk):
        return None
    big = [cast_(c, BigInteger) for c in pk]  # PostgreSQL's integer would overflow
    number: ColumnElement[Any] = big[0] % PRIME
    for column in big[1:]:
        number = (number * 1_000_003 + column % PRIME) % PRIME
    return number


def _key_value(table: Table, key: str) -> int | None:
    """``_key_number`` of one key as the trail names it ("12", or "3,7" for two columns)."""
    pk = list(table.primary_key.columns)
    parts = key.split(",")
    if len(parts) != len(pk) or not all(p.lstrip("-").isdigit() for p in parts):
        return None
    number = int(parts[0]) % PRIME
    for part in parts[1:]:
        number = (number * 1_000_003 + int(part) % PRIME) % PRIME
    return number


def _marks(number: int) -> tuple[int, int]:
    return number, number * number % PRIME


def table_marks(conn: Connection) -> dict[str, list[int]]:
    """Each audited table's [row count, sum of key remainders, sum of their squares mod PRIME]
    (the sums 0 for a table keyed by text or date).

    One statement for every table (``UNION ALL``, a row per table, tagged by its position):
    one compilation and one round trip, where a statement per table cost a fresh connection's
    first check ~60 ms of compiling alone (measured: 39 tables)."""
    tables = _audited_tables()
    rows = conn.execute(union_all(*(_marks_select(t, n) for n, t in enumerate(tables)))).all()
    found = {int(tag): _marks_row(count, first, second) for tag, count, first, second in rows}
    return {t.name: found[n] for n, t in enumerate(tables)}


@dataclass
class _Touched:
    """What the trail since a verified point did to one record."""

    inserted: bool = False
    deleted: bool = False
    values: dict[str, Any] = field(default_factory=dict)  # column -> text it should hold


def replay_since(
    conn: Connection,
    after_seq: int,
    marks: dict[str, list[int]],
    progress: Callable[[int], None] | None = None,
) -> ReplayCheck:
    """The data check of what was written after audit row ``after_seq`` (a verified point):
    every record the trail changed since is compared with what the trail says it holds now
    (all its columns when it was added since, else the columns changed since), a record
    deleted since must be gone, each audited table's ``table_marks`` must be the point's
    ``marks`` plus the keys added since less those deleted (a row added, deleted or
    renumbered outside FireCase changes them), and the attachments added since are checked
    against their SHA-256.

    Not seen here: a value changed outside FireCase in a column the trail has not changed
    since the point (of any record): the full check (``replay_check``) compares every one."""
    check = ReplayCheck()
    tick = _ticker(progress)
    tables = {t.name: t for t in _audited_tables()}
    touched: dict[str, dict[str, _Touched]] = {name: {} for name in tables}
    synthetic = _collect(conn, after_seq, touched, check, tick)
    if synthetic is None:
        return check
    for name, table in tables.items():
        try:
            with conn.begin_nested():  # a table that cannot be read spoils no other
                _compare_touched(conn, table, touched[name], check, tick)
                if not synthetic:
                    _compare_marks(conn, table, touched[name], marks.get(name), check)
        except (DBAPIError, StatementError, UnicodeDecodeError, ValueError, TypeError) as exc:
            check.add(
                f"{_label(name)}无法完整读取（有损坏的记录）：{type(exc).__name__}，"
                "其余数据表继续比对"
            )
    if synthetic:
        # which cases a synthetic entry covers can only be told from the whole trail (a
        # forged one appended over real cases exempts them): the full check decides
        check.add(
            "检查点之后写入了合成数据（firecase synth）：增量检查无法确认它只涉及它自己写入的"
            "案件，请做完整检查"
        )
    new_attachments = {k for k, r in touched["attachments"].items() if r.inserted}
    if new_attachments:
        _check_attachments(conn, check, only={int(k) for k in new_attachments if k.isdigit()})
    return check


def _collect(
    conn: Connection,
    after_seq: int,
    touched: dict[str, dict[str, _Touched]],
    check: ReplayCheck,
    tick: Callable[[], None],
) -> bool | None:
    """Read the trail after ``after_seq`` into ``touched``; whether synthetic data was
    written since (None: the trail could not be read, said in ``check``)."""
    log = cast(Table, AuditEntry.__table__)
    synthetic = False
    try:
        rows: Iterable[Any] = conn.execute(
            select(
                log.c.seq,
                log.c.action,
                log.c.entity,
                log.c.entity_id,
                log.c.field,
                log.c.new_value,
            )
            .where(log.c.seq > after_seq)
            .order_by(log.c.seq)
        )
        for seq, action, entity, entity_id, fld, new in rows:
            tick()
            records = touched.get(entity)
            if records is None or action == "import":
                continue
            record = records.setdefault(entity_id, _Touched())
            if action == "insert":
                values = json_object(new)
                if values is None:
                    check.add(f"审计记录第{seq}条已损坏：新增记录的内容无法读取")
                    continue
                if values.get("synthetic") is True:
                    synthetic = True
                    records.pop(entity_id, None)
                    continue
                record.inserted, record.deleted = True, False
                record.values = {str(k): v for k, v in values.items()}
            elif action == "update":
                record.values[fld] = new
            elif action == "delete":
                record.deleted = True
    except (DBAPIError, StatementError, UnicodeDecodeError) as exc:
        check.add(f"审计记录无法读取，未能比对数据（案卷文件已损坏）：{type(exc).__name__}")
        return None
    return synthetic


def _compare_marks(
    conn: Connection,
    table: Table,
    records: dict[str, _Touched],
    at_point: list[int] | None,
    check: ReplayCheck,
) -> None:
    """The table's count and key sums now against the point's plus what the trail did since
    (a record added and deleted again since counts for neither)."""
    count, first, second = at_point if at_point is not None else (0, 0, 0)
    keyed = _key_number(table) is not None
    for key, record in records.items():
        existed = not record.inserted  # a record the trail did not add since was there
        exists = not record.deleted
        if existed == exists:
            continue
        sign = 1 if exists else -1
        count += sign
        number = _key_value(table, key) if keyed else None
        if number is not None:
            a, b = _marks(number)
            first, second = (first + sign * a) % PRIME, (second + sign * b) % PRIME
    now = table_marks_of(conn, table)
    if now[0] != count:
        check.add(
            f"{_label(table.name)}现有 {now[0]} 条记录，按检查点之后的审计记录应有 {count} 条："
            f"有 {abs(now[0] - count)} 条记录是在 FireCase 之外"
            f"{'写入' if now[0] > count else '删除'}的（完整检查可找出是哪些）"
        )
    elif keyed and (now[1], now[2]) != (first, second):
        check.add(
            f"{_label(table.name)}的记录条数与检查点之后的审计记录相符，但记录的编号不符：有记录"
            "在 FireCase 之外被删除、另写入了别的记录，或被改了编号（完整检查可找出是哪些）"
        )


def table_marks_of(conn: Connection, table: Table) -> list[int]:
    """``table_marks`` of one table."""
    _tag, count, first, second = conn.execute(_marks_select(table, 0)).one()
    return _marks_row(count, first, second)


def _marks_select(table: Table, tag: int) -> Any:
    """SELECT tag, count, key sum, sum of squares FROM table (the tag and the zeros inlined:
    no parameter whose type a ``UNION`` would have to guess; the key sums' own parameters are
    cast, as ``_key_number`` builds them)."""
    number = _key_number(table)
    if number is None:
        sums: tuple[ColumnElement[Any], ...] = (literal_column("0"), literal_column("0"))
    else:
        sums = (
            func.coalesce(func.sum(number), literal_column("0")),
            func.coalesce(func.sum(number * number % PRIME), literal_column("0")),
        )
    return select(literal_column(str(int(tag))), func.count(), *sums).select_from(table)


def _marks_row(count: Any, first: Any, second: Any) -> list[int]:
    return [int(count), int(first) % PRIME, int(second) % PRIME]


def _compare_touched(
    conn: Connection,
    table: Table,
    records: dict[str, _Touched],
    check: ReplayCheck,
    tick: Callable[[], None],
) -> None:
    """Compare the records ``replay_since`` collected for ``table`` with the current rows."""
    if not records:
        return
    pk = list(table.primary_key.columns)
    skip = _skipped_columns(table)
    keys = list(records)
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        where: ColumnElement[bool]
        if len(pk) == 1 and isinstance(pk[0].type, Integer):
            where = pk[0].in_([int(k) for k in chunk if k.lstrip("-").isdigit()])
        elif len(pk) == 1:  # a date or a text key: compared as the text the trail names it by
            where = cast_(pk[0], String).in_(chunk)
        else:
            parts = [k.split(",") for k in chunk if k.count(",") == len(pk) - 1]
            where = or_(
                *(and_(*(cast_(c, String) == v for c, v in zip(pk, p, strict=True))) for p in parts)
            )
        for mapping in conn.execute(select(table).where(where)).mappings():
            row = dict(mapping)
            found[",".join(str(row[c.name]) for c in pk)] = row
    for key, record in records.items():
        tick()
        check.records += 1
        current = found.get(key)
        if record.deleted:
            if current is not None:
                check.add(
                    f"{_label(table.name)}第{key}号记录：审计记录中已删除，却仍在文件中（在 "
                    "FireCase 之外被恢复或写入）"
                )
            continue
        if current is None:
            check.add(
                f"{_label(table.name)}第{key}号记录已不存在，审计记录中却没有删除它：它是在"
                " FireCase 之外被删除的"
            )
            continue
        for column, wanted, value in _differences(current, record.values, skip):
            check.add(
                f"{_label(table.name)}第{key}号记录，字段“{column}”：审计记录为"
                f"“{_short(wanted)}”，实际为“{_short(value)}”（在 FireCase 之外被改动）"
            )
