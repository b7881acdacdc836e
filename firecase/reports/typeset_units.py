"""The pieces of the line setting (``typeset``): glyphs, units and the marks of 禁则."""

from __future__ import annotations

from dataclasses import dataclass

# GB/T 15834 and GB/T 9704; "—" and "…" (each used doubled) do not start a line either.
CANNOT_START = frozenset("，。、；：！？）》」』】〕〗”’…—·％%,.;:!?)]}")
CANNOT_END = frozenset("“‘（《「『【〔〖([{")


@dataclass(frozen=True)
class Glyph:
    """One character in one registered font."""

    char: str
    font: str


@dataclass
class Unit:
    """An unbreakable piece of a line: glyphs, their width on the line, and break flags."""

    glyphs: list[Glyph]
    width: float
    space: bool = False  # a breakable, stretchable space (dropped at a line edge)
    cjk: bool = False  # one character set on the grid pitch
    newline: bool = False  # a hard line break ("\n")

    @property
    def first(self) -> str:
        return self.glyphs[0].char if self.glyphs else ""

    @property
    def last(self) -> str:
        return self.glyphs[-1].char if self.glyphs else ""

    @property
    def closing(self) -> bool:
        """One mark that may not start a line (，。）”…): it goes with what precedes."""
        return len(self.glyphs) == 1 and self.first in CANNOT_START

    @property
    def opening(self) -> bool:
        """One mark that may not end a line (（“《…): it goes with what follows."""
        return len(self.glyphs) == 1 and self.last in CANNOT_END

    @property
    def latin(self) -> bool:
        """A run of Latin letters and digits (not a space, a CJK character or a break)."""
        return not (self.space or self.cjk or self.newline)
