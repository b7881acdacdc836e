"""设置 → 火灾等级标准: every grade standard with its document, dates, thresholds and citations
(第二十五条), the administrator's confirmation of the standard in force and the 受灾户
thresholds editor.

Read from and written through ``firecase.services.standards`` on the worker. For a user who may
not change settings (not 管理员) everything is read-only. GUI thread only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from firecase.errors import FirecaseError
from firecase.services.standards import HOUSEHOLD_FIELDS, StandardsView, StandardView
from firecase.ui import messages
from firecase.ui.dialogs.field_message import ERROR_STYLE, with_message
from firecase.ui.worker import Worker

HINT_STYLE = "color:#6b6b6b;"
OK_STYLE = "color:#2e7d32;"
CITATION_FIELD = "households_citation"
MAX_HOUSEHOLDS = 10**7


def _date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


def _wrapped(text: str, style: str = "") -> QLabel:
    """A selectable label, one sentence a line (word-wrapped labels in a scroll area are given
    too much height; the page scrolls sideways instead when narrower than the sentences)."""
    label = QLabel(text.replace("。", "。\n").strip())
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if style:
        label.setStyleSheet(style)
    return label


class _Rows:
    """Label / value rows in a grid whose value column takes the width (word-wrapped labels in
    a QFormLayout inside a scroll area come out too narrow)."""

    def __init__(self) -> None:
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        self.grid.setHorizontalSpacing(12)

    def addRow(self, label: str, value: QWidget) -> None:
        row = self.grid.rowCount()
        name = QLabel(label)
        name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(name, row, 0)
        self.grid.addWidget(value, row, 1)


class StandardsPage(QWidget):
    """The 火灾等级标准 page. ``standards_changed(StandardsView)`` after a save or confirmation
    (grades of cases may have changed)."""

    standards_changed = Signal(object)

    def __init__(
        self, case_file: Any, worker: Worker, today: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("standardsPage")
        self.case_file = case_file
        self.worker = worker
        self.today = today
        self.view: StandardsView | None = None
        self.households_edits: dict[str, QLineEdit] = {}
        self.field_messages: dict[str, QLabel] = {}
        self.citation_edit: QLineEdit | None = None
        self.save_households: QPushButton | None = None
        self.confirm_button: QPushButton | None = None
        self.confirmation: QLabel | None = None
        self.households_standard = ""
        self.boxes: dict[str, QGroupBox] = {}
        self.scroll = QScrollArea()
        self.scroll.setObjectName("standardsScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(QLabel("正在读取火灾等级标准…"))
        self.status = QLabel()
        self.status.setObjectName("standardsStatus")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.status)

    # ------------------------------------------------------------------------------------------
    # loading and showing
    # ------------------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the standards (worker thread)."""
        from firecase.services.standards import standards_view

        cf, today = self.case_file, self.today
        self.worker.run(
            lambda: standards_view(cf, today=today),
            on_success=self.show_view,
            owner=self,
            label="正在读取火灾等级标准…",
        )

    @property
    def editable(self) -> bool:
        """Whether the user may enter thresholds and confirm (管理员)."""
        return self.view is not None and self.view.editable

    def show_view(self, view: StandardsView) -> None:
        """Rebuild the page from ``view``."""
        self.view = view
        self.households_edits.clear()
        self.field_messages.clear()
        self.boxes.clear()
        self.citation_edit = self.save_households = self.confirm_button = None
        self.confirmation = None
        body = QWidget()
        body.setObjectName("standardsBody")
        col = QVBoxLayout(body)
        current = view.in_force
        head = _wrapped(
            f"现行标准（{_date(view.today)}）：{current.title}（{current.citation}），"
            f"自{_date(current.effective_from)}起施行。火灾按发生之日施行的标准定级"
            "（第二十五条：国家有新规定的，从其规定）；两个标准定级不同的，案件中同时列出。"
        )
        head.setObjectName("standardsHeadline")
        col.addWidget(head)
        if not view.editable:
            note = _wrapped(
                "只有管理员可以录入受灾户数阈值和确认现行标准；本页仅供查看。", HINT_STYLE
            )
            note.setObjectName("standardsReadOnly")
            col.addWidget(note)
        for standard in reversed(view.standards):  # the newest first
            box = self._standard_box(standard)
            self.boxes[standard.id] = box
            col.addWidget(box)
        col.addStretch(1)
        self.scroll.setWidget(body)
        self._on_households_changed()

    def _standard_box(self, s: StandardView) -> QGroupBox:
        box = QGroupBox(f"{s.title}（{s.citation}）" + (" — 现行标准 " if s.in_force else " "))
        box.setObjectName(f"standard_{s.id}")
        col = QVBoxLayout(box)
        form = _Rows()
        form.addRow("文件名称", _wrapped(s.title))
        form.addRow("文号", _wrapped(s.citation))
        form.addRow("发布机关", _wrapped("、".join(s.issuers) or "—"))
        until = f"，{_date(s.effective_until)}后由新标准取代" if s.effective_until else ""
        form.addRow(
            "发布日期／施行日期",
            _wrapped(f"{_date(s.issued_on)}发布，{_date(s.effective_from)}起施行{until}"),
        )
        if s.replaces:
            form.addRow("废止", _wrapped(s.replaces))
        form.addRow(
            "死亡统计期限",
            _wrapped(
                f"火灾发生之日起{s.death_window_days}日内死亡的计为死亡，其后死亡的按重伤统计"
                + (f"（{s.death_window_citation}）" if s.death_window_citation else "")
            ),
        )
        minor = (
            f"{s.minor_fire}。依据：{s.minor_fire_citation or s.citation}。"
            "轻微火灾不是单独的等级：仍定为一般火灾，显示为“一般（轻微火灾）”。"
            if s.minor_fire
            else "本标准未规定轻微火灾。"
        )
        minor_label = _wrapped(minor)
        minor_label.setObjectName(f"minor_{s.id}")
        form.addRow("轻微火灾", minor_label)
        if s.note:
            form.addRow("说明", _wrapped(s.note, HINT_STYLE))
        col.addLayout(form.grid)
        col.addWidget(self._thresholds_table(s))
        if s.in_force:
            col.addLayout(self._confirmation_row(s))
        if s.households_configurable:
            col.addWidget(self._households_editor(s))
        return box

    def _thresholds_table(self, s: StandardView) -> QTableWidget:
        table = QTableWidget(len(s.thresholds), 4)
        table.setObjectName(f"thresholds_{s.id}")
        table.setHorizontalHeaderLabels(["定级指标", "等级", "阈值", "依据"])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.verticalHeader().setVisible(False)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = table.horizontalHeader()
        for i in range(3):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for row, t in enumerate(s.thresholds):
            cells = (
                t.criterion_label,
                f"{t.grade}火灾",
                t.display + ("（管理员录入）" if t.entered else ""),
                t.citation,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text if column != 2 else t.band)
                if not t.configured:
                    item.setForeground(Qt.GlobalColor.darkRed)
                table.setItem(row, column, item)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        height = table.horizontalHeader().sizeHint().height() + 4
        height += sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(height)  # the page scrolls, not the table
        return table

    def _confirmation_row(self, s: StandardView) -> QHBoxLayout:
        row = QHBoxLayout()
        if s.confirmed_by:
            text = f"已由{s.confirmed_by}于{_date(s.confirmed_on)}确认为现行标准。"
            style = OK_STYLE
        else:
            text = "尚未确认为现行标准（管理员核对文件名称、文号和阈值后确认）。"
            style = ERROR_STYLE
        self.confirmation = _wrapped(text, style)
        self.confirmation.setObjectName("standardConfirmation")
        button = QPushButton("确认为现行标准")
        button.setObjectName("confirmStandard")
        button.setEnabled(self.editable)
        button.clicked.connect(lambda: self.confirm(s.id))
        self.confirm_button = button
        row.addWidget(self.confirmation, 1)
        row.addWidget(button)
        return row

    def _households_editor(self, s: StandardView) -> QGroupBox:
        box = QGroupBox("受灾户数分级阈值（管理员核实后录入）")
        box.setObjectName("householdsEditor")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(
            _wrapped(
                "软件未附带本标准的受灾户数阈值：请按文件原文录入各等级的最低户数（“以上”含本数），"
                "并填写依据（文件名称、文号、条款）。留空表示未配置，不据此定级。"
                "保存后，受此影响的案件将重新定级。",
                HINT_STYLE,
            )
        )
        self.households_standard = s.id
        entry = s.households
        for grade, field in HOUSEHOLD_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(field)
            edit.setPlaceholderText("未配置")
            edit.setMaxLength(8)
            value = entry.minimum(grade.value) if entry is not None else None
            edit.setText("" if value is None else str(value))
            edit.setReadOnly(not self.editable)
            edit.textChanged.connect(self._on_households_changed)
            self.households_edits[field] = edit
            form.addRow(f"{grade.label}（户以上）", self._with_message(field, edit))
        cite = QLineEdit()
        cite.setObjectName(CITATION_FIELD)
        cite.setPlaceholderText("如：《火灾统计管理规定》（消防〔2025〕17号）第×条")
        cite.setText(entry.citation if entry is not None else "")
        cite.setReadOnly(not self.editable)
        cite.textChanged.connect(self._on_households_changed)
        self.citation_edit = cite
        form.addRow("依据", self._with_message(CITATION_FIELD, cite))
        if entry is not None and entry.entered_by:
            form.addRow(
                "", _wrapped(f"{entry.entered_by}于{_date(entry.entered_on)}录入。", HINT_STYLE)
            )
        save = QPushButton("保存")
        save.setObjectName("saveHouseholds")
        save.clicked.connect(self.save)
        self.save_households = save
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(save)
        form.addRow(row)
        return box

    def _with_message(self, key: str, widget: QWidget) -> QWidget:
        return with_message(key, widget, self.field_messages)

    # ------------------------------------------------------------------------------------------
    # the 受灾户 editor
    # ------------------------------------------------------------------------------------------

    def households_values(self) -> dict[str, int | None]:
        """The entered minimums by grade label (None when empty or not a number)."""
        out: dict[str, int | None] = {}
        for grade, field in HOUSEHOLD_FIELDS:
            text = self.households_edits[field].text().strip()
            out[grade.value] = int(text) if text.isdigit() else None
        return out

    def households_errors(self) -> dict[str, str]:
        """Messages of the editor's invalid fields."""
        errors: dict[str, str] = {}
        lower: tuple[str, int] | None = None
        any_value = False
        for grade, field in HOUSEHOLD_FIELDS:
            text = self.households_edits[field].text().strip()
            if not text:
                continue
            any_value = True
            if not text.isdigit() or int(text) < 1:
                errors[field] = f"{grade.label}受灾户数阈值应为正整数（户），留空表示未配置。"
                continue
            value = int(text)
            if value > MAX_HOUSEHOLDS:
                errors[field] = f"{grade.label}受灾户数阈值过大。"
            elif lower is not None and value <= lower[1]:
                errors[field] = f"应大于{lower[0]}的阈值（{lower[1]}户）：阈值逐级递增。"
            lower = (grade.label, value)
        if any_value and self.citation_edit is not None and not self.citation_edit.text().strip():
            errors[CITATION_FIELD] = "请填写依据（文件名称、文号和条款）。"
        return errors

    def _entered(self) -> tuple[Any, ...]:
        return (
            tuple(e.text().strip() for e in self.households_edits.values()),
            self.citation_edit.text().strip() if self.citation_edit else "",
        )

    def _saved(self) -> tuple[Any, ...]:
        if self.view is None or not self.households_standard:
            return ((), "")
        entry = self.view.standard(self.households_standard).households
        if entry is None:
            return (tuple("" for _ in HOUSEHOLD_FIELDS), "")
        return (
            tuple("" if m is None else str(m) for _g, m in entry.minimums),
            entry.citation,
        )

    def has_unsaved_changes(self) -> bool:
        """Whether the 受灾户 editor differs from what is saved."""
        return bool(self.households_edits) and self._entered() != self._saved()

    def _on_households_changed(self, *_args: object) -> None:
        if not self.households_edits:
            return
        errors = self.households_errors()
        for key, label in self.field_messages.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)
        if self.save_households is not None:
            self.save_households.setEnabled(
                self.editable and self.has_unsaved_changes() and not errors
            )

    def save(self) -> None:
        """Save the 受灾户 thresholds (worker thread)."""
        from firecase.services.standards import set_households_thresholds

        if not self.editable or not self.households_edits or self.households_errors():
            self._on_households_changed()
            return
        cf, today, sid = self.case_file, self.today, self.households_standard
        values = self.households_values()
        citation = self.citation_edit.text().strip() if self.citation_edit else ""
        if self.save_households is not None:
            self.save_households.setEnabled(False)
        self.worker.run(
            lambda: set_households_thresholds(cf, sid, values, citation, today=today),
            on_success=self._on_worker_saved,
            on_failure=self._on_worker_failed,
            owner=self,
            label="正在保存受灾户数阈值…",
        )

    def confirm(self, standard_id: str) -> None:
        """Confirm ``standard_id`` as the standard in force (worker thread)."""
        from firecase.services.standards import confirm_standard_in_force

        if not self.editable:
            return
        cf, today = self.case_file, self.today
        self.worker.run(
            lambda: confirm_standard_in_force(cf, standard_id, today=today),
            on_success=self._on_worker_confirmed,
            on_failure=self._on_worker_failed,
            owner=self,
            label="正在确认现行标准…",
        )

    def _on_worker_saved(self, view: StandardsView) -> None:
        self.show_view(view)
        self.status.setText("受灾户数阈值已保存，相关案件已重新定级。")
        self.standards_changed.emit(view)

    def _on_worker_confirmed(self, view: StandardsView) -> None:
        self.show_view(view)
        self.status.setText("已确认现行标准。")
        self.standards_changed.emit(view)

    def _on_worker_failed(self, exc: BaseException) -> None:
        key = getattr(exc, "field", None)
        if isinstance(exc, FirecaseError) and key in self.field_messages:
            self.field_messages[key].setText(exc.message)
            self.field_messages[key].show()
        else:
            messages.show_error(self, exc)
        self._on_households_changed()
