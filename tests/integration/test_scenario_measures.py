"""A scenario's measure without ``set_on`` is dated when the report proposed it, never on the day
of the fire (the lawyer's finding: a 限期整改通知书 drawn from it was dated then); one due or
done before that must say when it was set."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from firecase.services import reading, scenario
from firecase.store import open_case_file

CASES = Path(__file__).resolve().parents[1] / "scenarios" / "cases"


def _set_on(tmp_path: Path, data: dict[str, Any]) -> dt.date:
    today = dt.date.fromisoformat(data["today"])
    with open_case_file(tmp_path / "案卷.fcdb", user="李明") as cf:
        case_id = scenario.enter_scenario(cf, scenario.load_scenario(json.dumps(data)), today)
        (measure,) = reading.get_case(cf, case_id, today=today).measures
        return measure.set_on


_WHY = "鉴定结论另报"  # the example's appraisal is open: the guard asks for a reason
_SUBMITTED = {"submitted_on": "2026-11-27", "reason": _WHY}
_RECEIVED = {**_SUBMITTED, "received_on": "2026-11-28"}


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, "2026-12-02"),  # nothing after the fire on record: the scenario's today
        ({"report": _SUBMITTED}, "2026-11-27"),
        ({"report": _RECEIVED}, "2026-11-27"),
        ({"report": _RECEIVED, "reply": {"on": "2026-12-01"}}, "2026-11-27"),
    ],
)
def test_a_measure_is_set_when_the_report_proposing_it_was_submitted(
    tmp_path: Path, extra: dict[str, Any], expected: str
) -> None:
    data = copy.deepcopy(json.loads((CASES / "spec_section_5_example.in.json").read_text("utf-8")))
    data.update(extra)
    set_on = _set_on(tmp_path, data)
    assert set_on == dt.date.fromisoformat(expected)
    assert set_on != dt.date.fromisoformat(data["fire"]["date"])


def test_a_measure_due_before_the_report_must_say_when_it_was_set(tmp_path: Path) -> None:
    """The lawyer's second finding: dated at the 批复, a measure done or due before it made the
    scenario fail with "不能早于提出日期"; now the scenario is asked for ``set_on``."""
    data = copy.deepcopy(json.loads((CASES / "spec_section_5_example.in.json").read_text("utf-8")))
    data["report"] = _SUBMITTED
    data["measures"][0]["deadline"] = "2026-11-25"
    with pytest.raises(scenario.ScenarioError, match="set_on") as asked:
        _set_on(tmp_path, data)
    assert "请写明该措施的提出日期" in str(asked.value)
    data["measures"][0]["set_on"] = "2026-11-21"
    assert _set_on(tmp_path, data) == dt.date(2026, 11, 21)
