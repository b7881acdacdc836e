"""Entering a scenario: the case-level part (settings, calendar, incident, casualties,
judgements, team, parties, recusals)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from firecase.errors import FirecaseError
from firecase.services import (
    cases,
    parties as parties_svc,
    persons,
    reading,
    recusal,
    settings,
    team as team_svc,
)
from firecase.services._scenario_input import ACTOR, PARTY_KINDS, ScenarioError, _at, _In
from firecase.services.dto import (
    PERSON_ROLES,
    CalendarDayInput,
    CasualtyInput,
    IncidentInput,
    JudgementInput,
    MemberInput,
    PartyInput,
    PersonInput,
    RecusalApplicationInput,
    RecusalDecisionInput,
    SettingsInput,
    TeamSetupInput,
)
from firecase.store import CaseFile

# --------------------------------------------------------------------------------------------
# entering a scenario through the services
# --------------------------------------------------------------------------------------------


def _ver(cf: CaseFile, case_id: int) -> int:
    return reading.get_case_summary(cf, case_id).version


def _settings(cf: CaseFile, root: _In) -> None:
    s = root.obj("settings")
    if s is None:
        return
    s.only({"roll_to_workday", "organisation_name", "case_no_prefix"})
    now = settings.get_settings(cf)
    with _at("settings"):
        settings.update_settings(
            cf,
            SettingsInput(
                organisation_name=s.text("organisation_name", now.organisation_name),
                case_no_prefix=s.text("case_no_prefix", now.case_no_prefix),
                roll_to_workday=s.flag("roll_to_workday", now.roll_to_workday),
                report_title_font=now.report_title_font,
                report_body_font=now.report_body_font,
                report_heading1_font=now.report_heading1_font,
                report_heading2_font=now.report_heading2_font,
            ),
            expected_version=now.version,
            actor=ACTOR,
        )


def _calendar(cf: CaseFile, root: _In) -> None:
    complete_raw = root.raw("calendar_complete")
    complete: list[int] = []
    if complete_raw is not None:
        if not isinstance(complete_raw, list) or not all(
            isinstance(y, int) and not isinstance(y, bool) for y in complete_raw
        ):
            raise root.fail("calendar_complete", "应为年份的列表，如 [2027]")
        complete = list(complete_raw)
    by_year: dict[int, list[CalendarDayInput]] = {}
    singles: list[tuple[str, CalendarDayInput]] = []
    for entry in root.items("calendar"):
        entry.only({"date", "rest", "name"})
        day = entry.need_date("date")
        rest = entry.flag("rest", True)
        if rest == (day.weekday() >= 5):
            continue  # a weekend rest day or a weekday workday: the calendar's default already
        item = CalendarDayInput(
            day=day, kind="holiday" if rest else "workday", name=entry.text("name", "")
        )
        if day.year in complete:
            by_year.setdefault(day.year, []).append(item)
        else:
            singles.append((entry.path, item))
    years = set(settings.get_calendar(cf).years)
    for year in complete:
        with _at("calendar_complete"):
            if year in years:
                for item in by_year.get(year, []):
                    settings.set_calendar_day(cf, item, actor=ACTOR)
            else:
                settings.add_calendar_year(cf, year, tuple(by_year.get(year, [])), actor=ACTOR)
    for path, item in singles:
        with _at(path):
            settings.set_calendar_day(cf, item, actor=ACTOR)


def _incident(fire: _In) -> IncidentInput:
    fire.only(
        {
            "date",
            "time",
            "title",
            "place",
            "address",
            "unit",
            "type",
            "property_loss_yuan",
            "economic_loss_yuan",
            "households",
            "summary",
            "burned_area_m2",
            "nature",
        }
    )
    place = fire.text("place", "天门市")
    unit = fire.text("unit", "")
    households = fire.raw("households")
    if households is not None and (isinstance(households, bool) or not isinstance(households, int)):
        raise fire.fail("households", "应为整数")
    prop = fire.money("property_loss_yuan", "0")
    area = fire.raw("burned_area_m2")
    if area is not None and (isinstance(area, (bool, float)) or not isinstance(area, (int, str))):
        raise fire.fail(
            "burned_area_m2", '过火面积应为平方米数，写成整数或字符串（如 320 或 "320.5"）'
        )
    return IncidentInput(
        title=fire.text("title", f"{unit or place}火灾"),
        fire_date=fire.need_date("date"),
        place=place,
        fire_type=fire.text("type", "建筑火灾"),
        property_loss_yuan=prop,
        economic_loss_yuan=fire.money("economic_loss_yuan", str(prop)),
        fire_time=fire.text("time", ""),
        address=fire.text("address", ""),
        unit_name=unit,
        households_affected=households,
        summary=fire.text("summary", ""),
        burned_area_m2=area,
        nature=fire.text("nature", ""),
    )


def _casualty(rec: _In, fire_date: dt.date) -> tuple[CasualtyInput, dt.date]:
    rec.only({"as_of", "recorded_on", "deaths", "serious_injuries", "minor_injuries", "note"})
    as_of = rec.date("as_of", required=False) or fire_date
    entered = rec.date("recorded_on", required=False) or as_of
    return (
        CasualtyInput(
            as_of=as_of,
            deaths=rec.integer("deaths", 0),
            serious_injuries=rec.integer("serious_injuries", 0),
            minor_injuries=rec.integer("minor_injuries", 0),
            note=rec.text("note", ""),
        ),
        entered,
    )


def _open(
    cf: CaseFile, incident: IncidentInput, first: _In | None, root: _In, today: dt.date
) -> int:
    if incident.fire_date > today:
        raise root.fail("fire", f"起火日期晚于场景的今天（{today.isoformat()}）")
    if first is not None:
        with _at("casualties[0]"):
            data, entered = _casualty(first, incident.fire_date)
    else:
        data, entered = CasualtyInput(incident.fire_date, 0, 0), incident.fire_date
    if entered > today:
        raise ScenarioError(
            f"casualties[0].recorded_on：录入日期晚于场景的今天（{today.isoformat()}）",
            field="casualties[0].recorded_on",
        )
    try:
        summary = cases.open_case(cf, incident, data, actor=ACTOR, today=entered)
    except FirecaseError as exc:
        field = exc.field or ""
        if field in CASUALTY_KEYS:
            where = f"casualties[0].{field}"
        else:
            where = f"fire.{FIRE_KEYS.get(field, field)}" if field else "fire"
        raise ScenarioError(f"{where}：{exc.message}", field=where) from exc
    return summary.id


CASUALTY_KEYS = frozenset(
    {"as_of", "recorded_on", "deaths", "serious_injuries", "minor_injuries", "note"}
)
FIRE_KEYS = {
    "fire_date": "date",
    "fire_time": "time",
    "unit_name": "unit",
    "fire_type": "type",
    "households_affected": "households",
}
"""Service field names → the scenario's keys of ``fire``."""


def _judgements(cf: CaseFile, case_id: int, root: _In, today: dt.date) -> None:
    values: dict[str, Any] = {}
    where: dict[str, str] = {}  # the service's field → the judgement's key path
    for j in root.items("judgements"):
        j.only({"clause", "decided_by", "decided_on", "reason"})
        clause = j.integer("clause")
        if clause not in (3, 4):
            raise j.fail("clause", "只有第五条第三项、第四项是判断，应为 3 或 4")
        prefix = "social_impact" if clause == 3 else "deemed"
        flag = "social_impact" if clause == 3 else "deemed_necessary"
        values[flag] = True
        values[f"{prefix}_by"] = j.text("decided_by")
        values[f"{prefix}_on"] = j.need_date("decided_on")
        values[f"{prefix}_reason"] = j.text("reason")
        for suffix, key in (("by", "decided_by"), ("on", "decided_on"), ("reason", "reason")):
            where[f"{prefix}_{suffix}"] = f"{j.path}.{key}"
    if values:
        try:
            cases.record_judgement(cf, case_id, JudgementInput(**values), actor=ACTOR, today=today)
        except FirecaseError as exc:
            key = where.get(exc.field or "", "judgements")
            raise ScenarioError(f"{key}：{exc.message}", field=key) from exc


def _relatives(member: _In) -> tuple[Any, ...]:
    out: list[Any] = []
    for r in member.items("relatives"):
        r.only({"name", "relation"})
        name, relation = r.text("name"), r.text("relation", "")
        out.append(_relative(name, relation))
    return tuple(out)


def _relative(name: str, relation: str) -> Any:
    """A relative as the services take it (``Relative`` where the services know it)."""
    from firecase.services import dto

    cls = getattr(dto, "Relative", None)
    if cls is not None:
        return cls(name=name, relation=relation)
    return f"{name}（{relation}）" if relation else name


def _team(
    cf: CaseFile, case_id: int, team: _In, fire_date: dt.date, today: dt.date
) -> dict[str, int]:
    team.only({"formed_on", "authorised_fire_agency", "document_no", "formed_by", "members"})
    formed = team.date("formed_on", required=False)
    for key in ("document_no", "formed_by"):
        if formed is None and team.data.get(key) is not None:
            raise team.fail(key, "须同时给出调查组成立日期 formed_on")
    if formed is not None:
        with _at("team"):
            cases.set_team_setup(
                cf,
                case_id,
                TeamSetupInput(
                    formed_on=formed,
                    authorised_fire_agency=team.flag("authorised_fire_agency"),
                    document_no=team.text("document_no", ""),
                    formed_by=team.text("formed_by", ""),
                ),
                expected_version=_ver(cf, case_id),
                actor=ACTOR,
                today=today,
            )
    ids: dict[str, int] = {}
    for member in team.items("members"):
        member.only({"name", "organisation", "body", "role", "title", "relatives", "joined_on"})
        with _at(member.path):
            view = team_svc.add_member(
                cf,
                case_id,
                MemberInput(
                    name=member.text("name"),
                    organisation=member.text("organisation"),
                    body=member.text("body"),
                    role=member.text("role", "成员"),
                    joined_on=member.date("joined_on", required=False) or formed or fire_date,
                    title=member.text("title", ""),
                    relatives=_relatives(member),
                ),
                actor=ACTOR,
                today=today,
            )
        ids[view.name] = view.id
    return ids


def _parties(cf: CaseFile, case_id: int, root: _In, today: dt.date) -> dict[str, int]:
    ids: dict[str, int] = {}
    for p in root.items("parties"):
        p.only({"name", "kind", "role", "organisation", "relatives"})
        kind = p.text("kind", "person")
        if kind not in PARTY_KINDS:
            raise p.fail("kind", "应为 person、unit 或 department")
        with _at(p.path):
            view = parties_svc.add_party(
                cf,
                case_id,
                PartyInput(
                    kind=PARTY_KINDS[kind],
                    name=p.text("name"),
                    role=p.text("role", "当事人"),
                    organisation=p.text("organisation", ""),
                    relatives=_relatives(p),
                ),
                actor=ACTOR,
                today=today,
            )
        ids[view.name] = view.id
    for person in root.items("persons"):
        person.only({"name", "role", "sex", "age", "id_no", "phone", "note"})
        age: int | None = None
        if person.has("age") and person.raw("age") is not None:
            age = person.integer("age")
            if not 0 <= age <= 150:
                raise person.fail("age", "年龄应在0–150之间")
        role = person.text("role")
        if role not in PERSON_ROLES:
            raise person.fail("role", "应为 " + "、".join(PERSON_ROLES) + " 之一")
        with _at(person.path):
            persons.add_person(
                cf,
                case_id,
                PersonInput(
                    role=role,
                    name=person.text("name"),
                    sex=person.text("sex", ""),
                    age=age,
                    id_no=person.text("id_no", ""),
                    phone=person.text("phone", ""),
                    note=person.text("note", ""),
                ),
                actor=ACTOR,
                today=today,
            )
    return ids


def _recusals(
    cf: CaseFile,
    case_id: int,
    root: _In,
    members: dict[str, int],
    party_ids: dict[str, int],
    today: dt.date,
) -> None:
    for r in root.items("recusals"):
        r.only(
            {
                "member",
                "applicant",
                "applicant_kind",
                "ground",
                "reason",
                "party",
                "applied_on",
                "decision",
                "decided_by",
                "decided_on",
                "decision_reason",
            }
        )
        name = r.text("member")
        if name not in members:
            raise r.fail("member", f"调查组中没有“{name}”")
        applicant = r.text("applicant", name)
        kind = r.text("applicant_kind", "本人" if applicant == name else "当事人")
        party = r.raw("party")
        with _at(r.path, {"decided_by_member_id": "decided_by", "reason": "decision_reason"}):
            view = recusal.apply_recusal(
                cf,
                case_id,
                RecusalApplicationInput(
                    member_id=members[name],
                    applicant=applicant,
                    applicant_kind=kind,
                    ground=r.integer("ground", 1),
                    reason=r.text("reason", "申请回避"),
                    applied_on=r.need_date("applied_on"),
                    party_id=party_ids.get(party) if isinstance(party, str) else None,
                ),
                actor=ACTOR,
                today=today,
            )
            if r.has("decision"):
                decided_by = r.text("decided_by")
                extra: dict[str, Any] = {}
                if "decided_by_member_id" in RecusalDecisionInput.__dataclass_fields__:
                    extra["decided_by_member_id"] = members.get(decided_by)
                recusal.decide_recusal(
                    cf,
                    view.id,
                    RecusalDecisionInput(
                        decision=r.text("decision"),
                        decided_on=r.need_date("decided_on"),
                        decided_by=decided_by,
                        reason=r.text("decision_reason", "经审查作出决定"),
                        **extra,
                    ),
                    expected_version=view.version,
                    actor=ACTOR,
                    today=today,
                )
