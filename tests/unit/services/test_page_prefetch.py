"""``services.first_page.PagePrefetch``: the page read ahead on a thread is the answer to the
same question, asked once; another question is read anew; a failure reaches the caller."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest

from firecase.services import first_page

TODAY = dt.date(2026, 12, 1)


def test_the_same_question_is_answered_by_the_read_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[str, int, dt.date]] = []
    release = threading.Event()

    def read(location: str, *, limit: int, today: dt.date, user: str | None = None) -> Any:
        asked.append((location, limit, today))
        if len(asked) == 1:
            release.wait(5)  # the window asks while the read is still under way
        return f"page {len(asked)}"

    monkeypatch.setattr(first_page, "read_first_page", read)
    ahead = first_page.PagePrefetch("postgresql://a:b@h/db", limit=200, today=TODAY)
    threading.Timer(0.05, release.set).start()
    assert ahead.result("postgresql://a:b@h/db", limit=200, today=TODAY) == "page 1"
    assert ahead.result("postgresql://a:b@h/db", limit=50, today=TODAY) == "page 2"
    assert asked == [("postgresql://a:b@h/db", 200, TODAY), ("postgresql://a:b@h/db", 50, TODAY)]


def test_a_failed_read_ahead_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    def read(location: str, **_kw: Any) -> Any:
        raise OSError("网络不可达")

    monkeypatch.setattr(first_page, "read_first_page", read)
    ahead = first_page.PagePrefetch("postgresql://a:b@h/db", limit=200, today=TODAY)
    with pytest.raises(OSError, match="网络不可达"):
        ahead.result("postgresql://a:b@h/db", limit=200, today=TODAY)
