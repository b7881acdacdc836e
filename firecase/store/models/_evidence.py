"""Persons, evidence, custody, attachments and their content, appraisals, extensions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false as sa_false,
)
from sqlalchemy.orm import Mapped, mapped_column

from firecase.store.models._base import (
    Base,
    Versioned,
    _case_fk,
)


class Person(Versioned, Base):
    """The register of persons: one 死者, 伤者 (重伤/轻伤) or 证人 with what identifies them.

    The public version masks their names and numbers (《政府信息公开条例》第十五条); the
    investigation report lists the casualties (第十八条第三项)."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    role: Mapped[str] = mapped_column(String(8))  # 死者 | 重伤 | 轻伤 | 证人
    name: Mapped[str] = mapped_column(String(100))
    sex: Mapped[str] = mapped_column(String(4), default="")
    age: Mapped[int | None] = mapped_column(Integer, nullable=True)
    id_no: Mapped[str] = mapped_column(String(32), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class EvidenceItem(Versioned, Base):
    """An item of evidence (attached to the report's evidence list, 第十八条)."""

    __tablename__ = "evidence_items"
    __table_args__ = (UniqueConstraint("case_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")
    collected_on: Mapped[dt.date] = mapped_column(Date)
    collected_by: Mapped[str] = mapped_column(String(100))
    location: Mapped[str] = mapped_column(String(200), default="")


class CustodyEvent(Base):
    """One link of an evidence item's chain of custody."""

    __tablename__ = "custody_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_items.id", ondelete="CASCADE"), index=True
    )
    on: Mapped[dt.date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(String(32))
    from_holder: Mapped[str] = mapped_column(String(100), default="")
    to_holder: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class AttachmentBlob(Base):
    """The content of attached files, once per SHA-256 however often it is attached
    (migration 0017). Its bytes are in ``attachment_chunks``, read only when the file itself
    is wanted, never with a case. Immutable: written once, removed when no attachment
    refers to it any more (``store.blobs.prune``). Not audited: the audited ``attachments``
    row names the content by its SHA-256, which ``firecase verify`` recomputes."""

    __tablename__ = "attachment_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)


class AttachmentChunk(Base):
    """One piece (at most ``store.blobs.CHUNK_BYTES``) of an attachment's content, in order."""

    __tablename__ = "attachment_chunks"

    sha256: Mapped[str] = mapped_column(
        ForeignKey("attachment_blobs.sha256", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


CONTENT_TABLES = frozenset({AttachmentBlob.__tablename__, AttachmentChunk.__tablename__})
"""Where attachments' bytes live, apart from the rows that describe them: not audited row by
row (their SHA-256 is), not part of a case's rows in an export (carried as files)."""


class Attachment(Base):
    """A file attached to a case (or one of its evidence items): its name, type, size and
    SHA-256. The bytes are in ``attachment_blobs``/``attachment_chunks`` under that SHA-256."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence_items.id", ondelete="CASCADE"), nullable=True, index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(
        ForeignKey("attachment_blobs.sha256", ondelete="RESTRICT"), index=True
    )
    added_on: Mapped[dt.date] = mapped_column(Date)
    added_by: Mapped[str] = mapped_column(String(64))


class Appraisal(Versioned, Base):
    """A 检验 or 鉴定 commission; its time is excluded from the investigation period (第十七条)."""

    __tablename__ = "appraisals"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    kind: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(300))
    agency: Mapped[str] = mapped_column(String(200))
    evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence_items.id", ondelete="SET NULL"), nullable=True, index=True
    )
    commissioned_on: Mapped[dt.date] = mapped_column(Date)
    opinion_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    opinion: Mapped[str] = mapped_column(Text, default="")


class Extension(Versioned, Base):
    """An extension of the investigation period (第十七条: ≤60 days in all)."""

    __tablename__ = "extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    days: Mapped[int] = mapped_column(Integer)
    requested_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    approved_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    approved_by: Mapped[str] = mapped_column(String(200), default="")
    approval_ref: Mapped[str] = mapped_column(String(100), default="")
    # approved after the period ran out: counted only once an officer confirms (第十七条)
    approved_late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    late_confirmed_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    late_confirmed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
