"""Document numbers (设置 → 文书编号): patterns checked, numbers formatted and read back."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from firecase.errors import ValidationError
from firecase.services.doc_kinds import DOCUMENT_KINDS, document_kind
from firecase.services.doc_numbers import check_pattern, format_number, parse_number


def test_numbers_follow_the_pattern() -> None:
    assert format_number("天消发〔{年}〕{N}号", 2026, 3) == "天消发〔2026〕3号"
    assert format_number("天消调回字〔{年}〕第{NNN}号", 2026, 7) == "天消调回字〔2026〕第007号"
    assert format_number("", 2026, 3) == ""  # not numbered
    assert parse_number("天消发〔{年}〕{N}号", "天消发〔2026〕12号") == (2026, 12)
    assert parse_number("天消调回字〔{年}〕第{NNN}号", "天消调回字〔2026〕第007号") == (2026, 7)
    assert parse_number("第{N}号", "第5号") == (None, 5)  # a pattern without the year
    assert parse_number("天消发〔{年}〕{N}号", "天消（技）字〔2026〕17号") is None
    assert parse_number("天消发〔{年}〕{N}号", "") is None


@given(st.integers(min_value=2000, max_value=2200), st.integers(min_value=1, max_value=99999))
def test_every_number_reads_back(year: int, serial: int) -> None:
    for kind in DOCUMENT_KINDS:
        if kind.pattern:
            number = format_number(kind.pattern, year, serial)
            assert parse_number(kind.pattern, number) == (year, serial)


@pytest.mark.parametrize(
    "pattern",
    ["天消发〔{年}〕号", "{N}{N}号", "天消发〔{年}{年}〕{N}号", "天消{X}〔{年}〕{N}号", "x" * 41],
)
def test_a_pattern_without_one_serial_or_with_other_braces_is_refused(pattern: str) -> None:
    with pytest.raises(ValidationError):
        check_pattern(pattern)


def test_defaults_follow_gb_t_9704_for_official_documents() -> None:
    # 公文 (通知、请示、函): 发文字号 without "第" and without leading zeros (GB/T 9704 7.2.4)
    for key in ("team_notice", "extension_request", "report_letter"):
        kind = document_kind(key)
        assert kind is not None and "第" not in kind.pattern and "{N}" in kind.pattern
    application = document_kind("recusal_application")
    assert application is not None and application.pattern == ""  # the applicant writes it
    patterns = [k.pattern for k in DOCUMENT_KINDS if k.pattern]
    assert len(set(patterns)) == len(patterns)  # no two kinds could issue the same number
    assert document_kind("nothing") is None
