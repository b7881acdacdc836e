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

Which tables belong to a case and the reading of an export are in ``_transfer_read``, the
import in ``_transfer_import``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, or_, select

from firecase import __version__
from firecase.errors import FirecaseError, NotFoundError, ValidationError
from firecase.services import _dump
from firecase.services._dump import DamagedFileError
from firecase.services._transfer_import import import_case
from firecase.services._transfer_read import (
    CONTENT_PREFIX,
    DATA_MEMBER,
    EXPORT_FORMAT,
    EXPORT_FORMAT_VERSION,
    EXPORT_SUFFIX,
    ExportPreview,
    ExportResult,
    ImportResult,
    _collect,
    _read,
    _source_path,
    case_tables,
)
from firecase.services.outputs import record_output
from firecase.store import CaseFile, blobs, head_revision, open_case_file
from firecase.store.audit import chain_head
from firecase.store.models import (
    Attachment,
    Case,
)

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
    with cf.connect() as plain:  # a lock another login holds is said in Chinese
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
            data = _dump.dumps(document)
            if len(data) > _dump.MAX_JSON_BYTES:  # the importer would refuse it
                raise ValidationError(
                    f"案件“{case_no}”的数据（含审计记录）有 {len(data) / 1024**2:.0f} MB，超过单个"
                    f"导出文件可容纳的 {_dump.MAX_JSON_BYTES // 1024**2} MB，无法导出。"
                    "请改用整卷备份（菜单“文件 → 备份”）。",
                    field="case",
                )
            _dump.write_container(
                target, manifest, {DATA_MEMBER: data}, _content_members(conn, tables)
            )
    try:
        record_output(cf, "case_export", case_no, target, f"{anchor_seq}:{anchor_hash}")
    except BaseException:  # no file without its record: the next try may use the name
        target.unlink(missing_ok=True)
        raise
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
