"""Realistic (fictional) report data for the report tests, the benchmark and the screenshots.

One 较大 fire at a textile mill: two deaths, several injuries, a loss of 1,286 万元, a team of
twelve in three sub-groups with one recused member, and the evaluation a year later. All names
of persons and companies are invented.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal

from firecase.reports.data import (
    CasualtyLossRow,
    ClockRow,
    ClockSheetData,
    DissentingOpinion,
    EvaluationItem,
    EvaluationItemKind,
    EvaluationReportData,
    EvaluationSections,
    EvidenceItem,
    FireFacts,
    ImplementationResult,
    InvestigationReportData,
    InvestigationSections,
    PublicItem,
    PublicPart,
    PublicReportData,
    Recommendation,
    RectificationMeasure,
    ResponsibilityArea,
    ResponsibilityFinding,
    Signatory,
)

from .sample_texts import (
    _CASUALTIES,
    _CAUSE,
    _COURSE,
    _MANAGEMENT,
    _OTHER,
    _OVERVIEW,
    _PREVENTION,
    _RESPONSIBILITY,
)

GENERATED_AT = datetime(2026, 6, 8, 15, 42)
ORGANISATION = "天门市人民政府“4·12”火灾事故调查组"
CASE_NO = "天消调〔2026〕7号"

A = ResponsibilityArea

# ----------------------------------------------------------------------------- team

SIGNATORIES: tuple[Signatory, ...] = (
    Signatory("刘志强", "调查组领导", "组长", "天门市人民政府", "副市长"),
    Signatory("陈晓东", "调查组领导", "副组长", "天门市消防救援支队", "支队长"),
    Signatory("周敏", "综合组", "组长", "天门市应急管理局", "副局长"),
    Signatory("黄磊", "综合组", "组员", "天门市公安局", "治安大队副大队长"),
    Signatory("吴静", "综合组", "组员", "天门市纪委监委", "第三监督检查室主任"),
    Signatory("赵刚", "技术组", "组长", "天门市消防救援支队", "火灾调查科科长"),
    Signatory("孙鹏", "技术组", "专家", "湖北省消防救援总队", "高级工程师"),
    Signatory("钱立新", "技术组", "组员", "天门市消防救援支队", "火灾调查员"),
    Signatory("郑华", "管理组", "组长", "天门市住房和城乡建设局", "副局长"),
    Signatory("何伟", "管理组", "组员", "天门市市场监督管理局", "特种设备科科长"),
    Signatory("冯丽", "管理组", "组员", "天门市竟陵街道办事处", "副主任"),
)
RECUSED = Signatory("马俊", "管理组", "组员", "天门市住房和城乡建设局", "质安站站长", recused=True)

# ----------------------------------------------------------------------------- texts

# ----------------------------------------------------------------------------- rows

CASUALTY_LOSS = (
    CasualtyLossRow("死亡", "2人", Decimal("1860000.00"), "含丧葬及抚恤支出"),
    CasualtyLossRow("重伤", "1人", Decimal("236500.00"), "医疗费及歇工工资"),
    CasualtyLossRow("轻伤", "4人", Decimal("48200.00"), ""),
    CasualtyLossRow("建筑物损失", "2860平方米", Decimal("4127300.00"), "钢结构厂房及彩钢板棚"),
    CasualtyLossRow(
        "设备损失", "细纱机32台、络筒机6台", Decimal("4956800.00"), "按重置价值扣除折旧"
    ),
    CasualtyLossRow("原料及产品损失", "棉包418件、纱线67吨", Decimal("1485975.60"), ""),
    CasualtyLossRow("现场施救及清理费用", "", Decimal("145600.00"), ""),
    CasualtyLossRow("合计", "", Decimal("12860375.60"), "直接经济损失"),
)

DIRECT_CAUSE = (
    "2号纺纱车间北侧彩钢板棚内私拉的临时照明线路长期超负荷运行，绝缘层老化破损，"
    "线路发生短路产生高温电弧，引燃紧贴线路堆放的棉包，火势沿棉包堆垛和彩钢板棚"
    "夹芯材料迅速蔓延至2号车间。"
)

INDIRECT_CAUSES = (
    "兴达公司消防安全主体责任不落实，违规搭建彩钢板棚并大量堆放可燃物，违规私拉乱接电气线路。",
    "兴达公司自动喷水灭火系统控制阀长期关闭、火灾自动报警系统长期屏蔽，消防设施未能发挥作用。",
    "天门市安泰消防技术服务有限公司未按合同和标准开展维护保养检测，出具虚假维保记录。",
    "竟陵街道办事处未认真履行消防安全属地管理职责，对辖区企业违规搭建问题失察。",
    "天门市住房和城乡建设局对违法建设行为查处不力，市消防救援支队对该单位的消防监督检查不深入、不细致。",
)

FINDINGS = (
    ResponsibilityFinding(
        A.USE_AND_MANAGEMENT,
        "兴达公司",
        "未落实消防安全主体责任，违规搭建彩钢板棚、私拉乱接电气线路，消防设施长期不能正常使用，"
        "安全出口被堵塞，对事故发生负有主要责任。",
    ),
    ResponsibilityFinding(
        A.USE_AND_MANAGEMENT,
        "王建华（兴达公司法定代表人）",
        "作为单位消防安全责任人，未履行法定职责，对本单位违规搭建和消防设施停用问题不闻不问，"
        "对事故发生负有主要领导责任。",
    ),
    ResponsibilityFinding(
        A.USE_AND_MANAGEMENT,
        "李明（兴达公司2号车间当班值班员）",
        "发现火情后未立即报警，延误报警约5分钟。",
    ),
    ResponsibilityFinding(
        A.CONSTRUCTION_AND_SERVICES,
        "天门市安泰消防技术服务有限公司",
        "未按合同约定和国家标准开展消防设施维护保养检测，出具的2026年1月至3月维保记录与实际不符，"
        "对事故发生负有重要责任。",
    ),
    ResponsibilityFinding(
        A.GOVERNMENT_AND_DEPARTMENTS,
        "天门市竟陵街道办事处",
        "未认真履行消防安全属地管理职责，对辖区企业违规搭建彩钢板棚问题失察，对事故发生负有属地管理责任。",
    ),
    ResponsibilityFinding(
        A.GOVERNMENT_AND_DEPARTMENTS,
        "天门市住房和城乡建设局",
        "对工业园区违法建设行为排查、查处不力，对事故发生负有监管责任。",
    ),
)

RECOMMENDATIONS = (
    Recommendation(
        "王建华（兴达公司法定代表人）",
        A.USE_AND_MANAGEMENT,
        "移送司法机关",
        "《中华人民共和国刑法》第一百三十九条",
        "天门市公安局",
    ),
    Recommendation(
        "兴达公司",
        A.USE_AND_MANAGEMENT,
        "行政处罚",
        "《中华人民共和国安全生产法》第一百一十四条",
        "天门市应急管理局",
    ),
    Recommendation(
        "李明（兴达公司2号车间当班值班员）",
        A.USE_AND_MANAGEMENT,
        "内部处理",
        "《兴达公司员工奖惩制度》",
        "兴达公司",
    ),
    Recommendation(
        "天门市安泰消防技术服务有限公司",
        A.CONSTRUCTION_AND_SERVICES,
        "行政处罚",
        "《中华人民共和国消防法》第六十九条",
        "天门市消防救援支队",
    ),
    Recommendation(
        "张卫东（安泰公司项目负责人）",
        A.CONSTRUCTION_AND_SERVICES,
        "行政处罚",
        "《社会消防技术服务管理规定》第四十七条",
        "天门市消防救援支队",
    ),
    Recommendation(
        "天门市竟陵街道办事处",
        A.GOVERNMENT_AND_DEPARTMENTS,
        "约谈",
        "《地方党政领导干部安全生产责任制规定》",
        "天门市人民政府",
    ),
    Recommendation(
        "刘建军（竟陵街道办事处分管副主任）",
        A.GOVERNMENT_AND_DEPARTMENTS,
        "党纪政务处分",
        "《中华人民共和国公职人员政务处分法》第三十九条",
        "天门市纪委监委",
    ),
    Recommendation(
        "天门市住房和城乡建设局",
        A.GOVERNMENT_AND_DEPARTMENTS,
        "问责",
        "《中国共产党问责条例》第七条",
        "天门市纪委监委",
    ),
)

MEASURES = (
    RectificationMeasure(
        "全面拆除兴达公司违规搭建的彩钢板棚，清理占用防火间距的可燃物。",
        "兴达公司",
        date(2026, 7, 15),
    ),
    RectificationMeasure(
        "对自动喷水灭火系统、火灾自动报警系统进行全面检测修复，确保处于正常运行状态。",
        "兴达公司",
        date(2026, 7, 31),
    ),
    RectificationMeasure(
        "在全市工业园区开展彩钢板建筑和电气线路专项排查整治，建立问题清单和整改台账。",
        "天门市住房和城乡建设局、天门市消防救援支队",
        date(2026, 9, 30),
    ),
    RectificationMeasure(
        "开展消防技术服务机构执业行为专项检查，依法查处虚假维保、出具虚假文件等违法行为。",
        "天门市消防救援支队",
        date(2026, 8, 31),
    ),
    RectificationMeasure(
        "健全街道、社区消防安全网格化管理机制，落实网格员日常巡查职责。",
        "天门市竟陵街道办事处",
        date(2026, 8, 31),
    ),
    RectificationMeasure(
        "组织全市纺织企业开展消防安全培训和灭火疏散演练，做到全员覆盖。",
        "天门市应急管理局、天门市消防救援支队",
        None,
    ),
)

DISSENTS = (
    DissentingOpinion(
        "孙鹏",
        date(2026, 6, 3),
        "本人同意调查报告对起火原因的认定，但认为安泰公司的维保失职与喷淋系统未启动之间的因果关系"
        "证据尚不充分，建议在处理安泰公司时进一步补充其维保人员的询问笔录。",
    ),
)

_EVIDENCE_NAMES = (
    ("火灾现场勘验笔录", "勘验笔录", "天门市消防救援支队"),
    ("火灾现场照片（共86张）", "视听资料", "天门市消防救援支队"),
    ("2号车间监控视频", "视听资料", "兴达公司"),
    ("电气物证鉴定意见书", "鉴定意见", "湖北省消防救援总队火灾物证鉴定中心"),
    ("李明询问笔录", "证人证言", "天门市消防救援支队"),
    ("王建华询问笔录", "当事人陈述", "天门市消防救援支队"),
    ("消防设施维护保养合同", "书证", "兴达公司"),
    ("2026年1月至3月消防设施维保记录", "书证", "天门市安泰消防技术服务有限公司"),
    ("消防控制室值班记录", "书证", "兴达公司"),
    ("尸体检验鉴定书", "鉴定意见", "天门市公安局物证鉴定室"),
    ("火灾直接财产损失统计表", "书证", "天门市消防救援支队"),
    ("消防验收意见书（天公消验字〔2011〕第052号）", "书证", "天门市档案馆"),
)


def _evidence(count: int) -> tuple[EvidenceItem, ...]:
    items = []
    for i in range(count):
        name, kind, source = _EVIDENCE_NAMES[i % len(_EVIDENCE_NAMES)]
        batch = i // len(_EVIDENCE_NAMES)
        items.append(
            EvidenceItem(
                no=str(i + 1),
                name=name if batch == 0 else f"{name}（补充第{batch}批）",
                kind=kind,
                source=source,
                collected_on=date(2026, 4, 12 + (i % 18)),
                sha256_short=f"{(i * 2654435761) % (1 << 48):012x}",
            )
        )
    return tuple(items)


def investigation_sample(*, length: int = 1) -> InvestigationReportData:
    """The investigation report data; ``length`` > 1 repeats texts and the evidence list."""

    def rep(text: str) -> str:
        return "\n".join([text] * length)

    return InvestigationReportData(
        organisation=ORGANISATION,
        case_no=CASE_NO,
        title="天门市兴达纺织有限公司“4·12”较大火灾事故调查报告",
        fire=FireFacts(
            fire_date=date(2026, 4, 12),
            fire_time=time(2, 17),
            location="天门市竟陵街道工业园纬二路18号",
            unit="天门市兴达纺织有限公司2号纺纱车间",
            grade="较大火灾（死亡2人，直接经济损失1000万元以上；公消〔2007〕234号）",
            deaths=2,
            serious_injuries=1,
            minor_injuries=4,
            direct_loss_yuan=Decimal("12860375.60"),
            burned_area_m2=Decimal("2860"),
        ),
        sections=InvestigationSections(
            overview=rep(_OVERVIEW),
            course_and_rescue=rep(_COURSE),
            casualties_and_loss=_CASUALTIES,
            cause_and_nature=rep(_CAUSE),
            safety_management=rep(_MANAGEMENT),
            responsibility=_RESPONSIBILITY,
            prevention_and_rectification=_PREVENTION,
            other_matters=_OTHER,
        ),
        casualty_loss=CASUALTY_LOSS,
        direct_cause=DIRECT_CAUSE,
        indirect_causes=INDIRECT_CAUSES,
        findings=FINDINGS * length,
        recommendations=RECOMMENDATIONS * length,
        rectification_measures=MEASURES,
        dissents=DISSENTS,
        evidence=_evidence(24 * length),
        signatories=(*SIGNATORIES, RECUSED),
        report_date=date(2026, 6, 5),
    )


def with_member_name(data: InvestigationReportData, name: str) -> InvestigationReportData:
    """``data`` with one more 技术组 member called ``name``."""
    extra = Signatory(name, "技术组", "组员", "天门市消防救援支队", "火灾调查员")
    return replace(data, signatories=(*data.signatories, extra))


# ----------------------------------------------------------------------------- evaluation

_E = EvaluationItemKind
_R = ImplementationResult


def evaluation_sample() -> EvaluationReportData:
    """The evaluation report a year after the fire (第二十二条、第二十三条)."""
    return EvaluationReportData(
        organisation="天门市消防安全委员会办公室“4·12”火灾事故评估组",
        case_no=CASE_NO,
        title="天门市兴达纺织有限公司“4·12”较大火灾事故责任追究和整改措施落实情况评估报告",
        sections=EvaluationSections(
            organisation_and_conduct=(
                "根据《天门市火灾事故调查处理办法》第二十二条规定，2027年5月，市消防安全委员会"
                "办公室牵头，会同市应急管理局、市住房和城乡建设局、市消防救援支队、市纪委监委等"
                "部门组成评估组，委托湖北正衡安全技术服务有限公司参与评估。\n"
                "评估组采取查阅资料、现场核查、座谈访谈等方式，对照市人民政府批复，逐项评估事故"
                "责任追究和整改措施落实情况，共查阅文件资料126份，现场核查企业和场所14家。"
            ),
            persons_accountability=(
                "市人民政府批复对8名责任人员提出处理意见，评估时已全部作出处理或进入司法程序，"
                "逐项情况见下表。"
            ),
            units_accountability=("对4家责任单位的处理意见中，3项已落实，1项部分落实。"),
            rectification=(
                "调查报告提出的6项整改措施中，4项已落实，1项部分落实，1项未落实，逐项情况见下表。"
            ),
            opinion_and_recommendations=(
                "评估组认为，事故责任追究总体到位，整改措施大部分得到落实，但工业园区彩钢板建筑"
                "专项整治尚未全面完成。\n"
                "建议：市住房和城乡建设局于2027年8月31日前完成剩余彩钢板建筑的整治，"
                "市消防安全委员会办公室加强督办，逾期未完成的予以通报。"
            ),
        ),
        items=(
            EvaluationItem(
                _E.PERSON,
                "王建华",
                "移送司法机关追究刑事责任",
                _R.DONE,
                "天门市人民法院（2026）鄂9006刑初218号判决书",
            ),
            EvaluationItem(
                _E.PERSON, "张卫东", "处罚款并吊销执业资格", _R.DONE, "天消行罚决字〔2026〕第031号"
            ),
            EvaluationItem(
                _E.PERSON, "刘建军", "给予政务记过处分", _R.DONE, "天监委〔2026〕45号处分决定"
            ),
            EvaluationItem(_E.UNIT, "兴达公司", "处罚款180万元", _R.DONE, "天应急罚〔2026〕12号"),
            EvaluationItem(
                _E.UNIT,
                "天门市安泰消防技术服务有限公司",
                "责令停业整顿并处罚款",
                _R.PARTLY,
                "已缴纳罚款，整顿验收尚未完成",
                date(2027, 7, 31),
            ),
            EvaluationItem(
                _E.UNIT,
                "天门市竟陵街道办事处",
                "约谈主要负责人",
                _R.DONE,
                "约谈记录（2026年7月9日）",
            ),
            EvaluationItem(
                _E.MEASURE,
                "兴达公司",
                "拆除违规搭建的彩钢板棚",
                _R.DONE,
                "现场核查照片、拆除验收单",
            ),
            EvaluationItem(
                _E.MEASURE,
                "兴达公司",
                "检测修复自动消防设施",
                _R.DONE,
                "消防设施检测报告（2026年7月28日）",
            ),
            EvaluationItem(
                _E.MEASURE,
                "天门市住房和城乡建设局",
                "工业园区彩钢板建筑专项整治",
                _R.PARTLY,
                "整改台账：应整治47处，已完成39处",
                date(2027, 8, 31),
            ),
            EvaluationItem(
                _E.MEASURE,
                "天门市应急管理局",
                "纺织企业消防安全培训和演练全覆盖",
                _R.NOT_DONE,
                "培训签到表仅覆盖23家企业中的15家",
                date(2027, 9, 30),
            ),
        ),
        evaluators=(
            Signatory("胡国庆", "评估组", "组长", "天门市消防安全委员会办公室", "专职副主任"),
            Signatory("周敏", "评估组", "组员", "天门市应急管理局", "副局长"),
            Signatory("郑华", "评估组", "组员", "天门市住房和城乡建设局", "副局长"),
            Signatory("林涛", "第三方机构", "专家", "湖北正衡安全技术服务有限公司", "高级工程师"),
        ),
        report_date=date(2027, 6, 18),
    )


# ----------------------------------------------------------------------------- public version

CONFIDENTIAL_TEXTS = (
    "死者身份：张某英（女，47岁）、陈某（男，52岁），均为兴达公司员工。",
    "王建华涉嫌重大责任事故罪一案已移送天门市人民检察院审查起诉，相关证据材料依法不予公开。",
    "作为单位消防安全责任人未履行法定职责，涉嫌重大责任事故罪。",
)


def public_sample() -> PublicReportData:
    """The public version as the disclosure service hands it over (nothing withheld in it)."""
    return PublicReportData(
        organisation="天门市人民政府",
        case_no=CASE_NO,
        title="天门市兴达纺织有限公司“4·12”较大火灾事故调查处理情况",
        opening=(
            "2026年4月12日2时17分许，天门市兴达纺织有限公司2号纺纱车间发生火灾，"
            "造成2人死亡、1人重伤、4人轻伤，直接经济损失1286.04万元。",
        ),
        parts=(
            PublicPart(
                "起火原因和事故性质",
                ("经调查认定，这是一起较大生产安全责任事故。",),
                (PublicItem("直接原因", DIRECT_CAUSE),),
            ),
            PublicPart(
                "责任认定和处理建议",
                (),
                (
                    PublicItem("兴达公司", FINDINGS[0].finding),
                    PublicItem("天门市竟陵街道办事处", FINDINGS[4].finding),
                    PublicItem(
                        "对有关责任单位和人员的处理",
                        "对兴达公司、天门市安泰消防技术服务有限公司依法给予行政处罚；"
                        "对竟陵街道办事处、市住房和城乡建设局有关责任人员依规依纪依法追责问责。",
                    ),
                ),
            ),
            PublicPart("事故防范和整改措施", tuple(m.measure for m in MEASURES)),
            PublicPart("其他需要载明的事项"),  # empty: no heading printed
        ),
        published_on=date(2026, 7, 20),
    )


# ----------------------------------------------------------------------------- clock sheet


def clock_sheet_sample() -> ClockSheetData:
    """Every clock of the sample case as of 2026-06-08."""
    return ClockSheetData(
        organisation=ORGANISATION,
        case_no=CASE_NO,
        title="天门市兴达纺织有限公司“4·12”较大火灾事故期限一览",
        today=date(2026, 6, 8),
        rows=(
            ClockRow(
                "等级变化观察期",
                date(2026, 4, 12),
                date(2026, 4, 19),
                None,
                "已届满",
                "火灾发生之日起7日，开始当日不计入，届满日为2026年4月19日。",
                "第四条",
            ),
            ClockRow(
                "调查期限",
                date(2026, 4, 12),
                date(2026, 7, 2),
                24,
                "进行中",
                "火灾发生之日起60日（2026年6月11日），扣除检验鉴定时间21日"
                "（2026年4月15日至5月6日），届满日顺延至2026年7月2日，"
                "因届满日为工作日，不再顺延。",
                "第十七条；民法典第二百零一条",
            ),
            ClockRow(
                "政府批复期限",
                None,
                None,
                None,
                "未开始",
                "自人民政府收到调查报告之日起15个工作日，尚未报送。",
                "第十九条",
            ),
            ClockRow(
                "整改措施1：拆除彩钢板棚",
                date(2026, 5, 20),
                date(2026, 6, 5),
                -3,
                "已逾期",
                "限期整改，责令书确定的期限为2026年6月5日。",
                "第二十四条",
                overdue=True,
            ),
        ),
    )
