"""评估: the evaluation group (第二十二条), item-by-item results, rectification measures with
deadlines (限期整改, 第二十四条) and overdue alerts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from firecase.rules import ClockKind
from firecase.services import evaluation
from firecase.services.dto import (
    EVALUATION_ITEM_KINDS,
    EVALUATION_RESULTS,
    MEASURE_STATUSES,
    EvaluationInput,
    EvaluationItemInput,
    MeasureInput,
)
from firecase.textmarks import shorten
from firecase.ui.layout_memory import remember
from firecase.ui.models.clock_board import is_kind
from firecase.ui.workspace.basis import ALERT_STYLE, INFO_STYLE, WARN_STYLE, BasisLabel
from firecase.ui.workspace.crud import Column, CrudPanel
from firecase.ui.workspace.fields import (
    ChoiceField,
    DateField,
    LongTextField,
    MultiRefField,
    NamesField,
    RefField,
    TextField,
)
from firecase.ui.workspace.tabs.base import SavedForm, WorkspaceTab, group, scrolled
from firecase.ui.workspace.tabs.clocks import days_text

if TYPE_CHECKING:
    from firecase.services.dto import CaseDetail, ClockView, MeasureView


BANNER_FOLD = 50
"""Characters of a banner's text shown before 展开 (one line at 1280 pixels with its basis)."""

EVALUATION_FIELDS = (
    TextField("lead", "牵头单位", required=True, placeholder="市消防安全委员会办公室"),
    NamesField("members", "参加部门", placeholder="每行一个部门"),
    TextField("third_party", "受托第三方技术服务机构"),
    DateField("started_on", "开始日期", optional=True, check_text="已开始"),
    DateField("finished_on", "结束日期", optional=True, check_text="已结束"),
    DateField("submitted_on", "评估报告提交日期", optional=True, check_text="已提交"),
    LongTextField("conduct", "（一）评估工作的组织及开展情况"),
    LongTextField("opinion", "（五）评估意见及措施建议"),
)


def measure_values(x: MeasureView) -> dict[str, Any]:
    """A measure as form values."""
    return {
        "text": x.text,
        "responsible": x.responsible,
        "set_on": x.set_on,
        "deadline": x.deadline,
        "done_on": x.done_on,
        "status": x.status,
    }


class EvaluationTab(WorkspaceTab):
    """评估 tab. Owned by the ``CaseWorkspace``; GUI thread only.

    Overdue measures are those whose 限期整改 clock the services report as overdue.
    """

    title = "评估"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        cf, case_id = ctx.case_file, ctx.case_id
        # three banners of two or three lines each left the form 100 of 720 pixels: the
        # deadline and the warning are one line each until the officer opens them (展开)
        self.deadline = BasisLabel(style=INFO_STYLE, fold_at=BANNER_FOLD, parent=self)
        self.deadline.setObjectName("evaluationDeadline")
        # the alert is never folded: the overdue measures are what the officer must act on
        self.overdue = BasisLabel(style=ALERT_STYLE, parent=self)
        self.overdue.setObjectName("overdueAlert")
        self.unchecked = BasisLabel(style=WARN_STYLE, fold_at=BANNER_FOLD, parent=self)
        self.unchecked.setObjectName("uncheckedRecommendations")
        self.group_form = SavedForm(
            ctx,
            noun="评估组",
            fields=EVALUATION_FIELDS,
            values_of=lambda d: (
                {
                    "lead": d.evaluation.lead,
                    "members": d.evaluation.members,
                    "third_party": d.evaluation.third_party,
                    "started_on": d.evaluation.started_on,
                    "finished_on": d.evaluation.finished_on,
                    "submitted_on": d.evaluation.submitted_on,
                    "conduct": d.evaluation.conduct,
                    "opinion": d.evaluation.opinion,
                }
                if d.evaluation is not None
                else None
            ),
            version_of=lambda d: d.evaluation.version if d.evaluation is not None else None,
            save=lambda vals, ver: evaluation.save_evaluation(
                cf, case_id, EvaluationInput(**vals), expected_version=ver, actor=ctx.actor
            ),
            save_text="保存评估组信息",
            parent=self,
        )
        self.forms.append(self.group_form)
        self.items = CrudPanel(
            ctx,
            noun="评估事项",
            columns=(
                Column("类别", lambda i: i.kind),
                Column("事项", lambda i: i.subject),
                Column("结果", lambda i: i.result),
                Column("核查日期", lambda i: i.checked_on),
                Column("证明材料", lambda i: i.evidence),
            ),
            fields=(
                ChoiceField("kind", "类别（第二十三条）", choices=EVALUATION_ITEM_KINDS),
                TextField("subject", "评估事项", required=True),
                ChoiceField("result", "落实情况", choices=EVALUATION_RESULTS),
                DateField("checked_on", "核查日期", required=True),
                LongTextField("evidence", "证明材料"),
                MultiRefField(
                    "recommendation_ids",
                    "对应处理建议（可多选）",
                    options=self._recs,
                    tooltip="一项评估事项可核查多名责任人员或多个责任单位的处理（第二十三条）",
                ),
                RefField("measure_id", "对应整改措施", options=self._measures),
                RefField(
                    "order_id",
                    "限期整改措施",
                    options=self._measures,
                    tooltip="未落实或落实不到位的，评估组督促限期整改的措施及其新期限（第二十四条）",
                ),
            ),
            rows=lambda d: d.evaluation_items,
            to_values=lambda i: {
                "kind": i.kind,
                "subject": i.subject,
                "result": i.result,
                "checked_on": i.checked_on,
                "evidence": i.evidence,
                "recommendation_ids": i.recommendation_ids,
                "measure_id": i.measure_id,
                "order_id": i.order_id,
            },
            add=lambda vals: evaluation.add_evaluation_item(
                cf, case_id, EvaluationItemInput(**vals), actor=ctx.actor
            ),
            update=lambda i, vals, ver: evaluation.update_evaluation_item(
                cf, i.id, EvaluationItemInput(**vals), expected_version=ver, actor=ctx.actor
            ),
            remove=lambda i, ver: evaluation.remove_evaluation_item(
                cf, i.id, expected_version=ver, actor=ctx.actor
            ),
            describe=lambda i: i.subject,
            alert=lambda i: i.result == "未落实",
            parent=self,
        )
        self.measures = CrudPanel(
            ctx,
            noun="整改措施",
            columns=(
                Column("措施", lambda x: x.text),
                Column("责任单位", lambda x: x.responsible),
                Column("提出日期", lambda x: x.set_on),
                Column("整改期限", lambda x: self._measure_due(x)),
                Column("完成日期", lambda x: x.done_on),
                Column("落实情况", lambda x: x.status),
            ),
            fields=(
                LongTextField("text", "整改措施", required=True),
                TextField("responsible", "责任单位", required=True),
                DateField("set_on", "提出日期", required=True),
                DateField("deadline", "整改期限（限期整改）", optional=True, check_text="限期"),
                DateField("done_on", "完成日期", optional=True, check_text="已完成"),
                ChoiceField("status", "落实情况", choices=MEASURE_STATUSES),
            ),
            rows=lambda d: d.measures,
            to_values=measure_values,
            add=lambda vals: evaluation.add_measure(
                cf, case_id, MeasureInput(**vals), actor=ctx.actor
            ),
            update=lambda x, vals, ver: evaluation.update_measure(
                cf, x.id, MeasureInput(**vals), expected_version=ver, actor=ctx.actor
            ),
            remove=lambda x, ver: evaluation.remove_measure(
                cf, x.id, expected_version=ver, actor=ctx.actor
            ),
            describe=lambda x: x.responsible,
            alert=lambda x: (c := self._measure_clock(x)) is not None and c.overdue,
            parent=self,
        )
        form_box = scrolled(self.group_form, self)
        form_box.setMinimumWidth(360)
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(group("逐项评估结果（第二十三条第二至四项）", self.items, parent=right))
        right.addWidget(group("整改措施与限期整改（第二十四条）", self.measures, parent=right))
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(group("评估组与评估报告（第二十二条、第二十三条）", form_box, parent=split))
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.deadline)
        layout.addWidget(self.overdue)
        layout.addWidget(self.unchecked)
        remember(right, "evaluation.right")
        remember(split, "evaluation.split")
        layout.addWidget(split, 1)

    def _recs(self) -> list[tuple[int, str]]:
        d = self.ctx.detail
        return [(r.id, f"{r.target_name}：{r.kind}") for r in d.recommendations] if d else []

    def _measures(self) -> list[tuple[int, str]]:
        d = self.ctx.detail
        return [(x.id, f"{x.responsible}：{x.text[:20]}") for x in d.measures] if d else []

    def _measure_clock(self, x: MeasureView) -> ClockView | None:
        d = self.ctx.detail
        if d is None or x.deadline is None:
            return None
        return next(
            (
                c
                for c in d.clocks
                if is_kind(c, ClockKind.RECTIFICATION)
                and c.subject == x.responsible
                and c.due == x.deadline
                and c.start == x.set_on
            ),
            None,
        )

    def _measure_due(self, x: MeasureView) -> str:
        if x.deadline is None:
            return "未设期限"
        clock = self._measure_clock(x)
        return (
            f"{x.deadline.isoformat()}（{days_text(clock)}）" if clock else x.deadline.isoformat()
        )

    def set_detail(self, detail: CaseDetail) -> None:
        """Show the evaluation of ``detail`` with its deadline and overdue measures."""
        clock = next((c for c in detail.clocks if is_kind(c, ClockKind.EVALUATION)), None)
        if clock is not None:
            due = clock.due_text("无法计算")
            self.deadline.set_basis(
                f"{due}（{days_text(clock)}）。{clock.explanation}",
                clock.basis,
                bold="评估期限：",
            )
        elif detail.evaluation_open and detail.evaluation is None:
            self.deadline.set_basis(
                "较大火灾事故调查结案后一年内开展整改评估；本案尚无评估期限。", "第二十二条"
            )
        elif detail.evaluation_open:  # begun (so closed) yet no clock: regraded since
            self.deadline.set_basis(
                "整改评估适用于较大火灾事故；本案等级现为"
                f"{detail.case.grade or '未定级'}，已开展的评估可继续完成。",
                "第二十二条",
            )
        else:  # the service refuses it too: the form is shown, not offered
            self.deadline.set_basis(
                "整改评估适用于较大火灾事故；本案等级为"
                f"{detail.case.grade or '未定级'}，不开展该项评估。",
                "第二十二条",
            )
        self.group_form.setEnabled(detail.evaluation_open)  # the service decides it
        self.items.setEnabled(detail.evaluation_open)
        self.group_form.set_detail(detail)
        self.items.set_detail(detail)
        self.measures.set_detail(detail)
        late = [x for x in detail.measures if (c := self._measure_clock(x)) and c.overdue]
        if late:
            names = "；".join(
                f"{x.responsible}“{shorten(x.text, 24)}”（期限{x.deadline.isoformat()}）"
                for x in late
                if x.deadline
            )
            self.overdue.set_basis(
                f"{len(late)}项整改措施逾期未落实：{names}。应予以通报并督促落实。",
                "第二十四条",
                bold="逾期提醒：",
            )
        else:
            self.overdue.set_basis("")
        self._show_unchecked(detail)

    def _show_unchecked(self, detail: CaseDetail) -> None:
        """Warn of recommendations no evaluation item covers (第二十二条, 第二十三条)."""
        from firecase.services.reporting import unchecked_recommendations

        missing = unchecked_recommendations(detail)
        if not missing:
            self.unchecked.set_basis("")
            return
        names = "；".join(f"{r.target_name}（{r.kind}，{r.authority}）" for r in missing)
        claim = ""
        ev = detail.evaluation
        if ev is not None and "全部落实" in ev.opinion:
            claim = "“评估意见及措施建议”称“全部落实”，与此不符，请修改。"
        self.unchecked.set_basis(
            f"{len(missing)}项处理建议尚无评估事项：{names}。评估组应逐项评估每名责任人员和"
            f"每个责任单位的责任追究落实情况，未评估的不能认定为已全部落实。{claim}",
            "第二十二条、第二十三条第二项和第三项",
            bold="未评估的处理建议：",
        )
