"""Backends for the integration tests: a real SQLite file and, when given, a real PostgreSQL.

``case_url`` is parametrised over both backends; every PostgreSQL test gets its own fresh
database (a copy of a new case file, dropped afterwards), so tests never see each other's data.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from firecase.store import CaseFile
from tests._pg_schema import database_url, fresh_database

PG_URL = os.environ.get("FIRECASE_TEST_PG_URL")


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A database holding a new case file (migrated to head once per test process): each
    PostgreSQL test's database is a copy of it (``CREATE DATABASE … TEMPLATE``, ~20 ms, where
    running every migration on the server takes ~0.5 s)."""
    from firecase.store import open_case_file

    assert PG_URL
    name = f"fc_tmpl_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    with fresh_database(name=name):
        with open_case_file(database_url(name), user="模板"):
            pass
        yield name


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def case_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL (or path) for a brand-new, empty case file on each backend (PostgreSQL: a
    database of its own, a copy of ``pg_template``; an empty database for a test marked
    ``blank_database``, which is about what opening does to a database with nothing in it)."""
    if request.param == "sqlite":
        yield str(tmp_path / "案卷.sqlite")
        return
    if not PG_URL:
        pytest.skip("FIRECASE_TEST_PG_URL not set")
    # a test of what FireCase does to a database with nothing in it takes an empty one
    blank = request.node.get_closest_marker("blank_database") is not None
    with fresh_database("template0" if blank else request.getfixturevalue("pg_template")) as name:
        yield database_url(name)


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
