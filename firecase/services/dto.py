"""Frozen data the services take in (``*Input``) and hand out (everything else).

The UI and the reports never see ORM objects or sessions: they get these dataclasses. Enumerated
values are the Chinese labels (``Grade.value``, ``FireType.value`` … of ``firecase.rules``, or
the constants below), so a view can show them as they are. Money is ``Decimal`` yuan. Every
editable record carries ``version``; pass it back as ``expected_version`` when updating or
removing, and a stale one raises ``ConflictError``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal

from firecase.services.vocab import (
    APPLICANT_KINDS as APPLICANT_KINDS,
    APPRAISAL_KINDS as APPRAISAL_KINDS,
    CAUSE_KINDS as CAUSE_KINDS,
    CUSTODY_ACTIONS as CUSTODY_ACTIONS,
    EVALUATION_ITEM_KINDS as EVALUATION_ITEM_KINDS,
    EVALUATION_RESULTS as EVALUATION_RESULTS,
    EVIDENCE_KINDS as EVIDENCE_KINDS,
    GOVERNMENT_BODY as GOVERNMENT_BODY,
    LEADER_BODY as LEADER_BODY,
    MEASURE_STATUSES as MEASURE_STATUSES,
    PARTY_ROLES as PARTY_ROLES,
    RECOMMENDATION_KINDS as RECOMMENDATION_KINDS,
    RECUSAL_DECISIONS as RECUSAL_DECISIONS,
    REPORT_SECTION_TITLES as REPORT_SECTION_TITLES,
    RESPONSIBILITY_AREAS as RESPONSIBILITY_AREAS,
    STAGE_ORDER as STAGE_ORDER,
    TARGET_KINDS as TARGET_KINDS,
    USER_ROLES as USER_ROLES,
    CasePage as CasePage,
    CaseRow as CaseRow,
    CaseSort as CaseSort,
    Stage as Stage,
    UserRole as UserRole,
)

# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


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
class IncidentInput:
    """The incident facts that open a case (and can be corrected later)."""

    title: str
    fire_date: dt.date
    place: str
    fire_type: str  # firecase.rules.FireType value
    property_loss_yuan: Decimal  # direct property loss (grade, 第二十五条)
    economic_loss_yuan: Decimal  # direct economic loss (inclusion, 第五条第二项)
    fire_time: str = ""  # "HH:MM"
    address: str = ""
    unit_name: str = ""
    households_affected: int | None = None
    summary: str = ""
    # 过火面积 in 平方米: exact (Decimal, int or decimal text such as "320.5"), never negative;
    # None when not known. 事故性质: one of ACCIDENT_NATURES or the officer's own wording.
    burned_area_m2: Decimal | int | str | None = None
    nature: str = ""


ACCIDENT_NATURES = (
    "一起生产安全责任事故",
    "一起较大生产安全责任事故",
    "一起一般生产安全责任事故",
    "一起责任事故",
    "一起意外事故",
)
"""The usual wordings of 事故性质 (第七条第三项: the team determines the nature); the officer
may type another."""


@dataclass(frozen=True)
class ReportWordingInput:
    """The investigation report as the officer words it; "" means generated from the case.

    ``team_name``: the 调查组 that signs the report (落款, page header; 第四条, 第六条);
    ``title``: the title, "\n" where a line breaks; ``opening``: the opening summary;
    ``composition``: the paragraph on the team's composition (第六条, 第八条, 第九条).
    """

    team_name: str = ""
    title: str = ""
    opening: str = ""
    composition: str = ""


@dataclass(frozen=True)
class CasualtyInput:
    """Cumulative casualty counts as of the date they became true (``as_of``: the date of
    death or injury, SPEC R1); the date of entry is recorded by the service (第四条)."""

    as_of: dt.date
    deaths: int
    serious_injuries: int
    minor_injuries: int = 0
    note: str = ""


@dataclass(frozen=True)
class JudgementInput:
    """The judgement clauses of 第五条: (三) major social impact, (四) deemed necessary."""

    social_impact: bool = False
    social_impact_by: str = ""
    social_impact_on: dt.date | None = None
    social_impact_reason: str = ""
    deemed_necessary: bool = False
    deemed_by: str = ""
    deemed_on: dt.date | None = None
    deemed_reason: str = ""


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
class TeamSetupInput:
    """How the team was set up (第八条)."""

    formed_on: dt.date
    authorised_fire_agency: bool = False  # 市人民政府授权消防救援机构牵头
    document_no: str = ""  # 成立文件文号, e.g. 天政办函〔2026〕12号 ("": not recorded)
    formed_by: str = ""  # 组建机关 (第四条), e.g. 天门市人民政府 ("": not recorded)


@dataclass(frozen=True)
class MemberInput:
    """A team member."""

    name: str
    organisation: str
    body: str  # firecase.rules.Body value
    role: str  # firecase.rules.TeamRole value
    joined_on: dt.date
    title: str = ""
    expertise: str = ""
    relatives: tuple[str | Relative, ...] = ()  # a str is read by ``Relative.parse``


@dataclass(frozen=True)
class SubGroupInput:
    """A sub-group, its leader (designated by the team leader) and duties."""

    name: str
    leader_id: int | None = None
    duties: str = ""
    member_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class RecusalApplicationInput:
    """A recusal application (第十五条)."""

    member_id: int
    applicant: str
    applicant_kind: str  # APPLICANT_KINDS
    ground: int  # 1, 2 or 3 (第十五条第一款（一）至（三）)
    reason: str
    applied_on: dt.date
    party_id: int | None = None


@dataclass(frozen=True)
class RecusalDecisionInput:
    """The decision on a recusal application (第十五条).

    On a member's application the decider is the team leader, picked by ``decided_by_member_id``
    (``decided_by`` is then set to the leader's name). On the team leader's own application the
    government decides: ``decided_by_member_id`` is None and ``decided_by`` names it
    ("天门市人民政府").
    """

    decision: str  # RECUSAL_DECISIONS
    decided_on: dt.date
    decided_by: str
    reason: str
    decided_by_member_id: int | None = None


@dataclass(frozen=True)
class EvidenceInput:
    """An evidence item."""

    code: str
    name: str
    kind: str  # EVIDENCE_KINDS
    collected_on: dt.date
    collected_by: str
    description: str = ""
    location: str = ""


@dataclass(frozen=True)
class CustodyInput:
    """A chain-of-custody event."""

    on: dt.date
    action: str  # CUSTODY_ACTIONS
    from_holder: str = ""
    to_holder: str = ""
    note: str = ""


@dataclass(frozen=True)
class AttachmentInput:
    """A file to store in the case file: its bytes in ``content``, or (``content`` None) the
    file at ``source``, read piece by piece and never whole."""

    filename: str
    content: bytes | None
    added_on: dt.date
    media_type: str = "application/octet-stream"
    evidence_id: int | None = None
    source: str | os.PathLike[str] | None = None


@dataclass(frozen=True)
class AppraisalInput:
    """A 检验/鉴定 commission."""

    kind: str  # APPRAISAL_KINDS
    subject: str
    agency: str
    commissioned_on: dt.date
    evidence_id: int | None = None
    opinion_on: dt.date | None = None
    opinion: str = ""


@dataclass(frozen=True)
class ExtensionInput:
    """An extension of the investigation period (approved by 人民政府)."""

    days: int
    requested_on: dt.date
    reason: str
    approved_on: dt.date | None = None
    approved_by: str = ""  # a government (第十七条), e.g. 天门市人民政府
    approval_ref: str = ""
    # the approval came after the period ran out: recorded only when the officer says so, and
    # counted only once confirmed (``confirm_late_extension``)
    late_ack: bool = False


@dataclass(frozen=True)
class FindingInput:
    """A responsibility finding (第十六条)."""

    area: str  # RESPONSIBILITY_AREAS
    subject: str
    text: str
    party_id: int | None = None


@dataclass(frozen=True)
class CauseInput:
    """A direct or indirect cause."""

    kind: str  # CAUSE_KINDS
    text: str


@dataclass(frozen=True)
class DissentInput:
    """A member's dissenting opinion."""

    member_id: int
    recorded_on: dt.date
    text: str


@dataclass(frozen=True)
class RecommendationInput:
    """A handling recommendation."""

    target_kind: str  # TARGET_KINDS
    target_name: str
    area: str  # RESPONSIBILITY_AREAS
    kind: str  # RECOMMENDATION_KINDS
    basis: str
    authority: str
    text: str = ""
    party_id: int | None = None
    confidential: bool = False


@dataclass(frozen=True)
class FeedbackInput:
    """The acting authority's feedback, 备案 and judicial transfer of a recommendation."""

    feedback: str = ""
    feedback_on: dt.date | None = None
    filed_on: dt.date | None = None
    transferred_on: dt.date | None = None
    transferred_to: str = ""


@dataclass(frozen=True)
class HandlingTaskInput:
    """What one department must handle after the 批复 (第二十条)."""

    department: str
    task: str
    reported_on: dt.date | None = None
    filed_on: dt.date | None = None
    result: str = ""


@dataclass(frozen=True)
class PublicationInput:
    """The public release (第二十一条)."""

    published_on: dt.date | None = None
    channel: str = ""
    published_by: str = ""
    note: str = ""


@dataclass(frozen=True)
class EvaluationInput:
    """The evaluation group and its report (第二十二条, 第二十三条)."""

    lead: str
    members: tuple[str, ...] = ()
    third_party: str = ""
    started_on: dt.date | None = None
    finished_on: dt.date | None = None
    submitted_on: dt.date | None = None
    conduct: str = ""
    opinion: str = ""


@dataclass(frozen=True)
class EvaluationItemInput:
    """One item checked by the evaluation group."""

    kind: str  # EVALUATION_ITEM_KINDS
    subject: str
    result: str  # EVALUATION_RESULTS
    checked_on: dt.date
    evidence: str = ""
    recommendation_id: int | None = None
    measure_id: int | None = None
    # every recommendation the item covers (one item may check several persons); the first is
    # also ``recommendation_id``. Empty: just ``recommendation_id``.
    recommendation_ids: tuple[int, ...] = ()
    order_id: int | None = None  # the 限期整改 measure the evaluation set (第二十四条)


@dataclass(frozen=True)
class MeasureInput:
    """A prevention/rectification measure (限期整改 when it has a deadline)."""

    text: str
    responsible: str
    set_on: dt.date
    deadline: dt.date | None = None
    done_on: dt.date | None = None
    status: str = "未落实"  # MEASURE_STATUSES


@dataclass(frozen=True)
class SettingsInput:
    """Case-file settings."""

    organisation_name: str
    case_no_prefix: str
    roll_to_workday: bool = True
    report_title_font: str = ""
    report_body_font: str = ""
    report_heading1_font: str = ""
    report_heading2_font: str = ""


@dataclass(frozen=True)
class UserInput:
    """A user of the case file: login name (what the audit trail shows), name and role."""

    login: str
    display_name: str
    role: str  # UserRole value
    active: bool = True


@dataclass(frozen=True)
class CalendarDayInput:
    """A user edit of the working-day calendar."""

    day: dt.date
    kind: str  # "holiday" | "workday"
    name: str = ""


# --------------------------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseSummary:
    """The case row: incident facts, current decisions and milestones."""

    id: int
    case_no: str
    title: str
    stage: str
    fire_date: dt.date
    fire_time: str
    place: str
    address: str
    unit_name: str
    fire_type: str
    property_loss_yuan: Decimal
    economic_loss_yuan: Decimal
    households_affected: int | None
    summary: str
    grade: str | None
    included: bool | None
    taken_over_by: str
    taken_over_on: dt.date | None
    team_formed_on: dt.date | None
    team_authorised_fire_agency: bool
    report_submitted_on: dt.date | None
    report_received_on: dt.date | None
    reply_on: dt.date | None
    reply_ref: str
    reply_summary: str
    closed_on: dt.date | None
    created_on: dt.date
    created_by: str
    next_due_on: dt.date | None
    next_due_label: str
    version: int
    report_signed_on: dt.date | None = None  # the signature list is that day's roster
    burned_area_m2: Decimal | None = None  # 过火面积（平方米）
    nature: str = ""  # 事故性质
    team_name: str = ""  # the 调查组 as the officer names it ("": generated)
    report_title: str = ""  # the title with the officer's line breaks ("": generated)
    report_opening: str = ""  # the opening summary ("": generated)
    report_composition: str = ""  # the team-composition paragraph ("": generated)
    team_document_no: str = ""  # 成立文件文号 of the team ("": not recorded)
    team_formed_by: str = ""  # 组建机关 of the team ("": not recorded)


@dataclass(frozen=True)
class CasualtyUpdateView:
    """A stored casualty record: counts as of ``as_of``, entered on ``recorded_on``."""

    id: int
    recorded_on: dt.date
    deaths: int
    serious_injuries: int
    minor_injuries: int
    note: str
    recorded_by: str
    as_of: dt.date | None = None


@dataclass(frozen=True)
class GradeDecisionView:
    """A stored grade decision and how it was reached."""

    id: int
    decided_on: dt.date
    grade: str
    standard: str
    explanation: str
    basis: str
    decided_by: str


@dataclass(frozen=True)
class InclusionDecisionView:
    """A stored inclusion decision (第五条) with the judgement clauses' who/when/why."""

    id: int
    decided_on: dt.date
    included: bool
    clauses: tuple[int, ...]
    explanation: str
    judgement: JudgementInput
    scope_note: str
    decided_by: str


@dataclass(frozen=True)
class ScopeView:
    """Whether the fire type falls under the measures (第二条第二款)."""

    in_scope: bool
    reason: str
    basis: str


@dataclass(frozen=True)
class EscalationView:
    """An escalation alert (第四条): the grade rose beyond the city's jurisdiction within 7 days."""

    message: str
    basis: str


@dataclass(frozen=True)
class CaseWarningView:
    """A fact about the case the officer must see (``code`` stable: scenarios use it)."""

    code: str
    message: str
    basis: str


@dataclass(frozen=True)
class DutiesView:
    """Whether the measures' clocks run for the case; ``reason`` and ``basis`` say why."""

    applies: bool
    code: str
    reason: str
    basis: str


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


@dataclass(frozen=True)
class MemberView:
    """A team member; ``active`` is False from the recusal decision date (``left_on``)."""

    id: int
    name: str
    organisation: str
    body: str
    role: str
    title: str
    expertise: str
    relatives: tuple[str, ...]  # as shown: "刘强（兄）"
    joined_on: dt.date
    left_on: dt.date | None
    active: bool
    version: int
    relatives_detail: tuple[Relative, ...] = ()


@dataclass(frozen=True)
class SubGroupView:
    """A sub-group."""

    id: int
    name: str
    leader_id: int | None
    leader_name: str
    duties: str
    member_ids: tuple[int, ...]
    version: int


@dataclass(frozen=True)
class TeamWarningView:
    """A team composition warning (第六条, 第八条, 第九条) the user can see and acknowledge."""

    code: str
    message: str
    basis: str


@dataclass(frozen=True)
class RecusalFlagView:
    """A possible recusal conflict found by screening (第十五条)."""

    member_id: int
    member_name: str
    party_name: str
    ground: str
    reason: str
    near: bool = False  # names only similar: the officer checks whether it is the same person


@dataclass(frozen=True)
class RecusalView:
    """A recusal application and its decision (``decision`` empty while pending)."""

    id: int
    member_id: int
    member_name: str
    party_id: int | None
    applicant: str
    applicant_kind: str
    ground: int
    reason: str
    applied_on: dt.date
    decision: str
    decided_on: dt.date | None
    decided_by: str
    decision_reason: str
    version: int
    deciding_body: str = ""  # LEADER_BODY or GOVERNMENT_BODY once decided
    decided_by_member_id: int | None = None  # the leader who decided; None for 人民政府


@dataclass(frozen=True)
class CustodyView:
    """A chain-of-custody event."""

    id: int
    on: dt.date
    action: str
    from_holder: str
    to_holder: str
    note: str


@dataclass(frozen=True)
class AttachmentView:
    """An attachment's metadata (fetch content with ``get_attachment_content``)."""

    id: int
    evidence_id: int | None
    filename: str
    media_type: str
    size: int
    sha256: str
    added_on: dt.date
    added_by: str


@dataclass(frozen=True)
class EvidenceView:
    """An evidence item with its custody chain and attachments."""

    id: int
    code: str
    name: str
    kind: str
    description: str
    collected_on: dt.date
    collected_by: str
    location: str
    custody: tuple[CustodyView, ...]
    attachments: tuple[AttachmentView, ...]
    version: int


@dataclass(frozen=True)
class AppraisalView:
    """A 检验/鉴定 commission; open while ``opinion_on`` is None (the clock is paused)."""

    id: int
    kind: str
    subject: str
    agency: str
    evidence_id: int | None
    commissioned_on: dt.date
    opinion_on: dt.date | None
    opinion: str
    version: int


@dataclass(frozen=True)
class ExtensionView:
    """An extension; only approved ones count towards the clock."""

    id: int
    days: int
    requested_on: dt.date
    reason: str
    approved_on: dt.date | None
    approved_by: str
    approval_ref: str
    version: int
    approved_late: bool = False
    late_confirmed_by: str = ""
    late_confirmed_on: dt.date | None = None


@dataclass(frozen=True)
class FindingView:
    """A responsibility finding."""

    id: int
    area: str
    subject: str
    text: str
    party_id: int | None
    version: int


@dataclass(frozen=True)
class CauseView:
    """A direct or indirect cause."""

    id: int
    kind: str
    text: str
    version: int


@dataclass(frozen=True)
class DissentView:
    """A dissenting opinion by name and date."""

    id: int
    member_id: int
    member_name: str
    recorded_on: dt.date
    text: str
    version: int


@dataclass(frozen=True)
class ReportSectionView:
    """One of the eight report sections (``id`` None and ``version`` 0 until first saved)."""

    id: int | None
    number: int
    title: str
    body: str
    confidential: bool
    version: int


@dataclass(frozen=True)
class RecommendationView:
    """A recommendation with the authority's feedback, 备案 and transfer."""

    id: int
    target_kind: str
    target_name: str
    party_id: int | None
    area: str
    kind: str
    basis: str
    authority: str
    text: str
    feedback: str
    feedback_on: dt.date | None
    filed_on: dt.date | None
    transferred_on: dt.date | None
    transferred_to: str
    confidential: bool
    version: int


@dataclass(frozen=True)
class HandlingTaskView:
    """A department's handling task."""

    id: int
    department: str
    task: str
    reported_on: dt.date | None
    filed_on: dt.date | None
    result: str
    version: int
    source: str = ""  # "recommendation": created on the 批复 (第二十条)
    removed_on: dt.date | None = None
    removed_by: str = ""
    removed_reason: str = ""


@dataclass(frozen=True)
class RedactionView:
    """A field kept out of the public version."""

    id: int
    field_key: str
    reason: str
    decided_by: str = ""
    decided_on: dt.date | None = None


@dataclass(frozen=True)
class DisclosureKeepView:
    """Personal data found in the public text that an officer decided to publish, and why."""

    id: int
    kind: str
    value: str
    reason: str
    decided_by: str
    decided_on: dt.date


@dataclass(frozen=True)
class PublicReviewView:
    """An approved 公开前审查 of one public version."""

    id: int
    report: str  # "investigation" | "evaluation"
    reviewed_on: dt.date
    reviewed_by: str
    fingerprint: str
    withheld: int
    masked: int
    kept: int
    note: str


@dataclass(frozen=True)
class PublicReleaseView:
    """One publication of a public version (第二十一条)."""

    id: int
    report: str
    published_on: dt.date
    channel: str
    approved_by: str
    file_name: str
    file_format: str
    sha256: str
    size: int
    review_id: int | None
    recorded_by: str
    recorded_on: dt.date
    note: str


@dataclass(frozen=True)
class ReleaseInput:
    """What the officer records when a public version is published."""

    report: str  # "investigation" | "evaluation"
    published_on: dt.date | None
    channel: str
    approved_by: str  # 人民政府或其授权的消防救援机构 (第二十一条)
    note: str = ""


@dataclass(frozen=True)
class PublicationView:
    """The publication record (``id`` None when nothing is recorded yet)."""

    id: int | None
    published_on: dt.date | None
    channel: str
    published_by: str
    note: str
    redactions: tuple[RedactionView, ...]
    version: int
    keeps: tuple[DisclosureKeepView, ...] = ()
    reviews: tuple[PublicReviewView, ...] = ()
    releases: tuple[PublicReleaseView, ...] = ()


@dataclass(frozen=True)
class EvaluationView:
    """The evaluation group and report."""

    id: int
    lead: str
    members: tuple[str, ...]
    third_party: str
    started_on: dt.date | None
    finished_on: dt.date | None
    submitted_on: dt.date | None
    conduct: str
    opinion: str
    version: int


@dataclass(frozen=True)
class EvaluationItemView:
    """An evaluation item result."""

    id: int
    kind: str
    subject: str
    result: str
    evidence: str
    checked_on: dt.date
    recommendation_id: int | None
    measure_id: int | None
    version: int
    recommendation_ids: tuple[int, ...] = ()  # every recommendation the item covers
    order_id: int | None = None  # the 限期整改 measure the evaluation set (第二十四条)


@dataclass(frozen=True)
class MeasureView:
    """A rectification measure."""

    id: int
    text: str
    responsible: str
    set_on: dt.date
    deadline: dt.date | None
    done_on: dt.date | None
    status: str
    version: int


@dataclass(frozen=True)
class ClockView:
    """One statutory clock of a case, as computed by ``firecase.rules``.

    ``status`` is the ``ClockStatus`` value; ``due`` is None when the clock cannot be computed
    (e.g. the calendar lacks a year), in which case ``explanation`` says why. ``late_days``:
    how many days after ``due`` it was done (``rules.late_days``; 0 in time or not done).
    """

    case_id: int
    case_no: str
    case_title: str
    kind: str
    label: str
    subject: str
    start: dt.date | None
    due: dt.date | None
    done_on: dt.date | None
    status: str
    days_left: int | None
    overdue: bool
    paused: bool
    explanation: str
    basis: str
    late_days: int = 0
    # SPEC R6: a due date computed for a year the calendar lacks, with weekends as the only
    # rest days; ``explanation`` begins with the reason (``rules.provisional_note``)
    provisional: bool = False

    def due_text(self, blank: str = "—") -> str:
        """The due date as every screen writes it: ``2027-02-01``, ``2027-02-01（暂定）``, or
        ``blank`` when there is none."""
        if self.due is None:
            return blank
        return self.due.isoformat() + ("（暂定）" if self.provisional else "")


@dataclass(frozen=True)
class GuardReasonView:
    """A reason an officer gave for going on out of the measures' sequence (``services.guards``):
    the check, what FireCase said, the reason, who and when, and the record written."""

    id: int
    guard: str
    question: str
    reason: str
    recorded_by: str
    recorded_on: dt.date
    entity: str = ""
    entity_id: str = ""


@dataclass(frozen=True)
class CaseDetail:
    """Everything a case workspace shows, computed in one read transaction."""

    case: CaseSummary
    casualty_updates: tuple[CasualtyUpdateView, ...]
    deaths: int
    serious_injuries: int
    grade_decision: GradeDecisionView | None
    grade_history: tuple[GradeDecisionView, ...]
    inclusion: InclusionDecisionView | None
    scope: ScopeView
    jurisdiction: str
    escalation: EscalationView | None
    parties: tuple[PartyView, ...]
    members: tuple[MemberView, ...]
    subgroups: tuple[SubGroupView, ...]
    team_warnings: tuple[TeamWarningView, ...]
    recusals: tuple[RecusalView, ...]
    recusal_flags: tuple[RecusalFlagView, ...]
    evidence: tuple[EvidenceView, ...]
    attachments: tuple[AttachmentView, ...]
    appraisals: tuple[AppraisalView, ...]
    extensions: tuple[ExtensionView, ...]
    findings: tuple[FindingView, ...]
    causes: tuple[CauseView, ...]
    dissents: tuple[DissentView, ...]
    report_sections: tuple[ReportSectionView, ...]
    recommendations: tuple[RecommendationView, ...]
    handling_tasks: tuple[HandlingTaskView, ...]
    publication: PublicationView
    evaluation: EvaluationView | None
    evaluation_items: tuple[EvaluationItemView, ...]
    measures: tuple[MeasureView, ...]
    clocks: tuple[ClockView, ...]
    today: dt.date
    # the rules of the case together (rules.assess_case)
    counted_note: str = ""  # how the counts were taken (late deaths as serious injuries)
    recorded_deaths: int = 0  # deaths in the latest record, counted or not
    jurisdiction_grade: str | None = None  # grade by the first 7 days' casualties (第四条)
    jurisdiction_authority: str = ""
    duties: DutiesView | None = None
    warnings: tuple[CaseWarningView, ...] = ()
    other_grades: tuple[str, ...] = ()  # "按公消〔2007〕234号为较大火灾" where standards disagree
    assessment_error: str = ""  # the stored facts could not be assessed (message says why)
    grade_standard_id: str = ""  # the standard in force that graded the fire ("gb-2007"…)
    grade_display: str = ""  # "一般（轻微火灾）" where the standard says so, else the grade
    persons: tuple[PersonView, ...] = ()  # the register of 死者、伤者、证人
    guard_reasons: tuple[GuardReasonView, ...] = ()  # reasons given out of sequence (guards)


@dataclass(frozen=True)
class SettingsView:
    """Case-file settings (defaults filled in); ``version`` goes back as ``expected_version``."""

    organisation_name: str
    case_no_prefix: str
    roll_to_workday: bool
    report_title_font: str
    report_body_font: str
    report_heading1_font: str = ""
    report_heading2_font: str = ""
    version: int = 0


@dataclass(frozen=True)
class CalendarDayView:
    """A holiday or make-up working day and where it came from ("bundled" | "user")."""

    day: dt.date
    kind: str
    name: str
    source: str


@dataclass(frozen=True)
class CalendarView:
    """The working-day calendar stored in the case file."""

    years: tuple[int, ...]
    days: tuple[CalendarDayView, ...]


@dataclass(frozen=True)
class AuditEntryView:
    """One audit row."""

    seq: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: str
    case_id: int | None
    field: str
    old_value: str | None
    new_value: str | None


@dataclass(frozen=True)
class VerifyReport:
    """Result of ``verify_case_file``: database integrity and the audit chain."""

    integrity_problems: tuple[str, ...]
    audit_ok: bool
    audit_rows: int
    audit_problems: tuple[str, ...]
    # the data replayed against the trail, attachments against their SHA-256 (store.replay)
    data_records: int = 0
    data_problems: tuple[str, ...] = ()
    data_more: int = 0
    notes: tuple[str, ...] = ()
    # cases whose recomputed data (stage, next due, clock board) was recomputed and compared
    derived_cases: int = 0
    # a chain head printed on a report (``--anchor SEQ:HASH``), when one was given
    anchor: str = ""
    anchor_problems: tuple[str, ...] = ()
    ok: bool = field(init=False)

    def __post_init__(self) -> None:
        sound = not self.integrity_problems and self.audit_ok
        sound = sound and not self.data_problems and not self.data_more
        object.__setattr__(self, "ok", sound and not self.anchor_problems)


@dataclass(frozen=True)
class UserView:
    """A user of the case file.

    ``registered`` is False for the implicit user of a case file without users (single-user
    mode), who is treated as 管理员; ``version`` is then 0.
    """

    login: str
    display_name: str
    role: str
    active: bool
    registered: bool
    version: int


@dataclass(frozen=True)
class CaseChanges:
    """What changed in the case file after audit position ``since`` (``changes_since``).

    ``seq`` is the position to pass next time; ``case_ids`` the cases with changes (including
    deleted ones); ``other_changed`` is True when something outside any case changed (settings,
    calendar, users); ``actors`` who made the changes.
    """

    since: int
    seq: int
    case_ids: frozenset[int]
    other_changed: bool
    actors: frozenset[str]

    @property
    def changed(self) -> bool:
        """Whether anything changed at all."""
        return self.seq != self.since
