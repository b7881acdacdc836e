"""The early first page from a team's PostgreSQL server: painted before the store is loaded
(read through libpq by ``services.first_page``), then re-read in place by ``list_cases``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import TODAY
from test_early_first_page import _close_windows, _opened, _watch, _window

from firecase.samples.synth import synthesize
from firecase.services.reading import list_cases
from firecase.settings import PreferenceStore
from firecase.store import libpq, open_case_file
from tests._pg_schema import fresh_schema, schema_url

pytestmark = pytest.mark.postgres

PG_URL = os.environ.get("FIRECASE_TEST_PG_URL")
N = 7

__all__ = ["_close_windows"]  # the window-closing fixture, shared


@pytest.fixture
def server_url() -> Iterator[str]:
    if libpq.load() is None:
        pytest.skip("libpq not found")
    with fresh_schema("ui_") as schema:
        location = schema_url(schema)
        with open_case_file(location, user="测试") as cf:
            synthesize(cf, N, seed=4, today=TODAY, batch=N)
            list_cases(cf, today=TODAY)  # nothing stale: the early read may answer
        yield location


def test_first_page_from_the_server_is_shown_before_the_store_is_loaded(
    qtbot: Any, prefs: PreferenceStore, server_url: str
) -> None:
    window = _window(qtbot, prefs)
    seen = _watch(window)
    window.open_location(server_url)
    _opened(qtbot, window)
    assert seen[0] == (N, True, True)  # painted from the server, store not open
    assert seen[-1] == (N, False, False)  # read again by list_cases, in place
    model = window.list_panel.model
    with_store = list_cases(window.case_file, limit=model.page_size, today=TODAY).rows
    assert [model.row_at(i) for i in range(model.rowCount())] == list(with_store)
    assert window.count_label.text() == f"案件 {N} 件"


def test_the_page_read_ahead_at_start_is_the_one_painted(
    qtbot: Any, prefs: PreferenceStore, server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``ui.app.run_gui`` begins the server's read before the window is built
    (``prefetch_first_page``); the window paints that page and reads none of its own."""
    from firecase.services import first_page
    from firecase.ui.app import prefetch_first_page

    reads: list[str] = []
    real = first_page.read_first_page

    def counted(location: str, **kw: Any) -> Any:
        reads.append(location)
        return real(location, **kw)

    monkeypatch.setattr(first_page, "read_first_page", counted)
    prefetched = prefetch_first_page(server_url, today=TODAY, user="测试")  # the window's
    assert prefetched is not None
    window = _window(qtbot, prefs)
    seen = _watch(window)
    window.open_location(server_url, prefetched=prefetched)
    _opened(qtbot, window)
    assert seen[0] == (N, True, True) and reads == [server_url]


def test_no_read_ahead_for_a_file_or_a_server_without_its_password(tmp_path: Any) -> None:
    from firecase.ui.app import prefetch_first_page

    assert prefetch_first_page(str(tmp_path / "案卷.sqlite")) is None
    assert prefetch_first_page("postgresql+psycopg://zhou@127.0.0.1/firecase") is None
