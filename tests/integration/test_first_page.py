"""``services.first_page``: the list's first page read before the store is loaded.

It must be exactly what ``list_cases`` shows for the unfiltered, due-date-sorted list (same SQL,
same rows), answer None whenever it cannot be sure of that, and never write to the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy.dialects import sqlite as sqlite_dialect

from firecase.samples.synth import synthesize
from firecase.services import reading, users
from firecase.services.dto import CaseSort, UserInput
from firecase.services.first_page import COUNT_SQL, PAGE_SQL, read_first_page
from firecase.store import open_case_file

TODAY = dt.date(2026, 6, 1)
N = 260


@pytest.fixture(scope="module")
def synth_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("first-page") / "cases.sqlite"
    with open_case_file(path, user="测试") as cf:
        synthesize(cf, N, seed=3, today=TODAY, batch=100)
    return path


def _copy(src: Path, folder: Path) -> Path:
    target = folder / "copy.sqlite"
    target.write_bytes(src.read_bytes())
    return target


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_sql_is_the_statement_list_cases_runs() -> None:
    where, searched, *_ = reading._conditions(
        text=None, stage=None, grade=None, overdue_only=False, today=TODAY
    )
    assert where == [] and searched == ""
    page = reading.page_statement(where, CaseSort.NEXT_DUE, 0, 10)
    count = reading.count_statement(where)
    dialect = sqlite_dialect.dialect()
    assert str(page.compile(dialect=dialect)) == PAGE_SQL
    assert str(count.compile(dialect=dialect)) == COUNT_SQL


@pytest.mark.parametrize("limit", [1, 50, 200, N + 40])
@pytest.mark.parametrize("today", [TODAY, dt.date(2026, 12, 31), dt.date(2020, 1, 1)])
def test_page_equals_list_cases(synth_file: Path, limit: int, today: dt.date) -> None:
    early = read_first_page(str(synth_file), limit=limit, today=today)
    with open_case_file(synth_file, user="测试") as cf:
        listed = reading.list_cases(cf, limit=limit, today=today)
    assert early == listed
    assert early is not None and len(early.rows) == min(limit, N) and early.total == N
    assert any(r.overdue for r in early.rows) or today == dt.date(2020, 1, 1)


def test_nothing_is_written(synth_file: Path, tmp_path: Path) -> None:
    path = _copy(synth_file, tmp_path)
    before = _digest(path), path.stat().st_mtime_ns
    assert read_first_page(str(path), limit=100, today=TODAY) is not None
    assert (_digest(path), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.sqlite", "copy.sqlite.lock"]


def test_no_page_for_urls_and_missing_or_foreign_files(tmp_path: Path) -> None:
    url = "postgresql+psycopg://u:p@127.0.0.1:5432/db"
    assert read_first_page(url, limit=10, today=TODAY) is None
    assert read_first_page(str(tmp_path / "missing.sqlite"), limit=10, today=TODAY) is None
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    assert read_first_page(str(empty), limit=10, today=TODAY) is None
    text = tmp_path / "notes.sqlite"
    text.write_text("这不是数据库" * 100, encoding="utf-8")
    assert read_first_page(str(text), limit=10, today=TODAY) is None
    foreign = tmp_path / "other.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY)")
    assert read_first_page(str(foreign), limit=10, today=TODAY) is None
    assert read_first_page(str(tmp_path), limit=10, today=TODAY) is None  # a folder


def test_no_page_for_another_revision(synth_file: Path, tmp_path: Path) -> None:
    path = _copy(synth_file, tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0005'")
    conn.close()
    assert read_first_page(str(path), limit=10, today=TODAY) is None


def test_no_page_when_cases_are_stale(synth_file: Path, tmp_path: Path) -> None:
    path = _copy(synth_file, tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE cases SET clocks_stale = 1 WHERE id = (SELECT max(id) FROM cases)")
    conn.close()
    assert read_first_page(str(path), limit=10, today=TODAY) is None
    with open_case_file(path, user="测试") as cf:  # the list's reader recomputes them
        reading.list_cases(cf, today=TODAY)
    assert read_first_page(str(path), limit=10, today=TODAY) is not None


def test_no_page_for_a_shared_file_with_users(synth_file: Path, tmp_path: Path) -> None:
    path = _copy(synth_file, tmp_path)
    with open_case_file(path, user="王队长") as cf:
        users.add_user(cf, UserInput("王队长", "王建军", "管理员"), today=TODAY)
    assert read_first_page(str(path), limit=10, today=TODAY) is None


def test_no_page_while_another_process_has_the_file(synth_file: Path, tmp_path: Path) -> None:
    path = _copy(synth_file, tmp_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from firecase.store import open_case_file\n"
            "cf = open_case_file(sys.argv[1], user='x'); print('open', flush=True)\n"
            "sys.stdin.read()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        assert read_first_page(str(path), limit=10, today=TODAY) is None
    finally:
        holder.communicate("", timeout=60)
    assert read_first_page(str(path), limit=10, today=TODAY) is not None


def test_the_lock_is_released_for_the_real_open(synth_file: Path, tmp_path: Path) -> None:
    path = _copy(synth_file, tmp_path)
    assert read_first_page(str(path), limit=10, today=TODAY) is not None
    with open_case_file(path, user="测试") as cf:
        assert reading.count_cases(cf, today=TODAY) == N


def _needles() -> list[str]:
    """Searches an officer types: pieces of the titles, places and numbers, and the hostile."""
    path_text = "天门市竟陵街道仓库岳口镇纺织厂有限公司住宅第号〔2026〕"
    return [
        "仓库",
        "岳口",
        "竟陵",
        "第0",
        "〔2026〕",
        "2026",
        " 仓库 ",
        "纺",
        "有限公司",
        "不存在的地方",
        "%",
        "_",
        "\\",
        "a%_b",
        "ABC",
        path_text[3:6],
    ]


@pytest.mark.parametrize("needle", _needles())
def test_a_search_typed_while_opening_equals_list_cases(synth_file: Path, needle: str) -> None:
    """A search typed before the store is loaded is answered from the file: the same rows and
    count as ``list_cases`` (which may narrow by a two-character piece first)."""
    early = read_first_page(str(synth_file), limit=50, today=TODAY, text=needle)
    with open_case_file(synth_file, user="测试") as cf:
        listed = reading.list_cases(cf, text=needle, limit=50, today=TODAY)
    assert early == listed


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    needle=st.text(
        alphabet=st.sampled_from(list("天门市竟陵仓库岳口镇纺织第号〔〕2026 %_\\aA")), max_size=6
    )
)
def test_any_search_typed_while_opening_equals_list_cases(synth_file: Path, needle: str) -> None:
    early = read_first_page(str(synth_file), limit=30, today=TODAY, text=needle)
    with open_case_file(synth_file, user="测试") as cf:
        listed = reading.list_cases(cf, text=needle, limit=30, today=TODAY)
    assert early == listed


def test_a_search_the_store_would_refuse_is_not_answered_early(synth_file: Path) -> None:
    assert read_first_page(str(synth_file), limit=10, today=TODAY, text="长" * 101) is None
    assert read_first_page(str(synth_file), limit=10, today=TODAY, text="a\x00b") is None


def test_the_opening_waits_for_an_early_read_in_this_process(
    synth_file: Path, tmp_path: Path
) -> None:
    """The window's early read holds the file's lock for a moment: the store's opening, on
    another thread, waits for it instead of calling the file taken by another program; an
    early read while the store has the file gets no page (no waiting)."""
    import threading

    from firecase.store.lockfile import FileLock, lock_path

    path = _copy(synth_file, tmp_path)
    early = FileLock(lock_path(path))
    early.acquire()
    threading.Timer(0.3, early.release).start()
    with open_case_file(path, user="测试") as cf:  # waited for the early holder
        assert reading.count_cases(cf, today=TODAY) == N
        assert read_first_page(str(path), limit=10, today=TODAY, text="仓库") is None
