"""Opening an up-to-date case file recognises its revision without importing Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from firecase.store.filecheck import alembic_config, head_revision

ROOT = Path(__file__).resolve().parents[3]


def test_head_revision_matches_alembic() -> None:
    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_opening_an_up_to_date_file_does_not_import_alembic(tmp_path: Path) -> None:
    db = tmp_path / "cases.sqlite"
    code = (
        "import sys\n"
        "from firecase.store import open_case_file\n"
        f"open_case_file({str(db)!r}, user='u').close()\n"  # creates: Alembic runs
        "for name in [m for m in sys.modules if m == 'alembic' or m.startswith('alembic.')]:\n"
        "    del sys.modules[name]\n"
        f"open_case_file({str(db)!r}, user='u').close()\n"  # up to date: no Alembic
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
