"""调查报告: the eight sections of 第十八条 as rich-text editors, responsibility findings in the
four areas of 第十六条, causes, and dissenting opinions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QTextCharFormat, QTextListFormat
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from firecase.errors import ConflictError, ValidationError
from firecase.services import cases, findings as findings_svc
from firecase.services.dto import (
    CAUSE_KINDS,
    REPORT_SECTION_TITLES,
    RESPONSIBILITY_AREAS,
    CauseInput,
    DissentInput,
    FindingInput,
    ReportWordingInput,
)
from firecase.ui import messages
from firecase.ui.layout_memory import remember
from firecase.ui.regulation import cn_number
from firecase.ui.workspace.basis import INFO_STYLE, BasisLabel
from firecase.ui.workspace.crud import Column, ConflictDialog, CrudPanel, display_value
from firecase.ui.workspace.fields import ChoiceField, DateField, LongTextField, RefField, TextField
from firecase.ui.workspace.richtext import document_to_text, text_to_html
from firecase.ui.workspace.tabs.base import SavedForm, WorkspaceTab, scrolled

if TYPE_CHECKING:
    from firecase.services.dto import CaseDetail, ReportSectionView

Done = Callable[[bool], None]


def section_heading(number: int) -> str:
    """ "（一）火灾事故发生单位（场所）概况"."""
    return f"（{cn_number(number)}）{REPORT_SECTION_TITLES[number - 1]}"


class SectionEditor(QWidget):
    """Rich-text editor of one report section with its own 保存. Owned by the ``ReportTab``.

    GUI thread only. Typed text is kept across reloads until saved or discarded; ``dirty_changed``
    is emitted when the section gains or loses unsaved input.
    """

    dirty_changed = Signal(bool)

    def __init__(self, ctx: Any, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.number = number
        self.setObjectName(f"section_{number}")
        self.version = 0
        self.saved_body = ""
        self.saved_confidential = False
        self.conflict_dialog: ConflictDialog | None = None
        self._busy = False
        self._was_dirty = False
        title = QLabel(f"<b>{section_heading(number)}</b>（第十八条第{cn_number(number)}项）", self)
        self.editor = QTextEdit(self)
        self.editor.setObjectName("sectionText")
        self.editor.setAcceptRichText(True)
        self.editor.setTabChangesFocus(False)
        self.editor.setPlaceholderText("在此撰写本部分内容。每段一行；可使用加粗、倾斜和列表。")
        self.confidential = QCheckBox("涉密，不在公开版本中出现", self)
        self.confidential.setObjectName("confidentialCheck")
        self.state = QLabel(self)
        self.save_button = QPushButton("保存本节", self)
        self.save_button.setObjectName("saveSectionButton")
        self.revert_button = QPushButton("撤销修改", self)
        self.revert_button.setObjectName("revertSectionButton")
        bar = QHBoxLayout()
        for text, tip, slot in (
            ("B", "加粗", self._on_bold_button_clicked),
            ("I", "倾斜", self._on_italic_button_clicked),
            ("•", "项目符号列表", self._on_bullets_button_clicked),
            ("1.", "编号列表", self._on_numbers_button_clicked),
        ):
            button = QToolButton(self)
            button.setText(text)
            button.setToolTip(tip)
            button.setObjectName(f"format_{tip}")
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.confidential)
        bottom = QHBoxLayout()
        bottom.addWidget(self.state, 1)
        bottom.addWidget(self.revert_button)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addLayout(bar)
        layout.addWidget(self.editor, 1)
        layout.addLayout(bottom)
        self.editor.document().modificationChanged.connect(self._on_document_modification_changed)
        self.confidential.toggled.connect(self._on_confidential_toggled)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.revert_button.clicked.connect(self._on_revert_button_clicked)
        self._show_state()

    # formatting
    def _on_bold_button_clicked(self) -> None:
        fmt = QTextCharFormat()
        bold = self.editor.fontWeight() < QFont.Weight.Bold
        fmt.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
        self.editor.mergeCurrentCharFormat(fmt)

    def _on_italic_button_clicked(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(not self.editor.fontItalic())
        self.editor.mergeCurrentCharFormat(fmt)

    def _list(self, style: QTextListFormat.Style) -> None:
        cursor = self.editor.textCursor()
        current = cursor.currentList()
        if current is not None and current.format().style() == style:
            block_fmt = cursor.blockFormat()
            current.remove(cursor.block())
            block_fmt.setIndent(0)
            cursor.setBlockFormat(block_fmt)
        else:
            cursor.createList(style)

    def _on_bullets_button_clicked(self) -> None:
        self._list(QTextListFormat.Style.ListDisc)

    def _on_numbers_button_clicked(self) -> None:
        self._list(QTextListFormat.Style.ListDecimal)

    # state
    def body(self) -> str:
        """The section as it will be stored."""
        return document_to_text(self.editor.document())

    def is_dirty(self) -> bool:
        """Whether the section holds unsaved input."""
        return (
            self.editor.document().isModified()
            or self.confidential.isChecked() != self.saved_confidential
        )

    def _show_state(self) -> None:
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty and not self._busy)
        self.revert_button.setEnabled(dirty and not self._busy)
        if dirty:
            self.state.setText("有未保存的修改")
            self.state.setStyleSheet("color: #b26a00;")
        else:
            self.state.setText("已保存" if self.version else "尚未填写")
            self.state.setStyleSheet("color: #555555;")
        if dirty != self._was_dirty:
            self._was_dirty = dirty
            self.dirty_changed.emit(dirty)

    def _on_document_modification_changed(self, _modified: bool) -> None:
        self._show_state()

    def _on_confidential_toggled(self, _checked: bool) -> None:
        self._show_state()

    def set_section(self, section: ReportSectionView) -> None:
        """Show the saved ``section`` unless the user is typing in it."""
        if self.is_dirty():
            return
        self.version = section.version
        self.saved_body = section.body
        self.saved_confidential = section.confidential
        self._load(section.body, section.confidential)

    def _load(self, body: str, confidential: bool) -> None:
        blocked = self.confidential.blockSignals(True)
        self.confidential.setChecked(confidential)
        self.confidential.blockSignals(blocked)
        self.editor.setHtml(text_to_html(body) if body else "")
        self.editor.document().setModified(False)
        self._show_state()

    def discard_changes(self) -> None:
        """Show the saved text again."""
        self._load(self.saved_body, self.saved_confidential)

    def _on_revert_button_clicked(self) -> None:
        self.discard_changes()

    def _on_save_button_clicked(self) -> None:
        self.save()

    def save(self, then: Done | None = None) -> None:
        """Save the section (worker thread); ``then(ok)`` afterwards."""
        if self._busy:
            if then is not None:
                then(False)
            return
        body, secret = self.body(), self.confidential.isChecked()
        version = self.version or None
        cf, case_id, ctx, number = self.ctx.case_file, self.ctx.case_id, self.ctx, self.number
        self._busy = True
        self._show_state()

        def succeeded(view: ReportSectionView) -> None:
            self._busy = False
            self.version = view.version
            self.saved_body = view.body
            self.saved_confidential = view.confidential
            self.editor.document().setModified(False)
            self._show_state()
            ctx.changed()
            ctx.reload()
            if then is not None:
                then(True)

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._show_state()
            if isinstance(exc, ConflictError) or (
                isinstance(exc, ValidationError) and exc.field == "version"
            ):
                self._resolve_conflict(exc, body, secret)
            else:
                messages.show_error(self, exc)
            if then is not None:
                then(False)

        ctx.run(
            lambda: findings_svc.save_report_section(
                cf,
                case_id,
                number,
                body,
                confidential=secret,
                expected_version=version,
                actor=ctx.actor,
            ),
            on_success=succeeded,
            on_failure=failed,
            label="正在保存报告…",
        )

    def _resolve_conflict(self, exc: BaseException, mine: str, secret: bool) -> None:
        def show(detail: CaseDetail) -> None:
            theirs = detail.report_sections[self.number - 1]
            rows = [
                ("正文", mine, theirs.body),
                ("涉密", display_value(secret), display_value(theirs.confidential)),
            ]
            message = getattr(exc, "message", str(exc))
            dialog = ConflictDialog(section_heading(self.number), rows, message, self)
            self.conflict_dialog = dialog

            def finished(code: int) -> None:
                self.conflict_dialog = None
                dialog.deleteLater()
                if code == ConflictDialog.RELOAD:
                    self.editor.document().setModified(False)
                    self.confidential.setChecked(theirs.confidential)
                    self.set_section(theirs)
                elif code == ConflictDialog.OVERWRITE:
                    self.version = theirs.version
                    self.save()

            dialog.finished.connect(finished)
            dialog.open()

        self.ctx.reload(show)


WORDING_FIELDS = (
    TextField(
        "team_name",
        "调查组名称（落款、页眉）",
        placeholder="留空则按案件信息生成，如 天门市“4·12”较大火灾事故调查组",
        tooltip="调查报告是调查组向人民政府提交的报告，落款和页眉署调查组名称（第四条、第六条）",
    ),
    LongTextField(
        "title",
        "报告标题（每行一行，留空自动分行）",
        tooltip="在需要换行处回车；留空时按案件名称生成并自动分行",
    ),
    LongTextField("opening", "开头概述（留空则按案件信息生成）"),
    LongTextField("composition", "调查组组成情况（留空则按案件信息生成）"),
)


def wording_values(d: CaseDetail) -> dict[str, Any]:
    """The report wording the officer stored ("" where generated)."""
    c = d.case
    return {
        "team_name": c.team_name,
        "title": c.report_title,
        "opening": c.report_opening,
        "composition": c.report_composition,
    }


class WordingForm(SavedForm):
    """The report's title, opening summary, team-composition paragraph and the team's name
    (第十八条), with 按案件信息生成 filling them from the case (not saved until 保存)."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        cf, case_id = ctx.case_file, ctx.case_id
        super().__init__(
            ctx,
            noun="报告文字",
            fields=WORDING_FIELDS,
            values_of=wording_values,
            version_of=lambda d: d.case.version,
            save=lambda vals, ver: cases.set_report_wording(
                cf, case_id, ReportWordingInput(**vals), expected_version=ver, actor=ctx.actor
            ),
            save_text="保存报告文字",
            parent=parent,
        )
        self.setObjectName("reportWordingForm")
        self.generate_button = QPushButton("按案件信息生成", self)
        self.generate_button.setObjectName("generateWordingButton")
        self.generate_button.setToolTip(
            "按当前案件信息（起火时间地点、过火面积、伤亡、损失、事故性质、调查组组成）生成，"
            "生成后可修改，保存后印入报告"
        )
        self.generate_button.clicked.connect(self._on_generate_button_clicked)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, self.generate_button)

    def _on_generate_button_clicked(self) -> None:
        from firecase.services.reporting import generated_wording

        cf, case_id = self.ctx.case_file, self.ctx.case_id
        today = self.ctx.today()
        self.ctx.run(
            lambda: generated_wording(cf, case_id, today=today),
            on_success=self.show_generated,
            label="生成报告文字",
        )

    def show_generated(self, wording: ReportWordingInput) -> None:
        """Fill the form with generated wording; it is saved only by 保存报告文字."""
        self.form.set_values(
            {
                "team_name": wording.team_name,
                "title": wording.title,
                "opening": wording.opening,
                "composition": wording.composition,
            }
        )
        self.form._on_editor_edited()


class ReportTab(WorkspaceTab):
    """调查报告 tab: section editors, findings, causes, dissent. Owned by the workspace.

    GUI thread only. Sections are saved explicitly (保存本节 / 保存全部 / Ctrl+S); switching
    away or closing with unsaved text asks first.
    """

    title = "调查报告"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        cf, case_id = ctx.case_file, ctx.case_id
        self.section_list = QListWidget(self)
        self.section_list.setObjectName("sectionList")
        self.section_list.setMinimumWidth(380)
        self.section_list.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.sections: list[SectionEditor] = []
        for n in range(1, 9):
            editor = SectionEditor(ctx, n, self.stack)
            editor.dirty_changed.connect(self._on_section_dirty_changed)
            self.sections.append(editor)
            self.stack.addWidget(editor)
            QListWidgetItem(section_heading(n), self.section_list)
        self.section_list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.section_list.setCurrentRow(0)
        self.save_all_button = QPushButton("保存全部", self)
        self.save_all_button.setObjectName("saveAllSectionsButton")
        self.save_all_button.clicked.connect(self._on_save_all_button_clicked)
        intro = BasisLabel(
            "调查报告应包含下列八部分内容，并附具有关证据材料；调查组成员应当在报告上签名。",
            "第十八条",
            style=INFO_STYLE,
            parent=self,
        )
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.section_list, 1)
        ll.addWidget(self.save_all_button)
        body = QSplitter(Qt.Orientation.Horizontal, self)
        body.addWidget(left)
        body.addWidget(self.stack)
        body.setStretchFactor(1, 1)
        remember(body, "report.body")

        self.findings = CrudPanel(
            ctx,
            noun="责任认定",
            columns=(
                Column("责任方面", lambda f: f.area),
                Column("责任主体", lambda f: f.subject),
                Column("认定内容", lambda f: f.text),
            ),
            fields=(
                ChoiceField("area", "责任方面（第十六条）", choices=RESPONSIBILITY_AREAS),
                TextField("subject", "责任主体（单位或人员）", required=True),
                RefField("party_id", "对应当事人", options=self._parties),
                LongTextField("text", "认定内容", required=True),
            ),
            rows=lambda d: tuple(sorted(d.findings, key=lambda f: (_area_rank(f.area), f.id))),
            to_values=lambda f: {
                "area": f.area,
                "subject": f.subject,
                "party_id": f.party_id,
                "text": f.text,
            },
            add=lambda vals: findings_svc.add_finding(
                cf, case_id, FindingInput(**vals), actor=ctx.actor
            ),
            update=lambda f, vals, ver: findings_svc.update_finding(
                cf, f.id, FindingInput(**vals), expected_version=ver, actor=ctx.actor
            ),
            remove=lambda f, ver: findings_svc.remove_finding(
                cf, f.id, expected_version=ver, actor=ctx.actor
            ),
            describe=lambda f: f.subject,
            parent=self,
        )
        self.area_summary = BasisLabel(parent=self)
        self.area_summary.setObjectName("areaSummary")
        self.causes = CrudPanel(
            ctx,
            noun="原因",
            columns=(Column("类别", lambda c: c.kind), Column("内容", lambda c: c.text)),
            fields=(
                ChoiceField("kind", "类别", choices=CAUSE_KINDS),
                LongTextField("text", "内容", required=True),
            ),
            rows=lambda d: d.causes,
            to_values=lambda c: {"kind": c.kind, "text": c.text},
            add=lambda vals: findings_svc.add_cause(
                cf, case_id, CauseInput(**vals), actor=ctx.actor
            ),
            update=lambda c, vals, ver: findings_svc.update_cause(
                cf, c.id, CauseInput(**vals), expected_version=ver, actor=ctx.actor
            ),
            remove=lambda c, ver: findings_svc.remove_cause(
                cf, c.id, expected_version=ver, actor=ctx.actor
            ),
            describe=lambda c: c.kind,
            parent=self,
        )
        self.dissents = CrudPanel(
            ctx,
            noun="不同意见",
            columns=(
                Column("成员", lambda x: x.member_name),
                Column("日期", lambda x: x.recorded_on),
                Column("意见", lambda x: x.text),
            ),
            fields=(
                RefField("member_id", "提出意见的成员", required=True, options=self._members),
                DateField("recorded_on", "日期", required=True),
                LongTextField("text", "意见", required=True),
            ),
            rows=lambda d: d.dissents,
            to_values=lambda x: {
                "member_id": x.member_id,
                "recorded_on": x.recorded_on,
                "text": x.text,
            },
            add=lambda vals: findings_svc.add_dissent(
                cf, case_id, DissentInput(**vals), actor=ctx.actor
            ),
            update=lambda x, vals, ver: findings_svc.update_dissent(
                cf, x.id, DissentInput(**vals), expected_version=ver, actor=ctx.actor
            ),
            remove=lambda x, ver: findings_svc.remove_dissent(
                cf, x.id, expected_version=ver, actor=ctx.actor
            ),
            describe=lambda x: x.member_name,
            parent=self,
        )
        findings = QWidget(self)
        fl = QVBoxLayout(findings)
        fl.addWidget(self.area_summary)
        fl.addWidget(self.findings, 1)
        self.inner_tabs = QTabWidget(self)
        self.inner_tabs.setObjectName("reportInnerTabs")
        self.wording = WordingForm(ctx, self)
        self.forms.append(self.wording)
        self.inner_tabs.addTab(scrolled(self.wording, self), "标题、开头与调查组")
        self.inner_tabs.addTab(body, "报告正文（八部分）")
        self.inner_tabs.addTab(findings, "责任认定（四个方面）")
        self.inner_tabs.addTab(_padded(self.causes), "直接原因与间接原因")
        self.inner_tabs.addTab(_padded(self.dissents), "不同意见")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.inner_tabs, 1)

    def _members(self) -> list[tuple[int, str]]:
        d = self.ctx.detail
        return [(m.id, m.name) for m in d.members] if d else []

    def _parties(self) -> list[tuple[int, str]]:
        d = self.ctx.detail
        return [(p.id, f"{p.name}（{p.kind}）") for p in d.parties] if d else []

    def set_detail(self, detail: CaseDetail) -> None:
        """Show sections (unless being edited), findings, causes and dissents of ``detail``."""
        for editor, section in zip(self.sections, detail.report_sections, strict=False):
            editor.set_section(section)
        self.wording.set_detail(detail)
        self.findings.set_detail(detail)
        self.causes.set_detail(detail)
        self.dissents.set_detail(detail)
        counts = [sum(1 for f in detail.findings if f.area == a) for a in RESPONSIBILITY_AREAS]
        text = "；".join(
            f"（{cn_number(i + 1)}）{a}：{n}项"
            for i, (a, n) in enumerate(zip(RESPONSIBILITY_AREAS, counts, strict=True))
        )
        self.area_summary.set_basis(text, "第十六条")
        self._mark_sections()

    def _mark_sections(self) -> None:
        for n, editor in enumerate(self.sections):
            item = self.section_list.item(n)
            mark = "＊" if editor.is_dirty() else ""
            item.setText(mark + section_heading(n + 1))
            item.setForeground(Qt.GlobalColor.darkYellow if mark else Qt.GlobalColor.black)

    def _on_section_dirty_changed(self, _dirty: bool) -> None:
        self._mark_sections()

    def _on_save_all_button_clicked(self) -> None:
        self.save()

    def has_unsaved_changes(self) -> bool:
        """Whether any section, or the title/opening/team wording, holds unsaved text."""
        return any(e.is_dirty() for e in self.sections) or self.wording.has_unsaved_changes()

    def unsaved_what(self) -> str:
        """The sections with unsaved text."""
        parts_ = [f"第{cn_number(e.number)}部分" for e in self.sections if e.is_dirty()]
        if self.wording.has_unsaved_changes():
            parts_.insert(0, "报告标题、开头与调查组")
        return "、".join(parts_)

    def save(self, then: Done | None = None) -> None:
        """Save every section with unsaved text, one after the other."""
        dirty: list[Any] = [e for e in self.sections if e.is_dirty()]
        if self.wording.has_unsaved_changes():
            dirty.append(self.wording)

        def step(index: int, ok: bool) -> None:
            if not ok or index == len(dirty):
                if then is not None:
                    then(ok)
                return
            dirty[index].save(lambda good: step(index + 1, good))

        step(0, True)

    def discard_changes(self) -> None:
        """Drop unsaved text in every section and in the wording form."""
        for e in self.sections:
            e.discard_changes()
        self.wording.discard_changes()


def _area_rank(area: str) -> int:
    return RESPONSIBILITY_AREAS.index(area) if area in RESPONSIBILITY_AREAS else 99


def _padded(widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.addWidget(widget)
    return box
