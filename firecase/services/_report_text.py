"""The wording of the printed reports drawn from a case: titles, the fire's time and place,
the opening, the team and its composition, the signatories, generated wording."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from firecase.reports.base import format_date
from firecase.reports.data import (
    CasualtyLossRow,
    EvaluationItemKind,
    EvidenceItem,
    Signatory,
)
from firecase.reports.wording import MEASURE, cite, cn_time, prose_area, prose_yuan
from firecase.services.dto import (
    CaseDetail,
    CaseSummary,
    MemberView,
    ReportWordingInput,
)
from firecase.services.reading import find_case_id, get_case
from firecase.services.settings import get_settings
from firecase.store import CaseFile

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
    """The 调查组 that signs the investigation report (落款, page header), as recorded
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
