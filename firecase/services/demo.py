"""``firecase demo``: two realistic demo cases in 天门市 that exercise every feature.

Case 1 — an 一般 fire with one death (a residential self-built house in 竟陵街道), still under
investigation: team, sub-groups, a recusal, evidence with custody and attachments, an appraisal,
an approved extension, findings, causes, a dissent and report sections.
Case 2 — a 较大 fire (a textile warehouse in 天门经济开发区) carried through report, 批复,
handling and 备案, publication with confidential fields, and the one-year evaluation with
rectification measures (one of them overdue).

Everything is written through the services, so the demo also exercises validation and audit.
"""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal
from enum import Enum

from firecase import rules
from firecase.errors import FirecaseError
from firecase.services import cases, parts
from firecase.services.dto import (
    AppraisalInput,
    AttachmentInput,
    CasualtyInput,
    CauseInput,
    CustodyInput,
    DissentInput,
    EvaluationInput,
    EvaluationItemInput,
    EvidenceInput,
    ExtensionInput,
    FeedbackInput,
    FindingInput,
    HandlingTaskInput,
    IncidentInput,
    JudgementInput,
    MeasureInput,
    MemberInput,
    PartyInput,
    PublicationInput,
    RecommendationInput,
    RecusalApplicationInput,
    RecusalDecisionInput,
    SubGroupInput,
    TeamSetupInput,
)
from firecase.store import CaseFile, open_case_file

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
    return cases.get_case_summary(cf, case_id).version


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
            ("陈晓红",),
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
        m = parts.add_member(
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
        parts.add_subgroup(
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
        parts.save_report_section(cf, case_id, n, body, confidential=n in secret)


def _long(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def _case_one(cf: CaseFile, today: dt.date) -> int:
    fire = D(2026, 3, 14)
    c = cases.open_case(
        cf,
        IncidentInput(
            title="竟陵街道东湖社区居民自建房“3·14”火灾",
            fire_date=fire,
            fire_time="02:37",
            place="天门市竟陵街道东湖社区",
            address="天门市竟陵街道东湖路118号",
            unit_name="东湖路118号居民自建房（一层为电动自行车维修店）",
            fire_type=_pick(rules.FireType, "建筑"),
            property_loss_yuan=Decimal("386420.00"),
            economic_loss_yuan=Decimal("512760.50"),
            households_affected=3,
            summary="凌晨一层电动自行车维修店内充电的电动自行车起火，烟气经楼梯间蔓延至二、三层，"
            "造成三楼住户1人死亡、2人轻伤。",
        ),
        CasualtyInput(
            recorded_on=fire,
            deaths=0,
            serious_injuries=1,
            minor_injuries=2,
            note="火灾当日：1人重伤送市第一人民医院救治。",
        ),
        today=fire,
    )
    cases.add_casualty_update(
        cf,
        c.id,
        CasualtyInput(
            recorded_on=D(2026, 3, 16),
            deaths=1,
            serious_injuries=0,
            minor_injuries=2,
            note="重伤人员经抢救无效于3月16日死亡。",
        ),
        today=D(2026, 3, 16),
    )
    cases.set_team_setup(
        cf,
        c.id,
        TeamSetupInput(formed_on=D(2026, 3, 15), authorised_fire_agency=True),
        expected_version=_ver(cf, c.id),
        today=D(2026, 3, 15),
    )
    owner = parts.add_party(
        cf,
        c.id,
        PartyInput(
            kind=_party("个人", "自然人"),
            name="陈国平",
            role="当事人",
            organisation="东湖路118号房屋所有人",
            relatives=("陈晓红", "陈国安"),
            contact="137****5621",
            note="房屋所有人，一层出租给维修店。",
        ),
    )
    shop = parts.add_party(
        cf,
        c.id,
        PartyInput(
            kind=_party("单位"),
            name="天门市竟陵顺达电动车维修店",
            role="事故发生单位",
            organisation="个体工商户",
            contact="经营者 吴海涛",
        ),
    )
    parts.add_party(
        cf,
        c.id,
        PartyInput(
            kind=_party("个人", "自然人"),
            name="吴海涛",
            role="当事人",
            organisation="天门市竟陵顺达电动车维修店",
            note="维修店经营者。",
        ),
    )
    parts.add_party(
        cf,
        c.id,
        PartyInput(
            kind=_party("部门", "政府"),
            name="竟陵街道办事处",
            role="被调查部门",
            organisation="天门市人民政府派出机关",
            note="属地消防安全管理（第十六条第四项）。",
        ),
    )
    ids = _members(cf, c.id, D(2026, 3, 15), today)
    rec = parts.apply_recusal(
        cf,
        c.id,
        RecusalApplicationInput(
            member_id=ids["陈晓明"],
            applicant="陈晓明",
            applicant_kind="本人",
            ground=1,
            reason="本人胞妹陈晓红系房屋所有人陈国平之女，属当事人近亲属，主动申请回避。",
            applied_on=D(2026, 3, 16),
            party_id=owner.id,
        ),
    )
    parts.decide_recusal(
        cf,
        rec.id,
        RecusalDecisionInput(
            decision="批准",
            decided_on=D(2026, 3, 17),
            decided_by="周建国（调查组组长）",
            reason="符合第十五条第一项规定的回避情形，同意回避，技术组组长改由黄志远担任。",
        ),
        expected_version=rec.version,
    )
    ev1 = parts.add_evidence(
        cf,
        c.id,
        EvidenceInput(
            code="WZ-001",
            name="电动自行车锂电池组残骸",
            kind="物证",
            collected_on=D(2026, 3, 14),
            collected_by="陈晓明、黄志远",
            description="提取自一层维修店东墙充电插座下方，电池组外壳严重烧毁，电芯呈喷射状开裂。",
            location="天门市消防救援大队物证室 A-03",
        ),
    )
    parts.add_custody_event(
        cf,
        ev1.id,
        CustodyInput(
            on=D(2026, 3, 14), action="入库", from_holder="黄志远", to_holder="物证室 王静"
        ),
    )
    parts.add_custody_event(
        cf,
        ev1.id,
        CustodyInput(
            on=D(2026, 3, 18),
            action="送检",
            from_holder="物证室 王静",
            to_holder="应急管理部天津消防研究所",
            note="委托检验电芯内短路痕迹。",
        ),
    )
    parts.add_attachment(
        cf,
        c.id,
        AttachmentInput(
            filename="现场照片-起火部位.jpg",
            content=b"\xff\xd8\xff\xe0demo-photo-bytes" * 64,
            added_on=D(2026, 3, 14),
            media_type="image/jpeg",
            evidence_id=ev1.id,
        ),
    )
    ev2 = parts.add_evidence(
        cf,
        c.id,
        EvidenceInput(
            code="SP-001",
            name="东湖路监控视频",
            kind="视听资料",
            collected_on=D(2026, 3, 14),
            collected_by="王丽华",
            description="东湖路与新城路口监控，02:31 维修店内出现亮光。",
            location="公安局视频侦查大队",
        ),
    )
    parts.add_attachment(
        cf,
        c.id,
        AttachmentInput(
            filename="监控截图说明.txt",
            content="02:31:06 店内出现闪光；02:33 浓烟外溢。".encode(),
            added_on=D(2026, 3, 15),
            media_type="text/plain",
            evidence_id=ev2.id,
        ),
    )
    parts.add_evidence(
        cf,
        c.id,
        EvidenceInput(
            code="BL-001",
            name="吴海涛询问笔录",
            kind="当事人陈述",
            collected_on=D(2026, 3, 15),
            collected_by="王丽华、刘志强",
            description="承认夜间在店内为客户电动车电池充电。",
        ),
    )
    ap = parts.commission_appraisal(
        cf,
        c.id,
        AppraisalInput(
            kind="检验",
            subject="锂电池组电芯内短路及热失控痕迹检验",
            agency="应急管理部天津消防研究所",
            commissioned_on=D(2026, 3, 18),
            evidence_id=ev1.id,
        ),
    )
    parts.close_appraisal(
        cf,
        ap.id,
        D(2026, 4, 8),
        "检材电芯存在内短路熔痕，符合锂电池热失控起火特征。",
        expected_version=ap.version,
    )
    parts.request_extension(
        cf,
        c.id,
        ExtensionInput(
            days=30,
            requested_on=D(2026, 5, 6),
            reason="需等待死者伤情鉴定及建筑违法加层认定。",
            approved_on=D(2026, 5, 8),
            approved_by="天门市人民政府",
            approval_ref="天政函〔2026〕31号",
        ),
    )
    parts.add_cause(
        cf,
        c.id,
        CauseInput(
            kind="直接原因",
            text="维修店内充电的电动自行车锂电池组发生热失控起火，引燃周围轮胎、配件等可燃物。",
        ),
    )
    parts.add_cause(
        cf,
        c.id,
        CauseInput(
            kind="间接原因",
            text="维修店与住宅未进行防火分隔，店主违规夜间充电；房屋所有人违规"
            "出租、擅自加层；属地街道对“三合一”场所排查整治不到位。",
        ),
    )
    parts.add_finding(
        cf,
        c.id,
        FindingInput(
            area="使用管理责任",
            subject="天门市竟陵顺达电动车维修店",
            party_id=shop.id,
            text="经营者吴海涛在住宅楼一层从事电动车维修并夜间充电，未设置防火分隔，消防安全"
            "主体责任不落实，对火灾发生负有直接责任。",
        ),
    )
    parts.add_finding(
        cf,
        c.id,
        FindingInput(
            area="政府、部门相关责任",
            subject="竟陵街道办事处",
            text="对辖区“三合一”场所排查不彻底，2025年冬春火灾防控检查中未发现该场所隐患。",
        ),
    )
    parts.add_dissent(
        cf,
        c.id,
        DissentInput(
            member_id=ids["李德胜"],
            recorded_on=D(2026, 5, 20),
            text="认为房屋所有人陈国平对违规加层负有主要责任，建议一并移送公安机关。",
        ),
    )
    _sections(
        cf,
        c.id,
        [
            _long(
                "东湖路118号房屋为三层砖混结构居民自建房，建筑面积约420平方米，一层临街出租"
                "给天门市竟陵顺达电动车维修店，二、三层为住宅，共居住3户9人。",
                "该房屋2019年擅自由二层加建为三层，未办理规划及消防手续。",
            )
            * 3,
            _long(
                "2026年3月14日02时31分，维修店内充电的电动自行车起火，02时37分市消防救援"
                "大队指挥中心接警，调派3个消防站11车52人到场处置，03时20分明火扑灭。",
                "救援中疏散、救出被困人员8人，其中1人重伤，于3月16日经抢救无效死亡。",
            )
            * 3,
            _long("火灾造成1人死亡、2人轻伤，直接财产损失386420.00元，直接经济损失512760.50元。"),
            _long("起火原因认定为电动自行车锂电池组热失控起火。火灾性质为一起责任事故。") * 2,
            _long("维修店未建立消防安全制度，未配置灭火器，员工未经消防安全培训。") * 2,
            _long("建议对维修店经营者吴海涛移送公安机关依法处理；对竟陵街道办事处约谈。"),
            _long("全市开展“三合一”场所和电动自行车充电专项整治，街道、社区落实网格化排查。") * 2,
            _long("李德胜同志对房屋所有人责任认定持不同意见，已记录在案。"),
        ],
        secret=set(),
    )
    return c.id


def _case_two(cf: CaseFile, today: dt.date) -> int:
    fire = D(2025, 1, 9)
    c = cases.open_case(
        cf,
        IncidentInput(
            title="天门经济开发区华纺纺织有限公司仓库“1·9”较大火灾",
            fire_date=fire,
            fire_time="14:05",
            place="天门经济开发区纺织工业园",
            address="天门经济开发区杭州路6号",
            unit_name="天门华纺纺织有限公司成品仓库",
            fire_type=_pick(rules.FireType, "建筑"),
            property_loss_yuan=Decimal("18653200.00"),
            economic_loss_yuan=Decimal("21388650.75"),
            households_affected=None,
            summary="成品仓库内违规电焊作业引燃棉纱堆垛，火势迅速蔓延，造成3人死亡、"
            "5人受伤，仓库及库存成品全部烧毁。",
        ),
        CasualtyInput(
            recorded_on=fire, deaths=2, serious_injuries=3, minor_injuries=2, note="火灾当日统计。"
        ),
        JudgementInput(
            social_impact=True,
            social_impact_by="天门市人民政府",
            social_impact_on=D(2025, 1, 10),
            social_impact_reason="网络舆情关注度高，涉及园区多家企业停产。",
        ),
        today=fire,
    )
    cases.add_casualty_update(
        cf,
        c.id,
        CasualtyInput(
            recorded_on=D(2025, 1, 12),
            deaths=3,
            serious_injuries=2,
            minor_injuries=3,
            note="1名重伤员1月12日死亡。",
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
    company = parts.add_party(
        cf,
        c.id,
        PartyInput(
            kind=_party("单位"),
            name="天门华纺纺织有限公司",
            role="事故发生单位",
            organisation="有限责任公司",
            contact="法定代表人 郑宏伟",
        ),
    )
    parts.add_party(
        cf,
        c.id,
        PartyInput(
            kind=_party("个人", "自然人"),
            name="郑宏伟",
            role="当事人",
            organisation="天门华纺纺织有限公司",
            note="法定代表人、消防安全责任人。",
        ),
    )
    welder = parts.add_party(
        cf,
        c.id,
        PartyInput(
            kind=_party("个人", "自然人"),
            name="胡小兵",
            role="当事人",
            organisation="天门市鑫达钢结构工程队",
            note="无证电焊作业人员。",
        ),
    )
    maint = parts.add_party(
        cf,
        c.id,
        PartyInput(
            kind=_party("单位"),
            name="湖北安泰消防技术服务有限公司",
            role="当事人",
            organisation="消防技术服务机构",
            note="负责该公司消防设施维护保养。",
        ),
    )
    parts.add_party(
        cf,
        c.id,
        PartyInput(
            kind=_party("部门", "政府"),
            name="天门经济开发区管委会",
            role="被调查部门",
            organisation="天门市人民政府派出机构",
        ),
    )
    _members(cf, c.id, D(2025, 1, 10), today)
    for code, name, kind, desc in [
        ("WZ-001", "电焊机及焊把线", "物证", "提取自仓库北侧钢梁下方。"),
        ("WZ-002", "棉纱堆垛过火残留物", "物证", "起火点处炭化棉纱。"),
        ("SP-001", "厂区监控硬盘", "电子数据", "记录14:02电焊火花掉落。"),
        ("SZ-001", "消防设施维保记录", "书证", "近6个月维保记录均为“正常”，与现场不符。"),
        ("BL-002", "胡小兵询问笔录", "当事人陈述", "承认未办理动火审批。"),
    ]:
        e = parts.add_evidence(
            cf,
            c.id,
            EvidenceInput(
                code=code,
                name=name,
                kind=kind,
                collected_on=D(2025, 1, 10),
                collected_by="刘志强、黄志远",
                description=desc,
                location="物证室 B 柜",
            ),
        )
        parts.add_custody_event(
            cf, e.id, CustodyInput(on=D(2025, 1, 10), action="提取", to_holder="刘志强")
        )
    ap1 = parts.commission_appraisal(
        cf,
        c.id,
        AppraisalInput(
            kind="鉴定",
            subject="死者死亡原因法医鉴定",
            agency="天门市公安局物证鉴定室",
            commissioned_on=D(2025, 1, 11),
        ),
    )
    parts.close_appraisal(
        cf,
        ap1.id,
        D(2025, 1, 25),
        "三名死者均系吸入高温烟气窒息死亡。",
        expected_version=ap1.version,
    )
    ap2 = parts.commission_appraisal(
        cf,
        c.id,
        AppraisalInput(
            kind="检验",
            subject="自动喷水灭火系统湿式报警阀组功能检验",
            agency="湖北省消防产品质量监督检验站",
            commissioned_on=D(2025, 1, 20),
        ),
    )
    parts.close_appraisal(
        cf,
        ap2.id,
        D(2025, 2, 14),
        "报警阀组信号阀处于关闭状态，系统失效。",
        expected_version=ap2.version,
    )
    parts.add_cause(
        cf,
        c.id,
        CauseInput(
            kind="直接原因", text="胡小兵在仓库内无证违规电焊作业，焊渣掉落引燃下方棉纱堆垛。"
        ),
    )
    parts.add_cause(
        cf,
        c.id,
        CauseInput(
            kind="间接原因",
            text="企业动火审批制度不落实；自动喷水灭火系统信号阀被关闭；维保"
            "机构出具虚假维保记录；开发区管委会安全监管不到位。",
        ),
    )
    for area, subject, pid, text in [
        (
            "使用管理责任",
            "天门华纺纺织有限公司",
            company.id,
            "未落实动火审批，仓库堆垛超高超量，员工未组织疏散。",
        ),
        (
            "工程建设、中介服务责任",
            "湖北安泰消防技术服务有限公司",
            maint.id,
            "未按规定开展维保，出具虚假维保记录。",
        ),
        (
            "消防产品质量责任",
            "自动喷水灭火系统",
            None,
            "系统产品质量合格，失效原因为人为关闭信号阀，不存在产品质量责任。",
        ),
        (
            "政府、部门相关责任",
            "天门经济开发区管委会",
            None,
            "对园区企业动火作业管理督促检查不力。",
        ),
    ]:
        parts.add_finding(
            cf, c.id, FindingInput(area=area, subject=subject, text=text, party_id=pid)
        )
    recs = []
    for tk, name, pid, area, kind, basis, authority, secret in [
        (
            "个人",
            "胡小兵",
            welder.id,
            "使用管理责任",
            "移送司法机关",
            "涉嫌重大责任事故罪（《中华人民共和国刑法》第一百三十四条）",
            "天门市公安局",
            True,
        ),
        (
            "个人",
            "郑宏伟",
            None,
            "使用管理责任",
            "行政处罚",
            "《中华人民共和国消防法》第六十四条",
            "天门市消防救援大队",
            False,
        ),
        (
            "单位",
            "湖北安泰消防技术服务有限公司",
            maint.id,
            "工程建设、中介服务责任",
            "行政处罚",
            "《中华人民共和国消防法》第六十九条",
            "天门市消防救援大队",
            False,
        ),
        (
            "单位",
            "天门经济开发区管委会",
            None,
            "政府、部门相关责任",
            "约谈",
            "《消防安全责任制实施办法》",
            "天门市人民政府",
            False,
        ),
    ]:
        recs.append(
            parts.add_recommendation(
                cf,
                c.id,
                RecommendationInput(
                    target_kind=tk,
                    target_name=name,
                    party_id=pid,
                    area=area,
                    kind=kind,
                    basis=basis,
                    authority=authority,
                    text=f"建议对{name}{kind}。",
                    confidential=secret,
                ),
            )
        )
    m1 = parts.add_measure(
        cf,
        c.id,
        MeasureInput(
            text="全市纺织企业开展动火作业专项检查",
            responsible="天门市应急管理局",
            set_on=D(2025, 3, 20),
            deadline=D(2025, 6, 30),
            done_on=D(2025, 6, 20),
            status="已落实",
        ),
    )
    m2 = parts.add_measure(
        cf,
        c.id,
        MeasureInput(
            text="开发区建成园区智慧消防监测平台",
            responsible="天门经济开发区管委会",
            set_on=D(2025, 3, 20),
            deadline=D(2025, 12, 31),
            status="部分落实",
        ),
    )
    _sections(
        cf,
        c.id,
        [
            _long(
                "天门华纺纺织有限公司成立于2012年，成品仓库为单层钢结构，建筑面积3600平方米。"
                "仓库设有自动喷水灭火系统和火灾自动报警系统。"
            )
            * 3,
            _long(
                "2025年1月9日14时02分仓库北侧电焊作业，14时05分起火，14时09分接警，"
                "调派6个消防站28车136人，16时40分明火扑灭。"
            )
            * 3,
            _long(
                "火灾造成3人死亡、2人重伤、3人轻伤，直接财产损失18653200.00元，直接经济损失"
                "21388650.75元。"
            ),
            _long("起火原因认定为违规电焊作业焊渣引燃棉纱。性质为一起较大生产安全责任事故。") * 2,
            _long("企业消防安全责任人未履职，消防控制室值班人员无证上岗。") * 2,
            _long("对胡小兵移送司法机关；对郑宏伟及维保机构行政处罚；约谈开发区管委会。"),
            _long("全市纺织企业专项整治；园区智慧消防平台建设；维保机构执业检查。") * 2,
            _long("无。"),
        ],
        secret={6},
    )
    cases.record_report_submitted(
        cf, c.id, D(2025, 3, 18), expected_version=_ver(cf, c.id), today=D(2025, 3, 18)
    )
    cases.record_report_received(
        cf, c.id, D(2025, 3, 19), expected_version=_ver(cf, c.id), today=D(2025, 3, 19)
    )
    cases.record_reply(
        cf,
        c.id,
        D(2025, 4, 3),
        "天政函〔2025〕45号",
        "原则同意调查报告，请有关部门按照批复意见处理。",
        expected_version=_ver(cf, c.id),
        today=D(2025, 4, 3),
    )
    for dept, task, reported, filed in [
        ("天门市公安局", "对胡小兵涉嫌重大责任事故罪立案侦查", D(2025, 4, 20), D(2025, 4, 28)),
        ("天门市消防救援大队", "对郑宏伟、维保机构实施行政处罚", D(2025, 4, 25), D(2025, 4, 30)),
        ("天门经济开发区管委会", "约谈整改并报送整改报告", D(2025, 5, 6), D(2025, 5, 8)),
    ]:
        parts.add_handling_task(
            cf,
            c.id,
            HandlingTaskInput(
                department=dept,
                task=task,
                reported_on=reported,
                filed_on=filed,
                result="已处理并报市人民政府及消防救援机构备案。",
            ),
            today=D(2025, 5, 8),
        )
    parts.record_feedback(
        cf,
        recs[0].id,
        FeedbackInput(
            feedback="已立案侦查。",
            feedback_on=D(2025, 4, 20),
            filed_on=D(2025, 4, 28),
            transferred_on=D(2025, 4, 10),
            transferred_to="天门市公安局",
        ),
        expected_version=recs[0].version,
    )
    for r in recs[1:]:
        parts.record_feedback(
            cf,
            r.id,
            FeedbackInput(feedback="已落实。", feedback_on=D(2025, 4, 25), filed_on=D(2025, 4, 30)),
            expected_version=r.version,
        )
    parts.save_publication(
        cf,
        c.id,
        PublicationInput(
            published_on=D(2025, 5, 15),
            channel="天门市人民政府门户网站",
            published_by="天门市人民政府",
        ),
    )
    parts.set_redaction(cf, c.id, f"party:{welder.id}.name", True, "涉及刑事侦查的个人信息。")
    parts.set_redaction(cf, c.id, "section:6", True, "处理建议涉及个人，依法不予公开。")
    cases.record_closure(
        cf, c.id, D(2025, 5, 10), expected_version=_ver(cf, c.id), today=D(2025, 5, 10)
    )
    ev = parts.save_evaluation(
        cf,
        c.id,
        EvaluationInput(
            lead="天门市消防安全委员会办公室",
            members=("天门市应急管理局", "天门市住房和城乡建设局", "天门市消防救援大队"),
            third_party="湖北正安安全技术咨询有限公司",
            started_on=D(2026, 3, 2),
            conduct="评估组采取查阅资料、现场核查、座谈等方式开展评估。",
        ),
        today=D(2026, 3, 2),
    )
    del ev
    for kind, subject, result, rid, mid in [
        ("人员责任追究", "胡小兵移送司法机关", "已落实", recs[0].id, None),
        ("单位责任追究", "湖北安泰消防技术服务有限公司行政处罚", "已落实", recs[2].id, None),
        ("整改措施", "全市纺织企业动火作业专项检查", "已落实", None, m1.id),
        ("整改措施", "园区智慧消防监测平台", "部分落实", None, m2.id),
    ]:
        parts.add_evaluation_item(
            cf,
            c.id,
            EvaluationItemInput(
                kind=kind,
                subject=subject,
                result=result,
                checked_on=D(2026, 3, 10),
                evidence="查阅相关文件及现场核查。",
                recommendation_id=rid,
                measure_id=mid,
            ),
        )
    parts.add_measure(
        cf,
        c.id,
        MeasureInput(
            text="限期完成智慧消防平台剩余12家企业接入",
            responsible="天门经济开发区管委会",
            set_on=D(2026, 3, 12),
            deadline=D(2026, 4, 30),
            status="未落实",
        ),
    )
    return c.id


def write_demo(cf: CaseFile, today: dt.date | None = None) -> tuple[int, ...]:
    """Write the demo cases; returns their ids."""
    now = today or dt.date.today()
    return (_case_one(cf, now), _case_two(cf, now))


def demo_command(args: argparse.Namespace) -> int:
    """``firecase demo --db PATH``."""
    try:
        with open_case_file(args.db, user=getattr(args, "user", None) or "演示") as cf:
            ids = write_demo(cf)
            for cid in ids:
                d = cases.get_case(cf, cid)
                print(f"{d.case.case_no} {d.case.title}（{d.case.grade}，{d.case.stage}）")
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    print(f"已写入 {len(ids)} 个演示案件。")
    return 0


__all__ = ["demo_command", "write_demo"]
