"""Recommendations (第十三条) and the feedback on them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class RecommendationInput:
    """A handling recommendation."""

    target_kind: str  # TARGET_KINDS
    target_name: str
    area: str  # RESPONSIBILITY_AREAS
    kind: str  # RECOMMENDATION_KINDS
    basis: str
    authority: str
    text: str = ""
    party_id: int | None = None
    confidential: bool = False


@dataclass(frozen=True)
class FeedbackInput:
    """The acting authority's feedback, 备案 and judicial transfer of a recommendation."""

    feedback: str = ""
    feedback_on: dt.date | None = None
    filed_on: dt.date | None = None
    transferred_on: dt.date | None = None
    transferred_to: str = ""


@dataclass(frozen=True)
class RecommendationView:
    """A recommendation with the authority's feedback, 备案 and transfer."""

    id: int
    target_kind: str
    target_name: str
    party_id: int | None
    area: str
    kind: str
    basis: str
    authority: str
    text: str
    feedback: str
    feedback_on: dt.date | None
    filed_on: dt.date | None
    transferred_on: dt.date | None
    transferred_to: str
    confidential: bool
    version: int
