"""The relatives of a team member or a party (第十五条): a table editor of names and relations,
and the form field that builds it (``RelativesField``, one of the fields of
:mod:`firecase.ui.workspace.fields`). GUI thread only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from firecase.services.dto import Relative
from firecase.ui.util import show_placeholder_whole
from firecase.ui.workspace.fields import (
    Field,
    FieldError,
)

MAX_RELATIVE_NAME = 50
MAX_RELATION = 20


class RelativesEditor(QWidget):
    """Rows of 姓名 / 关系 line edits with 添加 and 删除 buttons (declared close relatives).

    Owned by the form that built it; GUI thread only. ``edited`` is emitted on any user change
    (typing, adding or removing a row).
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[QWidget, QLineEdit, QLineEdit]] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        head = QGridLayout()
        head.addWidget(QLabel("姓名", self), 0, 0)
        head.addWidget(QLabel("关系", self), 0, 1)
        head.setColumnStretch(0, 3)
        head.setColumnStretch(1, 2)
        head.setColumnMinimumWidth(2, 48)
        outer.addLayout(head)
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(2)
        outer.addLayout(self.rows_box)
        self.add_button = QPushButton("添加近亲属", self)
        self.add_button.setObjectName("addRelativeButton")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        outer.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def _on_add_button_clicked(self) -> None:
        name, _relation = self.add_row()
        name.setFocus()
        self.edited.emit()

    def _on_text_edited(self, _text: str) -> None:
        self.edited.emit()

    def add_row(self, name: str = "", relation: str = "") -> tuple[QLineEdit, QLineEdit]:
        """Append a row showing ``name`` and ``relation``; returns its two line edits."""
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        name_edit = QLineEdit(name, row)
        name_edit.setObjectName("relativeName")
        name_edit.setPlaceholderText("姓名")
        relation_edit = QLineEdit(relation, row)
        relation_edit.setObjectName("relativeRelation")
        relation_edit.setPlaceholderText("如：兄、配偶、子")
        show_placeholder_whole(relation_edit)
        remove = QPushButton("删除", row)
        remove.setObjectName("removeRelativeButton")
        remove.setFixedWidth(48)
        layout.addWidget(name_edit, 3)
        layout.addWidget(relation_edit, 2)
        layout.addWidget(remove)
        name_edit.textChanged.connect(self._on_text_edited)
        relation_edit.textChanged.connect(self._on_text_edited)
        remove.clicked.connect(lambda: self._on_remove_clicked(row))
        self.rows_box.addWidget(row)
        self._rows.append((row, name_edit, relation_edit))
        return name_edit, relation_edit

    def _on_remove_clicked(self, row: QWidget) -> None:
        index = next((i for i, (w, _n, _r) in enumerate(self._rows) if w is row), None)
        if index is not None:
            self.remove_row(index)
            self.edited.emit()

    def remove_row(self, index: int) -> None:
        """Remove row ``index`` (0-based)."""
        row, _name, _relation = self._rows.pop(index)
        self.rows_box.removeWidget(row)
        row.hide()
        row.deleteLater()

    def rows(self) -> list[tuple[QLineEdit, QLineEdit]]:
        """The (姓名, 关系) line edits of each row, top to bottom."""
        return [(n, r) for _w, n, r in self._rows]

    def set_relatives(self, relatives: Sequence[Relative]) -> None:
        """Replace the rows by ``relatives`` (no ``edited`` signal)."""
        blocked = self.blockSignals(True)
        while self._rows:
            self.remove_row(len(self._rows) - 1)
        for r in relatives:
            self.add_row(r.name, r.relation)
        self.blockSignals(blocked)


@dataclass(frozen=True)
class RelativesField(Field):
    """Declared close relatives, each a name and a relation (for recusal screening, 第十五条)."""

    def create(self, parent: QWidget) -> QWidget:
        editor = RelativesEditor(parent)
        if self.tooltip:
            editor.setToolTip(self.tooltip)
        return editor

    def read(self, widget: QWidget) -> tuple[Relative, ...]:
        assert isinstance(widget, RelativesEditor)
        out = []
        for n, (name_edit, relation_edit) in enumerate(widget.rows(), 1):
            name, relation = name_edit.text().strip(), relation_edit.text().strip()
            if not name and not relation:
                continue  # an empty row added and left blank
            if not name:
                raise FieldError(self.key, f"{self.label}第{n}行：请填写姓名。")
            if len(name) > MAX_RELATIVE_NAME:
                raise FieldError(
                    self.key, f"{self.label}第{n}行：姓名过长（最多{MAX_RELATIVE_NAME}个字）。"
                )
            if len(relation) > MAX_RELATION:
                raise FieldError(
                    self.key, f"{self.label}第{n}行：关系过长（最多{MAX_RELATION}个字）。"
                )
            out.append(Relative(name, relation))
        if self.required and not out:
            raise self.missing()
        return tuple(out)

    def write(self, widget: QWidget, value: Any) -> None:
        assert isinstance(widget, RelativesEditor)
        items = [Relative.parse(x) if isinstance(x, str) else x for x in value or ()]
        widget.set_relatives([x for x in items if isinstance(x, Relative)])

    def changed_signal(self, widget: QWidget) -> Any:
        assert isinstance(widget, RelativesEditor)
        return widget.edited
