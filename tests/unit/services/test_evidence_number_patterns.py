"""Evidence number patterns: the syntax of the document numbers, the next free number."""

from __future__ import annotations

import pytest

from firecase.errors import ValidationError
from firecase.services.evidence_numbers import (
    DEFAULT_PATTERNS,
    check_evidence_pattern,
    next_code,
)


def test_every_kind_has_a_default_of_the_document_numbers_syntax() -> None:
    assert DEFAULT_PATTERNS["物证"] == "物证-{NNN}"
    assert DEFAULT_PATTERNS["书证"] == "书证-{NNN}"
    assert DEFAULT_PATTERNS["视听资料"] == "视听资料-{NNN}"
    for pattern in DEFAULT_PATTERNS.values():
        assert check_evidence_pattern(pattern) == pattern


def test_the_next_number_is_one_above_the_highest_and_free() -> None:
    assert next_code("物证-{NNN}", 2026, set()) == "物证-001"
    taken = {"物证-001", "物证-007", "书证-003", "WZ-9", "物证-abc"}
    assert next_code("物证-{NNN}", 2026, taken) == "物证-008"
    assert next_code("WZ-{N}", 2026, taken) == "WZ-10"
    assert next_code("书证-{NNN}", 2026, taken) == "书证-004"
    # a number typed freely that the pattern would give next is skipped
    assert next_code("WZ-{N}", 2026, {"WZ-1", "WZ-2", "WZ-3x", "WZ-3"}) == "WZ-4"
    assert next_code("", 2026, taken) == ""


def test_the_year_is_the_case_s_and_other_years_do_not_count() -> None:
    taken = {"物证2025-005", "物证2026-002"}
    assert next_code("物证{年}-{NNN}", 2026, taken) == "物证2026-003"
    assert next_code("物证{年}-{NNN}", 2027, taken) == "物证2027-001"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("物证", "证据编号格式须含一个序号“{N}”"),
        ("物证-{N}-{N}", "证据编号格式须含一个序号"),
        ("物证-{M}-{N}", "证据编号格式中只能使用"),
        ("某某某某某某某某某某某某某某某某某某某某某某某某某某某某某某-{N}", "超过32个字"),
        ("物证\x00-{N}", "含有无法保存的字符"),
    ],
)
def test_a_bad_pattern_is_refused_in_chinese(pattern: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        check_evidence_pattern(pattern, "pattern:物证")
    assert caught.value.field == "pattern:物证"


def test_an_empty_pattern_proposes_nothing() -> None:
    assert check_evidence_pattern("  ") == ""
