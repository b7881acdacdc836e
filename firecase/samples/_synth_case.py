"""Synthetic cases: the rows of one case (``_write_case``)."""

from __future__ import annotations

import random
from decimal import Decimal

from firecase.samples._synth_data import (
    _AGENCIES,
    _CAUSES,
    _DEPARTMENTS,
    _FIRE_TYPES_IN,
    _FIRE_TYPES_OUT,
    _SITES,
    _TOWNS,
    _VILLAGE_KINDS,
    _VILLAGES,
    DAY,
    LARGE_CASE_TITLE,
    LARGE_EVIDENCE,
    LARGE_MEMBERS,
    SYNTH_ACTOR,
    D,
)
from firecase.samples._synth_parts import (
    _casualties_and_loss,
    _Ctx as _Ctx,
    _decisions,
    _evidence,
    _maybe,
    _person,
    _team,
    _versioned,
)
from firecase.services import _clock_inputs, _clocks
from firecase.services.cases import format_case_no
from firecase.services.dto import REPORT_SECTION_TITLES
from firecase.store import models as m

# ------------------------------------------------------------------------------------------
# one case
# ------------------------------------------------------------------------------------------


def _write_case(ctx: _Ctx, rng: random.Random, *, large: bool = False) -> int:
    """Generate one case with its child rows into the buffers; return its id."""
    today = ctx.today
    age = 40 if large else rng.randint(0, 3650)
    fire = today - DAY * age
    deaths, serious, minor, prop, econ = _casualties_and_loss(rng)
    if large:
        deaths, serious, minor = 4, 3, 9
        prop, econ = Decimal("18653200.00"), Decimal("21388650.75")
    town = rng.choice(_TOWNS)
    village = rng.choice(_VILLAGES) + rng.choice(_VILLAGE_KINDS)
    site, org_kind = rng.choice(_SITES)
    owner = _person(rng)
    unit = (
        f"天门市{village}{site}"
        if org_kind in ("居民住宅", "出租房屋")
        else (f"天门市{rng.choice(_VILLAGES)}{org_kind}")
    )
    fire_type = rng.choice(_FIRE_TYPES_OUT) if rng.random() < 0.004 else rng.choice(_FIRE_TYPES_IN)
    households = rng.randint(1, 6) if site in ("居民自建房", "出租屋") else None
    year = fire.year
    seq = ctx.seq.get(year, 0) + 1
    ctx.seq[year] = seq
    case_no = format_case_no(ctx.prefix, year, seq)
    title = LARGE_CASE_TITLE if large else f"{town}{village}{site}“{fire.month}·{fire.day}”火灾"

    # milestones, each only if its day has come (some cases stuck: clocks overdue)
    stuck = rng.random() < 0.03
    team_formed = _maybe(fire + DAY * rng.randint(1, 3), today)
    report_after = rng.randint(35, 80)
    submitted = None if stuck and rng.random() < 0.4 else _maybe(fire + DAY * report_after, today)
    if large:
        submitted = fire + DAY * 30
    received = _maybe(submitted + DAY * rng.randint(0, 3), today) if submitted else None
    reply = None
    if received is not None and not (stuck and rng.random() < 0.5):
        reply = _maybe(received + DAY * rng.randint(5, 30), today)
    if large:
        received, reply = fire + DAY * 31, fire + DAY * 35

    case_id = ctx.rows.add(
        "cases",
        _versioned(
            {
                "case_no": case_no,
                "year": year,
                "seq": seq,
                "title": title,
                "stage": "",  # set below
                "created_on": fire,
                "created_by": SYNTH_ACTOR,
                "fire_date": fire,
                "fire_time": f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                "place": f"天门市{town}{village}",
                "address": f"天门市{town}{village}{rng.randint(1, 300)}号",
                "unit_name": unit,
                "fire_type": fire_type,
                "property_loss_yuan": prop,
                "economic_loss_yuan": econ,
                "households_affected": households,
                "summary": f"{site}内{rng.choice(_CAUSES)}，造成{deaths}人死亡、{serious}人重伤。",
                "grade": None,
                "included": None,
                "inclusion_clauses": "",  # set below
                "taken_over_by": "",
                "taken_over_on": None,
                "team_formed_on": team_formed,
                "team_authorised_fire_agency": rng.random() < 0.6,
                "report_submitted_on": submitted,
                "report_received_on": received,
                "reply_on": reply,
                "reply_ref": f"天政函〔{reply.year}〕{rng.randint(1, 300)}号" if reply else "",
                "reply_summary": "原则同意调查报告。" if reply else "",
                "closed_on": None,
                "next_due_on": None,
                "next_due_label": "",
                "clocks_stale": False,
                "has_open_clocks": False,  # set below
                "search_text": m.case_search_text(case_no, title, f"天门市{town}{village}", unit),
            }
        ),
    )
    row = ctx.rows.buffers["cases"][-1]
    rows = ctx.rows
    rows.add(
        "casualty_updates",
        {
            "case_id": case_id,
            "as_of": fire,
            "recorded_on": fire,
            "deaths": deaths,
            "serious_injuries": serious,
            "minor_injuries": minor,
            "note": "火灾当日统计。",
            "recorded_by": SYNTH_ACTOR,
        },
    )
    grade, included = _decisions(
        ctx, case_id, fire, deaths, serious, prop, econ, households, fire_type
    )
    row["grade"], row["included"] = grade, included
    row["jurisdiction_grade"] = grade  # one record, as of the fire date
    row["inclusion_clauses"] = rows.buffers["inclusion_decisions"][-1]["clauses"]

    # parties
    n_parties = 12 if large else rng.randint(2, 4)
    for i in range(n_parties):
        kind = ("个人", "单位", "政府部门")[0 if i == 0 else (1 if i == 1 else rng.randint(0, 2))]
        rows.add(
            "parties",
            _versioned(
                {
                    "case_id": case_id,
                    "kind": kind,
                    "name": owner if i == 0 else (unit if i == 1 else f"{_person(rng)}"),
                    "role": "当事人" if i != 1 else "事故发生单位",
                    "organisation": unit if i != 1 else org_kind,
                    "relatives": "",
                    "contact": "",
                    "note": "",
                }
            ),
        )

    # team, evidence, appraisals, extension
    members: list[tuple[int, str]] = []
    if team_formed is not None:
        n_members = LARGE_MEMBERS if large else rng.randint(6, 10)
        members, _ = _team(ctx, rng, case_id, team_formed, n_members)
    holder = members[2][1] if len(members) > 2 else "值班调查员"
    n_evidence = LARGE_EVIDENCE if large else rng.randint(3, 8)
    evidence_ids = _evidence(ctx, rng, case_id, fire, n_evidence, holder)
    appraisals: list[tuple[D, D | None]] = []
    n_appraisals = rng.choice((0, 0, 1, 1, 2) if submitted is not None else (1, 1, 2))
    for _ in range(4 if large else n_appraisals):
        commissioned = fire + DAY * rng.randint(2, 20)
        if commissioned > today:
            continue
        opinion: D | None = commissioned + DAY * rng.randint(5, 30)
        if submitted is not None:  # closed before the report (at the latest on its day)
            opinion = min(commissioned + DAY * rng.randint(5, 30), submitted)
        elif opinion is not None and (opinion > today or rng.random() < 0.5):
            opinion = None  # still open: the investigation clock is paused
        appraisals.append((commissioned, opinion))
        rows.add(
            "appraisals",
            _versioned(
                {
                    "case_id": case_id,
                    "kind": rng.choice(("检验", "鉴定")),
                    "subject": "起火部位残留物检验",
                    "agency": rng.choice(_AGENCIES),
                    "evidence_id": evidence_ids[0],
                    "commissioned_on": commissioned,
                    "opinion_on": opinion,
                    "opinion": "符合起火特征。" if opinion else "",
                }
            ),
        )
    extension_days = 0
    requested = fire + DAY * 50
    if rng.random() < 0.12 and requested <= today:
        days = rng.choice((15, 30))
        approved = _maybe(requested + DAY * 2, today)
        extension_days = days if approved else 0
        rows.add(
            "extensions",
            _versioned(
                {
                    "case_id": case_id,
                    "days": days,
                    "requested_on": requested,
                    "reason": "需等待鉴定意见及补充调查。",
                    "approved_on": approved,
                    "approved_by": "天门市人民政府" if approved else "",
                    "approval_ref": f"天政函〔{requested.year}〕{rng.randint(1, 300)}号"
                    if approved
                    else "",
                }
            ),
        )

    # report content once submitted
    if submitted is not None:
        rows.add(
            "causes",
            _versioned(
                {"case_id": case_id, "kind": "直接原因", "text": rng.choice(_CAUSES) + "。"}
            ),
        )
        rows.add(
            "causes",
            _versioned(
                {"case_id": case_id, "kind": "间接原因", "text": "单位消防安全主体责任不落实。"}
            ),
        )
        rows.add(
            "findings",
            _versioned(
                {
                    "case_id": case_id,
                    "area": "使用管理责任",
                    "subject": unit,
                    "party_id": None,
                    "text": "未落实消防安全管理制度，对火灾发生负有责任。",
                }
            ),
        )
        repeat = 10 if large else 1
        for n, heading in enumerate(REPORT_SECTION_TITLES, start=1):
            body = (
                f"{heading}：{title}。经调查，{site}位于{town}{village}，"
                f"{rng.choice(_CAUSES)}，造成{deaths}人死亡。调查组依法开展调查取证工作。"
            )
            rows.add(
                "report_sections",
                _versioned(
                    {
                        "case_id": case_id,
                        "number": n,
                        "body": "\n\n".join([body] * repeat),
                        "confidential": False,
                    }
                ),
            )

    # 批复 → handling tasks → closure; 较大: evaluation and rectification measures
    tasks: list[tuple[str, D | None]] = []
    closed: D | None = None
    if reply is not None:
        for dept in rng.sample(_DEPARTMENTS, 4 if large else rng.randint(1, 3)):
            filed = (
                None
                if stuck and rng.random() < 0.6
                else _maybe(reply + DAY * rng.randint(8, 40), today)
            )
            if large:
                filed = None
            tasks.append((dept, filed))
            rows.add(
                "handling_tasks",
                _versioned(
                    {
                        "case_id": case_id,
                        "department": dept,
                        "task": "按照批复意见依法处理并报备案。",
                        "reported_on": filed,
                        "filed_on": filed,
                        "result": "已处理并备案。" if filed else "",
                    }
                ),
            )
        if grade in ("较大", "重大"):
            rows.add(
                "recommendations",
                _versioned(
                    {
                        "case_id": case_id,
                        "target_kind": "单位",
                        "target_name": unit,
                        "party_id": None,
                        "area": "使用管理责任",
                        "kind": "行政处罚",
                        "basis": "《中华人民共和国消防法》第六十条",
                        "authority": "天门市消防救援大队",
                        "text": f"建议对{unit}依法给予行政处罚。",
                        "feedback": "",
                        "feedback_on": None,
                        "filed_on": None,
                        "transferred_on": None,
                        "transferred_to": "",
                        "confidential": False,
                    }
                ),
            )
        if all(f is not None for _, f in tasks):
            last = max(f for _, f in tasks if f is not None)
            closed = _maybe(last + DAY * rng.randint(1, 10), today)
        row["closed_on"] = closed
    evaluation_submitted: D | None = None
    has_evaluation = False
    measures: list[tuple[str, D, D, D | None]] = []
    if grade == "较大" and reply is not None:
        set_on = reply + DAY * 10
        for i in range(3 if large else rng.randint(1, 3)):
            if set_on > today:
                break
            deadline = set_on + DAY * rng.randint(60, 200)
            done = _maybe(deadline - DAY * rng.randint(-20, 40), today)
            if rng.random() < 0.15:
                done = None
            responsible = _DEPARTMENTS[i % len(_DEPARTMENTS)]
            measures.append((responsible, set_on, deadline, done))
            rows.add(
                "rectification_measures",
                _versioned(
                    {
                        "case_id": case_id,
                        "text": "开展同类场所消防安全专项整治。",
                        "responsible": responsible,
                        "set_on": set_on,
                        "deadline": deadline,
                        "done_on": done,
                        "status": "已落实" if done else "未落实",
                    }
                ),
            )
        closure = closed or reply
        started = _maybe(closure + DAY * rng.randint(300, 340), today)
        if started is not None:
            has_evaluation = True
            evaluation_submitted = _maybe(started + DAY * rng.randint(10, 45), today)
            rows.add(
                "evaluations",
                _versioned(
                    {
                        "case_id": case_id,
                        "lead": "天门市消防安全委员会办公室",
                        "members": "天门市应急管理局\n天门市消防救援大队",
                        "third_party": "",
                        "started_on": started,
                        "finished_on": evaluation_submitted,
                        "submitted_on": evaluation_submitted,
                        "conduct": "查阅资料、现场核查。",
                        "opinion": "",
                    }
                ),
            )

    # derived columns, exactly as the services derive them
    stage_case = m.Case(
        team_formed_on=team_formed,
        report_submitted_on=submitted,
        report_received_on=received,
        reply_on=reply,
        closed_on=closed,
    )
    evaluation = m.Evaluation(submitted_on=evaluation_submitted) if has_evaluation else None
    row["stage"] = _clock_inputs.derive_stage(stage_case, bool(tasks), evaluation, len(members))
    clock_case = _clock_inputs.ClockCase(
        case_id,
        case_no,
        title,
        fire,
        submitted,
        received,
        reply,
        closed,
        grade,
        included,
        fire_type,
        grade,
    )
    inputs = _clock_inputs.ClockInputs(
        extension_days=extension_days,
        appraisals=tuple(appraisals),
        # as _clock_inputs.clock_inputs reads them: the approver named in the investigation clock
        extension_approvers=("天门市人民政府",) if extension_days else (),
        tasks=tuple(tasks),
        evaluation_submitted_on=evaluation_submitted,
        measures=tuple(measures),
    )
    clocks = _clocks.clocks_of(
        clock_case, inputs, today, calendar=ctx.calendar, roll_to_workday=ctx.roll
    )
    row["next_due_on"], row["next_due_label"] = _clocks.next_due(clocks)
    first = _clocks.next_due_clock(clocks)
    row["next_due_provisional"] = first is not None and first.provisional
    row["has_open_clocks"] = _clocks.any_open_clock(clocks)
    for clock_row in _clocks.open_clock_rows(case_id, clocks):
        ctx.rows.add("open_clocks", clock_row)
    for gram in sorted(m.search_grams(row["search_text"])):
        ctx.rows.add("case_search_grams", {"gram": gram, "case_id": case_id})
    ctx.case_nos.append(case_no)
    return case_id
