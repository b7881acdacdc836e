"""Demonstration cases: the helpers both cases use (vocabulary picks, versions, members,
sections, persons)."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from firecase import rules
from firecase.services import (
    findings,
    persons,
    reading,
    team,
)
from firecase.services.dto import (
    MemberInput,
    PersonInput,
    Relative,
    SubGroupInput,
)
from firecase.store import CaseFile

D = dt.date


def _pick(enum: type[Enum], *keywords: str) -> str:
    """The value of the first member whose label contains a keyword (enums owned by rules)."""
    for word in keywords:
        for member in enum:
            if word in str(member.value):
                return str(member.value)
    return str(next(iter(enum)).value)


def _body(*words: str) -> str:
    return _pick(rules.Body, *words)


def _role(*words: str) -> str:
    return _pick(rules.TeamRole, *words)


def _party(*words: str) -> str:
    return _pick(rules.PartyKind, *words)


def _ver(cf: CaseFile, case_id: int) -> int:
    return reading.get_case_summary(cf, case_id).version


def _members(cf: CaseFile, case_id: int, joined: dt.date, today: dt.date) -> dict[str, int]:
    people = [
        ("周建国", "天门市人民政府", _body("人民政府", "政府"), _role("组长"), "副市长", "", ()),
        ("刘志强", "天门市消防救援大队", _body("消防"), _role("副组长"), "大队长", "火灾调查", ()),
        (
            "陈晓明",
            "天门市消防救援大队",
            _body("消防"),
            _role("成员"),
            "火灾调查员",
            "电气火灾原因认定",
            (Relative("陈晓红", "胞妹"),),
        ),
        (
            "王丽华",
            "天门市公安局",
            _body("公安"),
            _role("成员"),
            "刑侦大队副大队长",
            "刑事侦查",
            (),
        ),
        (
            "李德胜",
            "天门市应急管理局",
            _body("监督", "应急", "部门"),
            _role("成员"),
            "安全生产执法大队长",
            "安全生产监管",
            (),
        ),
        (
            "赵文斌",
            "天门市住房和城乡建设局",
            _body("行业", "主管"),
            _role("成员"),
            "建设工程消防验收科科长",
            "建设工程消防设计审查验收",
            (),
        ),
        (
            "孙立新",
            "天门市纪委监委",
            _body("纪检", "监察"),
            _role("成员", "列席"),
            "第三监督检查室主任",
            "监督执纪",
            (),
        ),
        (
            "黄志远",
            "湖北省消防救援总队火灾调查处",
            _body("专家"),
            _role("专家", "成员"),
            "高级工程师",
            "火灾痕迹物证鉴定",
            (),
        ),
    ]
    ids: dict[str, int] = {}
    for name, org, body, role, title, expertise, relatives in people:
        m = team.add_member(
            cf,
            case_id,
            MemberInput(
                name=name,
                organisation=org,
                body=body,
                role=role,
                joined_on=joined,
                title=title,
                expertise=expertise,
                relatives=relatives,
            ),
            today=today,
        )
        ids[name] = m.id
    groups = [
        (
            "综合组",
            "刘志强",
            ["刘志强", "孙立新"],
            "负责综合协调和后勤保障；信息收集、汇总和报送；舆情监测；证据资料管理；"
            "整合各专项小组报告起草调查报告（第十条）。",
        ),
        (
            "技术组",
            "陈晓明",
            ["陈晓明", "黄志远", "王丽华"],
            "现场勘查、搜集证据、指导物证送检和鉴定，查明直接原因和技术方面的间接原因，"
            "统计直接经济损失，形成技术组报告（第十一条）。",
        ),
        (
            "管理组",
            "李德胜",
            ["李德胜", "赵文斌"],
            "查明事故单位基本情况和相关部门、人员履职情况，提出追责问责建议，形成管理组报告"
            "（第十二条）。",
        ),
    ]
    for name, leader, members, duties in groups:
        team.add_subgroup(
            cf,
            case_id,
            SubGroupInput(
                name=name,
                leader_id=ids[leader],
                duties=duties,
                member_ids=tuple(ids[x] for x in members),
            ),
            today=today,
        )
    return ids


def _sections(cf: CaseFile, case_id: int, texts: list[str], secret: set[int]) -> None:
    for n, body in enumerate(texts, start=1):
        findings.save_report_section(cf, case_id, n, body, confidential=n in secret)


def _long(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def _id_number(region: str, born: dt.date, sequence: str) -> str:
    """A resident ID number with its GB 11643 check character (sample data only)."""
    body = f"{region}{born:%Y%m%d}{sequence}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(ch) * w for ch, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def _persons(
    cf: CaseFile, case_id: int, rows: list[tuple[str, str, str, int, str, str]], today: dt.date
) -> None:
    """The register of persons: (role, name, sex, age, ID number, phone) each."""
    for role, name, sex, age, id_no, phone in rows:
        persons.add_person(
            cf,
            case_id,
            PersonInput(role=role, name=name, sex=sex, age=age, id_no=id_no, phone=phone),
            today=today,
        )
