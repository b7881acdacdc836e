"""The case list's early first page: shown before the store is loaded, then re-read in place.

``MainWindow.open_location`` asks ``services.first_page`` for the page (standard ``sqlite3``) and
queues the real open only after it is painted; the list's reader then reads it again without
dropping the rows or the selection. A row activated meanwhile opens once the file is open; a
file that then fails to open leaves an empty list behind.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from conftest import TODAY, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from firecase.services.reading import list_cases
from firecase.services.vocab import CasePage, CaseRow, CaseSort
from firecase.settings import PreferenceStore
from firecase.ui.main_window import MainWindow
from firecase.ui.models.case_list import CaseListModel, CaseQuery
from firecase.ui.worker import Worker

_OPEN: list[MainWindow] = []


@pytest.fixture(autouse=True)
def _close_windows(qtbot: Any) -> Any:
    """Close every window a test made (its worker finishes, its case file is closed)."""
    yield
    while _OPEN:
        window = _OPEN.pop()
        # pytest-qt may have closed and deleted it already (closing does not wait for the
        # worker: the file is closed by a job, so waiting lets the deferred delete run)
        if shiboken6.isValid(window):
            wait_idle(qtbot, window.worker)
        if shiboken6.isValid(window):
            window.close()


def _window(qtbot: Any, prefs: PreferenceStore, *, show: bool = True) -> MainWindow:
    from firecase.ui.app import setup_application

    setup_application()
    window = MainWindow(user="测试", prefs=prefs, today=lambda: TODAY)
    qtbot.addWidget(window)
    _OPEN.append(window)
    if show:
        window.show()
    return window


def _watch(window: MainWindow) -> list[tuple[int, bool, bool]]:
    """(rows, early page?, store not open yet?) at every page the list model reports."""
    model = window.list_panel.model
    seen: list[tuple[int, bool, bool]] = []
    model.page_loaded.connect(
        lambda _total: seen.append(
            (model.rowCount(), model.showing_first_page, window.case_file is None)
        )
    )
    return seen


def _opened(qtbot: Any, window: MainWindow) -> None:
    model = window.list_panel.model
    qtbot.waitUntil(lambda: window.case_file is not None, timeout=15000)
    qtbot.waitUntil(lambda: window.current_user is not None, timeout=15000)
    wait_idle(qtbot, window.worker)
    assert not model.showing_first_page


def test_first_page_is_shown_before_the_file_is_opened_and_kept(
    qtbot: Any, prefs: PreferenceStore, demo_path: Path
) -> None:
    window = _window(qtbot, prefs)
    seen = _watch(window)
    table = window.list_panel.table
    window.list_panel.model.page_loaded.connect(
        lambda _t: table.selectRow(1) if window.list_panel.model.showing_first_page else None
    )
    window.open_location(str(demo_path))
    _opened(qtbot, window)
    assert seen[0] == (2, True, True)  # painted from services.first_page, store not open
    assert seen[-1] == (2, False, False)  # read again by list_cases, in place
    model = window.list_panel.model
    with_store = list_cases(window.case_file, limit=model.page_size, today=TODAY).rows
    assert [model.row_at(i) for i in range(model.rowCount())] == list(with_store)
    selected = table.selectionModel().selectedRows()
    assert [i.row() for i in selected] == [1]  # the selection survived the re-read
    assert window.count_label.text() == "案件 2 件"


def test_row_activated_in_the_early_page_opens_once_the_file_is_open(
    qtbot: Any, prefs: PreferenceStore, demo_path: Path
) -> None:
    window = _window(qtbot, prefs)
    # keys reach the active window only: an officer's Return cannot come sooner (on a loaded
    # machine the offscreen window was activated after the early page, and the Return was lost)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=15000)
    model = window.list_panel.model
    table = window.list_panel.table
    asked: list[int] = []
    pending: list[bool] = []

    def activate(_total: int) -> None:
        if model.showing_first_page and not asked:
            row = model.row_at(0)
            assert row is not None
            asked.append(row.id)
            table.setFocus()
            table.setCurrentIndex(model.index(0, 0))
            assert table.hasFocus()
            qtbot.keyClick(table, Qt.Key.Key_Return)  # 打开 the current row
            pending.append(window.case_file is None and window.tabs.count() == 1)

    model.page_loaded.connect(activate)
    opened: list[int] = []
    window.case_opened.connect(opened.append)
    window.open_location(str(demo_path))
    _opened(qtbot, window)
    qtbot.waitUntil(lambda: opened == asked, timeout=15000)
    assert pending == [True]  # asked for before the file was open, opened after
    assert window.tabs.count() == 2
    assert getattr(window.tabs.currentWidget(), "case_id", None) == asked[0]


def test_a_search_typed_while_the_file_opens_is_answered_before_the_store_is_loaded(
    qtbot: Any, prefs: PreferenceStore, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The officer types as soon as the rows show: the search is answered from the file
    (``services.first_page``) while the store still loads, then read again by ``list_cases``
    in place. The store's opening is slowed here so that the order is certain."""
    import time

    import firecase.store as store

    real_open = store.open_case_file

    def slow_open(*args: Any, **kwargs: Any) -> Any:
        time.sleep(1.5)  # as long as loading the store takes on a slow laptop
        return real_open(*args, **kwargs)

    monkeypatch.setattr(store, "open_case_file", slow_open)
    window = _window(qtbot, prefs)
    seen = _watch(window)
    model = window.list_panel.model
    typed: list[bool] = []

    def type_search(_total: int) -> None:
        if model.showing_first_page and not typed:
            typed.append(True)
            window.list_panel.search.setText("仓库")

    model.page_loaded.connect(type_search)
    window.open_location(str(demo_path))
    qtbot.waitUntil(lambda: model.query.text == "仓库" and model.showing_first_page, timeout=10000)
    assert window.case_file is None  # answered before the store was loaded
    early = [model.row_at(i) for i in range(model.rowCount())]
    assert early and all(r is not None and "仓库" in r.title for r in early)
    _opened(qtbot, window)
    with_store = list_cases(window.case_file, text="仓库", limit=model.page_size, today=TODAY)
    assert [model.row_at(i) for i in range(model.rowCount())] == list(with_store.rows) == early
    assert (1, True, True) in seen and seen[-1] == (1, False, False)
    assert window.count_label.text() == f"案件 {with_store.total} 件"


def test_early_page_is_cleared_when_the_file_then_fails_to_open(
    qtbot: Any, prefs: PreferenceStore, demo_path: Path
) -> None:
    demo_path.chmod(0o444)  # readable (the early page), refused for writing (the open)
    try:
        window = _window(qtbot, prefs)
        seen = _watch(window)
        window.open_location(str(demo_path))
        qtbot.waitUntil(
            lambda: any(b.isVisible() for b in window.findChildren(QMessageBox, "errorBox")),
            timeout=15000,
        )
        wait_idle(qtbot, window.worker)
        assert seen and seen[0] == (2, True, True)
        assert window.case_file is None
        assert window.list_panel.model.rowCount() == 0
        assert not window.list_panel.model.showing_first_page
        assert window.count_label.text() == ""
        box = next(b for b in window.findChildren(QMessageBox, "errorBox") if b.isVisible())
        assert "只读" in box.text()
        box.close()
    finally:
        demo_path.chmod(0o644)


def test_hidden_window_opens_without_waiting_for_a_paint(
    qtbot: Any, prefs: PreferenceStore, demo_path: Path
) -> None:
    window = _window(qtbot, prefs, show=False)
    seen = _watch(window)
    window.open_location(str(demo_path))
    _opened(qtbot, window)
    assert seen[0][:2] == (2, True)
    assert window.list_panel.model.rowCount() == 2


def test_no_early_page_for_a_new_file(qtbot: Any, prefs: PreferenceStore, tmp_path: Path) -> None:
    window = _window(qtbot, prefs)
    seen = _watch(window)
    window.open_location(str(tmp_path / "新案卷.sqlite"))
    _opened(qtbot, window)
    assert all(not early for _rows, early, _none in seen)


# -- the model on its own ------------------------------------------------------------------------


def _row(case_id: int) -> CaseRow:
    return CaseRow(
        id=case_id,
        case_no=f"天消调〔2026〕第{case_id:03d}号",
        title="火灾",
        stage="调查",
        grade="一般",
        fire_date=dt.date(2026, 5, 1),
        place="天门市",
        unit_name="",
        next_due_on=dt.date(2026, 6, 30),
        next_due_label="调查期限",
        overdue=False,
        version=1,
    )


def _page(ids: list[int], total: int, limit: int = 3) -> CasePage:
    return CasePage(rows=tuple(_row(i) for i in ids), total=total, offset=0, limit=limit)


def test_model_shows_an_early_page_only_when_it_is_what_the_list_would_show(qtbot: Any) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    worker = Worker(host)
    model = CaseListModel(worker, host, page_size=3, today=lambda: TODAY)
    assert not model.show_first_page(_page([1, 2, 3], 10, limit=5))  # another page size
    model.set_query(CaseQuery(sort=CaseSort.FIRE_DATE_DESC))
    assert not model.show_first_page(_page([1, 2, 3], 10))  # another sort
    model.set_query(CaseQuery())
    assert model.show_first_page(_page([1, 2, 3], 10))
    assert model.rowCount() == 3 and model.total == 10 and model.showing_first_page
    assert not model.canFetchMore()  # more pages only through the list's reader
    assert not model.show_first_page(_page([4, 5, 6], 10))  # rows are shown already
    model.set_query(CaseQuery(text="岳口"))  # a filter typed meanwhile drops the early page
    assert model.rowCount() == 0 and not model.showing_first_page


@pytest.mark.parametrize(
    ("again", "kept"), [([1, 2, 3], True), ([3, 2, 1], False), ([1, 2], False)]
)
def test_model_rereads_the_early_page_in_place(qtbot: Any, again: list[int], kept: bool) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    worker = Worker(host)
    model = CaseListModel(worker, host, page_size=3, today=lambda: TODAY)
    model.show_first_page(_page([1, 2, 3], 10))
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    total = 10 if len(again) == 3 else len(again)
    model.set_fetcher(lambda q, off, lim, today: _page(again, total))
    wait_idle(qtbot, worker)
    assert [model.row_at(i).id for i in range(model.rowCount())] == again  # type: ignore[union-attr]
    assert not model.showing_first_page
    assert (not resets) is kept
    assert model.total == total
