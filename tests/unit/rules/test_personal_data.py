"""Personal data found before release (《政府信息公开条例》第十五条, 《个人信息保护法》): the
detectors on real formats — valid and invalid ID checksums, numbers split by spaces or dashes,
full-width digits, boundaries, overlaps — what they must never take for personal data, and the
masked forms."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from firecase.rules.errors import RuleError
from firecase.rules.personal_data import (
    BASIS_MINORS,
    BASIS_OPEN_GOV,
    BASIS_PIPL,
    HIT_KINDS,
    Hit,
    NameToMask,
    find_personal_data,
    id_card_valid,
    mask_name,
    mask_text,
)
from firecase.textmarks import parse_line

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
TODAY = dt.date(2025, 1, 9)
NUMBER_KINDS = {"id_card", "id_card_suspect", "mobile", "landline", "bank_card"}
FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def with_check(body17: str) -> str:
    return (
        body17 + "10X98765432"[sum(int(c) * w for c, w in zip(body17, WEIGHTS, strict=True)) % 11]
    )


def luhn_complete(body: str) -> str:
    """``body`` with the Luhn check digit appended."""
    for d in "0123456789":
        n = body + d
        total = 0
        for i, ch in enumerate(reversed(n)):
            v = int(ch) * (2 if i % 2 else 1)
            total += v - 9 if v > 9 else v
        if total % 10 == 0:
            return n
    raise AssertionError


def kinds(text: str, names: tuple[NameToMask, ...] = ()) -> list[tuple[str, str, str]]:
    return [(h.kind, h.value, h.replacement) for h in find_personal_data(text, names, today=TODAY)]


def fold(text: str) -> str:
    return text.translate({c: c - 0xFEE0 for c in range(0xFF10, 0xFF3B)})


def digits_of(text: str) -> str:
    """The digits (and X) of a number as typed, separators dropped, full-width as ASCII."""
    return re.sub(r"[^0-9X]", "", fold(text).upper())


def digit_runs(text: str) -> list[str]:
    """The runs of digits in ``text`` (any other character, a star too, ends a run)."""
    return re.findall(r"[0-9X]+", fold(text).upper())


VALID_ID = "420984199001011234"
assert id_card_valid(VALID_ID)  # a generated number (region 420984, born 1990-01-01)

# ------------------------------------------------------------------------------ id_card_valid


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("11010519491231002X", True),  # the published sample of GB 11643
        ("11010519491231002x", True),
        ("１１０１０５１９４９１２３１００２Ｘ", True),  # full-width
        ("110105-19491231-002X", True),
        ("1101 0519 4912 3100 2X", True),
        (VALID_ID, True),
        ("110105194912310021", False),  # wrong check character
        ("11010519491331002X", False),  # month 13
        ("110105194902300024", False),  # 30 February
        ("01010519491231002X", False),  # region cannot start with 0
        ("110105189912310025", False),  # born 1899
        ("110105203001010011", False),  # born in the future
        ("1101051949123100", False),  # 16 digits
        ("110105491231002", True),  # 15 digits, born 1949-12-31
        ("110105491331002", False),  # month 13
        ("010105491231002", False),
        ("", False),
        ("abc", False),
    ],
)
def test_id_card_checksum_and_birth_date(number: str, valid: bool) -> None:
    assert id_card_valid(number, today=TODAY) is valid


def test_a_birth_date_after_today_is_not_valid() -> None:
    born_today = with_check("42098420250109123")
    assert id_card_valid(born_today, today=TODAY)
    assert not id_card_valid(born_today, today=TODAY - dt.timedelta(days=1))


def test_leap_days() -> None:
    assert id_card_valid(with_check("42098420000229123"))
    assert not id_card_valid(with_check("42098419000229123"))  # 1900 is not a leap year


# ------------------------------------------------------------------------------ ID numbers


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002X",
        "11010519491231002x",
        "1101 0519 4912 3100 2X",
        "110105-19491231-002X",
        "110105－19491231－002X",
        "110105—19491231—002X",
        "１１０１０５１９４９１２３１００２Ｘ",
        "１１０１０５ １９４９１２３１ ００２ｘ",
    ],
)
def test_an_id_number_is_found_as_typed_and_masked_to_its_ends(typed: str) -> None:
    text = f"死者（身份证号码{typed}），"
    assert kinds(text) == [("id_card", typed, "1101**********002X")]
    (hit,) = find_personal_data(text, today=TODAY)
    assert text[hit.start : hit.end] == typed
    assert hit.label == "身份证号码" and hit.basis == f"{BASIS_OPEN_GOV}；{BASIS_PIPL}"
    assert hit.reason == "身份证号码属于个人信息，公开会损害当事人合法权益"


@pytest.mark.parametrize(
    "typed", ["420984199001011234", "4209 8419 9001 0112 34", "420984-19900101-1234"]
)
def test_the_brief_formats(typed: str) -> None:
    assert kinds(f"身份证号{typed}。") == [("id_card", typed, "4209**********1234")]
    wide = typed.translate(FULL)
    assert kinds(f"身份证号{wide}。") == [("id_card", wide, "4209**********1234")]


def test_a_wrong_check_character_is_still_masked_as_a_suspect_id() -> None:
    (hit,) = find_personal_data("身份证110105194912310021。", today=TODAY)
    assert hit.kind == "id_card_suspect" and hit.label == "疑似身份证号码（校验码不符）"
    assert hit.replacement == "1101**********0021"
    assert "校验码不符" in hit.reason and "个人信息" in hit.reason


def test_eighteen_digits_without_a_birth_date_are_not_an_id_number() -> None:
    assert kinds("编号110105194913310021。") == []  # month 13
    assert kinds("编号010105194912310021。") == []  # region 0


def test_the_fifteen_digit_number_of_the_first_generation() -> None:
    assert kinds("旧证号110105491231002。") == [("id_card", "110105491231002", "1101*******1002")]
    assert kinds("旧证号110105491331002。") == []


@pytest.mark.parametrize(
    "text",
    [
        "1110105194912310022",  # 19 digits: the ID would sit inside a longer run
        "11010519491231002X1",
        "911010519491231002X",
        "No11010519491231002X",  # a letter before: a code, not an ID
        "11010519491231002XA",
        "1101 0519 4912 3100 2X 12",  # a group more
        "12 1101 0519 4912 3100 2X",
    ],
)
def test_never_inside_a_longer_run(text: str) -> None:
    assert [k for k in kinds(text) if k[0].startswith("id_card")] == []


def test_an_id_number_wins_over_a_bank_card_of_the_same_digits() -> None:
    # a valid ID number starting with 6 whose digits also pass the Luhn check of a card
    number = next(
        n
        for seq in range(1000)
        if (n := with_check(f"62220219900101{seq:03d}")) == luhn_complete(n[:-1])
    )
    assert kinds(f"号码{number}。") == [("id_card", number, number[:4] + "*" * 10 + number[-4:])]
    # a suspect ID number (wrong check character) that passes the Luhn check
    suspect = next(
        c
        for seq in range(1000)
        if (c := luhn_complete(f"62220219900101{seq:03d}")) != with_check(c[:-1])
    )
    assert not id_card_valid(suspect)
    assert kinds(f"号码{suspect}。")[0][0] == "id_card_suspect"


def test_an_id_number_then_a_mobile_number_split_by_a_space() -> None:
    assert kinds(f"{VALID_ID} 13812345678") == [
        ("id_card", VALID_ID, "4209**********1234"),
        ("mobile", "13812345678", "138****5678"),
    ]


# ------------------------------------------------------------------------------ mobiles


@pytest.mark.parametrize(
    "typed",
    [
        "13872651408",
        "138 7265 1408",
        "138-7265-1408",
        "138－7265－1408",
        "+86 138 7265 1408",
        "+8613872651408",
        "8613872651408",
        "86-138-7265-1408",
        "(+86)13872651408",
        "（+86）138 7265 1408",
        "＋８６ １３８ ７２６５ １４０８",
        "１３８７２６５１４０８",
        "１３８　７２６５　１４０８",
    ],
)
def test_mobile_numbers_as_typed(typed: str) -> None:
    assert kinds(f"联系电话{typed}。") == [("mobile", typed, "138****1408")]


def test_every_mobile_prefix_13_to_19() -> None:
    for second in "3456789":
        assert kinds(f"电话1{second}912345678，")[0][0] == "mobile"
    assert kinds("电话12912345678，") == []
    assert kinds("电话10912345678，") == []


@pytest.mark.parametrize(
    "text",
    [
        "13872300000元",
        "13872300000 元",
        "13872300000.00元",
        "13872300000万元",
        "13872300000平方米",
        "13872300000米",
        "13872300000%",
        "13872300000人",
        "13872300000年",
        "¥13872300000",
        "人民币13872300000",
        "0.13872300000",
        "138723000001",  # 12 digits
        "213872300000",
        "138 7230 00001",
        "1387 230 0000",  # not 3-4-4
    ],
)
def test_amounts_and_longer_runs_are_not_mobile_numbers(text: str) -> None:
    assert kinds(f"共计{text}。") == []


def test_two_mobile_numbers_side_by_side() -> None:
    for sep in (" ", "，", "、", ",", "/"):
        assert [k[0] for k in kinds(f"电话13812345678{sep}13987654321")] == ["mobile", "mobile"]


def test_a_mobile_number_after_a_date() -> None:
    assert kinds("2025-01-09 13812345678报警") == [("mobile", "13812345678", "138****5678")]


def test_a_full_stop_ends_a_sentence_not_a_decimal() -> None:
    assert kinds("Tel 13812345678.") == [("mobile", "13812345678", "138****5678")]


# ------------------------------------------------------------------------------ landlines


@pytest.mark.parametrize(
    ("typed", "masked"),
    [
        ("0728-5221234", "0728-****234"),
        ("0728 5221234", "0728-****234"),
        ("07285221234", "0728-****234"),
        ("(0728)5221234", "0728-****234"),
        ("（0728）5221234", "0728-****234"),
        ("（０７２８）５２２１２３４", "0728-****234"),
        ("0728－5221234", "0728-****234"),
        ("0728-5221234转123", "0728-****234"),
        ("0728-5221234-123", "0728-****234"),
        ("027-87654321", "027-*****321"),
        ("（027）87654321", "027-*****321"),
        ("027-8765-4321", "027-*****321"),
        ("010-62345678", "010-*****678"),
        ("027-87654321转8001", "027-*****321"),
    ],
)
def test_landlines(typed: str, masked: str) -> None:
    (hit,) = find_personal_data(f"值班电话{typed}，", today=TODAY)
    assert (hit.kind, hit.value, hit.replacement) == ("landline", typed, masked)
    assert hit.label == "固定电话号码"


@pytest.mark.parametrize(
    "text",
    [
        "2025-01-09",
        "2025-1-9",
        "2025 01 09",
        "20250109",
        "天消调〔2025〕第001号",
        "公消〔2007〕0010001号",
        "0728-1221234",  # a local number does not start with 1
        "0728-52212",  # too short
        "0728-522123456",  # too long
        "10728-5221234",  # inside a longer run
        "0728-5221234元",
    ],
)
def test_not_landlines(text: str) -> None:
    assert kinds(f"见{text}。") == []


# ------------------------------------------------------------------------------ bank cards


def test_bank_cards_need_a_valid_luhn_digit() -> None:
    good = "6222021234567890128"
    assert kinds(f"卡号{good}。") == [("bank_card", good, "6222***********0128")]
    assert kinds("卡号6222021234567890127。") == []  # Luhn fails: just a number
    (hit,) = find_personal_data(f"卡号{good}。")
    assert hit.label == "银行卡号" and "金融账户" in hit.reason


@pytest.mark.parametrize(
    ("typed", "masked"),
    [
        ("6222 0212 3456 7890 128", "6222***********0128"),
        ("6222-0212-3456-7890-128", "6222***********0128"),
        ("６２２２０２１２３４５６７８９０１２８", "6222***********0128"),
        ("4111 1111 1111 1111", "4111********1111"),  # 16 digits (the well-known test card)
        ("3530111333300000", "3530********0000"),
    ],
)
def test_bank_card_formats(typed: str, masked: str) -> None:
    assert kinds(f"卡号{typed}，") == [("bank_card", typed, masked)]


def test_bank_card_length_and_first_digit() -> None:
    assert kinds(f"号{luhn_complete('411111111111111')}。")[0][0] == "bank_card"  # 16
    assert kinds(f"号{luhn_complete('49999999999999')}。") == []  # 15: not a card
    assert kinds(f"号{luhn_complete('4111111111111111111')}。") == []  # 20
    assert kinds(f"号{luhn_complete('711111111111111')}。") == []  # starts with 7
    assert kinds(f"号{luhn_complete('211111111111111')}。") == []


# ------------------------------------------------------------------------------ plates


@pytest.mark.parametrize(
    ("typed", "masked"),
    [
        ("鄂A12345", "鄂A****5"),
        ("鄂A·1234X", "鄂A****X"),
        ("鄂A・1234X", "鄂A****X"),
        ("鄂A.1234X", "鄂A****X"),
        ("鄂A 1234X", "鄂A****X"),
        ("鄂AD12345", "鄂A*****5"),  # new energy: D + 5
        ("鄂AF1234X", "鄂A*****X"),
        ("鄂A12345D", "鄂A*****D"),  # new energy: 5 digits + D
        ("京A1234学", "京A****学"),
        ("鄂A1234挂", "鄂A****挂"),
        ("粤B1234警", "粤B****警"),
        ("川AB1234", "川A****4"),
        ("鄂Ａ１２３４５", "鄂A****5"),
        ("鄂a12345", "鄂A****5"),
    ],
)
def test_licence_plates(typed: str, masked: str) -> None:
    (hit,) = find_personal_data(f"车辆{typed}停放在门前。")
    assert (hit.kind, hit.value, hit.replacement) == ("plate", typed, masked)
    assert hit.label == "机动车号牌"


@pytest.mark.parametrize(
    "text",
    [
        "鄂I12345",  # I and O are not plate letters
        "鄂O12345",
        "鄂A1234",  # too short
        "鄂A1234567",  # too long
        "按新GB50016执行",  # a standard after 新
        "鄂ABCDEF",  # letters only
        "北A12345",  # 北 is no province abbreviation
    ],
)
def test_not_plates(text: str) -> None:
    assert kinds(f"见{text}。") == []


# ------------------------------------------------------------------------------ e-mail


@pytest.mark.parametrize(
    ("typed", "masked"),
    [
        ("zhang.san@example.com.cn", "z***@example.com.cn"),
        ("wang_jh+fire@163.com", "w***@163.com"),
        ("13812345678@qq.com", "1***@qq.com"),  # the e-mail is longer than the mobile in it
        ("ｌｉ＠ｅｘａｍｐｌｅ．ｃｎ", "l***@example.cn"),
    ],
)
def test_email_addresses(typed: str, masked: str) -> None:
    assert kinds(f"邮箱{typed}。") == [("email", typed, masked)]


def test_a_number_run_into_the_domain_is_masked_there_too() -> None:
    assert kinds("邮箱a@13812345678.com。") == [
        ("email", "a@13812345678.com", "a***@138****5678.com")
    ]


def test_not_email() -> None:
    assert kinds("见 @例如 与 a@b 与 user@localhost。") == []


# ------------------------------------------------------------------------------ never flagged


@pytest.mark.parametrize(
    "text",
    [
        "2025年1月9日14时05分起火，2025年1月9日14:05:12报警。",
        "日期2025-01-09，20250109，2025/01/09，2025.01.09，时间14:05:12。",
        "损失13872300.00元（1387.23万元），13,872,300元。",
        "损失13872300000元；12345678901234567890（20位）。",
        "天消调〔2025〕第001号；天政办发〔2022〕40号；公消〔2007〕234号。",
        "依照第十七条第二款、第17条，XF 185—2014，GB 50016—2014。",
        "共计4200平方米，3600平方米，高9.2米，1100吨。",
        "2019年至2025年，1990年代。",
        "起火建筑编号A-12，第3层301室。",
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
    hits = find_personal_data(
        "死者王建华、王 建 华、王　建　华，伤者欧阳小雨（14岁）；李某作证。", names
    )
    assert [(h.value, h.replacement) for h in hits] == [
        ("王建华", "王某某"),
        ("王 建 华", "王某某"),
        ("王　建　华", "王某某"),
        ("欧阳小雨", "欧阳某某"),
    ]
    assert hits[0].kind == "name" and hits[0].label == "姓名（死者）"
    assert hits[0].reason.startswith("死者姓名属于个人信息")
    assert hits[0].basis == f"{BASIS_OPEN_GOV}；{BASIS_PIPL}"
    minor = hits[3]
    assert minor.label == "姓名（伤者）"
    assert "未成年人个人信息，依法予以特别保护" in minor.reason
    assert minor.basis.endswith(BASIS_MINORS) and BASIS_PIPL in minor.basis


def test_a_minor_labelled_as_such() -> None:
    (hit,) = find_personal_data("张小明", (NameToMask("张小明", "未成年人", minor=True),))
    assert hit.label == "姓名（未成年人）" and "未成年人（" not in hit.reason


def test_longest_names_first() -> None:
    names = (NameToMask("王建", "证人"), NameToMask("王建华", "死者"))
    hits = find_personal_data("王建华与王建", names)
    assert [(h.value, h.label, h.replacement) for h in hits] == [
        ("王建华", "姓名（死者）", "王某某"),
        ("王建", "姓名（证人）", "王某"),
    ]


def test_masked_names_are_not_hits_but_names_spaced_twice_are() -> None:
    names = (NameToMask("王建华", "死者"), NameToMask("王某某", "死者"))
    assert kinds("王某某，王  建华", names) == [("name", "王  建华", "王某某")]


def test_a_name_and_a_number_in_one_text() -> None:
    text = "死者王建华（身份证号码11010519491231002X，电话138 7265 1408）"
    hits = find_personal_data(text, (NameToMask("王建华", "死者"),))
    assert [h.kind for h in hits] == ["name", "id_card", "mobile"]
    assert mask_text(text, hits) == "死者王某某（身份证号码1101**********002X，电话138****1408）"


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("王建华", "王某某"),
        ("王华", "王某"),
        ("欧阳建华", "欧阳某某"),
        ("欧阳华", "欧阳某"),
        ("司马光", "司马某"),
        ("诸葛亮", "诸葛某"),
        ("上官婉儿", "上官某某"),
        ("慕容复", "慕容某"),
        ("欧阳", "欧某"),  # two characters: a surname and a given name
        ("王 建 华", "王某某"),
        ("王某某", "王某某"),
        ("王某", "王某"),
        ("", ""),
        ("  ", ""),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


# ------------------------------------------------------------------------------ overlaps, API


def test_of_two_overlapping_hits_the_longer_is_kept() -> None:
    # "0728 5221234" is a landline, but with the mobile number after it the mobile does not
    # join it: a group of eleven digits ends the run
    assert [k[0] for k in kinds("0728-5221234 13812345678")] == ["landline", "mobile"]
    # a name inside an e-mail address: the e-mail is longer
    text = "wangjianhua@example.com"
    assert [k[0] for k in kinds(text, (NameToMask("jianhua", "死者"),))] == ["email"]


def test_mask_text_refuses_hits_of_another_text() -> None:
    text = "电话13812345678。"
    hits = find_personal_data(text)
    assert mask_text(text, hits) == "电话138****5678。"
    assert mask_text(text, ()) == text
    with pytest.raises(RuleError):
        mask_text("另一段" + text, hits)
    with pytest.raises(RuleError):
        mask_text(text, hits + hits)


def test_every_kind_has_a_chinese_label() -> None:
    assert set(HIT_KINDS) == {
        "id_card",
        "id_card_suspect",
        "mobile",
        "landline",
        "bank_card",
        "plate",
        "email",
        "name",
    }
    with pytest.raises(RuleError):
        find_personal_data(None)  # type: ignore[arg-type]


def test_hits_are_frozen() -> None:
    (hit,) = find_personal_data("13812345678")
    assert isinstance(hit, Hit)
    with pytest.raises(AttributeError):
        hit.value = ""  # type: ignore[misc]


def test_masked_numbers_are_not_taken_for_bold_or_italic_marks() -> None:
    line = parse_line("身份证1101**********002X，电话138****1408，**重点**")
    assert line.plain == "身份证1101**********002X，电话138****1408，重点"


# ------------------------------------------------------------------------------ properties

# Chinese filler that neither touches digits nor reads as a measure after a number
