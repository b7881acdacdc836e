"""Server URLs for the 连接数据库 dialog: built from fields, stored without the password."""

from __future__ import annotations

import os

import pytest

from firecase.errors import CaseFileError, ValidationError
from firecase.store.server import (
    ServerAddress,
    check_connection,
    has_password,
    parse_server_url,
    public_url,
)


def test_url_round_trip_and_password_never_stored() -> None:
    address = ServerAddress("db.tianmen.local", 5433, "firecase", "zhou")
    full = address.url("p@ss:w/rd")
    assert full == "postgresql+psycopg://zhou:p%40ss%3Aw%2Frd@db.tianmen.local:5433/firecase"
    assert has_password(full)
    stored = public_url(full)
    assert stored == "postgresql+psycopg://zhou@db.tianmen.local:5433/firecase"
    assert "p%40ss" not in stored and not has_password(stored)
    assert parse_server_url(full) == address
    assert address.url() == stored


@pytest.mark.parametrize(
    ("address", "field"),
    [
        (ServerAddress("", 5432, "db", "u"), "host"),
        (ServerAddress("h", 5432, " ", "u"), "database"),
        (ServerAddress("h", 5432, "db", ""), "user"),
        (ServerAddress("h", 0, "db", "u"), "port"),
    ],
)
def test_missing_fields_are_refused(address: ServerAddress, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        address.url("x")
    assert err.value.field == field


def test_parse_refuses_other_urls() -> None:
    with pytest.raises(ValidationError, match="不是 PostgreSQL"):
        parse_server_url("sqlite:///a.sqlite")
    with pytest.raises(ValidationError, match="无法识别"):
        parse_server_url("not a url ::")


def test_check_connection_reports_failure_in_chinese() -> None:
    bad = ServerAddress("127.0.0.1", 1, "nodb", "nobody").url("x")
    with pytest.raises(CaseFileError, match="无法连接数据库服务器"):
        check_connection(bad, timeout_s=2)


@pytest.mark.postgres
def test_check_connection_on_a_server() -> None:
    url = os.environ.get("FIRECASE_TEST_PG_URL")
    if not url:
        pytest.skip("FIRECASE_TEST_PG_URL not set")
    assert "PostgreSQL" in check_connection(url)
