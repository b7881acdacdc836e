"""When a clock counts as 即将到期: the one rule constant the case list's first paint needs.

Kept apart from ``clocks`` so that showing the list does not import the clock rules (and their
calendar and decimal imports) before the main window has painted.
"""

from __future__ import annotations

DUE_SOON_DAYS = 7
"""A running clock due within this many days is 即将到期 (highlighted in the list and board)."""


NOT_APPLICABLE = "不适用"
"""The status of a clock the measures do not impose on a case (``jurisdiction.measures_duties``):
here so that the screens can name it without loading the rules."""
