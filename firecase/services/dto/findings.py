"""The investigation report: findings, causes, dissents and report sections."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class FindingInput:
    """A responsibility finding (第十六条)."""

    area: str  # RESPONSIBILITY_AREAS
    subject: str
    text: str
    party_id: int | None = None


@dataclass(frozen=True)
class CauseInput:
    """A direct or indirect cause."""

    kind: str  # CAUSE_KINDS
    text: str


@dataclass(frozen=True)
class DissentInput:
    """A member's dissenting opinion."""

    member_id: int
    recorded_on: dt.date
    text: str


@dataclass(frozen=True)
class FindingView:
    """A responsibility finding."""

    id: int
    area: str
    subject: str
    text: str
    party_id: int | None
    version: int


@dataclass(frozen=True)
class CauseView:
    """A direct or indirect cause."""

    id: int
    kind: str
    text: str
    version: int


@dataclass(frozen=True)
class DissentView:
    """A dissenting opinion by name and date."""

    id: int
    member_id: int
    member_name: str
    recorded_on: dt.date
    text: str
    version: int


@dataclass(frozen=True)
class ReportSectionView:
    """One of the eight report sections (``id`` None and ``version`` 0 until first saved)."""

    id: int | None
    number: int
    title: str
    body: str
    confidential: bool
    version: int
