"""Printed reports of a case: build the reports' frozen input from the case file, and the
``firecase report`` command.

Each ``*_report_data`` function reads one case in one read-only transaction (through
:func:`firecase.services.reading.get_case`, which never commits) and returns the frozen dataclass
of :mod:`firecase.reports.data`; the report modules turn that into PDF without touching the
database. Fonts come from the case file's settings (``report_body_font``,
``report_title_font``: paths of system TrueType fonts) with the bundled fonts as fallback.

Public version (第二十一条): a field is confidential when its section or recommendation is
marked so, or a redaction names it (``case.<field>``, ``section:N``, ``recommendation:N``,
``finding:N``, ``cause:N``, ``measure:N``, ``task:N``). A person or unit whose name is redacted
(``party:N.name``) is also masked wherever the name occurs in a published text ("胡某某",
"某单位"), because the name is the confidential field and must not appear in the PDF at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from firecase.errors import CaseFileError, FirecaseError, NotFoundError, ValidationError
from firecase.reports.base import BuiltReport, format_date
from firecase.reports.data import (
    CasualtyLossRow,
    CasualtyPerson,
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
    PublicReportData,
    Recommendation,
    RectificationMeasure,
    ResponsibilityArea,
    ResponsibilityFinding,
    Signatory,
)
from firecase.reports.document import with_anchor
from firecase.reports.fonts import FontConfig
from firecase.reports.wording import MEASURE, cite, cn_time, prose_area, prose_yuan
from firecase.services.dto import (
    PERSON_ROLES,
    CaseDetail,
    CaseSummary,
    EvaluationItemView,
    MeasureView,
    MemberView,
    RecommendationView,
    ReportWordingInput,
    SettingsView,
)
from firecase.services.outputs import record_output
from firecase.services.reading import find_case_id, get_case
from firecase.services.settings import get_settings
from firecase.store import CaseFile, open_case_file
from firecase.store.audit import chain_head

if TYPE_CHECKING:
    from firecase.services.disclosure import PublicVersion

__all__ = [
    "REPORT_FORMATS",
    "REPORT_NAMES",
    "TeamBodies",
    "build_report",
    "clock_sheet_data",
    "evaluation_report_data",
    "font_config",
    "generated_wording",
    "investigation_report_data",
    "public_evaluation_data",
    "public_report_data",
    "public_version",
    "report_command",
    "report_composition",
    "report_format",
    "report_opening",
    "report_team_name",
    "report_title",
    "team_bodies",
    "team_founding_body",
    "unchecked_recommendations",
]

_LEADERSHIP = "调查组领导"
_EXPERT_BODY = "专家"
_DISCIPLINE_BODY = "纪检监察机关"
_GOVERNMENT_BODY = "人民政府"
_FIRE_BODY = "消防救援机构"
_NAMED_GRADES = ("较大", "重大", "特别重大")  # "一般" is not written into a team's name
_ADMIN_ENDS = ("省", "市", "县", "区", "镇", "乡", "街道", "办事处", "开发区")
_OTHERS = "其他成员"
_SHA_DIGITS = 12
_ITEM_KINDS = {
    "人员责任追究": EvaluationItemKind.PERSON,
    "单位责任追究": EvaluationItemKind.UNIT,
    "整改措施": EvaluationItemKind.MEASURE,
}
_CLOCK_DONE = "已完成"


# ------------------------------------------------------------------------------- helpers


def _detail(cf: CaseFile, case_no: str, today: dt.date | None) -> CaseDetail:
    return get_case(cf, find_case_id(cf, case_no), today=today)


def _fire_title(title: str, suffix: str) -> str:
    """ "…“3·14”火灾" + "事故调查报告" → "…“3·14”火灾事故调查报告"."""
    if title.endswith("火灾事故"):
        return title + suffix.removeprefix("事故")
    if title.endswith("火灾"):
        return title + suffix
    return f"{title}火灾{suffix}"


def _fire_time(text: str) -> dt.time | None:
    try:
        return dt.time.fromisoformat(text) if text else None
    except ValueError:
        return None


def _minor_injuries(d: CaseDetail) -> int:
    updates = d.casualty_updates  # in effect order (by the dates the counts became true)
    return updates[-1].minor_injuries if updates else 0


def _grade_text(d: CaseDetail) -> str:
    if d.case.grade is None:
        return "未定级"
    if d.grade_decision is not None and d.grade_decision.standard:
        return f"{d.case.grade}火灾（{d.grade_decision.standard}）"
    return f"{d.case.grade}火灾"


def _recused_ids(d: CaseDetail) -> set[int]:
    return {r.member_id for r in d.recusals if r.decision == "批准"}


def signing_date(d: CaseDetail) -> dt.date:
    """The day the report was signed: recorded, else its submission, else today (a draft).

    The signature list is the roster of that day, so a reprint is the signed original."""
    c = d.case
    return c.report_signed_on or c.report_submitted_on or d.today


def _signing_roster(d: CaseDetail) -> tuple[list[MemberView], set[int]]:
    """The members on the team on the signing day, and the ids of those recused by then."""
    signed = signing_date(d)
    recused = {
        r.member_id
        for r in d.recusals
        if r.decision == "批准" and r.decided_on is not None and r.decided_on <= signed
    }
    active = [
        m for m in d.members if m.joined_on <= signed and (m.left_on is None or m.left_on > signed)
    ]
    return active, recused


def _signatories(d: CaseDetail) -> tuple[Signatory, ...]:
    """Members on the team on the signing day, each once: team leaders first, then by
    sub-group, then the rest (a member recused or joined later is not on it)."""
    active, recused = _signing_roster(d)
    group_of: dict[int, str] = {}
    group_leader: dict[int, str] = {}
    for g in d.subgroups:
        for member_id in g.member_ids:
            group_of.setdefault(member_id, g.name)
        if g.leader_id is not None:
            group_leader.setdefault(g.leader_id, g.name)

    def signatory(m: MemberView, group: str, role: str) -> Signatory:
        return Signatory(
            name=m.name,
            subgroup=group,
            role=role,
            organisation=m.organisation,
            position=m.title,
            recused=m.id in recused,
        )

    out: list[Signatory] = []
    leaders = [m for m in active if m.role in ("组长", "副组长")]
    for m in leaders:
        led = group_leader.get(m.id)
        out.append(signatory(m, _LEADERSHIP, f"{m.role}（{led}组长）" if led else m.role))
    rest = [m for m in active if m not in leaders]
    for g in d.subgroups:
        for m in rest:
            if group_of.get(m.id) == g.name:
                out.append(
                    signatory(m, g.name, member_role(m, g.name if g.leader_id == m.id else ""))
                )
    out += [signatory(m, _OTHERS, member_role(m)) for m in rest if m.id not in group_of]
    return tuple(out)


def member_role(m: MemberView, leads: str = "") -> str:
    """What the signature table says a member is in the team (第八条、第九条、第六条): the team
    leader is only "组长"; a sub-group's leader (designated by the team leader, 第九条) is
    "技术组组长"; an engaged expert (第六条第一款) is "专家"; every other member "组员"."""
    if m.role in ("组长", "副组长"):
        return m.role
    expert = m.body == _EXPERT_BODY
    if leads:
        return f"{leads}组长" + ("（专家）" if expert else "")
    return "专家" if expert else "组员"


def _evidence(d: CaseDetail) -> tuple[EvidenceItem, ...]:
    items = []
    for e in d.evidence:
        digests = "\n".join(a.sha256[:_SHA_DIGITS] for a in e.attachments)
        source = e.collected_by + (f"（{e.location}）" if e.location else "")
        items.append(EvidenceItem(e.code, e.name, e.kind, source, e.collected_on, digests))
    return tuple(items)


def _casualty_loss(d: CaseDetail) -> tuple[CasualtyLossRow, ...]:
    minor = _minor_injuries(d)
    rows = [
        CasualtyLossRow("死亡", f"{d.deaths}人"),
        CasualtyLossRow("重伤", f"{d.serious_injuries}人"),
        CasualtyLossRow("轻伤", f"{minor}人"),
    ]
    if d.case.burned_area_m2 is not None:
        rows.append(CasualtyLossRow("过火面积", f"{prose_area(d.case.burned_area_m2)}平方米"))
    rows += [
        CasualtyLossRow(
            "直接财产损失", "", d.case.property_loss_yuan, f"火灾等级依据（{cite('第二十五条')}）"
        ),
        CasualtyLossRow(
            "直接经济损失",
            "",
            d.case.economic_loss_yuan,
            f"含直接财产损失（{cite('第五条第二项')}）",
        ),
    ]
    return tuple(rows)


# ------------------------------------------------------------------------------- wording


def fire_location(c: CaseSummary) -> str:
    """起火地点 in full: the place and the street address, without saying anything twice:
    "天门市竟陵街道东湖社区" + "天门市竟陵街道东湖路118号" → "天门市竟陵街道东湖社区东湖路118号"."""
    place, address = c.place.strip(), c.address.strip()
    if not address or address in place:
        return place or address
    if not place or place in address:
        return address
    # the longest administrative prefix the two share ("天门市竟陵街道") is said once
    shared = ""
    for i in range(1, min(len(place), len(address)) + 1):
        if place[:i] != address[:i]:
            break
        if place[:i].endswith(_ADMIN_ENDS):
            shared = place[:i]
    return place + address[len(shared) :]


def _md(day: dt.date) -> str:
    return f"“{day.month}·{day.day}”"


def _government(d: CaseDetail, organisation: str) -> str:
    """The government that investigates (第四条): the one that took the case over, else the
    人民政府 the team's government member comes from, else the city of the fire agency."""
    c = d.case
    if c.taken_over_by:
        return c.taken_over_by
    for m in d.members:
        if m.body == _GOVERNMENT_BODY and m.organisation.endswith("人民政府"):
            return m.organisation
    city = re.match(r"^(.+?[市县区])", organisation or "")
    return f"{city.group(1)}人民政府" if city else "市人民政府"


def _fire_agency(d: CaseDetail, organisation: str) -> str:
    heads = [m for m in d.members if m.body == _FIRE_BODY and m.role in ("组长", "副组长")]
    if heads:
        return heads[0].organisation
    return organisation or "消防救援机构"


def team_founding_body(d: CaseDetail, organisation: str, *, stored: bool = True) -> str:
    """The body that set the team up (组建机关, 第四条) as recorded on the case, else the one
    the rules give: the government that took the case over (第四条第二款); the fire-rescue
    agency when the city authorised it to lead (第四条第一款, 第八条); else the government."""
    c = d.case
    if stored and c.team_formed_by.strip():
        return c.team_formed_by.strip()
    if c.taken_over_by:
        return c.taken_over_by
    if c.team_authorised_fire_agency:
        return _fire_agency(d, organisation)
    return _government(d, organisation)


@dataclass(frozen=True)
class TeamBodies:
    """The 组建机关 to offer: the government's and the fire-rescue agency's, and the one the
    rules give for the case as recorded (``team_founding_body`` without the stored value)."""

    government: str
    fire_agency: str
    default: str

    @property
    def options(self) -> tuple[str, ...]:
        """The bodies to choose from, the default first."""
        return tuple(dict.fromkeys((self.default, self.government, self.fire_agency)))

    def for_authorised(self, authorised: bool) -> str:
        """The body the rules give when the fire agency is (not) authorised to lead."""
        if self.default not in (self.government, self.fire_agency):
            return self.default  # a higher government took the case over
        return self.fire_agency if authorised else self.government


def team_bodies(cf: CaseFile, case_id: int) -> TeamBodies:
    """The 组建机关 to offer for case ``case_id`` (the case file's organisation stands in for
    the fire-rescue agency when no leader from it is on the team)."""
    d = get_case(cf, case_id)
    org = get_settings(cf).organisation_name
    return TeamBodies(
        _government(d, org), _fire_agency(d, org), team_founding_body(d, org, stored=False)
    )


def report_team_name(d: CaseDetail, organisation: str, *, stored: bool = True) -> str:
    """The 调查组 that signs the investigation report (落款, page header; SPEC §3), as recorded
    on the case, else derived from who formed it (第四条, 第六条): the government's team,
    "天门市人民政府“4·12”较大火灾事故调查组"; when the fire agency was authorised to lead
    (第四条第一款, 第八条), "天门市“4·12”较大火灾事故调查组"."""
    c = d.case
    if stored and c.team_name.strip():
        return c.team_name.strip()
    grade = c.grade if c.grade in _NAMED_GRADES else ""
    government = _government(d, organisation)
    who = government
    if c.team_authorised_fire_agency and not c.taken_over_by:
        who = government.removesuffix("人民政府")
    return f"{who}{_md(c.fire_date)}{grade}火灾事故调查组"


def report_title(d: CaseDetail, *, stored: bool = True) -> str:
    """The report's title: as the officer broke it (a line break between lines), else
    generated from the case's name."""
    if stored and d.case.report_title.strip():
        return d.case.report_title.strip()
    return _fire_title(d.case.title, "事故调查报告")


def _casualty_phrase(d: CaseDetail) -> str:
    parts = []
    if d.deaths:
        parts.append(f"{d.deaths}人死亡")
    if d.serious_injuries:
        parts.append(f"{d.serious_injuries}人重伤")
    minor = _minor_injuries(d)
    if minor:
        parts.append(f"{minor}人轻伤")
    return f"造成{'、'.join(parts)}" if parts else "未造成人员伤亡"


def _nature_sentence(nature: str) -> str:
    nature = nature.strip().removesuffix("。")
    if not nature:
        return ""
    verb = "是" if nature.startswith("一起") else "性质为"
    return f"经调查认定，该起火灾{verb}{nature}。"


def _after_location(where: str, unit: str) -> str:
    """``unit`` without the words it repeats from the end of ``where``: "东湖路118号居民自建房"
    after "…东湖社区东湖路118号" reads "居民自建房" (no "东湖路118号的东湖路118号…")."""
    for k in range(min(len(where), len(unit) - 1), 2, -1):
        if unit.startswith(where[-k:]):
            return unit[k:]
    return unit


def report_opening(d: CaseDetail, organisation: str, *, stored: bool = True) -> str:
    """The opening summary: as stored, else generated from the case (what happened, where,
    how large, the casualties and loss in 万元, then who formed the team and under which
    articles, 第四条、第六条), one paragraph per line."""
    c = d.case
    if stored and c.report_opening.strip():
        return c.report_opening.strip()
    when = format_date(c.fire_date)
    t = _fire_time(c.fire_time)
    if t is not None:
        when += cn_time(t)
    where = fire_location(c)
    unit = _after_location(where, c.unit_name.strip())
    first = f"{when}，位于{where}的{unit}发生火灾" if unit else f"{when}，{where}发生火灾"
    if c.burned_area_m2 is not None:
        first += f"，过火面积约{prose_area(c.burned_area_m2)}平方米"
    first += f"，{_casualty_phrase(d)}，直接经济损失{prose_yuan(c.economic_loss_yuan)}。"
    team = report_team_name(d, organisation, stored=stored)
    government = _government(d, organisation)
    formed = f"于{format_date(c.team_formed_on)}" if c.team_formed_on else ""
    if c.taken_over_by:
        second = (
            f"火灾发生后，{c.taken_over_by}决定提级调查（{MEASURE}第四条第二款），{formed}"
            f"成立了{team}（以下简称调查组）。"
        )
    else:
        second = (
            f"火灾发生后，{government}依据{MEASURE}第四条、第六条的规定，{formed}成立了"
            f"{team}（以下简称调查组）"
        )
        if c.team_authorised_fire_agency:
            second += f"，授权{_fire_agency(d, organisation)}牵头组织调查处理"
        second += "。"
    third = (
        "调查组坚持“科学严谨、依法依规、实事求是、注重实效”的原则，通过现场勘验、调查询问、"
        "检验鉴定和综合分析，查明了火灾发生的经过、原因、人员伤亡和直接经济损失情况，认定了火灾"
        "性质和事故责任，提出了对有关责任单位和责任人员的处理建议，以及事故防范和整改措施。"
    )
    return first + second + "\n" + third + _nature_sentence(c.nature)


def _roster(d: CaseDetail) -> list[MemberView]:
    """The members who sign (the roster of the signing day, recused members left out)."""
    active, recused = _signing_roster(d)
    return [m for m in active if m.id not in recused]


def _who(m: MemberView) -> str:
    return f"{m.organisation}{m.title}{m.name}"


def report_composition(d: CaseDetail, *, stored: bool = True) -> str:
    """The paragraph on the team's composition: as stored, else generated from the roster of
    the signing day — leader and deputies (第八条), member units (第六条), the invited discipline
    inspection body, the sub-groups and their leaders (第九条) and the engaged experts."""
    if stored and d.case.report_composition.strip():
        return d.case.report_composition.strip()
    roster = _roster(d)
    if not roster:
        return ""
    leaders = [m for m in roster if m.role == "组长"]
    deputies = [m for m in roster if m.role == "副组长"]
    parts: list[str] = []
    if leaders:
        parts.append(f"{'、'.join(_who(m) for m in leaders)}任组长")
    if deputies:
        parts.append(f"{'、'.join(_who(m) for m in deputies)}任副组长")
    units: list[str] = []
    invited: list[str] = []
    for m in roster:
        target = invited if m.body == _DISCIPLINE_BODY else units
        leads = m.role in ("组长", "副组长")
        if m.body != _EXPERT_BODY and not leads and m.organisation not in target:
            target.append(m.organisation)
    text = "调查组由" + "，".join(parts) if parts else "调查组"
    if units:
        text += f"，{'、'.join(units)}等单位派员参加"
    if invited:
        text += f"，并邀请{'、'.join(invited)}派员参加"
    text += f"（{cite('第六条、第八条')}）。"
    active = {m.id for m in roster}
    groups = [g for g in d.subgroups if active.intersection(g.member_ids) or g.leader_id in active]
    if groups:
        names = "、".join(g.name for g in groups)
        text += f"调查组下设{names}{len(groups)}个专项小组（{cite('第九条')}）"
        by_id = {m.id: m for m in roster}
        led = [
            f"{g.name}由{by_id[g.leader_id].name}任组长"
            for g in groups
            if g.leader_id is not None and g.leader_id in by_id
        ]
        text += (f"，{'，'.join(led)}" if led else "") + "。"
    experts = [m for m in roster if m.body == _EXPERT_BODY]
    if experts:
        who = "、".join(
            f"{m.organisation}{m.name}" + (f"（{m.title}）" if m.title else "") for m in experts
        )
        text += f"调查组聘请{who}作为专家参与调查（{cite('第六条第一款')}）。"
    return text


_BARE_CITE = re.compile(r"(（|依照|依据|根据|按照|违反)第([一二三四五六七八九十]+条)")


def generated_wording(
    cf: CaseFile, case_id: int, *, today: dt.date | None = None
) -> ReportWordingInput:
    """The report's wording generated from the case as it is now (按案件信息生成), ignoring
    what the officer stored: the team's name (第四条、第六条), the title, the opening summary
    and the team-composition paragraph."""
    d = get_case(cf, case_id, today=today)
    organisation = get_settings(cf).organisation_name
    return ReportWordingInput(
        team_name=report_team_name(d, organisation, stored=False),
        title=report_title(d, stored=False),
        opening=report_opening(d, organisation, stored=False),
        composition=report_composition(d, stored=False),
    )


def _local_cites(text: str) -> str:
    """A text citing the measure's articles bare ("（第四条第一款）", "依照第十七条") cites
    "本办法第…" (a law named before its article, "《消防法》第十九条", is left alone); the
    report then names the measure in full at its first mention."""
    return _BARE_CITE.sub(r"\1本办法第\2", text)


# ------------------------------------------------------------------------------- reports


def investigation_report_data(
    cf: CaseFile, case_no: str, *, today: dt.date | None = None
) -> InvestigationReportData:
    """The investigation report (第十八条) of the case ``case_no``, read in one transaction."""
    d = _detail(cf, case_no, today)
    settings = get_settings(cf)
    c = d.case
    sections = {s.number: s.body for s in d.report_sections}
    evaluation_start = d.evaluation.started_on if d.evaluation is not None else None
    return InvestigationReportData(
        organisation=report_team_name(d, settings.organisation_name),
        case_no=c.case_no,
        title=report_title(d),
        opening=report_opening(d, settings.organisation_name),
        composition=report_composition(d),
        fire=FireFacts(
            fire_date=c.fire_date,
            fire_time=_fire_time(c.fire_time),
            location=fire_location(c),
            unit=c.unit_name or "—",
            grade=_grade_text(d),
            deaths=d.deaths,
            serious_injuries=d.serious_injuries,
            minor_injuries=_minor_injuries(d),
            direct_loss_yuan=c.economic_loss_yuan,
            burned_area_m2=c.burned_area_m2,
            nature=c.nature,
            jurisdiction=_local_cites(d.jurisdiction),
            casualty_note=d.counted_note,
        ),
        sections=InvestigationSections(*(_local_cites(sections.get(n, "")) for n in range(1, 9))),
        casualty_loss=_casualty_loss(d),
        casualty_persons=tuple(
            CasualtyPerson(x.role, x.name, x.sex, x.age, x.note)
            for x in sorted(d.persons, key=lambda x: PERSON_ROLES.index(x.role))
            if x.role != "证人"
        ),
        direct_cause="\n".join(x.text for x in d.causes if x.kind == "直接原因"),
        indirect_causes=tuple(x.text for x in d.causes if x.kind == "间接原因"),
        findings=tuple(
            ResponsibilityFinding(ResponsibilityArea(f.area), f.subject, f.text) for f in d.findings
        ),
        recommendations=tuple(
            Recommendation(
                r.target_name, ResponsibilityArea(r.area), r.kind, r.basis, r.authority, r.text
            )
            for r in d.recommendations
        ),
        # the case's measures, without those the evaluation set later (限期整改, 第二十四条)
        rectification_measures=tuple(
            RectificationMeasure(m.text, m.responsible, m.deadline)
            for m in d.measures
            if evaluation_start is None or m.set_on < evaluation_start
        ),
        dissents=tuple(DissentingOpinion(x.member_name, x.recorded_on, x.text) for x in d.dissents),
        evidence=_evidence(d),
        signatories=_signatories(d),
        report_date=c.report_submitted_on,
    )


def evaluation_report_data(
    cf: CaseFile, case_no: str, *, today: dt.date | None = None
) -> EvaluationReportData:
    """The evaluation report (第二十三条) of the case; ``NotFoundError`` if none is recorded."""
    d = _detail(cf, case_no, today)
    ev = d.evaluation
    if ev is None:
        raise NotFoundError(
            f"案件“{d.case.case_no}”尚未建立整改评估（第二十二条），无法生成评估报告。",
            field="evaluation",
        )
    recs = {r.id: r for r in d.recommendations}
    measures = {m.id: m for m in d.measures}
    items: list[EvaluationItem] = []
    for i in d.evaluation_items:
        kind = _ITEM_KINDS.get(i.kind, EvaluationItemKind.MEASURE)
        result = ImplementationResult(i.result)
        subject, action = i.subject, i.subject
        deadline: dt.date | None = None
        original: dt.date | None = None
        covered = [recs[r] for r in i.recommendation_ids if r in recs]
        if covered:
            # every person or unit the item covers, each with what the report required
            subject = "、".join(r.target_name for r in covered)
            action = "\n".join(_required(r, len(covered) > 1) for r in covered)
        if i.measure_id in measures:
            m = measures[i.measure_id]
            subject, action = m.responsible, m.text
            if result is not ImplementationResult.DONE:
                deadline, original = _rectification_deadline(i, m, d)
        items.append(EvaluationItem(kind, subject, action, result, i.evidence, deadline, original))
    unchecked = unchecked_recommendations(d)

    composition = f"评估组由{ev.lead}牵头"
    if ev.members:
        composition += f"，{'、'.join(ev.members)}参加"
    if ev.third_party:
        composition += f"，委托{ev.third_party}参与评估（{cite('第二十二条第二款')}）"
    period = ""
    if ev.started_on:
        period = f"评估工作自{format_date(ev.started_on)}开始"
        period += f"，于{format_date(ev.finished_on)}结束。" if ev.finished_on else "。"

    def counted(kind: EvaluationItemKind, noun: str) -> str:
        mine = [x for x in items if x.kind is kind]
        if not mine:
            return ""
        done = sum(1 for x in mine if x.result is ImplementationResult.DONE)
        return f"共评估{noun}{len(mine)}项，已落实{done}项，逐项情况见下表。"

    def worded(r: RecommendationView) -> str:
        return f"{r.target_name}：{r.kind}（{r.authority}）"

    return EvaluationReportData(
        organisation=ev.lead,
        case_no=d.case.case_no,
        title=_fire_title(d.case.title, "事故责任追究和整改措施落实情况评估报告"),
        sections=EvaluationSections(
            organisation_and_conduct="\n".join(
                x for x in (composition + "。", period, ev.conduct) if x
            ),
            persons_accountability=counted(EvaluationItemKind.PERSON, "责任人员责任追究事项"),
            units_accountability=counted(EvaluationItemKind.UNIT, "责任单位责任追究事项"),
            rectification=counted(EvaluationItemKind.MEASURE, "整改措施"),
            opinion_and_recommendations=ev.opinion,
        ),
        items=tuple(items),
        report_date=ev.submitted_on,
        unchecked_persons=tuple(worded(r) for r in unchecked if r.target_kind == "个人"),
        unchecked_units=tuple(worded(r) for r in unchecked if r.target_kind != "个人"),
    )


def _required(r: RecommendationView, named: bool) -> str:
    """What the report required of one person or unit: "移送司法机关（天门市公安局）：…"."""
    text = f"{r.kind}（{r.authority}）" + (f"：{r.text.strip()}" if r.text.strip() else "")
    return f"{r.target_name}：{text}" if named else text


def _rectification_deadline(
    item: EvaluationItemView, m: MeasureView, d: CaseDetail
) -> tuple[dt.date | None, dt.date | None]:
    """The 限期整改 deadline of a measure not (fully) done (第二十四条): the deadline of the
    measure the evaluation set for the item (``order_id``), else the measure's own deadline
    unless it had passed before the evaluation checked it; the first deadline is returned too
    when it was replaced or had lapsed (``None`` otherwise)."""
    order = next((x for x in d.measures if x.id == item.order_id), None)
    if order is not None and order.deadline is not None:
        return order.deadline, m.deadline
    ev = d.evaluation
    checked = (ev.finished_on or ev.started_on) if ev is not None else None
    if m.deadline is not None and checked is not None and m.deadline < checked:
        return None, m.deadline  # lapsed and no new deadline was set
    return m.deadline, None


def unchecked_recommendations(d: CaseDetail) -> tuple[RecommendationView, ...]:
    """Recommendations of the report that no evaluation item covers: the evaluation must
    check the accountability of every person and unit (第二十二条, 第二十三条第二项、第三项),
    so each is flagged on the evaluation tab and named in the evaluation report."""
    if d.evaluation is None:
        return ()
    covered = {r for i in d.evaluation_items for r in i.recommendation_ids}
    return tuple(r for r in d.recommendations if r.id not in covered)


def public_version(
    cf: CaseFile, case_no: str, report: str = "investigation", *, today: dt.date | None = None
) -> PublicVersion:
    """The public version ``report`` ("investigation" | "evaluation") of the case, withheld
    and masked as decided (``services.disclosure``), with what its 公开前审查 must list."""
    from firecase.services.disclosure import public_evaluation, public_investigation

    if report == "evaluation":
        data = evaluation_report_data(cf, case_no, today=today)
        return public_evaluation(_detail(cf, case_no, today), data, _local_cites)
    if report != "investigation":
        raise NotFoundError(f"没有“{report}”这种公开版本。", field="report")
    d = _detail(cf, case_no, today)
    c = d.case
    clock = _fire_time(c.fire_time)
    when = format_date(c.fire_date) + (cn_time(clock) + "许" if clock is not None else "")
    area = f"约{prose_area(c.burned_area_m2)}平方米" if c.burned_area_m2 is not None else ""
    grade = _grade_text(d) if c.grade is not None else ""
    return public_investigation(
        d,
        organisation=d.publication.published_by or get_settings(cf).organisation_name,
        title=_fire_title(_local_cites(c.title), "事故调查处理情况"),
        when=when,
        location=fire_location(c),
        grade=grade,
        loss=prose_yuan(c.economic_loss_yuan),
        area=area,
        polish=_local_cites,
    )


def public_report_data(
    cf: CaseFile, case_no: str, *, today: dt.date | None = None
) -> PublicReportData:
    """The public version of the investigation and its handling (第二十一条), as printed."""
    data = public_version(cf, case_no, "investigation", today=today).data
    assert isinstance(data, PublicReportData)
    return data


def public_evaluation_data(
    cf: CaseFile, case_no: str, *, today: dt.date | None = None
) -> EvaluationReportData:
    """The public version of the evaluation report (第二十三条), as printed."""
    data = public_version(cf, case_no, "evaluation", today=today).data
    assert isinstance(data, EvaluationReportData)
    return data


def clock_sheet_data(cf: CaseFile, case_no: str, *, today: dt.date | None = None) -> ClockSheetData:
    """Every clock of the case as of ``today`` (default: the system date)."""
    d = _detail(cf, case_no, today)
    rows = tuple(
        ClockRow(
            label=k.label + (f"（{k.subject}）" if k.subject else ""),
            start=k.start,
            due=k.due,
            days_left=None if k.status == _CLOCK_DONE or k.paused else k.days_left,
            status=k.status + (f"（逾期{k.late_days}天）" if k.late_days else ""),
            explanation=k.explanation,
            basis=k.basis,
            overdue=k.overdue,
            provisional=k.provisional,
        )
        for k in d.clocks
    )
    return ClockSheetData(
        organisation=get_settings(cf).organisation_name,
        case_no=d.case.case_no,
        title=_fire_title(d.case.title, "事故期限一览"),
        today=d.today,
        rows=rows,
    )


# ------------------------------------------------------------------------------- build, CLI


def font_config(settings: SettingsView) -> FontConfig:
    """The face of each role (GB/T 9704): the one the settings choose, else the standard face
    installed on this machine (simfang.ttf, simkai.ttf, …), else the bundled one."""
    from firecase.services.settings import FONT_KEYS

    chosen: dict[str, Path | None] = {}
    for role, key in FONT_KEYS.items():
        value = str(getattr(settings, key, "") or "")
        chosen[role] = Path(value) if value else None
    return FontConfig.resolve(chosen)


REPORT_NAMES: dict[str, str] = {
    "investigation": "火灾事故调查报告",
    "evaluation": "评估报告",
    "public": "公开版",
    "public_evaluation": "评估报告（公开版）",
    "clocks": "期限一览表",
}

REPORT_FORMATS: dict[str, str] = {"pdf": "PDF 文件", "docx": "Word 文档"}


def report_format(out: Path | BinaryIO) -> str:
    """The format a report written to ``out`` gets by default: "docx" for a path ending
    ``.docx``, "pdf" otherwise (streams too)."""
    if isinstance(out, (str, PathLike)) and Path(out).suffix.lower() == ".docx":
        return "docx"
    return "pdf"


def build_report(
    cf: CaseFile,
    kind: str,
    case_no: str,
    out: Path | BinaryIO,
    *,
    generated_at: dt.datetime,
    today: dt.date | None = None,
    fmt: str | None = None,
) -> BuiltReport:
    """Read the case and write the report ``kind`` ("investigation" | "evaluation" |
    "public" | "clocks") to ``out``: as PDF with the fonts the case file's settings choose,
    or as an editable Word document (``fmt`` "docx"; by default when ``out`` ends ``.docx``).
    A Word document has no fixed page count: its ``pages`` is 0."""
    fmt = fmt or report_format(out)
    if fmt not in REPORT_FORMATS:
        raise ValidationError(f"不支持“{fmt}”格式，只能生成PDF或Word（.docx）文件。", field="fmt")
    data_of = {
        "investigation": investigation_report_data,
        "evaluation": evaluation_report_data,
        "public": public_report_data,
        "public_evaluation": public_evaluation_data,
        "clocks": clock_sheet_data,
    }
    if kind not in data_of:
        raise NotFoundError(f"没有“{kind}”这种报告。", field="kind")
    data = data_of[kind](cf, case_no, today=today)
    return _write(cf, data, out, fmt=fmt, generated_at=generated_at, record=(kind, case_no))


def chain_anchor(cf: CaseFile) -> str:
    """The audit chain's head now, "SEQ:HASH", as every report prints it (issue 17)."""
    with cf.connect() as conn:
        seq, digest = chain_head(conn)
    return f"{seq}:{digest}"


def _write(
    cf: CaseFile,
    data: Any,
    out: Path | BinaryIO,
    *,
    fmt: str,
    generated_at: dt.datetime,
    record: tuple[str, str],
) -> BuiltReport:
    """Typeset ``data`` (any report's data) as PDF or Word, with the chain's head read after
    the data (so the anchor covers every change the report shows). A file written to a path
    is then recorded (``services.outputs``: kind and case number in ``record``); a stream
    (a preview on screen) is not."""
    from firecase.reports.clock_sheet import clock_sheet_document
    from firecase.reports.docx import write_docx
    from firecase.reports.evaluation import evaluation_document
    from firecase.reports.investigation import investigation_document
    from firecase.reports.pdf import write_pdf
    from firecase.reports.public import public_document

    if isinstance(data, PublicReportData):
        document = public_document(data, generated_at=generated_at)
    elif isinstance(data, EvaluationReportData):
        document = evaluation_document(data, generated_at=generated_at)
    elif isinstance(data, ClockSheetData):
        document = clock_sheet_document(data, generated_at=generated_at)
    else:
        document = investigation_document(data, generated_at=generated_at)
    anchor = chain_anchor(cf)
    document = with_anchor(document, anchor)
    if fmt == "docx":
        built = write_docx(document, out)
    else:
        built = write_pdf(document, out, fonts=font_config(get_settings(cf)))
    if isinstance(out, (str, PathLike)):
        record_output(cf, record[0], record[1], Path(out), anchor)
    return built


def write_public_version(
    cf: CaseFile,
    version: PublicVersion,
    out: Path | BinaryIO,
    *,
    generated_at: dt.datetime,
    fmt: str | None = None,
) -> BuiltReport:
    """Write exactly the public version ``version`` (as reviewed) to ``out``: the content is
    not read again, so the file published is the content the review approved."""
    kind = "public" if isinstance(version.data, PublicReportData) else "public_evaluation"
    return _write(
        cf,
        version.data,
        out,
        fmt=fmt or report_format(out),
        generated_at=generated_at,
        record=(kind, version.data.case_no),
    )


def _is_url(text: str) -> bool:
    return "://" in text


def report_command(args: argparse.Namespace) -> int:
    """``firecase report KIND CASE_NO --db PATH -o OUT.pdf|OUT.docx``: print one report to PDF,
    or to an editable Word document when the output ends ``.docx``."""
    out = Path(args.output)
    fmt = report_format(out)
    try:
        if not _is_url(str(args.db)) and not Path(args.db).is_file():
            raise CaseFileError(f"案卷文件不存在：{args.db}")
        if not out.parent.is_dir():
            raise CaseFileError(f"输出文件夹不存在：{out.parent}")
        with open_case_file(args.db, user=getattr(args, "user", None)) as cf:
            result = build_report(
                cf, args.kind, args.case_no, out, generated_at=dt.datetime.now(), fmt=fmt
            )
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    except OSError as exc:  # the output cannot be written (permissions, disk full, locked)
        print(f"错误：无法写入文件{out}：{exc.strerror or exc}")
        return 2
    name = REPORT_NAMES[args.kind]
    if args.kind in ("public", "public_evaluation"):
        with open_case_file(args.db, user=getattr(args, "user", None)) as cf:
            report = "investigation" if args.kind == "public" else "evaluation"
            mark = public_version(cf, args.case_no, report).draft_mark
        if mark:
            print(f"注意：这是{mark}，每页已标注（第二十一条）。")
    if fmt == "docx":  # Word lays the pages out itself: no page count to report
        print(f"已生成{name}（Word 文档）：{out}")
        return 0
    note = ""
    if result.fallback_chars:
        note = f"（{''.join(result.fallback_chars)} 用备用字体打印）"
    print(f"已生成{name}：{out}，共{result.pages}页{note}")
    return 0
