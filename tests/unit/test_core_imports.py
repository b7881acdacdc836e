"""The core packages import without Qt or SQLAlchemy (a fresh interpreter proves it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import sys
import {module}
loaded = sorted(m for m in ("PySide6", "shiboken6", "sqlalchemy", "alembic") if m in sys.modules)
print(",".join(loaded))
"""


@pytest.mark.parametrize("module", ["firecase.rules"])
def test_core_module_imports_without_gui_or_database(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK.format(module=module)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "", f"{module} pulled in {result.stdout.strip()}"


@pytest.mark.parametrize(
    "module",
    [
        "firecase.store",
        "firecase.services",
        "firecase.services.reporting",
        "firecase.services.backup",
        "firecase.services.transfer",
        "firecase.services.registers",
        "firecase.services.register_import",
        "firecase.reports",
        "firecase.reports.investigation",
        "firecase.selfcheck",
        "firecase.cli",
    ],
)
def test_non_gui_layers_import_without_qt(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK.format(module=module)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = set(filter(None, result.stdout.strip().split(",")))
    assert not loaded & {"PySide6", "shiboken6"}, f"{module} pulled in Qt"
