"""回避: recusal applications by a member or a party, screening flags, the leader's decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from firecase.rules import RECUSAL_GROUNDS
from firecase.services import recusal
from firecase.services.dto import (
    APPLICANT_KINDS,
    RECUSAL_DECISIONS,
    RecusalApplicationInput,
    RecusalDecisionInput,
)
from firecase.ui.layout_memory import remember
from firecase.ui.workspace.basis import INFO_STYLE, BasisLabel
from firecase.ui.workspace.crud import (
    Column,
    CrudPanel,
    DtoTableModel,
    make_table,
    open_action_dialog,
)
from firecase.ui.workspace.fields import (
    ChoiceField,
    DateField,
    Field,
    IntChoiceField,
    LongTextField,
    RefField,
    TextField,
)
from firecase.ui.workspace.tabs.base import WorkspaceTab, group
from firecase.ui.workspace.tabs.team import member_status

if TYPE_CHECKING:
    from firecase.services.dto import CaseDetail, RecusalFlagView, RecusalView

CN_ITEM = {1: "一", 2: "二", 3: "三"}
GROUND_OPTIONS = tuple((n, f"（{CN_ITEM[n]}）{text}") for n, text in RECUSAL_GROUNDS.items())
CITY_GOVERNMENT = "天门市人民政府"
NEAR_TEXT = "姓名相近，请核实"


def flag_match(f: RecusalFlagView) -> str:
    """How the screen matched: equal names, or only similar ones the officer must check."""
    return NEAR_TEXT if f.near else "一致"


def decision_fields(
    leader_own: bool,
    leaders: Sequence[tuple[int, str]],
    governments: Sequence[str],
    today: dt.date,
) -> tuple[Field, ...]:
    """The decision form (第十五条): the leader is picked for a member's application; for the
    leader's own the government is named (a list to pick from, editable); no date after today."""
    decider: Field
    if leader_own:
        decider = ChoiceField(
            "decided_by",
            "决定人（人民政府）",
            choices=tuple(governments),
            editable=True,
            tooltip="调查组组长本人的回避由人民政府决定（第十五条）",
        )
    else:
        decider = RefField(
            "decided_by_member_id",
            "决定人（调查组组长）",
            required=True,
            options=lambda: leaders,
            tooltip="回避申请由调查组组长决定（第十五条）",
        )
    return (
        ChoiceField("decision", "决定", choices=RECUSAL_DECISIONS),
        DateField("decided_on", "决定日期", required=True, maximum=today),
        decider,
        LongTextField("reason", "决定理由", required=True),
    )


def decision_input(vals: dict[str, Any]) -> RecusalDecisionInput:
    """The service input from the decision form's values (either kind of decider)."""
    return RecusalDecisionInput(
        decision=vals["decision"],
        decided_on=vals["decided_on"],
        decided_by=vals.get("decided_by", ""),
        reason=vals["reason"],
        decided_by_member_id=vals.get("decided_by_member_id"),
    )


def ground_text(n: int) -> str:
    """ "第十五条第一项" for ground 1."""
    return f"第十五条第{CN_ITEM.get(n, str(n))}项"


class RecusalTab(WorkspaceTab):
    """回避 tab: flags from screening, applications, decisions; roster with recused greyed.

    Owned by the ``CaseWorkspace``; GUI thread only.
    """

    title = "回避"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        cf, case_id = ctx.case_file, ctx.case_id
        self.intro = BasisLabel(
            "调查组成员具有法定情形的，应当主动申请回避；当事人或利害关系人也可以申请。"
            "由调查组组长决定是否批准（组长本人的回避报人民政府决定）。",
            "第十五条",
            style=INFO_STYLE,
            parent=self,
        )
        self.flag_model = DtoTableModel(
            (
                Column("成员", lambda f: f.member_name),
                Column("当事人", lambda f: f.party_name),
                Column("情形", lambda f: f.ground),
                Column("比对", flag_match),
                Column("筛查理由", lambda f: f.reason),
            ),
            parent=self,
        )
        self.flag_view = make_table(self.flag_model, self)
        self.flag_view.setObjectName("flagTable")
        # a flag's reason says its ground and why (第十五条, 民法典第一千零四十五条): shown
        # whole, wrapped, not cut off after one line
        self.flag_view.setWordWrap(True)
        self.flag_view.horizontalHeader().sectionResized.connect(self._on_flag_column_resized)
        self.flag_button = QPushButton("据此登记回避申请…", self)
        self.flag_button.setObjectName("applyFromFlagButton")
        self.flag_button.clicked.connect(self._on_flag_button_clicked)

        self.applications = CrudPanel(
            ctx,
            noun="回避申请",
            columns=(
                Column("成员", lambda r: r.member_name),
                Column("申请人", lambda r: f"{r.applicant}（{r.applicant_kind}）"),
                Column("情形", lambda r: ground_text(r.ground)),
                Column("理由", lambda r: r.reason),
                Column("申请日期", lambda r: r.applied_on),
                Column("决定", lambda r: r.decision or "待决定"),
                Column("决定日期", lambda r: r.decided_on),
                Column("决定人", lambda r: r.decided_by),
                Column("决定理由", lambda r: r.decision_reason),
            ),
            fields=(
                RefField("member_id", "被申请回避的成员", required=True, options=self._members),
                ChoiceField("applicant_kind", "申请人身份", choices=APPLICANT_KINDS),
                TextField("applicant", "申请人", required=True, max_len=100),
                RefField("party_id", "相关当事人", options=self._parties),
                IntChoiceField("ground", "回避情形（第十五条）", options=GROUND_OPTIONS),
                LongTextField("reason", "申请理由", required=True),
                DateField("applied_on", "申请日期", required=True),
            ),
            rows=lambda d: d.recusals,
            to_values=lambda r: {},
            add=lambda vals: recusal.apply_recusal(
                cf, case_id, RecusalApplicationInput(**vals), actor=ctx.actor
            ),
            remove=lambda r, ver: recusal.remove_recusal(
                cf, r.id, expected_version=ver, actor=ctx.actor
            ),
            describe=lambda r: f"{r.member_name} {r.applied_on.isoformat()}",
            muted=lambda r: r.decision == "驳回",
            prepare_add=self._prepare_application,
            parent=self,
        )
        self.decide_button = self.applications.add_action(
            "作出决定…", "decideButton", self._open_decision
        )
        self.roster_model = DtoTableModel(
            (
                Column("成员", lambda m: m.name),
                Column("职务", lambda m: m.role),
                Column("所在单位", lambda m: m.organisation),
                Column("状态", member_status),
            ),
            muted=lambda m: not m.active,
            parent=self,
        )
        self.roster_view = make_table(self.roster_model, self)
        self.roster_view.setObjectName("rosterTable")
        self.decision_dialog: Any = None

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        split = QSplitter(Qt.Orientation.Vertical, self)
        flags = QWidget(split)
        fl = QVBoxLayout(flags)
        fl.setContentsMargins(0, 0, 0, 0)
        # no flag: one line instead of an empty table, so that at 1280×720 the applications
        # are on screen rather than below an empty screening table
        self.no_flags = QLabel("未发现成员的近亲属或所在单位与当事人相同的情形。", flags)
        self.no_flags.setObjectName("noFlagsLabel")
        self.no_flags.hide()
        fl.addWidget(self.no_flags)
        fl.addWidget(self.flag_view)
        fl.addWidget(self.flag_button, 0, Qt.AlignmentFlag.AlignRight)
        self.flag_group = group("自动筛查提示（成员近亲属、单位与当事人比对）", flags, parent=split)
        split.addWidget(self.flag_group)
        split.addWidget(group("回避申请与决定", self.applications, parent=split))
        split.addWidget(
            group("调查组名单（回避成员自决定之日起灰显）", self.roster_view, parent=split)
        )
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        split.setStretchFactor(2, 1)
        remember(split, "recusal.split")
        layout.addWidget(split, 1)

    def _members(self) -> list[tuple[int, str]]:
        d = self.ctx.detail
        return [(m.id, f"{m.name}（{m.role}）") for m in d.members if m.active] if d else []

    def _parties(self) -> list[tuple[int, str]]:
        d = self.ctx.detail
        return [(p.id, f"{p.name}（{p.kind}）") for p in d.parties] if d else []

    def _on_flag_column_resized(self, *_args: object) -> None:
        self.flag_view.resizeRowsToContents()  # a handful of rows: the reasons re-wrapped

    def set_detail(self, detail: CaseDetail) -> None:
        """Show flags, applications and the roster of ``detail``."""
        self.flag_model.set_rows(detail.recusal_flags)
        self.flag_view.resizeRowsToContents()
        flagged = bool(detail.recusal_flags)
        self.flag_view.setVisible(flagged)
        self.flag_button.setVisible(flagged)
        self.no_flags.setVisible(not flagged)
        # without a flag the group keeps to its one line (the splitter honours the maximum);
        # the layouts measured again first (a tab not yet shown keeps its old measures)
        for box in (self.no_flags.parentWidget(), self.flag_group):
            box.layout().invalidate()
            box.layout().activate()
        self.flag_group.setMaximumHeight(
            16777215 if flagged else self.flag_group.minimumSizeHint().height()
        )
        self.applications.set_detail(detail)
        self.roster_model.set_rows(detail.members)
        self.flag_button.setEnabled(bool(detail.recusal_flags))

    def selected_flag(self) -> RecusalFlagView | None:
        """The flag selected in the screening table (the first one when none is selected)."""
        rows = self.flag_view.selectionModel().selectedRows()
        index = rows[0] if rows else self.flag_model.index(0, 0)
        return self.flag_model.row_of(index)

    def _prepare_application(self, dialog: Any) -> None:
        """A member applying for their own recusal (申请人身份 本人) is the applicant: their name
        is filled in as the member is chosen, unless the officer typed another one."""
        form = dialog.form
        member, kind, who = (form.editor(k) for k in ("member_id", "applicant_kind", "applicant"))
        filled = [""]

        def follow(*_args: object) -> None:
            d = self.ctx.detail
            typed = who.text().strip()
            if kind.currentText() != "本人" or d is None or (typed and typed != filled[0]):
                return
            chosen = next((m for m in d.members if m.id == member.currentData()), None)
            filled[0] = chosen.name if chosen is not None else ""
            who.setText(filled[0])

        member.currentIndexChanged.connect(follow)
        kind.currentIndexChanged.connect(follow)
        follow()

    def _on_flag_button_clicked(self) -> None:
        flag = self.selected_flag()
        d = self.ctx.detail
        if flag is None or d is None:
            return
        party = next((p for p in d.parties if p.name == flag.party_name), None)
        ground = next((n for n, text in RECUSAL_GROUNDS.items() if text in flag.ground), 1)
        for n in RECUSAL_GROUNDS:
            if ground_text(n) in flag.ground or f"（{CN_ITEM[n]}）" in flag.ground:
                ground = n
        self.applications.open_add(
            {
                "member_id": flag.member_id,
                "applicant_kind": "本人",
                "applicant": flag.member_name,
                "party_id": party.id if party else None,
                "ground": ground,
                "reason": flag.reason,
                "applied_on": d.today,
            }
        )

    def _open_decision(self, r: RecusalView | None) -> None:
        if r is None:
            return
        d = self.ctx.detail
        today = d.today if d else dt.date.today()
        members = d.members if d else ()
        concerned = next((m for m in members if m.id == r.member_id), None)
        leader_own = concerned is not None and concerned.role == "组长"
        leaders = [(m.id, f"{m.name}（组长）") for m in members if m.role == "组长" and m.active]
        governments = [CITY_GOVERNMENT]
        taken_over = d.case.taken_over_by.strip() if d else ""
        if taken_over and taken_over not in governments:
            governments.insert(0, taken_over)
        cf, ctx = self.ctx.case_file, self.ctx
        version = r.version
        values: dict[str, Any] = {
            "decision": r.decision or "批准",
            "decided_on": min(r.decided_on or today, today),
            "reason": r.decision_reason,
        }
        if leader_own:
            values["decided_by"] = r.decided_by or governments[0]
        elif leaders:
            values["decided_by_member_id"] = r.decided_by_member_id or leaders[0][0]
        self.decision_dialog = open_action_dialog(
            self,
            ctx,
            f"回避决定：{r.member_name}",
            decision_fields(leader_own, leaders, governments, today),
            lambda vals: recusal.decide_recusal(
                cf, r.id, decision_input(vals), expected_version=version, actor=ctx.actor
            ),
            values=values,
        )
