"""The intake dialog: record a new incident, see the verdict as it is typed, open the case.

Every field is checked as it changes; its Chinese message appears beside it and "保存并立案"
stays disabled while any field is invalid. The verdict panel shows what ``firecase.rules``
decides for the facts typed so far (grade and standard, every clause of 第五条 that holds,
jurisdiction, scope), each basis a link into the regulation viewer. Saving calls the
``open_case`` service once (one transaction) on the worker. Closing with typed input asks first.
GUI thread only.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from firecase import rules
from firecase.errors import FirecaseError
from firecase.services.dto import CasualtyInput, IncidentInput, JudgementInput
from firecase.ui import messages
from firecase.ui.dialogs.intake_form import (
    EARLIEST,
    ERROR_STYLE,
    HINT_STYLE,
    INVALID_EDIT,
    IntakeForm,
    Verdict,
    _Field,
)
from firecase.ui.dialogs.regulation_viewer import linkify_basis, open_regulation
from firecase.ui.icons import icon
from firecase.ui.keyboard import FirstFieldFocus
from firecase.ui.parsing import (
    DatedValue,
    InputError,
    date_doubts,
    date_in_words,
    format_yuan,
)
from firecase.ui.util import fit_to_screen
from firecase.ui.widgets.date_field import DateEdit
from firecase.ui.worker import Worker


class IntakeDialog(FirstFieldFocus, IntakeForm, QDialog):
    """The 新建案件 dialog. Owned by the main window; GUI thread only.

    ``case_saved(CaseSummary)`` after the case was opened in the case file. The fire date has
    the focus when it opens; Enter saves (or shows what is still missing), Esc cancels; a date
    a year away from the fire's is asked about before the case is opened.
    """

    case_saved = Signal(object)

    def __init__(
        self,
        case_file: Any,
        worker: Worker,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("intakeDialog")
        self.setWindowTitle("新建案件 — 火灾事故登记")
        self.setWindowIcon(icon("new-case"))
        self.case_file = case_file
        self.worker = worker
        self.today = today()
        self.fields: dict[str, _Field] = {}
        self.verdict = Verdict()
        self.saving = False
        self.saved: Any = None
        self._title_edited = False
        self._suggesting = False
        self._ready = False
        self._show_all_errors = False
        self.date_question: Any = None  # the open "请核对日期" box, while it is shown

        form = QWidget()
        form_layout = QVBoxLayout(form)
        form_layout.addWidget(self._incident_group())
        form_layout.addWidget(self._losses_group())
        form_layout.addWidget(self._judgement_group())
        form_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(form)

        self.verdict_view = QTextBrowser()
        self.verdict_view.setObjectName("verdictPanel")
        self.verdict_view.setOpenLinks(False)
        self.verdict_view.anchorClicked.connect(self._on_verdict_view_anchor_clicked)
        self.verdict_view.setMinimumWidth(360)
        verdict_box = QGroupBox("即时研判（依据《天门市火灾事故调查处理办法》）")
        verdict_layout = QVBoxLayout(verdict_box)
        verdict_layout.addWidget(self.verdict_view)

        body = QHBoxLayout()
        body.addWidget(scroll, 3)
        body.addWidget(verdict_box, 2)

        self.status = QLabel()
        self.status.setObjectName("intakeStatus")
        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton(icon("save"), "保存并立案")
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setObjectName("cancelButton")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)
        fit_to_screen(self, 1280, 820)

        self._ready = True
        self._initial = self.snapshot()
        self.revalidate()

    # ------------------------------------------------------------------------------------------
    # state
    # ------------------------------------------------------------------------------------------

    def editor(self, key: str) -> QWidget:
        """The editor widget of field ``key`` (the names of ``IncidentInput`` and friends)."""
        return self.fields[key].editor

    def message(self, key: str) -> str:
        """The message shown beside field ``key`` ("" when none)."""
        field = self.fields[key]
        return field.message.text() if field.error else ""

    def snapshot(self) -> tuple[Any, ...]:
        """Everything typed, to tell whether the form has unsaved input."""
        values: list[Any] = [self.social_impact.isChecked(), self.deemed_necessary.isChecked()]
        for field in self.fields.values():
            editor = field.editor
            if isinstance(editor, QLineEdit):
                values.append(editor.text())
            elif isinstance(editor, QPlainTextEdit):
                values.append(editor.toPlainText())
            elif isinstance(editor, DateEdit):
                values.append(editor.text())
            elif isinstance(editor, QComboBox):
                values.append(editor.currentIndex())
        return tuple(values)

    def has_unsaved_input(self) -> bool:
        """Whether anything was typed that has not been saved."""
        return self.saved is None and self.snapshot() != self._initial

    @property
    def valid(self) -> bool:
        """Whether every enabled field holds a usable value."""
        return not any(f.error for f in self.fields.values() if f.enabled)

    def revalidate(self) -> None:
        """Read every field, show the messages, update the verdict and the save button."""
        for field in self.fields.values():
            if not field.enabled:
                field.value, field.error = None, ""
            else:
                try:
                    field.value, field.error = field.read(), ""
                except InputError as exc:
                    field.value, field.error = None, exc.message
        self._check_dates()
        for field in self.fields.values():
            self._show_field(field)
        self._update_verdict()
        invalid = [f for f in self.fields.values() if f.enabled and f.error]
        self.save_button.setEnabled(not invalid and not self.saving)
        if self.saving:
            self.status.setText("正在保存…")
        elif invalid:
            names = "、".join(f.label for f in invalid[:4]) + ("等" if len(invalid) > 4 else "")
            self.status.setText(f"还有 {len(invalid)} 项需要填写或更正：{names}")
            self.status.setStyleSheet(ERROR_STYLE if self._show_all_errors else HINT_STYLE)
        else:
            self.status.setText("可以保存。保存后将立案并打开案件。")
            self.status.setStyleSheet(HINT_STYLE)

    def _check_dates(self) -> None:
        fire = self.fields["fire_date"]
        if fire.value is not None:
            if fire.value > self.today:
                fire.value, fire.error = None, "起火日期不能晚于今天。"
            elif fire.value < EARLIEST:
                fire.value, fire.error = None, "起火日期早于1949年10月1日，请核对。"
        prop, econ = self.fields["property_loss_yuan"], self.fields["economic_loss_yuan"]
        if prop.value is not None and econ.value is not None and econ.value < prop.value:
            econ.value, econ.error = (
                None,
                "直接经济损失包括直接财产损失，不能小于直接财产损失（第五条第二项按直接经济损失判断）。",
            )
        for key, label in (("social_impact_on", "认定日期"), ("deemed_on", "决定日期")):
            f = self.fields[key]
            if not f.enabled or f.value is None:
                continue
            if f.value > self.today:
                f.value, f.error = None, f"{label}不能晚于今天。"
            elif fire.value is not None and f.value < fire.value:
                f.value, f.error = None, f"{label}不能早于起火日期。"

    def _show_field(self, field: _Field) -> None:
        visible = field.error and (field.touched or self._show_all_errors)
        if visible:
            field.message.setText(field.error)
            field.message.setStyleSheet(ERROR_STYLE)
            field.editor.setStyleSheet(f"#{field.key} {{{INVALID_EDIT}}}")
        else:
            hint = ""
            if field.value is not None and field.key.endswith("_yuan"):
                hint = "＝ " + format_yuan(field.value)
            elif isinstance(field.value, dt.date):
                hint = "＝ " + date_in_words(field.value)
            field.message.setText(hint)
            field.message.setStyleSheet(HINT_STYLE)
            field.editor.setStyleSheet("")

    def _value(self, key: str) -> Any:
        field = self.fields[key]
        return field.value if field.enabled and not field.error else None

    # ------------------------------------------------------------------------------------------
    # verdict
    # ------------------------------------------------------------------------------------------

    def _update_verdict(self) -> None:
        deaths, serious = self._value("deaths"), self._value("serious_injuries")
        property_loss, economic = (
            self._value("property_loss_yuan"),
            self._value("economic_loss_yuan"),
        )
        fire_date, fire_type = self._value("fire_date"), self._value("fire_type")
        households = self._value("households_affected")
        grade = inclusion = jurisdiction = scope = None
        problem = ""
        try:
            if None not in (deaths, serious, property_loss, fire_date):
                grade = rules.grade_fire_detailed(
                    deaths,
                    serious,
                    Decimal(property_loss),
                    fire_date,
                    households_affected=households,
                )
                jurisdiction = rules.jurisdiction_for(grade.grade)
            if None not in (deaths, serious, economic):
                inclusion = rules.assess_inclusion(
                    deaths,
                    serious,
                    Decimal(economic),
                    social_impact=self.social_impact.isChecked(),
                    deemed_necessary=self.deemed_necessary.isChecked(),
                    grade=grade.grade if grade is not None else None,
                )
            if fire_type is not None:
                scope = rules.check_scope(rules.FireType(fire_type))
            duties = None
            if None not in (grade, inclusion, scope):
                duties = rules.measures_duties(
                    fire_date=fire_date,
                    in_scope=bool(scope.in_scope),
                    included=bool(inclusion.included),
                    jurisdiction_grade=grade.grade,
                    scope_reason=str(scope.reason),
                )
        except FirecaseError as exc:
            problem, duties = exc.message, None
        self.verdict = Verdict(grade, inclusion, jurisdiction, scope, problem, duties)
        self.verdict_view.setHtml(verdict_html(self.verdict))

    # ------------------------------------------------------------------------------------------
    # saving
    # ------------------------------------------------------------------------------------------

    def inputs(self) -> tuple[IncidentInput, CasualtyInput, JudgementInput]:
        """The service inputs built from the (valid) form."""
        v = self._value
        incident = IncidentInput(
            title=v("title"),
            fire_date=v("fire_date"),
            place=v("place"),
            fire_type=v("fire_type"),
            property_loss_yuan=v("property_loss_yuan"),
            economic_loss_yuan=v("economic_loss_yuan"),
            fire_time=v("fire_time") or "",
            address=v("address") or "",
            unit_name=v("unit_name") or "",
            households_affected=v("households_affected"),
        )
        casualties = CasualtyInput(
            as_of=v(
                "fire_date"
            ),  # the intake's counts are those of the fire day (dated casualties)
            deaths=v("deaths"),
            serious_injuries=v("serious_injuries"),
            note="立案登记时的伤亡情况",
        )
        social, deemed = self.social_impact.isChecked(), self.deemed_necessary.isChecked()
        judgement = JudgementInput(
            social_impact=social,
            social_impact_by=v("social_impact_by") or "" if social else "",
            social_impact_on=v("social_impact_on") if social else None,
            social_impact_reason=v("social_impact_reason") or "" if social else "",
            deemed_necessary=deemed,
            deemed_by=v("deemed_by") or "" if deemed else "",
            deemed_on=v("deemed_on") if deemed else None,
            deemed_reason=v("deemed_reason") or "" if deemed else "",
        )
        return incident, casualties, judgement

    def save(self) -> None:
        """Open the case (worker thread); on success emit ``case_saved`` and close. An
        implausible date (``parsing.date_doubts``) is asked about first."""
        self._show_all_errors = True
        self.revalidate()
        if not self.valid or self.saving or self.date_question is not None:
            if not self.valid:
                first = next(f for f in self.fields.values() if f.enabled and f.error)
                first.editor.setFocus()
            return
        dated = [
            DatedValue(key, self.fields[key].label, value, is_fire_date=key == "fire_date")
            for key in ("fire_date", "social_impact_on", "deemed_on")
            if isinstance(value := self._value(key), dt.date)
        ]
        doubts = date_doubts(dated, fire_date=None, today=self.today)
        if not doubts:
            self._open_case()
            return

        def answered(keep: bool) -> None:
            self.date_question = None
            if keep:
                self._open_case()
            else:
                self.fields[doubts[0].key].editor.setFocus()

        self.date_question = messages.ask(
            self,
            "请核对日期",
            "以下日期看起来不太对，请核对：",
            "\n".join(f"• {d.message}" for d in doubts)
            + "\n\n日期写入案卷后将作为法律文书的事实依据。确认无误后仍可保存。",
            answered,
            yes_text="确认无误，立案",
            no_text="返回修改",
            object_name="dateDoubtBox",
        )

    def _open_case(self) -> None:
        from firecase.services.cases import open_case

        incident, casualties, judgement = self.inputs()
        case_file, today = self.case_file, self.today
        self.saving = True
        self.revalidate()
        self.worker.run(
            lambda: open_case(case_file, incident, casualties, judgement, today=today),
            on_success=self._on_worker_case_opened,
            on_failure=self._on_worker_save_failed,
            owner=self,
            label="正在立案…",
        )

    def _on_worker_case_opened(self, summary: Any) -> None:
        self.saving = False
        self.saved = summary
        self.case_saved.emit(summary)
        self.accept()

    def _on_worker_save_failed(self, exc: BaseException) -> None:
        self.saving = False
        key = getattr(exc, "field", None)
        if isinstance(exc, FirecaseError) and key in self.fields:
            field = self.fields[key]
            self.revalidate()
            field.error = exc.message
            field.touched = True
            self._show_field(field)
            self.save_button.setEnabled(False)
            field.editor.setFocus()
            return
        self.revalidate()
        messages.show_error(self, exc)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter saves even while the save button is disabled: the form then says what is
        still missing and puts the cursor there."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            event.accept()
            self.accept_from_keyboard()
            return
        super().keyPressEvent(event)

    def accept_from_keyboard(self) -> None:
        """Enter and Ctrl+Enter: 保存并立案 (``save`` says what is missing, if anything)."""
        self.save()

    def reject(self) -> None:
        """Cancel, Esc or the close button: ask first when typed input would be lost."""
        if self.saving:
            return
        if self.has_unsaved_input():
            answer = messages.ask_discard(self, "新建案件", can_save=self.valid)
            if answer is messages.DiscardAnswer.SAVE:
                self.save()
                return
            if answer is messages.DiscardAnswer.CANCEL:
                return
        super().reject()

    # ------------------------------------------------------------------------------------------
    # slots
    # ------------------------------------------------------------------------------------------

    def _on_field_edited(self, field: _Field) -> None:
        if not self._ready:
            return
        field.touched = True
        if field.key in ("place", "unit_name") and not self._title_edited:
            self._suggest_title()
        self.revalidate()

    def _suggest_title(self) -> None:
        unit = self.fields["unit_name"].editor
        place = self.fields["place"].editor
        title = self.fields["title"].editor
        assert isinstance(unit, QLineEdit) and isinstance(place, QLineEdit)
        assert isinstance(title, QLineEdit)
        base = unit.text().strip() or place.text().strip()
        self._suggesting = True
        try:
            title.setText(f"{base}火灾" if base else "")
        finally:
            self._suggesting = False

    def _on_title_text_changed(self, _text: str) -> None:
        if not self._suggesting:
            self._title_edited = True

    def _on_social_impact_toggled(self, on: bool) -> None:
        self._set_group_enabled(
            ("social_impact_by", "social_impact_on", "social_impact_reason"), on
        )
        self.revalidate()

    def _on_deemed_necessary_toggled(self, on: bool) -> None:
        self._set_group_enabled(("deemed_by", "deemed_on", "deemed_reason"), on)
        self.revalidate()

    def _on_save_button_clicked(self) -> None:
        self.save()

    def _on_verdict_view_anchor_clicked(self, url: QUrl) -> None:
        open_regulation(self, url)


def verdict_html(v: Verdict) -> str:
    """The verdict panel's HTML: every decision with its basis as a link."""
    e = html.escape
    parts: list[str] = []
    if v.problem:
        parts.append(f'<p style="{ERROR_STYLE}">{e(v.problem)}</p>')
    if v.scope is not None and not v.scope.in_scope:
        parts.append(
            '<p style="background-color:#fff4d6; color:#8a5300;"><b>⚠ 不适用本办法：</b>'
            f"{linkify_basis(v.scope.reason)}</p>"
        )
    elif v.duties is not None and not v.duties.applies:
        parts.append(
            '<p style="background-color:#fff4d6; color:#8a5300;"><b>⚠ 本办法的期限不适用：</b>'
            f"{linkify_basis(v.duties.reason)}</p>"
        )
    parts.append("<h3>火灾等级</h3>")
    if v.grade is None:
        parts.append(
            f'<p style="{HINT_STYLE}">填写起火日期、死亡和重伤人数、直接财产损失后显示。</p>'
        )
    else:
        g = v.grade
        parts.append(f'<p><span style="font-size:16pt;"><b>{e(g.grade.label)}</b></span></p>')
        parts.append(f"<p>适用标准：{e(g.standard.summary)}</p>")
        parts.append("<ul>" + "".join(f"<li>{e(r)}</li>" for r in g.reasons) + "</ul>")
        for note in g.notes:
            parts.append(f'<p style="{HINT_STYLE}">{e(note)}</p>')
        parts.append(f"<p>依据：{linkify_basis(g.basis)}</p>")
    parts.append("<h3>是否纳入调查处理</h3>")
    if v.inclusion is None:
        parts.append(f'<p style="{HINT_STYLE}">填写死亡、重伤人数和直接经济损失后显示。</p>')
    else:
        inc = v.inclusion
        if inc.included:
            parts.append('<p><b style="color:#b71c1c;">纳入调查处理范围</b></p><ul>')
            parts.extend(f"<li>{linkify_basis(r.text)}</li>" for r in inc.reasons)
            parts.append("</ul>")
        else:
            parts.append(f"<p><b>不纳入</b></p><p>{linkify_basis(inc.explanation)}</p>")
        parts.append(f"<p>依据：{linkify_basis(inc.basis)}</p>")
    parts.append("<h3>调查权限</h3>")
    if v.jurisdiction is None:
        parts.append(f'<p style="{HINT_STYLE}">定级后显示。</p>')
    else:
        parts.append(f"<p><b>{e(v.jurisdiction.authority)}</b></p>")
        parts.append(f"<p>{linkify_basis(v.jurisdiction.explanation)}</p>")
    if v.scope is not None and v.scope.in_scope:
        parts.append(f'<p style="{HINT_STYLE}">{linkify_basis(v.scope.reason)}</p>')
    return "\n".join(parts)
