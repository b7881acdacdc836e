"""The public version of the report (第十八条): redactions, review and release."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class PublicationInput:
    """The public release (第二十一条)."""

    published_on: dt.date | None = None
    channel: str = ""
    published_by: str = ""
    note: str = ""


@dataclass(frozen=True)
class RedactionView:
    """A field kept out of the public version."""

    id: int
    field_key: str
    reason: str
    decided_by: str = ""
    decided_on: dt.date | None = None


@dataclass(frozen=True)
class DisclosureKeepView:
    """Personal data found in the public text that an officer decided to publish, and why."""

    id: int
    kind: str
    value: str
    reason: str
    decided_by: str
    decided_on: dt.date


@dataclass(frozen=True)
class PublicReviewView:
    """An approved 公开前审查 of one public version."""

    id: int
    report: str  # "investigation" | "evaluation"
    reviewed_on: dt.date
    reviewed_by: str
    fingerprint: str
    withheld: int
    masked: int
    kept: int
    note: str


@dataclass(frozen=True)
class PublicReleaseView:
    """One publication of a public version (第二十一条)."""

    id: int
    report: str
    published_on: dt.date
    channel: str
    approved_by: str
    file_name: str
    file_format: str
    sha256: str
    size: int
    review_id: int | None
    recorded_by: str
    recorded_on: dt.date
    note: str


@dataclass(frozen=True)
class ReleaseInput:
    """What the officer records when a public version is published."""

    report: str  # "investigation" | "evaluation"
    published_on: dt.date | None
    channel: str
    approved_by: str  # 人民政府或其授权的消防救援机构 (第二十一条)
    note: str = ""


@dataclass(frozen=True)
class PublicationView:
    """The publication record (``id`` None when nothing is recorded yet)."""

    id: int | None
    published_on: dt.date | None
    channel: str
    published_by: str
    note: str
    redactions: tuple[RedactionView, ...]
    version: int
    keeps: tuple[DisclosureKeepView, ...] = ()
    reviews: tuple[PublicReviewView, ...] = ()
    releases: tuple[PublicReleaseView, ...] = ()
