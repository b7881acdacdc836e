"""Personal data in the public version (第二十一条), by property: any valid ID number or mobile
number in any text is found and masked, a changed check character never makes a valid ID, and
the like, over generated numbers and texts (hypothesis). The example tests of the detectors:
``test_personal_data.py``, whose helpers these share."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings, strategies as st

from firecase.rules.personal_data import (
    BASIS_OPEN_GOV,
    HIT_KINDS,
    Hit,
    NameToMask,
    find_personal_data,
    id_card_valid,
    mask_text,
)

from .test_personal_data import (
    FULL,
    NUMBER_KINDS,
    TODAY,
    digit_runs,
    digits_of,
    fold,
    with_check,
)

CJK = st.text(
    alphabet=st.sampled_from("的火灾调查组天门市仓库起火原因某某（），。、现场"), max_size=12
)


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    region = draw(st.integers(110000, 659999))
    born = draw(st.dates(dt.date(1900, 1, 1), TODAY))
    seq = draw(st.integers(0, 999))
    return with_check(f"{region}{born:%Y%m%d}{seq:03d}")


@st.composite
def typed_ids(draw: st.DrawFn) -> tuple[str, str]:
    """A valid ID number and the way it is typed (plain, grouped, dashed, full-width)."""
    number = draw(id_numbers())
    style = draw(st.sampled_from(["plain", "groups", "dashes", "wide"]))
    if style == "groups":
        typed = " ".join(number[i : i + 4] for i in range(0, 18, 4))
    elif style == "dashes":
        typed = f"{number[:6]}-{number[6:14]}-{number[14:]}"
    elif style == "wide":
        typed = number.translate(FULL)
    else:
        typed = number
    return number, typed


@st.composite
def mobiles(draw: st.DrawFn) -> tuple[str, str]:
    number = (
        "1" + draw(st.sampled_from("3456789")) + draw(st.text("0123456789", min_size=9, max_size=9))
    )
    sep = draw(st.sampled_from(["", " ", "-"]))
    typed = f"{number[:3]}{sep}{number[3:7]}{sep}{number[7:]}"
    typed = draw(st.sampled_from(["", "+86", "+86 ", "86", "(+86)"])) + typed
    if draw(st.booleans()):
        typed = typed.translate(FULL)
    return number, typed


@settings(max_examples=200, deadline=None)
@given(before=CJK, after=CJK, number=typed_ids())
def test_any_valid_id_number_in_any_text_is_found_and_masked(
    before: str, after: str, number: tuple[str, str]
) -> None:
    plain, typed = number
    text = before + typed + after
    (hit,) = find_personal_data(text, today=TODAY)
    assert hit.kind == "id_card" and hit.value == typed
    assert hit.start == len(before)
    assert hit.replacement == plain[:4] + "*" * 10 + plain[-4:]
    assert mask_text(text, [hit]) == before + hit.replacement + after


@settings(max_examples=200, deadline=None)
@given(number=id_numbers(), other=st.sampled_from("0123456789X"), before=CJK, after=CJK)
def test_a_changed_check_character_is_never_a_valid_id(
    number: str, other: str, before: str, after: str
) -> None:
    if other == number[-1]:
        return
    changed = number[:17] + other
    assert not id_card_valid(changed)
    (hit,) = find_personal_data(f"{before}{changed}{after}", today=TODAY)
    assert hit.kind == "id_card_suspect" and hit.value == changed
    assert hit.replacement == changed[:4] + "*" * 10 + changed[-4:]


@settings(max_examples=200, deadline=None)
@given(before=CJK, after=CJK, number=mobiles())
def test_any_mobile_number_in_any_text_is_found(
    before: str, after: str, number: tuple[str, str]
) -> None:
    plain, typed = number
    hits = find_personal_data(before + typed + after)
    assert [(h.kind, h.value, h.replacement) for h in hits] == [
        ("mobile", typed, plain[:3] + "****" + plain[-4:])
    ]


NOISY = st.text(
    alphabet=st.sampled_from(
        "0123456789０１２３ -－—（）()+.X某王建华天门市鄂A·@a.cn元年号转〔〕\u3000"
    ),
    max_size=60,
)


@st.composite
def mixed_texts(draw: st.DrawFn) -> str:
    """Noise with real-format personal data of every kind put in."""
    parts = draw(
        st.lists(
            st.one_of(
                NOISY,
                typed_ids().map(lambda x: x[1]),
                mobiles().map(lambda x: x[1]),
                st.sampled_from(
                    [
                        "0728-5221234",
                        "（027）87654321转12",
                        "6222 0212 3456 7890 128",
                        "鄂A·1234X",
                        "zhang.san@example.com",
                        "王 建 华",
                    ]
                ),
            ),
            max_size=6,
        )
    )
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(mixed_texts())
def test_hits_are_sorted_disjoint_spans_of_the_text(text: str) -> None:
    hits = find_personal_data(text, (NameToMask("王建华", "死者"),), today=TODAY)
    for h in hits:
        assert 0 <= h.start < h.end <= len(text)
        assert text[h.start : h.end] == h.value
        assert h.kind in HIT_KINDS and h.label and h.reason and h.basis.startswith(BASIS_OPEN_GOV)
    for a, b in itertools.pairwise(hits):
        assert a.end <= b.start


@settings(max_examples=300, deadline=None)
@given(mixed_texts())
def test_masked_text_holds_no_masked_number(text: str) -> None:
    hits = find_personal_data(text, today=TODAY)
    masked = mask_text(text, hits)
    # the digits of the text outside every hit: a number may also stand there, unmasked
    outside = mask_text(
        text, [Hit(h.kind, "", h.start, h.end, h.value, "〇", "", "") for h in hits]
    )
    for h in hits:
        if h.kind in NUMBER_KINDS:
            number = digits_of(h.value)
            number = number[-11:] if h.kind == "mobile" else number
            if not any(number in run for run in digit_runs(outside)):
                assert not any(number in run for run in digit_runs(masked))
            if fold(h.value) not in fold(outside):
                assert fold(h.value) not in fold(masked)
            assert sum(ch.isdigit() for ch in h.replacement) <= 8  # at most 8 digits shown
            assert h.replacement.count("*") >= 4


def test_digits_shown_by_a_mask_never_join_the_texts_own_into_a_number() -> None:
    """Hypothesis's case: an ID-like number's shown "4106…" printed after "861300000 " spelt the
    masked mobile number 861300000 4106 again."""
    text = "861300000 4106831425233338@861300000 4106"
    masked = mask_text(text, find_personal_data(text, today=TODAY))
    assert "861300000 4106" not in masked and "4106" in masked
