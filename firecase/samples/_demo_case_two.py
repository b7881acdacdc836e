"""Demonstration case 2: a 较大 fire carried through report, 批复, handling, publication and the
one-year evaluation. This room opens the case and records the parties and the evidence; the
report is written by ``_demo_case_two_report`` and the case closed by ``_demo_case_two_closing``
(in the order an officer works, so the audit log reads like a real case)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from firecase import rules
from firecase.samples._demo_case_two_closing import _evaluate, _reply_and_handling
from firecase.samples._demo_case_two_report import (
    SECTIONS,
    _causes_findings_recommendations,
    _measures,
    _Parties,
)
from firecase.samples._demo_common import (
    D,
    _id_number,
    _members,
    _party,
    _persons,
    _pick,
    _sections,
    _ver,
)
from firecase.services import (
    cases,
    evidence as evidence_svc,
    parties,
)
from firecase.services.dto import (
    AppraisalInput,
    AttachmentInput,
    CaseSummary,
    CasualtyInput,
    CustodyInput,
    EvidenceInput,
    IncidentInput,
    JudgementInput,
    PartyInput,
    TeamSetupInput,
)
from firecase.store import CaseFile


def _case_two(cf: CaseFile, today: dt.date) -> int:
    c, who = _open_with_parties(cf, today)
    _evidence_and_appraisals(cf, c)
    recs = _causes_findings_recommendations(cf, c, who)
    measures = _measures(cf, c)
    _sections(cf, c.id, SECTIONS, secret={6})
    _reply_and_handling(cf, c, recs, who, today)
    _evaluate(cf, c, recs, measures)
    return c.id


def _open_with_parties(cf: CaseFile, today: dt.date) -> tuple[CaseSummary, _Parties]:
    fire = D(2025, 1, 9)
    c = cases.open_case(
        cf,
        IncidentInput(
            title="天门经济开发区华纺纺织有限公司仓库“1·9”较大火灾",
            fire_date=fire,
            fire_time="14:03",
            place="天门经济开发区纺织工业园",
            address="天门经济开发区杭州路6号",
            unit_name="天门华纺纺织有限公司成品仓库",
            fire_type=_pick(rules.FireType, "建筑"),
            property_loss_yuan=Decimal("18653200.00"),
            economic_loss_yuan=Decimal("21388650.75"),
            households_affected=None,
            burned_area_m2="3600",
            nature="一起较大生产安全责任事故",
            summary="成品仓库内无证违规电焊作业，焊渣引燃下方棉纱堆垛，因自动喷水灭火系统信号阀被"
            "关闭、防火卷帘被货物阻挡，火势蔓延至整个仓库，造成3人死亡、5人受伤。",
        ),
        CasualtyInput(
            as_of=fire,
            deaths=2,
            serious_injuries=3,
            minor_injuries=2,
            note="火灾当日统计：仓库二号防火分区发现遇难者2人，救出重伤员3人，轻伤2人。",
        ),
        JudgementInput(
            social_impact=True,
            social_impact_by="天门市人民政府",
            social_impact_on=D(2025, 1, 10),
            social_impact_reason="网络舆情关注度高，火灾导致园区相邻3家企业停产疏散。",
        ),
        today=D(2025, 1, 10),  # 立案 the day after the fire, with the government's judgement
    )
    cases.add_casualty_update(
        cf,
        c.id,
        CasualtyInput(
            as_of=D(2025, 1, 12),
            deaths=3,
            serious_injuries=2,
            minor_injuries=3,
            note="重伤员万德明1月12日经抢救无效死亡；另有1名员工因吸入烟气就诊，补录为轻伤。",
        ),
        today=D(2025, 1, 12),
    )
    cases.set_team_setup(
        cf,
        c.id,
        TeamSetupInput(formed_on=D(2025, 1, 10)),
        expected_version=_ver(cf, c.id),
        today=D(2025, 1, 10),
    )
    company = parties.add_party(
        cf,
        c.id,
        PartyInput(
            kind=_party("单位"),
            name="天门华纺纺织有限公司",
            role="事故发生单位",
            organisation="有限责任公司",
            contact="法定代表人 郑宏伟",
            note="2012年5月成立，主营棉纱、坯布生产，员工312人。",
        ),
    )
    boss = parties.add_party(
        cf,
        c.id,
        PartyInput(
            kind=_party("个人", "自然人"),
            name="郑宏伟",
            role="当事人",
            organisation="天门华纺纺织有限公司",
            note="法定代表人、总经理，消防安全责任人。",
        ),
    )
    manager = parties.add_party(
        cf,
        c.id,
        PartyInput(
            kind=_party("个人", "自然人"),
            name="樊立军",
            role="当事人",
            organisation="天门华纺纺织有限公司",
            note="副总经理，消防安全管理人。",
        ),
    )
    _persons(
        cf,
        c.id,
        [
            ("死者", "彭桂兰", "女", 52, _id_number("429006", D(1972, 6, 18), "324"), ""),
            ("死者", "肖卫东", "男", 47, _id_number("429006", D(1977, 9, 3), "513"), ""),
            ("死者", "万德明", "男", 56, _id_number("429006", D(1968, 4, 27), "151"), ""),
            ("重伤", "李春梅", "女", 41, "", "13593201746"),
            ("重伤", "周建军", "男", 49, "", ""),
            ("轻伤", "方小燕", "女", 17, "", ""),
            ("证人", "黄大军", "男", 44, "", "0728-5326118"),
        ],
        D(2025, 1, 12),
    )
    welder = parties.add_party(
        cf,
        c.id,
        PartyInput(
            kind=_party("个人", "自然人"),
            name="胡小兵",
            role="当事人",
            organisation="天门市鑫达钢结构工程队",
            note="电焊作业人员，未取得特种作业操作证；1月11日被公安机关刑事拘留。",
        ),
    )
    foreman = parties.add_party(
        cf,
        c.id,
        PartyInput(
            kind=_party("个人", "自然人"),
            name="陈金华",
            role="当事人",
            organisation="天门市鑫达钢结构工程队",
            note="工程队负责人，安排胡小兵作业；1月12日被公安机关刑事拘留。",
        ),
    )
    maint = parties.add_party(
        cf,
        c.id,
        PartyInput(
            kind=_party("单位"),
            name="湖北安泰消防技术服务有限公司",
            role="当事人",
            organisation="消防技术服务机构",
            contact="项目负责人 危志刚",
            note="2024年3月起负责该公司消防设施维护保养。",
        ),
    )
    parties.add_party(
        cf,
        c.id,
        PartyInput(
            kind=_party("部门", "政府"),
            name="天门经济开发区管委会",
            role="被调查部门",
            organisation="天门市人民政府派出机构",
            note="园区属地消防安全管理（第十六条第四项）。",
        ),
    )
    _members(cf, c.id, D(2025, 1, 10), today)
    return c, _Parties(company, boss, manager, welder, foreman, maint)


def _evidence_and_appraisals(cf: CaseFile, c: CaseSummary) -> None:
    store = "物证室"
    evidence: dict[str, int] = {}
    for code, name, kind, on, by, where, desc, custody in [
        (
            "WZ-001",
            "电焊机及焊把线",
            "物证",
            D(2025, 1, 10),
            "黄志远、陈晓明",
            f"{store} B-01",
            "提取自仓库北侧⑦轴钢柱下方，电焊机处于开机档位，焊钳上夹有残余焊条。",
            [("入库", "刘志强", "物证室 王静")],
        ),
        (
            "WZ-002",
            "起火点棉纱炭化残留物",
            "物证",
            D(2025, 1, 10),
            "黄志远、陈晓明",
            f"{store} B-02",
            "取自北侧⑦轴下方棉纱堆垛底部，内含多颗表面氧化的金属熔珠。",
            [
                ("入库", "刘志强", "物证室 王静"),
                ("送检", "物证室 王静", "应急管理部天津消防研究所"),
            ],
        ),
        (
            "WZ-003",
            "配电箱及电气线路熔痕",
            "物证",
            D(2025, 1, 11),
            "陈晓明",
            f"{store} B-03",
            "仓库北侧照明配电箱、货架照明线路及其上6处熔痕，用于排除电气故障起火。",
            [
                ("入库", "陈晓明", "物证室 王静"),
                ("送检", "物证室 王静", "应急管理部天津消防研究所"),
            ],
        ),
        (
            "WZ-004",
            "湿式报警阀组及信号阀",
            "物证",
            D(2025, 1, 11),
            "赵文斌、黄志远",
            "消防水泵房（原地封存）",
            "仓库湿式报警阀组及其进水侧信号蝶阀，现场勘验时信号阀处于关闭状态并被铁丝绑扎。",
            [("提取", "", "赵文斌")],
        ),
        (
            "SP-001",
            "厂区监控录像",
            "电子数据",
            D(2025, 1, 9),
            "王丽华",
            "天门市公安局视频侦查大队",
            "厂区硬盘录像机1台，仓库北门摄像头记录14时02分37秒焊渣掉落、14时03分50秒堆垛冒烟。",
            [("提取", "", "王丽华")],
        ),
        (
            "SZ-001",
            "消防设施维保记录",
            "书证",
            D(2025, 1, 12),
            "李德胜、赵文斌",
            "大队档案室",
            "2024年7月至12月月度维保记录6份，均记载喷淋系统“正常”，与信号阀关闭的事实不符。",
            [("提取", "", "李德胜")],
        ),
        (
            "SZ-002",
            "动火审批及值班记录",
            "书证",
            D(2025, 1, 12),
            "李德胜",
            "大队档案室",
            "公司动火作业审批台账和消防控制室值班记录，1月9日无动火审批，值班记录14时后空白。",
            [("提取", "", "李德胜")],
        ),
        (
            "BL-001",
            "胡小兵询问笔录",
            "当事人陈述",
            D(2025, 1, 11),
            "王丽华、刘志强",
            "",
            "承认未取得焊工特种作业操作证、未办理动火审批，作业时下方棉纱未清理、无人监护。",
            [],
        ),
        (
            "BL-002",
            "郑宏伟询问笔录",
            "当事人陈述",
            D(2025, 1, 13),
            "李德胜、孙立新",
            "",
            "陈述檩条加固工程系其口头发包，未签订安全协议，对信号阀关闭一事不知情。",
            [],
        ),
        (
            "ZY-001",
            "仓库保管员证言",
            "证人证言",
            D(2025, 1, 10),
            "王丽华",
            "",
            "仓库保管员杨春梅证实起火后曾使用灭火器扑救未果，南侧安全出口因堆放货物无法开启。",
            [],
        ),
    ]:
        e = evidence_svc.add_evidence(
            cf,
            c.id,
            EvidenceInput(
                code=code,
                name=name,
                kind=kind,
                collected_on=on,
                collected_by=by,
                description=desc,
                location=where,
            ),
        )
        evidence[code] = e.id
        for action, giver, taker in custody:
            evidence_svc.add_custody_event(
                cf, e.id, CustodyInput(on=on, action=action, from_holder=giver, to_holder=taker)
            )
    evidence_svc.add_attachment(
        cf,
        c.id,
        AttachmentInput(
            filename="监控视频分析说明.txt",
            content=(
                "14:02:37 北侧⑦轴上方焊渣成串掉落；14:03:50 下方棉纱堆垛冒烟；"
                "14:05:12 明火窜至垛顶。"
            ).encode(),
            added_on=D(2025, 1, 14),
            media_type="text/plain",
            evidence_id=evidence["SP-001"],
        ),
    )
    for kind, subject, agency, commissioned, opinion_on, opinion, ev_code in [
        (
            "鉴定",
            "死者死亡原因法医鉴定",
            "天门市公安局物证鉴定室",
            D(2025, 1, 11),
            D(2025, 1, 25),
            "三名死者均系吸入高温烟气及一氧化碳中毒窒息死亡，其中万德明合并重度烧伤。",
            None,
        ),
        (
            "鉴定",
            "仓库电气线路熔痕技术鉴定",
            "应急管理部天津消防研究所",
            D(2025, 1, 13),
            D(2025, 2, 10),
            "送检6处熔痕均为火烧熔痕，未发现电气短路熔痕，可排除电气线路故障引发火灾。",
            "WZ-003",
        ),
        (
            "检验",
            "自动喷水灭火系统湿式报警阀组功能检验",
            "湖北省消防产品质量监督检验站",
            D(2025, 1, 20),
            D(2025, 2, 14),
            "报警阀组产品质量符合标准，进水侧信号阀处于关闭状态，系统失效系人为关闭阀门所致。",
            "WZ-004",
        ),
    ]:
        ap = evidence_svc.commission_appraisal(
            cf,
            c.id,
            AppraisalInput(
                kind=kind,
                subject=subject,
                agency=agency,
                commissioned_on=commissioned,
                evidence_id=evidence[ev_code] if ev_code else None,
            ),
        )
        evidence_svc.close_appraisal(cf, ap.id, opinion_on, opinion, expected_version=ap.version)
