"""Form fields of the case workspace: one class per kind of value, each with its Chinese checks.

A field describes one input (its key is the attribute name of the service's ``*Input``
dataclass, so a service ``ValidationError.field`` lands beside the right widget), builds the
editor widget, reads a clean Python value back or raises ``FieldError`` with a message a user can
read, and writes a value into the widget. Fields are plain descriptions (no Qt state of their
own); the widgets they build belong to the ``RecordForm`` that asked for them. GUI thread only.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from firecase.ui.parsing import InputError, date_short
from firecase.ui.widgets.date_field import DateEdit, empty_date_text


class FieldError(Exception):
    """A value typed into a field that cannot be used; ``message`` is shown beside the field
    (``shown``: by the editor itself, as the date field does)."""

    def __init__(self, key: str, message: str, *, shown: bool = False) -> None:
        super().__init__(message)
        self.key = key
        self.message = message
        self.shown = shown  # the editor already shows it beside the field


def fmt_date(value: dt.date | None, empty: str = "") -> str:
    """A date as the workspace shows it (``2024-03-15``), ``empty`` for None."""
    return value.isoformat() if value is not None else empty


@dataclass(frozen=True)
class Field(ABC):
    """Base of all fields: ``key`` (service input attribute), Chinese ``label``, ``required``."""

    key: str
    label: str
    required: bool = False
    placeholder: str = ""
    tooltip: str = ""

    @abstractmethod
    def create(self, parent: QWidget) -> QWidget:
        """Build the editor widget."""

    @abstractmethod
    def read(self, widget: QWidget) -> Any:
        """The clean value in ``widget``; raises ``FieldError``."""

    @abstractmethod
    def write(self, widget: QWidget, value: Any) -> None:
        """Show ``value`` in ``widget``."""

    @abstractmethod
    def changed_signal(self, widget: QWidget) -> Any:
        """The widget's signal emitted when the user edits it (for dirty tracking)."""

    def missing(self) -> FieldError:
        """The error for an empty required field."""
        return FieldError(self.key, f"请填写{self.label}。")

    def checked_text(self, raw: str, max_len: int) -> str:
        """``raw`` trimmed, refused when required and empty or longer than ``max_len``."""
        value = raw.strip()
        if self.required and not value:
            raise self.missing()
        if len(value) > max_len:
            raise FieldError(self.key, f"{self.label}过长（最多{max_len}个字）。")
        return value


@dataclass(frozen=True)
class TextField(Field):
    """One line of text, trimmed, at most ``max_len`` characters."""

    max_len: int = 200

    def create(self, parent: QWidget) -> QWidget:
        edit = QLineEdit(parent)
        edit.setPlaceholderText(self.placeholder)
        return edit

    def read(self, widget: QWidget) -> str:
        assert isinstance(widget, QLineEdit)
        return self.checked_text(widget.text(), self.max_len)

    def write(self, widget: QWidget, value: Any) -> None:
        assert isinstance(widget, QLineEdit)
        widget.setText("" if value is None else str(value))
        widget.setCursorPosition(0)  # a long text shows its beginning ("《中华…"), not its end

    def changed_signal(self, widget: QWidget) -> Any:
        assert isinstance(widget, QLineEdit)
        return widget.textEdited


@dataclass(frozen=True)
class LongTextField(Field):
    """Several lines of plain text (reasons, opinions, duties)."""

    max_len: int = 20000

    def create(self, parent: QWidget) -> QWidget:
        edit = QPlainTextEdit(parent)
        edit.setPlaceholderText(self.placeholder)
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(64)
        edit.setMaximumHeight(120)
        return edit

    def read(self, widget: QWidget) -> str:
        assert isinstance(widget, QPlainTextEdit)
        return self.checked_text(widget.toPlainText(), self.max_len)

    def write(self, widget: QWidget, value: Any) -> None:
        assert isinstance(widget, QPlainTextEdit)
        widget.setPlainText("" if value is None else str(value))

    def changed_signal(self, widget: QWidget) -> Any:
        assert isinstance(widget, QPlainTextEdit)
        return widget.textChanged


@dataclass(frozen=True)
class NamesField(Field):
    """A list of names typed one per line (relatives, evaluation group members)."""

    def create(self, parent: QWidget) -> QWidget:
        edit = QPlainTextEdit(parent)
        edit.setPlaceholderText(self.placeholder or "每行一个")
        edit.setTabChangesFocus(True)
        edit.setMaximumHeight(80)
        return edit

    def read(self, widget: QWidget) -> tuple[str, ...]:
        assert isinstance(widget, QPlainTextEdit)
        names = tuple(ln.strip() for ln in widget.toPlainText().splitlines() if ln.strip())
        if self.required and not names:
            raise self.missing()
        for name in names:
            if len(name) > 100:
                raise FieldError(self.key, f"{self.label}中“{name[:10]}…”过长（每项最多100个字）。")
        return names

    def write(self, widget: QWidget, value: Any) -> None:
        assert isinstance(widget, QPlainTextEdit)
        widget.setPlainText("\n".join(value or ()))

    def changed_signal(self, widget: QWidget) -> Any:
        assert isinstance(widget, QPlainTextEdit)
        return widget.textChanged


@dataclass(frozen=True)
class IntField(Field):
    """A whole number typed as text (so an empty or wrong entry gets a message, not a clamp)."""

    minimum: int = 0
    maximum: int = 1_000_000

    def create(self, parent: QWidget) -> QWidget:
        edit = QLineEdit(parent)
        edit.setPlaceholderText(self.placeholder or "整数")
        return edit

    def read(self, widget: QWidget) -> int | None:
        assert isinstance(widget, QLineEdit)
        raw = widget.text().strip()
        if not raw:
            if self.required:
                raise self.missing()
            return None
        try:
            value = int(raw)
        except ValueError:
            raise FieldError(self.key, f"{self.label}应为整数（如 3）。") from None
        if value < self.minimum:
            raise FieldError(self.key, f"{self.label}不能小于{self.minimum}。")
        if value > self.maximum:
            raise FieldError(self.key, f"{self.label}不能大于{self.maximum}。")
        return value

    def write(self, widget: QWidget, value: Any) -> None:
        assert isinstance(widget, QLineEdit)
        widget.setText("" if value is None else str(value))
        widget.setCursorPosition(0)  # a long text shows its beginning ("《中华…"), not its end

    def changed_signal(self, widget: QWidget) -> Any:
        assert isinstance(widget, QLineEdit)
        return widget.textEdited


@dataclass(frozen=True)
class DecimalField(Field):
    """An exact non-negative number (``Decimal``, at most two decimal places, never a float),
    typed with or without thousands separators; empty unless required. Subclasses say what
    it counts (``hint``: the message and placeholder example)."""

    hint = "数字，如 320"  # e.g. "金额（元），如 1250000.00"
    places = "最多保留两位小数。"

    def create(self, parent: QWidget) -> QWidget:
        edit = QLineEdit(parent)
        edit.setPlaceholderText(self.placeholder or self.hint)
        return edit

    def read(self, widget: QWidget) -> Decimal | None:
        assert isinstance(widget, QLineEdit)
        raw = widget.text().strip().replace(",", "").replace("，", "")
        if not raw:
            if self.required:
                raise self.missing()
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            message = f"{self.label}应为{self.hint}（“{raw}”不是数字）。"
            raise FieldError(self.key, message) from None
        if not value.is_finite():
            raise FieldError(self.key, f"{self.label}应为{self.hint}。")
        if value < 0:
            raise FieldError(self.key, f"{self.label}不能为负数。")
        if value != value.quantize(Decimal("0.01")):
            raise FieldError(self.key, f"{self.label}{self.places}")
        return value

    def write(self, widget: QWidget, value: Any) -> None:
        assert isinstance(widget, QLineEdit)
        widget.setText("" if value is None else str(value))
        widget.setCursorPosition(0)  # a long text shows its beginning ("《中华…"), not its end

    def changed_signal(self, widget: QWidget) -> Any:
        assert isinstance(widget, QLineEdit)
        return widget.textEdited


@dataclass(frozen=True)
class MoneyField(DecimalField):
    """An exact amount in 元 (``Decimal``, at most two decimal places, never a float)."""

    hint = "金额（元），如 1250000.00"
    places = "最多保留两位小数（到分）。"


@dataclass(frozen=True)
class DateField(Field):
    """A calendar date typed as text (``widgets.date_field.DateEdit``: any usual spelling, a
    calendar, the date echoed in words, Tab to the next field).

    With ``optional`` the field may be left empty (None); ``check_text`` says what a filled
    date means ("已批准"), and an empty one is shown as its opposite ("尚未批准").
    ``maximum`` (e.g. today for a decision) is the latest date accepted. ``future_ok``: a date
    normally in the future (a deadline), not questioned as implausible when it is. A date
    that cannot be read is refused at the field, with the text kept as typed.
    """

    optional: bool = False
    check_text: str = "已发生"
    maximum: dt.date | None = None
    future_ok: bool = False

    def create(self, parent: QWidget) -> QWidget:
        return DateEdit(
            parent,
            label=self.label,
            required=not self.optional,
            maximum=self.maximum,
            empty_text=empty_date_text(self.check_text) if self.optional else "",
        )

    def read(self, widget: QWidget) -> dt.date | None:
        assert isinstance(widget, DateEdit)
        try:
            value = widget.value()
        except InputError as exc:
            widget.show_problem()
            raise FieldError(self.key, exc.message, shown=True) from None
        if value is None and self.required:
            raise self.missing()
        if value is not None and self.maximum is not None and value > self.maximum:
            raise FieldError(self.key, f"{self.label}不能晚于{date_short(self.maximum)}。")
        return value

    def write(self, widget: QWidget, value: Any) -> None:
        assert isinstance(widget, DateEdit)
        widget.set_value(value)

    def changed_signal(self, widget: QWidget) -> Any:
        assert isinstance(widget, DateEdit)
        return widget.edited


@dataclass(frozen=True)
class ChoiceField(Field):
    """One of a fixed list of Chinese labels (the vocabularies of ``services.dto``)."""

    choices: Sequence[str] = ()
    editable: bool = False

    def create(self, parent: QWidget) -> QWidget:
        box = QComboBox(parent)
        box.addItems(list(self.choices))
        box.setEditable(self.editable)
        return box

    def read(self, widget: QWidget) -> str:
        assert isinstance(widget, QComboBox)
        value = widget.currentText().strip()
        if not value:
            raise self.missing()
        if not self.editable and value not in self.choices:
            raise FieldError(self.key, f"{self.label}应为以下之一：{'、'.join(self.choices)}。")
        return value

    def write(self, widget: QWidget, value: Any) -> None:
        assert isinstance(widget, QComboBox)
        index = widget.findText(str(value)) if value is not None else -1
        if index >= 0:
            widget.setCurrentIndex(index)
        elif self.editable and value is not None:
            widget.setEditText(str(value))

    def changed_signal(self, widget: QWidget) -> Any:
        assert isinstance(widget, QComboBox)
        return widget.currentTextChanged


@dataclass(frozen=True)
class IntChoiceField(Field):
    """A number chosen from labelled options (e.g. 第十五条 grounds 1–3)."""

    options: Sequence[tuple[int, str]] = ()

    def create(self, parent: QWidget) -> QWidget:
        box = QComboBox(parent)
        for value, text in self.options:
            box.addItem(text, value)
        return box

    def read(self, widget: QWidget) -> int:
        assert isinstance(widget, QComboBox)
        value = widget.currentData()
        if value is None:
            raise self.missing()
        return int(value)

    def write(self, widget: QWidget, value: Any) -> None:
        assert isinstance(widget, QComboBox)
        index = widget.findData(value)
        if index >= 0:
            widget.setCurrentIndex(index)

    def changed_signal(self, widget: QWidget) -> Any:
        assert isinstance(widget, QComboBox)
        return widget.currentIndexChanged


@dataclass(frozen=True)
class BoolField(Field):
    """A yes/no check box; ``label`` is shown beside the box."""

    def create(self, parent: QWidget) -> QWidget:
        return QCheckBox(parent)

    def read(self, widget: QWidget) -> bool:
        assert isinstance(widget, QCheckBox)
        return widget.isChecked()

    def write(self, widget: QWidget, value: Any) -> None:
        assert isinstance(widget, QCheckBox)
        widget.setChecked(bool(value))

    def changed_signal(self, widget: QWidget) -> Any:
        assert isinstance(widget, QCheckBox)
        return widget.toggled


@dataclass(frozen=True)
class RefField(Field):
    """A reference to another record of the case (a member, a party, an evidence item).

    ``options`` is called each time the form is built and returns ``(id, label)`` pairs from the
    workspace's current ``CaseDetail``; without ``required`` the first entry is "（无）" = None.
    """

    options: Callable[[], Sequence[tuple[int, str]]] = field(default=lambda: ())
    none_text: str = "（无）"

    def create(self, parent: QWidget) -> QWidget:
        box = QComboBox(parent)
        if not self.required:
            box.addItem(self.none_text, None)
        for rid, text in self.options():
            box.addItem(text, rid)
        return box

    def read(self, widget: QWidget) -> int | None:
        assert isinstance(widget, QComboBox)
        value = widget.currentData()
        if value is None and self.required:
            raise FieldError(self.key, f"请选择{self.label}。")
        return None if value is None else int(value)

    def write(self, widget: QWidget, value: Any) -> None:
        assert isinstance(widget, QComboBox)
        index = widget.findData(value)
        if index >= 0:
            widget.setCurrentIndex(index)

    def changed_signal(self, widget: QWidget) -> Any:
        assert isinstance(widget, QComboBox)
        return widget.currentIndexChanged


MULTI_REF_MAX_HEIGHT = 220
"""The tallest a checklist of records gets (about ten names)."""


@dataclass(frozen=True)
class MultiRefField(Field):
    """Several records of the case, ticked in a list (sub-group members)."""

    options: Callable[[], Sequence[tuple[int, str]]] = field(default=lambda: ())

    def create(self, parent: QWidget) -> QWidget:
        box = QListWidget(parent)
        # ten names in view, none scrolled sideways: at 120 pixels and full names a sub-group
        # of a larger team was ticked through a slot of six rows and a horizontal scroll bar
        box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        box.setTextElideMode(Qt.TextElideMode.ElideRight)
        box.setMinimumWidth(280)
        for rid, text in self.options():
            item = QListWidgetItem(text, box)
            item.setToolTip(text)
            item.setData(Qt.ItemDataRole.UserRole, rid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        limit = MULTI_REF_MAX_HEIGHT
        if box.count():  # as tall as its names (three rows at least), up to about ten
            rows = box.sizeHintForRow(0) * max(box.count(), 3) + 2 * box.frameWidth() + 2
            limit = min(limit, rows)
        box.setMaximumHeight(limit)
        return box

    def read(self, widget: QWidget) -> tuple[int, ...]:
        assert isinstance(widget, QListWidget)
        out = []
        for row in range(widget.count()):
            item = widget.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        if self.required and not out:
            raise FieldError(self.key, f"请至少选择一项{self.label}。")
        return tuple(out)

    def write(self, widget: QWidget, value: Any) -> None:
        assert isinstance(widget, QListWidget)
        wanted = set(value or ())
        for row in range(widget.count()):
            item = widget.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def changed_signal(self, widget: QWidget) -> Any:
        assert isinstance(widget, QListWidget)
        return widget.itemChanged
