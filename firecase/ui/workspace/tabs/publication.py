"""公开: the public release (第二十一条) and which fields never appear in the public version."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QInputDialog,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from firecase.services import parts
from firecase.services.dto import PublicationInput
from firecase.services.reporting import public_report_data
from firecase.ui.workspace.basis import INFO_STYLE, BasisLabel
from firecase.ui.workspace.fields import DateField, LongTextField, TextField
from firecase.ui.workspace.tabs.base import SavedForm, WorkspaceTab, group
from firecase.ui.workspace.tabs.report import section_heading

if TYPE_CHECKING:
    from firecase.reports.data import PublicReportData
    from firecase.services.dto import CaseDetail

PUBLICATION_FIELDS = (
    DateField("published_on", "公布日期", optional=True, check_text="已公布"),
    TextField("channel", "公布渠道", placeholder="如：市人民政府门户网站"),
    TextField("published_by", "公布机关", placeholder="人民政府或其授权的消防救援机构"),
    LongTextField("note", "备注"),
)

CASE_FIELDS = (
    ("case.fire_date", "起火时间"),
    ("case.address", "起火地点（详细地址）"),
    ("case.unit_name", "起火单位（场所）"),
    ("case.grade", "火灾等级"),
    ("case.casualties", "人员伤亡"),
    ("case.economic_loss_yuan", "直接经济损失"),
    ("case.reply", "政府批复"),
)


def candidate_fields(d: CaseDetail) -> list[tuple[str, str, str]]:
    """(group, key, label) of every field that may be kept out of the public version.

    The keys are those ``services.reporting.public_report_data`` honours.
    """
    out: list[tuple[str, str, str]] = [("案件", key, label) for key, label in CASE_FIELDS]
    out += [
        ("当事人姓名（名称）", f"party:{p.id}.name", f"{p.name}（{p.kind}）") for p in d.parties
    ]
    out += [
        ("调查报告", f"section:{s.number}", section_heading(s.number)) for s in d.report_sections
    ]
    out += [("起火原因", f"cause:{c.id}", f"{c.kind}：{c.text[:24]}") for c in d.causes]
    out += [("责任认定", f"finding:{f.id}", f"{f.subject}（{f.area}）") for f in d.findings]
    out += [
        ("处理建议", f"recommendation:{r.id}", f"{r.target_name}：{r.kind}")
        for r in d.recommendations
    ]
    out += [("处理情况", f"task:{t.id}", t.department) for t in d.handling_tasks]
    out += [("整改措施", f"measure:{m.id}", f"{m.responsible}：{m.text[:24]}") for m in d.measures]
    return out


def hidden_keys(d: CaseDetail) -> dict[str, str]:
    """Field keys kept out of the public version → the reason recorded."""
    keys = {r.field_key: r.reason for r in d.publication.redactions}
    for s in d.report_sections:
        if s.confidential:
            keys.setdefault(f"section:{s.number}", "报告该部分标记为涉密")
    for r in d.recommendations:
        if r.confidential:
            keys.setdefault(f"recommendation:{r.id}", "该建议标记为涉密")
    return keys


def public_preview_html(data: PublicReportData) -> str:
    """The public version built by the reporting service, as the reader will see it."""
    e = html.escape
    out = [f"<h3>{e(data.title)}</h3>"]
    if data.published_on is not None:
        out.append(
            f"<p style='color:#555555'>{e(data.organisation)}　"
            f"{data.published_on.isoformat()}公布</p>"
        )
    group = None
    hidden = 0
    for f in data.fields:
        if f.confidential:
            hidden += 1
            continue
        if f.group:
            if f.group != group:
                out.append(f"<h4>{e(f.group)}</h4>")
                group = f.group
            out.append(f"<p><b>{e(f.label)}：</b>{e(f.text)}</p>")
        else:
            group = None
            out.append(f"<h4>{e(f.label)}</h4>")
            out.extend(f"<p>{e(line)}</p>" for line in f.text.splitlines() if line.strip())
    if hidden:
        out.append(
            f"<p style='color:#8a8a8a'>（{hidden}项内容依法不予公开，已从公开版本中略去。）</p>"
        )
    return "\n".join(out)


class PublicationTab(WorkspaceTab):
    """公开 tab: release record (explicit save), confidential flags, public-version preview.

    The preview is ``services.reporting.public_report_data`` (what the printed public version
    contains), read on the worker thread after each reload.

    Owned by the ``CaseWorkspace``; GUI thread only. Ticking a field asks for the reason and
    records it with ``set_redaction``; the preview leaves every ticked field out.
    """

    title = "公开"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        cf, case_id = ctx.case_file, ctx.case_id
        intro = BasisLabel(
            "除依法应当保密外，火灾事故处理情况由人民政府或其授权的消防救援机构及时向社会公布。"
            "勾选的内容不会出现在公开版本中。",
            "第二十一条",
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
            save=lambda vals, ver: parts.save_publication(
                cf, case_id, PublicationInput(**vals), expected_version=ver, actor=ctx.actor
            ),
            save_text="保存公开记录",
            parent=self,
        )
        self.forms.append(self.release)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("redactionTree")
        self.tree.setHeaderLabels(["内容（勾选 = 不公开）", "不公开理由"])
        self.tree.setColumnWidth(0, 360)
        self.tree.itemChanged.connect(self._on_tree_item_changed)
        self.preview = QTextBrowser(self)
        self.preview.setObjectName("publicPreview")
        self._filling = False
        self.reason_prompt: Any = None
        self.public_data: PublicReportData | None = None

        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(group("公开记录", self.release, parent=left))
        ll.addWidget(group("涉密内容（不公开）", self.tree, parent=left), 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(group("公开版本预览", self.preview, parent=split))
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(split, 1)

    def set_detail(self, detail: CaseDetail) -> None:
        """Show the release record, the flags and the preview of ``detail``."""
        self.release.set_detail(detail)
        hidden = hidden_keys(detail)
        self._filling = True
        try:
            self.tree.clear()
            groups: dict[str, QTreeWidgetItem] = {}
            for group_name, key, label in candidate_fields(detail):
                parent = groups.get(group_name)
                if parent is None:
                    parent = QTreeWidgetItem(self.tree, [group_name])
                    parent.setExpanded(True)
                    groups[group_name] = parent
                item = QTreeWidgetItem(parent, [label, hidden.get(key, "")])
                item.setData(0, Qt.ItemDataRole.UserRole, key)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    0, Qt.CheckState.Checked if key in hidden else Qt.CheckState.Unchecked
                )
        finally:
            self._filling = False
        cf, case_no = self.ctx.case_file, detail.case.case_no
        self.ctx.run(
            lambda: public_report_data(cf, case_no),
            on_success=self._on_public_data_loaded,
            label="正在生成公开版本…",
        )

    def _on_public_data_loaded(self, data: PublicReportData) -> None:
        self.public_data = data
        self.preview.setHtml(public_preview_html(data))

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
        secret = item.checkState(0) == Qt.CheckState.Checked
        if not secret:
            self.set_confidential(key, False, "")
            return
        prompt = QInputDialog(self)
        prompt.setObjectName("reasonPrompt")
        prompt.setWindowTitle("不公开理由")
        prompt.setLabelText(f"“{item.text(0)}”不公开的理由（如：涉及个人隐私、国家秘密）：")
        prompt.setOkButtonText("确定")
        prompt.setCancelButtonText("取消")

        def finished(code: int) -> None:
            self.reason_prompt = None
            reason = prompt.textValue().strip()
            if code and reason:
                self.set_confidential(key, True, reason)
            elif self.ctx.detail is not None:
                self.set_detail(self.ctx.detail)  # untick again: nothing recorded
            prompt.deleteLater()

        prompt.finished.connect(finished)
        self.reason_prompt = prompt
        prompt.open()

    def set_confidential(self, key: str, secret: bool, reason: str) -> None:
        """Record (or clear) the confidential flag of field ``key``."""
        cf, case_id, ctx = self.ctx.case_file, self.ctx.case_id, self.ctx
        d = ctx.detail
        if key.startswith("section:") and d is not None:
            number = int(key.split(":")[1])
            section = d.report_sections[number - 1]
            if section.id is not None and section.confidential and not secret:

                def call() -> Any:
                    parts.save_report_section(
                        cf,
                        case_id,
                        number,
                        section.body,
                        confidential=False,
                        expected_version=section.version,
                        actor=ctx.actor,
                    )
                    return parts.set_redaction(cf, case_id, key, False, actor=ctx.actor)

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
                    parts.update_recommendation(
                        cf, rid, data, expected_version=rec.version, actor=ctx.actor
                    )
                    return parts.set_redaction(cf, case_id, key, False, actor=ctx.actor)

                self._run(call2)
                return
        self._run(lambda: parts.set_redaction(cf, case_id, key, secret, reason, actor=ctx.actor))

    def _run(self, call: Any) -> None:
        ctx = self.ctx

        def done(_r: object) -> None:
            ctx.changed()
            ctx.reload()

        def failed(exc: BaseException) -> None:
            from firecase.ui import messages

            messages.show_error(self, exc)
            ctx.reload()

        ctx.run(call, on_success=done, on_failure=failed, label="正在保存不公开标记…")
