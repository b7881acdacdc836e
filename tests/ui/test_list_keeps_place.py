"""The case list keeps its place when it is read again (刷新, after a save, others' changes).

An officer who has scrolled to a case and selected it should find it still selected, with the
same case at the top of the table, after the list is read again, whether the rows stayed the
same or a new case moved every row down.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView

from firecase.samples.synth import synthesize
from firecase.services.cases import open_case
from firecase.services.dto import CasualtyInput, IncidentInput
from firecase.store import open_case_file

CASES = 300


@pytest.fixture(scope="module")
def many_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("many") / "many.sqlite"
    with open_case_file(path, user="测试") as cf:
        synthesize(cf, CASES, seed=5, today=TODAY, large_case=False, batch=100)
    return path


@pytest.fixture
def many_path(many_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "many.sqlite"
    target.write_bytes(many_template.read_bytes())
    return target


def _place(window: Any) -> tuple[int | None, int, list[int]]:
    """(selected case, case at the top of the table, selected rows)."""
    panel = window.list_panel
    top = panel.model.row_at(panel.table.rowAt(0))
    assert top is not None
    rows = sorted(i.row() for i in panel.table.selectionModel().selectedRows())
    return panel.current_case_id(), top.id, rows


def _scroll_and_click(window: Any, qtbot: Any) -> tuple[int, int]:
    """Scroll so row 120 is at the top, click the case three rows below; (row, case id)."""
    table, model = window.list_panel.table, window.list_panel.model
    table.scrollTo(model.index(120, 0), QAbstractItemView.ScrollHint.PositionAtTop)
    row = table.rowAt(0) + 3
    rect = table.visualRect(model.index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    case_id = window.list_panel.current_case_id()
    assert case_id == model.row_at(row).id
    return row, case_id


def test_refresh_with_nothing_changed_keeps_selection_and_scroll(
    make_window: Any, many_path: Path, qtbot: Any
) -> None:
    window = make_window(many_path)
    row, case_id = _scroll_and_click(window, qtbot)
    before = _place(window)
    resets: list[bool] = []
    window.list_panel.model.modelReset.connect(lambda: resets.append(True))

    window.actions_by_name["refresh"].trigger()  # 刷新 (F5)
    wait_idle(qtbot, window.worker)

    assert _place(window) == before == (case_id, before[1], [row])
    assert resets == []  # the same rows in the same order: read in place, no reset


def test_a_new_case_above_moves_the_rows_but_not_the_place(
    make_window: Any, many_path: Path, qtbot: Any
) -> None:
    window = make_window(many_path)
    model = window.list_panel.model
    row, case_id = _scroll_and_click(window, qtbot)
    _, top_id, _ = _place(window)
    loaded = model.rowCount()

    # a case whose investigation clock is due before every other: it becomes the first row
    # (the first day of the measures, 第二十六条; included by its loss, 第五条第二项)
    early = open_case(
        window.case_file,
        IncidentInput(
            title="仓库火灾（补录）",
            fire_date=dt.date(2022, 11, 28),
            place="天门市竟陵街道",
            fire_type="建筑火灾",
            property_loss_yuan=Decimal(600000),
            economic_loss_yuan=Decimal(600000),
        ),
        CasualtyInput(as_of=dt.date(2022, 11, 28), deaths=0, serious_injuries=0),
        today=TODAY,
    )
    with qtbot.waitSignal(model.modelReset, timeout=10000):
        window.refresh()
    wait_idle(qtbot, window.worker)

    assert model.row_at(0).id == early.id
    assert model.rowCount() == loaded  # the rows loaded before, read again
    assert _place(window) == (case_id, top_id, [row + 1])
    assert model.row_of_case(case_id) == row + 1


def test_a_filter_change_starts_from_the_top(make_window: Any, many_path: Path, qtbot: Any) -> None:
    window = make_window(many_path)
    panel = window.list_panel
    _scroll_and_click(window, qtbot)
    panel.overdue_only.setChecked(True)
    wait_idle(qtbot, window.worker)
    assert panel.model.rowCount() > 0
    assert panel.table.rowAt(0) == 0 and panel.current_case_id() is None


def test_refresh_while_a_page_is_being_fetched_reads_that_page_too(
    make_window: Any, many_path: Path, qtbot: Any
) -> None:
    """The page scrolling asked for is superseded by the refresh, not lost with it."""
    window = make_window(many_path)
    model = window.list_panel.model
    assert model.rowCount() == 200 and model.canFetchMore()
    model.fetchMore()  # rows 200–299 are on their way
    assert model.loading
    window.refresh()
    wait_idle(qtbot, window.worker)
    assert model.rowCount() == CASES and not model.canFetchMore()


def test_refresh_beyond_one_fetch_reads_in_chunks(
    make_window: Any, many_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from firecase.services.reading import list_cases
    from firecase.ui.models import case_list

    monkeypatch.setattr(case_list, "FETCH_CHUNK", 70)
    window = make_window(many_path)
    model = window.list_panel.model
    model.fetchMore()
    wait_idle(qtbot, window.worker)
    assert model.rowCount() == CASES
    _row, case_id = _scroll_and_click(window, qtbot)
    chunks: list[tuple[int, int]] = []
    fetcher = model._fetcher

    def counting(query: Any, offset: int, limit: int, today: dt.date) -> Any:
        chunks.append((offset, limit))
        return fetcher(query, offset, limit, today)

    model._fetcher = counting
    window.refresh()
    wait_idle(qtbot, window.worker)
    assert chunks == [(0, 70), (70, 70), (140, 70), (210, 70), (280, 20)]
    listed = list_cases(window.case_file, limit=CASES, today=TODAY).rows
    assert [model.row_at(i).id for i in range(model.rowCount())] == [r.id for r in listed]
    assert window.list_panel.current_case_id() == case_id


def test_a_list_scrolled_past_the_refresh_limit_starts_again_from_the_top(
    make_window: Any, many_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from firecase.ui.models import case_list

    monkeypatch.setattr(case_list, "REFRESH_MAX_ROWS", 150)
    window = make_window(many_path)
    _scroll_and_click(window, qtbot)
    window.refresh()
    wait_idle(qtbot, window.worker)
    panel = window.list_panel
    assert panel.model.rowCount() == 200 and panel.table.rowAt(0) == 0
    assert panel.current_case_id() is None


def test_the_selected_case_removed_elsewhere_leaves_no_selection(
    make_window: Any, many_path: Path, qtbot: Any
) -> None:
    from firecase.services.cases import remove_case
    from firecase.services.reading import get_case_summary

    window = make_window(many_path)
    _row, case_id = _scroll_and_click(window, qtbot)
    _, top_id, _ = _place(window)
    version = get_case_summary(window.case_file, case_id).version
    remove_case(window.case_file, case_id, expected_version=version)
    window.refresh()
    wait_idle(qtbot, window.worker)
    panel = window.list_panel
    assert panel.model.row_of_case(case_id) == -1
    assert panel.current_case_id() is None
    assert not panel.table.selectionModel().selectedRows()
    assert _place(window)[1] == top_id  # the case at the top stayed there
