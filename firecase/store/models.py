"""SQLAlchemy 2 models of one case file: every fact of every case, the calendar and settings.

Conventions:

* Money is ``Money`` (exact ``Decimal`` yuan at the Python side, never float): ``NUMERIC(18, 2)``
  on PostgreSQL, integer 分 (fen) on SQLite, whose NUMERIC is a float above 2^53 (migration
  0012 converted the stored amounts).
* Enumerations are stored as their Chinese label in a short ``String`` column (no database enum
  types, so migrations stay portable between SQLite and PostgreSQL).
* Records a user edits carry a ``version`` column used by SQLAlchemy as ``version_id_col``: a
  stale write raises ``StaleDataError``, which the unit of work turns into ``ConflictError``.
* Child rows of a case carry ``case_id`` with ``ON DELETE CASCADE``.
* The audit tables (``audit_log``, ``audit_head``) are written only by the unit of work.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false as sa_false,
    true as sa_true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeEngine

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MONEY_SCALE = Decimal("0.01")
MONEY_FEN_PER_YUAN = 100


class Money(TypeDecorator[Decimal]):
    """An exact amount in 元 with two decimals (分), stored exactly on every backend.

    PostgreSQL keeps ``NUMERIC(18, 2)``. SQLite has no exact decimal type: its NUMERIC stores
    a float (分 are lost beyond 15 significant digits, from about 10^13 元), so the amount is
    stored as an integer number of 分 (at most 18 digits, within SQLite's 64-bit integers).
    Python always sees
    ``Decimal`` yuan quantized to 分; a value with more decimals is rounded half-even.
    """

    impl = Numeric(18, 2, asdecimal=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(18, 2, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        amount = Decimal(value).quantize(MONEY_SCALE)
        if dialect.name == "sqlite":
            return int(amount.scaleb(2))
        return amount

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return money_from_fen(value)
        return Decimal(value).quantize(MONEY_SCALE)

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine[Any]:
        return self  # literals compared with a money column are amounts in 元 as well


def money_from_fen(value: Any) -> Decimal:
    """The ``Decimal`` yuan of an amount stored as integer 分."""
    fen = Decimal(value) if isinstance(value, int) else Decimal(str(value))
    return fen.scaleb(-2).quantize(MONEY_SCALE)


class Base(DeclarativeBase):
    """Declarative base with the project's constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Versioned:
    """Mixin: an optimistic-concurrency ``version`` column (starts at 1)."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


def _case_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True, nullable=False)


# --------------------------------------------------------------------------------------------
# The case and its incident facts
# --------------------------------------------------------------------------------------------


SEARCH_SEPARATOR = "\x1f"
"""Joins the fields of ``Case.search_text`` (a search needle never spans two fields)."""


def case_search_text(case_no: str, title: str, place: str, unit_name: str) -> str:
    """``Case.search_text``: the fields the case list searches, lower-cased, in one string."""
    return SEARCH_SEPARATOR.join((case_no, title, place, unit_name or "")).lower()


def search_grams(text: str) -> set[str]:
    """The distinct two-character pieces of ``text`` (``case_search_grams``), none spanning
    two fields: every substring of two or more characters contains one of them."""
    return {
        text[i : i + 2] for i in range(len(text) - 1) if SEARCH_SEPARATOR not in text[i : i + 2]
    }


class Case(Versioned, Base):
    """One fire accident investigation case, with the incident facts and report milestones."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("year", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_no: Mapped[str] = mapped_column(String(64), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(16), index=True)
    created_on: Mapped[dt.date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(64))
    # incident facts
    fire_date: Mapped[dt.date] = mapped_column(Date, index=True)
    fire_time: Mapped[str] = mapped_column(String(8), default="")
    place: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    unit_name: Mapped[str] = mapped_column(String(200), default="")
    fire_type: Mapped[str] = mapped_column(String(32))
    property_loss_yuan: Mapped[Decimal] = mapped_column(Money())
    economic_loss_yuan: Mapped[Decimal] = mapped_column(Money())
    households_affected: Mapped[int | None] = mapped_column(Integer, nullable=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    # 过火面积 in 平方米 (exact, never negative) and 事故性质 (migration 0010)
    burned_area_m2: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), nullable=True)
    nature: Mapped[str] = mapped_column(String(100), default="", server_default="")
    # the investigation report as the officer words it (migration 0010); "" = generated from
    # the case: the team that signs it (第四条、第六条), the title with the officer's line
    # breaks, the opening summary and the team-composition paragraph
    team_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    report_title: Mapped[str] = mapped_column(String(400), default="", server_default="")
    report_opening: Mapped[str] = mapped_column(Text, default="", server_default="")
    report_composition: Mapped[str] = mapped_column(Text, default="", server_default="")
    # current decisions (denormalised from the latest decision rows)
    grade: Mapped[str | None] = mapped_column(String(8), nullable=True, index=True)
    included: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    # the grade by the casualties of the first 7 days (第四条: who investigates); None: not yet
    # decided under migration 0009's rules
    jurisdiction_grade: Mapped[str | None] = mapped_column(String(8), nullable=True)
    # the 第五条 items that hold, "1,2" as in the latest inclusion decision (migration 0005)
    inclusion_clauses: Mapped[str] = mapped_column(String(32), default="", server_default="")
    # 提级调查 by a higher government (第四条第二款)
    taken_over_by: Mapped[str] = mapped_column(String(200), default="")
    taken_over_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # team set-up (第八条)
    team_formed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    team_authorised_fire_agency: Mapped[bool] = mapped_column(Boolean, default=False)
    # the founding document (migration 0019): its number (成立文件文号, "天政办函〔2026〕12号")
    # and the body that set the team up (组建机关, 第四条: the government or, authorised, the
    # fire-rescue agency); "" = not recorded (the notice derives the body from the case)
    team_document_no: Mapped[str] = mapped_column(String(64), default="", server_default="")
    team_formed_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # report milestones (第十七条, 第十九条, 第二十二条)
    report_submitted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    report_signed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    report_received_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    reply_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    reply_ref: Mapped[str] = mapped_column(String(100), default="")
    reply_summary: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # the next open clock, denormalised for the case list and clock board (migration 0002);
    # kept up to date by the services, recomputed when ``clocks_stale`` is set
    next_due_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    next_due_label: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # the next due date is 暂定: computed for a year the holiday calendar lacks
    next_due_provisional: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=sa_false()
    )
    clocks_stale: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_true())
    # a clock other than the grade-change window is not done yet (migration 0003): the clock
    # board computes clocks only for these cases (and those still inside the window)
    has_open_clocks: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # the case list's text search (migration 0006): case number, title, place and unit,
    # lower-cased and joined by ``case_search_text``; kept by ``_derive.refresh_derived``
    search_text: Mapped[str] = mapped_column(String(800), default="", server_default="", index=True)


Index("ix_cases_stage_next_due_on", Case.stage, Case.next_due_on)
Index("ix_cases_next_due_on", Case.next_due_on)
# migration 0003: the case list's due-date order exactly as list_cases sorts, stale lookup, flag
Index("ix_cases_due_order", Case.next_due_on.is_(None), Case.next_due_on, Case.id)
Index("ix_cases_stage_due_order", Case.stage, Case.next_due_on.is_(None), Case.next_due_on, Case.id)
Index("ix_cases_clocks_stale", Case.clocks_stale)
Index("ix_cases_has_open_clocks", Case.has_open_clocks)


class OpenClock(Base):
    """A clock of a case not yet done, as the clock board shows it (migration 0007).

    Derived data, like ``cases.next_due_on``: written by ``_derive.store_open_clocks`` whenever
    the services recompute a case's clocks (with Core statements, so never audited, and never
    exported with a case: the importing file computes its own), and read by the clock board in
    one indexed query instead of computing every case's clocks. The grade-change window is
    kept for every case (``closes_on``: the board shows it until that day, as it closes by
    itself); every other row is a clock whose completion is not recorded yet.
    """

    __tablename__ = "open_clocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    position: Mapped[int] = mapped_column(Integer)  # order among the case's clocks
    kind: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(300), default="")
    start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    computed: Mapped[bool] = mapped_column(Boolean, default=True)  # False: explanation says why
    explanation: Mapped[str] = mapped_column(Text, default="")
    basis: Mapped[str] = mapped_column(Text, default="")
    closes_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())


Index("ix_open_clocks_closes_on", OpenClock.closes_on)


class CaseSearchGram(Base):
    """The case list's text index (migration 0008): each two-character piece of a case's
    ``search_text`` (``search_grams``), so a search finds its candidate cases through the
    primary key instead of scanning every case (Chinese has no spaces to split words at).

    Derived data, like ``search_text``: kept by ``_derive.store_search_grams`` with Core
    statements (never audited, never exported). No foreign key on purpose: a cascade would
    need a second index over millions of rows; the services delete a case's pieces by key.
    """

    __tablename__ = "case_search_grams"
    __table_args__ = ({"sqlite_with_rowid": False},)

    gram: Mapped[str] = mapped_column(String(2), primary_key=True)
    case_id: Mapped[int] = mapped_column(Integer, primary_key=True)


DERIVED_TABLES = frozenset({OpenClock.__tablename__, CaseSearchGram.__tablename__})
"""Tables the services recompute from the others: not exported with a case, not audited."""

DERIVED_CASE_COLUMNS = frozenset(
    {
        "stage",
        "next_due_on",
        "next_due_label",
        "next_due_provisional",
        "has_open_clocks",
        "clocks_stale",
        "search_text",
    }
)
"""Columns of ``cases`` the services recompute (``_derive``), some written without the ORM:
not audited on PostgreSQL and not compared by ``firecase verify``."""


class CasualtyUpdate(Base):
    """A dated count of deaths and serious injuries (kept to prove escalation, 第四条)."""

    __tablename__ = "casualty_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    # the date the counts became true (date of death or injury); ``recorded_on`` is the day the
    # record was entered (never used to order the counts)
    as_of: Mapped[dt.date] = mapped_column(Date, nullable=True)
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    deaths: Mapped[int] = mapped_column(Integer)
    serious_injuries: Mapped[int] = mapped_column(Integer)
    minor_injuries: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(64))


class GradeDecisionRow(Base):
    """A fire-grade decision as computed by the rules at the time (history, newest last)."""

    __tablename__ = "grade_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    decided_on: Mapped[dt.date] = mapped_column(Date)
    grade: Mapped[str] = mapped_column(String(8))
    standard: Mapped[str] = mapped_column(String(200))
    explanation: Mapped[str] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(64))


class InclusionDecisionRow(Base):
    """Inclusion under 第五条, with who/when/why for the judgement clauses (三) and (四)."""

    __tablename__ = "inclusion_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    decided_on: Mapped[dt.date] = mapped_column(Date)
    included: Mapped[bool] = mapped_column(Boolean)
    clauses: Mapped[str] = mapped_column(String(32), default="")
    explanation: Mapped[str] = mapped_column(Text)
    social_impact: Mapped[bool] = mapped_column(Boolean, default=False)
    social_impact_by: Mapped[str] = mapped_column(String(100), default="")
    social_impact_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    social_impact_reason: Mapped[str] = mapped_column(Text, default="")
    deemed_necessary: Mapped[bool] = mapped_column(Boolean, default=False)
    deemed_by: Mapped[str] = mapped_column(String(100), default="")
    deemed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    deemed_reason: Mapped[str] = mapped_column(Text, default="")
    scope_note: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(64))


# --------------------------------------------------------------------------------------------
# Parties, team, recusal
# --------------------------------------------------------------------------------------------


class Party(Versioned, Base):
    """A person, unit or government department involved in the fire (当事人、被调查部门…)."""

    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    relatives: Mapped[str] = mapped_column(Text, default="")  # names, one per line
    contact: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class TeamMember(Versioned, Base):
    """A member of the investigation team (第六条, 第八条)."""

    __tablename__ = "team_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    name: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(100), default="")
    expertise: Mapped[str] = mapped_column(String(200), default="")
    relatives: Mapped[str] = mapped_column(Text, default="")  # declared relatives, one per line
    joined_on: Mapped[dt.date] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class SubGroup(Versioned, Base):
    """A sub-group (综合组/技术组/管理组/…), its designated leader and duties (第九至十二条)."""

    __tablename__ = "subgroups"
    __table_args__ = (UniqueConstraint("case_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    name: Mapped[str] = mapped_column(String(50))
    leader_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_members.id", ondelete="SET NULL"), nullable=True, index=True
    )
    duties: Mapped[str] = mapped_column(Text, default="")


class SubGroupMember(Base):
    """Membership of a team member in a sub-group."""

    __tablename__ = "subgroup_members"

    subgroup_id: Mapped[int] = mapped_column(
        ForeignKey("subgroups.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("team_members.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class RecusalApplication(Versioned, Base):
    """A recusal application and the leader's (or government's) decision (第十五条)."""

    __tablename__ = "recusal_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    member_id: Mapped[int] = mapped_column(
        ForeignKey("team_members.id", ondelete="CASCADE"), index=True
    )
    party_id: Mapped[int | None] = mapped_column(
        ForeignKey("parties.id", ondelete="SET NULL"), nullable=True, index=True
    )
    applicant: Mapped[str] = mapped_column(String(100))
    applicant_kind: Mapped[str] = mapped_column(String(16))
    ground: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    applied_on: Mapped[dt.date] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(String(8), default="")
    decided_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    decided_by: Mapped[str] = mapped_column(String(100), default="")
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    # who had the power to decide (migration 0004): "调查组组长", or "人民政府" for the team
    # leader's own recusal (第十五条); empty while pending
    deciding_body: Mapped[str] = mapped_column(String(16), default="", server_default="")
    decided_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_members.id", ondelete="SET NULL"), nullable=True, index=True
    )


# --------------------------------------------------------------------------------------------
# Evidence, appraisals, extensions
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Findings and the report
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Evaluation and rectification
# --------------------------------------------------------------------------------------------


class Evaluation(Versioned, Base):
    """The evaluation of a 较大 fire within one year of closure (第二十二条, 第二十三条)."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    lead: Mapped[str] = mapped_column(String(200))
    members: Mapped[str] = mapped_column(Text, default="")  # departments, one per line
    third_party: Mapped[str] = mapped_column(String(200), default="")
    started_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    finished_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    submitted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    conduct: Mapped[str] = mapped_column(Text, default="")
    opinion: Mapped[str] = mapped_column(Text, default="")


class EvaluationItem(Versioned, Base):
    """One item checked by the evaluation group: a person, a unit or a rectification measure."""

    __tablename__ = "evaluation_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(300))
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendations.id", ondelete="SET NULL"), nullable=True, index=True
    )
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("rectification_measures.id", ondelete="SET NULL"), nullable=True, index=True
    )
    result: Mapped[str] = mapped_column(String(8))
    evidence: Mapped[str] = mapped_column(Text, default="")
    checked_on: Mapped[dt.date] = mapped_column(Date)
    # the measure the evaluation set for what it found not (fully) done: the 限期整改 with its
    # new deadline (第二十四条, migration 0010)
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("rectification_measures.id", ondelete="SET NULL"), nullable=True, index=True
    )


class EvaluationItemRecommendation(Base):
    """A recommendation an evaluation item covers (migration 0010): one item may check the
    handling of several persons or units (e.g. two persons transferred together); the item's
    ``recommendation_id`` is the first of them."""

    __tablename__ = "evaluation_item_recommendations"
    __table_args__ = (UniqueConstraint("item_id", "recommendation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    item_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_items.id", ondelete="CASCADE"), index=True
    )
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)


class RectificationMeasure(Versioned, Base):
    """A prevention/rectification measure, optionally with a deadline (限期整改, 第二十四条)."""

    __tablename__ = "rectification_measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    text: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(200))
    set_on: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    done_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(8), default="未落实")


# --------------------------------------------------------------------------------------------
# Calendar, settings, audit
# --------------------------------------------------------------------------------------------


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
