"""Personal data found before release (《政府信息公开条例》第十五条, 《个人信息保护法》): the
detectors on real formats — valid and invalid ID checksums, numbers split by spaces or dashes,
full-width digits — and what they must never take for personal data."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings, strategies as st

from firecase.rules.personal_data import (
    NameToMask,
    find_personal_data,
    id_card_valid,
    mask_name,
    mask_text,
)
from firecase.textmarks import parse_line

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check(body17: str) -> str:
    return (
        body17 + "10X98765432"[sum(int(c) * w for c, w in zip(body17, WEIGHTS, strict=True)) % 11]
    )


def kinds(text: str, names: tuple[NameToMask, ...] = ()) -> list[tuple[str, str, str]]:
    return [(h.kind, h.value, h.replacement) for h in find_personal_data(text, names)]


# ------------------------------------------------------------------------------ ID numbers


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("11010519491231002X", True),  # the published sample of GB 11643
        ("11010519491231002x", True),
        ("110105194912310021", False),  # wrong check character
        ("11010519491331002X", False),  # month 13
        ("110105194902300024", False),  # 30 February
        ("01010519491231002X", False),  # region cannot start with 0
        ("110105491231002", True),  # 15 digits, born 1949-12-31
        ("110105491331002", False),
        ("１１０１０５１９４９１２３１００２Ｘ", True),  # full-width
        ("110105-19491231-002X", True),
    ],
)
def test_id_card_checksum_and_birth_date(number: str, valid: bool) -> None:
    assert id_card_valid(number) is valid


def test_an_id_number_is_found_as_typed_and_masked_to_its_ends() -> None:
    for typed in (
        "11010519491231002X",
        "1101 0519 4912 3100 2X",
        "110105-19491231-002X",
        "１１０１０５１９４９１２３１００２Ｘ",
    ):
        assert kinds(f"死者（身份证号码{typed}），") == [("id_card", typed, "1101**********002X")]


def test_a_wrong_check_character_is_still_masked_as_a_suspect_id() -> None:
    (hit,) = find_personal_data("身份证110105194912310021。")
    assert hit.kind == "id_card_suspect" and "校验码不符" in hit.label
    assert hit.replacement == "1101**********0021"


def test_the_fifteen_digit_number_of_the_first_generation() -> None:
    assert kinds("旧证号110105491231002。") == [("id_card", "110105491231002", "1101*******1002")]


# ------------------------------------------------------------------------------ phones, cards


@pytest.mark.parametrize(
    "typed",
    [
        "13872651408",
        "138 7265 1408",
        "138-7265-1408",
        "+86 138 7265 1408",
        "(+86)13872651408",
        "８６１３８７２６５１４０８",
        "１３８７２６５１４０８",
    ],
)
def test_mobile_numbers_as_typed(typed: str) -> None:
    assert kinds(f"联系电话{typed}。") == [("mobile", typed, "138****1408")]


@pytest.mark.parametrize(
    ("typed", "masked"),
    [
        ("0728-5221234", "0728-****234"),
        ("0728 5221234", "0728-****234"),
        ("(0728)5221234", "0728-****234"),
        ("（027）87654321", "027-*****321"),
        ("027-87654321转123", "027-*****321"),
    ],
)
def test_landlines(typed: str, masked: str) -> None:
    assert kinds(f"值班电话{typed}，") == [("landline", typed, masked)]


def test_bank_cards_need_a_valid_luhn_digit() -> None:
    good = "6222021234567890128"
    assert kinds(f"卡号{good}。") == [("bank_card", good, "6222***********0128")]
    assert kinds("卡号6222 0212 3456 7890 128。")[0][0] == "bank_card"
    assert kinds("卡号6222021234567890127。") == []  # Luhn fails: just a number


@pytest.mark.parametrize(
    ("typed", "masked"),
    [
        ("鄂A12345", "鄂A****5"),
        ("鄂A·1234X", "鄂A****X"),
        ("鄂AD12345", "鄂A*****5"),
        ("京A1234学", "京A****学"),
    ],
)
def test_licence_plates(typed: str, masked: str) -> None:
    assert kinds(f"车辆{typed}停放在门前。") == [("plate", typed, masked)]


def test_email_addresses() -> None:
    assert kinds("邮箱zhang.san@example.com.cn。") == [
        ("email", "zhang.san@example.com.cn", "z***@example.com.cn")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "2025年1月9日14时05分，损失13872300.00元（1387.23万元），面积4200平方米。",
        "日期2025-01-09，20250109，时间14:05:12。",
        "天消调〔2025〕第001号；天政办发〔2022〕40号；公消〔2007〕234号。",
        "损失13872300000元；12345678901234567890（20位）。",
        "依照第十七条第二款，XF 185—2014。",
        "共计3600平方米，高9.2米，1100吨。",
    ],
)
def test_never_taken_for_personal_data(text: str) -> None:
    assert kinds(text) == []


# ------------------------------------------------------------------------------ names


def test_names_are_masked_with_who_they_are() -> None:
    names = (
        NameToMask("王建华", "死者"),
        NameToMask("欧阳小雨", "伤者", minor=True),
        NameToMask("李", "证人"),  # too short to search for
    )
    hits = find_personal_data("死者王建华、王 建 华，伤者欧阳小雨（14岁）；李某作证。", names)
    assert [(h.value, h.replacement) for h in hits] == [
        ("王建华", "王某某"),
        ("王 建 华", "王某某"),
        ("欧阳小雨", "欧阳某某"),
    ]
    assert "未成年人" in hits[2].reason and "未成年人保护法" in hits[2].basis
    assert hits[0].label == "姓名（死者）"


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("王建华", "王某某"),
        ("王华", "王某"),
        ("欧阳建华", "欧阳某某"),
        ("欧阳华", "欧阳某"),
        ("王某某", "王某某"),
        ("", ""),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_masked_numbers_are_not_taken_for_bold_or_italic_marks() -> None:
    line = parse_line("身份证1101**********002X，电话138****1408，**重点**")
    assert line.plain == "身份证1101**********002X，电话138****1408，重点"


# ------------------------------------------------------------------------------ properties

CJK = st.text(alphabet=st.sampled_from("的火灾调查组天门市仓库起火原因某某（），。、"), max_size=12)


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    region = draw(st.integers(110000, 659999))
    born = draw(st.dates(dt.date(1900, 1, 1), dt.date(2020, 12, 31)))
    seq = draw(st.integers(0, 999))
    return with_check(f"{region}{born:%Y%m%d}{seq:03d}")


@settings(max_examples=200, deadline=None)
@given(before=CJK, after=CJK, number=id_numbers())
def test_any_valid_id_number_in_any_text_is_found_and_masked(
    before: str, after: str, number: str
) -> None:
    text = before + number + after
    (hit,) = find_personal_data(text)
    assert hit.kind == "id_card" and hit.value == number
    assert hit.replacement == number[:4] + "*" * 10 + number[-4:]
    assert number not in mask_text(text, [hit])


@settings(max_examples=200, deadline=None)
@given(number=id_numbers(), other=st.sampled_from("0123456789X"))
def test_a_changed_check_character_is_never_a_valid_id(number: str, other: str) -> None:
    if other == number[-1]:
        return
    (hit,) = find_personal_data(f"号码{number[:17]}{other}。")
    assert hit.kind == "id_card_suspect"


@settings(max_examples=200, deadline=None)
@given(
    before=CJK,
    after=CJK,
    second=st.sampled_from("3456789"),
    rest=st.text(alphabet="0123456789", min_size=9, max_size=9),
)
def test_any_mobile_number_in_any_text_is_found(
    before: str, after: str, second: str, rest: str
) -> None:
    number = f"1{second}{rest}"
    hits = find_personal_data(before + number + after)
    assert [(h.kind, h.value) for h in hits] == [("mobile", number)]


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from("0123456789０１２ -－（）()+X某王建华天门市鄂A·@a.cn元"),
        max_size=60,
    )
)
def test_hits_are_ordered_disjoint_spans_of_the_text(text: str) -> None:
    hits = find_personal_data(text, (NameToMask("王建华", "死者"),))
    for h in hits:
        assert text[h.start : h.end] == h.value
    for a, b in itertools.pairwise(hits):
        assert a.end <= b.start
    masked = mask_text(text, hits)
    for h in hits:
        if h.kind != "name":
            assert h.value not in masked or h.value == h.replacement
