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
from dataclasses import replace
from decimal import Decimal
from enum import Enum

from firecase import rules
from firecase.errors import FirecaseError
from firecase.paths import resource
from firecase.services import (
    cases,
    deadlines,
    evaluation,
    evidence as evidence_svc,
    findings,
    parties,
    persons,
    publication,
    reading,
    recommendations,
    recusal,
    reply,
    team,
)
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
    PersonInput,
    PublicationInput,
    RecommendationInput,
    RecusalApplicationInput,
    RecusalDecisionInput,
    Relative,
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


def _case_one(cf: CaseFile, today: dt.date) -> int:
    fire = D(2026, 3, 14)
    c = cases.open_case(
        cf,
        IncidentInput(
            title="竟陵街道东湖社区居民自建房“3·14”火灾",
            fire_date=fire,
            fire_time="02:31",
            place="天门市竟陵街道东湖社区",
            address="天门市竟陵街道东湖路118号",
            unit_name="东湖路118号居民自建房（一层为电动自行车维修店）",
            fire_type=_pick(rules.FireType, "建筑"),
            property_loss_yuan=Decimal("386420.00"),
            economic_loss_yuan=Decimal("512760.50"),
            households_affected=3,
            burned_area_m2="110",
            nature="一起责任事故",
            summary="凌晨一层电动自行车维修店内充电的电动自行车锂电池起火，烟气经敞开楼梯间蔓延至"
            "二、三层，造成三楼住户1人死亡、2人轻伤。",
        ),
        CasualtyInput(
            as_of=fire,
            deaths=0,
            serious_injuries=1,
            minor_injuries=2,
            note="火灾当日：三楼住户陈德厚昏迷被救出，送天门市第一人民医院抢救；二楼住户2人吸入烟"
            "气，门诊治疗。",
        ),
        today=fire,
    )
    cases.add_casualty_update(
        cf,
        c.id,
        CasualtyInput(
            as_of=D(2026, 3, 16),
            deaths=1,
            serious_injuries=0,
            minor_injuries=2,
            note="陈德厚经抢救无效于3月16日死亡（医院死亡证明）。",
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
    owner = parties.add_party(
        cf,
        c.id,
        PartyInput(
            kind=_party("个人", "自然人"),
            name="陈国平",
            role="当事人",
            organisation="东湖路118号房屋所有人",
            relatives=(Relative("陈晓红", "女"), Relative("陈国安")),
            contact="137****5621",
            note="房屋所有人，一层临街部分出租给维修店；死者陈德厚之子。",
        ),
    )
    shop = parties.add_party(
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
    parties.add_party(
        cf,
        c.id,
        PartyInput(
            kind=_party("个人", "自然人"),
            name="吴海涛",
            role="当事人",
            organisation="天门市竟陵顺达电动车维修店",
            contact="139****0817",
            note="维修店经营者，住侨乡街道，火灾发生时不在店内。",
        ),
    )
    _persons(
        cf,
        c.id,
        [
            ("死者", "陈德厚", "男", 71, _id_number("429006", D(1954, 8, 2), "181"), ""),
            (
                "轻伤",
                "刘秀芝",
                "女",
                45,
                _id_number("429006", D(1980, 11, 23), "242"),
                "13872651408",
            ),
            ("轻伤", "张浩然", "男", 14, "", ""),
            ("证人", "吴海涛", "男", 39, "", "13907280817"),
        ],
        D(2026, 3, 16),
    )
    parties.add_party(
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
    rec = recusal.apply_recusal(
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
    recusal.decide_recusal(
        cf,
        rec.id,
        RecusalDecisionInput(
            decision="批准",
            decided_on=D(2026, 3, 17),
            decided_by="周建国",
            reason="符合第十五条第一项规定的回避情形，同意回避，技术组组长改由黄志远担任。",
            decided_by_member_id=ids["周建国"],
        ),
        expected_version=rec.version,
        today=today,
    )
    ev1 = evidence_svc.add_evidence(
        cf,
        c.id,
        EvidenceInput(
            code="WZ-001",
            name="电动自行车锂电池组残骸",
            kind="物证",
            collected_on=D(2026, 3, 14),
            collected_by="陈晓明、黄志远",
            description="提取自一层维修店东墙南段充电插座下方，电池组外壳烧熔，多节电芯壳体向外爆"
            "裂，周围散落喷射状熔珠。",
            location="天门市消防救援大队物证室 A-03",
        ),
    )
    evidence_svc.add_custody_event(
        cf,
        ev1.id,
        CustodyInput(
            on=D(2026, 3, 14), action="入库", from_holder="黄志远", to_holder="物证室 王静"
        ),
    )
    evidence_svc.add_custody_event(
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
    evidence_svc.add_attachment(
        cf,
        c.id,
        AttachmentInput(
            filename="现场照片-起火部位.jpg",
            # a drawn stand-in for a scene photograph (a real JPEG: the thumbnails show it)
            content=resource("demo", "scene-origin.jpg").read_bytes(),
            added_on=D(2026, 3, 14),
            media_type="image/jpeg",
            evidence_id=ev1.id,
        ),
    )
    ev2 = evidence_svc.add_evidence(
        cf,
        c.id,
        EvidenceInput(
            code="SP-001",
            name="东湖路监控视频",
            kind="视听资料",
            collected_on=D(2026, 3, 14),
            collected_by="王丽华",
            description="东湖路与新城路路口公共视频监控，02时31分06秒维修店卷帘门上方通风口出现闪"
            "光，02时33分浓烟外溢。",
            location="天门市公安局视频侦查大队",
        ),
    )
    evidence_svc.add_attachment(
        cf,
        c.id,
        AttachmentInput(
            filename="监控截图说明.txt",
            content=(
                "02:31:06 店内出现闪光；02:33 浓烟外溢；01:00至起火前无人员进出店铺。"
            ).encode(),
            added_on=D(2026, 3, 15),
            media_type="text/plain",
            evidence_id=ev2.id,
        ),
    )
    evidence_svc.add_evidence(
        cf,
        c.id,
        EvidenceInput(
            code="KY-001",
            name="火灾现场勘验笔录",
            kind="勘验笔录",
            collected_on=D(2026, 3, 15),
            collected_by="陈晓明、黄志远",
            description="现场勘验笔录、现场图及照片，记载东墙南段“V”字形烟熏痕迹和自东向西递减的"
            "烧损梯度。",
            location="天门市消防救援大队档案室",
        ),
    )
    evidence_svc.add_evidence(
        cf,
        c.id,
        EvidenceInput(
            code="BL-001",
            name="吴海涛询问笔录",
            kind="当事人陈述",
            collected_on=D(2026, 3, 15),
            collected_by="王丽华、刘志强",
            description="承认3月13日21时许将客户电动自行车电池接入非原厂充电器充电后锁门离店，店"
            "内无人值守。",
        ),
    )
    ap = evidence_svc.commission_appraisal(
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
    evidence_svc.close_appraisal(
        cf,
        ap.id,
        D(2026, 4, 8),
        "检材电芯存在内短路熔痕，符合锂电池热失控起火特征；插座及充电线路未见短路熔痕。",
        expected_version=ap.version,
    )
    deadlines.request_extension(
        cf,
        c.id,
        ExtensionInput(
            days=30,
            requested_on=D(2026, 5, 6),
            reason="死者死亡原因鉴定意见尚未出具，违法加层的认定需市住房和城乡建设局、城市管理执"
            "法局核实。",
            approved_on=D(2026, 5, 8),
            approved_by="天门市人民政府",
            approval_ref="天政函〔2026〕31号",
        ),
    )
    findings.add_cause(
        cf,
        c.id,
        CauseInput(
            kind="直接原因",
            text="维修店东墙南段充电的电动自行车锂离子电池组在充电过程中发生热失控，引燃周围轮胎"
            "、坐垫等可燃物。",
        ),
    )
    for text in (
        "维修店与住宅共用敞开楼梯间，未进行防火分隔，烟气迅速进入疏散通道。",
        "经营者使用非原厂充电器在店内夜间无人值守充电，店内未安装火灾报警装置。",
        "房屋所有人违规出租、擅自加层，二、三层窗户设固定式防盗网且无逃生口。",
        "竟陵街道、东湖社区对“三合一”场所排查整治不到位，发现隐患后未跟踪复查。",
    ):
        findings.add_cause(cf, c.id, CauseInput(kind="间接原因", text=text))
    findings.add_finding(
        cf,
        c.id,
        FindingInput(
            area="使用管理责任",
            subject="天门市竟陵顺达电动车维修店",
            party_id=shop.id,
            text="经营者吴海涛在住宅楼一层从事电动车维修并夜间无人值守充电，未设置防火分隔，消防"
            "安全主体责任不落实，对火灾发生负有直接责任。",
        ),
    )
    findings.add_finding(
        cf,
        c.id,
        FindingInput(
            area="使用管理责任",
            subject="陈国平",
            party_id=owner.id,
            text="将一层出租用于电动车维修且未约定消防安全责任，擅自加建第三层并在窗户设置固定式"
            "防盗网，对火灾蔓延和人员伤亡负有一定责任。",
        ),
    )
    findings.add_finding(
        cf,
        c.id,
        FindingInput(
            area="政府、部门相关责任",
            subject="竟陵街道办事处",
            text="对辖区“三合一”场所排查不彻底，2025年11月东湖社区网格员发现该店夜间充电问题后仅"
            "作口头提醒，未督促整改、未跟踪复查。",
        ),
    )
    findings.add_dissent(
        cf,
        c.id,
        DissentInput(
            member_id=ids["李德胜"],
            recorded_on=D(2026, 5, 20),
            text="认为房屋所有人陈国平明知一层用于电动车维修充电仍出租，并擅自加层、封闭逃生窗口"
            "，对人员死亡负有主要责任，建议一并移送公安机关审查。",
        ),
    )
    _sections(
        cf,
        c.id,
        [
            _long(
                "东湖路118号房屋位于竟陵街道东湖社区东湖路北侧，东邻东湖路120号居民住宅，西侧为宽"
                "约3米的巷道，北侧为社区停车场。房屋所有人陈国平，2008年在自有宅基地上建成二层砖"
                "混结构住宅，2019年未经规划许可擅自加建第三层，现建筑面积约420平方米，未办理规划"
                "、施工许可及消防相关手续。",
                "房屋一层临街部分约110平方米，自2023年6月起由陈国平出租给吴海涛，经营天门市竟陵顺"
                "达电动车维修店（个体工商户，2023年7月取得营业执照，经营范围为电动自行车维修及配"
                "件零售），店内同时为客户车辆和电池充电。一层后部为楼梯间和陈国平自用杂物间，二、"
                "三层为住宅，火灾发生时居住3户9人。",
                "房屋仅有一部敞开楼梯，自一层店铺后门旁直通三层，店铺与楼梯间之间仅以木门分隔。二"
                "、三层外窗均安装固定式不锈钢防盗网，未设置逃生口。维修店内配有2具手提式干粉灭火"
                "器，其中1具压力不足，未安装独立式感烟火灾探测报警器。",
            ),
            _long(
                "2026年3月13日21时许，吴海涛将客户寄修的1辆电动自行车（配48V锂离子电池组）推至店"
                "内东墙南段，使用非原厂充电器接入墙面插座充电，随后锁门回到侨乡街道的住处，店内无"
                "人值守。",
                "3月14日02时31分，东湖路与新城路路口公共视频监控显示维修店卷帘门上方通风口出现闪"
                "光，02时33分浓烟从卷帘门缝隙涌出。烟气经店铺后门和敞开楼梯间迅速向二、三层蔓延。"
                "02时37分，天门市消防救援大队指挥中心接到二楼住户陈国安的119报警。",
                "指挥中心先后调派竟陵、侨乡、特勤3个消防救援站11车52人赶赴现场，02时44分竟陵站首"
                "车到场。侦察发现一层店铺处于猛烈燃烧阶段，楼梯间充满浓烟，二、三层有人员被困。现"
                "场指挥员确定“救人第一、控制蔓延”的战术，一组出水枪掩护、沿楼梯内攻搜救，一组架设"
                "拉梯破拆二层阳台防盗网救人。",
                "至03时05分，救援人员从二、三层疏散、救出被困人员8人，其中三楼住户陈德厚在卧室内"
                "被发现时已昏迷，经现场心肺复苏后由120急救车送天门市第一人民医院抢救。03时20分明"
                "火被扑灭，04时10分残火清理完毕，现场移交调查人员封闭保护。",
            ),
            _long(
                "火灾造成1人死亡、2人轻伤。死者陈德厚，男，71岁（公民身份号码429006195408021815），系房屋所有"
                "人陈国平之父，3月16日经抢救无效死亡；医院死亡证明记载死亡原因为吸入性损伤致急性呼"
                "吸衰竭，死亡原因鉴定意见尚待出具。轻伤2人为二楼住户刘秀芝（联系电话138 7265 1408）"
                "及其子张浩然（14岁），均为吸入烟气所致，经门诊治疗于3月15日离院。",
                "技术组依照《火灾损失统计方法》（XF 185—2014）统计：房屋建筑及装修损失15.23万元，"
                "维修店内电动自行车、电池及配件损失18.76万元，住户家具、家电等物品损失4.65万元，"
                "直接财产损失合计38.64万元；加上医疗、丧葬等人身伤亡支出和现场清理费用12.63万元，"
                "直接经济损失合计51.28万元（各项金额见下表）。",
            ),
            _long(
                "起火部位和起火点。现场勘验表明，一层维修店东墙南段烧损最重，墙面抹灰大面积脱落，"
                "距地面0.6米的电源插座下方形成明显的“V”字形烟熏痕迹，店内烧损程度自东向西逐渐减轻"
                "。认定起火部位为维修店东墙南段充电区域，起火点为该处充电的电动自行车电池组所在位"
                "置。",
                "起火原因。提取的锂电池组残骸（WZ-001）多节电芯壳体向外爆裂，周围散落喷射状熔珠；"
                "经应急管理部天津消防研究所检验，检材电芯存在内短路熔痕，符合锂电池热失控起火特征"
                "，插座及充电线路未见短路熔痕。监控视频显示01时至起火前无人员进出店铺，排除放火和"
                "遗留火种等因素。认定起火原因为电动自行车锂离子电池组充电过程中热失控起火。",
                "成因和性质。店内堆放的轮胎、坐垫等可燃物燃烧产生大量有毒烟气，经未分隔的楼梯间进"
                "入住宅；火灾发生在凌晨，住户处于睡眠状态且无报警装置，发现晚；固定式防盗网封堵外"
                "窗，被困人员无法自行逃生。调查组初步认定，这是一起“三合一”场所违规充电引发、消防"
                "安全主体责任不落实导致的一般责任事故。",
            ),
            _long(
                "维修店经营者吴海涛未建立消防安全制度，未开展防火检查和巡查，1名学徒未接受消防安"
                "全培训；店铺与住宅设置在同一建筑内，未按《中华人民共和国消防法》第十九条第二款的"
                "要求采取防火分隔措施；长期在店内夜间无人值守充电，使用的充电器与电池不匹配。",
                "房屋所有人陈国平将一层出租用于电动车维修，未在租赁合同中约定消防安全责任，未督促"
                "承租人整改隐患；擅自加层后未完善疏散条件，在二、三层外窗加装固定式防盗网，致使住"
                "宅只剩一部与店铺相通的楼梯可供疏散。",
            ),
            _long(
                "吴海涛作为维修店经营者，违规在“三合一”场所夜间无人值守充电，对火灾发生负有直接责"
                "任，其行为涉嫌失火罪，建议移交天门市公安局依法处理。",
                "陈国平作为房屋所有人，违规出租并擅自加层、封闭外窗，对火灾蔓延和人员伤亡负有一定"
                "责任，建议由天门市城市管理执法局对违法建设依法处理；调查组成员对其责任程度存在不"
                "同意见，见第八部分。",
                "竟陵街道办事处对辖区“三合一”场所排查整治不到位，建议由天门市人民政府对其主要负责"
                "人进行约谈；东湖社区党支部书记对网格排查发现的问题未督促整改，建议由竟陵街道党工"
                "委予以问责。",
            ),
            _long(
                "竟陵街道对辖区沿街门店开展“三合一”场所拉网式排查，2026年6月30日前完成住宿与经营"
                "场所的防火分隔整改或人员清退，社区网格员对已整改场所每月复查一次。",
                "天门市消防救援大队会同市市场监督管理局开展电动自行车及充电器专项检查，重点查处非"
                "原厂充电器销售和改装电池；在东湖、西湖等老旧小区建设集中充电设施。",
                "东湖社区组织自建房住户开展防盗网开设逃生口和安装独立式感烟火灾探测报警器工作，对"
                "独居老人住户优先免费安装。",
            ),
            _long(
                "本案调查期间，调查组成员陈晓明因系当事人近亲属，经调查组组长批准回避（第十五条第"
                "一项），不参与调查报告的审议和签名。",
                "因死者死亡原因鉴定意见尚未出具、违法加层认定需有关部门核实，经天门市人民政府批准"
                "（天政函〔2026〕31号），调查期限延长30日。",
                "调查组成员李德胜对房屋所有人陈国平的责任认定持不同意见，已记录在案。",
            ),
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
    findings.add_cause(
        cf,
        c.id,
        CauseInput(
            kind="直接原因",
            text="天门市鑫达钢结构工程队电焊工胡小兵在成品仓库北侧⑦轴处无证违规进行屋面檩条加固电"
            "焊作业，高温焊渣掉落，引燃下方棉纱堆垛。",
        ),
    )
    for text in (
        "天门华纺纺织有限公司动火作业审批制度不落实，外包施工未签订安全协议，动火现场未清理可燃物"
        "、未安排监护人员。",
        "自动喷水灭火系统进水侧信号阀于2024年11月检修管道后被关闭，长期未恢复，火灾时系统未能出水"
        "；消防控制室值班人员无证上岗，火灾报警控制器处于手动状态。",
        "仓库棉纱堆垛高度达5.5米，距屋架不足0.5米，防火墙上的防火卷帘下方堆放货物，火灾时未能降落"
        "，火势蔓延至另一防火分区。",
        "湖北安泰消防技术服务有限公司未按合同开展维护保养，连续6个月出具“系统正常”的虚假维保记录。",
        "天门经济开发区管委会及其安全生产监督管理局对园区企业动火作业和消防设施运行情况督促检查不"
        "力，2024年10月检查发现的仓库堆垛问题未跟踪整改。",
    ):
        findings.add_cause(cf, c.id, CauseInput(kind="间接原因", text=text))
    for area, subject, pid, text in [
        (
            "使用管理责任",
            "天门华纺纺织有限公司",
            company.id,
            "未落实消防安全主体责任：动火审批流于形式，仓库堆垛超高、占用防火卷帘下方空间，南侧安"
            "全出口被货物堵塞，消防控制室值班人员无证上岗，起火后未及时组织员工疏散。",
        ),
        (
            "使用管理责任",
            "郑宏伟",
            boss.id,
            "作为法定代表人和消防安全责任人，将檩条加固工程口头发包给无资质施工队，未组织防火检查"
            "和消防演练，对事故发生负有主要领导责任。",
        ),
        (
            "使用管理责任",
            "樊立军",
            manager.id,
            "作为消防安全管理人，未审核动火作业，2024年11月安排关闭喷淋信号阀检修管道后未督促恢复"
            "，对事故发生负有直接管理责任。",
        ),
        (
            "使用管理责任",
            "胡小兵、陈金华",
            welder.id,
            "胡小兵无证违规电焊作业直接引发火灾；陈金华作为工程队负责人，明知胡小兵无证仍安排其动"
            "火作业，二人对事故发生负有直接责任。",
        ),
        (
            "工程建设、中介服务责任",
            "湖北安泰消防技术服务有限公司",
            maint.id,
            "未按合同每月对自动喷水灭火系统开展功能检测，未发现信号阀关闭，连续出具虚假维保记录，"
            "对火灾蔓延扩大负有责任。",
        ),
        (
            "消防产品质量责任",
            "自动喷水灭火系统及防火卷帘",
            None,
            "经检验，湿式报警阀组、喷头及防火卷帘产品质量符合标准，系统失效和卷帘未降落分别系人为"
            "关闭阀门、货物阻挡所致，不存在产品质量责任。",
        ),
        (
            "政府、部门相关责任",
            "天门经济开发区管委会",
            None,
            "落实属地消防安全管理责任不到位，对园区企业动火作业和外包施工安全管理督促检查不力。",
        ),
        (
            "政府、部门相关责任",
            "天门经济开发区安全生产监督管理局",
            None,
            "2024年10月检查发现该公司仓库堆垛超高问题后，未下达书面整改通知、未组织复查，履行监管"
            "职责不到位。",
        ),
    ]:
        findings.add_finding(
            cf, c.id, FindingInput(area=area, subject=subject, text=text, party_id=pid)
        )
    recs = []
    for tk, name, pid, area, kind, basis, authority, text, secret in [
        (
            "个人",
            "胡小兵",
            welder.id,
            "使用管理责任",
            "移送司法机关",
            "《中华人民共和国刑法》第一百三十四条第一款",
            "天门市公安局",
            "涉嫌重大责任事故罪，已于2025年1月11日被刑事拘留，建议依法追究刑事责任。",
            True,
        ),
        (
            "个人",
            "陈金华",
            foreman.id,
            "使用管理责任",
            "移送司法机关",
            "《中华人民共和国刑法》第一百三十四条第一款",
            "天门市公安局",
            "涉嫌重大责任事故罪，已于2025年1月12日被刑事拘留，建议依法追究刑事责任。",
            True,
        ),
        (
            "个人",
            "郑宏伟",
            boss.id,
            "使用管理责任",
            "行政处罚",
            "《中华人民共和国安全生产法》第九十五条第二项",
            "天门市应急管理局",
            "建议处以上一年年收入百分之六十的罚款。",
            False,
        ),
        (
            "个人",
            "樊立军",
            manager.id,
            "使用管理责任",
            "行政处罚",
            "《中华人民共和国安全生产法》第九十六条",
            "天门市应急管理局",
            "建议处以上一年年收入百分之四十的罚款，由公司解除其消防安全管理人职务。",
            False,
        ),
        (
            "单位",
            "天门华纺纺织有限公司",
            company.id,
            "使用管理责任",
            "行政处罚",
            "《中华人民共和国安全生产法》第一百一十四条第一款第二项",
            "天门市应急管理局",
            "建议处以一百五十万元罚款。",
            False,
        ),
        (
            "单位",
            "湖北安泰消防技术服务有限公司",
            maint.id,
            "工程建设、中介服务责任",
            "行政处罚",
            "《中华人民共和国消防法》第六十九条第一款",
            "天门市消防救援大队",
            "建议处以罚款，并对项目负责人危志刚处以罚款；抄告湖北省消防救援总队纳入从业信用记录。",
            False,
        ),
        (
            "个人",
            "何建平",
            None,
            "政府、部门相关责任",
            "党纪政务处分",
            "《中华人民共和国公职人员政务处分法》第三十九条",
            "天门市纪委监委",
            "开发区安全生产监督管理局副局长，分管园区消防安全，建议给予政务记过处分。",
            False,
        ),
        (
            "单位",
            "天门经济开发区安全生产监督管理局",
            None,
            "政府、部门相关责任",
            "问责",
            "《中国共产党问责条例》第七条",
            "天门经济开发区党工委",
            "建议责令作出书面检查，并在园区范围内通报。",
            False,
        ),
        (
            "单位",
            "天门经济开发区管委会",
            None,
            "政府、部门相关责任",
            "约谈",
            "《消防安全责任制实施办法》（国办发〔2017〕87号）",
            "天门市人民政府",
            "建议由市人民政府分管副市长约谈管委会主要负责人，责令向市人民政府作出书面检查。",
            False,
        ),
    ]:
        recs.append(
            recommendations.add_recommendation(
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
                    text=text,
                    confidential=secret,
                ),
            )
        )
    reply_on = D(2025, 4, 3)
    m1 = evaluation.add_measure(
        cf,
        c.id,
        MeasureInput(
            text="全市纺织服装企业开展动火作业和外包施工安全专项检查",
            responsible="天门市应急管理局",
            set_on=reply_on,
            deadline=D(2025, 6, 30),
            done_on=D(2025, 6, 20),
            status="已落实",
        ),
    )
    m2 = evaluation.add_measure(
        cf,
        c.id,
        MeasureInput(
            text="开发区建成园区智慧消防监测平台，重点企业消防水系统压力和阀门状态全部接入",
            responsible="天门经济开发区管委会",
            set_on=reply_on,
            deadline=D(2025, 12, 31),
            status="部分落实",
        ),
    )
    m3 = evaluation.add_measure(
        cf,
        c.id,
        MeasureInput(
            text="对全市消防技术服务机构开展维保质量专项检查",
            responsible="天门市消防救援大队",
            set_on=reply_on,
            deadline=D(2025, 7, 31),
            done_on=D(2025, 7, 25),
            status="已落实",
        ),
    )
    m4 = evaluation.add_measure(
        cf,
        c.id,
        MeasureInput(
            text="华纺公司按规范重建仓库并完成全员消防安全培训",
            responsible="天门华纺纺织有限公司",
            set_on=reply_on,
            deadline=D(2025, 10, 31),
            done_on=D(2025, 10, 24),
            status="已落实",
        ),
    )
    _sections(
        cf,
        c.id,
        [
            _long(
                "天门华纺纺织有限公司成立于2012年5月，注册地址为天门经济开发区杭州路6号，系有限责"
                "任公司，法定代表人郑宏伟，注册资本3000万元，主要从事棉纱、坯"
                "布的生产和销售。公司占地约46000平方米，现有员工312人，建有纺纱车间、织造车间、成"
                "品仓库、综合楼等建筑。",
                "起火的成品仓库位于厂区东北角，2013年建成，单层门式钢架结构，建筑面积3600平方米，"
                "屋脊高度9.2米，耐火等级二级，储存物品火灾危险性为丙类。仓库以一道南北向防火墙划"
                "分为两个防火分区，防火墙上设两樘特级防火卷帘；仓库东、西、南侧共设4个安全出口。"
                "该仓库于2013年10月通过原天门市公安消防大队消防验收。",
                "仓库设有湿式自动喷水灭火系统、火灾自动报警系统和室内外消火栓系统，消防水源为厂区"
                "600立方米消防水池，消防泵房位于仓库西侧，消防控制室设在综合楼一层。2024年3月起，"
                "公司委托湖北安泰消防技术服务有限公司对上述设施进行维护保养，合同约定每月检测一次"
                "、每年全面检测一次。",
                "火灾发生前，仓库内储存棉纱、坯布等成品约1100吨，以木托盘堆垛存放，一号防火分区（"
                "北侧）堆垛高度普遍达到5.5米。2024年12月起，公司将仓库北侧屋面檩条加固工程口头发"
                "包给天门市鑫达钢结构工程队，双方未签订施工合同和安全管理协议。",
            ),
            _long(
                "2025年1月9日13时40分许，鑫达钢结构工程队负责人陈金华安排电焊工胡小兵和辅助工1人"
                "进入仓库，在北侧⑦轴处搭设移动脚手架，对屋面檩条进行焊接加固。作业前未向公司申请"
                "动火审批，未清理下方可燃物，未设置接火盆或覆盖防火毯，现场无监护人员。",
                "14时02分37秒，仓库北门监控录像显示⑦轴上方焊渣成串掉落在下方棉纱堆垛上；14时03分5"
                "0秒堆垛开始冒烟，14时05分12秒明火窜至垛顶。胡小兵发现起火后与辅助工使用2具灭火器"
                "扑救未果，随即撤离。仓库保管员杨春梅发现火情后呼喊南侧理货区人员撤离，因南侧安全"
                "出口被货物堵塞，部分人员绕行至东侧出口。",
                "火灾自动报警系统于14时04分发出报警信号，消防控制室值班人员聂小红未到现场核实，也"
                "未启动消防水泵。14时09分，天门市消防救援大队指挥中心接到公司员工119报警。因喷淋"
                "系统进水侧信号阀被关闭，系统未能出水；两樘防火卷帘下方堆放成品，卷帘未能降落，火"
                "势经卷帘洞口蔓延至二号防火分区。",
                "指挥中心先后调派开发区、竟陵、侨乡、特勤4个消防救援站及岳口、皂市2个专职消防队共"
                "28车136人到场，14时16分开发区站首车到场。现场指挥部确定“先救人、后灭火，堵截蔓延"
                "、保护相邻厂房”的作战意图，组织3个攻坚组佩戴空气呼吸器进入二号防火分区搜救，同时"
                "设置4个阵地堵截火势向西侧织造车间蔓延。市应急管理局、公安局、卫健委、供电公司等"
                "单位到场开展警戒、医疗救护和断电工作。",
                "14时38分至15时06分，搜救组先后救出被困人员3人，在二号防火分区南侧理货区发现遇难"
                "者2人。15时40分火势得到控制，16时40分明火被扑灭，1月10日06时30分残火清理完毕，现"
                "场移交调查组封闭保护。救援过程中共疏散员工及相邻企业人员216人，保住了相邻的织造"
                "车间和综合楼。",
            ),
            _long(
                "火灾造成3人死亡、2人重伤、3人轻伤。遇难者彭桂兰（女，52岁）、肖卫东（男，47岁）"
                "为仓库理货员，在二号防火分区南侧理货区遇难；万德明（男，56岁）为叉车司机，被救出"
                "时全身重度烧伤，送天门市第一人民医院救治后转院，1月12日经抢救无效死亡。经天门市"
                "公安局物证鉴定室鉴定，三名死者均系吸入高温烟气及一氧化碳中毒窒息死亡，其中万德明"
                "合并重度烧伤。",
                "2名重伤人员为仓库员工，均为吸入性损伤合并烧伤，经治疗于2025年3月上旬出院；3名轻"
                "伤人员为吸入烟气和疏散时摔伤，均于1周内出院。",
                "直接财产损失由技术组依照《火灾损失统计方法》（XF 185—2014）统计，建筑物和库存物"
                "资的价格委托天门市价格认证中心认定：仓库建筑物损失412.65万元，库存棉纱、坯布等"
                "成品和原料损失1387.23万元，货架、叉车等设备损失65.44万元，直接财产损失合计"
                "1865.32万元。",
                "人身伤亡所支出的医疗、丧葬、抚恤等费用241.86万元，火灾现场清理和废弃物处置费用"
                "31.68万元。直接经济损失合计2138.87万元（各项金额见下表）。",
            ),
            _long(
                "起火部位和起火点。现场勘验表明，仓库北侧⑦轴处钢屋架变形最严重，下挠约1.2米，其余"
                "部位钢构件变形程度以该处为中心向四周递减；⑦轴下方棉纱堆垛自底部向上烧穿，炭化最"
                "深，残留物中提取到多颗表面氧化的金属熔珠。结合监控录像中最早出现烟雾的位置，认定"
                "起火部位为仓库北侧⑦轴处，起火点为该处焊接作业点下方的棉纱堆垛。",
                "起火原因。监控录像显示，14时02分37秒焊渣从⑦轴上方成串掉落，约73秒后下方堆垛冒烟"
                "，时间和位置与焊接作业吻合；现场提取的电焊机处于开机档位，胡小兵、辅助工及保管员"
                "的陈述与录像相互印证。经应急管理部天津消防研究所鉴定，仓库配电箱和照明线路上的6"
                "处熔痕均为火烧熔痕，排除电气线路故障起火；起火时仓库内无人吸烟，也无其他明火作业"
                "，排除遗留火种等因素。认定起火原因为电焊作业产生的高温焊渣掉落引燃下方棉纱堆垛。",
                "成因。棉纱属易燃纤维，堆垛超高密集，燃烧速度快、发烟量大；喷淋系统未出水、防火"
                "卷帘未降落，火灾初期未能控制；值班人员未及时确认火警和组织疏散，南侧安全出口被堵"
                "塞，致使火势迅速蔓延并造成人员伤亡。其余间接原因列后。",
                "性质。经调查认定，天门华纺纺织有限公司“1·9”较大火灾事故是一起因无证违规动火作业"
                "引发，企业消防安全主体责任不落实、消防技术服务机构出具虚假维保记录、属地监管不到"
                "位导致的较大生产安全责任事故。",
            ),
            _long(
                "消防安全责任制不落实。公司虽成立了以郑宏伟为组长的消防安全领导小组，但2024年全年"
                "未召开消防安全工作会议，未组织防火检查；消防安全管理人樊立军兼管生产，对仓库防火"
                "巡查记录长期未审核。",
                "动火作业和外包施工管理缺失。公司《动火作业管理制度》规定仓库动火须经安全部门审批"
                "并派人监护，但2024年以来的12次动火作业中仅有3次办理审批；将檩条加固工程口头发包"
                "给无资质的工程队，未审查作业人员资格，未进行安全交底。",
                "消防设施管理混乱。2024年11月，樊立军安排设备科关闭喷淋系统信号阀更换漏水管段，完"
                "工后未恢复开启，并用铁丝绑扎阀门手柄；火灾报警控制器和消防泵控制柜长期处于手动状"
                "态；消防控制室实行单人值班，2名值班人员均未取得消防设施操作员证书。",
                "仓储管理和员工培训不到位。仓库堆垛超高、超量，防火卷帘下方和南侧安全出口长期堆放"
                "货物；公司2024年未组织员工消防安全培训和灭火疏散演练，员工普遍不会使用室内消火栓"
                "，起火后未能在第一时间有效扑救和有序疏散。",
            ),
            _long(
                "根据第十六条的规定，调查组在查明直接原因的基础上，围绕导致火灾发生和蔓延扩大的间"
                "接原因，从使用管理、工程建设和中介服务、消防产品质量、政府和部门四个方面查明了有"
                "关单位和人员的责任。",
                "对涉嫌犯罪的胡小兵、陈金华，调查组已依据第十三条第三款将有关材料移交天门市公安局"
                "依法侦办；其他责任单位和人员由下列处理建议所列机关依法依规处理，政府和部门的责任同"
                "时移交天门市纪委监委审查。",
            ),
            _long(
                "强化企业消防安全主体责任。全市纺织、服装、仓储物流企业要对照本次火灾暴露的问题开"
                "展自查自改，严格执行动火作业审批、现场监护和可燃物清理制度，外包施工必须审查资质"
                "、签订安全协议并进行安全交底。",
                "确保消防设施完好有效。各单位检修消防设施需关闭阀门的，应落实专人负责并在完工后立"
                "即恢复，信号阀应保持常开并锁定；消防控制室严格落实24小时双人值班和持证上岗，火灾"
                "报警控制器和消防泵控制柜处于自动状态。",
                "规范消防技术服务市场。市消防救援大队要加强对消防技术服务机构执业行为的监督抽查，"
                "对出具虚假文件的依法从严查处，并将处理结果纳入信用记录。",
                "压实属地和行业监管责任。天门经济开发区要建立园区企业动火作业报备制度，建成智慧消"
                "防监测平台，对重点企业消防水系统压力和阀门状态实时监测；市应急管理局、经济和信息"
                "化局要将消防安全纳入行业安全检查内容。",
            ),
            _long(
                "天门市人民政府于2025年1月10日认定本次火灾造成重大社会影响，当日成立调查组，湖北"
                "省消防救援总队火灾调查处黄志远高级工程师作为专家参加调查。",
                "调查期间委托的死亡原因鉴定、电气线路熔痕鉴定和报警阀组检验用时合计34日，依照第十"
                "七条第二款不计入调查期限。调查组于2025年3月18日提交调查报告。",
                "遇难者善后处置由天门经济开发区管委会牵头负责，死者家属赔偿协议已于2025年2月全部"
                "签订。",
            ),
        ],
        secret={6},
    )
    reply.record_report_submitted(
        cf, c.id, D(2025, 3, 18), expected_version=_ver(cf, c.id), today=D(2025, 3, 18)
    )
    reply.record_report_received(
        cf, c.id, D(2025, 3, 19), expected_version=_ver(cf, c.id), today=D(2025, 3, 19)
    )
    reply.record_reply(
        cf,
        c.id,
        reply_on,
        "天政函〔2025〕45号",
        "原则同意调查报告对事故原因、性质和责任的认定及处理建议，请有关部门和单位在30日内依法依规"
        "处理并报市人民政府及市消防救援大队备案。",
        expected_version=_ver(cf, c.id),
        today=reply_on,
    )
    for dept, task, reported, filed, result in [
        (
            "天门市公安局",
            "对胡小兵、陈金华涉嫌重大责任事故罪依法侦办",
            D(2025, 4, 20),
            D(2025, 4, 28),
            "已立案侦查，2025年4月18日移送天门市人民检察院审查起诉。",
        ),
        (
            "天门市应急管理局",
            "对天门华纺纺织有限公司及郑宏伟、樊立军实施行政处罚",
            D(2025, 4, 25),
            D(2025, 4, 29),
            "已作出行政处罚决定，罚款已全部缴纳。",
        ),
        (
            "天门市消防救援大队",
            "对湖北安泰消防技术服务有限公司及其项目负责人实施行政处罚",
            D(2025, 4, 24),
            D(2025, 4, 30),
            "已作出行政处罚决定，并抄告湖北省消防救援总队。",
        ),
        (
            "天门市纪委监委",
            "对何建平给予政务处分",
            D(2025, 4, 27),
            D(2025, 4, 30),
            "已给予何建平政务记过处分。",
        ),
        (
            "天门经济开发区管委会",
            "接受约谈，向市人民政府作出书面检查并报送整改方案",
            D(2025, 4, 28),
            D(2025, 4, 30),
            "已于4月15日接受约谈，书面检查和整改方案已报送。",
        ),
    ]:
        # the 批复 created a task per acting authority of the recommendations (第二十条)
        created = {t.department: t for t in reading.get_case(cf, c.id, today=today).handling_tasks}
        values = HandlingTaskInput(
            department=dept, task=task, reported_on=reported, filed_on=filed, result=result
        )
        if dept in created:
            reply.update_handling_task(
                cf,
                created[dept].id,
                values,
                expected_version=created[dept].version,
                today=D(2025, 4, 30),
            )
        else:
            reply.add_handling_task(cf, c.id, values, today=D(2025, 4, 30))
    feedback = [
        ("已立案侦查，移送审查起诉。", D(2025, 4, 20), D(2025, 4, 28), D(2025, 1, 15)),
        ("已立案侦查，移送审查起诉。", D(2025, 4, 20), D(2025, 4, 28), D(2025, 1, 15)),
        ("已作出罚款决定并执行完毕。", D(2025, 4, 25), D(2025, 4, 29), None),
        ("已作出罚款决定；公司已免去其消防安全管理人职务。", D(2025, 4, 25), D(2025, 4, 29), None),
        ("已作出罚款一百五十万元的决定并执行完毕。", D(2025, 4, 25), D(2025, 4, 29), None),
        ("已对机构及项目负责人作出罚款决定。", D(2025, 4, 24), D(2025, 4, 30), None),
        ("已给予政务记过处分。", D(2025, 4, 27), D(2025, 4, 30), None),
        ("已作出书面检查并在园区通报。", D(2025, 4, 22), D(2025, 4, 30), None),
        ("已于2025年4月15日约谈，书面检查已报送。", D(2025, 4, 28), D(2025, 4, 30), None),
    ]
    for r, (text, on, filed, transferred) in zip(recs, feedback, strict=True):
        recommendations.record_feedback(
            cf,
            r.id,
            FeedbackInput(
                feedback=text,
                feedback_on=on,
                filed_on=filed,
                transferred_on=transferred,
                transferred_to="天门市公安局" if transferred else "",
            ),
            expected_version=r.version,
        )
    publication.save_publication(
        cf,
        c.id,
        PublicationInput(
            published_on=D(2025, 5, 15),
            channel="天门市人民政府门户网站",
            published_by="天门市人民政府",
        ),
    )
    for party in (welder, foreman):
        publication.set_redaction(
            cf,
            c.id,
            f"party:{party.id}.name",
            True,
            "涉及刑事侦查的个人信息。",
            today=D(2025, 5, 12),
        )
    publication.set_redaction(
        cf, c.id, "section:6", True, "处理建议涉及个人，依法不予公开。", today=D(2025, 5, 12)
    )
    reply.record_closure(
        cf, c.id, D(2025, 5, 10), expected_version=_ver(cf, c.id), today=D(2025, 5, 10)
    )
    ev = evaluation.save_evaluation(
        cf,
        c.id,
        EvaluationInput(
            lead="天门市消防安全委员会办公室",
            members=(
                "天门市应急管理局",
                "天门市住房和城乡建设局",
                "天门市经济和信息化局",
                "天门市消防救援大队",
            ),
            third_party="湖北正安安全技术咨询有限公司",
            started_on=D(2026, 3, 2),
            finished_on=D(2026, 4, 17),
            conduct="\n".join(
                (
                    "2026年2月，市消防安全委员会办公室制定评估工作方案，明确评估范围为天政函〔202"
                    "5〕45号批复确定的9项责任追究事项和4项整改措施。",
                    "评估组采取查阅处理决定、缴款凭证和整改台账，现场核查华纺公司新建仓库和园区智"
                    "慧消防监测平台，召开有关部门座谈会等方式，逐项核实落实情况，并听取了参加评估"
                    "工作的各部门意见。",
                    "第三方机构湖北正安安全技术咨询有限公司对新建仓库消防设施进行了功能测试，对园"
                    "区已接入平台的企业抽查了数据准确性。",
                )
            ),
            opinion="\n".join(
                (
                    "评估组认为，“1·9”较大火灾事故已评估的责任追究事项均已落实，有关部门依法依规作出"
                    "了处理；对天门经济开发区安全生产监督管理局的问责尚待核实；4项整改措施中3项已按期完成，园区智慧消防监测平台建设部分落实，尚有12"
                    "家企业未接入。",
                    "建议天门经济开发区管委会于2026年4月30日前完成剩余企业接入，并将平台运行情况"
                    "纳入园区安全生产考核；市消防安全委员会办公室对整改情况跟踪督办，逾期未完成的"
                    "予以通报。",
                    "建议全市将动火作业审批和消防设施阀门状态检查列入年度消防安全检查的必查项目，"
                    "防止同类事故再次发生。",
                )
            ),
        ),
        today=D(2026, 3, 2),
    )
    del ev
    for kind, subject, result, checked, evidence_text, rids, mid in [
        (
            "人员责任追究",
            "胡小兵、陈金华移送司法机关",
            "已落实",
            D(2026, 3, 10),
            "公安机关立案决定书、起诉意见书；天门市人民法院已于2025年9月作出一审判决。",
            (recs[0].id, recs[1].id),
            None,
        ),
        (
            "人员责任追究",
            "郑宏伟、樊立军行政处罚",
            "已落实",
            D(2026, 3, 10),
            "市应急管理局行政处罚决定书及罚款缴纳凭证。",
            (recs[2].id, recs[3].id),
            None,
        ),
        (
            "人员责任追究",
            "何建平政务处分",
            "已落实",
            D(2026, 3, 11),
            "市纪委监委政务处分决定书。",
            (recs[6].id,),
            None,
        ),
        (
            "单位责任追究",
            "天门华纺纺织有限公司行政处罚",
            "已落实",
            D(2026, 3, 11),
            "行政处罚决定书及一百五十万元罚款缴纳凭证。",
            (recs[4].id,),
            None,
        ),
        (
            "单位责任追究",
            "湖北安泰消防技术服务有限公司行政处罚",
            "已落实",
            D(2026, 3, 11),
            "市消防救援大队行政处罚决定书；该机构已列入重点监管名单。",
            (recs[5].id,),
            None,
        ),
        (
            "单位责任追究",
            "天门经济开发区管委会约谈",
            "已落实",
            D(2026, 3, 12),
            "约谈记录、书面检查及整改方案。",
            (recs[8].id,),
            None,
        ),
        (
            "整改措施",
            "全市纺织服装企业动火作业专项检查",
            "已落实",
            D(2026, 3, 16),
            "检查企业87家，整改隐患214处，查阅专项检查总结报告。",
            (),
            m1.id,
        ),
        (
            "整改措施",
            "园区智慧消防监测平台",
            "部分落实",
            D(2026, 3, 17),
            "平台已上线运行，园区46家重点企业中34家接入，12家未接入。",
            (),
            m2.id,
        ),
        (
            "整改措施",
            "消防技术服务机构维保质量专项检查",
            "已落实",
            D(2026, 3, 18),
            "抽查机构9家，立案查处2家，查阅检查通报。",
            (),
            m3.id,
        ),
        (
            "整改措施",
            "华纺公司重建仓库和全员培训",
            "已落实",
            D(2026, 3, 19),
            "新建仓库通过消防验收，第三方功能测试合格，培训签到记录312人。",
            (),
            m4.id,
        ),
    ]:
        item_input = EvaluationItemInput(
            kind=kind,
            subject=subject,
            result=result,
            checked_on=checked,
            evidence=evidence_text,
            recommendation_ids=rids,
            measure_id=mid,
        )
        if mid == m2.id:  # partly done: the evaluation orders a new date (第二十四条)
            order = evaluation.add_measure(
                cf,
                c.id,
                MeasureInput(
                    text="限期完成园区智慧消防监测平台剩余12家企业接入",
                    responsible="天门经济开发区管委会",
                    set_on=D(2026, 3, 20),
                    deadline=D(2026, 4, 30),
                    status="未落实",
                ),
            )
            item_input = replace(item_input, order_id=order.id)
        evaluation.add_evaluation_item(cf, c.id, item_input)
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
                d = reading.get_case(cf, cid)
                print(f"{d.case.case_no} {d.case.title}（{d.case.grade}，{d.case.stage}）")
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    print(f"已写入 {len(ids)} 个演示案件。")
    return 0


__all__ = ["demo_command", "write_demo"]
