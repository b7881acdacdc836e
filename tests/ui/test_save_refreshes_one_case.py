"""A save in a case tab repaints the case first, then reads only that case's list row and its
clock-board entries again, not the whole list and board (issue 22)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from test_workspace_support import type_text

from tests.ui.conftest import TODAY, wait_idle


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often the whole list and the whole board are read from now on."""
    import firecase.services.clock_board as board
    import firecase.services.reading as cases

    calls = {"list_cases": 0, "clock_board": 0}
    real_list, real_board = cases.list_cases, board.clock_board

    def list_cases(*args: Any, **kwargs: Any) -> Any:
        calls["list_cases"] += 1
        return real_list(*args, **kwargs)

    def clock_board(*args: Any, **kwargs: Any) -> Any:
        calls["clock_board"] += 1
        return real_board(*args, **kwargs)

    monkeypatch.setattr(cases, "list_cases", list_cases)
    monkeypatch.setattr(board, "clock_board", clock_board)
    return calls


@pytest.fixture(autouse=True)
def _no_prompt_left(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that fails with input unsaved does not leave the closing window asking."""
    from firecase.ui import messages

    monkeypatch.setattr(messages, "ask_discard", lambda *_a: messages.DiscardAnswer.DISCARD)


def open_first_case(window: Any, qtbot: Any) -> Any:
    model = window.list_panel.model
    # the demo case under investigation (the other is replied: its guard would ask first)
    case_id = min(model.row_at(i).id for i in range(model.rowCount()))
    ws = window.open_case(case_id)
    qtbot.waitUntil(lambda: ws.detail is not None, timeout=15000)
    wait_idle(qtbot, window.worker)
    return ws


def full_board(window: Any) -> tuple[Any, ...]:
    from firecase.services.clock_board import clock_board

    return clock_board(window.case_file, today=TODAY, include_done=False)


def test_a_save_refreshes_only_its_row_and_clocks_after_repainting_the_case(
    make_window: Any, demo_path: Path, qtbot: Any, counted: dict[str, int]
) -> None:
    window = make_window(demo_path)
    ws = open_first_case(window, qtbot)
    model = window.list_panel.model
    rows_before = [model.row_at(i) for i in range(model.rowCount())]
    order: list[str] = []
    ws.detail_loaded.connect(lambda _d: order.append("case"))
    window.refreshed.connect(lambda: order.append("list and board"))
    counted.update(list_cases=0, clock_board=0)

    tab = ws.tab("概况")
    address = tab.facts.form.editor("address")
    address.clear()
    type_text(address, "竟陵街道东湖路1号（更正）")
    with qtbot.waitSignal(window.refreshed, timeout=15000):
        qtbot.mouseClick(tab.facts.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.worker)

    assert order == ["case", "list and board"]  # the case is repainted first
    assert counted == {"list_cases": 0, "clock_board": 0}  # neither read whole
    rows_after = [model.row_at(i) for i in range(model.rowCount())]
    assert [r.id for r in rows_after] == [r.id for r in rows_before]
    changed = [a for a, b in zip(rows_after, rows_before, strict=True) if a != b]
    assert [r.id for r in changed] == [ws.case_id]  # only its row (its version) changed
    assert changed[0].version > next(r for r in rows_before if r.id == ws.case_id).version
    shown = tuple(window.clock_panel.model.clock_at(i) for i in range(len(full_board(window))))
    assert shown == full_board(window)


def test_a_save_that_changes_the_clocks_puts_them_where_the_board_has_them(
    make_window: Any, demo_path: Path, qtbot: Any, counted: dict[str, int]
) -> None:
    window = make_window(demo_path)
    ws = open_first_case(window, qtbot)
    before = full_board(window)
    counted.update(list_cases=0, clock_board=0)
    tab = ws.tab("概况")
    dialog = tab.casualties.open_add()
    dialog.form.set_values({"as_of": ws.detail.case.fire_date + dt.timedelta(days=3)})
    type_text(dialog.form.editor("deaths"), "12")  # 重大: the board says to escalate
    type_text(dialog.form.editor("serious_injuries"), "1")
    type_text(dialog.form.editor("note"), "医院通报")
    with qtbot.waitSignal(window.refreshed, timeout=15000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.worker)
    assert counted["clock_board"] == 0
    after = full_board(window)
    assert after != before  # the save changed the case's clocks ...
    board = window.clock_panel.model
    assert tuple(board.clock_at(i) for i in range(board.rowCount())) == after  # ... as read whole
    # its grade changed, so its row may move: the list is read again (after the case)
    row = model_row(window, ws.case_id)
    assert row is not None and row.grade == ws.detail.case.grade


def model_row(window: Any, case_id: int) -> Any:
    model = window.list_panel.model
    return model.row_at(model.row_of_case(case_id))
