"""R5 recusal screening (第十五条, 第十六条第四项)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from firecase.rules import (
    RECUSAL_GROUNDS,
    Body,
    PartyInfo,
    PartyKind,
    TeamMemberInfo,
    TeamRole,
    names_near,
    normalise_name,
    screen_recusal,
)


def member(
    name: str, org: str = "市消防救援大队", relatives: tuple[str, ...] = (), active: bool = True
) -> TeamMemberInfo:
    return TeamMemberInfo(
        name, org, Body.FIRE_RESCUE, TeamRole.MEMBER, relatives=relatives, active=active
    )


def test_grounds_text() -> None:
    assert set(RECUSAL_GROUNDS) == {1, 2, 3}
    assert RECUSAL_GROUNDS[1] == "是火灾事故当事人或者是当事人近亲属的"
    assert "利害关系" in RECUSAL_GROUNDS[2]
    assert "债权债务" in RECUSAL_GROUNDS[3]


def test_no_conflict() -> None:
    parties = [PartyInfo("刘某", PartyKind.PERSON, "某公司"), PartyInfo("某公司", PartyKind.UNIT)]
    assert screen_recusal([member("张三")], parties) == ()


def test_member_is_a_party() -> None:
    flags = screen_recusal([member("刘某")], [PartyInfo("刘 某", PartyKind.PERSON)])
    assert len(flags) == 1
    assert flags[0].ground == 1
    assert flags[0].member_name == "刘某"
    assert "第十五条第一项" in flags[0].reason
    assert flags[0].basis == "第十五条第一项"


def test_declared_relative_is_a_party() -> None:
    flags = screen_recusal(
        [member("张三", relatives=("刘某",))], [PartyInfo("刘某", PartyKind.PERSON)]
    )
    assert [(f.party_name, f.ground) for f in flags] == [("刘某", 1)]
    assert "近亲属" in flags[0].reason


def test_party_declares_the_member_as_relative() -> None:
    flags = screen_recusal(
        [member("张三")], [PartyInfo("刘某", PartyKind.PERSON, relatives=("张三",))]
    )
    assert [f.ground for f in flags] == [1]


def test_relative_shared_with_a_party() -> None:
    flags = screen_recusal(
        [member("张三", relatives=("王五",))],
        [PartyInfo("刘某", PartyKind.PERSON, relatives=("王五",))],
    )
    assert [f.ground for f in flags] == [3]
    assert "王五" in flags[0].reason


def test_member_organisation_is_a_party_unit() -> None:
    flags = screen_recusal(
        [member("张三", org="某化工公司")], [PartyInfo("某化工公司", PartyKind.UNIT)]
    )
    assert [f.ground for f in flags] == [2]
    assert "当事单位" in flags[0].reason


def test_member_organisation_is_a_department_under_investigation() -> None:
    flags = screen_recusal(
        [member("张三", org="市应急管理局")], [PartyInfo("市应急管理局", PartyKind.DEPARTMENT)]
    )
    assert [f.ground for f in flags] == [2]
    assert "第十六条第四项" in flags[0].reason


def test_member_works_with_a_person_party() -> None:
    flags = screen_recusal(
        [member("张三", org="市住建局")], [PartyInfo("刘某", PartyKind.PERSON, "市住建局")]
    )
    assert [f.ground for f in flags] == [3]


def test_inactive_members_are_not_screened_and_flags_are_unique() -> None:
    parties = [PartyInfo("刘某", PartyKind.PERSON, relatives=("刘某",))]
    assert screen_recusal([member("刘某", active=False)], parties) == ()
    flags = screen_recusal([member("刘某", relatives=("刘某",))], parties)
    assert len({(f.member_name, f.party_name, f.ground) for f in flags}) == len(flags)


# --------------------------------------------------------------------------------------------
# normalised and near names
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "刘强（兄）",
        "刘强(兄)",
        "刘强 (兄)",
        "刘 强",
        "刘强\u3000",
        "\u3000刘\u3000强",
        "刘强【备注】",
        "[注]刘强",
        "刘强［兄］",
        "刘强（兄",
        "刘强(兄(长))",
    ],
)
def test_normalise_name_drops_brackets_spaces_and_full_width_forms(typed: str) -> None:
    assert normalise_name(typed) == "刘强"


def test_normalise_name_full_width_letters_and_middle_dots() -> None:
    assert normalise_name("ＡＢＣ公司") == "ABC公司"
    for dot in "·•・･":
        assert normalise_name(f"阿卜杜拉{dot}买买提") == "阿卜杜拉买买提"
    assert normalise_name(None) == normalise_name("（无）") == ""


def test_names_near_rule() -> None:
    assert names_near("刘志强", "刘智强")  # one character of three differs
    assert not names_near("刘强", "刘刚")  # two-character names: a different person
    assert not names_near("张强", "刘强")
    assert names_near("刘强", "刘强强")  # contained, at least two characters
    assert names_near("市住建局", "天门市住建局")
    assert not names_near("刘", "刘强")  # one character is not a name
    assert not names_near("刘强", "刘强")  # equal is not near
    assert not names_near("刘志强", "王智勇")


def test_relative_typed_with_relation_matches_the_party() -> None:
    """The issue: a relative typed "刘强（兄）" was not matched to party 刘强."""
    flags = screen_recusal(
        [member("张三", relatives=("刘强（兄）",))], [PartyInfo("刘强", PartyKind.PERSON)]
    )
    assert [(f.party_name, f.ground, f.near) for f in flags] == [("刘强", 1, False)]
    assert "近亲属刘强（兄）是火灾事故当事人" in flags[0].reason


def test_near_names_are_flagged_for_the_officer() -> None:
    flags = screen_recusal(
        [member("张三", relatives=("刘志强（兄）",))], [PartyInfo("刘智强", PartyKind.PERSON)]
    )
    assert [(f.ground, f.near) for f in flags] == [(1, True)]
    assert flags[0].reason.startswith("姓名相近（刘志强（兄） / 刘智强），请核实是否同一人")
    assert flags[0].reason.endswith("（第十五条第一项）")


def test_near_unit_names_say_unit() -> None:
    flags = screen_recusal(
        [member("张三", org="市应急管理局")],
        [PartyInfo("天门市应急管理局", PartyKind.DEPARTMENT)],
    )
    assert [(f.ground, f.near) for f in flags] == [(2, True)]
    assert "名称相近（市应急管理局 / 天门市应急管理局），请核实是否同一单位" in flags[0].reason


def test_an_equal_match_supersedes_a_near_one() -> None:
    party = PartyInfo("刘强", PartyKind.PERSON)
    flags = screen_recusal([member("刘强强")], [party])
    assert [(f.ground, f.near) for f in flags] == [(1, True)]
    # the member's own name is near (checked first), a declared relative is equal (later)
    flags = screen_recusal([member("刘强强", relatives=("刘强（弟）",))], [party])
    assert [(f.ground, f.near) for f in flags] == [(1, False)]
    assert "近亲属刘强（弟）是火灾事故当事人" in flags[0].reason
    assert "姓名相近" not in flags[0].reason


def test_no_near_flag_for_unrelated_short_names() -> None:
    parties = [PartyInfo("刘刚", PartyKind.PERSON), PartyInfo("张强", PartyKind.PERSON)]
    assert screen_recusal([member("刘强")], parties) == ()


NAME_CHARS = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
NAMES = st.text(NAME_CHARS, min_size=2, max_size=4)


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_normalise_name_is_idempotent(text: str) -> None:
    once = normalise_name(text)
    assert normalise_name(once) == once


def _variants(name: str) -> st.SearchStrategy[str]:
    full_width_space = " ".join(name).replace(" ", "\u3000")
    relation = st.sampled_from(["兄", "配偶", "之子", ""])
    return st.one_of(
        st.just(name),
        relation.map(lambda r: f"{name}（{r}）"),
        relation.map(lambda r: f"{name}({r})"),
        relation.map(lambda r: f" {name} 【{r}】"),
        st.just(" ".join(name)),
        st.just(full_width_space),
        st.just(f"\u3000{name}\u3000"),
    )


@given(st.data(), NAMES, st.sampled_from(["member", "relative", "party_relative"]))
@settings(max_examples=200, deadline=None)
def test_variants_of_a_party_name_are_always_flagged(
    data: st.DataObject, name: str, where: str
) -> None:
    typed = data.draw(_variants(name))
    party_typed = data.draw(_variants(name))
    if where == "member":
        flags = screen_recusal([member(typed)], [PartyInfo(party_typed, PartyKind.PERSON)])
    elif where == "relative":
        flags = screen_recusal(
            [member("某某某某某", relatives=(typed,))], [PartyInfo(party_typed, PartyKind.PERSON)]
        )
    else:
        flags = screen_recusal(
            [member(typed)],
            [PartyInfo("某某某某某", PartyKind.PERSON, relatives=(party_typed,))],
        )
    assert any(f.ground == 1 and not f.near for f in flags), (typed, party_typed, flags)


@pytest.mark.parametrize(
    ("declared", "ground"),
    [
        ("刘强（表兄）", 3),
        ("刘强(堂弟)", 3),
        ("刘强（舅舅）", 3),
        ("刘强（姐夫）", 3),
        ("刘强（岳父）", 3),
        ("刘强（大妈）", 3),
        ("刘强（大爷爷）", 3),  # a grandparent's brother: the rank is not read through
        ("刘强（二妈）", 3),
        ("刘强（前妻）", 3),
        ("刘强（同事）", 3),
        ("刘强（爸）", 1),  # everyday words of the lawyer's review
        ("刘强（闺女）", 1),
        ("刘强（老伴）", 1),
        ("刘强（同父异母的弟弟）", 1),
        ("刘强（兄，同住）", 1),  # a remark after the relation
        ("刘强（大儿子）", 1),
        ("刘强（兄）", 1),
        ("刘强（之子）", 1),
        ("刘强（二姐）", 1),
        ("刘强（外孙女）", 1),
        ("刘强（配偶）", 1),
        ("刘强", 1),  # declared under 近亲属 without a relation: as declared
    ],
)
def test_a_declared_relative_who_is_not_a_close_relative_is_a_close_relationship(
    declared: str, ground: int
) -> None:
    """The lawyer's finding: a declared 表兄 who was a party was flagged as a 近亲属 under
    第十五条第一项. 近亲属 are 配偶、父母、子女、兄弟姐妹、祖父母、外祖父母、孙子女、外孙子女
    (民法典第一千零四十五条); a cousin, an uncle or an in-law is a close relationship (第三项)."""
    for flags in (
        screen_recusal(
            [member("陈晓明", relatives=(declared,))], [PartyInfo("刘强", PartyKind.PERSON)]
        ),
        screen_recusal(
            [member("陈晓明")],
            [PartyInfo("刘强", PartyKind.PERSON, relatives=(declared.replace("刘强", "陈晓明"),))],
        ),
    ):
        assert [f.ground for f in flags] == [ground], flags
        reason = flags[0].reason
        if ground == 3:
            assert "不属于近亲属（民法典第一千零四十五条）" in reason and "第十五条第三项" in reason
            assert "近亲属" not in reason.split("；")[0], reason
        else:
            assert "申报的近亲属" in reason and "第十五条第一项" in reason
            assert "不属于近亲属" not in reason


@pytest.mark.parametrize("relation", ["先生", "媳妇", "亲戚", "弟妹"])
def test_a_relation_not_recognised_is_flagged_for_the_officer_to_check(relation: str) -> None:
    """The lawyer's finding: every word not on the list was told "不属于近亲属" (爸, 闺女,
    老伴…). A word the screen cannot place (先生 and 媳妇 may or may not mean a spouse) is
    flagged under the stricter 第一项 with a request to check, never declared no 近亲属."""
    flags = screen_recusal(
        [member("陈晓明", relatives=(f"刘强（{relation}）",))],
        [PartyInfo("刘强", PartyKind.PERSON)],
    )
    assert [f.ground for f in flags] == [1]
    assert f"关系“{relation}”未能识别，请核实是否属于近亲属" in flags[0].reason
    assert "不属于近亲属（" not in flags[0].reason
