"""Importing a case export into the open case file (``import_case``)."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Mapper

from firecase.errors import ConflictError, ValidationError
from firecase.services import _derive, _dump
from firecase.services._dump import DamagedFileError
from firecase.services._transfer_read import (
    ImportResult,
    _read,
    _source_path,
    _store_content,
    case_tables,
)
from firecase.services.permissions import Permission, requires
from firecase.store import CaseFile
from firecase.store.audit import PENDING_KEY
from firecase.store.models import (
    Base,
    Case,
    case_search_text,
)

# --------------------------------------------------------------------------------------------
# import
# --------------------------------------------------------------------------------------------


def _mappers() -> dict[str, Mapper[Any]]:
    return {
        m.local_table.name: m for m in Base.registry.mappers if isinstance(m.local_table, Table)
    }


def _keys_by_column(mapper: Mapper[Any]) -> dict[str, str]:
    return {col.name: prop.key for prop in mapper.column_attrs for col in prop.columns}


def _new_number(session: Any, year: int) -> tuple[str, int]:
    from firecase.services.cases import format_case_no
    from firecase.services.settings import read_settings

    top = session.scalar(select(Case.seq).where(Case.year == year).order_by(Case.seq.desc()))
    seq = int(top or 0) + 1
    return format_case_no(read_settings(session).case_no_prefix, year, seq), seq


def _insert_table(
    session: Any,
    table: Table,
    rows: Sequence[dict[str, Any]],
    idmap: dict[tuple[str, str], dict[Any, Any]],
    mapper: Mapper[Any],
    overrides: Mapping[str, Any],
) -> list[tuple[Any, Any]]:
    """Add the rows as ORM objects (so they are audited); returns (old id, object) pairs."""
    auto = table.autoincrement_column
    keys = _keys_by_column(mapper)
    case_fks = [fk for fk in table.foreign_keys if (fk.column.table.name, fk.column.name) in idmap]
    added: list[tuple[Any, Any]] = []
    for row in rows:
        values = dict(row)
        old_id = values.pop(auto.name, None) if auto is not None else None
        for fk in case_fks:
            old = values.get(fk.parent.name)
            if old is None:
                continue
            mapping = idmap[(fk.column.table.name, fk.column.name)]
            if old not in mapping:
                raise DamagedFileError(
                    f"导出文件中表“{table.name}”的一行引用了不存在的记录，文件不完整，拒绝导入。"
                )
            values[fk.parent.name] = mapping[old]
        values.update(overrides)
        obj = mapper.class_()
        for column, value in values.items():
            setattr(obj, keys[column], value)
        session.add(obj)
        added.append((old_id, obj))
    session.flush()
    return added


@requires(Permission.RECORD)
def import_case(
    cf: CaseFile,
    source: str | os.PathLike[str],
    *,
    as_copy: bool = False,
    actor: str | None = None,
) -> ImportResult:
    """Import the case in the export file ``source`` in one transaction.

    Refuses a damaged or changed file (``DamagedFileError``), and a case whose number (or
    year and sequence number) already exists here (``ConflictError``) unless ``as_copy``, in
    which case the copy gets the next free number of its year. Every column except the
    surrogate ids is kept as exported (``version`` included).
    """
    if not isinstance(as_copy, bool):
        raise ValidationError("“作为副本导入”应为是或否。", field="as_copy")
    path = _source_path(source)
    data = _read(path)
    case_row = data.case_row
    original_no = str(case_row["case_no"])
    mappers = _mappers()
    wanted = dict(data.tables)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        table = Case.__table__
        same_no = s.scalar(select(table.c.id).where(table.c.case_no == original_no))
        same_seq = s.scalar(
            select(table.c.case_no).where(
                (table.c.year == case_row["year"]) & (table.c.seq == case_row["seq"])
            )
        )
        overrides: dict[str, Any] = {}
        if as_copy:
            new_no, new_seq = _new_number(s, int(case_row["year"]))
            overrides = {"case_no": new_no, "seq": new_seq}
        elif same_no is not None:
            raise ConflictError(
                f"本案卷中已有编号为“{original_no}”的案件，未导入。"
                "如需同时保留两份，请选择“作为副本导入”（副本将使用新的编号）。",
                field="case_no",
            )
        elif same_seq is not None:
            raise ConflictError(
                f"本案卷中{case_row['year']}年第{case_row['seq']}号已被案件“{same_seq}”使用，"
                f"与导入的“{original_no}”冲突，未导入。请选择“作为副本导入”（将使用新的编号）。",
                field="case_no",
            )
        # the list's search text: exported as is, computed for an export made before it
        # existed (migration 0006) or for a copy, whose case number changes here
        if as_copy or not case_row.get("search_text"):
            overrides["search_text"] = case_search_text(
                str(overrides.get("case_no", original_no)),
                str(case_row.get("title") or ""),
                str(case_row.get("place") or ""),
                str(case_row.get("unit_name") or ""),
            )
        _store_content(s.connection(), path, data)
        idmap: dict[tuple[str, str], dict[Any, Any]] = {}
        versions: list[tuple[Table, Any, Any, int]] = []
        rows_in = 0
        for ctable in case_tables():
            rows = wanted.get(ctable.name, [])
            if not rows:
                continue
            mapper = mappers[ctable.name]
            added = _insert_table(
                s,
                ctable,
                rows,
                idmap,
                mapper,
                overrides if ctable.name == Case.__tablename__ else {},
            )
            rows_in += len(added)
            auto = ctable.autoincrement_column
            if auto is not None:
                key = _keys_by_column(mapper)[auto.name]
                idmap[(ctable.name, auto.name)] = {old: getattr(o, key) for old, o in added}
            version_col = mapper.version_id_col
            if version_col is not None and auto is not None:
                for (_, obj), row in zip(added, rows, strict=True):
                    wanted_version = row.get(version_col.name)
                    if isinstance(wanted_version, int) and wanted_version != 1:
                        versions.append((ctable, auto, getattr(obj, key), wanted_version))
        # The ORM stamps version 1 on insert; put back the exported optimistic-lock versions.
        for vtable, pk, new_id, number in versions:
            s.execute(update(vtable).where(pk == new_id).values(version=number))
        new_case_id = next(iter(idmap[(Case.__tablename__, "id")].values()))
        new_no = str(overrides.get("case_no", original_no))
        # the clock board's stored open clocks and the list's text index are derived data:
        # computed here, not imported
        # (they do not depend on the day: status and days left are worked out when read)
        imported = s.get(Case, new_case_id)
        assert imported is not None
        # stage, next due date, clock board and search text are recomputed from the imported
        # facts, never taken from the file (a stage 已结案 on an open case is not believed)
        _derive.recompute_imported(s, imported, dt.date.today())
        provenance = {
            "source_file": path.name,
            "case_no": original_no,
            "imported_as": new_no,
            "copy": as_copy,
            "exported_at": data.manifest.get("exported_at"),
            "app_version": data.manifest.get("app_version"),
            "schema_revision": data.manifest.get("schema_revision"),
            # which file exactly, and the source's chain head it was exported at: the source
            # case file's 输出记录 (report_outputs) holds the same two for the file it wrote
            "file_sha256": _dump.file_sha256(path),
            "source_anchor": data.manifest.get("anchor"),
            "history": [_dump.encode_row(r) for r in data.history],
        }
        s.info.setdefault(PENDING_KEY, []).append(
            {
                "action": "import",
                "entity": Case.__tablename__,
                "entity_id": str(new_case_id),
                "case_id": new_case_id,
                "field": "*",
                "old_value": None,
                "new_value": json.dumps(provenance, ensure_ascii=False, sort_keys=True),
            }
        )
        uow.commit()
    return ImportResult(
        case_id=int(new_case_id),
        case_no=new_no,
        original_case_no=original_no,
        copied=as_copy,
        rows=rows_in,
        history_rows=len(data.history),
    )
