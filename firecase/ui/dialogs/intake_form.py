"""立案: building the intake form of :class:`~firecase.ui.dialogs.intake.IntakeDialog`.

A mixin of the dialog: the three groups of fields (the fire, the losses and casualties, the
judgement clauses of 第五条第三项、第四项), each field an editor with its message beside it
(:class:`_Field`), and the styles of a field in error. The checks, the verdict and saving stay
in :mod:`firecase.ui.dialogs.intake`. GUI thread only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from firecase import rules
from firecase.ui.parsing import (
    InputError,
    parse_count,
    parse_text,
    parse_time,
    parse_yuan,
)
from firecase.ui.widgets.date_field import DateEdit

ERROR_STYLE = "color:#b71c1c;"
HINT_STYLE = "color:#6b6b6b;"
INVALID_EDIT = "border:1px solid #d32f2f; background:#fff6f6;"
EARLIEST = dt.date(1949, 10, 1)


@dataclass(frozen=True)
class Verdict:
    """What the rules decide for the facts typed so far (None: not enough valid input yet)."""

    grade: Any = None  # rules.GradeDecision
    inclusion: Any = None  # rules.Inclusion
    jurisdiction: Any = None  # rules.Jurisdiction
    scope: Any = None  # rules.ScopeCheck
    problem: str = ""  # a RuleError message, if the rules refused the input
    duties: Any = None  # rules.Duties: whether the measures' clocks will run


class _Field:
    """One input of the form: its editor, the message beside it, and how to read it."""

    def __init__(self, key: str, label: str, editor: QWidget, read: Callable[[], Any]) -> None:
        self.key = key
        self.label = label
        self.editor = editor
        self.read = read
        self.message = QLabel()
        self.message.setObjectName(f"{key}_message")
        self.message.setWordWrap(True)
        self.message.setMinimumWidth(200)
        self.touched = False
        self.value: Any = None
        self.error = ""
        self.enabled = True


class IntakeForm:
    """The intake form's groups and fields, mixed into ``IntakeDialog`` (which provides ``fields``,
    ``today`` and the slots the editors connect to)."""

    # ------------------------------------------------------------------------------------------
    # building the form
    # ------------------------------------------------------------------------------------------

    def _grid(self, title: str) -> tuple[QGroupBox, QGridLayout]:
        box = QGroupBox(title)
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        grid.setColumnMinimumWidth(2, 220)
        grid.setVerticalSpacing(6)
        return box, grid

    def _add(self, grid: QGridLayout, field: _Field, hint: str = "") -> _Field:
        row = grid.rowCount()
        label = QLabel(field.label)
        label.setBuddy(field.editor)
        grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        grid.addWidget(field.editor, row, 1)
        grid.addWidget(field.message, row, 2, Qt.AlignmentFlag.AlignTop)
        if hint:
            field.editor.setToolTip(hint)
        self.fields[field.key] = field
        return field

    def _line(
        self, key: str, label: str, read: Callable[[str], Any], placeholder: str = ""
    ) -> _Field:
        edit = QLineEdit()
        edit.setObjectName(key)
        edit.setPlaceholderText(placeholder)
        field = _Field(key, label, edit, lambda: read(edit.text()))
        edit.textChanged.connect(lambda _t, f=field: self._on_field_edited(f))
        return field

    def _date(self, key: str, label: str) -> _Field:
        edit = DateEdit(label=label, maximum=self.today, echo=False, today=self.today)
        edit.setObjectName(key)
        edit.set_value(self.today)
        field = _Field(key, label, edit, edit.value)
        edit.edited.connect(lambda f=field: self._on_field_edited(f))
        return field

    def _text(self, key: str, label: str, required: bool) -> _Field:
        edit = QPlainTextEdit()
        edit.setObjectName(key)
        edit.setFixedHeight(64)
        edit.setTabChangesFocus(True)
        field = _Field(
            key,
            label,
            edit,
            lambda: parse_text(edit.toPlainText(), label, required=required, max_len=2000),
        )
        edit.textChanged.connect(lambda f=field: self._on_field_edited(f))
        return field

    def _incident_group(self) -> QGroupBox:
        box, grid = self._grid("火灾基本情况")
        self._add(grid, self._date("fire_date", "起火日期"))
        self._add(
            grid,
            self._line("fire_time", "起火时间", parse_time, "时:分，如 14:35（可不填）"),
        )
        self._add(
            grid,
            self._line(
                "place",
                "起火地点",
                lambda t: parse_text(t, "起火地点"),
                "如：竟陵街道西湖路",
            ),
        )
        self._add(
            grid,
            self._line(
                "address",
                "详细地址",
                lambda t: parse_text(t, "详细地址", required=False, max_len=300),
                "门牌号等（可不填）",
            ),
        )
        self._add(
            grid,
            self._line(
                "unit_name",
                "起火单位（场所）",
                lambda t: parse_text(t, "起火单位（场所）", required=False),
                "单位或场所名称（可不填）",
            ),
        )
        combo = QComboBox()
        combo.setObjectName("fire_type")
        combo.addItem("请选择…", None)
        for kind in rules.FireType:
            combo.addItem(kind.value, kind.value)

        def read_type() -> str:
            value = combo.currentData()
            if value is None:
                raise InputError("请选择火灾类别。")
            return str(value)

        type_field = _Field("fire_type", "火灾类别", combo, read_type)
        combo.currentIndexChanged.connect(lambda _i, f=type_field: self._on_field_edited(f))
        self._add(grid, type_field)
        title = self._line(
            "title", "案件名称", lambda t: parse_text(t, "案件名称"), "如：某某公司仓库“3·15”火灾"
        )
        assert isinstance(title.editor, QLineEdit)
        title.editor.textChanged.connect(self._on_title_text_changed)
        self._add(grid, title)
        return box

    def _losses_group(self) -> QGroupBox:
        box, grid = self._grid("伤亡与损失")
        self._add(
            grid,
            self._line("deaths", "死亡人数", lambda t: parse_count(t, "死亡人数"), "0"),
        )
        self._add(
            grid,
            self._line("serious_injuries", "重伤人数", lambda t: parse_count(t, "重伤人数"), "0"),
        )
        self._add(
            grid,
            self._line(
                "property_loss_yuan",
                "直接财产损失（元）",
                lambda t: parse_yuan(t, "直接财产损失"),
                "用于定级（第二十五条），如 1200000 或 120万",
            ),
        )
        self._add(
            grid,
            self._line(
                "economic_loss_yuan",
                "直接经济损失（元）",
                lambda t: parse_yuan(t, "直接经济损失"),
                "用于判断是否纳入（第五条第二项），如 500000 或 50万",
            ),
        )
        self._add(
            grid,
            self._line(
                "households_affected",
                "受灾户数",
                lambda t: parse_count(t, "受灾户数", required=False),
                "可不填；2025年标准按受灾户数定级",
            ),
        )
        for key in ("deaths", "serious_injuries"):
            edit = self.fields[key].editor
            assert isinstance(edit, QLineEdit)
            edit.setText("0")
        return box

    def _judgement_group(self) -> QGroupBox:
        box, grid = self._grid("研判（第五条第三项、第四项）")
        social = QCheckBox("造成重大社会影响（第五条第三项）")
        social.setObjectName("social_impact")
        grid.addWidget(social, grid.rowCount(), 0, 1, 3)
        self.social_impact = social
        self._add(
            grid,
            self._line(
                "social_impact_by",
                "认定机关或人员",
                lambda t: parse_text(t, "认定机关或人员"),
                "谁认定造成重大社会影响",
            ),
        )
        self._add(grid, self._date("social_impact_on", "认定日期"))
        self._add(grid, self._text("social_impact_reason", "认定理由", required=True))
        deemed = QCheckBox("人民政府或消防救援机构认为有必要调查处理（第五条第四项）")
        deemed.setObjectName("deemed_necessary")
        grid.addWidget(deemed, grid.rowCount(), 0, 1, 3)
        self.deemed_necessary = deemed
        self._add(
            grid,
            self._line(
                "deemed_by",
                "决定机关",
                lambda t: parse_text(t, "作出决定的政府或消防救援机构"),
                "如：天门市人民政府",
            ),
        )
        self._add(grid, self._date("deemed_on", "决定日期"))
        self._add(grid, self._text("deemed_reason", "决定理由", required=True))
        social.toggled.connect(self._on_social_impact_toggled)
        deemed.toggled.connect(self._on_deemed_necessary_toggled)
        self._set_group_enabled(
            ("social_impact_by", "social_impact_on", "social_impact_reason"), False
        )
        self._set_group_enabled(("deemed_by", "deemed_on", "deemed_reason"), False)
        return box

    def _set_group_enabled(self, keys: tuple[str, ...], on: bool) -> None:
        for key in keys:
            self.fields[key].enabled = on
            self.fields[key].editor.setEnabled(on)
