"""Parties, the investigation team and its sub-groups, recusal."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
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
    # no action on delete (migration 0023): the database refuses to delete a member still
    # leading, in or deciding for a leader's table (sub-groups, decided recusals), where a
    # cascade would change those rows past their GRANTs and row-level security
    leader_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_members.id"), nullable=True, index=True
    )
    duties: Mapped[str] = mapped_column(Text, default="")


class SubGroupMember(Base):
    """Membership of a team member in a sub-group."""

    __tablename__ = "subgroup_members"

    subgroup_id: Mapped[int] = mapped_column(
        ForeignKey("subgroups.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("team_members.id"), primary_key=True, index=True
    )


class RecusalApplication(Versioned, Base):
    """A recusal application and the leader's (or government's) decision (第十五条)."""

    __tablename__ = "recusal_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = _case_fk()
    member_id: Mapped[int] = mapped_column(ForeignKey("team_members.id"), index=True)
    party_id: Mapped[int | None] = mapped_column(
        ForeignKey("parties.id"), nullable=True, index=True
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
        ForeignKey("team_members.id"), nullable=True, index=True
    )
