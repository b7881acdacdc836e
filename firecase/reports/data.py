"""The frozen input of every printed report: reports read these and nothing else.

``firecase.services.reporting`` fills them from a case; tests build them by hand. A report never
opens a database, never reads the clock and never decides a rule: everything it prints is here,
already worded in Chinese where the user sees it (labels, statuses, explanations).

Long text fields (the sections of a report) are plain text; a line break starts a new
paragraph and blank lines are ignored. No markup is interpreted: ``<`` and ``&`` print as typed.
Amounts of money are ``Decimal`` in 元, never floats.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from enum import Enum

__all__ = [
    "CasualtyLossRow",
    "CasualtyPerson",
    "ClockRow",
    "ClockSheetData",
    "DissentingOpinion",
    "EvaluationItem",
    "EvaluationItemKind",
    "EvaluationReportData",
    "EvaluationSections",
    "EvidenceItem",
    "FireFacts",
    "ImplementationResult",
    "InvestigationReportData",
    "InvestigationSections",
    "PublicItem",
    "PublicPart",
    "PublicReportData",
    "Recommendation",
    "RectificationMeasure",
    "ResponsibilityArea",
    "ResponsibilityFinding",
    "Signatory",
]


class ResponsibilityArea(Enum):
    """The four areas in which responsibility is examined (第十六条); ``.value`` is the label."""

    USE_AND_MANAGEMENT = "使用管理责任"
    CONSTRUCTION_AND_SERVICES = "工程建设、中介服务责任"
    PRODUCT_QUALITY = "消防产品质量责任"
    GOVERNMENT_AND_DEPARTMENTS = "政府、部门相关责任"

    @property
    def clause(self) -> str:
        """The item of 第十六条 that defines the area, e.g. "第十六条第一项"."""
        items = ("一", "二", "三", "四")
        return f"第十六条第{items[list(ResponsibilityArea).index(self)]}项"


class EvaluationItemKind(Enum):
    """What one evaluated item is about (第二十二条、第二十三条); ``.value`` is the label."""

    PERSON = "责任人员"
    UNIT = "责任单位"
    MEASURE = "整改措施"


class ImplementationResult(Enum):
    """Outcome of one evaluated item; ``.value`` is the label printed in the table."""

    DONE = "已落实"
    PARTLY = "部分落实"
    NOT_DONE = "未落实"


# ---------------------------------------------------------------- investigation report (第十八条)


@dataclass(frozen=True)
class FireFacts:
    """The basic facts of the fire, printed under the title of the investigation report."""

    fire_date: date
    location: str  # 起火地点, e.g. "天门市竟陵街道某路12号"
    unit: str  # 起火单位（场所）
    grade: str  # 火灾等级 label with its standard, e.g. "较大火灾（公消〔2007〕234号）"
    deaths: int
    serious_injuries: int
    minor_injuries: int
    direct_loss_yuan: Decimal
    fire_time: time | None = None
    burned_area_m2: Decimal | None = None  # 过火面积（平方米）
    nature: str = ""  # 事故性质, e.g. "一起生产安全责任事故"
    jurisdiction: str = ""  # who investigates and why (第四条), e.g. after a 提级调查
    casualty_note: str = ""  # how the counts were taken (a late death as a serious injury)


@dataclass(frozen=True)
class InvestigationSections:
    """The eight sections of 第十八条, each plain text (one paragraph per line)."""

    overview: str  # （一）火灾事故发生单位（场所）概况
    course_and_rescue: str  # （二）火灾事故发生经过及事故救援情况
    casualties_and_loss: str  # （三）人员伤亡和直接经济损失
    cause_and_nature: str  # （四）起火原因、成因和性质
    safety_management: str  # （五）发生单位消防安全管理责任落实情况
    responsibility: str  # （六）责任的认定以及对事故责任者的处理建议
    prevention_and_rectification: str  # （七）事故防范和整改措施
    other_matters: str  # （八）其他需要载明的事项


@dataclass(frozen=True)
class CasualtyLossRow:
    """One row of the casualty and direct-loss table (section 三)."""

    item: str  # e.g. "死亡", "重伤", "房屋建筑损失", "设备及存货损失"
    quantity: str  # e.g. "1人", "320平方米", "" when only an amount applies
    amount_yuan: Decimal | None = None
    note: str = ""


@dataclass(frozen=True)
class CasualtyPerson:
    """One dead or injured person of the register, listed in section 三 (第十八条第三项)."""

    role: str  # 死者 | 重伤 | 轻伤
    name: str
    sex: str = ""
    age: int | None = None
    note: str = ""


@dataclass(frozen=True)
class ResponsibilityFinding:
    """A responsibility finding about one person or unit, in one area of 第十六条."""

    area: ResponsibilityArea
    subject: str  # person or unit, e.g. "王某某（某公司法定代表人）"
    finding: str


@dataclass(frozen=True)
class Recommendation:
    """A handling recommendation for one responsible person or unit (第十八条第六项, 第二十条)."""

    subject: str  # person or unit
    area: ResponsibilityArea
    kind: str  # e.g. "移送司法机关", "党纪政务处分", "行政处罚", "约谈", "问责", "内部处理"
    basis: str  # legal basis, e.g. "《中华人民共和国消防法》第六十四条"
    authority: str  # the authority that must act, e.g. "天门市公安局"
    text: str = ""  # the proposal itself, e.g. "建议给予政务记过处分。"


@dataclass(frozen=True)
class RectificationMeasure:
    """A prevention / rectification measure with who must carry it out and by when."""

    measure: str
    responsible: str
    deadline: date | None = None


@dataclass(frozen=True)
class DissentingOpinion:
    """A team member's dissent, recorded by name and date (第十八条第二款)."""

    member: str
    on: date
    text: str


@dataclass(frozen=True)
class EvidenceItem:
    """One line of the evidence list annexed to the report."""

    no: str  # e.g. "1", "B-03"
    name: str
    kind: str  # e.g. "书证", "物证", "视听资料", "鉴定意见", "勘验笔录"
    source: str
    collected_on: date | None = None
    sha256_short: str = ""  # first hex digits of the file's SHA-256, "" when no file


@dataclass(frozen=True)
class Signatory:
    """A team member who signs the report, placed in the table under their sub-group.

    Callers pass only active members; a member with ``recused=True`` is still left out by the
    report (第十五条: a recused member does not sign).
    """

    name: str
    subgroup: str  # "综合组", "技术组", "管理组", or "领导" for leader/deputy outside sub-groups
    role: str  # e.g. "组长", "副组长", "组员", "专家"
    organisation: str  # the member's own unit
    position: str = ""  # 职务
    recused: bool = False


@dataclass(frozen=True)
class InvestigationReportData:
    """Everything the investigation report (第十八条) prints."""

    organisation: str  # the team that reports (落款, header), e.g. "天门市“4·12”较大火灾事故调查组"
    case_no: str
    title: str  # e.g. "天门市某某纺织有限公司“4·12”较大火灾事故调查报告"; "\n" breaks a line
    fire: FireFacts
    sections: InvestigationSections
    opening: str = ""  # the opening summary paragraph(s), before section 一
    composition: str = ""  # the team's composition (leader, deputies, units, sub-groups, experts)
    casualty_loss: tuple[CasualtyLossRow, ...] = ()
    casualty_persons: tuple[CasualtyPerson, ...] = ()  # the dead and injured, from the register
    direct_cause: str = ""
    indirect_causes: tuple[str, ...] = ()
    findings: tuple[ResponsibilityFinding, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    rectification_measures: tuple[RectificationMeasure, ...] = ()
    dissents: tuple[DissentingOpinion, ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()
    signatories: tuple[Signatory, ...] = ()
    report_date: date | None = None  # 成文日期; None prints a blank "年 月 日" line


# ---------------------------------------------------------------- evaluation report (第二十三条)


@dataclass(frozen=True)
class EvaluationSections:
    """The five sections of 第二十三条, each plain text (one paragraph per line)."""

    organisation_and_conduct: str  # （一）评估工作的组织及开展情况
    persons_accountability: str  # （二）责任人员的责任追究落实情况
    units_accountability: str  # （三）责任单位的责任追究落实情况
    rectification: str  # （四）火灾事故防范和整改措施的落实情况
    opinion_and_recommendations: str  # （五）评估意见及措施建议


@dataclass(frozen=True)
class EvaluationItem:
    """One row of the item-by-item evaluation table (第二十二条, 第二十四条)."""

    kind: EvaluationItemKind
    subject: str  # person, unit, or the measure's responsible body
    required_action: str  # what the 批复 / report required
    result: ImplementationResult
    evidence: str = ""  # what proves the result
    deadline: date | None = None  # 限期整改 date the evaluation set (第二十四条)
    original_deadline: date | None = None  # the measure's first deadline, when it lapsed


@dataclass(frozen=True)
class EvaluationReportData:
    """Everything the evaluation report (第二十三条) prints."""

    organisation: str  # e.g. "天门市消防安全委员会办公室评估组"
    case_no: str
    title: str
    sections: EvaluationSections
    items: tuple[EvaluationItem, ...] = ()
    evaluators: tuple[Signatory, ...] = ()  # optional signature table of the evaluation group
    # recommendations of the report no evaluation item covers (第二十二条: every one must be
    # evaluated), worded for print, e.g. "某局：问责（某党工委）"
    unchecked_persons: tuple[str, ...] = ()
    unchecked_units: tuple[str, ...] = ()
    report_date: date | None = None
    public: bool = False  # the public version (第二十一条): "（公开版）", no signature table
    draft_mark: str = ""  # printed on every page while the version may not be released
    fingerprint: str = ""  # the content a 公开前审查 approved (file properties)


# ---------------------------------------------------------------- public version (第二十一条)


@dataclass(frozen=True)
class PublicItem:
    """One published record under a heading, printed "label：text" (e.g. a finding)."""

    label: str
    text: str


@dataclass(frozen=True)
class PublicPart:
    """One numbered part of the public version: its heading (第十八条's item, once), the
    paragraphs of the report's section, then its records."""

    heading: str  # without the numeral, e.g. "起火原因和事故性质"
    paragraphs: tuple[str, ...] = ()
    items: tuple[PublicItem, ...] = ()


@dataclass(frozen=True)
class PublicReportData:
    """The public version (第二十一条), already withheld and masked: everything here may be
    printed. ``services.disclosure`` decides what is left out and masks personal data; the
    report module only lays it out, so nothing withheld can reach the file.

    ``draft_mark`` (e.g. "草稿（未经批复，不得公开）") is printed on every page when the
    version may not be released yet; ``fingerprint`` identifies the content a 公开前审查
    approved (recorded in the file's properties)."""

    organisation: str
    case_no: str
    title: str
    opening: tuple[str, ...] = ()  # the basic facts, before part 一
    parts: tuple[PublicPart, ...] = ()
    published_on: date | None = None
    draft_mark: str = ""
    fingerprint: str = ""


# ---------------------------------------------------------------- clock sheet


@dataclass(frozen=True)
class ClockRow:
    """One statutory clock of a case as the rules computed it."""

    label: str  # e.g. "调查期限"
    start: date | None
    due: date | None
    days_left: int | None  # negative when overdue; None when not running
    status: str  # Chinese status label, e.g. "进行中", "已逾期", "已完成", "暂停（鉴定中）"
    explanation: str  # how the due date was computed
    basis: str  # e.g. "第十七条", "第十九条；民法典第二百零一条"
    overdue: bool = False
    provisional: bool = False  # the due date is 暂定 (printed so; the explanation says why)


@dataclass(frozen=True)
class ClockSheetData:
    """Every clock of one case, as of ``today``."""

    organisation: str
    case_no: str
    title: str  # e.g. "某某公司“4·12”火灾事故 期限一览"
    today: date
    rows: tuple[ClockRow, ...] = ()
