"""Shared helpers of the fault tests: old-revision case files, a PostgreSQL schema, figures."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from firecase.store import head_revision
from firecase.store.filecheck import alembic_config
from tests._demo import demo_into
from tests._pg_schema import fresh_schema, schema_url

PG_URL = os.environ.get("FIRECASE_TEST_PG_URL")
TODAY = dt.date(2026, 6, 1)


def old_revisions() -> list[str]:
    """Every revision before the head this FireCase ships, newest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in script.walk_revisions() if r.revision != head_revision()]


def demo_file(path: Path) -> Path:
    """A closed case file (no -wal) at the head revision holding the demo cases."""

    demo_into(path, today=TODAY, user="测试")
    for side in ("-wal", "-shm", ".lock"):
        Path(str(path) + side).unlink(missing_ok=True)
    return path


def downgrade_snapshots(base: Path, folder: Path, revisions: list[str]) -> dict[str, Path]:
    """``base`` downgraded step by step (``revisions`` newest first), a copy at each revision.

    The upgrade tests build their old files the same way (a head file downgraded).
    """
    work = folder / "downgrading.sqlite"
    shutil.copy(base, work)
    out: dict[str, Path] = {}
    for rev in revisions:
        engine = create_engine(f"sqlite:///{work}")
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), rev)
        engine.dispose()
        out[rev] = folder / f"old-{rev}.sqlite"
        shutil.copy(work, out[rev])
    return out


@contextlib.contextmanager
def pg_schema() -> Iterator[str]:
    """A URL on a fresh schema of the test PostgreSQL server (dropped afterwards)."""
    with fresh_schema("f_") as schema:
        yield schema_url(schema)


def child_env() -> dict[str, str]:
    """The environment for a child Python process that imports firecase from this checkout."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env
