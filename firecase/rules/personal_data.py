"""Personal data in free text, found before a public version is released, and how it is masked.

The public version publishes the handling of a fire "除依法应当保密外" (本办法第二十一条); a
government may not publish information whose disclosure harms a third party's lawful rights
(《中华人民共和国政府信息公开条例》第十五条), and ID numbers, phone numbers, bank accounts and
the like are personal information (《中华人民共和国个人信息保护法》第四条; bank accounts and the
data of minors under fourteen are sensitive, 第二十八条). This module finds, in any text:

* resident ID numbers: 18 digits with a valid GB 11643-1999 check character and birth date
  (``id_card``); the same with a wrong check character (``id_card_suspect``: a mistyped number
  still identifies a person); 15-digit numbers of the first generation;
* mobile numbers (with or without +86, split 3-4-4), landlines (area code + number),
* bank card numbers (16–19 digits, Luhn-valid), licence plates, e-mail addresses,
* the names it is given (the dead, the injured, witnesses, minors, parties).

Digits may be full-width and split by single spaces or dashes, as officers type them. Dates,
times, amounts, areas, case numbers and document numbers are never taken for numbers to mask.
Pure: no database, no Qt.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "BASIS_MINORS",
    "BASIS_OPEN_GOV",
    "BASIS_PIPL",
    "Hit",
    "NameToMask",
    "find_personal_data",
    "id_card_valid",
    "mask_name",
    "mask_text",
]

BASIS_OPEN_GOV = "《中华人民共和国政府信息公开条例》第十五条"
BASIS_PIPL = "《中华人民共和国个人信息保护法》第四条、第二十八条"
BASIS_MINORS = "《中华人民共和国未成年人保护法》第四条"

_BASIS = f"{BASIS_OPEN_GOV}；{BASIS_PIPL}"

COMPOUND_SURNAMES = frozenset(
    {
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "钟离",
        "端木",
        "西门",
        "南宫",
        "独孤",
        "呼延",
        "澹台",
        "公冶",
        "太史",
        "申屠",
        "闻人",
        "赫连",
        "百里",
        "东郭",
        "南门",
        "羊舌",
        "微生",
        "梁丘",
        "左丘",
        "司空",
        "万俟",
        "濮阳",
        "淳于",
        "单于",
        "拓跋",
        "第五",
    }
)

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_SEP = "[ \\-－—‐]"  # one separator between digit groups, as typed
_D = "[0-9０-９]"
# after a number: what makes it an amount or a measure, not a phone or an account
_MEASURE_AFTER = re.compile(
    r"^\s*(?:[.．,，]\d|元|万|亿|平方|米|%|％|人|年|月|日|吨|千克|公斤|个|次|号)"
)


@dataclass(frozen=True)
class NameToMask:
    """A name to find: who it is (``label``: 死者, 伤者, 证人, 未成年人, 当事人…)."""

    name: str
    label: str
    minor: bool = False


@dataclass(frozen=True)
class Hit:
    """One piece of personal data found in a text."""

    kind: str  # id_card | id_card_suspect | mobile | landline | bank_card | plate | email | name
    label: str  # Chinese, e.g. "身份证号码", "姓名（死者）"
    start: int  # span in the text searched
    end: int
    value: str  # the text as written (spaces, dashes, full-width digits kept)
    replacement: str  # the masked form printed instead
    reason: str
    basis: str


def _ascii(text: str) -> str:
    """Full-width digits and letters as ASCII, separators dropped."""
    plain = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\-－—‐()（）+]", "", plain)


def _birth_ok(year: int, month: int, day: int, today: dt.date | None = None) -> bool:
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= (today or dt.date.today())


def _check_char(body17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(body17, _WEIGHTS, strict=True)) % 11]


def id_card_valid(number: str) -> bool:
    """Whether ``number`` is a valid resident ID number: 18 characters with the GB 11643-1999
    check character and a real birth date (1900 – today), or 15 digits of the first generation
    (birth 19YYMMDD). Full-width digits, spaces and dashes are allowed."""
    n = _ascii(number).upper()
    if re.fullmatch(r"[1-9]\d{16}[\dX]", n):
        return (
            _birth_ok(int(n[6:10]), int(n[10:12]), int(n[12:14])) and _check_char(n[:17]) == n[17]
        )
    if re.fullmatch(r"[1-9]\d{14}", n):
        return _birth_ok(1900 + int(n[6:8]), int(n[8:10]), int(n[10:12]))
    return False


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


def mask_name(name: str) -> str:
    """王建华 → 王某某; 王华 → 王某; 欧阳建华 → 欧阳某某; a name already masked is kept."""
    name = name.strip()
    if not name or "某" in name:
        return name
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    rest = len(name) - len(surname)
    return surname + ("某" if rest <= 1 else "某某")


def _stars(digits: str, head: int, tail: int) -> str:
    hidden = max(len(digits) - head - tail, 0)
    return digits[:head] + "*" * hidden + digits[len(digits) - tail :]


def _spaced(n: int, last: str = _D) -> str:
    """``n`` digits (the last one ``last``) with at most one separator between any two."""
    return f"{_D}(?:{_SEP}?{_D}){{{n - 2}}}{_SEP}?{last}"


# every pattern is tried at every position; a number never starts or ends inside a longer one
# (not next to a digit, nor to a separator that has a digit on its other side)
_B = r"(?<![0-9０-９])(?<![0-9０-９][ \-－—‐])"
_E = r"(?![0-9０-９])(?![ \-－—‐][0-9０-９])"
_ID18 = re.compile(rf"{_B}(?<![A-Za-z])({_spaced(18, '[0-9０-９XxＸｘ]')})(?![A-Za-z]){_E}")
_ID15 = re.compile(rf"{_B}({_spaced(15)})(?![A-Za-z]){_E}")
_BANK = re.compile(rf"{_B}([3-6３-６]{_D}{{3}}(?:{_SEP}?{_D}){{12,15}}){_E}")
_MOBILE = re.compile(
    rf"{_B}((?:[(（]?[+＋]?(?:86|８６)[)）]?{_SEP}?)?"
    rf"[1１][3-9３-９]{_D}{_SEP}?{_D}{{4}}{_SEP}?{_D}{{4}}){_E}"
)
_LANDLINE = re.compile(
    rf"{_B}((?:[(（][0０]{_D}{{2,3}}[)）]|[0０]{_D}{{2,3}}){_SEP}?[2-8２-８]{_D}{{6,7}}"
    rf"(?:(?:转|{_SEP}){_D}{{1,5}})?){_E}"
)
_PLATE = re.compile(
    rf"(?<![A-Za-z0-9])([{_PROVINCES}][A-HJ-NP-Z][·・. ]?"
    r"(?:[DF][A-HJ-NP-Z0-9]{5}|[0-9]{5}[DF]|[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳]))(?![A-Za-z0-9])"
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
)

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


def _number_hits(text: str) -> list[Hit]:
    hits: list[Hit] = []
    for m in _ID18.finditer(text):
        n = _ascii(m.group(1)).upper()
        if not re.fullmatch(r"[1-9]\d{16}[\dX]", n):
            continue
        if not _birth_ok(int(n[6:10]), int(n[10:12]), int(n[12:14])):
            continue
        valid = _check_char(n[:17]) == n[17]
        hits.append(
            Hit(
                "id_card" if valid else "id_card_suspect",
                "身份证号码" if valid else "疑似身份证号码（校验码不符）",
                m.start(1),
                m.end(1),
                m.group(1),
                _stars(n, 4, 4),
                "身份证号码属于个人信息，公开会损害当事人的合法权益"
                + ("" if valid else "（校验码不符，可能录入有误，仍可识别个人）"),
                _BASIS,
            )
        )
    for m in _ID15.finditer(text):
        n = _ascii(m.group(1))
        if len(n) == 15 and id_card_valid(n):
            hits.append(
                Hit(
                    "id_card",
                    "身份证号码（15位）",
                    m.start(1),
                    m.end(1),
                    m.group(1),
                    _stars(n, 4, 4),
                    "身份证号码属于个人信息，公开会损害当事人的合法权益",
                    _BASIS,
                )
            )
    for m in _BANK.finditer(text):
        n = _ascii(m.group(1))
        if 16 <= len(n) <= 19 and _luhn(n) and not _MEASURE_AFTER.match(text[m.end(1) :]):
            hits.append(
                Hit(
                    "bank_card",
                    "银行卡号",
                    m.start(1),
                    m.end(1),
                    m.group(1),
                    _stars(n, 4, 4),
                    "银行卡号属于金融账户信息（敏感个人信息）",
                    _BASIS,
                )
            )
    for m in _MOBILE.finditer(text):
        if _MEASURE_AFTER.match(text[m.end(1) :]):
            continue
        n = _ascii(m.group(1))[-11:]
        hits.append(
            Hit(
                "mobile",
                "手机号码",
                m.start(1),
                m.end(1),
                m.group(1),
                _stars(n, 3, 4),
                "手机号码属于个人信息，公开会损害当事人的合法权益",
                _BASIS,
            )
        )
    for m in _LANDLINE.finditer(text):
        if _MEASURE_AFTER.match(text[m.end(1) :]):
            continue
        raw = unicodedata.normalize("NFKC", m.group(1))
        area = re.match(r"[(（]?(0\d{2,3})[)）]?[ \-－—‐]?", raw)
        assert area is not None
        number = re.sub(r"\D", "", re.split(r"转|[ \-－—‐](?=\d{1,5}$)", raw[area.end() :])[0])
        hits.append(
            Hit(
                "landline",
                "固定电话号码",
                m.start(1),
                m.end(1),
                m.group(1),
                f"{area.group(1)}-{_stars(number, 0, 3)}",
                "电话号码属于个人信息，公开会损害当事人的合法权益",
                _BASIS,
            )
        )
    for m in _PLATE.finditer(text):
        raw = re.sub(r"[·・. ]", "", m.group(1))
        hits.append(
            Hit(
                "plate",
                "机动车号牌",
                m.start(1),
                m.end(1),
                m.group(1),
                raw[:2] + "*" * (len(raw) - 3) + raw[-1],
                "机动车号牌可识别车辆所有人，属于个人信息",
                _BASIS,
            )
        )
    for m in _EMAIL.finditer(text):
        local, _, domain = m.group(1).partition("@")
        hits.append(
            Hit(
                "email",
                "电子邮箱",
                m.start(1),
                m.end(1),
                m.group(1),
                f"{local[0]}***@{domain}",
                "电子邮箱属于个人信息，公开会损害当事人的合法权益",
                _BASIS,
            )
        )
    return hits


def _name_hits(text: str, names: Sequence[NameToMask]) -> list[Hit]:
    hits: list[Hit] = []
    seen: set[str] = set()
    for n in sorted(names, key=lambda x: -len(x.name.strip())):
        name = n.name.strip()
        if len(name) < 2 or name in seen or "某" in name:
            continue
        seen.add(name)
        pattern = re.compile("[ \u3000]?".join(re.escape(ch) for ch in name))
        if n.minor:
            reason = f"未成年人（{n.label}）的姓名属于个人信息，依法予以特别保护"
            basis = f"{_BASIS}；{BASIS_MINORS}"
        else:
            reason = f"{n.label}的姓名属于个人信息，公开会损害其合法权益"
            basis = _BASIS
        label = f"姓名（{'未成年人' if n.minor else n.label}）"
        for m in pattern.finditer(text):
            hits.append(
                Hit("name", label, m.start(), m.end(), m.group(0), mask_name(name), reason, basis)
            )
    return hits


def find_personal_data(text: str, names: Sequence[NameToMask] = ()) -> tuple[Hit, ...]:
    """Every piece of personal data in ``text``, in order, none overlapping another (of two
    that overlap the longer is kept, then the more specific kind)."""
    hits = _number_hits(text) + _name_hits(text, names)
    hits.sort(key=lambda h: (-(h.end - h.start), _SPECIFICITY[h.kind], h.start))
    taken: list[Hit] = []
    for h in hits:
        if all(h.end <= t.start or h.start >= t.end for t in taken):
            taken.append(h)
    return tuple(sorted(taken, key=lambda h: h.start))


def mask_text(text: str, hits: Sequence[Hit]) -> str:
    """``text`` with each hit (from :func:`find_personal_data` on this text) masked."""
    out: list[str] = []
    last = 0
    for h in sorted(hits, key=lambda x: x.start):
        out.append(text[last : h.start])
        out.append(h.replacement)
        last = h.end
    out.append(text[last:])
    return "".join(out)
