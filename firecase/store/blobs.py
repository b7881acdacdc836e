"""Attachments' bytes, apart from the rows that describe them, in pieces.

An attached file's content is stored once per SHA-256 (``attachment_blobs``) as pieces of at
most ``CHUNK_BYTES`` (``attachment_chunks``), written and read one piece at a time: opening a
case never reads them, adding a 50 MB photo holds one piece in memory, saving it to disk or
into an export streams it back. The same photo attached twice (to two evidence items, or
imported again) is stored once. Content is immutable; ``prune`` removes what no attachment
refers to any more.

Everything here works on a ``Connection`` inside the caller's transaction, so a file written
with its attachment row is all or nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, cast

from sqlalchemy import Connection, Table, delete, exists, func, insert, select
from sqlalchemy.exc import IntegrityError

from firecase.errors import CaseFileError, ValidationError
from firecase.store.models import Attachment, AttachmentBlob, AttachmentChunk, RecycleContent

CHUNK_BYTES = 1 << 20
"""The size of one stored piece (1 MiB): what a read or a write holds in memory at a time."""

_BLOBS = cast(Table, AttachmentBlob.__table__)
_CHUNKS = cast(Table, AttachmentChunk.__table__)
_ATTACHMENTS = cast(Table, Attachment.__table__)
_KEPT = cast(Table, RecycleContent.__table__)  # content a 回收站 entry needs

# keys per DELETE … IN (…) of ``prune`` (well under SQLite's bound parameters)
_PRUNE_BATCH = 500

__all__ = [
    "CHUNK_BYTES",
    "StoredContent",
    "content_problems",
    "has_content",
    "pieces_of",
    "prune",
    "put_stream",
    "read_pieces",
    "sha256_of",
]


@dataclass(frozen=True)
class StoredContent:
    """Content written (or found already stored): its SHA-256, size, and whether it was new."""

    sha256: str
    size: int
    new: bool


def pieces_of(fh: IO[bytes], size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """The pieces of an open file, ``size`` bytes at a time."""
    return iter(lambda: fh.read(size), b"")


def _rechunk(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """Pieces of exactly ``CHUNK_BYTES`` (the last shorter) from pieces of any size."""
    buffer = bytearray()
    for piece in pieces:
        buffer += piece
        while len(buffer) >= CHUNK_BYTES:
            yield bytes(buffer[:CHUNK_BYTES])
            del buffer[:CHUNK_BYTES]
    if buffer:
        yield bytes(buffer)


def has_content(conn: Connection, sha256: str) -> bool:
    """Whether content with this SHA-256 is stored (its description; an automatic backup's
    copy lacks the pieces, see ``services.backup_content``)."""
    return (
        conn.execute(select(_BLOBS.c.sha256).where(_BLOBS.c.sha256 == sha256)).first() is not None
    )


def put_stream(
    conn: Connection,
    sha256: str,
    pieces: Iterable[bytes],
    *,
    max_bytes: int,
    too_large: str = "附件超过上限。",
) -> StoredContent:
    """Store the content read from ``pieces`` (any sizes) under its SHA-256 ``sha256``.

    Content already stored under ``sha256`` is not read at all (the same photo again).
    Otherwise each piece is written as it comes; more than ``max_bytes`` raises
    ``ValidationError`` (``too_large``) as soon as the limit is passed, an empty file too,
    and content whose SHA-256 turns out not to be ``sha256`` (a file changed while it was read,
    a forged export) raises ``ValidationError``: the caller's transaction is then to be rolled
    back, which removes what was written.
    """
    if has_content(conn, sha256) or not _claim(conn, sha256):
        return StoredContent(sha256, _stored_size(conn, sha256), False)
    digest = hashlib.sha256()
    size = 0
    for seq, piece in enumerate(_rechunk(pieces)):
        size += len(piece)
        if size > max_bytes:
            raise ValidationError(too_large, field="content")
        digest.update(piece)
        conn.execute(insert(_CHUNKS).values(sha256=sha256, seq=seq, data=piece))
    if size == 0:
        raise ValidationError("附件是空文件。", field="content")
    if digest.hexdigest() != sha256:
        raise ValidationError(
            f"附件内容与其校验值不符（应为 {sha256[:16]}…，实际为 {digest.hexdigest()[:16]}…），"
            "文件可能在读取时被改动或已损坏。",
            field="content",
        )
    conn.execute(_BLOBS.update().where(_BLOBS.c.sha256 == sha256).values(size=size))
    return StoredContent(sha256, size, True)


def _claim(conn: Connection, sha256: str) -> bool:
    """Insert the content's row unless another transaction did (that one is waited for on a
    server, and its content used): whether this transaction is to write the pieces."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement = pg_insert(_BLOBS).values(sha256=sha256, size=0).on_conflict_do_nothing()
        return bool(conn.execute(statement).rowcount)
    conn.execute(insert(_BLOBS).values(sha256=sha256, size=0))  # one writer at a time
    return True


def sha256_of(pieces: Iterable[bytes], *, max_bytes: int, too_large: str) -> tuple[str, int]:
    """(SHA-256, size) of content read piece by piece, refusing more than ``max_bytes``."""
    digest = hashlib.sha256()
    size = 0
    for piece in pieces:
        size += len(piece)
        if size > max_bytes:
            raise ValidationError(too_large, field="content")
        digest.update(piece)
    return digest.hexdigest(), size


def _stored_size(conn: Connection, sha256: str) -> int:
    return int(conn.execute(select(_BLOBS.c.size).where(_BLOBS.c.sha256 == sha256)).scalar_one())


def read_pieces(conn: Connection, sha256: str, *, label: str = "附件") -> Iterator[bytes]:
    """The stored pieces of content ``sha256``, one query each (bounded memory), checked: a
    piece missing, the size or the SHA-256 not as recorded raise ``CaseFileError`` (after the
    last piece, so a caller writing a file must keep it provisional until the end)."""
    row = conn.execute(select(_BLOBS.c.size).where(_BLOBS.c.sha256 == sha256)).first()
    if row is None:
        raise CaseFileError(f"{label}的内容不在本案卷文件中（校验值 {sha256[:16]}…）。")
    expected = int(row[0])
    count = conn.execute(
        select(func.count()).select_from(_CHUNKS).where(_CHUNKS.c.sha256 == sha256)
    ).scalar_one()
    if count == 0:
        raise CaseFileError(
            f"{label}的内容不在本文件中（校验值 {sha256[:16]}…）。这可能是一份自动备份："
            "自动备份的附件保存在备份文件夹的“附件库”中，请用“恢复备份”打开它。"
        )
    digest = hashlib.sha256()
    size = 0
    for seq in range(int(count)):
        data = conn.execute(
            select(_CHUNKS.c.data).where(_CHUNKS.c.sha256 == sha256, _CHUNKS.c.seq == seq)
        ).scalar()
        if data is None:
            raise CaseFileError(f"{label}的内容缺少第 {seq + 1} 段，文件可能已损坏。")
        piece = bytes(data)
        digest.update(piece)
        size += len(piece)
        yield piece
    if size != expected or digest.hexdigest() != sha256:
        raise CaseFileError(f"{label}的内容与登记的 SHA-256 不符，文件可能已损坏。")


def content_problems(conn: Connection, sha256: str) -> str | None:
    """What is wrong with stored content ``sha256`` (read piece by piece), or None."""
    try:
        for _ in read_pieces(conn, sha256):
            pass
    except CaseFileError as exc:
        return exc.message
    return None


def prune(conn: Connection, among: Iterable[str] | None = None) -> int:
    """Remove content no attachment and no 回收站 entry refers to (after a bin was emptied or
    a case removed); returns how many. ``among``: the SHA-256 of the attachments just removed, the
    only content that can have become unreferenced, looked up by key (a delete then costs the
    same in an archive of a million photos as in an empty one); None looks at all content.
    A concurrent transaction that just attached the same content keeps it (the foreign key
    refuses; the content is then kept)."""
    orphan = ~exists().where(_ATTACHMENTS.c.sha256 == _BLOBS.c.sha256) & ~exists().where(
        _KEPT.c.sha256 == _BLOBS.c.sha256
    )
    if among is None:
        statements = [delete(_BLOBS).where(orphan)]
    else:
        keys = sorted(set(among))
        statements = [
            delete(_BLOBS).where(_BLOBS.c.sha256.in_(keys[i : i + _PRUNE_BATCH]), orphan)
            for i in range(0, len(keys), _PRUNE_BATCH)
        ]
    removed = 0
    try:
        with conn.begin_nested():
            for statement in statements:
                removed += int(conn.execute(statement).rowcount or 0)
    except IntegrityError:
        return 0
    return removed
