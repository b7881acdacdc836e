"""One case as a single file (``.fcase``): export, verify, import.

The file is a zip of ``manifest.json`` (format and program versions, schema revision, case
number, time of export, row counts, SHA-256 and size of every member), ``data.json``: every row
of the case in every case table, parents first (types kept), plus the case's audit rows, and
one member ``attachments/<SHA-256>`` per attachment content, stored uncompressed and written
and read one piece at a time (format 2): a case with thousands of photos travels in bounded
memory and past zip's old 2 GiB limit (ZIP64). Format 1 files (the content in base64 inside
``data.json``) are still read. Case tables are found from the models' metadata: ``cases``
and every table with a foreign key to a case table, transitively, so a table added later is
carried without touching this module.

Import verifies the file (hashes, counts, the audit rows' own hashes and links) and refuses a
damaged or changed one with ``DamagedFileError``. The manifest's hashes prove only that the
members fit together (anyone can re-hash an edited file), so every row is also held to what
the services would accept (``_import_check``: types, lengths, characters, ranges, fixed
lists, 第十七条's 60 days, attachment size), the case's audit history is replayed against its
rows (``store.replay.replay_export``: a row removed from the history or a value changed without
its audit row no longer fits), attachment names are reduced to a bare name, and stage, due
dates and the clock board are recomputed from the imported facts. The manifest carries the
source's audit chain head (``anchor``); the import records it with the file's SHA-256, which
the source's ``report_outputs`` holds for the file it wrote. It refuses a case number that
already exists (``ConflictError``) unless the caller asks for a copy, which gets the next free
number. Rows get new ids (foreign keys remapped) and keep every other column. The import is one
unit of work: each inserted row is audited as usual, and one more audit row (action ``import``)
records where the case came from and carries its original audit history verbatim.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, MetaData, Table, and_, or_, select, update
from sqlalchemy.orm import Mapper

from firecase import __version__
from firecase.errors import ConflictError, FirecaseError, NotFoundError, ValidationError
from firecase.services import _derive, _dump, _import_check
from firecase.services._dump import DamagedFileError
from firecase.services.evidence import MAX_ATTACHMENT_BYTES
from firecase.services.outputs import record_output
from firecase.services.permissions import Permission, requires
from firecase.store import CaseFile, blobs, head_revision, open_case_file
from firecase.store.audit import PENDING_KEY, chain_head
from firecase.store.models import (
    DERIVED_TABLES,
    Attachment,
    AuditEntry,
    Base,
    Case,
    ReportOutput,
    case_search_text,
)
from firecase.store.replay import replay_export

EXPORT_FORMAT = "firecase-case-export"
EXPORT_FORMAT_VERSION = 2
EXPORT_SUFFIX = ".fcase"
DATA_MEMBER = "data.json"
CONTENT_PREFIX = "attachments/"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_LABEL = "案件导出文件"

__all__ = [
    "EXPORT_SUFFIX",
    "DamagedFileError",
    "ExportPreview",
    "ExportResult",
    "ImportResult",
    "case_tables",
    "export_case",
    "export_command",
    "import_case",
    "import_command",
    "preview_case_export",
]


@dataclass(frozen=True)
class ExportResult:
    """An export written: file, case number, rows (all case tables), attachments, audit rows."""

    path: Path
    case_no: str
    rows: int
    attachments: int
    audit_rows: int


@dataclass(frozen=True)
class ExportPreview:
    """What a verified export file holds, for the import dialog (``number_taken``: ask first)."""

    case_no: str
    title: str
    fire_date: dt.date | None
    exported_at: str
    app_version: str
    rows: int
    audit_rows: int
    number_taken: bool


@dataclass(frozen=True)
class ImportResult:
    """An import done: the new case's id and number, the number in the file, rows inserted."""

    case_id: int
    case_no: str
    original_case_no: str
    copied: bool
    rows: int
    history_rows: int


# --------------------------------------------------------------------------------------------
# which tables belong to a case
# --------------------------------------------------------------------------------------------


def case_tables(metadata: MetaData | None = None) -> tuple[Table, ...]:
    """``cases`` and every table that references a case table, parents before children
    (derived tables left out, and ``report_outputs``: the files this case file wrote are its
    own history, kept in the audit rows the export carries, not part of the case)."""
    meta = metadata or Base.metadata
    found: list[Table] = []
    names: set[str] = set()
    for table in meta.sorted_tables:
        if table.name in DERIVED_TABLES:
            continue  # recomputed by the importing file (_clocks.store_open_clocks)
        if table.name == ReportOutput.__tablename__:
            continue
        if table.name == Case.__tablename__ or any(
            fk.column.table.name in names for fk in table.foreign_keys
        ):
            found.append(table)
            names.add(table.name)
    return tuple(found)


def _direct_case_fks(table: Table) -> list[Any]:
    return [fk for fk in table.foreign_keys if fk.column.table.name == Case.__tablename__]


def _pk_text(table: Table, row: Mapping[str, Any]) -> str:
    return ",".join(str(row[c.name]) for c in table.primary_key.columns)


def _collect(conn: Connection, case_id: int) -> tuple[list[tuple[Table, list[Any]]], list[Any]]:
    """Rows of the case per case table, and its audit rows (oldest first)."""
    picked: dict[str, list[Any]] = {}
    out: list[tuple[Table, list[Any]]] = []
    for table in case_tables():
        if table.name == Case.__tablename__:
            conds = [table.c.id == case_id]
        else:
            conds = [fk.parent == case_id for fk in _direct_case_fks(table)]
            if not conds:
                for fk in table.foreign_keys:
                    parents = picked.get(fk.column.table.name)
                    if parents:
                        conds.append(fk.parent.in_({r[fk.column.name] for r in parents}))
        rows: list[Any] = []
        if conds:
            order = list(table.primary_key.columns)
            rows = list(conn.execute(select(table).where(or_(*conds)).order_by(*order)).mappings())
        picked[table.name] = rows
        out.append((table, rows))
    audit = AuditEntry.__table__
    indirect = {
        (table.name, _pk_text(table, row))
        for table, rows in out
        if table.name != Case.__tablename__ and not _direct_case_fks(table)
        for row in rows
    }
    pk_names = {t.name: [c.name for c in t.primary_key.columns] for t, _ in out}
    history = [
        row
        for row in conn.execute(
            select(audit)
            .where(
                or_(
                    audit.c.case_id == case_id,
                    # rows under a parent (subgroup_members) are audited without a case id:
                    # looked up among those through the case_id index, not by a scan
                    and_(
                        audit.c.case_id.is_(None),
                        audit.c.entity.in_({name for name, _ in indirect}),
                    ),
                )
            )
            .order_by(audit.c.seq)
        ).mappings()
        if row["case_id"] == case_id or _audit_key(row, pk_names) in indirect
    ]
    # a case written by ``firecase synth`` on SQLite is audited by one summary row per batch
    # (no case id; its entity id is the batch's id range): carried, so the import knows
    synthetic = [
        row
        for row in conn.execute(
            select(audit).where(
                audit.c.entity == Case.__tablename__,
                audit.c.case_id.is_(None),
                audit.c.action == "insert",
                audit.c.entity_id.like("%-%"),
            )
        ).mappings()
        if _covers(str(row["entity_id"]), case_id)
    ]
    if synthetic:
        history = sorted([*history, *synthetic], key=lambda r: int(r["seq"]))
    return out, history


def _covers(id_range: str, case_id: int) -> bool:
    first, _, last = id_range.partition("-")
    return first.isdigit() and last.isdigit() and int(first) <= case_id <= int(last)


def _audit_key(row: Mapping[Any, Any], pk_names: Mapping[str, list[str]]) -> tuple[str, str]:
    """(table, primary key text) an audit row is about, read from its values if need be.

    Rows of tables without ``case_id`` carry no case in the audit trail; an insert or delete
    row whose ``entity_id`` is empty still names the key in its JSON values.
    """
    entity = str(row["entity"])
    if row["entity_id"]:
        return entity, str(row["entity_id"])
    values = row["new_value"] if row["action"] == "insert" else row["old_value"]
    try:
        parsed = json.loads(values) if isinstance(values, str) else None
    except json.JSONDecodeError:
        parsed = None
    if not isinstance(parsed, dict):
        return entity, ""
    return entity, ",".join(str(parsed.get(name)) for name in pk_names.get(entity, []))


# --------------------------------------------------------------------------------------------
# export
# --------------------------------------------------------------------------------------------


def _find_case(conn: Connection, case: int | str) -> tuple[int, str]:
    table = Case.__table__
    if isinstance(case, bool) or not isinstance(case, (int, str)):
        raise ValidationError("请指定案件（编号或案件号）。", field="case")
    cond = table.c.id == case if isinstance(case, int) else table.c.case_no == case.strip()
    found = conn.execute(select(table.c.id, table.c.case_no).where(cond)).first()
    if found is None:
        raise NotFoundError(f"没有找到案件“{case}”。", field="case")
    return int(found[0]), str(found[1])


def export_case(
    cf: CaseFile,
    case: int | str,
    dest: str | os.PathLike[str],
    *,
    now: dt.datetime | None = None,
    overwrite: bool = False,
) -> ExportResult:
    """Write the case (its id or case number) with everything under it to ``dest`` (.fcase).

    Read in one repeatable-read transaction on PostgreSQL, so the file is one consistent
    moment. ``dest`` is written atomically and refused when it exists unless ``overwrite``.
    """
    target = Path(dest).expanduser().resolve()
    if not target.parent.is_dir():
        raise ValidationError(f"文件夹不存在：{target.parent}", field="dest")
    if target.exists() and not overwrite:
        raise ValidationError(f"文件“{target.name}”已存在，请另选文件名。", field="dest")
    stamp = (now or dt.datetime.now().astimezone()).isoformat()
    with cf.engine.connect() as plain:
        conn = plain
        if cf.engine.dialect.name == "postgresql":
            conn = plain.execution_options(isolation_level="REPEATABLE READ")
        # one transaction, the file written inside it: the attachments' content is streamed
        # from the same moment as the rows
        with conn.begin():
            case_id, case_no = _find_case(conn, case)
            tables, history = _collect(conn, case_id)
            anchor_seq, anchor_hash = chain_head(conn)  # the same moment as the rows
            case_row = tables[0][1][0]
            encoded = [(t.name, [_dump.encode_row(r) for r in rows]) for t, rows in tables]
            document = _dump.tables_document(encoded)
            document["audit"] = [_dump.encode_row(r) for r in history]
            manifest = {
                "format": EXPORT_FORMAT,
                "format_version": EXPORT_FORMAT_VERSION,
                "app_version": __version__,
                "schema_revision": head_revision(),
                "case_no": case_no,
                "title": case_row["title"],
                "fire_date": case_row["fire_date"].isoformat(),
                "exported_at": stamp,
                "tables": {name: len(rows) for name, rows in encoded},
                "audit_rows": len(history),
                # the source's audit chain head when the case was read: with the file's SHA-256
                # in the source's report_outputs, it lets the source prove which file it wrote
                "anchor": f"{anchor_seq}:{anchor_hash}",
            }
            _dump.write_container(
                target,
                manifest,
                {DATA_MEMBER: _dump.dumps(document)},
                _content_members(conn, tables),
            )
    record_output(cf, "case_export", case_no, target, f"{anchor_seq}:{anchor_hash}")
    attachments = next((len(r) for t, r in tables if t.name == "attachments"), 0)
    return ExportResult(target, case_no, sum(len(r) for _, r in tables), attachments, len(history))


def _content_members(
    conn: Connection, tables: list[tuple[Table, list[Any]]]
) -> list[_dump.StreamedMember]:
    """One streamed member per distinct attachment content (``attachments/<SHA-256>``)."""
    found: dict[str, tuple[int, str]] = {}
    for table, rows in tables:
        if table.name == Attachment.__tablename__:
            for row in rows:
                found.setdefault(str(row["sha256"]), (int(row["size"]), str(row["filename"])))

    def pieces(sha: str, filename: str) -> Callable[[], Iterable[bytes]]:
        return lambda: blobs.read_pieces(conn, sha, label=f"附件“{filename}”")

    return [
        _dump.StreamedMember(CONTENT_PREFIX + sha, sha, size, pieces(sha, filename))
        for sha, (size, filename) in sorted(found.items())
    ]


# --------------------------------------------------------------------------------------------
# reading an export
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Export:
    manifest: dict[str, Any]
    tables: list[tuple[str, list[dict[str, Any]]]]
    history: list[dict[str, Any]]
    inline: dict[str, bytes]  # format 1: attachments' content inside data.json, by SHA-256
    streamed: dict[str, int]  # format 2: content as members ``attachments/<SHA-256>``: sizes

    @property
    def case_row(self) -> dict[str, Any]:
        return self.tables[0][1][0]


def _read(path: Path) -> _Export:
    """Read and verify an export file completely (nothing is written anywhere)."""
    manifest, members, streamed_sizes = _dump.read_container_streamed(
        path,
        expected_format=EXPORT_FORMAT,
        label=_LABEL,
        streamed_prefix=CONTENT_PREFIX,
        streamed_max=MAX_ATTACHMENT_BYTES,
    )
    _dump.check_format_version(manifest, EXPORT_FORMAT_VERSION, path.name)
    streamed: dict[str, int] = {}
    for name, size in streamed_sizes.items():
        sha = name[len(CONTENT_PREFIX) :]
        if not _SHA256.fullmatch(sha) or manifest["members"][name].get("sha256") != sha:
            raise DamagedFileError(
                f"“{path.name}”中附件内容的名称“{name}”与其校验值不符，文件可能被改动，拒绝导入。"
            )
        streamed[sha] = size
    revision = manifest.get("schema_revision")
    if not isinstance(revision, str) or not _dump.revision_known(revision):
        raise DamagedFileError(
            f"“{path.name}”由更新版本的 FireCase 导出（数据版本 {revision}），"
            "请升级 FireCase 后再导入。"
        )
    if DATA_MEMBER not in members:
        raise DamagedFileError(f"“{path.name}”缺少案件数据（{DATA_MEMBER}），拒绝导入。")
    document = _dump.loads(members[DATA_MEMBER], "案件数据")
    tables = _dump.read_tables_document(document, f"“{path.name}”中的案件数据")
    raw_history = document.get("audit")
    if not isinstance(raw_history, list):
        raise DamagedFileError(f"“{path.name}”缺少审计记录，拒绝导入。")
    history = [_dump.decode_row(r) for r in raw_history]
    counts = {name: len(rows) for name, rows in tables}
    if manifest.get("tables") != counts or manifest.get("audit_rows") != len(history):
        raise DamagedFileError(f"“{path.name}”的记录数与清单不符，文件可能被改动，拒绝导入。")
    if not tables or tables[0][0] != Case.__tablename__ or len(tables[0][1]) != 1:
        raise DamagedFileError(f"“{path.name}”中没有恰好一个案件，拒绝导入。")
    case_row = tables[0][1][0]
    if case_row.get("case_no") != manifest.get("case_no") or not isinstance(
        case_row.get("case_no"), str
    ):
        raise DamagedFileError(f"“{path.name}”中的案件编号与清单不符，文件可能被改动，拒绝导入。")
    if not all(isinstance(case_row.get(k), int) for k in ("year", "seq")):
        raise DamagedFileError(f"“{path.name}”中的案件缺少年度或序号，拒绝导入。")
    inline = _inline_content(path, tables)
    sizes = {**streamed, **{sha: len(data) for sha, data in inline.items()}}
    _import_check.check_history(history, path.name)  # hashes, order and links
    known = {t.name: t for t in case_tables()}
    for name, rows in tables:
        table = known.get(name)
        if table is None:
            raise DamagedFileError(
                f"“{path.name}”含有本程序不认识的数据表“{name}”，请升级 FireCase。"
            )
        unknown = {key for row in rows for key in row} - set(table.columns.keys())
        if unknown:
            raise DamagedFileError(
                f"“{path.name}”中数据表“{name}”含有本程序不认识的列："
                f"{'、'.join(sorted(unknown))}，请升级 FireCase。"
            )
    # what the services would have accepted, row by row, before anything is written
    _import_check.check_rows([(known[name], rows) for name, rows in tables], path.name, sizes)
    replayed = replay_export(tables, history)
    if not replayed.ok:
        raise DamagedFileError(
            f"“{path.name}”中的案件数据与其审计记录对不上（{replayed.problems[0]}），"
            "文件在导出后被改动过，拒绝导入。"
        )
    _import_check.make_names_safe(tables)
    return _Export(manifest, tables, history, inline, streamed)


def _inline_content(path: Path, tables: list[tuple[str, list[dict[str, Any]]]]) -> dict[str, bytes]:
    """Format 1 kept each attachment's bytes in its row (``content``): taken out of the row
    (the column is gone since migration 0017), each checked against the SHA-256 beside it."""
    found: dict[str, bytes] = {}
    for name, rows in tables:
        if name != Attachment.__tablename__:
            continue
        for row in rows:
            if "content" not in row:
                continue
            content = row.pop("content")
            if not isinstance(content, bytes) or _dump.sha256(content) != row.get("sha256"):
                raise DamagedFileError(
                    f"“{path.name}”中的附件“{row.get('filename')}”与其校验值不符，"
                    "文件可能被改动，拒绝导入。"
                )
            found[str(row["sha256"])] = content
    return found


def _store_content(conn: Connection, path: Path, data: _Export) -> None:
    """Store the content of every imported attachment not stored here already, streamed
    from the file one piece at a time, each checked against its SHA-256 as it is read."""
    wanted = {
        str(row["sha256"])
        for name, rows in data.tables
        if name == Attachment.__tablename__
        for row in rows
    }
    too_large = f"附件超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB 的上限。"
    try:
        with zipfile.ZipFile(path) as zf:
            for sha in sorted(wanted):
                if sha in data.inline:
                    pieces: Iterable[bytes] = [data.inline[sha]]
                else:
                    pieces = _dump.read_streamed(zf, CONTENT_PREFIX + sha, path.name)
                blobs.put_stream(
                    conn, sha, pieces, max_bytes=MAX_ATTACHMENT_BYTES, too_large=too_large
                )
    except DamagedFileError:
        raise
    except ValidationError as exc:  # put_stream: too large, or not its SHA-256
        raise DamagedFileError(
            f"“{path.name}”中的附件内容有误（{exc.message}），文件可能被改动，拒绝导入。"
        ) from exc
    except (OSError, zipfile.BadZipFile) as exc:
        raise DamagedFileError(f"无法读取“{path.name}”中的附件内容：{exc}") from exc


def _source_path(source: str | os.PathLike[str]) -> Path:
    return Path(source).expanduser().resolve()


def preview_case_export(cf: CaseFile, source: str | os.PathLike[str]) -> ExportPreview:
    """Verify an export file and say what it holds and whether its number is already used."""
    data = _read(_source_path(source))
    row = data.case_row
    table = Case.__table__
    with cf.connect() as conn:
        taken = conn.execute(
            select(table.c.id).where(
                or_(
                    table.c.case_no == row["case_no"],
                    (table.c.year == row.get("year")) & (table.c.seq == row.get("seq")),
                )
            )
        ).first()
    fire_date = row.get("fire_date")
    return ExportPreview(
        case_no=str(row["case_no"]),
        title=str(row.get("title", "")),
        fire_date=fire_date if isinstance(fire_date, dt.date) else None,
        exported_at=str(data.manifest.get("exported_at", "")),
        app_version=str(data.manifest.get("app_version", "")),
        rows=sum(len(r) for _, r in data.tables),
        audit_rows=len(data.history),
        number_taken=taken is not None,
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


# --------------------------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------------------------


def export_command(args: argparse.Namespace) -> int:
    """``firecase export CASE_NO --db … -o FILE.fcase``: exit 0 on success, 2 on an error."""
    try:
        with open_case_file(args.db, user=getattr(args, "user", None)) as cf:
            result = export_case(cf, args.case_no, args.output, overwrite=bool(args.force))
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    print(
        f"已导出案件 {result.case_no} 到 {result.path}"
        f"（{result.rows} 条记录，{result.attachments} 个附件，{result.audit_rows} 条审计记录）"
    )
    return 0


def import_command(args: argparse.Namespace) -> int:
    """``firecase import FILE.fcase --db … [--as-copy]``: exit 0 on success, 2 on an error."""
    try:
        with open_case_file(args.db, user=getattr(args, "user", None)) as cf:
            result = import_case(cf, args.file, as_copy=bool(args.as_copy))
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    copy = f"（作为副本，原编号 {result.original_case_no}）" if result.copied else ""
    print(f"已导入案件 {result.case_no}{copy}，共 {result.rows} 条记录")
    return 0
