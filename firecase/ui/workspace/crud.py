"""The reusable pieces every workspace tab is built from.

* ``DtoTableModel``: a read-only table model over a tuple of frozen service DTOs (rows are
  cached; ``data()`` never touches the database).
* ``RecordForm``: a form built from ``fields.Field`` descriptions, with a message under each
  field in Chinese (from local checks or a service ``ValidationError.field``).
* ``RecordDialog``: a form in a dialog that submits through the worker and stays open with the
  message beside the field when the service refuses the input; asks before dropping typed input.
* ``ConflictDialog``: a stale ``version`` (``ConflictError``): shows the user's edit beside the
  saved record and lets them reload or overwrite knowingly.
* ``CrudPanel``: table + 添加/编辑/删除 wired to three service calls.

All GUI thread only. A panel is owned by its tab; dialogs are owned by the panel that opened them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from firecase.errors import ConflictError, ValidationError
from firecase.ui import messages
from firecase.ui.keyboard import FirstFieldFocus, tab_past
from firecase.ui.parsing import DateDoubt, DatedValue, date_doubts
from firecase.ui.util import fit_to_screen
from firecase.ui.widgets.date_field import DateEdit
from firecase.ui.workspace.fields import BoolField, DateField, Field, FieldError, RefField

if TYPE_CHECKING:
    from firecase.services.dto import CaseDetail
    from firecase.ui.workspace.context import WorkspaceContext

MUTED = QColor("#8a8a8a")
ALERT = QColor("#b3261e")
ERROR_STYLE = "color: #b3261e;"
NOTE_STYLE = "color: #6b6b6b;"

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class DateContext:
    """What a form's dates are checked against: the case's fire date and the day it is."""

    fire_date: dt.date | None = None
    today: dt.date | None = None


DateContextFn = Callable[[], DateContext]


def case_dates(ctx: WorkspaceContext) -> DateContextFn:
    """The fire date of the workspace's case (as last read) and the workspace's today."""

    def read() -> DateContext:
        case = getattr(ctx.detail, "case", None)  # None before the first read
        today = getattr(ctx, "today", dt.date.today)
        return DateContext(getattr(case, "fire_date", None), today())

    return read


def _system_today() -> DateContext:
    return DateContext(None, dt.date.today())


def display_value(value: Any) -> str:
    """How a DTO value reads in a table cell or a comparison."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, (tuple, list)):
        return "、".join(display_value(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Column:
    """One column of a ``DtoTableModel``: header and how to read the cell from a DTO."""

    header: str
    value: Callable[[Any], Any]
    tooltip: Callable[[Any], str] | None = None


class DtoTableModel(QAbstractTableModel):
    """Read-only table over frozen DTOs. Owned by a ``CrudPanel`` (or a tab); GUI thread only.

    ``muted(dto)`` greys a row out (e.g. a recused member); ``alert(dto)`` shows it in red (an
    overdue measure). ``Qt.UserRole`` of any cell is the row's DTO.
    """

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        muted: Callable[[Any], bool] | None = None,
        alert: Callable[[Any], bool] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._rows: tuple[Any, ...] = ()
        self._muted = muted
        self._alert = alert

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def rows(self) -> tuple[Any, ...]:
        """The DTOs shown, in order."""
        return self._rows

    def row_of(self, index: Index) -> Any:
        """The DTO behind ``index`` (None if invalid)."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self._columns):
            return None
        dto = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display_value(column.value(dto))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip is not None:
                return column.tooltip(dto)
            return display_value(column.value(dto))
        if role == Qt.ItemDataRole.ForegroundRole:
            if self._alert is not None and self._alert(dto):
                return QBrush(ALERT)
            if self._muted is not None and self._muted(dto):
                return QBrush(MUTED)
            return None
        if role == Qt.ItemDataRole.FontRole:
            if self._muted is not None and self._muted(dto):
                font = QFont()
                font.setStrikeOut(True)
                return font
            return None
        if role == Qt.ItemDataRole.UserRole:
            return dto
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].header
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None


FIT_ROWS = 100
"""Rows besides the visible ones that column widths are fitted to (Qt's default is 1,000)."""


def make_table(model: DtoTableModel, parent: QWidget) -> QTableView:
    """A table view set up the way every workspace table looks (whole rows, single selection)."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setDefaultSectionSize(110)
    # fit to the rows on screen and FIT_ROWS more, not to every row: a list of 1,000
    # attachments sized by all its rows cost 0.27 s on every read of the case
    header.setResizeContentsPrecision(FIT_ROWS)
    model.modelReset.connect(lambda: fit_columns(view))
    return view


def fit_columns(view: QTableView, max_width: int = 280) -> None:
    """Size columns to their contents, none wider than ``max_width`` (the last one stretches)."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for column in range(header.count()):
        if header.sectionSize(column) > max_width:
            header.resizeSection(column, max_width)


class RecordForm(QWidget):
    """A form over ``Field``s with a Chinese message under each field. GUI thread only.

    Owned by a ``RecordDialog`` or a tab. ``edited`` is emitted when the user changes any field;
    ``is_dirty`` says whether anything changed since the last ``set_values``/``mark_clean``.
    A message under a field goes as soon as the field's value is right again. ``dates()``
    gives the fire date and today for ``confirm_dates`` (the question asked before an
    implausible date is kept); a required date of a new record starts as that today.
    """

    edited = Signal()

    def __init__(
        self,
        fields: Sequence[Field],
        parent: QWidget | None = None,
        *,
        dates: DateContextFn | None = None,
    ) -> None:
        super().__init__(parent)
        self.fields = tuple(fields)
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.notes: dict[str, QLabel] = {}
        self._boxes: dict[str, QVBoxLayout] = {}
        self._dirty = False
        self.dates: DateContextFn = dates or _system_today
        self.date_question: Any = None  # the open "请核对日期" box, while it is shown
        self._confirmed: set[tuple[str, dt.date]] = set()
        today = self.dates().today
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.general_error = QLabel(self)
        self.general_error.setObjectName("generalError")
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        layout.addRow(self.general_error)
        for f in self.fields:
            editor = f.create(self)
            editor.setObjectName(f"field_{f.key}")
            if f.tooltip:
                editor.setToolTip(f.tooltip)
            error = QLabel(self)
            error.setObjectName(f"error_{f.key}")
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.hide()
            box = QWidget(self)
            inner = QVBoxLayout(box)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.setSpacing(2)
            inner.addWidget(editor)
            inner.addWidget(error)
            self._boxes[f.key] = inner
            label = f.label + ("" if isinstance(f, BoolField) else "：")
            if f.required and not isinstance(f, BoolField):
                label = "*" + label
            layout.addRow(label, box)
            self.editors[f.key] = editor
            self.errors[f.key] = error
            if isinstance(editor, DateEdit):
                editor.today = today
                if editor.required and today is not None:
                    editor.set_value(today)
            f.changed_signal(editor).connect(self._on_editor_edited)

    def _on_editor_edited(self, *_args: Any) -> None:
        self._dirty = True
        sender = self.sender()
        key = next((k for k, e in self.editors.items() if e is sender), None)
        if key is not None:
            self._clear_if_fixed(key)
        self.edited.emit()

    def _clear_if_fixed(self, key: str) -> None:
        """The message under ``key`` goes once the field reads well (a service's refusal of
        the old value included: the officer changed what it refused)."""
        label = self.errors.get(key)
        if label is None or label.isHidden():
            return
        f = next(f for f in self.fields if f.key == key)
        try:
            f.read(self.editors[key])
        except FieldError as exc:
            if not exc.shown:
                label.setText(exc.message)
            else:
                label.clear()
                label.hide()
            return
        label.clear()
        label.hide()

    def show_note(self, key: str, text: str) -> QLabel:
        """A grey note under field ``key`` that stays (where a default came from); "" hides it."""
        label = self.notes.get(key)
        if label is None:
            label = QLabel(self)
            label.setObjectName(f"note_{key}")
            label.setStyleSheet(NOTE_STYLE)
            label.setWordWrap(True)
            self._boxes[key].addWidget(label)
            self.notes[key] = label
        label.setText(text)
        label.setVisible(bool(text))
        return label

    @property
    def is_dirty(self) -> bool:
        """Whether the user changed anything since the values were last set or saved."""
        return self._dirty

    def mark_clean(self) -> None:
        """Forget the changes (after a save)."""
        self._dirty = False

    def editor(self, key: str) -> QWidget:
        """The editor widget of field ``key``."""
        return self.editors[key]

    def set_values(self, values: dict[str, Any]) -> None:
        """Show ``values`` (missing keys keep their widget's default) and clear the messages."""
        for f in self.fields:
            if f.key in values:
                editor = self.editors[f.key]
                blocked = editor.blockSignals(True)
                f.write(editor, values[f.key])
                editor.blockSignals(blocked)
        self.clear_errors()
        self._confirmed.clear()
        self._dirty = False

    def clear_errors(self) -> None:
        """Hide every message."""
        for label in self.errors.values():
            label.clear()
            label.hide()
        self.general_error.clear()
        self.general_error.hide()

    def show_error(self, key: str | None, message: str) -> None:
        """Show ``message`` under field ``key`` (or above the form when no field matches)."""
        label = self.errors.get(key or "")
        if label is None:
            label = self.general_error
        label.setText(message)
        label.show()
        if key in self.editors:
            self.editors[key].setFocus()

    def quiet_values(self) -> dict[str, Any] | None:
        """Every field's clean value as ``values`` reads it, or None: nothing shown, the focus
        left where it is (what Ctrl+Z saves back after an edit)."""
        out: dict[str, Any] = {}
        for f in self.fields:
            try:
                out[f.key] = f.read(self.editors[f.key])
            except FieldError:
                return None
        return out

    def values(self) -> dict[str, Any] | None:
        """Every field's clean value, or None after showing each wrong field's message."""
        self.clear_errors()
        out: dict[str, Any] = {}
        first_bad: str | None = None
        for f in self.fields:
            try:
                out[f.key] = f.read(self.editors[f.key])
            except FieldError as exc:
                if not exc.shown:
                    self.errors[f.key].setText(exc.message)
                    self.errors[f.key].show()
                first_bad = first_bad or f.key
        if first_bad is not None:
            self.editors[first_bad].setFocus()
            return None
        return out

    def date_doubts(self, values: dict[str, Any]) -> tuple[DateDoubt, ...]:
        """The dates of ``values`` that look wrong and were not confirmed yet
        (``parsing.date_doubts``: before the fire, in the future, a year from the one before)."""
        dated = [
            DatedValue(
                f.key,
                f.label,
                values[f.key],
                future_ok=f.future_ok,
                is_fire_date=f.key == "fire_date",
            )
            for f in self.fields
            if isinstance(f, DateField) and isinstance(values.get(f.key), dt.date)
        ]
        context = self.dates()
        doubts = date_doubts(dated, fire_date=context.fire_date, today=context.today)
        return tuple(d for d in doubts if (d.key, values[d.key]) not in self._confirmed)

    def confirm_dates(
        self, values: dict[str, Any], proceed: Callable[[], None], stop: Callable[[], None]
    ) -> None:
        """Call ``proceed()`` when the dates of ``values`` are plausible or the officer
        confirms them (asked in a window-modal box that says why); else focus the first
        questioned date and call ``stop()``. A confirmed date is not asked about again."""
        doubts = self.date_doubts(values)
        if not doubts:
            proceed()
            return

        def answered(keep: bool) -> None:
            self.date_question = None
            if keep:
                self._confirmed.update((d.key, values[d.key]) for d in doubts)
                proceed()
            else:
                editor = self.editors[doubts[0].key]
                editor.setFocus()
                if isinstance(editor, DateEdit):
                    editor.line_edit.selectAll()
                stop()

        self.date_question = messages.ask(
            self,
            "请核对日期",
            "以下日期看起来不太对，请核对：",
            "\n".join(f"• {d.message}" for d in doubts)
            + "\n\n日期写入案卷后将作为法律文书的事实依据。确认无误后仍可保存。",
            answered,
            yes_text="确认无误，保存",
            no_text="返回修改",
            object_name="dateDoubtBox",
        )

    def format(self, key: str, value: Any) -> str:
        """``value`` of field ``key`` as the user knows it (a referenced record by its name)."""
        f = next((f for f in self.fields if f.key == key), None)
        if isinstance(f, RefField):
            return next((text for rid, text in f.options() if rid == value), display_value(value))
        return display_value(value)


class ConflictDialog(FirstFieldFocus, QDialog):
    """Another window or colleague saved the record first: show both versions side by side.

    Owned by the panel or tab whose save failed; GUI thread only. ``finished`` carries
    ``RELOAD`` (drop my edit, show the saved record), ``OVERWRITE`` (save my edit over theirs,
    knowingly) or ``Rejected`` (go back to editing).
    """

    RELOAD = 10
    OVERWRITE = 11

    def __init__(
        self,
        what: str,
        rows: Sequence[tuple[str, str, str]],
        message: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle("记录已被修改")
        self.setModal(True)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"您正在保存的“{what}”已被其他窗口或同事先行修改。\n{message}\n"
            "下表左列是您的修改，右列是目前保存的内容（不同之处已加粗标黄）。",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setObjectName("conflictTable")
        tab_past(self.table)
        self.table.setHorizontalHeaderLabels(["项目", "您的修改", "目前保存的内容"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.differences = 0
        bold = QFont()
        bold.setBold(True)
        for r, (label, mine, theirs) in enumerate(rows):
            cells = [QTableWidgetItem(label), QTableWidgetItem(mine), QTableWidgetItem(theirs)]
            if mine != theirs:
                self.differences += 1
                for cell in cells:
                    cell.setFont(bold)
                    cell.setBackground(QColor("#fff3c4"))
            for c, cell in enumerate(cells):
                cell.setToolTip(cell.text())
                self.table.setItem(r, c, cell)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(self)
        self.reload_button = buttons.addButton(
            "重新载入（放弃我的修改）", QDialogButtonBox.ButtonRole.ResetRole
        )
        self.reload_button.setObjectName("reloadButton")
        self.overwrite_button = buttons.addButton(
            "覆盖保存（以我的修改为准）", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.overwrite_button.setObjectName("overwriteButton")
        back = buttons.addButton("返回编辑", QDialogButtonBox.ButtonRole.RejectRole)
        back.setObjectName("backButton")
        self.reload_button.clicked.connect(self._on_reload_button_clicked)
        self.overwrite_button.clicked.connect(self._on_overwrite_button_clicked)
        back.clicked.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, 720, 420)

    def _on_reload_button_clicked(self) -> None:
        self.done(self.RELOAD)

    def _on_overwrite_button_clicked(self) -> None:
        self.done(self.OVERWRITE)


def comparison_rows(
    form: RecordForm, mine: dict[str, Any], theirs: dict[str, Any] | None
) -> list[tuple[str, str, str]]:
    """(label, my value, saved value) for every field of ``form``."""
    rows = []
    for f in form.fields:
        saved = "（已被删除）" if theirs is None else form.format(f.key, theirs.get(f.key))
        rows.append((f.label, form.format(f.key, mine.get(f.key)), saved))
    return rows


class RecordDialog(FirstFieldFocus, QDialog):
    """Add or edit one record: a ``RecordForm`` plus 保存/取消. GUI thread only.

    Owned by the panel that opened it. ``submit(values, done)`` is the panel's callback: it runs
    the service through the worker and calls ``done(exc_or_None)``. On a ``ValidationError`` the
    message appears under its field and the dialog stays open; closing with typed input asks
    first. ``saved`` is emitted after a successful save, just before the dialog closes.
    The first field has the focus when it opens; Enter saves (Ctrl+Enter also in a text box),
    Esc cancels; an implausible date is asked about before anything is submitted.
    """

    saved = Signal()

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        submit: Callable[[dict[str, Any], Callable[[BaseException | None], None]], None],
        parent: QWidget | None = None,
        *,
        dates: DateContextFn | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recordDialog")
        self.setWindowTitle(title)
        self.setModal(True)
        self._submit = submit
        self._busy = False
        layout = QVBoxLayout(self)
        self.form = RecordForm(fields, self, dates=dates)
        layout.addWidget(self.form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存")
        self.save_button.setObjectName("saveButton")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("取消")
        cancel.setObjectName("cancelButton")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def _on_buttons_accepted(self) -> None:
        if self._busy:
            return
        values = self.form.values()
        if values is None:
            return
        self._busy = True
        self.save_button.setEnabled(False)
        self.form.confirm_dates(
            values, lambda: self._submit(values, self._on_submit_done), self._on_dates_refused
        )

    def _on_dates_refused(self) -> None:
        self._busy = False
        self.save_button.setEnabled(True)

    def _on_submit_done(self, exc: BaseException | None) -> None:
        self._busy = False
        self.save_button.setEnabled(True)
        if exc is None:
            self.form.mark_clean()
            self.saved.emit()
            self.accept()
        elif isinstance(exc, ValidationError):
            self.form.show_error(exc.field, exc.message)

    def reject(self) -> None:
        """Close without saving, after asking when something was typed."""
        if self.form.is_dirty:
            answer = messages.ask_discard(self, self.windowTitle())
            if answer is messages.DiscardAnswer.CANCEL:
                return
            if answer is messages.DiscardAnswer.SAVE:
                self._on_buttons_accepted()
                return
        super().reject()


class CrudPanel(QWidget):
    """A list of one kind of record with 添加/编辑/删除. Owned by its tab; GUI thread only.

    The panel never touches the database itself: ``add(values)``, ``update(dto, values,
    version)`` and ``remove(dto, version)`` are service calls it runs through the workspace's
    worker; ``rows(detail)`` picks its records out of each new ``CaseDetail``; ``to_values(dto)``
    fills the edit form; ``prepare_add(dialog)`` fills a new record's defaults (a join date, a
    proposed number) and notes. ``record_saved``/``record_removed`` are emitted after the workspace
    reloaded the case.
    """

    record_saved = Signal(object)
    record_removed = Signal(object)
    selection_changed = Signal(object)

    def __init__(
        self,
        ctx: WorkspaceContext,
        *,
        noun: str,
        columns: Sequence[Column],
        fields: Sequence[Field],
        rows: Callable[[CaseDetail], Sequence[Any]],
        to_values: Callable[[Any], dict[str, Any]],
        add: Callable[[dict[str, Any]], Any] | None = None,
        update: Callable[[Any, dict[str, Any], int], Any] | None = None,
        remove: Callable[[Any, int], Any] | None = None,
        describe: Callable[[Any], str] | None = None,
        muted: Callable[[Any], bool] | None = None,
        alert: Callable[[Any], bool] | None = None,
        title: str = "",
        prepare_add: Callable[[RecordDialog], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"panel_{noun}")
        self._prepare_add = prepare_add
        self.ctx = ctx
        self.noun = noun
        self.fields = tuple(fields)
        self._rows_of = rows
        self._to_values = to_values
        self._add = add
        self._update = update
        self._remove = remove
        self._describe = describe or (lambda dto: noun)
        self.dialog: RecordDialog | None = None
        self.conflict_dialog: ConflictDialog | None = None
        from firecase.ui.workspace.undo import KnownVersions

        self._known = KnownVersions()  # versions after this panel's own saves (Ctrl+Z)
        self.model = DtoTableModel(columns, muted=muted, alert=alert, parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if title:
            heading = QLabel(f"<b>{title}</b>", self)
            layout.addWidget(heading)
        self.view = make_table(self.model, self)
        self.view.setObjectName(f"table_{noun}")
        layout.addWidget(self.view, 1)
        self.button_row = QHBoxLayout()
        self.add_button = self._button(f"添加{noun}", "addButton", add is not None)
        self.edit_button = self._button("编辑", "editButton", update is not None)
        self.remove_button = self._button("删除", "removeButton", remove is not None)
        self.button_row.addStretch(1)
        layout.addLayout(self.button_row)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.view.doubleClicked.connect(self._on_view_double_clicked)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)
        self._update_buttons()

    def _button(self, text: str, name: str, visible: bool) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setVisible(visible)
        self.button_row.addWidget(button)
        return button

    def add_action(
        self, text: str, name: str, slot: Callable[[Any], None], *, needs_selection: bool = True
    ) -> QPushButton:
        """An extra button acting on the selected record (``slot(dto)``), e.g. 作出决定."""
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setProperty("needsSelection", needs_selection)
        self.button_row.insertWidget(self.button_row.count() - 1, button)
        button.clicked.connect(lambda: slot(self.selected()))
        self._update_buttons()
        return button

    # -- rows ------------------------------------------------------------------------------

    def set_detail(self, detail: CaseDetail) -> None:
        """Show this panel's records of ``detail``, keeping the selected record selected."""
        current = self.selected()
        self.model.set_rows(self._rows_of(detail))
        if current is not None:
            self.select_id(getattr(current, "id", None))
        self._update_buttons()

    def selected(self) -> Any:
        """The selected DTO, or None."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_of(rows[0]) if rows else None

    def select_id(self, record_id: Any) -> bool:
        """Select the row whose DTO has ``id == record_id``."""
        for r, dto in enumerate(self.model.rows()):
            if getattr(dto, "id", None) == record_id:
                self.view.selectRow(r)
                return True
        return False

    def _on_view_selection_changed(self, *_args: Any) -> None:
        self._update_buttons()
        self.selection_changed.emit(self.selected())

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.edit_button.setEnabled(has)
        self.remove_button.setEnabled(has)
        for i in range(self.button_row.count()):
            w = self.button_row.itemAt(i).widget()
            if isinstance(w, QPushButton) and w.property("needsSelection"):
                w.setEnabled(has)

    # -- add / edit ------------------------------------------------------------------------

    def _on_add_button_clicked(self) -> None:
        self.open_add()

    def _on_edit_button_clicked(self) -> None:
        self.open_edit(self.selected())

    def _on_view_double_clicked(self, index: QModelIndex) -> None:
        if self._update is not None:
            self.open_edit(self.model.row_of(index))

    def open_add(self, values: dict[str, Any] | None = None) -> RecordDialog:
        """Open the empty form (``values`` pre-fills it)."""
        assert self._add is not None
        add = self._add

        def submit(vals: dict[str, Any], done: Callable[[BaseException | None], None]) -> None:
            self._save(lambda: add(vals), done, None, undo=self._undo_add)

        dialog = self._open_dialog(f"添加{self.noun}", submit)
        if self._prepare_add is not None:
            self._prepare_add(dialog)  # defaults of a new record (a join date, a number)
        if values:
            dialog.form.set_values(values)
        return dialog

    def open_edit(self, dto: Any) -> RecordDialog | None:
        """Open the form filled with ``dto``."""
        if dto is None or self._update is None:
            return None
        update = self._update
        # the version to save against, and what Ctrl+Z saves back after the edit
        state: dict[str, Any] = {"version": dto.version, "before": None}

        def submit(vals: dict[str, Any], done: Callable[[BaseException | None], None]) -> None:
            self._save(
                lambda: update(dto, vals, state["version"]),
                done,
                (dto, vals, state),
                undo=lambda saved: self._undo_edit(saved, state["before"]),
            )

        dialog = self._open_dialog(f"编辑{self.noun}：{self._describe(dto)}", submit)
        dialog.form.set_values(self._to_values(dto))
        state["before"] = dialog.form.quiet_values()
        return dialog

    def _open_dialog(
        self,
        title: str,
        submit: Callable[[dict[str, Any], Callable[[BaseException | None], None]], None],
    ) -> RecordDialog:
        dialog = RecordDialog(title, self.fields, submit, self, dates=case_dates(self.ctx))
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_dialog_finished(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None

    def _save(
        self,
        call: Callable[[], Any],
        done: Callable[[BaseException | None], None],
        editing: tuple[Any, dict[str, Any], dict[str, Any]] | None,
        *,
        undo: Callable[[Any], None] | None = None,
    ) -> None:
        def succeeded(result: Any) -> None:
            rid = getattr(result, "id", None)
            if undo is not None:
                undo(result)

            def reloaded(_detail: CaseDetail) -> None:
                if rid is not None:
                    self.select_id(rid)
                self.record_saved.emit(result)

            done(None)
            self.ctx.changed()
            self.ctx.reload(reloaded)

        def failed(exc: BaseException) -> None:
            done(exc)
            if isinstance(exc, ConflictError) and editing is not None:
                self._resolve_conflict(exc, *editing)
            elif isinstance(exc, ValidationError) and self.dialog is not None:
                pass  # the dialog shows it under its field (or above the form)
            else:
                messages.show_error(self.dialog or self, exc)

        self.ctx.run(call, on_success=succeeded, on_failure=failed, label=f"正在保存{self.noun}…")

    def _resolve_conflict(
        self, exc: ConflictError, dto: Any, mine: dict[str, Any], state: dict[str, Any]
    ) -> None:
        def show(detail: CaseDetail) -> None:
            current = self.find(detail, dto.id)
            dialog = self.dialog
            if dialog is None:
                return
            theirs = None if current is None else self._to_values(current)
            conflict = ConflictDialog(
                self._describe(dto), comparison_rows(dialog.form, mine, theirs), exc.message, self
            )
            if current is None:
                conflict.overwrite_button.setEnabled(False)
            self.conflict_dialog = conflict

            def finished(code: int) -> None:
                self.conflict_dialog = None
                conflict.deleteLater()
                if self.dialog is None:
                    return
                if code == ConflictDialog.RELOAD:
                    self.dialog.form.mark_clean()
                    self.dialog.reject()
                    if current is not None:
                        self.select_id(current.id)
                        self.open_edit(current)
                elif code == ConflictDialog.OVERWRITE and current is not None:
                    state["version"] = current.version
                    # Ctrl+Z of the overwrite brings back theirs, not what this dialog first read
                    self.dialog.form.set_values(self._to_values(current))
                    state["before"] = self.dialog.form.quiet_values()
                    self.dialog.form.set_values(mine)
                    self.dialog.form.edited.emit()
                    self.dialog._on_buttons_accepted()

            conflict.finished.connect(finished)
            conflict.open()

        self.ctx.reload(show)

    def find(self, detail: CaseDetail, record_id: Any) -> Any:
        """This panel's record ``record_id`` in ``detail`` (None when it is gone)."""
        return next((r for r in self._rows_of(detail) if r.id == record_id), None)

    # -- remove ----------------------------------------------------------------------------

    def _on_remove_button_clicked(self) -> None:
        dto = self.selected()
        if dto is None or self._remove is None:
            return
        if not messages.confirm(
            self,
            f"删除{self.noun}",
            f"确定删除{self.noun}“{self._describe(dto)}”？删除的记录放入本案回收站，"
            "可用 Ctrl+Z 或在回收站中恢复；删除会记入审计记录。",
            ok_text="删除",
        ):
            return
        self.remove_record(dto)

    def remove_record(self, dto: Any) -> None:
        """Remove ``dto`` (already confirmed)."""
        assert self._remove is not None
        remove = self._remove

        def succeeded(result: Any) -> None:
            if isinstance(result, int) and not isinstance(result, bool):
                self._undo_remove(dto, result)
            self.ctx.changed()
            self.ctx.reload(lambda _d: self.record_removed.emit(dto))

        self.ctx.run(
            lambda: remove(dto, dto.version),
            on_success=succeeded,
            on_failure=lambda exc: self._remove_failed(dto, exc),
            label=f"正在删除{self.noun}…",
        )

    # -- Ctrl+Z ----------------------------------------------------------------------------

    def _push_undo(self, text: str, call: Callable[[], Any]) -> None:
        undo = getattr(self.ctx, "undo", None)
        if undo is not None:
            from firecase.ui.workspace.undo import UndoStep, tab_of

            undo.push(UndoStep(text, tab_of(self), call))

    def _undo_add(self, added: Any) -> None:
        remove, version = self._remove, getattr(added, "version", None)
        if remove is None or not isinstance(version, int):
            return
        # from the version this workspace's own later edits (or their undo) left
        known, key = self._known, getattr(added, "id", None)
        known.saw(key, added)
        self._push_undo(
            f"添加{self.noun}“{self._describe(added)}”",
            lambda: remove(added, known.get(key, version)),
        )

    def _undo_edit(self, saved: Any, before: dict[str, Any] | None) -> None:
        update, version = self._update, getattr(saved, "version", None)
        if update is None or before is None or not isinstance(version, int):
            return
        known, key = self._known, getattr(saved, "id", None)
        known.saw(key, saved)
        self._push_undo(
            f"编辑{self.noun}“{self._describe(saved)}”",
            lambda: known.saw(key, update(saved, before, known.get(key, version))),
        )

    def _undo_remove(self, dto: Any, entry_id: int) -> None:
        from firecase.services import recycle

        case_file, today = self.ctx.case_file, self.ctx.today
        self._push_undo(
            f"删除{self.noun}“{self._describe(dto)}”",
            lambda: recycle.restore(case_file, entry_id, today=today()),
        )

    def _remove_failed(self, dto: Any, exc: BaseException) -> None:
        messages.show_error(self, exc)
        if isinstance(exc, ConflictError):
            self.ctx.reload()


def open_action_dialog(
    parent: QWidget,
    ctx: WorkspaceContext,
    title: str,
    fields: Sequence[Field],
    call: Callable[[dict[str, Any]], Any],
    *,
    values: dict[str, Any] | None = None,
) -> RecordDialog:
    """A one-off form (a decision, a milestone, a feedback) whose 保存 runs ``call(values)``.

    ``call`` runs on the worker thread; after it succeeds the case is reloaded. A refused input
    shows its message under the field; other errors go to ``show_error``.
    """

    def submit(vals: dict[str, Any], done: Callable[[BaseException | None], None]) -> None:
        def succeeded(_result: Any) -> None:
            done(None)
            ctx.changed()
            ctx.reload()

        def failed(exc: BaseException) -> None:
            done(exc)
            if not isinstance(exc, ValidationError):
                messages.show_error(dialog, exc)
                if isinstance(exc, ConflictError):
                    dialog.form.mark_clean()
                    dialog.reject()
                    ctx.reload()

        ctx.run(
            lambda: call(vals), on_success=succeeded, on_failure=failed, label=f"正在保存{title}…"
        )

    dialog = RecordDialog(title, fields, submit, parent, dates=case_dates(ctx))
    if values:
        dialog.form.set_values(values)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
