"""The bundled calendar is exactly what scripts/gen_calendar.py produces from chinese_calendar."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from firecase.paths import resource

ROOT = Path(__file__).resolve().parents[3]


def test_regenerating_gives_the_committed_file(tmp_path: Path) -> None:
    pytest.importorskip("chinese_calendar")
    out = tmp_path / "cn_workdays.json"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_calendar.py"), "-o", str(out)],
        check=True,
        cwd=ROOT,
    )
    committed = resource("calendars", "cn_workdays.json").read_bytes()
    assert out.read_bytes() == committed


def test_rules_never_import_chinese_calendar() -> None:
    for path in (ROOT / "firecase" / "rules").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import chinese_calendar" not in text, path
        assert "from chinese_calendar" not in text, path
