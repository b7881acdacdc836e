"""``services.first_page`` on a team's PostgreSQL server: the first page read through libpq
before the store is loaded must be exactly what ``list_cases`` shows to the same login (the
server's GRANTs and policies decide, as for the store), answer None whenever that cannot be
guaranteed, and never write."""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
from collections.abc import Iterator

import pytest
import test_pg_team as pg
from sqlalchemy import create_engine, text
from sqlalchemy.dialects.postgresql import psycopg as psycopg_dialect
from sqlalchemy.engine import make_url
from test_pg_team import Team

from firecase.errors import PermissionDeniedError
from firecase.samples.synth import synthesize
from firecase.services import reading, users
from firecase.services.dto import CaseSort, UserInput
from firecase.services.first_page import pg_statements, read_first_page
from firecase.store import libpq, open_case_file
from tests._pg_schema import fresh_schema, schema_url

pytestmark = pytest.mark.postgres

PG_URL = os.environ.get("FIRECASE_TEST_PG_URL")
TODAY = dt.date(2026, 6, 1)
N = 150

team = pg.team


_url = schema_url


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A schema of ``N`` synthetic cases (one shared account, no users), dropped afterwards."""
    if libpq.load() is None:
        pytest.skip("libpq not found")
    with fresh_schema("fp_") as schema:
        with open_case_file(_url(schema), user="测试") as cf:
            synthesize(cf, N, seed=5, today=TODAY, batch=75)
            reading.list_cases(cf, today=TODAY)  # nothing stale
        yield schema


def _normalised(sql: str) -> str:
    """psycopg's named placeholders as ``$1``… in order, whitespace collapsed."""
    counter = iter(range(1, 100))
    numbered = re.sub(r"%\(\w+\)s", lambda _: f"${next(counter)}", sql)
    return " ".join(numbered.split())


@pytest.mark.parametrize("searched", [False, True])
def test_statements_are_what_list_cases_sends_through_psycopg(searched: bool) -> None:
    found = reading._conditions(
        text="仓库" if searched else None,
        stage=None,
        grade=None,
        overdue_only=False,
        today=TODAY,
    )
    page = reading.page_statement(found.where, CaseSort.NEXT_DUE, 0, 10)
    count = reading.count_statement(found.where)
    dialect = psycopg_dialect.dialect()
    count_sql, page_sql = pg_statements(searched)
    assert _normalised(str(page.compile(dialect=dialect))) == _normalised(page_sql)
    assert _normalised(str(count.compile(dialect=dialect))) == _normalised(count_sql)


@pytest.mark.parametrize("limit", [1, 50, N + 10])
@pytest.mark.parametrize("today", [TODAY, dt.date(2027, 2, 1)])
def test_page_equals_list_cases(server: str, limit: int, today: dt.date) -> None:
    url = _url(server)
    early = read_first_page(url, limit=limit, today=today)
    with open_case_file(url, user="测试") as cf:
        listed = reading.list_cases(cf, limit=limit, today=today)
    assert early == listed
    assert early is not None and early.total == N and len(early.rows) == min(limit, N)


@pytest.mark.parametrize("needle", ["仓库", "岳口", "2026", "纺", "%", "_", "\\", "不存在的地方"])
def test_a_search_typed_while_opening_equals_list_cases(server: str, needle: str) -> None:
    url = _url(server)
    early = read_first_page(url, limit=30, today=TODAY, text=needle)
    with open_case_file(url, user="测试") as cf:
        listed = reading.list_cases(cf, text=needle, limit=30, today=TODAY)
    assert early == listed


def test_nothing_can_be_written_through_the_early_connection(server: str) -> None:
    params = libpq.connect_params(_url(server))
    assert params is not None
    with libpq.Connection.open(params, timeout_s=2) as conn:
        conn.rows("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        with pytest.raises(libpq.ServerReadError) as refused:
            conn.rows("UPDATE cases SET title = 'x'")
    assert refused.value.sqlstate == "25006"  # read_only_sql_transaction


def test_the_early_read_is_four_round_trips_in_one_read_only_transaction(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each round trip waits on the network while the window starts: the transaction and the
    owner, the checks, the count, the page (there were nine). The first of them is what makes
    the rest read-only."""
    sent: list[str] = []
    real_rows, real_script = libpq.Connection.rows, libpq.Connection.script

    def rows(self: libpq.Connection, sql: str, params: object = ()) -> object:
        sent.append(sql)
        return real_rows(self, sql, params)  # type: ignore[arg-type]

    def script(self: libpq.Connection, sql: str) -> object:
        sent.append(sql)
        return real_script(self, sql)

    monkeypatch.setattr(libpq.Connection, "rows", rows)
    monkeypatch.setattr(libpq.Connection, "script", script)
    page = read_first_page(_url(server), limit=50, today=TODAY)
    assert page is not None and page.total == N
    assert len(sent) == 4, sent
    assert sent[0].startswith("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;")
    assert "statement_timeout" in sent[0]


def test_a_script_stops_at_its_first_failing_statement(server: str) -> None:
    params = libpq.connect_params(_url(server))
    assert params is not None
    with libpq.Connection.open(params, timeout_s=2) as conn:
        assert conn.script("SELECT 1; SELECT 2, '二'") == [("2", "二")]  # the last result
        with pytest.raises(libpq.ServerReadError) as refused:
            conn.script("BEGIN READ ONLY; UPDATE cases SET title = 'x'; SELECT 3")
    assert refused.value.sqlstate == "25006"  # the script's own BEGIN made it read-only


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_no_page_when_the_server_cannot_say_for_sure(server: str) -> None:
    assert read_first_page(_url(server, password="wrong"), limit=10, today=TODAY) is None
    closed = _url(server, host="127.0.0.1", port=_free_port())
    assert read_first_page(closed, limit=10, today=TODAY) is None
    assert read_first_page(_url("no_such_schema"), limit=10, today=TODAY) is None
    several = _url(server) + "&host=127.0.0.1&host=localhost"
    assert read_first_page(several, limit=10, today=TODAY) is None


def _fresh_copy() -> Iterator[str]:
    with fresh_schema("fp_") as schema:
        with open_case_file(_url(schema), user="测试") as cf:
            synthesize(cf, 5, seed=9, today=TODAY, batch=5)
            reading.list_cases(cf, today=TODAY)
        yield schema


@pytest.fixture
def small(server: str) -> Iterator[str]:
    yield from _fresh_copy()


def _run(schema: str, sql: str) -> None:
    assert PG_URL
    engine = create_engine(_url(schema))
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()


def test_no_page_for_another_revision(small: str) -> None:
    assert read_first_page(_url(small), limit=10, today=TODAY) is not None
    _run(small, "UPDATE alembic_version SET version_num = '0005'")
    assert read_first_page(_url(small), limit=10, today=TODAY) is None


def test_no_page_when_cases_are_stale(small: str) -> None:
    _run(small, "UPDATE cases SET clocks_stale = true WHERE id = (SELECT max(id) FROM cases)")
    assert read_first_page(_url(small), limit=10, today=TODAY) is None
    with open_case_file(_url(small), user="测试") as cf:
        reading.list_cases(cf, today=TODAY)
    assert read_first_page(_url(small), limit=10, today=TODAY) is not None


def test_no_page_for_a_shared_account_with_users(small: str) -> None:
    with open_case_file(_url(small), user="王队长") as cf:
        users.add_user(cf, UserInput("王队长", "王建军", "管理员"), today=TODAY)
    assert read_first_page(_url(small), limit=10, today=TODAY) is None


def test_a_team_login_sees_what_list_cases_shows_it(team: Team) -> None:
    """In team mode the early read logs in as the officer: the server's policies decide what
    the page holds, exactly as for the store; a wrong password reads nothing."""
    for who in ("admin", "chen", "guest"):
        url = team.url(who)
        early = read_first_page(url, limit=20, today=pg.TODAY)
        with open_case_file(url) as cf:
            listed = reading.list_cases(cf, limit=20, today=pg.TODAY)
        assert early == listed, who
    assert read_first_page(team.url("chen", password="Wrong-2026"), limit=5, today=pg.TODAY) is None


def test_no_page_in_team_mode_for_another_name_than_the_login(team: Team) -> None:
    """``--user`` naming someone else: the store refuses it (nobody acts as another officer),
    so no page may be shown before that refusal; the login's own name reads as before."""
    url = team.url("chen")
    login = make_url(url).username
    assert read_first_page(url, limit=20, today=pg.TODAY, user="周警官") is None
    with pytest.raises(PermissionDeniedError):
        open_case_file(url, user="周警官")
    assert read_first_page(url, limit=20, today=pg.TODAY, user=login) is not None


def test_a_shared_account_shows_the_page_whatever_name_acts(server: str) -> None:
    """Without team mode the store keeps the caller's name (the trail names the account)."""
    assert read_first_page(_url(server), limit=5, today=TODAY, user="周警官") is not None
