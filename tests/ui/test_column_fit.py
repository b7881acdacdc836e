"""The workspace tables' columns (``_crud_table.fit_columns``): a long text is cut at first, and
given the room the table has rather than elided beside an empty last column.

The 回避 tab's applications at 1280×720: 理由 (a sentence or two) was elided at 280 pixels
while 决定理由, the last column, stretched over half the table, mostly empty."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QWidget

from firecase.ui.workspace._crud_table import Column, DtoTableModel, make_table

REASON = (
    "该成员系当事人陈国平的近亲属（表兄），与本次火灾事故处理结果有利害关系，可能影响公正调查。"
)


@dataclass(frozen=True)
class _Row:
    member: str
    reason: str
    decision: str


def _table(qtbot: Any, width: int, row: _Row | None = None) -> tuple[QWidget, Any]:
    """A window holding the table (the caller keeps it: it owns the view)."""
    host = QWidget()
    qtbot.addWidget(host)
    model = DtoTableModel(
        (
            Column("成员", lambda r: r.member),
            Column("理由", lambda r: r.reason),
            Column("决定理由", lambda r: r.decision),
        ),
        parent=host,
    )
    view = make_table(model, host)
    view.resize(width, 300)
    host.show()
    qtbot.waitExposed(host)
    model.set_rows([row or _Row("陈晓明", REASON, "同意回避。")])
    return host, view


def _needs(view: Any, column: int) -> int:
    return max(view.sizeHintForColumn(column), view.horizontalHeader().sectionSizeHint(column))


def test_a_long_reason_is_shown_whole_when_the_table_has_room(qtbot: Any) -> None:
    _host, view = _table(qtbot, 1200)
    header = view.horizontalHeader()
    assert _needs(view, 1) > 280  # it would have been cut
    assert header.sectionSize(1) >= _needs(view, 1)
    assert header.sectionSize(2) >= _needs(view, 2)  # the last still holds its own text


def test_a_narrow_table_cuts_the_long_column_and_keeps_the_others(qtbot: Any) -> None:
    _host, view = _table(qtbot, 520)
    header = view.horizontalHeader()
    assert header.sectionSize(0) >= _needs(view, 0)
    assert 280 <= header.sectionSize(1) < _needs(view, 1)


def test_the_room_follows_the_table_until_a_column_is_sized_by_hand(qtbot: Any) -> None:
    _host, view = _table(qtbot, 520)
    header = view.horizontalHeader()
    assert header.sectionSize(1) < _needs(view, 1)
    view.resize(1200, 300)  # the window made wider: the reason gets the room
    qtbot.waitUntil(lambda: header.sectionSize(1) >= _needs(view, 1))
    header.resizeSection(1, 150)  # the officer's own width is kept
    view.resize(1000, 300)
    qtbot.wait(20)
    assert header.sectionSize(1) == 150
    assert view.column_fitter.by_hand


def test_two_long_columns_share_the_room(qtbot: Any) -> None:
    """理由 and 决定理由 both long: neither takes all the room from the other (the last one
    used to stay at its cut while the first one grew)."""
    _host, view = _table(qtbot, 900, _Row("陈晓明", REASON * 2, REASON * 2))
    header = view.horizontalHeader()
    assert header.sectionSize(1) > 300 and header.sectionSize(2) > 300
    assert abs(header.sectionSize(1) - header.sectionSize(2)) <= 2


def test_a_resize_shares_the_room_again_without_measuring_the_rows(qtbot: Any) -> None:
    """Measuring a table of long texts took 35 ms: a window dragged wider refits by the
    widths measured at the last read of the rows."""
    _host, view = _table(qtbot, 520)
    measured: list[int] = []
    real = view.resizeColumnsToContents
    view.resizeColumnsToContents = lambda: (measured.append(1), real())  # type: ignore[method-assign]
    view.resize(1200, 300)
    qtbot.waitUntil(lambda: view.horizontalHeader().sectionSize(1) >= _needs(view, 1))
    assert measured == []
    view.model().set_rows([_Row("周建国", REASON, "同意。")])  # a new read measures again
    assert measured == [1]
