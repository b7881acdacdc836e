"""Splitters remember their sizes (issue 19 part 1), and the 期限 tab gives its clocks the room
on the smallest screen (the defect: one clock visible at 1280×720)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QSplitter

from firecase.samples import demo
from firecase.services import reading
from firecase.ui import layout_memory
from tests.ui._workspace import WorkspaceHarness


@pytest.fixture
def fresh_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(layout_memory.paths, "user_data_dir", lambda: tmp_path)
    monkeypatch.setattr(layout_memory, "_sizes", None)
    return tmp_path / layout_memory.FILE_NAME


def _splitter(qtbot: Any) -> QSplitter:
    split = QSplitter(Qt.Orientation.Vertical)
    split.addWidget(QLabel("上"))
    split.addWidget(QLabel("下"))
    split.resize(300, 400)
    qtbot.addWidget(split)
    split.show()
    return split


def test_a_dragged_splitter_comes_back_as_it_was_left(qtbot: Any, fresh_memory: Path) -> None:
    split = _splitter(qtbot)
    layout_memory.remember(split, "test.split", (300, 100))
    assert split.sizes()[0] > split.sizes()[1]  # the default proportions
    split.setSizes([100, 300])
    split.splitterMoved.emit(100, 1)  # what a drag emits
    layout_memory.flush()
    assert json.loads(fresh_memory.read_text(encoding="utf-8"))["test.split"] == split.sizes()
    layout_memory._sizes = None  # FireCase started again
    again = _splitter(qtbot)
    layout_memory.remember(again, "test.split", (300, 100))
    assert again.sizes()[0] < again.sizes()[1]


def test_a_damaged_memory_file_gives_the_defaults(qtbot: Any, fresh_memory: Path) -> None:
    fresh_memory.write_text('{"test.split": ["x", -1], "other": 5', encoding="utf-8")
    split = _splitter(qtbot)
    layout_memory.remember(split, "test.split", (300, 100))
    assert split.sizes()[0] > split.sizes()[1]


@pytest.fixture
def small(qtbot: Any, tmp_path: Path, fresh_memory: Path) -> Any:
    """The demo case with the most clocks in a workspace of the height 1280×720 leaves it
    under the menus, the toolbar and the clock board."""
    harness = WorkspaceHarness(qtbot, tmp_path / "demo.sqlite")
    demo.write_demo(harness.cf)
    ids = [r.id for r in reading.list_cases(harness.cf).rows]
    harness.case_id = max(ids, key=lambda i: len(reading.get_case(harness.cf, i).clocks))
    ws = harness.show()
    ws.resize(1280, 480)
    yield ws
    harness.close()


@pytest.mark.parametrize(("tab", "panel"), [("调查组", "members"), ("证据与鉴定", "evidence")])
def test_the_member_and_evidence_lists_show_more_than_four_rows(
    qtbot: Any, small: Any, tab: str, panel: str
) -> None:
    small.show_tab(tab)
    qtbot.wait(50)
    view = getattr(small.tab(tab), panel).view
    rows = view.viewport().height() // view.verticalHeader().defaultSectionSize()
    assert rows >= 5, rows


def test_the_clocks_tab_shows_several_clocks_in_the_room_left_at_1280_by_720(
    qtbot: Any, small: Any
) -> None:
    ws = small
    ws.show_tab("期限")
    qtbot.wait(50)
    tab = ws.tab("期限")
    area = next(a for a in tab.findChildren(QScrollArea) if a.widget() is tab.rows_box)
    rows = [r for r in tab.rows if r.isVisible()]
    assert len(rows) >= 3
    shown = area.viewport().height()
    assert rows[1].geometry().bottom() <= shown, (shown, rows[1].geometry())  # two in view
