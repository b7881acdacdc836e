"""TEMPORARY stub (replaced by the full detectors)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

BASIS_OPEN_GOV = "《中华人民共和国政府信息公开条例》第十五条"
BASIS_PIPL = "《中华人民共和国个人信息保护法》第四条、第二十八条"


@dataclass(frozen=True)
class NameToMask:
    name: str
    label: str
    minor: bool = False


@dataclass(frozen=True)
class Hit:
    kind: str
    label: str
    start: int
    end: int
    value: str
    replacement: str
    reason: str
    basis: str


def mask_name(name: str) -> str:
    if not name or "某" in name:
        return name
    return name[0] + ("某" if len(name) == 2 else "某某")


def id_card_valid(number: str) -> bool:
    if len(number) != 18:
        return len(number) == 15
    w = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    s = sum(int(c) * x for c, x in zip(number[:17], w))
    return "10X98765432"[s % 11] == number[17].upper()


def find_personal_data(text: str, names: Sequence[NameToMask] = ()) -> tuple[Hit, ...]:
    hits: list[Hit] = []
    for m in re.finditer(r"(?<!\d)\d{17}[\dXx](?!\d)", text):
        v = m.group(0)
        hits.append(Hit("id_card", "身份证号码", m.start(), m.end(), v, v[:4] + "*" * 10 + v[-4:], "r", BASIS_OPEN_GOV))
    for m in re.finditer(r"(?<!\d)1[3-9]\d{9}(?!\d)", text):
        v = m.group(0)
        hits.append(Hit("mobile", "手机号码", m.start(), m.end(), v, v[:3] + "****" + v[-4:], "r", BASIS_OPEN_GOV))
    for n in sorted(names, key=lambda x: -len(x.name)):
        if len(n.name) < 2:
            continue
        for m in re.finditer(re.escape(n.name), text):
            hits.append(Hit("name", f"姓名（{n.label}）", m.start(), m.end(), n.name, mask_name(n.name), "r", BASIS_OPEN_GOV))
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    out: list[Hit] = []
    end = -1
    for h in hits:
        if h.start >= end:
            out.append(h)
            end = h.end
    return tuple(out)
