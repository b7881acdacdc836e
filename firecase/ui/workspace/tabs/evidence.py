"""证据与鉴定: evidence items, their chain of custody, attached files, 检验/鉴定 commissions."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from firecase.services import evidence, evidence_numbers
from firecase.services.dto import (
    APPRAISAL_KINDS,
    CUSTODY_ACTIONS,
    EVIDENCE_KINDS,
    AppraisalInput,
    AttachmentInput,
    CustodyInput,
    EvidenceInput,
)
from firecase.ui import messages
from firecase.ui.dialogs.attachments_dialog import AttachmentsDialog, human_size
from firecase.ui.layout_memory import remember
from firecase.ui.workspace.basis import INFO_STYLE, BasisLabel
from firecase.ui.workspace.crud import (
    Column,
    CrudPanel,
    DtoTableModel,
    RecordDialog,
    make_table,
    open_action_dialog,
)
from firecase.ui.workspace.fields import (
    ChoiceField,
    DateField,
    LongTextField,
    RefField,
    TextField,
)
from firecase.ui.workspace.tabs.base import WorkspaceTab, group

if TYPE_CHECKING:
    from firecase.services.dto import AppraisalView, AttachmentView, CaseDetail, EvidenceView

CUSTODY_FIELDS = (
    DateField("on", "日期", required=True),
    ChoiceField("action", "环节", choices=CUSTODY_ACTIONS),
    TextField("from_holder", "交出人（单位）"),
    TextField("to_holder", "接收人（单位）"),
    TextField("note", "说明", max_len=500),
)
PROPOSED_NOTE = "按“设置 → 证据编号”的格式建议本案下一个编号，可修改；本案已用的编号不能再用。"
OPINION_FIELDS = (
    DateField("opinion_on", "出具意见日期", required=True),
    LongTextField("opinion", "意见", required=True),
)


def evidence_values(e: EvidenceView) -> dict[str, Any]:
    """An evidence item as form values."""
    return {
        "code": e.code,
        "name": e.name,
        "kind": e.kind,
        "collected_on": e.collected_on,
        "collected_by": e.collected_by,
        "description": e.description,
        "location": e.location,
    }


def appraisal_values(a: AppraisalView) -> dict[str, Any]:
    """An appraisal as form values."""
    return {
        "kind": a.kind,
        "subject": a.subject,
        "agency": a.agency,
        "commissioned_on": a.commissioned_on,
        "evidence_id": a.evidence_id,
        "opinion_on": a.opinion_on,
        "opinion": a.opinion,
    }


class EvidenceTab(WorkspaceTab):
    """证据与鉴定 tab. Owned by the ``CaseWorkspace``; GUI thread only.

    Files are read and hashed on the worker thread, piece by piece (the service stores the
    content once per SHA-256, apart from the row); "另存为" streams it back to a file there.
    """

    title = "证据与鉴定"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        cf, case_id = ctx.case_file, ctx.case_id
        self.evidence = CrudPanel(
            ctx,
            noun="证据",
            columns=(
                Column("编号", lambda e: e.code),
                Column("名称", lambda e: e.name),
                Column("种类", lambda e: e.kind),
                Column("提取日期", lambda e: e.collected_on),
                Column("提取人", lambda e: e.collected_by),
                Column("存放地点", lambda e: e.location),
                Column("保管环节", lambda e: len(e.custody)),
                Column("附件", lambda e: len(e.attachments)),
                Column("说明", lambda e: e.description),
            ),
            fields=(
                TextField("code", "证据编号", required=True, max_len=32),
                TextField("name", "名称", required=True),
                ChoiceField("kind", "种类", choices=EVIDENCE_KINDS),
                DateField("collected_on", "提取日期", required=True),
                TextField("collected_by", "提取人", required=True),
                TextField("location", "存放地点"),
                LongTextField("description", "说明"),
            ),
            rows=lambda d: d.evidence,
            to_values=evidence_values,
            add=lambda vals: evidence.add_evidence(
                cf, case_id, EvidenceInput(**vals), actor=ctx.actor
            ),
            update=lambda e, vals, ver: evidence.update_evidence(
                cf, e.id, EvidenceInput(**vals), expected_version=ver, actor=ctx.actor
            ),
            remove=lambda e, ver: evidence.remove_evidence(
                cf, e.id, expected_version=ver, actor=ctx.actor
            ),
            describe=lambda e: f"{e.code} {e.name}",
            prepare_add=self._prepare_evidence,
            parent=self,
        )
        self.evidence.selection_changed.connect(self._on_evidence_panel_selection_changed)

        self.custody_model = DtoTableModel(
            (
                Column("日期", lambda c: c.on),
                Column("环节", lambda c: c.action),
                Column("交出", lambda c: c.from_holder),
                Column("接收", lambda c: c.to_holder),
                Column("说明", lambda c: c.note),
            ),
            parent=self,
        )
        self.custody_view = make_table(self.custody_model, self)
        self.custody_view.setObjectName("custodyTable")
        self.custody_button = QPushButton("添加保管记录…", self)
        self.custody_button.setObjectName("addCustodyButton")
        self.custody_button.clicked.connect(self._on_custody_button_clicked)

        self.attachment_model = DtoTableModel(
            (
                Column("文件名", lambda a: a.filename),
                Column("所属证据", self._evidence_code),
                Column("大小", lambda a: human_size(a.size)),
                # the first 16 hex digits tell files apart at a glance; the whole in the tip
                Column("SHA-256", lambda a: f"{a.sha256[:16]}…", tooltip=lambda a: a.sha256),
                Column("添加日期", lambda a: a.added_on),
                Column("添加人", lambda a: a.added_by),
            ),
            parent=self,
        )
        self.attachment_view = make_table(self.attachment_model, self)
        self.attachment_view.setObjectName("attachmentTable")
        self.attach_button = QPushButton("附加文件…", self)
        self.attach_button.setObjectName("attachButton")
        self.export_button = QPushButton("另存为…", self)
        self.export_button.setToolTip("附件另存为：所有附件以缩略图列出，可一次保存多个")
        self.export_button.setObjectName("exportAttachmentButton")
        self.remove_attachment_button = QPushButton("删除附件", self)
        self.remove_attachment_button.setObjectName("removeAttachmentButton")
        self.attach_button.clicked.connect(self._on_attach_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.remove_attachment_button.clicked.connect(self._on_remove_attachment_button_clicked)
        self.attachment_view.selectionModel().selectionChanged.connect(
            self._on_attachment_view_selection_changed
        )

        self.pause_note = BasisLabel(style=INFO_STYLE, parent=self)
        self.pause_note.setObjectName("pauseNote")
        self.appraisals = CrudPanel(
            ctx,
            noun="检验鉴定",
            columns=(
                Column("类别", lambda a: a.kind),
                Column("事项", lambda a: a.subject),
                Column("机构", lambda a: a.agency),
                Column("委托日期", lambda a: a.commissioned_on),
                Column("出具意见日期", lambda a: a.opinion_on or "进行中（期限暂停）"),
                Column("意见", lambda a: a.opinion),
            ),
            fields=(
                ChoiceField("kind", "类别", choices=APPRAISAL_KINDS),
                TextField("subject", "检验/鉴定事项", required=True),
                TextField("agency", "检验/鉴定机构", required=True),
                DateField("commissioned_on", "委托日期", required=True),
                RefField("evidence_id", "送检证据", options=self._evidence_options),
                DateField("opinion_on", "出具意见日期", optional=True, check_text="已出具"),
                LongTextField("opinion", "意见"),
            ),
            rows=lambda d: d.appraisals,
            to_values=appraisal_values,
            add=lambda vals: evidence.commission_appraisal(
                cf, case_id, AppraisalInput(**vals), actor=ctx.actor
            ),
            update=lambda a, vals, ver: evidence.update_appraisal(
                cf, a.id, AppraisalInput(**vals), expected_version=ver, actor=ctx.actor
            ),
            remove=lambda a, ver: evidence.remove_appraisal(
                cf, a.id, expected_version=ver, actor=ctx.actor
            ),
            describe=lambda a: a.subject,
            alert=lambda a: a.opinion_on is None,
            parent=self,
        )
        self.appraisals.add_action("出具意见…", "closeAppraisalButton", self._close_appraisal)
        self.file_dialog: QFileDialog | None = None
        self.attachments_dialog: AttachmentsDialog | None = None

        custody = QWidget(self)
        cl = QVBoxLayout(custody)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.custody_view)
        cl.addWidget(self.custody_button, 0, Qt.AlignmentFlag.AlignRight)
        files = QWidget(self)
        fl = QVBoxLayout(files)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(self.attachment_view)
        row = QHBoxLayout()
        row.addStretch(1)
        for b in (self.attach_button, self.export_button, self.remove_attachment_button):
            row.addWidget(b)
        fl.addLayout(row)
        appraisals = QWidget(self)
        al = QVBoxLayout(appraisals)
        al.setContentsMargins(0, 0, 0, 0)
        al.addWidget(self.pause_note)
        al.addWidget(self.appraisals, 1)

        split = QSplitter(Qt.Orientation.Vertical, self)
        top = QSplitter(Qt.Orientation.Horizontal, split)
        top.addWidget(group("证据", self.evidence, parent=top))
        side = QSplitter(Qt.Orientation.Vertical, top)
        side.addWidget(group("所选证据的保管链", custody, parent=side))
        side.addWidget(group("附件（保存文件内容和 SHA-256 校验值）", files, parent=side))
        top.addWidget(side)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        # the list two thirds of the width from the start (by their size hints the side panel
        # took half, and the members' or evidence table scrolled sideways); a width the
        # officer set is restored over this (``remember``)
        top.setSizes([2000, 1000])
        split.addWidget(top)
        split.addWidget(group("检验、鉴定（第十七条第二款）", appraisals, parent=split))
        layout = QVBoxLayout(self)
        remember(split, "evidence.split")
        remember(top, "evidence.top")
        remember(side, "evidence.side")
        layout.addWidget(split)
        self._update_buttons()

    def _prepare_evidence(self, dialog: RecordDialog) -> None:
        """Propose the next free number of the kind chosen (设置 → 证据编号), as long as the
        officer has not typed one; a change of kind proposes that kind's number."""
        form = dialog.form
        code, kind = form.editor("code"), form.editor("kind")
        assert isinstance(code, QLineEdit) and isinstance(kind, QComboBox)
        state: dict[str, Any] = {"codes": {}, "proposed": ""}

        def propose(*_args: Any) -> None:
            if code.text().strip() not in ("", state["proposed"]):
                return  # the officer's own number stays
            wanted = state["codes"].get(kind.currentText(), "")
            code.setText(wanted)
            state["proposed"] = wanted
            form.show_note("code", PROPOSED_NOTE if wanted else "")

        def loaded(codes: dict[str, str]) -> None:
            if self.evidence.dialog is not dialog:
                return  # closed meanwhile
            state["codes"] = codes
            propose()

        kind.currentTextChanged.connect(propose)
        cf, case_id = self.ctx.case_file, self.ctx.case_id
        self.ctx.run(
            lambda: evidence_numbers.proposed_codes(cf, case_id),
            on_success=loaded,
            label="正在编排证据编号…",
        )

    def _evidence_options(self) -> list[tuple[int, str]]:
        d = self.ctx.detail
        return [(e.id, f"{e.code} {e.name}") for e in d.evidence] if d else []

    def _evidence_code(self, a: AttachmentView) -> str:
        d = self.ctx.detail
        if d is None or a.evidence_id is None:
            return "（案件附件）"
        return next((e.code for e in d.evidence if e.id == a.evidence_id), "?")

    def set_detail(self, detail: CaseDetail) -> None:
        """Show evidence, custody, attachments and appraisals of ``detail``."""
        self.evidence.set_detail(detail)
        self.attachment_model.set_rows(detail.attachments)
        self.appraisals.set_detail(detail)
        self._show_custody()
        open_ones = [a for a in detail.appraisals if a.opinion_on is None]
        if open_ones:
            text = (
                f"{len(open_ones)}项检验、鉴定尚未出具意见，调查期限暂停计算。"
                "检验、鉴定时间不计入调查期限；时间重叠的只计算一次。"
            )
        else:
            text = "检验、鉴定时间（委托日至出具意见日）不计入调查期限；时间重叠的只计算一次。"
        self.pause_note.set_basis(text, "第十七条第二款")
        self._update_buttons()

    def _show_custody(self) -> None:
        e = self.evidence.selected()
        self.custody_model.set_rows(e.custody if e is not None else ())

    def _on_evidence_panel_selection_changed(self, _dto: object) -> None:
        self._show_custody()
        self._update_buttons()

    def _on_attachment_view_selection_changed(self, *_args: object) -> None:
        self._update_buttons()

    def selected_attachment(self) -> AttachmentView | None:
        """The attachment selected in the list."""
        rows = self.attachment_view.selectionModel().selectedRows()
        return self.attachment_model.row_of(rows[0]) if rows else None

    def _update_buttons(self) -> None:
        self.custody_button.setEnabled(self.evidence.selected() is not None)
        has = self.selected_attachment() is not None
        self.export_button.setEnabled(has)
        self.remove_attachment_button.setEnabled(has)

    # -- custody ---------------------------------------------------------------------------

    def _on_custody_button_clicked(self) -> None:
        e = self.evidence.selected()
        if e is None:
            return
        cf, ctx = self.ctx.case_file, self.ctx
        d = ctx.detail
        self.custody_dialog = open_action_dialog(
            self,
            ctx,
            f"保管记录：{e.code} {e.name}",
            CUSTODY_FIELDS,
            lambda vals: evidence.add_custody_event(
                cf, e.id, CustodyInput(**vals), actor=ctx.actor
            ),
            values={"on": d.today if d else e.collected_on},
        )

    # -- attachments -----------------------------------------------------------------------

    def _on_attach_button_clicked(self) -> None:
        dialog = QFileDialog(self, "选择要附加的文件")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.attach_file)
        self.file_dialog = dialog
        dialog.open()

    def attach_file(self, path: str) -> None:
        """Store the file at ``path`` (read and hashed on the worker thread)."""
        if not path:
            return
        e = self.evidence.selected()
        cf, case_id, ctx = self.ctx.case_file, self.ctx.case_id, self.ctx
        today = ctx.detail.today if ctx.detail else None
        evidence_id = e.id if e is not None else None

        def work() -> Any:
            file = Path(path)
            media = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            data = AttachmentInput(
                filename=file.name,
                content=None,
                source=file,  # read piece by piece, never whole
                added_on=today,  # type: ignore[arg-type]
                media_type=media,
                evidence_id=evidence_id,
            )
            return evidence.add_attachment(cf, case_id, data, actor=ctx.actor)

        def done(_r: object) -> None:
            ctx.changed()
            ctx.reload()

        ctx.run(work, on_success=done, label="正在保存附件…")

    def _on_export_button_clicked(self) -> None:
        d = self.ctx.detail
        if d is None:
            return
        a = self.selected_attachment()
        self.attachments_dialog = AttachmentsDialog(
            self.ctx.case_file,
            d.attachments,
            self._evidence_code,
            self.ctx.run,
            selected=a.id if a is not None else None,
            parent=self,
        )
        self.attachments_dialog.open()

    def _on_remove_attachment_button_clicked(self) -> None:
        a = self.selected_attachment()
        if a is None:
            return
        if not messages.confirm(
            self, "删除附件", f"确定删除附件“{a.filename}”？删除会记入审计记录。", ok_text="删除"
        ):
            return
        cf, ctx = self.ctx.case_file, self.ctx

        def done(_r: object) -> None:
            ctx.changed()
            ctx.reload()

        ctx.run(
            lambda: evidence.remove_attachment(cf, a.id, actor=ctx.actor),
            on_success=done,
            label="正在删除附件…",
        )

    # -- appraisals ------------------------------------------------------------------------

    def _close_appraisal(self, a: AppraisalView | None) -> None:
        if a is None:
            return
        cf, ctx = self.ctx.case_file, self.ctx
        version = a.version
        d = ctx.detail
        self.opinion_dialog = open_action_dialog(
            self,
            ctx,
            f"出具意见：{a.subject}",
            OPINION_FIELDS,
            lambda vals: evidence.close_appraisal(
                cf,
                a.id,
                vals["opinion_on"],
                vals["opinion"],
                expected_version=version,
                actor=ctx.actor,
            ),
            values={"opinion_on": a.opinion_on or (d.today if d else a.commissioned_on)},
        )
