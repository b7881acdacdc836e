"""The three register imports inside one unit of work: cases, members, parties.

Each takes the rows read from the sheet (``_register_fields.Row``), hands every one to the
services' own validation — ``cases._incident_values`` / ``_casualty_values`` (``open_case``),
``team._member_values`` (``add_member``), ``team._subgroup_values`` (``add_subgroup``),
``parties._party_values`` (``add_party``) — and adds the records through the session it is
given, collecting a ``RowProblem`` per refused row. The caller commits only when no row
failed, so an import is all or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase.errors import FirecaseError
from firecase.services import cases as case_services, parties, team
from firecase.services._register_fields import Row, RowProblem
from firecase.services._register_read import group_marks
from firecase.services.dto import (
    CasualtyInput,
    IncidentInput,
    MemberInput,
    PartyInput,
    SubGroupInput,
)
from firecase.services.permissions import Permission, check
from firecase.store import models as m


def import_cases(
    s: Session,
    actor: str,
    rows: list[Row],
    today: dt.date,
    problems: list[RowProblem],
    notices: list[str],
    *,
    insert: bool = True,
) -> list[str]:
    """Cases from their intake rows; the numbers they get. ``insert`` False (a check): every
    row validated and numbered, nothing added (the rules' decisions need no checking)."""
    from firecase.services.settings import read_settings

    prefix = read_settings(s).case_no_prefix
    used = {no for (no,) in s.execute(select(m.Case.case_no))}
    used_seq = {(y, q) for y, q in s.execute(select(m.Case.year, m.Case.seq))}
    planned: list[tuple[Row, dict[str, Any], dict[str, Any] | None, int | None]] = []
    claimed: dict[str, int] = {}
    for r in rows:
        if r.failed:
            continue
        incident = IncidentInput(
            title=r.text("title"),
            fire_date=r.get("fire_date"),
            place=r.text("place"),
            fire_type=r.text("fire_type"),
            property_loss_yuan=r.get("property_loss_yuan"),
            economic_loss_yuan=r.get("economic_loss_yuan"),
            fire_time=r.text("fire_time"),
            address=r.text("address"),
            unit_name=r.text("unit_name"),
            households_affected=r.get("households_affected"),
            summary=r.text("summary"),
            burned_area_m2=r.get("burned_area_m2"),
            nature=r.text("nature"),
        )
        try:
            values = case_services._incident_values(incident)
            counts = [r.get(k) for k in ("deaths", "serious_injuries", "minor_injuries", "as_of")]
            cas = None
            if any(c is not None for c in counts):
                casualty = CasualtyInput(
                    as_of=r.get("as_of", values["fire_date"]),
                    deaths=r.get("deaths", 0),
                    serious_injuries=r.get("serious_injuries", 0),
                    minor_injuries=r.get("minor_injuries", 0),
                )
                cas = case_services._casualty_values(casualty, values["fire_date"], today)
        except FirecaseError as exc:
            problems.append(r.refused(exc, "cases"))
            continue
        number, seq = r.text("case_no").strip(), None
        if number:
            if number in used:
                problems.append(
                    r.problem(
                        f"本案卷中已有编号为“{number}”的案件：同一案件不重复导入。如确为另一案件，"
                        "请清空该行的案件编号后再导入。",
                        "case_no",
                    )
                )
                continue
            if number in claimed:
                problems.append(
                    r.problem(f"与第{claimed[number]}行的案件编号“{number}”相同。", "case_no")
                )
                continue
            claimed[number] = r.row
            found = re.fullmatch(r"(.+)〔(\d{4})〕第(\d+)号", number)
            year = values["fire_date"].year
            if (
                found
                and found[1] == prefix
                and int(found[2]) == year
                and 0 < int(found[3]) <= 99999
                and case_services.format_case_no(prefix, year, int(found[3])) == number
                and (year, int(found[3])) not in used_seq
            ):
                seq = int(found[3])
                used_seq.add((year, seq))
        planned.append((r, values, cas, seq))
    if problems:
        return []
    done = []
    for r, values, cas, seq in planned:  # kept numbers are reserved above; new ones follow
        if seq is None:
            year = values["fire_date"].year
            seq = max([q for y, q in used_seq if y == year], default=0) + 1
            used_seq.add((year, seq))
        number = case_services.format_case_no(prefix, values["fire_date"].year, seq)
        if insert:
            number = case_services._insert_case(s, actor, values, cas, None, today, seq=seq).case_no
        if r.text("case_no").strip() and number != r.text("case_no").strip():
            notices.append(
                f"第{r.row}行：编号“{r.text('case_no').strip()}”不是本案卷的编号格式或年份不符，"
                f"导入为“{number}”。"
            )
        done.append(number)
    notices.append(
        "第五条第三项、第四项的认定（认定机关、日期、理由）、调查组和其他记录不在台账中，"
        "导入后请在各案件中记录；等级、纳入调查和期限已按导入的事实计算。"
    )
    return done


def import_members(
    s: Session,
    uow: Any,
    case: m.Case,
    rows: list[Row],
    problems: list[RowProblem],
    notices: list[str],
) -> list[str]:
    have = {
        (x.name, x.organisation): x
        for x in s.scalars(select(m.TeamMember).where(m.TeamMember.case_id == case.id))
    }
    seen: dict[tuple[str, str], int] = {}
    created: list[tuple[Row, m.TeamMember]] = []
    defaulted = 0
    for r in rows:
        if r.failed:
            continue
        joined = r.get("joined_on")
        if joined is None and case.team_formed_on is not None:
            joined, defaulted = case.team_formed_on, defaulted + 1
        data = MemberInput(
            name=r.text("name"),
            organisation=r.text("organisation"),
            body=r.text("body"),
            role=r.text("role"),
            joined_on=joined,
            title=r.text("title"),
            expertise=r.text("expertise"),
            relatives=tuple(r.get("relatives", ())),
        )
        try:
            values = team._member_values(s, case, data)
        except FirecaseError as exc:
            problems.append(r.refused(exc, "members"))
            continue
        key = (values["name"], values["organisation"])
        if key in have:
            problems.append(r.problem(f"调查组中已有{key[0]}（{key[1]}）。", "name"))
            continue
        if key in seen:
            problems.append(r.problem(f"与第{seen[key]}行是同一人（{key[0]}，{key[1]}）。", "name"))
            continue
        seen[key] = r.row
        member = m.TeamMember(case_id=case.id, **values)
        s.add(member)
        created.append((r, member))
    s.flush()
    if defaulted:
        notices.append(
            f"{defaulted} 行没有加入日期，取调查组成立日期 {case.team_formed_on}（第八条）。"
        )
    groups: dict[str, dict[str, Any]] = {}
    for r, member in created:
        for name, leads in group_marks(r.get("subgroups", ())):
            group = groups.setdefault(name, {"rows": [], "leader": None})
            group["rows"].append((r, member))
            if leads and group["leader"] is not None:
                first = group["leader"][0].row
                problems.append(
                    r.problem(f"第{first}行也是“{name}”的组长；一个小组只有一位组长。", "subgroups")
                )
            elif leads:
                group["leader"] = (r, member)
    if groups:
        check(uow.role, Permission.APPROVE_TEAM, who=f"用户“{uow.display_name}”")
        _place_in_groups(s, case, groups, problems)
    return [member.name for _, member in created]


def _place_in_groups(
    s: Session, case: m.Case, groups: dict[str, dict[str, Any]], problems: list[RowProblem]
) -> None:
    existing = {
        g.name: g for g in s.scalars(select(m.SubGroup).where(m.SubGroup.case_id == case.id))
    }
    for name, spec in groups.items():
        first_row = spec["rows"][0][0]
        ids = [member.id for _, member in spec["rows"]]
        leader = spec["leader"][1].id if spec["leader"] else None
        group = existing.get(name)
        if group is not None:
            if leader is not None and group.leader_id not in (None, leader):
                problems.append(
                    spec["leader"][0].problem(f"专项小组“{name}”已有组长。", "subgroups")
                )
                continue
            current = s.scalars(
                select(m.SubGroupMember.member_id).where(m.SubGroupMember.subgroup_id == group.id)
            )
            data = SubGroupInput(
                name=group.name,
                leader_id=leader or group.leader_id,
                duties=group.duties,
                member_ids=tuple(sorted(set(current) | set(ids))),
            )
        else:
            data = SubGroupInput(name=name, leader_id=leader, member_ids=tuple(ids))
        try:
            values = team._subgroup_values(s, case, data)
        except FirecaseError as exc:
            problems.append(first_row.refused(exc, "members"))
            continue
        if group is None:
            group = m.SubGroup(case_id=case.id, **values)
            s.add(group)
        else:
            for key, value in values.items():
                if getattr(group, key) != value:
                    setattr(group, key, value)
        s.flush()
        team._subgroup_members(s, group, data)


def import_parties(
    s: Session, case: m.Case, rows: list[Row], problems: list[RowProblem]
) -> list[str]:
    have = {(p.kind, p.name) for p in s.scalars(select(m.Party).where(m.Party.case_id == case.id))}
    seen: dict[tuple[str, str], int] = {}
    done = []
    for r in rows:
        if r.failed:
            continue
        data = PartyInput(
            kind=r.text("kind"),
            name=r.text("name"),
            role=r.get("role", "当事人"),
            organisation=r.text("organisation"),
            relatives=tuple(r.get("relatives", ())),
            contact=r.text("contact"),
            note=r.text("note"),
        )
        try:
            values = parties._party_values(s, case, data)
        except FirecaseError as exc:
            problems.append(r.refused(exc, "parties"))
            continue
        key = (values["kind"], values["name"])
        if key in have:
            problems.append(r.problem(f"本案件已有当事人{key[1]}（{key[0]}）。", "name"))
            continue
        if key in seen:
            problems.append(r.problem(f"与第{seen[key]}行是同一当事人（{key[1]}）。", "name"))
            continue
        seen[key] = r.row
        s.add(m.Party(case_id=case.id, **values))
        done.append(values["name"])
    return done
