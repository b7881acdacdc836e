"""Findings, causes, the report, recommendations, handling, publication and review."""

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


class Finding(Versioned, Base):
    """A responsibility finding in one of the four areas of 第十六条."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    area: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(200))
    party_id: Mapped[int | None] = mapped_column(
        ForeignKey("parties.id", ondelete="SET NULL"), nullable=True, index=True
    )
    text: Mapped[str] = mapped_column(Text)


class Cause(Versioned, Base):
    """A direct or indirect cause of the fire (第七条第一项)."""

    __tablename__ = "causes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    kind: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)


class Dissent(Versioned, Base):
    """A dissenting opinion of a team member, by name and date."""

    __tablename__ = "dissents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    member_id: Mapped[int] = mapped_column(
        ForeignKey("team_members.id", ondelete="CASCADE"), index=True
    )
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)


class ReportSection(Versioned, Base):
    """One of the eight sections of the investigation report (第十八条)."""

    __tablename__ = "report_sections"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    number: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text, default="")
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)


class Recommendation(Versioned, Base):
    """A handling recommendation for a responsible person or unit (第七条第四项, 第二十条)."""

    __tablename__ = "recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    target_kind: Mapped[str] = mapped_column(String(8))
    target_name: Mapped[str] = mapped_column(String(200))
    party_id: Mapped[int | None] = mapped_column(
        ForeignKey("parties.id", ondelete="SET NULL"), nullable=True, index=True
    )
    area: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    basis: Mapped[str] = mapped_column(Text)
    authority: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    feedback: Mapped[str] = mapped_column(Text, default="")
    feedback_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    filed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    transferred_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    transferred_to: Mapped[str] = mapped_column(String(200), default="")
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)


class HandlingTask(Versioned, Base):
    """What one department must handle after the 批复, within 30 days (第二十条)."""

    __tablename__ = "handling_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    department: Mapped[str] = mapped_column(String(200))
    task: Mapped[str] = mapped_column(Text)
    reported_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    filed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    result: Mapped[str] = mapped_column(Text, default="")
    # "recommendation": created on the 批复 for an acting authority (第二十条); "": by hand
    source: Mapped[str] = mapped_column(String(16), default="", server_default="")
    removed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    removed_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    removed_reason: Mapped[str] = mapped_column(Text, default="", server_default="")


class Publication(Versioned, Base):
    """The public release of the handling (第二十一条); redacted fields live in ``redactions``."""

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    published_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    channel: Mapped[str] = mapped_column(String(200), default="")
    published_by: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class Redaction(Base):
    """A field marked confidential: it never appears in the public version."""

    __tablename__ = "redactions"
    __table_args__ = (UniqueConstraint("case_id", "field_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    field_key: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    decided_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class DisclosureKeep(Base):
    """Personal data found in the public version that an officer decided to publish anyway.

    Found items are masked by default; a keep needs a reason and names who decided."""

    __tablename__ = "disclosure_keeps"
    __table_args__ = (UniqueConstraint("case_id", "kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    kind: Mapped[str] = mapped_column(String(16))  # personal_data.Hit.kind
    value: Mapped[str] = mapped_column(String(200))  # as written in the text
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_on: Mapped[dt.date] = mapped_column(Date)


class PublicReview(Base):
    """A 公开前审查 approved: the public version with this ``fingerprint`` may be released."""

    __tablename__ = "public_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    report: Mapped[str] = mapped_column(String(16))  # "investigation" | "evaluation"
    reviewed_on: Mapped[dt.date] = mapped_column(Date)
    reviewed_by: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of the approved content
    withheld: Mapped[int] = mapped_column(Integer, default=0)
    masked: Mapped[int] = mapped_column(Integer, default=0)
    kept: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")


class PublicRelease(Base):
    """One publication of a public version (第二十一条): when, where, approved by whom, and
    the hash of the very file released."""

    __tablename__ = "public_releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    report: Mapped[str] = mapped_column(String(16))  # "investigation" | "evaluation"
    published_on: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(200))
    approved_by: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(8))  # "pdf" | "docx"
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("public_reviews.id", ondelete="SET NULL"), nullable=True, index=True
    )
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
