"""Case scenarios: a whole case as JSON in, what FireCase shows as JSON out.

``firecase scenario run FILE.json [--today D] [--keep PATH]`` builds a case file (temporary
unless ``--keep``), enters the scenario through the same service functions the GUI calls (no
rule is implemented twice), and prints the case as the program then shows it (``case_output``,
read from the same ``CaseDetail`` the workspace shows). ``firecase scenario export CASE_NO --db
PATH`` writes an existing case as a scenario, so a case seen in the GUI can become a test.

Bad input is a ``ScenarioError`` naming the key (``fire.date``, ``casualties[1].deaths``…):
the command prints it and exits with 2, never with a traceback.

The scenario's input and its errors are read in ``_scenario_input``, entered by
``_scenario_case`` (settings, calendar, incident, team, parties, recusals) and
``_scenario_records`` (evidence, report, extensions, milestones, handling); the export is
``_scenario_export``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from firecase.errors import FirecaseError
from firecase.services import (
    _clocks,
    cases,
    reading,
    settings,
)
from firecase.services._scenario_case import (
    _calendar,
    _casualty,
    _incident,
    _judgements,
    _open,
    _parties,
    _recusals,
    _settings,
    _team,
    _ver,
)
from firecase.services._scenario_export import export_scenario as export_scenario
from firecase.services._scenario_input import (
    ACTOR,
    CLOCK_KINDS,
    TOP_KEYS,
    ScenarioError as ScenarioError,
    _at,
    _In,
    _iso_day,
)
from firecase.services._scenario_records import (
    _appraisals,
    _evidence_of_report,
    _extensions,
    _milestones,
)
from firecase.services.dto import (
    CaseDetail,
)
from firecase.store import CaseFile, open_case_file


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
    except ValueError:  # an integer of more than 4,300 digits (Python's conversion limit)
        raise ScenarioError("场景文件中有位数过多的数字（超过4300位）。", field="") from None
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
    """What the program shows of a case, from the workspace's ``CaseDetail``."""
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
    """Enter a scenario into a new case file and return what the program shows."""
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
