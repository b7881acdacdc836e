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

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from firecase.errors import ConflictError, ValidationError
from firecase.ui import messages
from firecase.ui.workspace._crud_form import (
    ERROR_STYLE as ERROR_STYLE,
    NOTE_STYLE as NOTE_STYLE,
    ConflictDialog as ConflictDialog,
    RecordDialog as RecordDialog,
    RecordForm as RecordForm,
    comparison_rows as comparison_rows,
)
from firecase.ui.workspace._crud_table import (
    ALERT as ALERT,
    FIT_ROWS as FIT_ROWS,
    MUTED as MUTED,
    Column as Column,
    DateContext as DateContext,
    DateContextFn as DateContextFn,
    DtoTableModel as DtoTableModel,
    Index as Index,
    _system_today as _system_today,
    case_dates as case_dates,
    display_value as display_value,
    fit_columns as fit_columns,
    make_table as make_table,
)
from firecase.ui.workspace.fields import Field

if TYPE_CHECKING:
    from firecase.services.dto import CaseDetail
    from firecase.ui.workspace.context import WorkspaceContext


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
        # the buttons above the table, as a list's tool row: 添加… stays on screen however tall
        # the table (below it, at 1280×720 most tabs had it under the fold)
        self.button_row = QHBoxLayout()
        self.add_button = self._button(f"添加{noun}", "addButton", add is not None)
        self.edit_button = self._button("编辑", "editButton", update is not None)
        self.remove_button = self._button("删除", "removeButton", remove is not None)
        self.button_row.addStretch(1)
        layout.addLayout(self.button_row)
        layout.addWidget(self.view, 1)
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
