"""The calendar, users, settings, documents, the recycle bin and the audit trail."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from firecase.store.models._base import (
    Base,
    Versioned,
    _case_fk,
)
from firecase.store.models._case import DERIVED_TABLES
from firecase.store.models._evidence import CONTENT_TABLES


class CalendarYear(Base):
    """A year the working-day calendar covers, and where its rows came from."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(16))  # "bundled" | "user"


class CalendarDay(Base):
    """A statutory holiday or a make-up working day (调休)."""

    __tablename__ = "calendar_days"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # "holiday" | "workday"
    name: Mapped[str] = mapped_column(String(50), default="")
    source: Mapped[str] = mapped_column(String(16))  # "bundled" | "user"


class User(Versioned, Base):
    """A user of the case file (team mode, migration 0004) and the role that limits what they do.

    ``login`` is what ``CaseFile.user`` holds and what every audit row names. While the table is
    empty the case file is in single-user mode: whoever opens it may do everything.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))  # services.dto.UserRole value
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_on: Mapped[dt.date] = mapped_column(Date)


class Setting(Base):
    """One setting of the case file (key → text value)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ReportOutput(Base):
    """A file FireCase wrote from a case (migration 0014): a report printed or exported, a
    public version published, a case exported — who, when, which file and its SHA-256, and the
    audit chain's head the file carries. A record of a read, so the trail shows it."""

    __tablename__ = "report_outputs"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), nullable=True, index=True
    )
    case_no: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    written_by: Mapped[str] = mapped_column(String(64))
    written_at: Mapped[str] = mapped_column(String(40))
    anchor_seq: Mapped[int] = mapped_column(Integer)
    anchor_hash: Mapped[str] = mapped_column(String(64))


class CaseDocument(Base):
    """A document of the procedure issued from a case (migration 0018): 成立调查组通知,
    回避申请书/决定书, 延期请示, 检验鉴定委托书, 报送函, 备案表, 限期整改通知书 — its
    kind, the record it is about, its number (文号) with the year and serial counted for
    it, its date, the file written (name, format, SHA-256, size), who issued it, the audit
    chain's head the file carries, and the wording as printed (JSON of
    ``reports.official.OfficialText``). Rows are only added: an issued document stays on
    record."""

    __tablename__ = "case_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(255), default="")
    number: Mapped[str] = mapped_column(String(64), default="")
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int | None] = mapped_column(Integer, nullable=True)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(255))
    file_name: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(8))  # "pdf" | "docx"
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    issued_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[str] = mapped_column(String(40))
    anchor: Mapped[str] = mapped_column(String(80), default="")
    content: Mapped[str] = mapped_column(Text, default="")


class GuardReason(Base):
    """The reason an officer gave for going on where the measures' sequence was not followed
    (migration 0019, ``services.guards``): the report submitted while a 检验/鉴定 was still open
    (第十七条第二款), a 批复 recorded before the report's receipt (第十九条), a record of a
    replied or closed case changed (第十九条). ``question`` is what FireCase said, ``reason``
    what the officer answered; ``entity``/``entity_id`` the record written. Rows are only
    added, through the unit of work, so the audit trail shows each with the change."""

    __tablename__ = "guard_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    guard: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(64), default="")
    entity_id: Mapped[str] = mapped_column(String(64), default="")
    question: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_on: Mapped[dt.date] = mapped_column(Date)


class RecycleEntry(Base):
    """A record removed from a case, kept in the case's 回收站 until it is restored or the bin is
    emptied (migration 0021, ``services.recycle``). ``payload`` holds, as JSON, every row the
    removal deleted (the record and what went with it: custody events, attachments, sub-group
    links) and every link it cleared, with their values as they were, so a restore puts them
    back. ``case_id`` has no foreign key on purpose: removing a whole case removes its entries
    after the case row (on PostgreSQL a leader may delete an entry only once its case is gone,
    an administrator always: row-level security). Restored entries stay, marked, until the
    bin is emptied."""

    __tablename__ = "recycle_bin"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(Integer, index=True)
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(32))
    summary: Mapped[str] = mapped_column(String(255), default="")
    removed_by: Mapped[str] = mapped_column(String(64))
    removed_at: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    restored_by: Mapped[str] = mapped_column(String(64), default="")
    restored_at: Mapped[str] = mapped_column(String(40), default="")


class RecycleContent(Base):
    """An attachment's content a 回收站 entry needs to restore it: kept from ``blobs.prune``
    until the entry is emptied (the foreign key refuses removing referenced content)."""

    __tablename__ = "recycle_contents"
    __table_args__ = (UniqueConstraint("entry_id", "sha256"),)

    # a key of its own: the audit trail names a row by its key, in at most 64 characters
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("recycle_bin.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(
        ForeignKey("attachment_blobs.sha256", ondelete="RESTRICT"), index=True
    )


class AuditEntry(Base):
    """One audited change: append-only, each row hash-chained to the one before."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(8))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The single row holding the chain's last sequence number and hash (serialises writers)."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


NOT_AUDITED_TABLES = (
    frozenset({AuditEntry.__tablename__, AuditHead.__tablename__, "alembic_version"})
    | DERIVED_TABLES
    | CONTENT_TABLES
)
"""Tables without audit rows of their own: the trail itself, the recomputed data, and the
attachments' content (the audited ``attachments`` row names it by its SHA-256). Neither the
PostgreSQL triggers (``store.pg_audit``) nor ``firecase verify``'s replay look at them."""
