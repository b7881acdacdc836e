"""公开: what the public version withholds, its 公开前审查, and each publication (第二十一条).

The tree lists every part of the public version (the eight items of 第十八条 and 事故处理情况)
with the records it shows, the case fields, the names to mask and the evaluation items. Ticking
a part shows the records withheld with it and asks the reason before anything is recorded.
The preview is the public version as it will print (``services.reporting.public_version``), the
review dialog lists every item withheld or masked, and a release is recorded only for a version
the review approved, with the hash of the file published.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from firecase.services import findings, publication, recommendations
from firecase.services.disclosure import PART_HEADINGS, records_of_part
from firecase.services.dto import PublicationInput
from firecase.ui.keyboard import FirstFieldFocus, mark_first_field
from firecase.ui.layout_memory import remember
from firecase.ui.workspace.basis import INFO_STYLE, WARN_STYLE, BasisLabel
from firecase.ui.workspace.crud import Column, DtoTableModel, make_table
from firecase.ui.workspace.fields import DateField, LongTextField, TextField
from firecase.ui.workspace.tabs.base import SavedForm, WorkspaceTab, group

if TYPE_CHECKING:
    from firecase.reports.data import EvaluationReportData, PublicReportData
    from firecase.services.disclosure import PublicVersion
    from firecase.services.dto import CaseDetail

PUBLICATION_FIELDS = (
    DateField("published_on", "首次公布日期", optional=True, check_text="已公布"),
    TextField("channel", "公布渠道", placeholder="如：市人民政府门户网站"),
    TextField("published_by", "公布机关", placeholder="人民政府或其授权的消防救援机构"),
    LongTextField("note", "备注"),
)

PREVIEWS = (("investigation", "调查处理情况（公开版）"), ("evaluation", "评估报告（公开版）"))

_CHECKED, _UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked


def candidate_fields(d: CaseDetail) -> list[tuple[str, str, str]]:
    """(group, key, label) of everything that may be withheld, grouped as the public version
    shows it: the case fields, the names to mask, each part (its key first, then its records),
    the evaluation items. The keys are those ``services.disclosure`` honours."""
    out: list[tuple[str, str, str]] = [
        ("基本情况（案件信息）", key, label) for key, label in publication.CASE_FIELD_KEYS.items()
    ]
    out += [
        ("不公开的姓名（名称）", f"party:{p.id}.name", f"{p.name}（{p.kind}）") for p in d.parties
    ]
    out += [
        ("不公开的姓名（名称）", r.field_key, r.field_key.removeprefix("name:"))
        for r in d.publication.redactions
        if r.field_key.startswith("name:")
    ]
    for n, heading in PART_HEADINGS.items():
        group_name = f"{n}. {heading}"
        out.append((group_name, f"section:{n}", f"整个部分：{heading}"))
        out += [(group_name, key, label) for key, label in records_of_part(d, n)]
    out += [
        ("评估报告", f"evaluation_item:{i.id}", f"评估事项：{i.subject}")
        for i in d.evaluation_items
    ]
    return out


def hidden_keys(d: CaseDetail) -> dict[str, str]:
    """Keys withheld by a decision of their own → the reason recorded."""
    keys = {r.field_key: r.reason for r in d.publication.redactions}
    for s in d.report_sections:
        if s.confidential:
            keys.setdefault(f"section:{s.number}", "报告该部分标记为涉密")
    for r in d.recommendations:
        if r.confidential:
            keys.setdefault(f"recommendation:{r.id}", "该建议标记为涉密")
    return keys


def public_preview_html(data: PublicReportData | EvaluationReportData) -> str:
    """The public version as the reader will see it (what the printed file says)."""
    from firecase.reports.data import PublicReportData
    from firecase.reports.public import numeral

    e = html.escape
    out: list[str] = []
    if data.draft_mark:
        out.append(f"<p style='color:#b3261e'><b>{e(data.draft_mark)}</b></p>")
    out.append(f"<h3>{e(data.title)}</h3>")
    if isinstance(data, PublicReportData):
        out += [f"<p>{e(line)}</p>" for line in data.opening]
        n = 0
        for part in data.parts:
            if not part.paragraphs and not part.items:
                continue
            n += 1
            out.append(f"<h4>{numeral(n)}、{e(part.heading)}</h4>")
            out += [f"<p>{e(p)}</p>" for p in part.paragraphs]
            out += [f"<p><b>{e(i.label)}：</b>{e(i.text)}</p>" for i in part.items]
        if data.published_on is not None:
            out.append(
                f"<p style='color:#555555'>{e(data.organisation)}　"
                f"{data.published_on.isoformat()}公布</p>"
            )
        return "\n".join(out)
    from firecase.reports.evaluation import SECTION_HEADINGS

    s = data.sections
    texts = (
        s.organisation_and_conduct,
        s.persons_accountability,
        s.units_accountability,
        s.rectification,
        s.opinion_and_recommendations,
    )
    for heading, text in zip(SECTION_HEADINGS, texts, strict=True):
        out.append(f"<h4>{e(heading)}</h4>")
        out += [f"<p>{e(line)}</p>" for line in text.splitlines() if line.strip()]
    for i in data.items:
        action = f"{e(i.required_action)}（{e(i.result.value)}）"
        out.append(f"<p>{e(i.kind.value)}：<b>{e(i.subject)}</b>　{action}</p>")
    return "\n".join(out)


class WithholdPrompt(FirstFieldFocus, QDialog):
    """Asks why a part or record is withheld, listing what is withheld with it first."""

    def __init__(self, label: str, records: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("withholdPrompt")
        self.setWindowTitle("不公开")
        layout = QVBoxLayout(self)
        head = QLabel(f"“{label}”将不在公开版本中出现。", self)
        head.setWordWrap(True)
        layout.addWidget(head)
        self.records = QListWidget(self)
        self.records.setObjectName("withheldWith")
        if records:
            layout.addWidget(QLabel(f"以下{len(records)}项内容随之一并不公开：", self))
            self.records.addItems(records)
            layout.addWidget(self.records)
        layout.addWidget(QLabel("不公开的理由（如：涉及个人隐私、正在刑事侦查）：", self))
        self.reason = QLineEdit(self)
        self.reason.setObjectName("withholdReason")
        layout.addWidget(self.reason)
        self.message = QLabel("", self)
        self.message.setStyleSheet("color: #b3261e;")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        buttons.addButton("确定不公开", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        mark_first_field(self.reason)

    def _on_accept(self) -> None:
        if not self.reason.text().strip():
            self.message.setText("请填写不公开的理由。")
            return
        self.accept()


class PublicationTab(WorkspaceTab):
    """公开 tab: release record, what is withheld, preview, 公开前审查 and releases.

    Owned by the ``CaseWorkspace``; GUI thread only. The public versions are read on the worker
    after each reload; the review dialog and the release dialog work on the version shown.
    """

    title = "公开"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        cf, case_id = ctx.case_file, ctx.case_id
        intro = BasisLabel(
            "除依法应当保密外，火灾事故处理情况由人民政府或其授权的消防救援机构及时向社会公布。"
            "勾选的内容不出现在公开版本中；姓名、身份证号码、电话等个人信息自动遮盖，"
            "发布前须经公开前审查。",
            "第二十一条；《中华人民共和国政府信息公开条例》第十五条",
            style=INFO_STYLE,
            parent=self,
        )
        self.release = SavedForm(
            ctx,
            noun="公开记录",
            fields=PUBLICATION_FIELDS,
            values_of=lambda d: {
                "published_on": d.publication.published_on,
                "channel": d.publication.channel,
                "published_by": d.publication.published_by,
                "note": d.publication.note,
            },
            version_of=lambda d: d.publication.version or None,
            save=lambda vals, ver: publication.save_publication(
                cf, case_id, PublicationInput(**vals), expected_version=ver, actor=ctx.actor
            ),
            save_text="保存公开记录",
            parent=self,
        )
        self.forms.append(self.release)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("redactionTree")
        self.tree.setHeaderLabels(["内容（勾选 = 不公开）", "不公开理由"])
        self.tree.setColumnWidth(0, 300)
        self.tree.itemChanged.connect(self._on_tree_item_changed)
        self.add_name_button = QPushButton("添加要遮盖的姓名…", self)
        self.add_name_button.setObjectName("addNameButton")
        self.add_name_button.clicked.connect(self._on_add_name_clicked)

        self.which = QComboBox(self)
        self.which.setObjectName("previewChoice")
        for key, label in PREVIEWS:
            self.which.addItem(label, key)
        self.which.currentIndexChanged.connect(self._on_which_changed)
        self.status = BasisLabel(style=WARN_STYLE, parent=self)
        self.status.setObjectName("publicStatus")
        self.review_button = QPushButton("公开前审查…", self)
        self.review_button.setObjectName("reviewButton")
        self.review_button.clicked.connect(self.open_review)
        self.release_button = QPushButton("记录发布…", self)
        self.release_button.setObjectName("releaseButton")
        self.release_button.clicked.connect(self.open_release)
        self.preview = QTextBrowser(self)
        self.preview.setObjectName("publicPreview")
        self.releases_model = DtoTableModel(
            (
                Column("版本", lambda r: dict(PREVIEWS).get(r.report, r.report)),
                Column("发布日期", lambda r: r.published_on),
                Column("渠道", lambda r: r.channel),
                Column("审批机关", lambda r: r.approved_by),
                Column("文件", lambda r: r.file_name),
                Column("SHA-256", lambda r: r.sha256[:16] + "…"),
                Column("记录人", lambda r: r.recorded_by),
            ),
            parent=self,
        )
        self.releases_view = make_table(self.releases_model, self)
        self.releases_view.setObjectName("releasesTable")
        self._filling = False
        self.reason_prompt: Any = None
        self.review_dialog: Any = None
        self.release_dialog: Any = None
        self.versions: dict[str, PublicVersion] = {}
        self.public_data: PublicReportData | None = None

        # the tree needs the height: the release record is the second page of the left side
        left = QTabWidget(self)
        left.setObjectName("publicationPages")
        tree_box = QWidget(left)
        tl = QVBoxLayout(tree_box)
        tl.addWidget(self.tree, 1)
        tl.addWidget(self.add_name_button)
        left.addTab(tree_box, "不公开的内容")
        left.addTab(self.release, "公开记录")
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.which, 1)
        bar.addWidget(self.review_button)
        bar.addWidget(self.release_button)
        rl.addLayout(bar)
        rl.addWidget(self.status)
        rl.addWidget(self.preview, 3)
        rl.addWidget(group("发布记录", self.releases_view, parent=right), 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(group("公开版本预览", right, parent=split))
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        remember(split, "publication.split")
        layout.addWidget(split, 1)

    # ---------------------------------------------------------------- showing

    def set_detail(self, detail: CaseDetail) -> None:
        """Show the release record, what is withheld, the preview and the releases."""
        self.release.set_detail(detail)
        self.releases_model.set_rows(detail.publication.releases)
        hidden = hidden_keys(detail)
        masked_by_default = {f"party:{p.id}.name" for p in detail.parties if p.kind == "个人"}
        with_part = {  # records withheld because the part showing them is
            key
            for n in PART_HEADINGS
            if f"section:{n}" in hidden
            for key, _label in records_of_part(detail, n)
        }
        self._filling = True
        try:
            self.tree.clear()
            groups: dict[str, QTreeWidgetItem] = {}
            for group_name, key, label in candidate_fields(detail):
                parent = groups.get(group_name)
                if parent is None:
                    parent = QTreeWidgetItem(self.tree, [group_name])
                    parent.setExpanded(not group_name[0].isdigit() or key in hidden)
                    groups[group_name] = parent
                part_hidden = key in with_part
                reason = hidden.get(key, "随所在部分不公开" if part_hidden else "")
                if not reason and key in masked_by_default:
                    reason = "（未勾选也按个人信息默认遮盖）"
                item = QTreeWidgetItem(parent, [label, reason])
                item.setData(0, Qt.ItemDataRole.UserRole, key)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, _CHECKED if key in hidden or part_hidden else _UNCHECKED)
                if part_hidden and key not in hidden:
                    item.setDisabled(True)
                if key.startswith("section:") and key in hidden:
                    parent.setExpanded(True)
        finally:
            self._filling = False
        self.load_versions()

    def load_versions(self) -> None:
        """Read both public versions on the worker, then show the chosen one."""
        from firecase.services.reporting import public_version

        cf, d = self.ctx.case_file, self.ctx.detail
        if d is None:
            return
        case_no = d.case.case_no

        def read() -> dict[str, PublicVersion]:
            out = {"investigation": public_version(cf, case_no, "investigation")}
            if d.evaluation is not None:
                out["evaluation"] = public_version(cf, case_no, "evaluation")
            return out

        self.ctx.run(read, on_success=self._on_versions_loaded, label="正在生成公开版本…")

    def _on_versions_loaded(self, versions: dict[str, PublicVersion]) -> None:
        from firecase.reports.data import PublicReportData

        self.versions = versions
        data = versions["investigation"].data
        self.public_data = data if isinstance(data, PublicReportData) else None
        self.show_version()

    def current(self) -> PublicVersion | None:
        """The public version chosen in the preview."""
        return self.versions.get(str(self.which.currentData()))

    def show_version(self) -> None:
        """Show the chosen version, its state and what may be done with it."""
        v = self.current()
        if v is None:
            self.preview.setHtml(
                "<p style='color:#8a8a8a'>尚未建立整改评估，无评估报告公开版。</p>"
            )
            self.status.set_basis("", "")
            self.review_button.setEnabled(False)
            self.release_button.setEnabled(False)
            return
        counts = v.counts()
        summary = (
            f"不公开{counts['withheld']}项，遮盖个人信息{counts['masked']}项，"
            f"保留公开{counts['kept']}项。"
        )
        if v.draft_mark:
            self.status.set_basis(f"{v.draft_mark}　{summary}", "第二十一条")
        else:
            who = f"{v.review.reviewed_by}于{v.review.reviewed_on.isoformat()}" if v.review else ""
            self.status.set_basis(f"已经公开前审查（{who}），可以发布。{summary}", "第二十一条")
        self.preview.setHtml(public_preview_html(v.data))
        self.review_button.setEnabled(True)
        self.release_button.setEnabled(v.releasable)

    def _on_which_changed(self, _index: int) -> None:
        self.show_version()

    # ---------------------------------------------------------------- withholding

    def item_for(self, key: str) -> QTreeWidgetItem | None:
        """The tree item of field ``key``."""
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                child = top.child(j)
                if child.data(0, Qt.ItemDataRole.UserRole) == key:
                    return child
        return None

    def _on_tree_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != 0:
            return
        key = item.data(0, Qt.ItemDataRole.UserRole)
        if not key:
            return
        if item.checkState(0) != _CHECKED:
            self.set_confidential(key, False, "")
            return
        d = self.ctx.detail
        records: list[str] = []
        if key.startswith("section:") and d is not None:
            records = [label for _k, label in records_of_part(d, int(key.split(":")[1]))]
        prompt = WithholdPrompt(item.text(0), records, self)

        def finished(code: int) -> None:
            self.reason_prompt = None
            reason = prompt.reason.text().strip()
            if code and reason:
                self.set_confidential(key, True, reason)
            elif self.ctx.detail is not None:
                self.set_detail(self.ctx.detail)  # untick again: nothing recorded
            prompt.deleteLater()

        prompt.finished.connect(finished)
        self.reason_prompt = prompt
        prompt.open()

    def _on_add_name_clicked(self) -> None:
        prompt = QInputDialog(self)
        prompt.setObjectName("namePrompt")
        prompt.setWindowTitle("添加要遮盖的姓名")
        prompt.setLabelText("姓名（在公开版本的所有文字中遮盖为“某某”）：")
        prompt.setOkButtonText("确定")
        prompt.setCancelButtonText("取消")

        def finished(code: int) -> None:
            self.reason_prompt = None
            name = prompt.textValue().strip()
            if code and name:
                self.set_confidential(f"name:{name}", True, "姓名依法不予公开")
            prompt.deleteLater()

        prompt.finished.connect(finished)
        self.reason_prompt = prompt
        prompt.open()

    def set_confidential(self, key: str, secret: bool, reason: str) -> None:
        """Record (or clear) that ``key`` is withheld."""
        cf, case_id, ctx = self.ctx.case_file, self.ctx.case_id, self.ctx
        d = ctx.detail
        if key.startswith("section:") and d is not None and int(key.split(":")[1]) <= 8:
            number = int(key.split(":")[1])
            section = d.report_sections[number - 1]
            if section.id is not None and section.confidential and not secret:

                def call() -> Any:
                    findings.save_report_section(
                        cf,
                        case_id,
                        number,
                        section.body,
                        confidential=False,
                        expected_version=section.version,
                        actor=ctx.actor,
                    )
                    return publication.set_redaction(cf, case_id, key, False, actor=ctx.actor)

                self._run(call)
                return
        if key.startswith("recommendation:") and d is not None and not secret:
            rid = int(key.split(":")[1])
            rec = next((r for r in d.recommendations if r.id == rid), None)
            if rec is not None and rec.confidential:
                from firecase.services.dto import RecommendationInput
                from firecase.ui.workspace.tabs.recommendations import rec_values

                data = RecommendationInput(**{**rec_values(rec), "confidential": False})

                def call2() -> Any:
                    recommendations.update_recommendation(
                        cf, rid, data, expected_version=rec.version, actor=ctx.actor
                    )
                    return publication.set_redaction(cf, case_id, key, False, actor=ctx.actor)

                self._run(call2)
                return
        self._run(
            lambda: publication.set_redaction(cf, case_id, key, secret, reason, actor=ctx.actor)
        )

    def _run(self, call: Any, label: str = "正在保存不公开标记…") -> None:
        ctx = self.ctx

        def done(_r: object) -> None:
            ctx.changed()
            ctx.reload()

        def failed(exc: BaseException) -> None:
            from firecase.ui import messages

            messages.show_error(self, exc)
            ctx.reload()

        ctx.run(call, on_success=done, on_failure=failed, label=label)

    # ---------------------------------------------------------------- review and release

    def open_review(self) -> None:
        """The 公开前审查 of the version shown."""
        from firecase.ui.dialogs.public_review import ReviewDialog

        v = self.current()
        if v is None:
            return
        self.review_dialog = ReviewDialog(self.ctx, v, self)
        self.review_dialog.finished.connect(self._on_review_finished)
        self.review_dialog.open()

    def _on_review_finished(self, _code: int) -> None:
        self.review_dialog = None

    def open_release(self) -> None:
        """Record a publication of the version shown (built and hashed by the dialog)."""
        from firecase.ui.dialogs.public_review import ReleaseDialog

        v = self.current()
        if v is None:
            return
        self.release_dialog = ReleaseDialog(self.ctx, v, self)
        self.release_dialog.finished.connect(self._on_release_finished)
        self.release_dialog.open()

    def _on_release_finished(self, _code: int) -> None:
        self.release_dialog = None
