"""Every window fits the screens officers have: a 1280×720 projector, 1920×1080 at
150 % (1280×720 logical at device pixel ratio 1.5) and at 125 % (1536×864 at 1.25).

Each screen is emulated in a child process (``_screen_probe.py``: the offscreen platform with a
configured screen, the demo case file open on its first case). For the main window on every tab
of the case and for every dialog of FireCase: the window's size and its minimum fit in the
screen's free area less a title bar, the main window's minimum is at most 1024×640, and no
button or input lies outside its window.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests._demo import demo_into
from tests.ui._screen_probe import TODAY as PROBE_TODAY  # the day the probe shows

PROBE = Path(__file__).with_name("_screen_probe.py")
SCREENS = [(1280, 720, 1.0), (1280, 720, 1.5), (1536, 864, 1.25)]
TITLE_BAR = 48  # util.FRAME_ROOM: the frame Qt does not count

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=SCREENS, ids=lambda s: f"{s[0]}x{s[1]}@{s[2]:g}")
def measured(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    width, height, dpr = request.param
    out = tmp_path_factory.mktemp("screen") / "measured.json"
    demo = out.with_name("demo.sqlite")
    demo_into(demo, today=PROBE_TODAY, user="演示")
    done = subprocess.run(
        [sys.executable, str(PROBE), str(width), str(height), str(dpr), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "FIRECASE_PROBE_DEMO": str(demo)},
    )
    assert done.returncode == 0 and out.exists(), done.stderr[-3000:]
    return dict(json.loads(out.read_text(encoding="utf-8")))


def _windows(measured: dict) -> dict[str, dict]:
    return {k: v for k, v in measured.items() if k != "screen"}


def test_every_window_and_its_minimum_fit_the_screen(measured: dict) -> None:
    windows = _windows(measured)
    assert "main window" in windows and "IntakeDialog" in windows and len(windows) > 20
    too_big = [
        f"{name}: {v['size']} (minimum {v['minimum']}) on {v['available']}"
        for name, v in windows.items()
        if v["size"][0] > v["available"][0]
        or v["size"][1] > v["available"][1]
        or v["minimum"][0] > v["available"][0]
        or v["minimum"][1] > v["available"][1] - TITLE_BAR
    ]
    assert not too_big


def test_the_main_window_with_a_case_open_needs_at_most_1024_by_640(measured: dict) -> None:
    for name, v in _windows(measured).items():
        if name == "main window" or name.startswith("tab "):
            assert v["minimum"][0] <= 1024 and v["minimum"][1] <= 640, (name, v["minimum"])


def test_no_button_or_field_is_cut_off(measured: dict) -> None:
    cut = {name: v["cut"] for name, v in _windows(measured).items() if v["cut"]}
    assert not cut
