"""第八条 through the services: a leader from the fire-rescue agency without the recorded
authorisation of the city government shows a team warning on the case (the lawyer's finding)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from firecase.services import reading, scenario
from firecase.store import open_case_file

SOURCE = Path(__file__).parent / "data" / "fire_agency_leader_not_authorised.json"


def _codes(tmp_path: Path, authorised: bool) -> set[str]:
    data = json.loads(SOURCE.read_text(encoding="utf-8"))
    data["team"]["authorised_fire_agency"] = authorised
    today = dt.date.fromisoformat(data["today"])
    with open_case_file(tmp_path / f"{authorised}.fcdb", user="李明") as cf:
        case_id = scenario.enter_scenario(cf, scenario.load_scenario(json.dumps(data)), today)
        return {w.code for w in reading.get_case(cf, case_id, today=today).team_warnings}


def test_the_case_warns_until_the_authorisation_is_recorded(tmp_path: Path) -> None:
    assert "leader_not_authorised" in _codes(tmp_path, False)
    assert "leader_not_authorised" not in _codes(tmp_path, True)
