"""处理建议: recommendations for those responsible, the acting authority's feedback, 备案, and
transfers to judicial authorities."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from firecase.services import recommendations
from firecase.services.dto import (
    RECOMMENDATION_KINDS,
    RESPONSIBILITY_AREAS,
    TARGET_KINDS,
    FeedbackInput,
    RecommendationInput,
)
from firecase.ui.workspace.basis import INFO_STYLE, BasisLabel
from firecase.ui.workspace.crud import Column, CrudPanel, open_action_dialog
from firecase.ui.workspace.fields import (
    BoolField,
    ChoiceField,
    DateField,
    LongTextField,
    RefField,
    TextField,
)
from firecase.ui.workspace.tabs.base import WorkspaceTab, group

if TYPE_CHECKING:
    from firecase.services.dto import CaseDetail, RecommendationView

FEEDBACK_FIELDS = (
    LongTextField("feedback", "处理情况反馈"),
    DateField("feedback_on", "反馈日期", optional=True, check_text="已反馈"),
    DateField("filed_on", "备案日期（第二十条）", optional=True, check_text="已备案"),
    DateField("transferred_on", "移送司法机关日期（第十三条）", optional=True, check_text="已移送"),
    TextField("transferred_to", "接收的司法机关"),
)


def rec_values(r: RecommendationView) -> dict[str, Any]:
    """A recommendation as form values."""
    return {
        "target_kind": r.target_kind,
        "target_name": r.target_name,
        "party_id": r.party_id,
        "area": r.area,
        "kind": r.kind,
        "basis": r.basis,
        "authority": r.authority,
        "text": r.text,
        "confidential": r.confidential,
    }


def progress(r: RecommendationView) -> str:
    """Where the recommendation stands: 待反馈 / 已反馈 / 已备案, and any transfer."""
    parts_ = []
    if r.filed_on is not None:
        parts_.append(f"已备案 {r.filed_on.isoformat()}")
    elif r.feedback_on is not None:
        parts_.append(f"已反馈 {r.feedback_on.isoformat()}")
    else:
        parts_.append("待反馈")
    if r.transferred_on is not None:
        parts_.append(f"已移送{r.transferred_to} {r.transferred_on.isoformat()}")
    return "；".join(parts_)


class RecommendationsTab(WorkspaceTab):
    """处理建议 tab. Owned by the ``CaseWorkspace``; GUI thread only."""

    title = "处理建议"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        cf, case_id = ctx.case_file, ctx.case_id
        self.intro = BasisLabel(
            "对事故责任单位和责任人提出处理建议，由有关部门和单位在批复后30日内依法依规处理"
            "并报备案；发现涉嫌犯罪的，及时将有关材料移交司法机关。",
            "第七条第四项、第十三条第三款、第二十条",
            style=INFO_STYLE,
            parent=self,
        )
        self.panel = CrudPanel(
            ctx,
            noun="处理建议",
            columns=(
                Column("对象", lambda r: f"{r.target_name}（{r.target_kind}）"),
                Column("责任方面", lambda r: r.area),
                Column("建议", lambda r: r.kind),
                Column("依据", lambda r: r.basis),
                Column("处理机关", lambda r: r.authority),
                Column("进展", progress),
                Column("反馈", lambda r: r.feedback),
                Column("不公开", lambda r: "是" if r.confidential else ""),
            ),
            fields=(
                ChoiceField("target_kind", "对象类别", choices=TARGET_KINDS),
                TextField("target_name", "责任单位或责任人", required=True),
                RefField("party_id", "对应当事人", options=self._parties),
                ChoiceField("area", "责任方面（第十六条）", choices=RESPONSIBILITY_AREAS),
                ChoiceField("kind", "处理建议", choices=RECOMMENDATION_KINDS, editable=True),
                TextField("basis", "依据", required=True, placeholder="如：《消防法》第六十四条"),
                TextField("authority", "负责处理的机关或单位", required=True),
                LongTextField("text", "建议内容"),
                BoolField("confidential", "涉密，不在公开版本中出现"),
            ),
            rows=lambda d: d.recommendations,
            to_values=rec_values,
            add=lambda vals: recommendations.add_recommendation(
                cf, case_id, RecommendationInput(**vals), actor=ctx.actor
            ),
            update=lambda r, vals, ver: recommendations.update_recommendation(
                cf, r.id, RecommendationInput(**vals), expected_version=ver, actor=ctx.actor
            ),
            remove=lambda r, ver: recommendations.remove_recommendation(
                cf, r.id, expected_version=ver, actor=ctx.actor
            ),
            describe=lambda r: f"{r.target_name} {r.kind}",
            alert=lambda r: r.kind == "移送司法机关" and r.transferred_on is None,
            parent=self,
        )
        self.panel.add_action("反馈、备案与移送…", "feedbackButton", self._open_feedback)
        self.summary = BasisLabel(parent=self)
        self.summary.setObjectName("recSummary")
        self.feedback_dialog: Any = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(group("处理建议", self.panel, parent=self), 1)
        layout.addWidget(self.summary)

    def _parties(self) -> list[tuple[int, str]]:
        d = self.ctx.detail
        return [(p.id, f"{p.name}（{p.kind}）") for p in d.parties] if d else []

    def set_detail(self, detail: CaseDetail) -> None:
        """Show the recommendations of ``detail`` and how many are still open."""
        self.panel.set_detail(detail)
        recs = detail.recommendations
        waiting = sum(1 for r in recs if r.filed_on is None)
        transfer = sum(1 for r in recs if r.kind == "移送司法机关" and r.transferred_on is None)
        text = f"共{len(recs)}项建议，{waiting}项尚未备案"
        if transfer:
            text += f"；{transfer}项移送司法机关的建议尚未登记移送（红色）"
        self.summary.set_basis(text + "。")

    def _open_feedback(self, r: RecommendationView | None) -> None:
        if r is None:
            return
        cf, ctx = self.ctx.case_file, self.ctx
        version = r.version
        self.feedback_dialog = open_action_dialog(
            self,
            ctx,
            f"反馈、备案与移送：{r.target_name}",
            FEEDBACK_FIELDS,
            lambda vals: recommendations.record_feedback(
                cf, r.id, FeedbackInput(**vals), expected_version=version, actor=ctx.actor
            ),
            values={
                "feedback": r.feedback,
                "feedback_on": r.feedback_on,
                "filed_on": r.filed_on,
                "transferred_on": r.transferred_on,
                "transferred_to": r.transferred_to,
            },
        )
