"""Recusal screening (第十五条, 第十六条第四项).

The screen compares each active member's name, declared close relatives and organisation with
the case's parties (persons, units, and government departments under investigation) and flags
possible conflicts for the team leader to decide. A flag is a prompt for a decision, never a
decision.

Names are compared after ``normalise_name``: Unicode NFKC (full-width letters, digits, brackets
and the ideographic space become their ordinary forms), every white-space character removed,
every bracketed part removed (``（兄）``, ``(兄)``, ``【…】``, ``[…]``: a relation or a remark typed
after a name), and the middle dots of transcribed names (``·•・``) removed, so "刘 强（兄）",
"刘强(兄)" and "刘强" are the same name.

Beyond equal names the screen flags *near* names (``RecusalFlag.near``) for the officer to check,
because a name typed twice is often typed slightly differently:

* both normalised names have at least 3 characters, the same length, and differ in exactly one
  character (a wrong character of the same sound: 刘志强 / 刘智强). Two-character names are not
  compared this way: 刘强 / 刘刚 or 张强 / 刘强 are different people far more often than typos;
* or the shorter name, of at least 2 characters, is contained in the longer one (a name with a
  character more or less, 刘强 / 刘强强; a unit written with or without its place, 住建局 ⊂
  天门市住建局).

A near flag says "姓名相近（X / Y），请核实是否同一人" (for units "名称相近…是否同一单位"); an equal
match of the same member, party and ground supersedes it. Shared relatives (ground 3) are only
flagged when equal: a near match of two third persons is too weak a link to flag.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from firecase.rules.team import TeamMemberInfo

RECUSAL_GROUNDS: dict[int, str] = {
    1: "是火灾事故当事人或者是当事人近亲属的",
    2: "本人或者近亲属与火灾事故有利害关系的",
    3: "与火灾事故当事人关系密切、有矛盾、纠纷或有债权债务关系等，可能影响事故公正调查的",
}
"""第十五条第一款（一）至（三）, the text of each ground."""

GROUND_CITATIONS = {1: "第十五条第一项", 2: "第十五条第二项", 3: "第十五条第三项"}

NEAR_MIN_SAME_LENGTH = 3
"""Names of equal length are near when they differ in one character and are this long."""
NEAR_MIN_CONTAINED = 2
"""A name contained in another is near when it has at least this many characters."""

# after NFKC: （）→ (), ［］→ []; 【】 and 〔〕 have no compatibility form
_OPEN = "([【〔"
_CLOSE = ")]】〕"
_INNER = r"[^()\[\]【】〔〕]*"
_GROUP = re.compile(rf"\({_INNER}\)|\[{_INNER}\]|【{_INNER}】|〔{_INNER}〕")
_DOTS = frozenset("·•・‧∙⋅･")  # U+00B7, U+2022, U+30FB, U+2027, U+2219, U+22C5, U+FF65


CLOSE_RELATIONS = frozenset(
    {
        # 配偶
        "配偶", "夫", "妻", "丈夫", "妻子", "爱人", "老公", "老婆", "夫妻", "老伴", "太太",
        "内人",
        # 父母 (继/养: 民法典第一千零七十二条、第一千一百一十一条)
        "父", "母", "父亲", "母亲", "爸爸", "妈妈", "爸", "妈", "爹", "娘", "爹娘", "老爸",
        "老妈", "亲娘", "生父", "生母", "父母", "继父", "继母", "养父", "养母", "后妈", "后爸",
        # 子女
        "子", "女", "儿", "儿子", "女儿", "闺女", "孩子", "儿女", "子女", "独子", "独女",
        "独生子", "独生女", "继子", "继女", "养子", "养女", "父子", "父女", "母子", "母女",
        # 兄弟姐妹 (同父异母、同母异父 and adoptive included)
        "兄", "弟", "姐", "妹", "姊", "哥", "哥哥", "弟弟", "姐姐", "妹妹", "兄弟", "姐妹",
        "兄妹", "姐弟", "兄弟姐妹", "兄长", "弟兄", "姊妹", "胞兄", "胞弟", "胞姐", "胞妹",
        "胞姊",
        # 祖父母、外祖父母、孙子女、外孙子女
        "祖父", "祖母", "爷爷", "奶奶", "外祖父", "外祖母", "外公", "外婆", "姥爷", "姥姥",
        "祖父母", "外祖父母", "祖孙", "孙子", "孙女", "孙儿", "外孙", "外孙女", "外孙子",
        "孙子女", "外孙子女",
    }
)  # fmt: skip
"""Relations that are 近亲属 (民法典第一千零四十五条第二款: 配偶、父母、子女、兄弟姐妹、
祖父母、外祖父母、孙子女、外孙子女), in the words officers type."""

CLOSE_RELATIVE_BASIS = "民法典第一千零四十五条"

_RELATION = re.compile(r"[(（]\s*([^()（）]*?)\s*[)）]\s*$")
_REMARK = re.compile(r"[，,、;；/|\s].*$")  # "兄，同住" → "兄"
# words before a relation that leave it what it is: 亲生父亲, 同父异母的弟弟, 本人之妻
_PLAIN_PREFIX = re.compile(r"^(?:本人|其|我|的|之|亲生|亲|同胞|胞|同父异母的?|同母异父的?)+")
# a child or a sibling counted or ranked (长子, 次女, 二哥, 小妹, 大儿子): still one
_RANKED = re.compile(
    r"^(?:长|次|大|二|三|四|五|六|七|八|九|十|小|幼|老|养|继)"
    r"(?:子|女|儿|儿子|女儿|哥|哥哥|姐|姐姐|弟|弟弟|妹|妹妹|兄|姊)$"
)
# relations that are no 近亲属: collateral and in-law kin, forms of address, no kin at all
_NOT_CLOSE = re.compile(
    r"^(?:前|未婚|干|义|表|堂)"  # 前妻, 未婚妻, 干爹, 义父, 表兄, 堂弟
    r"|舅|姨|姑|叔|伯|侄|甥|婿|岳|嫂|连襟|妯娌|亲家|公公|婆婆|姐夫|妹夫|儿媳|弟媳|孙媳"
    r"|^(?:大|二|三|四|五|六|小)(?:爷爷|奶奶|爸爸|妈妈|爷|奶|爸|妈|爹|娘)$"  # 大爷爷, 二妈
    r"|^(?:大爷|大妈|大娘)$"
    r"|同学|朋友|同事|邻居|战友|师傅|师父|徒弟|老乡|同乡|合伙人|房东|房客|租户"
)


def relation_of(shown: str) -> str:
    """The relation typed in brackets after a declared relative's name ("刘强（兄）" → "兄")."""
    found = _RELATION.search(unicodedata.normalize("NFKC", shown or ""))
    return found.group(1).strip() if found else ""


def relation_kind(shown: str) -> str:
    """ "close" for a 近亲属 (``CLOSE_RELATIONS``), "not_close" for a relative or an
    acquaintance who is none (表兄, 舅舅, 岳父, 前妻, 同事), "unknown" for words not recognised.

    One declared without a relation is "close": the form asks for 近亲属 and the officer
    declared them so. A remark after the relation ("兄，同住") is set aside; words such as 之,
    亲生 or 同父异母的 before it are read through, and a rank before a child or a sibling
    (长子, 二姐) too, but not before a grandparent or a parent (大爷爷, 二妈: no 近亲属)."""
    relation = _REMARK.sub("", "".join(relation_of(shown).split()))
    if not relation:
        return "close"
    if relation in CLOSE_RELATIONS:
        return "close"
    if _NOT_CLOSE.search(relation):
        return "not_close"
    core = _PLAIN_PREFIX.sub("", relation)
    if core in CLOSE_RELATIONS or _RANKED.match(core):
        return "close"
    return "unknown"


CIVIL_SERVANT_NOTE = "；成员为公务员的，另见公务员法第七十六条（三代以内旁系血亲、近姻亲）"
"""After a 第三项 flag for a declared relative: recusal may be required by that law too."""


def _kin(shown: str) -> tuple[int, str, str, str]:
    """The ground, the word, the reason's closing words and what follows its citation, for a
    declared relative who is on the other side: a 近亲属 is 第一项; a relative who is none
    (表兄, 舅舅) a close relationship, 第三项; a relation not recognised is flagged under
    第一项 for the officer to check (the stricter ground)."""
    kind = relation_kind(shown)
    relation = relation_of(shown)
    if kind == "close":
        return 1, "近亲属", "", ""
    if kind == "unknown":
        why = (
            f"；关系“{relation}”未能识别，请核实是否属于近亲属（{CLOSE_RELATIVE_BASIS}）："
            "属于的适用第一项，不属于的适用第三项"
        )
        return 1, "亲属", why, ""
    why = f"；{relation}不属于近亲属（{CLOSE_RELATIVE_BASIS}），属与当事人关系密切"
    return 3, "亲属", why, CIVIL_SERVANT_NOTE


def _strip(text: str) -> str:
    """Remove bracketed parts (innermost first), white space and middle dots."""
    previous = None
    while previous != text:
        previous = text
        text = _GROUP.sub("", text)
    cut = min((i for i, ch in enumerate(text) if ch in _OPEN), default=len(text))
    text = text[:cut]  # an unclosed bracket: the rest is a remark
    return "".join(ch for ch in text if not ch.isspace() and ch not in _DOTS and ch not in _CLOSE)


def normalise_name(text: str | None) -> str:
    """The form in which names are compared (see the module docstring); idempotent."""
    folded = unicodedata.normalize("NFKC", text or "")
    return unicodedata.normalize("NFKC", _strip(folded))


def names_near(a: str, b: str) -> bool:
    """Whether two *normalised* names differ but are close enough to ask (module docstring)."""
    if not a or not b or a == b:
        return False
    if len(a) == len(b):
        differ = sum(x != y for x, y in zip(a, b, strict=True))
        return len(a) >= NEAR_MIN_SAME_LENGTH and differ == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return len(short) >= NEAR_MIN_CONTAINED and short in long_


class PartyKind(Enum):
    """What kind of party: a person, a unit, or a government department (第十六条第四项)."""

    PERSON = "个人"
    UNIT = "单位"
    DEPARTMENT = "政府部门"


@dataclass(frozen=True)
class PartyInfo:
    """What the screen needs to know about one party.

    ``relatives`` are names, optionally with the relation in brackets ("刘强（兄）"): the bracket
    is ignored when comparing and kept in the flag's reason.
    """

    name: str
    kind: PartyKind
    organisation: str | None = None
    relatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecusalFlag:
    """A possible conflict between a member and a party, for the team leader to decide.

    ``near`` is True when the names are only similar (``names_near``), not equal: the officer
    checks whether they are the same person or unit.
    """

    member_name: str
    party_name: str
    ground: int  # 1–3: the item of 第十五条
    reason: str
    near: bool = False

    @property
    def basis(self) -> str:
        """The item of 第十五条 the flag points to."""
        return GROUND_CITATIONS[self.ground]


def _match(a: str, b: str) -> bool | None:
    """True for equal normalised names, False for near ones, None otherwise."""
    if not a or not b:
        return None
    if a == b:
        return True
    return False if names_near(a, b) else None


def screen_recusal(
    members: Sequence[TeamMemberInfo], parties: Sequence[PartyInfo]
) -> tuple[RecusalFlag, ...]:
    """Flag possible recusal grounds between active members and parties.

    * ground 1 — the member is a party (same name as a person party), a declared relative of the
      member is a person party, or a person party declares the member as a relative;
    * ground 2 — the member's organisation is a unit party or a government department under
      investigation (第十六条第四项): the member's own body has an interest in the outcome;
    * ground 3 — a declared relative of the member is also a declared relative of a party (a
      family tie), or the member works in the same organisation as a person party (a close
      working relationship).
    Names are compared by ``normalise_name``; near names (``names_near``) give a flag with
    ``near=True``. One flag per (member, party, ground), in member then party order; an equal
    match replaces a near one.
    """
    flags: dict[tuple[str, str, int], RecusalFlag] = {}

    def add(
        member: TeamMemberInfo,
        party: PartyInfo,
        ground: int,
        reason: str,
        exact: bool = True,
        pair: tuple[str, str] = ("", ""),
        unit: bool = False,
        after: str = "",
    ) -> None:
        key = (member.name, party.name, ground)
        have = flags.get(key)
        if have is not None and (not have.near or not exact):
            return
        text = f"{reason}（{GROUND_CITATIONS[ground]}）{after}"
        if not exact:
            what = "名称相近" if unit else "姓名相近"
            who = "同一单位" if unit else "同一人"
            text = f"{what}（{pair[0]} / {pair[1]}），请核实是否{who}：{text}"
        # assigning to an existing key keeps its place: an equal match stays where the near was
        flags[key] = RecusalFlag(member.name, party.name, ground, text, near=not exact)

    for member in members:
        if not member.active:
            continue
        m_name = normalise_name(member.name)
        m_org = normalise_name(member.organisation)
        m_relatives = [(r, normalise_name(r)) for r in member.relatives]
        m_relatives = [(r, n) for r, n in m_relatives if n]
        for party in parties:
            p_name = normalise_name(party.name)
            if not p_name:
                continue
            p_relatives = [(r, normalise_name(r)) for r in party.relatives]
            p_relatives = [(r, n) for r, n in p_relatives if n]
            if party.kind is PartyKind.PERSON:
                hit = _match(m_name, p_name)
                if hit is not None:
                    add(
                        member,
                        party,
                        1,
                        f"调查组成员{member.name}本人是火灾事故当事人",
                        hit,
                        (member.name, party.name),
                    )
                for shown, rel in m_relatives:
                    hit = _match(rel, p_name)
                    if hit is not None:
                        ground, what, why, after = _kin(shown)
                        add(
                            member,
                            party,
                            ground,
                            f"调查组成员{member.name}申报的{what}{shown}是火灾事故当事人{why}",
                            hit,
                            (shown, party.name),
                            after=after,
                        )
                for shown, rel in p_relatives:
                    hit = _match(m_name, rel)
                    if hit is not None:
                        ground, what, why, after = _kin(shown)
                        add(
                            member,
                            party,
                            ground,
                            f"当事人{party.name}申报的{what}{shown}是调查组成员{member.name}{why}",
                            hit,
                            (member.name, shown),
                            after=after,
                        )
                p_org = normalise_name(party.organisation)
                hit = _match(m_org, p_org)
                if hit is not None:
                    add(
                        member,
                        party,
                        3,
                        f"调查组成员{member.name}所在的{member.organisation}与当事人{party.name}"
                        f"所在的{party.organisation}若为同一单位，可能关系密切"
                        if hit is False
                        else f"调查组成员{member.name}与当事人{party.name}同在"
                        f"{member.organisation}工作，可能关系密切",
                        hit,
                        (member.organisation, party.organisation or ""),
                        unit=True,
                    )
            else:
                hit = _match(m_org, p_name)
                if hit is not None:
                    what = (
                        "被调查的政府部门（第十六条第四项）"
                        if party.kind is PartyKind.DEPARTMENT
                        else "火灾事故当事单位"
                    )
                    add(
                        member,
                        party,
                        2,
                        f"调查组成员{member.name}所在的{member.organisation}是{what}，"
                        "与火灾事故有利害关系",
                        hit,
                        (member.organisation, party.name),
                        unit=True,
                    )
            shared = {n for _, n in m_relatives} & {n for _, n in p_relatives}
            if shared:
                add(
                    member,
                    party,
                    3,
                    f"调查组成员{member.name}申报的亲属{'、'.join(sorted(shared))}"
                    f"也是当事人{party.name}申报的亲属",
                )
    return tuple(flags.values())
