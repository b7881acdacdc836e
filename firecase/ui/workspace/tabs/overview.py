"""概况: the incident facts, dated casualty updates, grade history and the escalation alert."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from firecase.rules import FireType
from firecase.services import cases, persons
from firecase.services.dto import (
    ACCIDENT_NATURES,
    PERSON_ROLES,
    PERSON_SEXES,
    CasualtyInput,
    IncidentInput,
    JudgementInput,
    PersonInput,
)
from firecase.ui.workspace.basis import ALERT_STYLE, INFO_STYLE, WARN_STYLE, BasisLabel
from firecase.ui.workspace.crud import (
    Column,
    CrudPanel,
    DtoTableModel,
    RecordDialog,
    make_table,
    open_action_dialog,
)
from firecase.ui.workspace.fields import (
    BoolField,
    ChoiceField,
    DateField,
    DecimalField,
    Field,
    FieldError,
    IntField,
    LongTextField,
    MoneyField,
    TextField,
)
from firecase.ui.workspace.tabs.base import SavedForm, WorkspaceTab, group, scrolled

if TYPE_CHECKING:
    from firecase.services.dto import CaseDetail, PersonView


@dataclass(frozen=True)
class AreaField(DecimalField):
    """过火面积 in 平方米: exact (``Decimal``), never negative, at most two decimal places;
    empty when not known. A bad entry is refused beside the field, in Chinese."""

    hint = "平方米数，如 320 或 320.5"

    def write(self, widget: QWidget, value: Any) -> None:
        assert isinstance(widget, QLineEdit)
        text = "" if value is None else f"{Decimal(value):f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        widget.setText(text)


@dataclass(frozen=True)
class PhraseField(Field):
    """A phrase picked from ``choices`` or typed (an editable list); may stay empty."""

    choices: tuple[str, ...] = ()
    max_len: int = 100

    def create(self, parent: QWidget) -> QWidget:
        box = QComboBox(parent)
        box.setEditable(True)
        box.addItems(["", *self.choices])
        if box.lineEdit() is not None and self.placeholder:
            box.lineEdit().setPlaceholderText(self.placeholder)
        return box

    def read(self, widget: QWidget) -> str:
        assert isinstance(widget, QComboBox)
        return self.checked_text(widget.currentText(), self.max_len)

    def write(self, widget: QWidget, value: Any) -> None:
        assert isinstance(widget, QComboBox)
        text = "" if value is None else str(value)
        index = widget.findText(text)
        if index >= 0:
            widget.setCurrentIndex(index)
        else:
            widget.setEditText(text)

    def changed_signal(self, widget: QWidget) -> Any:
        assert isinstance(widget, QComboBox)
        return widget.currentTextChanged


INCIDENT_FIELDS = (
    TextField("title", "案件名称", required=True),
    DateField("fire_date", "起火日期", required=True),
    TextField("fire_time", "起火时间", placeholder="时:分，如 14:35", max_len=8),
    TextField("place", "起火地点", required=True),
    TextField("address", "详细地址", max_len=300),
    TextField("unit_name", "起火单位（场所）"),
    # ChoiceField is built in the tab (its labels come from firecase.rules.FireType)
    MoneyField("property_loss_yuan", "直接财产损失（元）", required=True),
    MoneyField("economic_loss_yuan", "直接经济损失（元）", required=True),
    IntField("households_affected", "受灾户数", maximum=10**7),
    AreaField(
        "burned_area_m2",
        "过火面积（平方米）",
        tooltip="火灾烧损的面积，印入调查报告的基本情况和开头概述（第十八条第三项）",
    ),
    PhraseField(
        "nature",
        "事故性质",
        choices=ACCIDENT_NATURES,
        placeholder="可选择或直接填写，如 一起生产安全责任事故",
        tooltip="调查组认定的火灾性质（第七条第三项、第十八条第四项）",
    ),
    LongTextField("summary", "简要情况"),
)

CASUALTY_FIELDS = (
    DateField(
        "as_of",
        "伤亡发生（截至）日期",
        required=True,
        tooltip="死亡、受伤发生的日期（不是录入日期）：等级、纳入和调查权限按此日期计算"
        "（火灾统计管理规定；第四条）",
    ),
    IntField("deaths", "死亡人数", required=True),
    IntField("serious_injuries", "重伤人数", required=True),
    IntField("minor_injuries", "轻伤人数"),
    TextField("note", "说明", max_len=500),
)

JUDGEMENT_FIELDS = (
    BoolField("social_impact", "造成重大社会影响（第五条第三项）"),
    TextField("social_impact_by", "认定人（单位）"),
    DateField("social_impact_on", "认定日期", optional=True, check_text="已认定"),
    LongTextField("social_impact_reason", "认定理由"),
    BoolField("deemed_necessary", "人民政府或消防救援机构认为有必要调查（第五条第四项）"),
    TextField("deemed_by", "决定人（单位）"),
    DateField("deemed_on", "决定日期", optional=True, check_text="已决定"),
    LongTextField("deemed_reason", "决定理由"),
)


TAKEOVER_FIELDS = (
    TextField(
        "taken_over_by",
        "提级调查的上级人民政府",
        placeholder="如 湖北省人民政府",
        tooltip="上级人民政府认为有必要时，可提级调查火灾事故（第四条第二款）",
    ),
    DateField("taken_over_on", "提级日期", optional=True, check_text="已提级"),
)


def incident_fields() -> tuple[Any, ...]:
    """The incident form's fields (fire type choices from the rules)."""
    from firecase.ui.workspace.fields import ChoiceField

    fire_type = ChoiceField("fire_type", "火灾类别", choices=tuple(t.value for t in FireType))
    return (*INCIDENT_FIELDS[:6], fire_type, *INCIDENT_FIELDS[6:])


def _incident_values(d: CaseDetail) -> dict[str, Any]:
    c = d.case
    return {
        "title": c.title,
        "fire_date": c.fire_date,
        "fire_time": c.fire_time,
        "place": c.place,
        "address": c.address,
        "unit_name": c.unit_name,
        "fire_type": c.fire_type,
        "property_loss_yuan": c.property_loss_yuan,
        "economic_loss_yuan": c.economic_loss_yuan,
        "households_affected": c.households_affected,
        "burned_area_m2": c.burned_area_m2,
        "nature": c.nature,
        "summary": c.summary,
    }


@dataclass(frozen=True)
class IdNumberField(TextField):
    """A resident ID number: refused at the field unless its birth date and check character
    are right (GB 11643); stored as typed without spaces, the check character upper-case."""

    max_len: int = 32

    def read(self, widget: QWidget) -> str:
        from firecase.services.persons import id_no_problem, normalise_id_no

        text = super().read(widget)
        problem = id_no_problem(text)
        if problem:
            raise FieldError(self.key, problem)
        return normalise_id_no(text)


PERSON_FIELDS = (
    ChoiceField("role", "类别", choices=PERSON_ROLES),
    TextField("name", "姓名", required=True),
    ChoiceField("sex", "性别", choices=PERSON_SEXES),
    IntField("age", "年龄", maximum=150, placeholder="周岁，如 52"),
    IdNumberField(
        "id_no",
        "身份证号码",
        placeholder="18位（末位可为X）或15位",
        tooltip="保存时核对出生日期和校验码（GB 11643）；公开版本中自动遮盖为 4209**********1234",
    ),
    TextField("phone", "联系电话", placeholder="手机或固定电话"),
    LongTextField("note", "备注"),
)


def person_values(x: PersonView) -> dict[str, Any]:
    """One person of the register as form values."""
    return {
        "role": x.role,
        "name": x.name,
        "sex": x.sex or "不详",
        "age": x.age,
        "id_no": x.id_no,
        "phone": x.phone,
        "note": x.note,
    }


class OverviewTab(WorkspaceTab):
    """概况 tab: facts (explicit save), decisions with basis, casualty updates, grade history.

    Owned by the ``CaseWorkspace``; GUI thread only.
    """

    title = "概况"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        inner = QWidget(self)
        layout = QVBoxLayout(inner)
        self.escalation = BasisLabel(style=ALERT_STYLE, parent=inner)
        self.escalation.setObjectName("escalationAlert")
        self.scope = BasisLabel(style=WARN_STYLE, parent=inner)
        self.scope.setObjectName("scopeWarning")
        self.warnings = BasisLabel(style=WARN_STYLE, parent=inner)
        self.warnings.setObjectName("caseWarnings")
        layout.addWidget(self.escalation)
        layout.addWidget(self.scope)
        layout.addWidget(self.warnings)

        cf, case_id = ctx.case_file, ctx.case_id
        self.facts = SavedForm(
            ctx,
            noun="基本情况",
            fields=incident_fields(),
            values_of=_incident_values,
            version_of=lambda d: d.case.version,
            save=lambda vals, ver: cases.update_incident(
                cf, case_id, IncidentInput(**vals), expected_version=ver, actor=ctx.actor
            ),
            save_text="保存基本情况",
            parent=inner,
        )
        self.forms.append(self.facts)
        self.takeover = SavedForm(
            ctx,
            noun="提级调查",
            fields=TAKEOVER_FIELDS,
            values_of=lambda d: {
                "taken_over_by": d.case.taken_over_by,
                "taken_over_on": d.case.taken_over_on,
            },
            version_of=lambda d: d.case.version,
            save=lambda vals, ver: cases.record_takeover(
                cf,
                case_id,
                vals["taken_over_by"] or "",
                vals["taken_over_on"],
                expected_version=ver,
                actor=ctx.actor,
            ),
            save_text="保存提级调查",
            parent=inner,
        )
        self.takeover.setObjectName("takeoverForm")
        self.forms.append(self.takeover)

        self.grade = BasisLabel(style=INFO_STYLE, parent=inner)
        self.grade.setObjectName("gradeDecision")
        self.inclusion = BasisLabel(style=INFO_STYLE, parent=inner)
        self.inclusion.setObjectName("inclusionDecision")
        self.jurisdiction = BasisLabel(style=INFO_STYLE, parent=inner)
        self.jurisdiction.setObjectName("jurisdiction")
        self.judgement_button = QPushButton("记录第五条第三、四项判断…", inner)
        self.judgement_button.setObjectName("judgementButton")
        self.judgement_button.clicked.connect(self._on_judgement_button_clicked)
        self.judgement_dialog: RecordDialog | None = None

        self.casualties = CrudPanel(
            ctx,
            noun="伤亡统计",
            columns=(
                Column("伤亡发生（截至）日期", lambda u: u.as_of or u.recorded_on),
                Column("录入日期", lambda u: u.recorded_on),
                Column("死亡", lambda u: u.deaths),
                Column("重伤", lambda u: u.serious_injuries),
                Column("轻伤", lambda u: u.minor_injuries),
                Column("记录人", lambda u: u.recorded_by),
                Column("说明", lambda u: u.note),
            ),
            fields=CASUALTY_FIELDS,
            rows=lambda d: d.casualty_updates,
            to_values=lambda u: {},
            add=lambda vals: cases.add_casualty_update(
                cf, case_id, CasualtyInput(**_zero_minor(vals)), actor=ctx.actor
            ),
            remove=lambda u, _ver: cases.remove_casualty_update(cf, u.id, actor=ctx.actor),
            describe=lambda u: f"截至{(u.as_of or u.recorded_on).isoformat()} 死亡{u.deaths}人",
            parent=inner,
        )
        self.persons = CrudPanel(
            ctx,
            noun="人员",
            columns=(
                Column("类别", lambda x: x.role),
                Column("姓名", lambda x: x.name),
                Column("性别", lambda x: x.sex),
                Column("年龄", lambda x: "" if x.age is None else x.age),
                Column("身份证号码", lambda x: x.id_no),
                Column("联系电话", lambda x: x.phone),
                Column("备注", lambda x: x.note),
            ),
            fields=PERSON_FIELDS,
            rows=lambda d: d.persons,
            to_values=person_values,
            add=lambda vals: persons.add_person(cf, case_id, PersonInput(**vals), actor=ctx.actor),
            update=lambda x, vals, ver: persons.update_person(
                cf, x.id, PersonInput(**vals), expected_version=ver, actor=ctx.actor
            ),
            remove=lambda x, ver: persons.remove_person(
                cf, x.id, expected_version=ver, actor=ctx.actor
            ),
            describe=lambda x: f"{x.role} {x.name}",
            parent=inner,
        )
        self.persons.setObjectName("personsPanel")
        self.persons.setMinimumHeight(180)
        self.grade_model = DtoTableModel(
            (
                Column("认定日期", lambda g: g.decided_on),
                Column("等级", lambda g: g.grade),
                Column("适用标准", lambda g: g.standard),
                Column("依据", lambda g: g.basis),
                Column("认定人", lambda g: g.decided_by),
                Column("说明", lambda g: g.explanation),
            ),
            parent=self,
        )
        self.grade_view = make_table(self.grade_model, inner)
        self.grade_view.setObjectName("gradeHistory")
        self.grade_view.setMinimumHeight(120)

        top = QHBoxLayout()
        top.addWidget(group("基本情况", self.facts, parent=inner), 3)
        decisions = QWidget(inner)
        dl = QVBoxLayout(decisions)
        dl.setContentsMargins(0, 0, 0, 0)
        for w in (self.grade, self.inclusion, self.jurisdiction, self.judgement_button):
            dl.addWidget(w)
        dl.addWidget(group("提级调查（第四条第二款）", self.takeover, parent=decisions))
        dl.addStretch(1)
        top.addWidget(group("认定与依据", decisions, parent=inner), 2)
        layout.addLayout(top)
        self.casualties.setMinimumHeight(180)
        layout.addWidget(group("伤亡统计（按日期保存，第四条）", self.casualties, parent=inner))
        layout.addWidget(
            group(
                "伤亡及相关人员登记（死者、伤者、证人；公开版本自动遮盖姓名和号码）",
                self.persons,
                parent=inner,
            )
        )
        layout.addWidget(group("等级认定记录", self.grade_view, parent=inner))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolled(inner, self))

    def set_detail(self, detail: CaseDetail) -> None:
        """Show the facts and decisions of ``detail``."""
        if detail.escalation is not None:
            self.escalation.set_basis(
                detail.escalation.message, detail.escalation.basis, bold="报请上级人民政府："
            )
        else:
            self.escalation.set_basis("")
        duties = detail.duties
        if duties is not None and not duties.applies:
            self.scope.set_basis(duties.reason, duties.basis, bold="本办法的期限不适用：")
        elif not detail.scope.in_scope:
            self.scope.set_basis(detail.scope.reason, detail.scope.basis, bold="不适用本办法：")
        else:
            self.scope.set_basis("")
        shown = {duties.code} if duties is not None else set()
        notes = [w for w in detail.warnings if w.code not in shown]
        if notes:
            self.warnings.set_basis(
                "；".join(w.message.rstrip("。") for w in notes) + "。",
                "；".join(dict.fromkeys(w.basis for w in notes if w.basis)),
                bold="提示：",
            )
        else:
            self.warnings.set_basis("")
        self.facts.set_detail(detail)
        self.takeover.set_detail(detail)
        g = detail.grade_decision
        if g is not None:
            basis = "" if g.basis and g.basis in g.explanation else g.basis
            counted = (
                f"计死亡{detail.deaths}人、重伤{detail.serious_injuries}人"
                + (f"（{detail.counted_note}）" if detail.counted_note else "")
                + "。"
            )
            others = "；".join(detail.other_grades)
            self.grade.set_basis(
                f"{detail.grade_display or g.grade}（{g.standard}）。{counted}{g.explanation}"
                + (f"另：{others}（两个标准定级不同，均列出）。" if others else ""),
                basis,
                bold="火灾等级：",
            )
        else:
            self.grade.set_basis("尚未认定", bold="火灾等级：")
        i = detail.inclusion
        if i is not None:
            verdict = "纳入调查处理范围" if i.included else "不纳入调查处理范围"
            text = i.explanation
            bold = "纳入调查：" if i.included else ""
            if bold and text.startswith(bold):  # the rule's own words begin so: said once
                text = text[len(bold) :]
            elif not text.startswith(("纳入", "不纳入")):
                text = f"{verdict}。{text}"
            self.inclusion.set_basis(text, bold=bold)
        else:
            self.inclusion.set_basis("尚未认定", bold="纳入调查：")
        self.jurisdiction.set_basis(detail.jurisdiction, bold="调查权限：")
        self.casualties.set_detail(detail)
        self.persons.set_detail(detail)
        self.grade_model.set_rows(detail.grade_history)

    def _on_judgement_button_clicked(self) -> None:
        detail = self.ctx.detail
        cf, case_id, ctx = self.ctx.case_file, self.ctx.case_id, self.ctx
        values = None
        if detail is not None and detail.inclusion is not None:
            j = detail.inclusion.judgement
            values = {f.key: getattr(j, f.key) for f in JUDGEMENT_FIELDS}
        self.judgement_dialog = open_action_dialog(
            self,
            ctx,
            "第五条第三、四项判断",
            JUDGEMENT_FIELDS,
            lambda vals: cases.record_judgement(
                cf, case_id, JudgementInput(**vals), actor=ctx.actor
            ),
            values=values,
        )


def _zero_minor(vals: dict[str, Any]) -> dict[str, Any]:
    out = dict(vals)
    if out.get("minor_injuries") is None:
        out["minor_injuries"] = 0
    return out
