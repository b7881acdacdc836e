"""A fresh schema on the test PostgreSQL server (``FIRECASE_TEST_PG_URL``), for the tests whose
case file is not ``case_url``'s (a schema they fill themselves, a server read by libpq)."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("FIRECASE_TEST_PG_URL")


def schema_url(schema: str, **parts: object) -> str:
    """The test server's URL with ``schema`` first on the search path (and ``parts`` set)."""
    assert PG_URL
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.set(**parts).render_as_string(hide_password=False)  # type: ignore[arg-type]


@contextlib.contextmanager
def _made(*create: str, drop: str) -> Iterator[None]:
    """Run ``create`` on the test server, then ``drop`` however the block ends."""
    assert PG_URL
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")  # CREATE DATABASE needs it
    with admin.connect() as conn:
        for statement in create:
            conn.execute(text(statement))
    try:
        yield
    finally:
        with admin.connect() as conn:
            conn.execute(text(drop))
        admin.dispose()


@contextlib.contextmanager
def fresh_schema(prefix: str = "t_") -> Iterator[str]:
    """The name of a new, empty schema, dropped afterwards (the test is skipped without a
    server)."""
    if not PG_URL:
        pytest.skip("FIRECASE_TEST_PG_URL not set")
    schema = prefix + uuid.uuid4().hex[:10]
    with _made(f'CREATE SCHEMA "{schema}"', drop=f'DROP SCHEMA "{schema}" CASCADE'):
        yield schema


def database_url(name: str) -> str:
    """The test server's URL of the database ``name``."""
    assert PG_URL
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


@contextlib.contextmanager
def fresh_database(template: str = "template0", name: str | None = None) -> Iterator[str]:
    """The name of a new database, a copy of ``template`` (``CREATE DATABASE … TEMPLATE``: ~20
    ms), dropped afterwards even while a connection is left on it."""
    name = name or "t_" + uuid.uuid4().hex[:12]
    with _made(
        f'DROP DATABASE IF EXISTS "{name}"',
        f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
        drop=f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
    ):
        yield name
