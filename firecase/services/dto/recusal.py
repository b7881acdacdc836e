"""Recusal applications, their decisions and the screening flags (第十五条)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class RecusalApplicationInput:
    """A recusal application (第十五条)."""

    member_id: int
    applicant: str
    applicant_kind: str  # APPLICANT_KINDS
    ground: int  # 1, 2 or 3 (第十五条第一款（一）至（三）)
    reason: str
    applied_on: dt.date
    party_id: int | None = None


@dataclass(frozen=True)
class RecusalDecisionInput:
    """The decision on a recusal application (第十五条).

    On a member's application the decider is the team leader, picked by ``decided_by_member_id``
    (``decided_by`` is then set to the leader's name). On the team leader's own application the
    government decides: ``decided_by_member_id`` is None and ``decided_by`` names it
    ("天门市人民政府").
    """

    decision: str  # RECUSAL_DECISIONS
    decided_on: dt.date
    decided_by: str
    reason: str
    decided_by_member_id: int | None = None


@dataclass(frozen=True)
class RecusalFlagView:
    """A possible recusal conflict found by screening (第十五条)."""

    member_id: int
    member_name: str
    party_name: str
    ground: str
    reason: str
    near: bool = False  # names only similar: the officer checks whether it is the same person


@dataclass(frozen=True)
class RecusalView:
    """A recusal application and its decision (``decision`` empty while pending)."""

    id: int
    member_id: int
    member_name: str
    party_id: int | None
    applicant: str
    applicant_kind: str
    ground: int
    reason: str
    applied_on: dt.date
    decision: str
    decided_on: dt.date | None
    decided_by: str
    decision_reason: str
    version: int
    deciding_body: str = ""  # LEADER_BODY or GOVERNMENT_BODY once decided
    decided_by_member_id: int | None = None  # the leader who decided; None for 人民政府
