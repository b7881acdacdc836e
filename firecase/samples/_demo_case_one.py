"""Demonstration case 1."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from firecase import rules
from firecase.paths import resource
from firecase.samples._demo_common import (
    D,
    _id_number,
    _long,
    _members,
    _party,
    _persons,
    _pick,
    _sections,
    _ver,
)
from firecase.services import (
    cases,
    deadlines,
    evidence as evidence_svc,
    findings,
    parties,
    recusal,
)
from firecase.services.dto import (
    AppraisalInput,
    AttachmentInput,
    CasualtyInput,
    CauseInput,
    CustodyInput,
    DissentInput,
    EvidenceInput,
    ExtensionInput,
    FindingInput,
    IncidentInput,
    PartyInput,
    RecusalApplicationInput,
    RecusalDecisionInput,
    Relative,
    TeamSetupInput,
)
from firecase.store import CaseFile


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
