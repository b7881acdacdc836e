"""Backends for the integration tests: a real SQLite file and, when given, a real PostgreSQL.

``case_url`` is parametrised over both backends; every PostgreSQL test gets its own fresh
schema (dropped afterwards), so tests never see each other's data.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from firecase.store import CaseFile

PG_URL = os.environ.get("FIRECASE_TEST_PG_URL")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def case_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL (or path) for a brand-new, empty case file on each backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "案卷.sqlite")
        return
    if not PG_URL:
        pytest.skip("FIRECASE_TEST_PG_URL not set")
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def checked(case_url: str) -> Iterator[CaseFile]:
    """A filled case file that passed a full check (so it has a verified point: the
    incremental check's tests)."""
    from _fill import fill_case

    from firecase.services.maintenance import verify_case_file
    from firecase.store import open_case_file

    cf = open_case_file(case_url, user="填表员")
    fill_case(cf, 1)
    fill_case(cf, 2)
    assert verify_case_file(cf).ok
    with cf:
        yield cf
