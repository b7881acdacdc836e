"""Helpers of the register tests: case files of the demo and of the scenario suite, and a
register read back with openpyxl as header → cell (no tests here)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

SCENARIOS = Path(__file__).parents[1] / "scenarios" / "cases"
GLOBAL_KEYS = {"settings", "calendar", "calendar_complete"}  # would change every other case


def legal_scenarios() -> list[tuple[str, dict[str, Any]]]:
    """The scenarios that enter a case (an ``.out.json``), without file-wide settings."""
    out = []
    for path in sorted(SCENARIOS.glob("*.in.json")):
        name = path.name.removesuffix(".in.json")
        data = json.loads(path.read_text(encoding="utf-8"))
        if (SCENARIOS / f"{name}.out.json").exists() and not GLOBAL_KEYS & set(data):
            out.append((name, data))
    return out


def intake_only(data: dict[str, Any]) -> dict[str, Any]:
    """The scenario's fire and its latest casualty record (in effect order): what a case
    register holds of the intake."""
    records = list(data.get("casualties") or [])
    fire_date = data["fire"]["date"]
    records.sort(
        key=lambda r: (r.get("as_of") or fire_date, r.get("recorded_on") or r.get("as_of") or "")
    )
    out: dict[str, Any] = {"fire": data["fire"]}
    if records:
        last = {k: v for k, v in records[-1].items() if k != "note"}
        out["casualties"] = [last]
    return out


def write_scenarios(cf: Any, *, intake: bool = False) -> list[int]:
    """Enter every legal scenario into ``cf`` (its intake only when ``intake``)."""
    from firecase.services.scenario import enter_scenario, scenario_today

    ids = []
    for _, data in legal_scenarios():
        today = scenario_today(data, None)
        ids.append(enter_scenario(cf, intake_only(data) if intake else data, today))
    return ids


@dataclass
class Register:
    """A register file read back: the sheet, its header (line breaks dropped) and the rows
    (sheet row 4 on) as header → cell."""

    sheet: Any
    header: list[str]
    rows: list[dict[str, Any]]

    def cells(self, row: int) -> dict[str, Any]:
        """The header → cell object of data row ``row`` (0-based)."""
        return {h: self.sheet.cell(row=4 + row, column=i + 1) for i, h in enumerate(self.header)}


def read(path: Path) -> Register:
    """The register ``path`` as written."""
    sheet = load_workbook(path).active
    header = [str(c.value).replace("\n", "") for c in sheet[3]]
    rows = [
        dict(zip(header, values, strict=True))
        for values in sheet.iter_rows(min_row=4, max_col=len(header), values_only=True)
    ]
    return Register(sheet, header, rows)


def all_cells(path: Path) -> list[list[Any]]:
    """Every cell of the register's sheet, row by row."""
    sheet = load_workbook(path).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def day(value: Any) -> dt.date | None:
    """A date cell as a date (openpyxl gives a datetime at midnight)."""
    if value is None:
        return None
    assert isinstance(value, dt.datetime) and value.time() == dt.time(0), value
    return value.date()


def wide(text: str) -> int:
    """Width of ``text`` counting CJK characters twice (the test's own count)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
