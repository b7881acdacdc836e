"""The store and services never import Qt (they run headless and in worker threads)."""

from __future__ import annotations

import subprocess
import sys


def test_store_and_services_import_without_qt() -> None:
    code = (
        "import sys\n"
        "import firecase.store, firecase.services.cases, firecase.services.evidence\n"
        "import firecase.services.parties, firecase.services.team, firecase.services.recusal\n"
        "import firecase.services.deadlines, firecase.services.findings, firecase.services.reply\n"
        "import firecase.services.recommendations, firecase.services.evaluation\n"
        "import firecase.services.clock_board, firecase.services.maintenance\n"
        "import firecase.samples.demo, firecase.services.settings\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_naming_convention_names_every_constraint() -> None:
    from firecase.store.models import Base

    for table in Base.metadata.sorted_tables:
        for constraint in table.constraints:
            assert constraint.name, (table.name, constraint)
