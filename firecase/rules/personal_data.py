"""Personal data in free text, found before a public version is released, and how it is masked.

The public version publishes the handling of a fire "除依法应当保密外" (本办法第二十一条); a
government may not publish information whose disclosure harms a third party's lawful rights
(《中华人民共和国政府信息公开条例》第十五条), and ID numbers, phone numbers, bank accounts and
the like are personal information (《中华人民共和国个人信息保护法》第四条; bank accounts and the
data of minors under fourteen are sensitive, 第二十八条). This module finds, in any text:

* resident ID numbers: 18 digits with a valid GB 11643-1999 check character and birth date
  (``id_card``); the same with a wrong check character (``id_card_suspect``: a mistyped number
  still identifies a person); 15-digit numbers of the first generation (``id_card``);
* mobile numbers (with or without +86, split 3-4-4), landlines (area code + number, with an
  optional extension);
* bank card numbers (16–19 digits starting 3–6, Luhn-valid), licence plates, e-mail addresses;
* the names it is given (the dead, the injured, witnesses, minors, parties).

How numbers are read:

* the text is *folded* character for character before matching (full-width digits, letters,
  ``＋－（）．＠`` and the ideographic space become ASCII; the dashes ``‐‑‒–—−`` become ``-``), so
  every span found is a span of the original text and ``Hit.value`` is the text as typed;
* digits may be split by single spaces or dashes, as officers type them ("4209 8419 9001 0112
  34", "420984-19900101-1234", "138-1234-5678");
* a number never starts or ends inside a longer run of digits: it is not next to a digit, nor to
  a separator with a digit on its other side. One exception: a separator next to a group of
  nine digits or more ends the run, since no typed grouping of one number has such a group —
  "13812345678 13987654321" is two mobile numbers, "420984199001011234 13812345678" an ID number
  and a mobile number;
* a phone number, a landline or a bank card is not taken when an amount or a measure follows
  it (a decimal point with a digit, a thousands comma, 元/万/亿, 平方, 米, %, 人, 年, 吨…) or a
  currency sign precedes it: "13872300000元" is money. ID numbers are always taken (their birth
  date and check character make a coincidence unlikely, and leaking one is the worse mistake);
* dates ("2025-01-09", "20250109"), times, amounts, areas, case and document numbers
  ("天消调〔2025〕第001号", "天政办发〔2022〕40号") do not have the shape of any of these and are
  never taken.

An e-mail address keeps its domain, with any number run into it masked too
("a@13812345678.com" → "a***@138****5678.com"). A full stop not followed by a digit ends a
sentence: "13812345678." is a mobile number.

When two findings overlap, the longer is kept, then the more specific kind (``_SPECIFICITY``:
an ID number wins over a bank card of the same digits). Pure: no database, no Qt, no clock
unless the caller leaves ``today`` out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from firecase.rules.errors import RuleError

__all__ = [
    "BASIS_MINORS",
    "BASIS_OPEN_GOV",
    "BASIS_PIPL",
    "COMPOUND_SURNAMES",
    "HIT_KINDS",
    "Hit",
    "NameToMask",
    "find_personal_data",
    "id_card_valid",
    "mask_name",
    "mask_text",
    "names_after_roles",
]

BASIS_OPEN_GOV = "《中华人民共和国政府信息公开条例》第十五条"
BASIS_PIPL = "《中华人民共和国个人信息保护法》第四条、第二十八条"
BASIS_MINORS = "《中华人民共和国未成年人保护法》第四条"
"""第四条第三项: 保护未成年人隐私权和个人信息."""

_BASIS = f"{BASIS_OPEN_GOV}；{BASIS_PIPL}"
_BASIS_MINOR = f"{_BASIS}；{BASIS_MINORS}"

COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
        "宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "端木", "西门", "南宫", "独孤",
        "呼延", "澹台", "公冶", "太史", "申屠", "闻人", "赫连", "百里", "东郭", "南门",
        "羊舌", "微生", "梁丘", "左丘", "司空", "万俟", "濮阳", "淳于", "单于", "拓跋",
        "第五", "公羊", "仲孙", "叔孙", "亓官", "司寇", "巫马", "公西", "漆雕", "乐正",
        "壤驷", "公良", "谷梁", "宰父", "段干", "呼衍", "子车", "颛孙", "鲜于", "闾丘",
    }
)  # fmt: skip
"""Two-character surnames (复姓): ``mask_name`` keeps both characters."""

HIT_KINDS: dict[str, str] = {
    "id_card": "身份证号码",
    "id_card_suspect": "疑似身份证号码（校验码不符）",
    "mobile": "手机号码",
    "landline": "固定电话号码",
    "bank_card": "银行卡号",
    "plate": "机动车号牌",
    "email": "电子邮箱",
    "name": "姓名",
}
"""Every ``Hit.kind`` and its Chinese label (a name's label adds who it is: "姓名（死者）")."""

_HARM = "公开会损害当事人合法权益"
_REASONS: dict[str, str] = {
    "id_card": f"身份证号码属于个人信息，{_HARM}",
    "id_card_suspect": (
        f"疑似身份证号码（出生日期有效但校验码不符，可能录入有误）仍可识别特定个人，"
        f"属于个人信息，{_HARM}"
    ),
    "mobile": f"手机号码属于个人信息，{_HARM}",
    "landline": f"固定电话号码属于个人信息，{_HARM}",
    "bank_card": f"银行卡号属于金融账户信息（敏感个人信息），{_HARM}",
    "plate": f"机动车号牌可识别车辆所有人，属于个人信息，{_HARM}",
    "email": f"电子邮箱属于个人信息，{_HARM}",
}

_SPECIFICITY = {
    "id_card": 0,
    "id_card_suspect": 1,
    "bank_card": 2,
    "mobile": 3,
    "landline": 4,
    "email": 5,
    "plate": 6,
    "name": 7,
}
"""Of two overlapping findings of equal length, the one with the lower number is kept."""

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_EARLIEST_BIRTH = dt.date(1900, 1, 1)
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_LONG_GROUP = 9
"""A group of this many digits is a whole number, not a typed part of one (module docstring)."""


@dataclass(frozen=True)
class NameToMask:
    """A name to find: who it is (``label``: 死者, 伤者, 证人, 未成年人, 当事人…).

    ``minor`` is True for a person under eighteen: the reason and the basis say so.
    """

    name: str
    label: str
    minor: bool = False


@dataclass(frozen=True)
class Hit:
    """One piece of personal data found in a text, and how it is masked."""

    kind: str  # a key of HIT_KINDS
    label: str  # Chinese, e.g. "身份证号码", "姓名（死者）"
    start: int  # span in the text searched (Python str indices)
    end: int
    value: str  # text[start:end] as written (spaces, dashes, full-width digits kept)
    replacement: str  # the masked form printed instead
    reason: str  # Chinese: why it is masked
    basis: str  # the provisions the reason rests on


# ------------------------------------------------------------------------------ folding

_FOLD: dict[int, int] = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}  # ０-９
_FOLD.update({cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FOLD.update({cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FOLD.update({ord(a): ord(b) for a, b in zip("＋－（）．＠\u3000", "+-().@ ", strict=True)})
_FOLD.update({ord(ch): ord("-") for ch in "\u2010\u2011\u2012\u2013\u2014\u2212"})
_FOLD.update({ord(ch): ord("X") for ch in "×Ⅹ"})  # a check character typed as 乘号 or 罗马数字
_FOLD.update({ord(ch): ord("·") for ch in "•・･"})  # the middle dot of names, as typed


def _fold(text: str) -> str:
    """``text`` with full-width forms and dashes as ASCII, one character for one (same length)."""
    return text.translate(_FOLD)


def _digits(text: str) -> str:
    """The digits (and a check character X) of a folded number, separators dropped."""
    return re.sub(r"[^0-9X]", "", text.upper())


# ------------------------------------------------------------------------------ ID numbers


def _check_char(body17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(body17, _WEIGHTS, strict=True)) % 11]


def _birth_ok(year: int, month: int, day: int, today: dt.date) -> bool:
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    return _EARLIEST_BIRTH <= born <= today


def _id18_shape(n: str, today: dt.date) -> bool:
    """18 characters, region first digit 1–9, a real birth date: an ID number, valid or not."""
    return bool(re.fullmatch(r"[1-9][0-9]{16}[0-9X]", n)) and _birth_ok(
        int(n[6:10]), int(n[10:12]), int(n[12:14]), today
    )


def _id15_valid(n: str, today: dt.date) -> bool:
    return bool(re.fullmatch(r"[1-9][0-9]{14}", n)) and _birth_ok(
        1900 + int(n[6:8]), int(n[8:10]), int(n[10:12]), today
    )


def id_card_valid(number: str, *, today: dt.date | None = None) -> bool:
    """Whether ``number`` is a valid resident ID number.

    18 characters (GB 11643-1999): region code not starting with 0, a birth date from 1900-01-01
    to ``today``, and the check character (``x`` is read as ``X``); or 15 digits of the first
    generation (6 region + YYMMDD of 19YY + 3). Full-width digits and separating spaces or
    dashes are allowed. ``today`` defaults to the system date.
    """
    if not isinstance(number, str):
        return False
    day = today or dt.date.today()
    n = re.sub(r"[ \-]", "", _fold(number)).upper()
    if len(n) == 18:
        return _id18_shape(n, day) and _check_char(n[:17]) == n[17]
    return len(n) == 15 and _id15_valid(n, day)


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# ------------------------------------------------------------------------------ names


def mask_name(name: str) -> str:
    """王建华 → 王某某; 王华 → 王某; 欧阳建华 → 欧阳某某; 欧阳华 → 欧阳某.

    White space inside the name is dropped ("王 建 华" → 王某某). A name already masked
    (containing 某) is returned unchanged; an empty name gives "".
    """
    if "某" in name:
        return name
    plain = "".join(name.split())
    if not plain:
        return ""
    surname = plain[:2] if len(plain) > 2 and plain[:2] in COMPOUND_SURNAMES else plain[:1]
    rest = len(plain) - len(surname)
    return surname + ("某" if rest <= 1 else "某某")


# ------------------------------------------------------------------------------ patterns

_D = "[0-9]"
_S = "[ -]"  # one separator between digit groups (after folding)


def _spaced(n: int, last: str = _D) -> str:
    """``n`` digits (the last one ``last``) with at most one separator between any two."""
    return f"{_D}(?:{_S}?{_D}){{{n - 2}}}{_S}?{last}"


def _at_every_start(pattern: str) -> re.Pattern[str]:
    """A pattern tried at every position (a lookahead, so findings may overlap), never right
    after a digit, and never ending right before one; group 1 is the finding."""
    return re.compile(rf"(?<![0-9])(?=({pattern})(?![0-9]))")


_ID18 = _at_every_start(_spaced(18, "[0-9Xx]"))
_ID15 = _at_every_start(_spaced(15))
_BANK = _at_every_start(rf"[3-6](?:{_S}?{_D}){{15,18}}")
_MOBILE = _at_every_start(
    rf"(?:(?:\((?:\+|00)?86\)|(?:\+|00)?86){_S}?)?1[3-9]{_D}{_S}?{_D}{{4}}{_S}?{_D}{{4}}"
)
_AREA = "0(?:10|2[0-9]|[3-9][0-9]{2})"  # 010, 02x: three digits; elsewhere four
_LANDLINE = _at_every_start(
    rf"(?:\((?P<area1>{_AREA})\){_S}?|(?P<area2>{_AREA}){_S}?)"
    rf"(?P<number>[2-9][0-9]{{2,3}}{_S}?[0-9]{{4}})(?:(?:转|-)[0-9]{{1,5}})?"
)
_PLATE_CHAR = "[A-HJ-NP-Z0-9]"
_PLATE = re.compile(
    rf"(?<![A-Za-z0-9])([{_PROVINCES}])([A-HJ-NP-Z])[·・.•･ -]?"
    rf"([DF]{_PLATE_CHAR}{{5}}|[0-9]{{5}}[DF]"
    rf"|{_PLATE_CHAR}{{4}}(?:{_PLATE_CHAR}[挂学警]?|[挂学警港澳]))(?![A-Za-z0-9号型])",
    re.IGNORECASE,
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,}(?![A-Za-z0-9])"
)

# what makes a number an amount or a measure, not a phone or an account
_MEASURE_AFTER = re.compile(
    r"\s*(?:\.[0-9]|,[0-9]{3}(?![0-9])|元|万|亿|平方|立方|米|%|‰|人(?!民)|年|吨|千克|公斤)"
)
_MONEY_BEFORE = re.compile(r"(?:[¥￥$]|RMB|人民币|[0-9]\.)\s*$")


def _group_before(f: str, i: int) -> int:
    """How many digits (or X) end at ``i`` (exclusive)."""
    j = i
    while j > 0 and (f[j - 1].isascii() and (f[j - 1].isdigit() or f[j - 1] in "Xx")):
        j -= 1
    return i - j


def _group_after(f: str, i: int) -> int:
    """How many digits (or X) start at ``i``."""
    j = i
    while j < len(f) and f[j].isascii() and (f[j].isdigit() or f[j] in "Xx"):
        j += 1
    return j - i


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


def _bounded(f: str, start: int, end: int, *, letters: bool = False) -> bool:
    """Whether ``f[start:end]`` is a whole number: not joined by a single separator to more
    digits (unless one of the two groups has nine digits or more), and, with ``letters``, not
    next to a Latin letter."""
    if start >= 2 and f[start - 1] in " -" and _is_digit(f[start - 2]) and _is_digit(f[start]):
        own, other = _group_after(f, start), _group_before(f, start - 1)
        if own < _LONG_GROUP and other < _LONG_GROUP:
            return False
    if end + 1 < len(f) and f[end] in " -" and _is_digit(f[end + 1]):
        own, other = _group_before(f, end), _group_after(f, end + 1)
        if own < _LONG_GROUP and other < _LONG_GROUP:
            return False
    if letters:
        before = f[start - 1] if start else ""
        after = f[end] if end < len(f) else ""
        if (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha()):
            return False
    return True


def _is_amount(f: str, start: int, end: int) -> bool:
    """Whether an amount or a measure follows, or a currency sign precedes (module docstring)."""
    return bool(_MEASURE_AFTER.match(f, end) or _MONEY_BEFORE.search(f, max(0, start - 8), start))


def _stars(digits: str, head: int, tail: int) -> str:
    hidden = max(len(digits) - head - tail, 0)
    return digits[:head] + "*" * hidden + digits[len(digits) - tail :]


# ------------------------------------------------------------------------------ detectors

_Found = tuple[str, int, int, str]  # kind, start, end, replacement


def _find_ids(f: str, today: dt.date) -> list[_Found]:
    found: list[_Found] = []
    for m in _ID18.finditer(f):
        start, end = m.span(1)
        n = _digits(m.group(1))
        if _id18_shape(n, today) and _bounded(f, start, end, letters=True):
            kind = "id_card" if _check_char(n[:17]) == n[17] else "id_card_suspect"
            found.append((kind, start, end, _stars(n, 4, 4)))
    for m in _ID15.finditer(f):
        start, end = m.span(1)
        n = _digits(m.group(1))
        if _id15_valid(n, today) and _bounded(f, start, end, letters=True):
            found.append(("id_card", start, end, _stars(n, 4, 4)))
    return found


def _find_bank_cards(f: str) -> list[_Found]:
    found: list[_Found] = []
    for m in _BANK.finditer(f):
        start, end = m.span(1)
        n = _digits(m.group(1))
        if _luhn(n) and _bounded(f, start, end) and not _is_amount(f, start, end):
            found.append(("bank_card", start, end, _stars(n, 4, 4)))
    return found


def _find_mobiles(f: str) -> list[_Found]:
    found: list[_Found] = []
    for m in _MOBILE.finditer(f):
        start, end = m.span(1)
        if _bounded(f, start, end) and not _is_amount(f, start, end):
            found.append(("mobile", start, end, _stars(_digits(m.group(1))[-11:], 3, 4)))
    return found


def _find_landlines(f: str) -> list[_Found]:
    found: list[_Found] = []
    for m in _LANDLINE.finditer(f):
        start, end = m.span(1)
        if _bounded(f, start, end) and not _is_amount(f, start, end):
            area = m.group("area1") or m.group("area2")
            number = _digits(m.group("number"))
            found.append(("landline", start, end, f"{area}-{_stars(number, 0, 3)}"))
    return found


def _find_plates(f: str) -> list[_Found]:
    found: list[_Found] = []
    for m in _PLATE.finditer(f):
        body = m.group(3).upper()
        if sum(ch.isdigit() for ch in body) < 2:
            continue  # a province character before a Latin word, not a plate
        masked = m.group(1) + m.group(2).upper() + "*" * (len(body) - 1) + body[-1]
        found.append(("plate", m.start(), m.end(), masked))
    return found


def _find_emails(f: str, today: dt.date) -> list[_Found]:
    found: list[_Found] = []
    for m in _EMAIL.finditer(f):
        local, _, domain = m.group(0).partition("@")
        # the domain is kept, but not a number run into it ("example.com0728-5221234")
        pieces: list[str] = []
        last = 0
        for _kind, start, end, replacement in _resolve(_find_numbers(domain, today)):
            pieces += [domain[last:start], replacement]
            last = end
        shown = "".join(pieces) + domain[last:]
        found.append(("email", m.start(), m.end(), f"{local[0]}***@{shown}"))
    return found


def _find_numbers(f: str, today: dt.date) -> list[_Found]:
    """ID numbers, bank cards, mobiles and landlines in the folded text ``f``."""
    return _find_ids(f, today) + _find_bank_cards(f) + _find_mobiles(f) + _find_landlines(f)


def _resolve(found: list[_Found]) -> list[_Found]:
    """Of overlapping findings the longer, then the more specific; sorted by start."""
    found = sorted(found, key=lambda x: (-(x[2] - x[1]), _SPECIFICITY[x[0]], x[1]))
    taken: list[_Found] = []
    for item in found:
        if all(item[2] <= t[1] or item[1] >= t[2] for t in taken):
            taken.append(item)
    return sorted(taken, key=lambda x: x[1])


def _name_hits(text: str, f: str, names: Sequence[NameToMask]) -> list[Hit]:
    hits: list[Hit] = []
    seen: set[str] = set()
    wanted = [(n, "".join(n.name.split())) for n in names]
    for person, name in sorted(wanted, key=lambda x: -len(x[1])):
        if len(name) < 2 or name in seen or "某" in name:
            continue
        seen.add(name)
        pattern = re.compile(" {0,2}".join(re.escape(ch) for ch in _fold(name)))
        if person.minor:
            who = "未成年人" if person.label == "未成年人" else f"未成年人（{person.label}）"
            reason = f"{who}姓名属于未成年人个人信息，依法予以特别保护，{_HARM}"
            basis = _BASIS_MINOR
        else:
            reason = f"{person.label}姓名属于个人信息，{_HARM}"
            basis = _BASIS
        label = f"{HIT_KINDS['name']}（{person.label}）"
        replacement = mask_name(name)
        for m in pattern.finditer(f):
            value = text[m.start() : m.end()]
            hits.append(Hit("name", label, m.start(), m.end(), value, replacement, reason, basis))
    return hits


def find_personal_data(
    text: str, names: Sequence[NameToMask] = (), *, today: dt.date | None = None
) -> tuple[Hit, ...]:
    """Every piece of personal data in ``text``, sorted by start, none overlapping another (of
    two that overlap the longer is kept, then the more specific kind).

    ``names`` are searched as given, longest first, also with a single space (or ideographic
    space) between their characters; names shorter than two characters and names already masked
    (with 某) are ignored. ``today`` bounds the birth dates of ID numbers (default: the system
    date).
    """
    if not isinstance(text, str):
        raise RuleError("待审查的内容必须是文本", field="text")
    f = _fold(text)
    day = today or dt.date.today()
    found = _find_numbers(f, day) + _find_plates(f) + _find_emails(f, day)
    hits = [
        Hit(kind, HIT_KINDS[kind], s, e, text[s:e], rep, _REASONS[kind], _BASIS)
        for kind, s, e, rep in found
    ]
    hits.extend(_name_hits(text, f, names))
    hits.sort(key=lambda h: (-(h.end - h.start), _SPECIFICITY[h.kind], h.start))
    taken: list[Hit] = []
    for h in hits:
        if all(h.end <= t.start or h.start >= t.end for t in taken):
            taken.append(h)
    return tuple(sorted(taken, key=lambda h: h.start))


def mask_text(text: str, hits: Sequence[Hit]) -> str:
    """``text`` with each hit's span replaced by its replacement.

    The hits must come from :func:`find_personal_data` on this very text (or a subset of them):
    a hit whose span does not hold its value, or two hits that overlap, raise RuleError.
    """
    out: list[str] = []
    last = 0
    for h in sorted(hits, key=lambda x: (x.start, x.end)):
        if text[h.start : h.end] != h.value or h.start < 0:
            raise RuleError(f"遮盖位置与原文不符（{h.label}：{h.value}）", field="hits")
        if h.start < last:
            raise RuleError(f"遮盖位置相互重叠（{h.label}：{h.value}）", field="hits")
        out.append(text[last : h.start])
        out.append(_apart(h.replacement, text[: h.start], text[h.end :]))
        last = h.end
    out.append(text[last:])
    return "".join(out)


_EDGE_DIGITS_START = re.compile(r"^[0-9０-９Xx]+")
_EDGE_DIGITS_END = re.compile(r"[0-9０-９Xx]+$")
_JOINERS = " \u3000-－·."


def _apart(replacement: str, before: str, after: str) -> str:
    """``replacement`` with the digits it shows at an edge starred where digits stand next to
    that edge in the text (across spaces or separators): shown digits never join the text's
    own into another number ("861300000 " + "4106****" would print a mobile number)."""
    if before.rstrip(_JOINERS)[-1:].isdigit():
        replacement = _EDGE_DIGITS_START.sub(lambda m: "*" * len(m.group()), replacement)
    if after.lstrip(_JOINERS)[:1].isdigit():
        replacement = _EDGE_DIGITS_END.sub(lambda m: "*" * len(m.group()), replacement)
    return replacement


# ------------------------------------------------------------------------- names not registered

# A person named in a report is most often introduced by their role: "仓库保管员杨春梅发现…",
# "值班人员聂小红未到现场", "电焊工胡小兵在…". A role word, a common surname, one or two more
# characters and then a word that cannot be part of a name find most such names; each is only a
# suspicion, masked by default and kept by an officer with a reason.
_ROLE_WORDS = (
    "保管员|值班员|管理员|理货员|操作员|驾驶员|安全员|电工|焊工|电焊工|辅助工|员工|职工|工人|"
    "人员|司机|经理|主任|主管|站长|队长|班长|组长|厂长|店长|老板|店主|业主|户主|住户|租户|房东|"
    "负责人|法定代表人|经营者|实际控制人|承租人|出租人|证人|死者|伤者|遇难者|当事人|保安|门卫|厨师|"
    "学生|居民|村民|邻居|之子|之女|之父|之母|之妻|之夫|妻子|丈夫|儿子|女儿"
)
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤聂樊易常温庞颜倪施牛洪童柳"
)
# after a name: punctuation, or a character that starts the next word and cannot end a name
_AFTER_NAME = set(
    "，。、；：！？）（)(,.;:“”\"' \n"
    "发在未于等和与及的是被将对向从因也已并又就称说作为驾使进负安经曾把让由同"
)
_ROLE_NAME = re.compile(rf"(?:{_ROLE_WORDS})([{_SURNAMES}])([\u4e00-\u9fff]{{1,2}})")


def names_after_roles(text: str) -> tuple[str, ...]:
    """Names a text introduces by a role ("保管员杨春梅发现" → "杨春梅"), each once, in order;
    a name already masked ("王某某") is none."""
    found: list[str] = []
    for m in _ROLE_NAME.finditer(text):
        surname, given = m.group(1), m.group(2)
        after = text[m.end() : m.end() + 1]
        ends = after == "" or after in _AFTER_NAME
        if len(given) == 2 and ends and given[1] not in _AFTER_NAME:
            name = surname + given
        elif given[0] in _AFTER_NAME:
            continue
        elif (len(given) == 1 and ends) or (len(given) == 2 and given[1] in _AFTER_NAME):
            name = surname + given[0]
        else:
            continue
        if "某" not in name and name not in found:
            found.append(name)
    return tuple(found)
