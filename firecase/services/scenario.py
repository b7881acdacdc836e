"""Case scenarios: a whole case as JSON in, what FireCase shows as JSON out (SPEC §5).

``firecase scenario run FILE.json [--today D] [--keep PATH]`` builds a case file (temporary
unless ``--keep``), enters the scenario through the same service functions the GUI calls (no
rule is implemented twice), and prints the case as the program then shows it (``case_output``,
read from the same ``CaseDetail`` the workspace shows). ``firecase scenario export CASE_NO --db
PATH`` writes an existing case as a scenario, so a case seen in the GUI can become a test.

Bad input is a ``ScenarioError`` naming the key (``fire.date``, ``casualties[1].deaths``…):
the command prints it and exits with 2, never with a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from firecase.errors import FirecaseError
from firecase.services import (
    _clocks,
    cases,
    deadlines,
    evaluation,
    evidence,
    findings,
    guards,
    parties as parties_svc,
    persons,
    publication,
    reading,
    recommendations,
    recusal,
    reply as reply_svc,
    settings,
    team as team_svc,
)
from firecase.services.dto import (
    PERSON_ROLES,
    REPORT_SECTION_TITLES,
    RESPONSIBILITY_AREAS,
    AppraisalInput,
    CalendarDayInput,
    CaseDetail,
    CasualtyInput,
    CauseInput,
    ExtensionInput,
    FindingInput,
    IncidentInput,
    JudgementInput,
    MeasureInput,
    MemberInput,
    PartyInput,
    PersonInput,
    RecommendationInput,
    RecusalApplicationInput,
    RecusalDecisionInput,
    SettingsInput,
    TeamSetupInput,
)
from firecase.store import CaseFile, open_case_file

ACTOR = "scenario"

TOP_KEYS = frozenset(
    {
        "today",
        "settings",
        "calendar",
        "calendar_complete",
        "fire",
        "casualties",
        "judgements",
        "takeover",
        "team",
        "parties",
        "persons",
        "recusals",
        "appraisals",
        "extensions",
        "report",
        "reply",
        "recommendations",
        "handling",
        "sections",
        "findings",
        "causes",
        "measures",
        "confidential",
        "closed_on",
    }
)

PARTY_KINDS = {"person": "个人", "unit": "单位", "department": "政府部门"}
PARTY_KEYS = {v: k for k, v in PARTY_KINDS.items()}

CLOCK_KINDS = {
    "等级变化报告期": "grade_change",
    "调查期限": "investigation",
    "批复期限": "reply",
    "处理备案期限": "handling",
    "整改评估期限": "evaluation",
    "限期整改": "rectification",
    "整改期限": "rectification",
}


class ScenarioError(FirecaseError):
    """Bad scenario input; ``field`` is the key path, the message names it in Chinese."""


# --------------------------------------------------------------------------------------------
# reading the input
# --------------------------------------------------------------------------------------------


class _In:
    """A JSON object with its key path, for messages that name the key."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            raise ScenarioError(f"{path or '场景'}应为 JSON 对象（{{…}}）。", field=path)
        self.data, self.path = data, path

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, text: str) -> ScenarioError:
        return ScenarioError(f"{self.key(name)}：{text}", field=self.key(name))

    def only(self, allowed: set[str] | frozenset[str]) -> None:
        for name in self.data:
            if name not in allowed:
                raise self.fail(str(name), f"不认识的键（可用：{'、'.join(sorted(allowed))}）")

    def has(self, name: str) -> bool:
        return self.data.get(name) is not None

    def raw(self, name: str) -> Any:
        return self.data.get(name)

    def text(self, name: str, default: str | None = None) -> str:
        value = self.data.get(name)
        if value is None:
            if default is None:
                raise self.fail(name, "缺少此项")
            return default
        if not isinstance(value, str):
            raise self.fail(name, "应为字符串")
        return value

    def date(self, name: str, *, required: bool = True) -> dt.date | None:
        value = self.data.get(name)
        if value is None:
            if required:
                raise self.fail(name, "缺少日期（YYYY-MM-DD）")
            return None
        if not isinstance(value, str):
            raise self.fail(name, "日期应写成字符串 YYYY-MM-DD")
        return _iso_day(value, lambda text: self.fail(name, text))

    def need_date(self, name: str) -> dt.date:
        got = self.date(name)
        assert got is not None
        return got

    def integer(self, name: str, default: int | None = None) -> int:
        value = self.data.get(name)
        if value is None:
            if default is None:
                raise self.fail(name, "缺少此项")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(name, "应为整数")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(name, "应为 true 或 false")
        return value

    def money(self, name: str, default: str | None = None) -> Decimal:
        value = self.data.get(name, default)
        if value is None:
            raise self.fail(name, '缺少金额（元，字符串，如 "3200000"）')
        if not isinstance(value, str):
            raise self.fail(name, '金额应写成字符串（精确到分的元，如 "3200000.50"），不能用浮点数')
        try:
            amount = Decimal(value)
        except InvalidOperation:
            raise self.fail(name, f"“{value}”不是金额") from None
        if not amount.is_finite():
            raise self.fail(name, f"“{value}”不是金额")
        return amount

    def obj(self, name: str) -> _In | None:
        value = self.data.get(name)
        return None if value is None else _In(value, self.key(name))

    def items(self, name: str) -> list[_In]:
        value = self.data.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(name, "应为列表（[…]）")
        return [_In(x, f"{self.key(name)}[{i}]") for i, x in enumerate(value)]


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: str, fail: Callable[[str], ScenarioError]) -> dt.date:
    """A date written exactly ``YYYY-MM-DD`` (SPEC §5), between 1949-10-01 and 2200-12-31."""
    try:
        if not _ISO_DAY.fullmatch(value):
            raise ValueError(value)
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"“{value}”不是 YYYY-MM-DD 格式的日期") from None
    if not dt.date(1949, 10, 1) <= day <= dt.date(2200, 12, 31):
        raise fail(f"日期{value}超出合理范围")
    return day


@contextmanager
def _at(path: str, renames: dict[str, str] | None = None) -> Iterator[None]:
    """A service refusal while entering ``path`` becomes a ScenarioError naming that key
    (``renames``: the service's field name → the scenario's key)."""
    try:
        yield
    except ScenarioError:
        raise
    except FirecaseError as exc:
        field = (renames or {}).get(exc.field or "", exc.field)
        where = f"{path}.{field}" if field else path
        raise ScenarioError(f"{where}：{exc.message}", field=where) from exc


# --------------------------------------------------------------------------------------------
# entering a scenario through the services
# --------------------------------------------------------------------------------------------


def _ver(cf: CaseFile, case_id: int) -> int:
    return reading.get_case_summary(cf, case_id).version


def load_scenario(text: str) -> dict[str, Any]:
    """The scenario's JSON (ScenarioError when it is not JSON or not an object)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            f"场景文件不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）。", field=""
        ) from None
    except RecursionError:
        raise ScenarioError("场景文件嵌套过深。", field="") from None
    if not isinstance(data, dict):
        raise ScenarioError("场景应为 JSON 对象（{…}）。", field="")
    return data


def scenario_today(data: dict[str, Any], today: dt.date | None) -> dt.date:
    """``--today`` if given, else the scenario's ``today``, else the real date."""
    if today is not None:
        return today
    return _In(data, "").date("today", required=False) or dt.date.today()


def enter_scenario(cf: CaseFile, data: dict[str, Any], today: dt.date) -> int:
    """Enter ``data`` into ``cf`` through the services; returns the case id."""
    root = _In(data, "")
    root.only(TOP_KEYS)
    _settings(cf, root)
    _calendar(cf, root)
    fire = root.obj("fire")
    if fire is None:
        raise root.fail("fire", "缺少火灾信息（fire 是唯一必填的键）")
    incident = _incident(fire)
    records = root.items("casualties")
    first = records[0] if records else None
    case_id = _open(cf, incident, first, root, today)
    for i, rec in enumerate(records[1:], 1):
        with _at(f"casualties[{i}]"):
            data_in, entered = _casualty(rec, incident.fire_date)
            if entered > today:
                raise rec.fail("recorded_on", f"录入日期晚于场景的今天（{today.isoformat()}）")
            cases.add_casualty_update(cf, case_id, data_in, actor=ACTOR, today=entered)
    _judgements(cf, case_id, root, today)
    team = root.obj("team")
    members = _team(cf, case_id, team, incident.fire_date, today) if team is not None else {}
    party_ids = _parties(cf, case_id, root, today)
    _recusals(cf, case_id, root, members, party_ids, today)
    _appraisals(cf, case_id, root, today)
    _evidence_of_report(cf, case_id, root, today)
    takeover = root.obj("takeover")
    if takeover is not None:
        takeover.only({"by", "on"})
        with _at("takeover", {"taken_over_by": "by", "taken_over_on": "on"}):
            cases.record_takeover(
                cf,
                case_id,
                takeover.text("by"),
                takeover.need_date("on"),
                expected_version=_ver(cf, case_id),
                actor=ACTOR,
                today=today,
            )
    _extensions(cf, case_id, root, today)
    _milestones(cf, case_id, root, today)
    return case_id


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


def _appraisals(cf: CaseFile, case_id: int, root: _In, today: dt.date) -> None:
    for a in root.items("appraisals"):
        a.only({"kind", "subject", "agency", "commissioned_on", "opinion_on", "opinion"})
        opinion_on = a.date("opinion_on", required=False)
        with _at(a.path):
            evidence.commission_appraisal(
                cf,
                case_id,
                AppraisalInput(
                    kind=a.text("kind", "鉴定"),
                    subject=a.text("subject", "检验鉴定"),
                    agency=a.text("agency", "鉴定机构"),
                    commissioned_on=a.need_date("commissioned_on"),
                    opinion_on=opinion_on,
                    opinion=a.text("opinion", "已出具意见" if opinion_on else ""),
                ),
                actor=ACTOR,
                today=today,
            )


def _evidence_of_report(cf: CaseFile, case_id: int, root: _In, today: dt.date) -> None:
    """Report sections, findings, causes, recommendations and measures (before the 批复)."""
    sections = root.obj("sections")
    confidential = root.obj("confidential")
    secret_sections: set[int] = set()
    if confidential is not None:
        confidential.only({"sections", "fields", "names", "records"})
        raw = confidential.raw("sections") or []
        if not isinstance(raw, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 9 for n in raw
        ):
            raise confidential.fail("sections", "应为报告部分序号（1–9）的列表，如 [6]")
        secret_sections = set(raw)
        names = confidential.raw("names") or []
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise confidential.fail("names", '应为姓名的列表，如 ["胡小兵"]')
    if sections is not None:
        sections.only({str(n) for n in range(1, len(REPORT_SECTION_TITLES) + 1)})
    if 9 in secret_sections:  # 事故处理情况 is no report section: withheld as a part
        with _at("confidential.sections"):
            publication.set_redaction(
                cf, case_id, "section:9", True, "依法不予公开（第二十一条）", actor=ACTOR
            )
    for n in range(1, len(REPORT_SECTION_TITLES) + 1):
        body = sections.text(str(n), "") if sections is not None else ""
        if body or n in secret_sections:
            with _at(f"sections.{n}"):
                findings.save_report_section(
                    cf, case_id, n, body, confidential=n in secret_sections, actor=ACTOR
                )
    for f in root.items("findings"):
        f.only({"area", "target", "text"})
        with _at(f.path):
            findings.add_finding(
                cf,
                case_id,
                FindingInput(area=_area(f), subject=f.text("target"), text=f.text("text")),
                actor=ACTOR,
                today=today,
            )
    causes = root.obj("causes")
    if causes is not None:
        causes.only({"direct", "indirect"})
        texts = [("直接原因", causes.text("direct"))] if causes.has("direct") else []
        indirect = causes.raw("indirect") or []
        if not isinstance(indirect, list) or not all(isinstance(t, str) for t in indirect):
            raise causes.fail("indirect", "应为字符串列表")
        texts += [("间接原因", t) for t in indirect]
        for kind, text in texts:
            with _at("causes"):
                findings.add_cause(cf, case_id, CauseInput(kind=kind, text=text), actor=ACTOR)
    for r in root.items("recommendations"):
        r.only({"target", "target_kind", "area", "kind", "text", "basis", "authority"})
        with _at(r.path):
            recommendations.add_recommendation(
                cf,
                case_id,
                RecommendationInput(
                    target_kind=r.text("target_kind", "个人"),
                    target_name=r.text("target"),
                    area=_area(r),
                    kind=r.text("kind"),
                    basis=r.text("basis", ""),
                    authority=r.text("authority"),
                    text=r.text("text", ""),
                ),
                actor=ACTOR,
                today=today,
            )
    fire_date = reading.get_case_summary(cf, case_id).fire_date
    for x in root.items("measures"):
        x.only({"text", "unit", "set_on", "deadline", "done_on", "status"})
        with _at(x.path):
            evaluation.add_measure(
                cf,
                case_id,
                MeasureInput(
                    text=x.text("text"),
                    responsible=x.text("unit"),
                    set_on=x.date("set_on", required=False) or fire_date,
                    deadline=x.date("deadline", required=False),
                    done_on=x.date("done_on", required=False),
                    status=x.text("status", "未落实"),
                ),
                actor=ACTOR,
                today=today,
            )
    if confidential is not None:
        fields = confidential.raw("fields") or []
        if not isinstance(fields, list) or not all(isinstance(k, str) for k in fields):
            raise confidential.fail("fields", '应为字段名的列表，如 ["unit_name"]')
        records = confidential.raw("records") or []
        if not isinstance(records, list) or not all(isinstance(k, str) for k in records):
            raise confidential.fail("records", '应为记录的列表，如 ["recommendation:1"]')
        names = confidential.raw("names") or []
        withheld = [
            ("confidential.fields", k if "." in k or ":" in k else f"case.{k}", "依法不予公开")
            for k in fields
        ]
        withheld += [("confidential.names", f"name:{n.strip()}", "姓名依法不予公开") for n in names]
        for where, key, reason in withheld:
            with _at(where):
                publication.set_redaction(
                    cf, case_id, key, True, f"{reason}（第二十一条）", actor=ACTOR, today=today
                )
        for key in records:
            with _at("confidential.records"):
                publication.set_redaction(
                    cf,
                    case_id,
                    _record_key(cf, case_id, key),
                    True,
                    "依法不予公开（第二十一条）",
                    actor=ACTOR,
                    today=today,
                )


_RECORD_KINDS = {
    "cause": "causes",
    "finding": "findings",
    "recommendation": "recommendations",
    "measure": "measures",
    "evidence": "evidence",
    "dissent": "dissents",
    "task": "handling_tasks",
}

_RECORD_NAMES = {
    "cause": "起火原因",
    "finding": "责任认定",
    "recommendation": "处理建议",
    "measure": "整改措施",
    "evidence": "证据",
    "dissent": "不同意见",
    "task": "处理任务",
}


def _record_key(cf: CaseFile, case_id: int, key: str) -> str:
    """A scenario's "recommendation:2" (the second recommendation, in the order entered) as
    the stored key of that record ("recommendation:<id>")."""
    kind, _, number = key.partition(":")
    if kind not in _RECORD_KINDS or not number.isdigit():
        raise ScenarioError(
            f"confidential.records：“{key}”应为“类别:序号”，类别为 "
            + "、".join(_RECORD_KINDS)
            + "，如 recommendation:1",
            field="confidential.records",
        )
    records = getattr(reading.get_case(cf, case_id), _RECORD_KINDS[kind])
    if not 1 <= int(number) <= len(records):
        raise ScenarioError(
            f"confidential.records：没有第{number}条{_RECORD_NAMES[kind]}（{kind}）。",
            field="confidential.records",
        )
    return f"{kind}:{records[int(number) - 1].id}"


def _export_confidential(d: Any) -> dict[str, Any]:
    """The ``confidential`` key of an exported scenario (record ids as positions)."""
    secret = [s.number for s in d.report_sections if s.confidential]
    fields: list[str] = []
    names: list[str] = []
    records: list[str] = []
    parties = {p.id: p.name for p in d.parties}
    positions: dict[str, int] = {}
    for kind, attr in _RECORD_KINDS.items():
        for i, x in enumerate(getattr(d, attr), 1):
            positions[f"{kind}:{x.id}"] = i
    for r in d.publication.redactions:
        key = r.field_key
        if key.startswith("case."):
            fields.append(key.removeprefix("case."))
        elif key == "section:9" or (key.startswith("section:") and int(key[8:]) not in secret):
            secret.append(int(key[8:]))
        elif key.startswith("name:"):
            names.append(key.removeprefix("name:"))
        elif key.startswith("party:") and key.endswith(".name"):
            pid = int(key[len("party:") : -len(".name")])
            if pid in parties:
                names.append(parties[pid])
        elif key in positions:
            records.append(f"{key.partition(':')[0]}:{positions[key]}")
    out: dict[str, Any] = {}
    if secret:
        out["sections"] = sorted(set(secret))
    if fields:
        out["fields"] = fields
    if names:
        out["names"] = names
    if records:
        out["records"] = records
    return out


def _area(item: _In) -> str:
    area = item.integer("area")
    if not 1 <= area <= len(RESPONSIBILITY_AREAS):
        raise item.fail("area", "应为 1–4（第十六条第一项至第四项）")
    return RESPONSIBILITY_AREAS[area - 1]


def _extensions(cf: CaseFile, case_id: int, root: _In, today: dt.date) -> None:
    for e in root.items("extensions"):
        e.only(
            {
                "days",
                "requested_on",
                "reason",
                "approved_by",
                "approved_on",
                "ref",
                "late",
                "confirmed_on",
            }
        )
        approved = e.date("approved_on", required=False)
        confirmed = e.date("confirmed_on", required=False)
        with _at(e.path):
            view = deadlines.request_extension(
                cf,
                case_id,
                ExtensionInput(
                    days=e.integer("days"),
                    requested_on=e.date("requested_on", required=False) or approved or today,
                    reason=e.text("reason", "情况复杂疑难"),
                    approved_on=approved,
                    approved_by=e.text("approved_by", ""),
                    approval_ref=e.text("ref", ""),
                    late_ack=e.flag("late"),
                ),
                actor=ACTOR,
                today=today,
            )
            if confirmed is not None:
                if confirmed > today:
                    raise e.fail("confirmed_on", f"确认日期晚于场景的今天（{today.isoformat()}）")
                deadlines.confirm_late_extension(
                    cf, view.id, expected_version=view.version, actor=ACTOR, today=confirmed
                )


def _milestones(cf: CaseFile, case_id: int, root: _In, today: dt.date) -> None:
    report = root.obj("report")
    if report is not None:
        report.only({"submitted_on", "signed_on", "received_on", "reason"})
        submitted = report.date("submitted_on", required=False)
        if submitted is not None:
            with _at(
                "report",
                {
                    "report_submitted_on": "submitted_on",
                    "report_signed_on": "signed_on",
                    "override_reason": "reason",
                },
            ):
                reply_svc.record_report_submitted(
                    cf,
                    case_id,
                    submitted,
                    signed_on=report.date("signed_on", required=False),
                    expected_version=_ver(cf, case_id),
                    override_reason=report.text("reason", ""),
                    actor=ACTOR,
                    today=today,
                )
        received = report.date("received_on", required=False)
        if received is not None:
            with _at("report", {"report_received_on": "received_on"}):
                reply_svc.record_report_received(
                    cf,
                    case_id,
                    received,
                    expected_version=_ver(cf, case_id),
                    actor=ACTOR,
                    today=today,
                )
    reply = root.obj("reply")
    if reply is not None:
        reply.only({"on", "ref", "summary", "reason"})
        with _at(
            "reply",
            {
                "reply_on": "on",
                "reply_ref": "ref",
                "reply_summary": "summary",
                "override_reason": "reason",
            },
        ):
            reply_svc.record_reply(
                cf,
                case_id,
                reply.need_date("on"),
                reply.text("ref", "批复"),
                reply.text("summary", ""),
                expected_version=_ver(cf, case_id),
                override_reason=reply.text("reason", ""),
                actor=ACTOR,
                today=today,
            )
    _handling(cf, case_id, root, today)
    closed = root.date("closed_on", required=False)
    if closed is not None:
        with _at("closed_on"):
            reply_svc.record_closure(
                cf, case_id, closed, expected_version=_ver(cf, case_id), actor=ACTOR, today=today
            )


def _handling(cf: CaseFile, case_id: int, root: _In, today: dt.date) -> None:
    """``handling``: the handling tasks' reports and 备案 (by authority), tasks added by hand,
    and tasks removed (an extension of SPEC §5; ``scenario export`` writes it)."""
    from firecase.services.dto import HandlingTaskInput

    for h in root.items("handling"):
        h.only({"authority", "task", "reported_on", "filed_on", "result", "removed", "reason"})
        authority = h.text("authority")
        detail = reading.get_case(cf, case_id, today=today)
        task = next(
            (t for t in detail.handling_tasks if t.department == authority and not t.removed_on),
            None,
        )
        values = HandlingTaskInput(
            department=authority,
            task=h.text("task", task.task if task else "按政府批复处理"),
            reported_on=h.date("reported_on", required=False),
            filed_on=h.date("filed_on", required=False),
            result=h.text("result", ""),
        )
        with _at(h.path):
            if task is None:
                task = reply_svc.add_handling_task(cf, case_id, values, actor=ACTOR, today=today)
            else:
                task = reply_svc.update_handling_task(
                    cf, task.id, values, expected_version=task.version, actor=ACTOR, today=today
                )
            if h.flag("removed"):
                reply_svc.remove_handling_task(
                    cf,
                    task.id,
                    expected_version=task.version,
                    reason=h.text("reason", ""),
                    actor=ACTOR,
                    today=today,
                )


# --------------------------------------------------------------------------------------------
# what the program shows
# --------------------------------------------------------------------------------------------


def _clock_status(status: str, paused: bool, overdue: bool, done: bool) -> str:
    if status == _clocks.NOT_APPLICABLE:
        return "not_applicable"
    if done:
        return "done"
    if status == _clocks.CANNOT_COMPUTE:
        return "cannot_compute"
    if paused:
        return "paused"
    if overdue:
        return "overdue"
    return "running"


def case_output(d: CaseDetail) -> dict[str, Any]:
    """What the program shows of a case (SPEC §5 output), from the workspace's ``CaseDetail``."""
    inc = d.inclusion
    alerts = ["escalation"] if d.escalation is not None else []
    return {
        "grade": d.case.grade,
        "standard": d.grade_standard_id,
        "counted": {"deaths": d.deaths, "serious_injuries": d.serious_injuries},
        "included": bool(d.case.included),
        "clauses": list(inc.clauses) if inc is not None else [],
        "in_scope": d.scope.in_scope,
        "jurisdiction": d.jurisdiction_authority,
        "alerts": alerts,
        "warnings": [w.code for w in d.warnings],
        "clocks": [
            {
                "kind": CLOCK_KINDS.get(c.label, c.kind),
                "authority": c.subject or None,
                "due": c.due.isoformat() if c.due else None,
                "status": _clock_status(c.status, c.paused, c.overdue, c.done_on is not None),
                "provisional": bool(getattr(c, "provisional", False)),
            }
            for c in d.clocks
        ],
        "recusal_flags": [
            {"member": f.member_name, "party": f.party_name, "ground": _ground(f.ground)}
            for f in d.recusal_flags
        ],
        "case_no": d.case.case_no,
        **(
            {"reasons": [{"guard": r.guard, "reason": r.reason} for r in d.guard_reasons]}
            if d.guard_reasons
            else {}
        ),
    }


def _ground(text: str) -> int:
    for i, numeral in enumerate("一二三", 1):
        if f"第{numeral}项" in text:
            return i
    return 0


def run_scenario(
    data: dict[str, Any], *, today: dt.date | None = None, keep: Path | None = None
) -> dict[str, Any]:
    """Enter a scenario into a new case file and return what the program shows (SPEC §5)."""
    now = scenario_today(data, today)
    if keep is not None:
        if keep.exists():
            raise ScenarioError(f"--keep：文件已存在：{keep}", field="keep")
        if not keep.parent.is_dir():
            raise ScenarioError(f"--keep：文件夹不存在：{keep.parent}", field="keep")
        try:
            return _run_in(keep, data, now)
        except BaseException:
            # nothing half-built is kept: the next run with the same --keep starts afresh
            for leftover in (keep, *keep.parent.glob(keep.name + "*")):
                leftover.unlink(missing_ok=True)
            raise
    with tempfile.TemporaryDirectory(prefix="firecase-scenario-") as folder:
        return _run_in(Path(folder) / "scenario.sqlite", data, now)


def _run_in(path: Path, data: dict[str, Any], today: dt.date) -> dict[str, Any]:
    with open_case_file(path, user=ACTOR) as cf:
        case_id = enter_scenario(cf, data, today)
        return case_output(reading.get_case(cf, case_id, today=today))


# --------------------------------------------------------------------------------------------
# export: an existing case as a scenario
# --------------------------------------------------------------------------------------------


def export_scenario(d: CaseDetail, *, roll_to_workday: bool = True) -> dict[str, Any]:
    """The scenario that builds ``d`` again (the same output when run on ``d.today``)."""
    c = d.case
    iso: Callable[[dt.date | None], str | None] = lambda x: x.isoformat() if x else None  # noqa: E731
    areas = {a: i for i, a in enumerate(RESPONSIBILITY_AREAS, 1)}
    members = {x.id: x.name for x in d.members}
    out: dict[str, Any] = {
        "today": d.today.isoformat(),
        "settings": {"roll_to_workday": roll_to_workday},
        "fire": {
            "date": c.fire_date.isoformat(),
            "time": c.fire_time,
            "title": c.title,
            "place": c.place,
            "address": c.address,
            "unit": c.unit_name,
            "type": c.fire_type,
            "property_loss_yuan": str(c.property_loss_yuan),
            "economic_loss_yuan": str(c.economic_loss_yuan),
            "households": c.households_affected,
            "summary": c.summary,
            **({"burned_area_m2": f"{c.burned_area_m2:f}"} if c.burned_area_m2 is not None else {}),
            **({"nature": c.nature} if c.nature else {}),
        },
        "casualties": [
            {
                "as_of": iso(u.as_of or u.recorded_on),
                "recorded_on": iso(u.recorded_on),
                "deaths": u.deaths,
                "serious_injuries": u.serious_injuries,
                "minor_injuries": u.minor_injuries,
                "note": u.note,
            }
            for u in d.casualty_updates
        ],
    }
    if d.inclusion is not None:
        j = d.inclusion.judgement
        judgements = []
        if j.social_impact:
            judgements.append(
                {
                    "clause": 3,
                    "decided_by": j.social_impact_by,
                    "decided_on": iso(j.social_impact_on),
                    "reason": j.social_impact_reason,
                }
            )
        if j.deemed_necessary:
            judgements.append(
                {
                    "clause": 4,
                    "decided_by": j.deemed_by,
                    "decided_on": iso(j.deemed_on),
                    "reason": j.deemed_reason,
                }
            )
        if judgements:
            out["judgements"] = judgements
    if c.taken_over_on is not None:
        out["takeover"] = {"by": c.taken_over_by, "on": iso(c.taken_over_on)}
    if d.members or c.team_formed_on:
        out["team"] = {
            "formed_on": iso(c.team_formed_on),
            "authorised_fire_agency": c.team_authorised_fire_agency,
            **({"document_no": c.team_document_no} if c.team_document_no else {}),
            **({"formed_by": c.team_formed_by} if c.team_formed_by else {}),
            "members": [
                {
                    "name": x.name,
                    "organisation": x.organisation,
                    "body": x.body,
                    "role": x.role,
                    "title": x.title,
                    "joined_on": iso(x.joined_on),
                    "relatives": _export_relatives(x),
                }
                for x in d.members
            ],
        }
    if d.parties:
        out["parties"] = [
            {
                "name": p.name,
                "kind": PARTY_KEYS.get(p.kind, "person"),
                "role": p.role,
                "organisation": p.organisation,
                "relatives": _export_relatives(p),
            }
            for p in d.parties
        ]
    if d.persons:
        out["persons"] = [
            {
                k: val
                for k, val in (
                    ("name", x.name),
                    ("role", x.role),
                    ("sex", x.sex),
                    ("age", x.age),
                    ("id_no", x.id_no),
                    ("phone", x.phone),
                    ("note", x.note),
                )
                if val not in ("", None)
            }
            for x in d.persons
        ]
    parties = {p.id: p.name for p in d.parties}
    if d.recusals:
        out["recusals"] = [
            {
                "member": members.get(r.member_id, r.member_name),
                "applicant": r.applicant,
                "applicant_kind": r.applicant_kind,
                "ground": r.ground,
                "reason": r.reason,
                "party": parties.get(r.party_id) if r.party_id is not None else None,
                "applied_on": iso(r.applied_on),
                **(
                    {
                        "decision": r.decision,
                        "decided_by": r.decided_by,
                        "decided_on": iso(r.decided_on),
                        "decision_reason": r.decision_reason,
                    }
                    if r.decision
                    else {}
                ),
            }
            for r in d.recusals
        ]
    if d.appraisals:
        out["appraisals"] = [
            {
                "kind": a.kind,
                "subject": a.subject,
                "agency": a.agency,
                "commissioned_on": iso(a.commissioned_on),
                "opinion_on": iso(a.opinion_on),
                "opinion": a.opinion,
            }
            for a in d.appraisals
        ]
    if d.extensions:
        out["extensions"] = [
            {
                "days": e.days,
                "requested_on": iso(e.requested_on),
                "reason": e.reason,
                "approved_by": e.approved_by,
                "approved_on": iso(e.approved_on),
                "ref": e.approval_ref,
                "late": e.approved_late,
                "confirmed_on": iso(e.late_confirmed_on),
            }
            for e in d.extensions
        ]
    report = {
        "submitted_on": iso(c.report_submitted_on),
        "signed_on": iso(c.report_signed_on),
        "received_on": iso(c.report_received_on),
    }
    given = {r.guard: r.reason for r in d.guard_reasons if r.entity == "cases"}
    if any(report.values()):
        out["report"] = report
        if guards.OPEN_APPRAISAL in given:
            report["reason"] = given[guards.OPEN_APPRAISAL]
    if c.reply_on is not None:
        out["reply"] = {"on": iso(c.reply_on), "ref": c.reply_ref, "summary": c.reply_summary}
        if guards.REPLY_BEFORE_RECEIPT in given:
            out["reply"]["reason"] = given[guards.REPLY_BEFORE_RECEIPT]
    if d.recommendations:
        out["recommendations"] = [
            {
                "target": r.target_name,
                "target_kind": r.target_kind,
                "area": areas.get(r.area, 1),
                "kind": r.kind,
                "text": r.text,
                "basis": r.basis,
                "authority": r.authority,
            }
            for r in d.recommendations
        ]
    if d.handling_tasks:
        out["handling"] = [
            {
                "authority": t.department,
                "task": t.task,
                "reported_on": iso(t.reported_on),
                "filed_on": iso(t.filed_on),
                "result": t.result,
                "removed": t.removed_on is not None,
                "reason": t.removed_reason,
            }
            for t in d.handling_tasks
        ]
    sections = {str(s.number): s.body for s in d.report_sections if s.body}
    if sections:
        out["sections"] = sections
    if d.findings:
        out["findings"] = [
            {"area": areas.get(f.area, 1), "target": f.subject, "text": f.text} for f in d.findings
        ]
    direct = [x.text for x in d.causes if x.kind == "直接原因"]
    indirect = [x.text for x in d.causes if x.kind == "间接原因"]
    if direct or indirect:
        out["causes"] = {"direct": "\n".join(direct) or None, "indirect": indirect}
    if d.measures:
        out["measures"] = [
            {
                "text": x.text,
                "unit": x.responsible,
                "set_on": iso(x.set_on),
                "deadline": iso(x.deadline),
                "done_on": iso(x.done_on),
                "status": x.status,
            }
            for x in d.measures
        ]
    confidential = _export_confidential(d)
    if confidential:
        out["confidential"] = confidential
    if c.closed_on is not None:
        out["closed_on"] = iso(c.closed_on)
    return out


def _export_relatives(x: Any) -> list[dict[str, str]]:
    detail = getattr(x, "relatives_detail", ())
    if detail:
        return [{"name": r.name, "relation": r.relation} for r in detail]
    return [{"name": name, "relation": ""} for name in x.relatives]


# --------------------------------------------------------------------------------------------
# the command
# --------------------------------------------------------------------------------------------


def _print_json(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def scenario_command(args: argparse.Namespace) -> int:
    """``firecase scenario run FILE.json [--today D] [--keep PATH]`` and ``firecase scenario
    export CASE_NO --db PATH``: JSON on standard output; bad input exits with 2."""
    try:
        today = None
        if getattr(args, "today", None):
            today = _iso_day(
                args.today, lambda text: ScenarioError(f"--today：{text}", field="today")
            )
        if args.action == "run":
            path = Path(args.file)
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise ScenarioError(f"无法读取场景文件 {path}：{exc}", field="file") from None
            keep = Path(args.keep) if args.keep else None
            _print_json(run_scenario(load_scenario(text), today=today, keep=keep))
            return 0
        if "://" not in args.db and not Path(args.db).is_file():
            raise ScenarioError(f"--db：案卷文件不存在：{args.db}", field="db")
        with open_case_file(args.db, user=ACTOR) as cf:
            case_id = reading.find_case_id(cf, args.case_no)
            detail = reading.get_case(cf, case_id, today=today)
            roll = settings.get_settings(cf).roll_to_workday
        _print_json(export_scenario(detail, roll_to_workday=roll))
        return 0
    except FirecaseError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. --keep in a folder that cannot be written
        print(f"错误：无法写入文件：{exc.filename or ''}（{exc.strerror or exc}）", file=sys.stderr)
        return 2
