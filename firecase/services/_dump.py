"""Rows as JSON and a hashed zip container: the common ground of backups and case exports.

``encode_value``/``decode_value`` turn column values into JSON and back without losing their
type (``Decimal``, ``date``, ``datetime``, ``time``, ``bytes`` are tagged, e.g.
``{"$decimal": "12.50"}``). ``write_container`` writes a zip whose ``manifest.json`` holds the
SHA-256 of every other member; ``read_container`` refuses a file whose members are missing,
extra, or do not match their hashes. Both are used by ``firecase.services.backup`` (logical
backups of PostgreSQL) and ``firecase.services.transfer`` (one case as a ``.fcase`` file).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import os
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Integer, LargeBinary, MetaData, Table, select

from firecase.errors import ValidationError
from firecase.store import blobs
from firecase.store.models import Base, Money

MANIFEST = "manifest.json"
_MAX_MEMBER = 2 * 1024**3  # refuse absurd sizes before reading (zip bombs, damaged headers)
MAX_TOTAL = 2 * 1024**3  # all members together, unpacked
_MAX_RATIO = 200  # unpacked / packed: JSON with base64 photos packs 1.3–10×, a bomb 1000×
_RATIO_FROM = 1024**2  # ratio checked for members unpacking to more than this
# all members read together: FireCase's own files pack 4.7× (a case) to 5.2× (a backup of the
# demo), its tightest member 20× (the calendar); a file of zeros packs ~1000×. Checked from
# _TOTAL_RATIO_FROM, so a 2 MB file can make the reader hold at most ~100 MB, not 2 GB.
_MAX_TOTAL_RATIO = 50
_TOTAL_RATIO_FROM = 16 * 1024**2
_MAX_MANIFEST = 16 * 1024**2  # ~150,000 members listed; a backup lists each photo once


class DamagedFileError(ValidationError):
    """A backup or export file is damaged, was changed after it was written, or is not ours."""


# --------------------------------------------------------------------------------------------
# values
# --------------------------------------------------------------------------------------------


def encode_value(value: Any) -> Any:
    """A JSON-ready form of one column value; non-JSON types are tagged so they come back."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return {"$decimal": format(value, "f")}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$time": value.isoformat()}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, float):
        return {"$float": repr(value)}
    raise TypeError(f"cannot encode a {type(value).__name__} column value")


def decode_value(value: Any) -> Any:
    """The column value ``encode_value`` was given (raises ``DamagedFileError`` on bad tags)."""
    if not isinstance(value, dict):
        if isinstance(value, list):
            raise DamagedFileError("文件中的数据格式不正确（出现了列表值）。")
        return value
    if len(value) != 1:
        raise DamagedFileError("文件中的数据格式不正确（无法识别的值）。")
    ((tag, text),) = value.items()
    if not isinstance(text, str):
        raise DamagedFileError("文件中的数据格式不正确（标记值不是文字）。")
    try:
        if tag == "$decimal":
            return Decimal(text)
        if tag == "$datetime":
            return dt.datetime.fromisoformat(text)
        if tag == "$date":
            return dt.date.fromisoformat(text)
        if tag == "$time":
            return dt.time.fromisoformat(text)
        if tag == "$bytes":
            return base64.b64decode(text.encode("ascii"), validate=True)
        if tag == "$float":
            return float(text)
    except (ValueError, InvalidOperation) as exc:
        raise DamagedFileError(f"文件中的数据无法还原（{tag[1:]}：{text[:40]}）。") from exc
    raise DamagedFileError(f"文件中的数据格式不正确（未知类型 {tag}）。")


def encode_row(row: Mapping[Any, Any]) -> dict[str, Any]:
    """One row (column name -> value) encoded for JSON."""
    return {key: encode_value(val) for key, val in row.items()}


def decode_row(row: Any) -> dict[str, Any]:
    """One row read back from JSON (refuses anything but an object of columns)."""
    if not isinstance(row, dict):
        raise DamagedFileError("文件中的数据格式不正确（一行数据不是对象）。")
    return {str(key): decode_value(val) for key, val in row.items()}


def dumps(document: Any) -> bytes:
    """Canonical JSON bytes (UTF-8, sorted keys) so equal content gives equal hashes."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


MAX_JSON_BYTES = 256 * 1024**2
"""The largest JSON member parsed whole (a case's data.json): the heaviest case of the
benchmarks (60 members, 300 evidence items, 500 photos, eight sections of 20,000 characters)
writes a few MB, but a case whose long report text was saved 600 times carries 69 MB of
history (the attacker's second review: 64 MB refused that genuine export). Exporting refuses
a case past it, so every export imports. Parsed, JSON takes up to ~10× its size in memory."""
MAX_JSON_CONTAINERS = 100_000
"""The most objects and arrays a JSON member (or line) may hold beyond one per 24 bytes:
``{},`` is 3 bytes and a 64-byte dict once parsed, so a 1 MB file could otherwise take
gigabytes (the attacker's finding); FireCase's rows take a hundred bytes and more each."""
CHUNK_BYTES = 8 * 1024**2
"""A backup's rows are handed on in chunks of at most ``CHUNK_ROWS`` rows and about this many
bytes of JSON: 90 lines of 16 MB each held 1.5 GB parsed (the attacker's finding), and a
thousand rows of photos' content would hold a gigabyte."""
MAX_JSON_LINE = 16 * 1024**2
"""The longest line of a JSON-lines member (one row of a backup's table)."""


def _check_json_size(data: bytes, what: str, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise DamagedFileError(
            f"文件中的{what}有 {len(data) / 1024**2:.0f} MB，超过 FireCase 写出的大小"
            f"（{max_bytes // 1024**2} MB），拒绝读取。"
        )
    if data.count(b"{") + data.count(b"[") > max(MAX_JSON_CONTAINERS, len(data) // 24):
        raise DamagedFileError(
            f"文件中的{what}含有异常多的数据结构，不是 FireCase 写出的数据，拒绝读取。"
        )


def loads(data: bytes, what: str, *, max_bytes: int = MAX_JSON_BYTES) -> Any:
    """Parse a JSON member; ``what`` names it in the Chinese error message. A member larger
    than ``max_bytes`` or holding more than ``MAX_JSON_CONTAINERS`` objects and arrays is
    refused before it is parsed (its memory would be many times its size)."""
    _check_json_size(data, what, max_bytes)
    try:
        return json.loads(data.decode("utf-8"))
    except ValueError as exc:  # bad UTF-8, bad JSON, an integer of more than 4,300 digits
        raise DamagedFileError(f"文件中的{what}已损坏，无法读取。") from exc
    except RecursionError as exc:  # nested far deeper than anything FireCase writes
        raise DamagedFileError(f"文件中的{what}嵌套层数异常，不是 FireCase 写出的数据。") from exc
    except MemoryError as exc:
        raise DamagedFileError(f"文件中的{what}过大，内存不足，无法读取。") from exc


# --------------------------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------------------------


def reflect(conn: Connection) -> MetaData:
    """The tables that are really in the database (whatever program version made them).

    Only rows are dumped; indexes come from the migrations on restore, so SQLAlchemy's notice
    that it cannot reflect the expression indexes of migration 0003 is expected and muted.
    """
    meta = MetaData()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        meta.reflect(conn)
    _money_as_yuan(meta)
    return meta


def _money_as_yuan(meta: MetaData) -> None:
    """Read and write the money columns as ``Decimal`` 元 whatever the backend stores.

    SQLite case files keep money as integer 分 in ``BIGINT`` columns (migration 0012), which
    reflect as plain integers: without the model's ``Money`` type a dump would carry 分 and a
    restore into PostgreSQL would store a hundred times the amount.
    """
    for model_table in Base.metadata.tables.values():
        table = meta.tables.get(model_table.name)
        if table is None:
            continue
        for column in model_table.columns:
            if isinstance(column.type, Money) and column.name in table.columns:
                reflected = table.columns[column.name]
                if isinstance(reflected.type, Integer):
                    reflected.type = Money()


def data_tables(meta: MetaData) -> list[Table]:
    """Every table except ``alembic_version``, parents before children."""
    return [t for t in meta.sorted_tables if t.name != "alembic_version"]


def table_rows(conn: Connection, table: Table) -> list[dict[str, Any]]:
    """All rows of ``table`` ordered by primary key, encoded for JSON."""
    order = list(table.primary_key.columns) or list(table.columns)
    result = conn.execute(select(table).order_by(*order)).mappings()
    return [encode_row(row) for row in result]


CHUNK_ROWS = 1000
"""Rows read per round trip when a table is streamed (``table_chunks``)."""

CONTENT_CHUNK_ROWS = 4
"""The same for a table holding content (attachments' 1 MiB pieces): a few MiB at a time."""


def chunk_rows(table: Table, rows: int | None = None) -> int:
    """How many rows of ``table`` one round trip reads: ``rows`` (``CHUNK_ROWS``), or at most
    ``CONTENT_CHUNK_ROWS`` for a table with a binary column."""
    rows = CHUNK_ROWS if rows is None else rows
    if any(isinstance(c.type, LargeBinary) for c in table.columns):
        return max(1, min(rows, CONTENT_CHUNK_ROWS))
    return max(1, rows)


def table_chunks(
    conn: Connection, table: Table, rows: int | None = None
) -> Iterator[list[dict[str, Any]]]:
    """The rows of ``table`` ordered by primary key (not encoded), ``chunk_rows`` at a time,
    through a server-side cursor on PostgreSQL: never the whole table in memory."""
    size = chunk_rows(table, rows)
    order = list(table.primary_key.columns) or list(table.columns)
    result = (
        conn.execution_options(stream_results=True, yield_per=size)
        .execute(select(table).order_by(*order))
        .mappings()
    )
    try:
        for part in result.partitions(size):
            yield [dict(row) for row in part]
    finally:
        result.close()


def current_revision(conn: Connection) -> str | None:
    """The Alembic revision stamped in the database (None when there is none)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def revision_known(revision: str) -> bool:
    """Whether this program ships the migration ``revision`` (False: made by a newer FireCase)."""
    from firecase.store.filecheck import revision_known as known

    return known(revision)


# --------------------------------------------------------------------------------------------
# the container
# --------------------------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MiB pieces."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for piece in iter(lambda: fh.read(1 << 20), b""):
            digest.update(piece)
    return digest.hexdigest()


def fsync_dir(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (POSIX: fsync the directory)."""
    if os.name == "nt":  # pragma: no cover - directories cannot be opened on Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class StreamedMember:
    """A member written piece by piece (an attachment's content), never whole in memory:
    its name, the SHA-256 and size it must have, and its pieces (read when written)."""

    name: str
    sha256: str
    size: int
    pieces: Callable[[], Iterable[bytes]]


def _write_streamed(zf: zipfile.ZipFile, member: StreamedMember) -> None:
    info = zipfile.ZipInfo(member.name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED  # photos are compressed already
    digest = hashlib.sha256()
    size = 0
    with zf.open(info, "w", force_zip64=member.size >= 1 << 31) as out:
        for piece in member.pieces():
            out.write(piece)
            digest.update(piece)
            size += len(piece)
    if size != member.size or digest.hexdigest() != member.sha256:
        raise DamagedFileError(f"“{member.name}”的内容与登记的校验值不符，已放弃写入。")


def write_container(
    dest: Path,
    manifest: Mapping[str, Any],
    members: Mapping[str, bytes],
    streamed: Sequence[StreamedMember] = (),
) -> None:
    """Write ``members``, the ``streamed`` ones piece by piece, and a manifest listing every
    member's hash to the zip ``dest`` atomically.

    The file is written beside ``dest`` as ``<name>.part``, flushed to disk and renamed, so a
    crash never leaves a half-written file under the final name; an error (a streamed member
    not matching its SHA-256 included) removes the ``.part``.
    """
    document = dict(manifest)
    listed = {name: {"sha256": sha256(data), "size": len(data)} for name, data in members.items()}
    for member in streamed:
        listed[member.name] = {"sha256": member.sha256, "size": member.size}
    document["members"] = listed
    with _atomic_zip(dest) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for member in streamed:
            _write_streamed(zf, member)
        zf.writestr(MANIFEST, dumps(document))


@contextlib.contextmanager
def _atomic_zip(dest: Path) -> Iterator[zipfile.ZipFile]:
    """A zip written as ``<dest>.part``, synced and renamed to ``dest`` when whole; removed
    (``DamagedFileError`` in Chinese for a disk error) when anything fails."""
    partial = dest.with_name(dest.name + ".part")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            yield zf
        with open(partial, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, dest)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise DamagedFileError(
            f"无法写入文件“{dest.name}”：{exc.strerror or exc}。请检查文件夹权限和磁盘空间。"
        ) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def row_line(row: Mapping[str, Any]) -> bytes:
    """One encoded row as a line of JSON (UTF-8, sorted keys, no spaces)."""
    text = json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8") + b"\n"


def write_container_streamed(
    dest: Path,
    members: Iterable[tuple[str, Iterable[bytes]]],
    manifest: Callable[[], Mapping[str, Any]],
) -> None:
    """Write each of ``members`` (name, pieces) as its pieces come, compressed and hashed on
    the way, then ``manifest()`` listing every member's hash, to the zip ``dest`` atomically
    (as ``write_container``): a member is never whole in memory."""
    with _atomic_zip(dest) as zf:
        listed: dict[str, dict[str, Any]] = {}
        for name, pieces in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            digest = hashlib.sha256()
            size = 0
            with zf.open(info, "w", force_zip64=True) as out:
                for piece in pieces:
                    out.write(piece)
                    digest.update(piece)
                    size += len(piece)
            listed[name] = {"sha256": digest.hexdigest(), "size": size}
        document = dict(manifest())
        document["members"] = listed
        zf.writestr(MANIFEST, dumps(document))


def read_rows_streamed(
    path: Path, name: str, sha256_hex: str, rows: int | None = None
) -> Iterator[list[dict[str, Any]]]:
    """The decoded rows of the JSON-lines member ``name`` of the container ``path``, ``rows``
    at a time, hashed as they are read: ``DamagedFileError`` once the member is read whole
    and does not match ``sha256_hex`` (the caller's transaction then rolls back)."""
    rows = CHUNK_ROWS if rows is None else rows
    digest = hashlib.sha256()
    chunk: list[dict[str, Any]] = []
    held = 0  # bytes of the lines in ``chunk``: a chunk is also cut at CHUNK_BYTES
    try:
        with zipfile.ZipFile(path) as zf, zf.open(name) as fh:
            while line := fh.readline(MAX_JSON_LINE + 1):
                digest.update(line)
                _check_json_size(line, f"“{path.name}”中“{name}”的一行", MAX_JSON_LINE)
                try:
                    chunk.append(decode_row(json.loads(line)))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    raise DamagedFileError(f"“{path.name}”中的“{name}”已损坏，无法读取。") from exc
                except RecursionError as exc:
                    raise DamagedFileError(
                        f"“{path.name}”中的“{name}”嵌套层数异常，不是 FireCase 写出的数据。"
                    ) from exc
                held += len(line)
                if len(chunk) >= rows or held >= CHUNK_BYTES:
                    yield chunk
                    chunk, held = [], 0
    except DamagedFileError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError) as exc:
        raise DamagedFileError(f"“{path.name}”中的“{name}”已损坏，无法读取。") from exc
    except OSError as exc:
        raise DamagedFileError(f"无法读取“{path.name}”：{exc.strerror or exc}") from exc
    if digest.hexdigest() != sha256_hex:
        raise DamagedFileError(
            f"“{path.name}”中的“{name}”与清单记录的校验值不符，文件已被改动或损坏，拒绝读取。"
        )
    if chunk:
        yield chunk


def read_container(
    path: Path, *, expected_format: str, label: str
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Read and verify a container; returns (manifest, members by name).

    Refuses (``DamagedFileError`` with a Chinese message naming ``label``, e.g. "导出文件") a
    file that is not a zip, lacks the manifest, has a member missing, added or changed, or is
    of another format.
    """
    manifest, members, _ = read_container_streamed(
        path, expected_format=expected_format, label=label
    )
    return manifest, members


def read_container_streamed(
    path: Path,
    *,
    expected_format: str,
    label: str,
    streamed_prefix: str | None = None,
    streamed_max: int = 0,
) -> tuple[dict[str, Any], dict[str, bytes], dict[str, int]]:
    """``read_container``, leaving the members under ``streamed_prefix`` unread: returns
    (manifest, members read, sizes of the streamed members by name).

    A streamed member is checked from the zip's directory only (listed in the manifest with
    its size, at most ``streamed_max`` bytes, not packed suspiciously tightly); its content is
    checked against its SHA-256 when it is read (``read_streamed``). The 2 GiB bound applies to
    the members read here, not to the streamed ones.
    """
    if not path.is_file():
        raise DamagedFileError(f"找不到{label}：{path}")

    def is_streamed(name: str) -> bool:
        return streamed_prefix is not None and name.startswith(streamed_prefix)

    try:
        with zipfile.ZipFile(path) as zf:
            infos = {info.filename: info for info in zf.infolist()}
            if MANIFEST not in infos:
                raise DamagedFileError(
                    f"“{path.name}”缺少清单（manifest.json），不是完整的{label}。"
                )
            read_here = [i for i in infos.values() if not is_streamed(i.filename)]
            _check_directory(path, infos, read_here, is_streamed, streamed_max)
            if infos[MANIFEST].file_size > _MAX_MANIFEST:
                raise _odd_size(path, infos[MANIFEST])
            # the manifest first: nothing it does not list is ever unpacked
            manifest = loads(zf.read(MANIFEST), "清单", max_bytes=_MAX_MANIFEST)
            if not isinstance(manifest, dict) or manifest.get("format") != expected_format:
                raise DamagedFileError(f"“{path.name}”不是 FireCase {label}。")
            listed = manifest.get("members")
            if not isinstance(listed, dict) or not listed:
                raise DamagedFileError(f"“{path.name}”的清单不完整，拒绝读取。")
            present = set(infos) - {MANIFEST}
            missing = sorted(set(listed) - present)
            if missing:
                raise DamagedFileError(f"“{path.name}”缺少内容：{'、'.join(missing)}，拒绝读取。")
            extra = sorted(present - set(listed))
            if extra:
                raise DamagedFileError(
                    f"“{path.name}”中有清单未列出的内容：{'、'.join(extra)}，"
                    "文件可能被改动，拒绝读取。"
                )
            raw: dict[str, bytes] = {}
            sizes: dict[str, int] = {}
            for name, entry in listed.items():
                want = entry.get("sha256") if isinstance(entry, dict) else None
                if is_streamed(name):
                    if not isinstance(want, str) or entry.get("size") != infos[name].file_size:
                        raise DamagedFileError(
                            f"“{path.name}”中“{name}”的大小与清单不符，文件已被改动或损坏，"
                            "拒绝读取。"
                        )
                    sizes[name] = infos[name].file_size
                    continue
                content = zf.read(name)  # one at a time, each checked before the next
                if want != sha256(content):
                    raise DamagedFileError(
                        f"“{path.name}”中的“{name}”与清单记录的校验值不符，文件已被改动或损坏，"
                        "拒绝读取。"
                    )
                raw[name] = content
    except DamagedFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError) as exc:
        raise DamagedFileError(
            f"“{path.name}”已损坏或被改动（{label}无法解压或校验失败），拒绝读取。"
        ) from exc
    except OSError as exc:
        raise DamagedFileError(f"无法读取“{path.name}”：{exc.strerror or exc}") from exc
    return manifest, raw, sizes


def _odd_size(path: Path, info: zipfile.ZipInfo) -> DamagedFileError:
    return DamagedFileError(
        f"“{path.name}”中的内容解压后大小异常（{info.file_size / 1024**2:.0f} MB，压缩后仅 "
        f"{info.compress_size / 1024**2:.1f} MB），文件可能已损坏或是恶意文件，拒绝读取。"
    )


def _check_directory(
    path: Path,
    infos: Mapping[str, zipfile.ZipInfo],
    read_here: list[zipfile.ZipInfo],
    is_streamed: Callable[[str], bool],
    streamed_max: int,
) -> None:
    """Refuse, from the zip's directory alone, what no FireCase file holds: a member or all
    members together unpacking to absurd sizes or packed far tighter than any of ours."""
    for info in infos.values():
        bomb = info.file_size > _RATIO_FROM and info.file_size > _MAX_RATIO * max(
            info.compress_size, 1
        )
        if is_streamed(info.filename):
            if info.file_size > streamed_max or bomb:
                raise DamagedFileError(
                    f"“{path.name}”中的附件“{info.filename}”有 "
                    f"{info.file_size / 1024**2:.0f} MB，超过每个附件 "
                    f"{streamed_max // 1024**2} MB 的上限，或压缩比异常，拒绝读取。"
                )
        elif info.file_size > _MAX_MEMBER or bomb:
            raise _odd_size(path, info)
    total = sum(i.file_size for i in read_here)
    packed = sum(i.compress_size for i in read_here)
    if total > MAX_TOTAL or (
        total > _TOTAL_RATIO_FROM and total > _MAX_TOTAL_RATIO * max(packed, 1)
    ):
        raise DamagedFileError(
            f"“{path.name}”的内容解压后共 {total / 1024**2:.0f} MB，压缩后仅 "
            f"{packed / 1024**2:.1f} MB，大小或压缩比异常，文件可能已损坏或是恶意文件，拒绝读取。"
        )


def read_streamed(zf: zipfile.ZipFile, name: str, source: str) -> Iterator[bytes]:
    """The pieces of the member ``name`` of an open container (checked against its CRC by
    zipfile and, by the caller, against its SHA-256)."""
    try:
        with zf.open(name) as fh:
            yield from blobs.pieces_of(fh)
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError) as exc:
        raise DamagedFileError(f"“{source}”中的“{name}”已损坏，无法读取，拒绝导入。") from exc


def check_format_version(manifest: Mapping[str, Any], supported: int, name: str) -> None:
    """Refuse a container written in a newer format than this program reads."""
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise DamagedFileError(f"“{name}”的格式版本无法识别。")
    if version > supported:
        raise DamagedFileError(f"“{name}”由更新版本的 FireCase 生成，请升级 FireCase 后再导入。")


def tables_document(tables: Iterable[tuple[str, list[dict[str, Any]]]]) -> dict[str, Any]:
    """``{"tables": [{"name": ..., "rows": [...]}, ...]}`` keeping the given order."""
    return {"tables": [{"name": name, "rows": rows} for name, rows in tables]}


def read_tables_document(document: Any, what: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """The (table name, decoded rows) pairs of a ``tables_document``, in file order."""
    if not isinstance(document, dict) or not isinstance(document.get("tables"), list):
        raise DamagedFileError(f"{what}格式不正确。")
    out: list[tuple[str, list[dict[str, Any]]]] = []
    for entry in document["tables"]:
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("name"), str)
            or not isinstance(entry.get("rows"), list)
        ):
            raise DamagedFileError(f"{what}格式不正确。")
        out.append((entry["name"], [decode_row(r) for r in entry["rows"]]))
    return out
