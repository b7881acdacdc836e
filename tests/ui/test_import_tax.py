"""PySide6 no longer reads the source of FireCase's modules at import (``ui.import_tax``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from firecase.ui.import_tax import feature_choice

_PROBE = """
import inspect, sys
import firecase.ui
import PySide6.QtWidgets
read = []
real = inspect.getsource
def spy(obj):
    read.append(getattr(obj, "__name__", "?"))
    return real(obj)
inspect.getsource = spy
import firecase.ui.main_window, firecase.ui.widgets.case_list, firecase.rules, json
table = sys.modules["shibokensupport.feature"].pyside_feature_dict
print(sorted(n for n in read if n.startswith("firecase") or n in sys.stdlib_module_names))
print(table["firecase.ui.main_window"], table["firecase.rules"], table["json"], table["os"])
"""


def test_pyside_reads_no_source_of_firecase_or_the_standard_library() -> None:
    """Before: ``inspect.getsource`` for each module imported after PySide6 (7 ms of the
    start). The probe would list every module whose source PySide6 read."""
    out = subprocess.run(
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
        cwd=Path(__file__).resolve().parents[2],
    ).stdout.splitlines()
    assert out == ["[]", "0 0 -1 -1"]


def test_the_choice_selects_no_feature_and_no_module_asks_for_one() -> None:
    """0 ("no features") for FireCase, -1 ("ignore") for the standard library: both select
    nothing, which is all FireCase ever wants; a ``__feature__`` import would need PySide6's
    own reading of the module, so there is none."""
    root = Path(__file__).resolve().parents[2] / "firecase"
    assert feature_choice("firecase.ui.main_window") == 0
    assert feature_choice("firecase.rules.clocks") == 0
    assert feature_choice("json.decoder") == -1
    assert feature_choice("pytestqt.plugin") is None  # third parties: PySide6 reads them
    for source in root.rglob("*.py"):
        if source.name != "import_tax.py":
            assert "__feature__" not in source.read_text(encoding="utf-8"), source
