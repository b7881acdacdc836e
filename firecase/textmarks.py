"""The light inline marks of report-section text, shared by the editor and the printed reports.

A report section is stored as plain text, one paragraph per line, so any reader still sees the
words. The workspace editor writes ``**粗体**``, ``*斜体*``, bullet items ``- 文字`` and numbered
items ``1. 文字``; the reports read the same marks back with :func:`parse_line`. Also
:func:`shorten`, a text cut to one short line with "…" where it was cut, for the places that
name a record by its words (the public version's review, the evaluation's banners). Stdlib only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A mark encloses words that neither start nor end with a space or a star, and its stars touch
# no other star: masked numbers ("4209**********1234", "138****5678") stay as typed.
INLINE = re.compile(
    r"(?<!\*)\*\*([^*\s](?:[^*]*[^*\s])?)\*\*(?!\*)"
    r"|(?<!\*)\*([^*\s](?:[^*]*[^*\s])?)\*(?!\*)"
)
BULLET = re.compile(r"^- (.*)$")
NUMBERED = re.compile(r"^(\d+)\. (.*)$")


@dataclass(frozen=True)
class Run:
    """A stretch of one line with one emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Line:
    """One stored line: its list marker (``"-"``, ``"3."`` or ``""``) and its runs."""

    marker: str
    runs: tuple[Run, ...]

    @property
    def plain(self) -> str:
        """The words without marks."""
        return "".join(r.text for r in self.runs)


def parse_runs(text: str, *, bold: bool = False) -> tuple[Run, ...]:
    """Split ``text`` into runs at its ``**…**`` and ``*…*`` marks (bold may contain italic)."""
    runs: list[Run] = []
    pos = 0
    for m in INLINE.finditer(text):
        if m.start() > pos:
            runs.append(Run(text[pos : m.start()], bold=bold))
        if m.group(1) is not None:
            runs.extend(parse_runs(m.group(1), bold=True))
        else:
            runs.append(Run(m.group(2), bold=bold, italic=True))
        pos = m.end()
    if pos < len(text):
        runs.append(Run(text[pos:], bold=bold))
    return tuple(runs)


def parse_line(line: str) -> Line:
    """Read one stored line into its list marker and runs."""
    if m := BULLET.match(line):
        return Line("-", parse_runs(m.group(1)))
    if m := NUMBERED.match(line):
        return Line(f"{m.group(1)}.", parse_runs(m.group(2)))
    return Line("", parse_runs(line))


def shorten(text: str, limit: int = 40) -> str:
    """``text`` on one line, at most ``limit`` characters, with "…" where it was cut (a text cut
    without the mark reads as if it ended there: "剩余12家企业接入" as "剩余12", a count)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
