"""Which casualties count, and as of when (火灾统计管理规定; 第四条).

Casualties are recorded as cumulative counts *as of* the date they became true (the date of
death or injury), separately from the date the record was entered: an officer often enters on
day 9 a death that occurred on day 5. Every count here is taken by the ``as_of`` dates, never
by the order of entry, so the same records entered in any order give the same result.

Records take effect in the order of (as_of, recorded_on): a record of the same day entered later
corrects an earlier one, downwards too. Only two records alike in both dates (two entries of the
same day on the same day) are taken in the order given (the services give them in the order they
were entered: the second is the correction); records that differ in either date give the same
result whatever order they come in.

A death counts as a death only within the standard's window after the fire (start day not
counted: up to and including fire date + window); a person who dies later counts as seriously
injured (7 days under the 1996 statistics rule used with the 2007 grades, 30 days under the
2025 rule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from firecase.rules._common import check_count, check_date, fmt_date
from firecase.rules.errors import RuleError


@dataclass(frozen=True)
class CasualtyRecord:
    """Cumulative casualty counts as of ``as_of`` (entered on ``recorded_on``)."""

    as_of: dt.date
    deaths: int
    serious_injuries: int
    recorded_on: dt.date | None = None
    minor_injuries: int = 0

    @property
    def sort_key(self) -> tuple[dt.date, dt.date]:
        """The order in which records take effect: by the day the counts became true, then the
        day they were entered (a stable sort keeps two entries of the same day in order)."""
        return (self.as_of, self.recorded_on or self.as_of)


def check_records(fire_date: dt.date, records: Iterable[CasualtyRecord]) -> list[CasualtyRecord]:
    """The records in effect order; RuleError for a record dated before the fire, entered
    before its as-of date, or with negative counts."""
    check_date(fire_date, "火灾发生日期", "fire_date")
    out: list[CasualtyRecord] = []
    for r in records:
        check_date(r.as_of, "伤亡发生（截至）日期", "as_of")
        check_count(r.deaths, "死亡人数", "deaths")
        check_count(r.serious_injuries, "重伤人数", "serious_injuries")
        check_count(r.minor_injuries, "轻伤人数", "minor_injuries")
        if r.as_of < fire_date:
            raise RuleError(
                f"伤亡发生（截至）日期{fmt_date(r.as_of)}早于火灾发生日期{fmt_date(fire_date)}",
                field="as_of",
            )
        if r.recorded_on is not None:
            check_date(r.recorded_on, "录入日期", "recorded_on")
            if r.recorded_on < r.as_of:
                raise RuleError(
                    f"录入日期{fmt_date(r.recorded_on)}早于伤亡发生（截至）日期"
                    f"{fmt_date(r.as_of)}：不能登记尚未发生的伤亡",
                    field="as_of",
                )
        out.append(r)
    out.sort(key=lambda r: r.sort_key)
    return out


def counts_as_of(ordered: Sequence[CasualtyRecord], day: dt.date) -> CasualtyRecord | None:
    """The record in effect at the end of ``day`` (the last with ``as_of`` ≤ day), or None."""
    found = None
    for r in ordered:
        if r.as_of > day:
            break
        found = r
    return found


@dataclass(frozen=True)
class CountedCasualties:
    """The casualties a standard counts: deaths within its window, later deaths as serious
    injuries. ``late_deaths`` is how many of the recorded deaths fell after the window."""

    deaths: int
    serious_injuries: int
    minor_injuries: int
    recorded_deaths: int
    late_deaths: int
    window_days: int
    window_end: dt.date
    as_of: dt.date | None
    explanation: str
    basis: str

    @property
    def note(self) -> str:
        """The sentence shown beside the counts when a death fell after the window, else ""."""
        if not self.late_deaths:
            return ""
        return (
            f"其中{self.late_deaths}人于火灾发生之日起{self.window_days}日后（{fmt_date(self.window_end)}"
            f"之后）死亡，按重伤统计（{self.basis}）"
        )


def count_casualties(
    fire_date: dt.date,
    records: Iterable[CasualtyRecord],
    *,
    window_days: int,
    citation: str = "",
) -> CountedCasualties:
    """Count a fire's casualties under a standard whose deaths window is ``window_days``.

    Deaths are the deaths in effect at the end of the window (never more than the latest
    record says: a later correction downwards is followed); deaths recorded after the window
    count as serious injuries. Raises RuleError for bad records (``check_records``).
    """
    ordered = check_records(fire_date, records)
    if window_days < 0:
        raise RuleError("死亡统计期限不能为负数", field="death_window_days")
    window_end = fire_date + dt.timedelta(days=window_days)
    basis = citation or f"死亡人数按火灾发生之日起{window_days}日内统计"
    latest = ordered[-1] if ordered else None
    if latest is None:
        return CountedCasualties(
            0, 0, 0, 0, 0, window_days, window_end, None, "尚未登记伤亡情况。", basis
        )
    in_window = counts_as_of(ordered, window_end)
    window_deaths = in_window.deaths if in_window is not None else 0
    deaths = min(window_deaths, latest.deaths)
    late = latest.deaths - deaths
    serious = latest.serious_injuries + late
    text = (
        f"截至{fmt_date(latest.as_of)}：死亡{latest.deaths}人、重伤{latest.serious_injuries}人、"
        f"轻伤{latest.minor_injuries}人。"
    )
    if late:
        text += (
            f"死亡人数按火灾发生之日起{window_days}日内（至{fmt_date(window_end)}）统计，"
            f"其后死亡的{late}人按重伤统计：计死亡{deaths}人、重伤{serious}人（{basis}）。"
        )
    return CountedCasualties(
        deaths=deaths,
        serious_injuries=serious,
        minor_injuries=latest.minor_injuries,
        recorded_deaths=latest.deaths,
        late_deaths=late,
        window_days=window_days,
        window_end=window_end,
        as_of=latest.as_of,
        explanation=text,
        basis=basis,
    )
