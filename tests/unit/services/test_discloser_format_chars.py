"""``_discloser.visible``: the format characters it drops are exactly Unicode's (category Cf)."""

from __future__ import annotations

import unicodedata

from firecase.reports.fonts import FORMAT_CHARS
from firecase.services._discloser import visible


def test_the_format_characters_are_unicodes_category_cf() -> None:
    for code in range(0x110000):
        char = chr(code)
        is_cf = unicodedata.category(char) == "Cf"
        assert bool(FORMAT_CHARS.fullmatch(char)) == is_cf, f"U+{code:04X}"


def test_visible_cleans_nested_texts_and_keeps_everything_else() -> None:
    value = ("胡\u200b小兵", ["a\u00adb", 3], {"k\ufeff": "x\u2060y"}, None)
    assert visible(value) == ("胡小兵", ["ab", 3], {"k": "xy"}, None)
    clean = ("甲", "乙")
    assert visible(clean) is clean
