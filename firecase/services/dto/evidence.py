"""Evidence, custody, attachments and appraisals."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class EvidenceInput:
    """An evidence item."""

    code: str
    name: str
    kind: str  # EVIDENCE_KINDS
    collected_on: dt.date
    collected_by: str
    description: str = ""
    location: str = ""


@dataclass(frozen=True)
class CustodyInput:
    """A chain-of-custody event."""

    on: dt.date
    action: str  # CUSTODY_ACTIONS
    from_holder: str = ""
    to_holder: str = ""
    note: str = ""


@dataclass(frozen=True)
class AttachmentInput:
    """A file to store in the case file: its bytes in ``content``, or (``content`` None) the
    file at ``source``, read piece by piece and never whole."""

    filename: str
    content: bytes | None
    added_on: dt.date
    media_type: str = "application/octet-stream"
    evidence_id: int | None = None
    source: str | os.PathLike[str] | None = None


@dataclass(frozen=True)
class AppraisalInput:
    """A 检验/鉴定 commission."""

    kind: str  # APPRAISAL_KINDS
    subject: str
    agency: str
    commissioned_on: dt.date
    evidence_id: int | None = None
    opinion_on: dt.date | None = None
    opinion: str = ""


@dataclass(frozen=True)
class CustodyView:
    """A chain-of-custody event."""

    id: int
    on: dt.date
    action: str
    from_holder: str
    to_holder: str
    note: str


@dataclass(frozen=True)
class AttachmentView:
    """An attachment's metadata (fetch content with ``get_attachment_content``)."""

    id: int
    evidence_id: int | None
    filename: str
    media_type: str
    size: int
    sha256: str
    added_on: dt.date
    added_by: str


@dataclass(frozen=True)
class EvidenceView:
    """An evidence item with its custody chain and attachments."""

    id: int
    code: str
    name: str
    kind: str
    description: str
    collected_on: dt.date
    collected_by: str
    location: str
    custody: tuple[CustodyView, ...]
    attachments: tuple[AttachmentView, ...]
    version: int


@dataclass(frozen=True)
class AppraisalView:
    """A 检验/鉴定 commission; open while ``opinion_on`` is None (the clock is paused)."""

    id: int
    kind: str
    subject: str
    agency: str
    evidence_id: int | None
    commissioned_on: dt.date
    opinion_on: dt.date | None
    opinion: str
    version: int
