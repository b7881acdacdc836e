"""文件 → 从台账导入…: bring an existing Excel register in — whole cases (the intake facts), or
the members or parties of the selected case — after mapping its columns and checking it.

The officer opens the file; the dialog shows the sheet's columns, proposes for every field the
column whose header names it (a combo per field, "（不导入）" to leave one out) and previews the
first rows as they would be read. 检查 runs the import through the services and rolls it back,
listing every row that fails with its row number, column and the service's reason; 导入 is
enabled once a check found nothing, and writes every row in one transaction or none. Reading,
checking and importing run on the worker (``services.register_import``). GUI thread only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from firecase.errors import FirecaseError
from firecase.services.register_import import FIELDS, IMPORT_KINDS
from firecase.ui import messages
from firecase.ui.dialogs.field_message import ERROR_STYLE
from firecase.ui.icons import icon
from firecase.ui.keyboard import FirstFieldFocus
from firecase.ui.util import fit_to_screen
from firecase.ui.worker import Worker

XLSX_FILTER = "Excel 工作簿 (*.xlsx);;所有文件 (*)"
NOT_MAPPED = "（不导入）"
PROBLEM_BG = QColor("#fde7e9")


class RegisterImportDialog(FirstFieldFocus, QDialog):
    """Map, preview, check and import a register; owned by the main window. ``imported``
    (``RegisterImport``) is emitted after rows were written."""

    imported = Signal(object)

    def __init__(
        self,
        case_file: Any,
        worker: Worker,
        parent: QWidget | None = None,
        *,
        case: tuple[int, str] | None = None,
        folder: Path | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("registerImportDialog")
        self.setWindowTitle("从台账导入")
        self.setWindowIcon(icon("import"))
        self.case_file = case_file
        self.worker = worker
        self.case = case
        self.folder = folder or Path.home()
        self.today = today
        self.path: Path | None = None
        self.preview: Any = None  # services.register_import.SheetPreview
        self.checked: Any = None  # the last RegisterImport of 检查
        self.combos: dict[str, QComboBox] = {}
        self._asked = 0

        self.kind = QComboBox()
        self.kind.setObjectName("importKind")
        for slug, title in IMPORT_KINDS.items():
            self.kind.addItem(title, slug)
        self.target = QLabel()
        self.target.setObjectName("importTarget")
        self.file = QLineEdit()
        self.file.setObjectName("importFile")
        self.file.setReadOnly(True)
        self.file.setPlaceholderText("选择 Excel 台账（.xlsx）；FireCase 导出的台账也可以导入")
        self.open_button = QPushButton(icon("open-file"), "选择文件…")
        self.open_button.setObjectName("importOpenFile")
        self.sheet = QComboBox()
        self.sheet.setObjectName("importSheet")
        self.header_row = QSpinBox()
        self.header_row.setObjectName("importHeaderRow")
        self.header_row.setRange(1, 100)
        self.header_row.setPrefix("第 ")
        self.header_row.setSuffix(" 行")
        self.error = QLabel()
        self.error.setObjectName("importError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setVisible(False)

        self.mapping_box = QGroupBox("列的对应（* 为必须对应的项）")
        self.mapping_grid = QGridLayout()
        self.mapping_grid.setColumnStretch(1, 1)
        self.mapping_box.setMinimumWidth(360)
        inner = QWidget()
        inner.setLayout(self.mapping_grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to its combo boxes
        scroll.setWidget(inner)
        box_layout = QVBoxLayout(self.mapping_box)
        box_layout.addWidget(scroll)

        self.table = QTableWidget(0, 0)
        self.table.setObjectName("importPreview")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setDefaultSectionSize(120)
        self.summary = QLabel("选择文件后，这里显示前几行按上面的对应读出的内容。")
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setObjectName("importProblems")
        self.problems.setWordWrap(True)

        self.buttons = QDialogButtonBox()
        self.check_button = self.buttons.addButton("检查", QDialogButtonBox.ButtonRole.ActionRole)
        self.check_button.setObjectName("importCheck")
        self.import_button = self.buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importRun")
        close = self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)

        top = QGridLayout()
        top.addWidget(QLabel("导入内容"), 0, 0)
        top.addWidget(self.kind, 0, 1)
        top.addWidget(self.target, 0, 2, 1, 3)
        top.addWidget(QLabel("台账文件"), 1, 0)
        top.addWidget(self.file, 1, 1, 1, 3)
        top.addWidget(self.open_button, 1, 4)
        top.addWidget(QLabel("工作表"), 2, 0)
        top.addWidget(self.sheet, 2, 1)
        top.addWidget(QLabel("表头所在"), 2, 2, Qt.AlignmentFlag.AlignRight)
        top.addWidget(self.header_row, 2, 3)
        top.setColumnStretch(1, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("预览（按对应读出的前 20 行）"))
        right_layout.addWidget(self.table, 4)
        right_layout.addWidget(self.summary)
        right_layout.addWidget(self.problems, 1)
        split = QSplitter()
        split.addWidget(self.mapping_box)
        split.addWidget(right)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([400, 800])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(split, 1)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 1200, 660)

        self.kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.sheet.activated.connect(self._on_sheet_activated)
        self.header_row.editingFinished.connect(self._on_header_row_editing_finished)
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self._build_mapping()
        self._update_state()

    # ------------------------------------------------------------------ state

    def slug(self) -> str:
        """The chosen import (``IMPORT_KINDS``)."""
        return str(self.kind.currentData())

    def mapping(self) -> dict[str, int | None]:
        """The mapping the combos show: field key → column index (None: not imported)."""
        return {key: combo.currentData() for key, combo in self.combos.items()}

    def set_column(self, key: str, index: int | None) -> None:
        """Point field ``key`` at column ``index`` (None: not imported), as choosing it does."""
        combo = self.combos[key]
        combo.setCurrentIndex(max(0, combo.findData(index)))

    def _update_state(self) -> None:
        needs_case = self.slug() != "cases"
        if needs_case and self.case is None:
            self.target.setText("请先关闭本窗口，在案件列表中选择要导入到的案件。")
        elif needs_case:
            self.target.setText(f"导入到案件：{self.case[1] if self.case else ''}")
        else:
            self.target.setText("导入为本案卷中的新案件（按立案信息计算等级、纳入调查和期限）")
        ready = self.preview is not None and not (needs_case and self.case is None)
        self.check_button.setEnabled(ready)
        self.import_button.setEnabled(
            ready and self.checked is not None and not self.checked.problems
        )

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _build_mapping(self) -> None:
        while self.mapping_grid.count():
            item = self.mapping_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # at once: deleteLater waits for the event loop
                widget.setParent(None)
                widget.deleteLater()
        self.combos = {}
        headers = self.preview.headers if self.preview is not None else ()
        proposed = self.preview.mapping if self.preview is not None else {}
        row = 0
        for f in FIELDS[self.slug()]:
            label = QLabel(f"{f.label}{' *' if f.required else ''}")
            combo = QComboBox()
            combo.setObjectName(f"map_{f.key}")
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
            combo.addItem(NOT_MAPPED, None)
            for i in range(len(headers)):
                combo.addItem(self.preview.column_name(i), i)
            combo.setCurrentIndex(max(0, combo.findData(proposed.get(f.key))))
            combo.currentIndexChanged.connect(self._on_combo_current_index_changed)
            label.setToolTip(f.hint)
            combo.setToolTip(f.hint)
            self.mapping_grid.addWidget(label, row, 0)
            self.mapping_grid.addWidget(combo, row, 1)
            self.combos[f.key] = combo
            row += 1
            if f.hint:
                hint = QLabel(f.hint)
                hint.setStyleSheet("color: #666; font-size: small;")
                hint.setWordWrap(True)
                self.mapping_grid.addWidget(hint, row, 1)
                row += 1
        self.mapping_grid.setRowStretch(row, 1)
        # new widgets join the end of the tab chain: put the combo boxes where they are seen,
        # after the header row and before the preview
        previous: QWidget = self.header_row
        for combo in self.combos.values():
            QWidget.setTabOrder(previous, combo)
            previous = combo
        QWidget.setTabOrder(previous, self.table)
        self._fill_preview()

    def _fill_preview(self) -> None:
        fields = [f for f in FIELDS[self.slug()] if self.combos[f.key].currentData() is not None]
        rows = self.preview.preview if self.preview is not None else ()
        self.table.clear()
        self.table.setColumnCount(len(fields))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels([f.label for f in fields])
        self.table.setVerticalHeaderLabels([f"第{n}行" for n, _ in rows])
        for r, (_, cells) in enumerate(rows):
            for c, f in enumerate(fields):
                index = self.combos[f.key].currentData()
                text = cells[index] if index < len(cells) else ""
                item = QTableWidgetItem(text.replace("\n", " ⏎ "))
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for c in range(self.table.columnCount()):
            header.resizeSection(c, min(header.sectionSize(c), 260))
        if self.preview is not None:
            self.summary.setText(
                f"工作表“{self.preview.sheet}”：表头在第 {self.preview.header_row} 行，"
                f"其下 {self.preview.data_rows} 行数据。" + "".join(self.preview.notes)
            )

    # ------------------------------------------------------------------ reading

    def _on_open_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择台账", str(self.folder), XLSX_FILTER)
        if path:
            self.open_file(Path(path))

    def open_file(self, path: Path) -> None:
        """Read ``path`` (worker thread): its sheets, header row, proposed mapping, preview."""
        self.path = path
        self.file.setText(str(path))
        self._read(sheet=None, header_row=None)

    def _read(self, *, sheet: str | None, header_row: int | None) -> None:
        from firecase.services.register_import import read_register

        if self.path is None:
            return
        self._asked += 1
        asked, path, slug = self._asked, self.path, self.slug()
        self.checked = None
        self._update_state()
        self.worker.run(
            lambda: read_register(path, slug, sheet=sheet, header_row=header_row),
            on_success=lambda p: self._on_worker_read(asked, p),
            on_failure=lambda exc: self._on_worker_read_failed(asked, exc),
            owner=self,
            label="正在读取台账…",
        )

    def _on_worker_read(self, asked: int, preview: Any) -> None:
        if asked != self._asked:
            return
        self.preview = preview
        self._show_error("")
        self.sheet.blockSignals(True)
        self.sheet.clear()
        self.sheet.addItems(list(preview.sheets))
        self.sheet.setCurrentText(preview.sheet)
        self.sheet.blockSignals(False)
        self.header_row.blockSignals(True)
        self.header_row.setValue(preview.header_row)
        self.header_row.blockSignals(False)
        self.problems.clear()
        self._build_mapping()
        self._update_state()

    def _on_worker_read_failed(self, asked: int, exc: BaseException) -> None:
        if asked != self._asked:
            return
        if not isinstance(exc, FirecaseError):
            raise exc
        self.preview = None
        self._build_mapping()
        self._show_error(exc.message)
        self._update_state()

    def _on_kind_current_index_changed(self, *_: object) -> None:
        self.checked = None
        self.problems.clear()
        if self.path is not None:
            self._read(sheet=self.sheet.currentText() or None, header_row=None)
        self._build_mapping()
        self._update_state()

    def _on_sheet_activated(self, *_: object) -> None:
        self._read(sheet=self.sheet.currentText() or None, header_row=None)

    def _on_header_row_editing_finished(self) -> None:
        if self.preview is not None and self.header_row.value() != self.preview.header_row:
            self._read(sheet=self.sheet.currentText() or None, header_row=self.header_row.value())

    def _on_combo_current_index_changed(self, *_: object) -> None:
        self.checked = None
        self._fill_preview()
        self._update_state()

    # ------------------------------------------------------------------ check and import

    def _job(self, fn: Any) -> Callable[[], Any]:
        cf, path, slug, mapping = self.case_file, self.path, self.slug(), self.mapping()
        case = self.case[0] if self.case is not None and slug != "cases" else None
        sheet, header, day = self.preview.sheet, self.preview.header_row, self.today()
        return lambda: fn(
            cf, path, slug, mapping, case=case, sheet=sheet, header_row=header, today=day
        )

    def _on_check_button_clicked(self) -> None:
        self.check()

    def check(self) -> None:
        """Run the import through the services and roll it back (worker thread)."""
        from firecase.services.register_import import check_import

        if self.preview is None:
            return
        self.check_button.setEnabled(False)
        self.worker.run(
            self._job(check_import),
            on_success=self._on_worker_checked,
            on_failure=self._on_worker_failed,
            owner=self,
            label="正在检查台账…",
        )

    def _show_result(self, result: Any) -> None:
        self._fill_preview()
        rows = {n: r for r, (n, _) in enumerate(self.preview.preview)} if self.preview else {}
        for p in result.problems:  # a failing row is marked in the preview too
            r = rows.get(p.row)
            for c in range(self.table.columnCount()) if r is not None else ():
                item = self.table.item(r, c)
                if item is not None:
                    item.setBackground(QBrush(PROBLEM_BG))
                    item.setToolTip(p.text)
        self.problems.clear()
        for p in result.problems:
            self.problems.addItem(p.text)
        for note in result.notices:
            self.problems.addItem(f"说明：{note}")
        colour = "#b00020" if result.problems else "#1b5e20"
        self.summary.setText(f'<span style="color:{colour};">{result.summary()}</span>')

    def _on_worker_checked(self, result: Any) -> None:
        self.checked = result
        self._show_error("")
        self._show_result(result)
        self._update_state()

    def _on_worker_failed(self, exc: BaseException) -> None:
        from firecase.services.register_import import RegisterImportError

        self._update_state()
        if isinstance(exc, RegisterImportError):
            self.checked = exc.result
            self._show_result(exc.result)
            self._update_state()
        elif isinstance(exc, FirecaseError) and exc.field in ("mapping", "file", "case", "kind"):
            self._show_error(exc.message)
        else:
            messages.show_error(self, exc)

    def _on_import_button_clicked(self) -> None:
        self.run_import()

    def run_import(self) -> None:
        """Import every row in one transaction (worker thread); nothing when a row fails."""
        from firecase.services.register_import import import_register

        if self.preview is None:
            return
        self.import_button.setEnabled(False)
        self.check_button.setEnabled(False)
        self.worker.run(
            self._job(import_register),
            on_success=self._on_worker_imported,
            on_failure=self._on_worker_failed,
            owner=self,
            label="正在导入台账…",
        )

    def _on_worker_imported(self, result: Any) -> None:
        self._show_result(result)
        self.checked = None
        self.imported.emit(result)
        self._update_state()
        messages.inform(self, "导入完成", result.summary())
