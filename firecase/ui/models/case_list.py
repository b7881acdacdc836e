"""The case list model: pages of ``list_cases`` loaded incrementally through the worker.

Filtering, sorting and paging happen in SQL (``firecase.services.reading.list_cases``); this model
only keeps the rows loaded so far. ``data()`` never queries: ``fetchMore`` asks the worker for
the next page and the rows are inserted when it arrives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from firecase import rules
from firecase.services.vocab import CasePage, CaseRow, CaseSort
from firecase.ui.worker import Worker

AnyIndex = QModelIndex | QPersistentModelIndex

OVERDUE_FG = QColor("#b71c1c")
OVERDUE_BG = QColor("#ffebee")
SOON_FG = QColor("#8a5300")
SOON_BG = QColor("#fff4d6")
# How many days before a due date a clock counts as 即将到期 (firecase.rules decides).
DUE_SOON_DAYS: int = rules.DUE_SOON_DAYS
FETCH_CHUNK = 1000
"""The most rows one fetcher call reads (the services' largest page)."""
REFRESH_MAX_ROWS = 10_000
"""``refresh`` re-reads at most this many loaded rows (in chunks of ``FETCH_CHUNK``); a list
scrolled further is read again from its first page."""


@dataclass(frozen=True)
class CaseQuery:
    """What the list shows: filter and sort, as passed to ``list_cases``."""

    text: str = ""
    stage: str | None = None
    grade: str | None = None
    overdue_only: bool = False
    sort: CaseSort = CaseSort.NEXT_DUE


# (header, sort when ascending, sort when descending); None: the column cannot be sorted
COLUMNS: tuple[tuple[str, CaseSort | None, CaseSort | None], ...] = (
    ("案件编号", CaseSort.CASE_NO_ASC, CaseSort.CASE_NO),
    ("案件名称", None, None),
    ("起火日期", CaseSort.FIRE_DATE_ASC, CaseSort.FIRE_DATE_DESC),
    ("地点", None, None),
    ("等级", CaseSort.GRADE_ASC, CaseSort.GRADE),
    ("纳入", None, None),
    ("阶段", CaseSort.STAGE, CaseSort.STAGE_DESC),
    ("下一期限", CaseSort.NEXT_DUE, CaseSort.NEXT_DUE_DESC),
)
(
    COL_CASE_NO,
    COL_TITLE,
    COL_FIRE_DATE,
    COL_PLACE,
    COL_GRADE,
    COL_INCLUDED,
    COL_STAGE,
    COL_NEXT_DUE,
) = range(8)
# The first click on these headers sorts descending (newest number, latest fire, most serious
# grade first); a second click on the same header reverses the order.
DESCENDING_FIRST = frozenset({COL_CASE_NO, COL_FIRE_DATE, COL_GRADE})

PageFetcher = Callable[[CaseQuery, int, int, dt.date], CasePage]
"""Runs on the worker thread: (query, offset, limit, today) -> one page."""


def sort_for_column(column: int, order: Qt.SortOrder) -> CaseSort | None:
    """The SQL sort a header click on ``column`` asks for (None: not sortable)."""
    if not 0 <= column < len(COLUMNS):
        return None
    _, asc, desc = COLUMNS[column]
    return asc if order == Qt.SortOrder.AscendingOrder else desc


def column_for_sort(sort: CaseSort) -> tuple[int, Qt.SortOrder]:
    """The header column and indicator that show ``sort``."""
    for column, (_, asc, desc) in enumerate(COLUMNS):
        if sort is desc and sort is not asc:
            return column, Qt.SortOrder.DescendingOrder
        if sort is asc:
            return column, Qt.SortOrder.AscendingOrder
    return COL_NEXT_DUE, Qt.SortOrder.AscendingOrder


_PLACING_FIELDS = (
    "case_no",
    "title",
    "stage",
    "grade",
    "fire_date",
    "place",
    "unit_name",
    "next_due_on",
    "overdue",
)
"""The fields of a ``CaseRow`` that decide where the list puts it and whether its filter
keeps it (``update_case_row`` leaves the rest of the list alone only while these stay)."""


def read_case_row(cf: Any, case_id: int, today: dt.date) -> CaseRow | None:
    """One case's list row (``services.reading.case_list_row``). Worker thread."""
    from firecase.services.reading import case_list_row

    row: CaseRow | None = case_list_row(cf, case_id, today)
    return row


class CaseListModel(QAbstractTableModel):
    """Rows of the main window's case list. Owned by ``CaseListPanel``; GUI thread only.

    Pages are fetched by ``fetcher`` on the worker's thread; results of a superseded query
    (the filter changed meanwhile) are dropped. Signals: ``page_loaded(total)`` after each page,
    ``load_failed(exc)`` when a page could not be read.
    """

    page_loaded = Signal(int)
    load_failed = Signal(object)

    def __init__(
        self,
        worker: Worker,
        parent: QObject | None = None,
        *,
        page_size: int = 200,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._page_size = page_size
        self._today_fn = today
        self._today = today()
        self._fetcher: PageFetcher | None = None
        self._query = CaseQuery()
        self._rows: list[CaseRow] = []
        self._total = 0
        self._loading = False
        self._generation = 0
        self._early = False  # showing a page read before the store loaded (show_first_page)
        # while the case file opens: reads a searched page early (``MainWindow``), or None
        self.early_reader: Callable[[CaseQuery], None] | None = None

    # -- configuration ------------------------------------------------------------------------

    @property
    def query(self) -> CaseQuery:
        """The current filter and sort."""
        return self._query

    @property
    def total(self) -> int:
        """How many cases match the filter (all pages)."""
        return self._total

    @property
    def loading(self) -> bool:
        """Whether a page is being fetched."""
        return self._loading

    @property
    def page_size(self) -> int:
        """Rows asked for per page."""
        return self._page_size

    @property
    def showing_first_page(self) -> bool:
        """Whether the rows are the early first page (``show_first_page``), not yet re-read."""
        return self._early

    def show_first_page(self, page: CasePage, query: CaseQuery | None = None) -> bool:
        """Show ``page``, read before the case file was opened (``services.first_page``).

        Only while no fetcher is set, nothing is shown and the query is
        ``query`` (default: the unfiltered list sorted by due date; a search typed while the
        file opens: ``early_reader``); returns whether it was shown. The next ``set_fetcher``
        re-reads it in place (rows and selection stay if nothing changed).
        """
        if (
            self._fetcher is not None
            or self._rows
            or self._loading
            or self._query != (query if query is not None else CaseQuery())
            or page.offset != 0
            or page.limit != self._page_size
        ):
            return False
        self._generation += 1
        self.beginResetModel()
        self._rows = list(page.rows)
        self._total = len(self._rows) if len(page.rows) < page.limit else page.total
        self.endResetModel()
        self._early = True
        self.page_loaded.emit(self._total)
        return True

    def set_fetcher(self, fetcher: PageFetcher | None) -> None:
        """Read pages with ``fetcher`` (None: no case file open, the list is empty); reload.

        An early first page on show is re-read in place rather than dropped first.
        """
        self._fetcher = fetcher
        if fetcher is not None:
            self.early_reader = None
        if fetcher is not None and self._early:
            self._early = False
            self._generation += 1
            self._fetch_page(0, in_place=True)
            return
        self.reload()

    def set_query(self, query: CaseQuery) -> None:
        """Show the cases matching ``query`` (reloads from the first page)."""
        if query != self._query:
            self._query = query
            self.reload()

    def reload(self) -> None:
        """Drop the loaded rows and fetch the first page again."""
        self._early = False
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._total = 0
        self._loading = False
        self._today = self._today_fn()
        self.endResetModel()
        if self._fetcher is not None:
            self._fetch_page(0)
        elif self.early_reader is not None and self._query == CaseQuery(text=self._query.text):
            self.early_reader(self._query)  # a search typed while the file opens

    def refresh(self) -> None:
        """Read the rows loaded so far again, in place (F5, after a save, others' changes).

        The same cases in the same order keep the view's selection and scroll position
        (``_replace_rows``); when cases came, went or moved, the model is reset with the new
        rows already in it and the panel selects the same case again (``CaseListPanel``). A
        list scrolled beyond ``REFRESH_MAX_ROWS`` is read again from its first page.
        """
        if self._fetcher is None:
            return
        wanted = max(len(self._rows), self._page_size)
        if self._loading and not self._early:
            wanted += self._page_size  # the page being fetched now is superseded: read it too
        if wanted > REFRESH_MAX_ROWS:
            self.reload()
            return
        self._early = False
        self._generation += 1
        self._today = self._today_fn()
        self._fetch_page(0, in_place=True, limit=wanted)

    def update_case_row(self, row: CaseRow) -> bool:
        """Show a case's row, just read again (a save in its tab), in place: only that row
        changes. False when the case is not listed, or when what decides its place or whether
        the filter keeps it (sort columns, stage, grade, due date, searched texts) changed:
        then the caller refreshes the list (``refresh``)."""
        index = self.row_of_case(row.id)
        if index < 0:
            return False
        old = self._rows[index]
        if any(getattr(old, name) != getattr(row, name) for name in _PLACING_FIELDS):
            return False
        self._rows[index] = row
        self.dataChanged.emit(self.index(index, 0), self.index(index, len(COLUMNS) - 1), [])
        return True

    def row_at(self, row: int) -> CaseRow | None:
        """The case shown in ``row`` (None if out of range)."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of_case(self, case_id: int) -> int:
        """The row showing case ``case_id`` among the loaded rows, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.id == case_id), -1)

    # -- incremental loading --------------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        """More pages exist and none is being fetched."""
        if parent.isValid() or self._fetcher is None or self._loading:
            return False
        return len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        """Ask the worker for the next page (rows are inserted when it arrives)."""
        if self.canFetchMore(parent):
            self._fetch_page(len(self._rows))

    def _fetch_page(self, offset: int, *, in_place: bool = False, limit: int = 0) -> None:
        fetcher = self._fetcher
        assert fetcher is not None
        generation = self._generation
        query, today = self._query, self._today
        limit = limit or self._page_size

        def job() -> CasePage:
            """One page; a refresh of more than ``FETCH_CHUNK`` rows reads it in chunks."""
            pages: list[CasePage] = []
            for start in range(offset, offset + limit, FETCH_CHUNK):
                page = fetcher(query, start, min(FETCH_CHUNK, offset + limit - start), today)
                pages.append(page)
                if len(page.rows) < page.limit:
                    break
            if len(pages) == 1:
                return pages[0]
            rows = tuple(r for p in pages for r in p.rows)
            return CasePage(rows=rows, total=pages[-1].total, offset=offset, limit=limit)

        self._loading = True
        self._worker.run(
            job,
            on_success=lambda page: self._on_worker_page_loaded(generation, page, in_place),
            on_failure=lambda exc: self._on_worker_page_failed(generation, exc),
            owner=self,
            label="正在读取案件列表…",
        )

    def _on_worker_page_loaded(
        self, generation: int, page: CasePage, in_place: bool = False
    ) -> None:
        if generation != self._generation:
            return
        self._loading = False
        if in_place:
            self._replace_rows(page)
            return
        self._total = page.total
        known = {r.id for r in self._rows}
        fresh = [r for r in page.rows if r.id not in known]
        if fresh:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._rows.extend(fresh)
            self.endInsertRows()
        if len(page.rows) < page.limit:  # the last page: never ask again
            self._total = len(self._rows)
        self.page_loaded.emit(self._total)

    def _replace_rows(self, page: CasePage) -> None:
        """The loaded rows again, read by the fetcher: same cases in the same order keep their
        rows (and the view its selection and scroll position); otherwise the model is reset."""
        self._today = self._today_fn()
        self._total = len(page.rows) if len(page.rows) < page.limit else page.total
        if [r.id for r in page.rows] == [r.id for r in self._rows]:
            self._rows = list(page.rows)
            if self._rows:
                last = self.index(len(self._rows) - 1, len(COLUMNS) - 1)
                self.dataChanged.emit(self.index(0, 0), last, [])
        else:
            self.beginResetModel()
            self._rows = list(page.rows)
            self.endResetModel()
        self.page_loaded.emit(self._total)

    def _on_worker_page_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._total = len(self._rows)
        self.load_failed.emit(exc)

    # -- Qt model interface ---------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Rows loaded so far."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """The seven columns of the case list."""
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles; row numbers vertically."""
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section][0]
            if role == Qt.ItemDataRole.ToolTipRole:
                return "点击按此列排序，再次点击反向排序" if COLUMNS[section][1] else "此列不能排序"
            if role == Qt.ItemDataRole.InitialSortOrderRole:
                descending = section in DESCENDING_FIRST
                order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
                return order.value
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        """Rows are selectable, never editable in place."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, colours and tool tips from the cached rows (never queries)."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_NEXT_DUE:
                return self._due_tooltip(row)
            if col == COL_INCLUDED:
                return self._inclusion_tooltip(row)
            return f"{row.case_no}　{row.title}"
        if col == COL_NEXT_DUE and role in (
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.BackgroundRole,
        ):
            urgency = self.urgency(row)
            if urgency == "overdue":
                fg, bg = OVERDUE_FG, OVERDUE_BG
            elif urgency == "soon":
                fg, bg = SOON_FG, SOON_BG
            else:
                return None
            return QBrush(fg if role == Qt.ItemDataRole.ForegroundRole else bg)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_FIRE_DATE, COL_GRADE):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def urgency(self, row: CaseRow) -> str:
        """Urgency of the next due clock: "overdue", "soon" (within ``DUE_SOON_DAYS``) or ""."""
        if row.overdue:
            return "overdue"
        if row.next_due_on is not None and (row.next_due_on - self._today).days <= DUE_SOON_DAYS:
            return "soon"
        return ""

    def _display(self, row: CaseRow, col: int) -> str:
        if col == COL_CASE_NO:
            return row.case_no
        if col == COL_TITLE:
            return row.title
        if col == COL_FIRE_DATE:
            return row.fire_date.isoformat()
        if col == COL_PLACE:
            return row.place if not row.unit_name else f"{row.place}（{row.unit_name}）"
        if col == COL_GRADE:
            grade = row.grade or "未定"
            return f"{grade}（{row.jurisdiction_note}）" if row.jurisdiction_note else grade
        if col == COL_INCLUDED:
            if row.included is None:
                return "—"
            if not row.included:
                return "不纳入"
            return f"纳入（{row.inclusion_basis}）" if row.inclusion_basis else "纳入"
        if col == COL_STAGE:
            return row.stage
        if col == COL_NEXT_DUE:
            if row.next_due_on is None:
                return "—"
            days = (row.next_due_on - self._today).days
            left = f"逾期{-days}天" if days < 0 else ("今天到期" if days == 0 else f"剩{days}天")
            mark = "（暂定）" if row.next_due_provisional else ""
            return f"{row.next_due_on.isoformat()}{mark}　{row.next_due_label}（{left}）"
        return ""

    @staticmethod
    def _inclusion_tooltip(row: CaseRow) -> str:
        if row.included is None:
            return "尚未判定是否纳入调查处理范围"
        if not row.included:
            return "不纳入调查处理范围（不符合第五条各项，或不适用本办法）"
        basis = f"：{row.inclusion_basis}" if row.inclusion_basis else ""
        return f"纳入调查处理范围{basis}"

    def _due_tooltip(self, row: CaseRow) -> str:
        if row.next_due_on is None:
            return "没有未完成的期限"
        status = {"overdue": "已逾期", "soon": f"{DUE_SOON_DAYS}日内到期"}.get(
            self.urgency(row), "未到期"
        )
        why = (
            "\n暂定：节假日日历缺少该年的节假日安排，暂按仅周末休息计算；导入后自动重算"
            if row.next_due_provisional
            else ""
        )
        return f"{row.next_due_label}：{row.next_due_on.isoformat()}（{status}）{why}"

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Header click: re-query with the SQL sort of ``column`` (unsortable columns: no-op)."""
        wanted = sort_for_column(column, order)
        if wanted is not None:
            self.set_query(replace(self._query, sort=wanted))
