"""The benchmark runs and prints its table (at 2,000 cases, one run). Figures are never asserted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEASURES = (
    "cold start to populated main window (× bare PySide6 window)",
    "cold start to populated main window (× the least PySide6 table program)",
    "case list: filter by text",
    "case list: slowest of 8 harder text filters",
    "case list: filter by stage",
    "case list: sort by due date",
    "open the large case",
    "clock board",
    "investigation report PDF",
    "peak memory of the GUI process",
)


def test_bench_prints_its_table(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    args = ["--cases", "2000", "--runs", "1", "--cache", str(tmp_path)]
    out = subprocess.run(
        [sys.executable, "-m", "firecase.bench", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    print(out.stdout)  # the figures, for the CI log
    assert out.returncode == 0, out.stderr[-3000:]
    assert "| measure | median | target |" in out.stdout
    for measure in MEASURES:
        assert measure in out.stdout, measure
    assert "2,000 cases" in out.stdout
    assert "reference: the least PySide6 program showing this page" in out.stdout
    assert "floor: FireCase's case list alone" in out.stdout
