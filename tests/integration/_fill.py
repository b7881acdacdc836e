"""Test data for the backup and transfer tests: every case table filled from the metadata.

``fill_case`` writes rows into every table ``case_tables()`` finds (so a table added later is
filled too) through a unit of work, with a distinct, non-default value in every column: text
with Chinese characters, exact decimals, dates, attachments holding all 256 byte values,
booleans. ``case_snapshot`` reads one case back for field-by-field comparison with ids
replaced by positions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    TypeDecorator,
    or_,
    select,
)

from firecase.services._import_check import CHOICES
from firecase.services.transfer import case_tables
from firecase.store import CaseFile, blobs
from firecase.store.models import DERIVED_CASE_COLUMNS, Base, Case


def _mapper(table: Table) -> Any:
    for m in Base.registry.mappers:
        if m.local_table is table:
            return m
    raise LookupError(table.name)


def _value(table: Table, column: Any, n: int, case_no: str) -> Any:
    kind = column.type
    if isinstance(kind, TypeDecorator):  # e.g. Money: the type it stands for
        kind = kind.impl_instance
    if isinstance(kind, Boolean):
        return n % 2 == 1
    if isinstance(kind, (Date,)) and not isinstance(kind, DateTime):
        return dt.date(2026, 3, 1) + dt.timedelta(days=n)
    if isinstance(kind, DateTime):
        return dt.datetime(2026, 3, 1, 8, 30, 15, 123456) + dt.timedelta(hours=n)
    if isinstance(kind, Numeric):
        return Decimal("1234567.89") + Decimal(n) / 100
    if isinstance(kind, LargeBinary):
        return bytes(range(256)) * 3 + n.to_bytes(2, "big")
    if isinstance(kind, Integer):
        return 7 + n
    if isinstance(kind, (String, Text)):
        if table.name == "cases" and column.name == "case_no":
            return case_no
        limit = getattr(kind, "length", None) or 400
        return f"{table.name[:6]}·{column.name[:8]}·值{n}，含“引号”\n第二行"[:limit]
    raise TypeError(f"no test value for {table.name}.{column.name}: {kind!r}")


def fill_case(cf: CaseFile, seq: int, *, rows_per_table: int = 2, actor: str = "填表员") -> int:
    """Create a case numbered ``seq`` with rows in every case table; return its id."""
    case_no = f"测消调〔2026〕第{seq:03d}号"
    ids: dict[str, list[Any]] = {}
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        for table in case_tables():
            mapper = _mapper(table)
            keys = {col.name: prop.key for prop in mapper.column_attrs for col in prop.columns}
            unique_to_case = any(
                c.unique and any(fk.column.table.name == "cases" for fk in c.foreign_keys)
                for c in table.columns
            )
            count = 1 if table.name == "cases" or unique_to_case else rows_per_table
            made: list[Any] = []
            for i in range(count):
                obj = mapper.class_()
                n = seq * 10 + i
                for column in table.columns:
                    if column is table.autoincrement_column or column.name == "version":
                        continue
                    fks = list(column.foreign_keys)
                    if table.name == "attachments" and column.name in ("sha256", "size"):
                        # the content apart from the row (store.blobs): all 256 byte values
                        content = bytes(range(256)) * 3 + n.to_bytes(2, "big")
                        sha = hashlib.sha256(content).hexdigest()
                        blobs.put_stream(s.connection(), sha, [content], max_bytes=1 << 20)
                        value = sha if column.name == "sha256" else len(content)
                    elif fks:
                        parents = ids[fks[0].column.table.name]
                        value = parents[i % len(parents)]
                    elif table.name == "cases" and column.name == "year":
                        value = 2026
                    elif table.name == "cases" and column.name == "seq":
                        value = seq
                    elif (table.name, column.name) in CHOICES:  # one the services allow
                        allowed = [c for c in CHOICES[(table.name, column.name)]() if c]
                        value = allowed[n % len(allowed)]
                    elif table.name == "attachments" and column.name == "filename":
                        value = f"现场照片（{case_no}）{n}.jpg"  # a name FireCase would keep
                    elif table.name == "extensions" and column.name == "days":
                        value = 1 + n % 30  # two per case stay within 第十七条's 60 days
                    elif table.name == "cases" and column.name == "clocks_stale":
                        # written outside the services: the recomputed columns are to be
                        # recomputed (what ``firecase verify`` recomputes for the others)
                        value = True
                    else:
                        value = _value(table, column, n, case_no)
                    setattr(obj, keys[column.name], value)
                s.add(obj)
                made.append(obj)
            s.flush()
            pk = table.autoincrement_column
            ids[table.name] = [getattr(o, pk.name if pk is not None else "id", None) for o in made]
        case_id = ids["cases"][0]
        uow.commit()
    # bump a version so the exported optimistic-lock counter is not the default
    with cf.unit_of_work(actor) as uow:
        obj = uow.session.get(Case, case_id)
        assert obj is not None
        obj.summary = obj.summary + "（修订）"
        uow.commit()
    return int(case_id)


def case_snapshot(conn: Connection, case_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row of the case per case table, surrogate ids replaced by their position (the
    recomputed columns of ``cases`` left out).

    Foreign keys to case tables are replaced by the position of the referenced row, so two
    snapshots of the same case in different files compare equal column by column.
    """
    positions: dict[str, dict[Any, int]] = {}
    out: dict[str, list[dict[str, Any]]] = {}
    for table in case_tables():
        auto = table.autoincrement_column
        if table.name == "cases":
            cond = table.c.id == case_id
        else:
            conds = []
            for fk in table.foreign_keys:
                parent = positions.get(fk.column.table.name)
                if parent:
                    conds.append(fk.parent.in_(list(parent)))
            if not conds:
                out[table.name] = []
                continue
            cond = or_(*conds)
        order = list(table.primary_key.columns)
        rows = [
            dict(r) for r in conn.execute(select(table).where(cond).order_by(*order)).mappings()
        ]
        if auto is not None:
            positions[table.name] = {r[auto.name]: i for i, r in enumerate(rows)}
        for row in rows:
            if auto is not None:
                row.pop(auto.name)
            if table.name == "cases":  # recomputed on import from the facts, never carried
                for column in DERIVED_CASE_COLUMNS:
                    row.pop(column, None)
            for fk in table.foreign_keys:
                mapping = positions.get(fk.column.table.name)
                if mapping is not None and row[fk.parent.name] is not None:
                    row[fk.parent.name] = (
                        "ref",
                        fk.column.table.name,
                        mapping[row[fk.parent.name]],
                    )
        out[table.name] = rows
    return out
