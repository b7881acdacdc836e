"""当事人: the persons, units and government departments involved in the fire."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from firecase.rules import PartyKind
from firecase.services import parties
from firecase.services.dto import PARTY_ROLES, PartyInput
from firecase.ui.workspace.crud import Column, CrudPanel
from firecase.ui.workspace.fields import ChoiceField, LongTextField, TextField
from firecase.ui.workspace.relatives_field import RelativesField
from firecase.ui.workspace.tabs.base import WorkspaceTab

if TYPE_CHECKING:
    from firecase.services.dto import CaseDetail, PartyView

ALL_KINDS = "全部"


def party_fields() -> tuple[Any, ...]:
    """The party form (kinds from ``firecase.rules.PartyKind``)."""
    return (
        ChoiceField("kind", "类别", choices=tuple(k.value for k in PartyKind)),
        TextField("name", "名称（姓名）", required=True),
        ChoiceField("role", "身份", choices=PARTY_ROLES),
        TextField("organisation", "所在单位（上级部门）"),
        RelativesField(
            "relatives", "近亲属", tooltip="用于回避筛查（第十五条）：每行一人，姓名及关系"
        ),
        TextField("contact", "联系方式"),
        LongTextField("note", "备注"),
    )


def party_values(p: PartyView) -> dict[str, Any]:
    """A party as form values."""
    return {
        "kind": p.kind,
        "name": p.name,
        "role": p.role,
        "organisation": p.organisation,
        "relatives": p.relatives_detail,
        "contact": p.contact,
        "note": p.note,
    }


class PartiesTab(WorkspaceTab):
    """当事人 tab: one list with a filter by kind (个人 / 单位 / 政府部门). GUI thread only."""

    title = "当事人"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        cf, case_id = ctx.case_file, ctx.case_id
        self.filter = QComboBox(self)
        self.filter.setObjectName("kindFilter")
        self.filter.addItems([ALL_KINDS, *(k.value for k in PartyKind)])
        self.filter.currentTextChanged.connect(self._on_filter_current_text_changed)
        self.panel = CrudPanel(
            ctx,
            noun="当事人",
            columns=(
                Column("类别", lambda p: p.kind),
                Column("名称（姓名）", lambda p: p.name),
                Column("身份", lambda p: p.role),
                Column("所在单位", lambda p: p.organisation),
                Column("近亲属", lambda p: p.relatives),
                Column("联系方式", lambda p: p.contact),
                Column("备注", lambda p: p.note),
            ),
            fields=party_fields(),
            rows=self._rows,
            to_values=party_values,
            add=lambda vals: parties.add_party(cf, case_id, PartyInput(**vals), actor=ctx.actor),
            update=lambda p, vals, ver: parties.update_party(
                cf, p.id, PartyInput(**vals), expected_version=ver, actor=ctx.actor
            ),
            remove=lambda p, ver: parties.remove_party(
                cf, p.id, expected_version=ver, actor=ctx.actor
            ),
            describe=lambda p: p.name,
            parent=self,
        )
        note = QLabel(
            "被调查的政府部门也登记为当事人（类别“政府部门”，第十六条第四项）；"
            "所填近亲属和所在单位用于调查组成员的回避筛查。",
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555555;")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("显示：", self))
        row.addWidget(self.filter)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.panel, 1)
        layout.addWidget(note)

    def _rows(self, detail: CaseDetail) -> tuple[PartyView, ...]:
        kind = self.filter.currentText()
        return tuple(p for p in detail.parties if kind == ALL_KINDS or p.kind == kind)

    def _on_filter_current_text_changed(self, _text: str) -> None:
        if self.ctx.detail is not None:
            self.panel.set_detail(self.ctx.detail)

    def set_detail(self, detail: CaseDetail) -> None:
        """Show the parties of ``detail``."""
        self.panel.set_detail(detail)
