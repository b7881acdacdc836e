"""The forms of the workspace tabs: ``RecordForm``, ``RecordDialog`` and ``ConflictDialog``
(a part of ``crud``). GUI thread only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from firecase.errors import ValidationError
from firecase.ui import messages
from firecase.ui.keyboard import FirstFieldFocus, tab_past
from firecase.ui.parsing import DateDoubt, DatedValue, date_doubts
from firecase.ui.util import fit_to_screen
from firecase.ui.widgets.date_field import DateEdit
from firecase.ui.workspace._crud_table import (
    DateContextFn,
    _system_today,
    display_value,
)
from firecase.ui.workspace.fields import BoolField, DateField, Field, FieldError, RefField

ERROR_STYLE = "color: #b3261e;"
NOTE_STYLE = "color: #6b6b6b;"


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
