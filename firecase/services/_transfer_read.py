"""Case exports: the format, the result types, which tables belong to a case, and reading
an export file (checked before anything is written)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, MetaData, Table, and_, or_, select

from firecase.errors import ValidationError
from firecase.services import _dump, _import_check
from firecase.services._dump import DamagedFileError
from firecase.services.evidence import MAX_ATTACHMENT_BYTES
from firecase.store import blobs
from firecase.store.models import (
    DERIVED_TABLES,
    Attachment,
    AuditEntry,
    Base,
    Case,
    ReportOutput,
)
from firecase.store.replay import replay_export

EXPORT_FORMAT = "firecase-case-export"
EXPORT_FORMAT_VERSION = 2
EXPORT_SUFFIX = ".fcase"
DATA_MEMBER = "data.json"
CONTENT_PREFIX = "attachments/"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_LABEL = "案件导出文件"


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
