"""What long work says while it runs: upgrades, checks, backups and restores.

A ``Meter`` is handed the work's name and its steps (``phase``) and counts what it has done
(``advance``); each step may know its total (rows, pages, migrations) or not (SQLite's own
integrity check). At most every ``every`` seconds, and at each new step, it hands a ``Step``
to the ``report`` callback: what is being done, how far, and how long the step still needs at
the rate seen so far. The command line prints it on standard error (``terminal_report``); the
GUI shows it beside the busy indicator (``ui.worker``). No Qt here: the core uses it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

# how long a step must have run before its rate is trusted for an estimate (seconds)
MIN_ELAPSED_FOR_ESTIMATE = 1.0


@dataclass(frozen=True)
class Step:
    """One report of long work: ``task`` (检查案卷), its ``phase`` (审计链), the step's number
    ``index`` of ``steps``, ``done`` of ``total`` units (None: not countable), and the seconds
    the step still needs at the rate seen so far (None: not yet known)."""

    task: str
    phase: str
    index: int
    steps: int
    done: int
    total: int | None
    elapsed: float
    remaining: float | None

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return min(1.0, self.done / self.total)

    def text(self) -> str:
        """One Chinese line: 检查案卷（第 2/4 步：审计链）45%，本步约剩 12 秒."""
        where = f"第 {self.index}/{self.steps} 步：" if self.steps > 1 else ""
        line = f"{self.task}（{where}{self.phase}）"
        fraction = self.fraction
        if fraction is not None:
            line += f" {int(fraction * 100)}%"
        elif self.done:
            line += f" 已处理 {self.done:,}"
        if self.remaining is not None:
            line += f"，本步约剩 {_duration(self.remaining)}"
        return line


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{max(1, round(seconds))} 秒"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} 分 {rest} 秒" if rest and minutes < 10 else f"{minutes} 分钟"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} 小时 {minutes} 分钟"


Report = Callable[[Step], None]


class Meter:
    """Counts long work and reports it (see the module). Not thread-safe: one per job."""

    def __init__(
        self,
        task: str,
        report: Report | None,
        *,
        steps: int = 1,
        every: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.task = task
        self._report = report
        self.steps = max(1, steps)
        self._every = every
        self._clock = clock
        self.index = 0
        self.phase_name = ""
        self.total: int | None = None
        self.done = 0
        self._started = clock()
        self._last = float("-inf")

    def phase(self, name: str, total: int | None = None) -> None:
        """Begin the next step (reported at once)."""
        self.index = min(self.index + 1, self.steps)
        self.phase_name, self.total, self.done = name, total, 0
        self._started = self._clock()
        self._emit(force=True)

    def advance(self, count: int = 1) -> None:
        self.set_done(self.done + count)

    def set_done(self, done: int) -> None:
        """``done`` units of the step so far (the end of a countable step is always said)."""
        self.done = done
        self._emit(force=self.total is not None and done >= self.total)

    def step(self) -> Step:
        elapsed = self._clock() - self._started
        remaining = None
        if self.total and self.done and elapsed >= MIN_ELAPSED_FOR_ESTIMATE:
            rate = self.done / elapsed
            remaining = max(0.0, (self.total - self.done) / rate)
        return Step(
            self.task,
            self.phase_name,
            self.index,
            self.steps,
            self.done,
            self.total,
            elapsed,
            remaining,
        )

    def _emit(self, *, force: bool) -> None:
        if self._report is None:
            return
        now = self._clock()
        if not force and now - self._last < self._every:
            return
        self._last = now
        self._report(self.step())


def quiet(_step: Step) -> None:
    """A report that says nothing."""


class TerminalReport:
    """Print steps on ``stream`` (standard error): on a terminal one line rewritten in place;
    otherwise (a log, a pipe) a line at each new step and at most every ``every`` seconds."""

    def __init__(self, stream: TextIO | None = None, *, every: float = 5.0) -> None:
        self.out = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.out, "isatty", lambda: False)())
        self.every = every
        self._phase: tuple[int, str] = (0, "")
        self._last = float("-inf")
        self._width = 0

    def __call__(self, step: Step) -> None:
        line = step.text()
        if self.tty:
            self.out.write("\r" + line + " " * max(0, self._width - len(line)))
            self._width = len(line)
            self.out.flush()
            return
        now = time.monotonic()
        if self._phase != (step.index, step.phase) or now - self._last >= self.every:
            self._phase, self._last = (step.index, step.phase), now
            self.out.write(line + "\n")
            self.out.flush()

    def close(self) -> None:
        """Move past the line rewritten in place (on a terminal)."""
        if self.tty and self._width:
            self.out.write("\n")
            self.out.flush()
            self._width = 0
