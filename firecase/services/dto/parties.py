"""Parties and persons of a case, and the close relatives they declare (第十五条)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_BRACKETED = re.compile(r"^(?P<name>.+?)\s*[（(](?P<relation>[^（）()]*)[）)]\s*$")


_SPACED = re.compile(r"^(?P<name>\S+)\s+(?P<relation>\S{1,4})$")


_KIN = frozenset("父母爸妈兄弟哥姐妹夫妻配偶子女儿祖孙婿媳叔伯姑舅姨侄甥岳公婆嫂亲")
"""Characters of kinship terms: "刘强 兄" is a name and a relation, "刘 强" a name typed apart."""


@dataclass(frozen=True)
class Relative:
    """A declared close relative (第十五条): the name, and the relation to the person ("兄").

    Stored as one line ``name<TAB>relation``; ``parse`` also reads the older forms typed as one
    text: "刘强（兄）", "刘强(兄)", "刘强 兄" (after one space, a kinship term of at most 4
    characters) and a bare "刘强" (relation "").
    """

    name: str
    relation: str = ""

    @property
    def display(self) -> str:
        """As lists show it: "刘强（兄）", or the name alone without a relation."""
        return f"{self.name}（{self.relation}）" if self.relation else self.name

    def __str__(self) -> str:
        return self.display

    @property
    def stored(self) -> str:
        """The stored line: ``name<TAB>relation`` (the tab even for an empty relation)."""
        return f"{self.name}\t{self.relation}"

    @classmethod
    def parse(cls, line: str) -> Relative:
        """A stored line or a relative typed as one text (see the class docstring)."""
        if "\t" in line:
            name, _, relation = line.partition("\t")
            return cls(name.strip(), relation.strip())
        text = line.strip()
        found = _BRACKETED.match(text)
        if found is None:
            found = _SPACED.match(text)
            if found is not None and not _KIN.intersection(found["relation"]):
                found = None
        if found is not None:
            return cls(found["name"].strip(), found["relation"].strip())
        return cls(text, "")


@dataclass(frozen=True)
class PartyInput:
    """A person, unit or department involved in the fire."""

    kind: str  # firecase.rules.PartyKind value
    name: str
    role: str = "当事人"
    organisation: str = ""
    relatives: tuple[str | Relative, ...] = ()  # a str is read by ``Relative.parse``
    contact: str = ""
    note: str = ""


PERSON_ROLES = ("死者", "重伤", "轻伤", "证人")
"""The roles of the register of persons (第十八条第三项: 人员伤亡; witnesses as heard)."""


PERSON_SEXES = ("不详", "男", "女")  # "不详" is stored as ""


@dataclass(frozen=True)
class PersonInput:
    """One person of the register: a 死者, 伤者 or 证人 (entered on 概况)."""

    role: str  # one of PERSON_ROLES
    name: str
    sex: str = ""  # "男" | "女" | "" (not recorded)
    age: int | None = None
    id_no: str = ""  # 居民身份证号码 (18 digits with a valid check digit, or 15)
    phone: str = ""
    note: str = ""


@dataclass(frozen=True)
class PartyView:
    """A party of the case."""

    id: int
    kind: str
    name: str
    role: str
    organisation: str
    relatives: tuple[str, ...]  # as shown: "刘强（兄）"
    contact: str
    note: str
    version: int
    relatives_detail: tuple[Relative, ...] = ()


@dataclass(frozen=True)
class PersonView:
    """One person of the register (死者、伤者、证人)."""

    id: int
    role: str
    name: str
    sex: str
    age: int | None
    id_no: str
    phone: str
    note: str
    version: int

    @property
    def minor(self) -> bool:
        """Under 18 (未成年人保护法第二条): named only with special care."""
        return self.age is not None and self.age < 18
