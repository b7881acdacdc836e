"""调查组: how the team was formed, its members, sub-groups and composition warnings."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from firecase.rules import STANDARD_SUBGROUPS, Body, TeamRole
from firecase.services import cases, team
from firecase.services.dto import MemberInput, SubGroupInput, TeamSetupInput
from firecase.services.reporting import TeamBodies, team_bodies
from firecase.services.workspace_extra import (
    WarningAckView,
    acknowledge_team_warning,
    team_warning_acks,
    warning_key,
    withdraw_team_warning_ack,
)
from firecase.ui.layout_memory import remember
from firecase.ui.regulation import load_regulation
from firecase.ui.workspace.basis import INFO_STYLE, BasisLabel
from firecase.ui.workspace.crud import Column, CrudPanel, RecordDialog, open_action_dialog
from firecase.ui.workspace.fields import (
    BoolField,
    ChoiceField,
    DateField,
    Field,
    LongTextField,
    MultiRefField,
    RefField,
    TextField,
)
from firecase.ui.workspace.relatives_field import RelativesField
from firecase.ui.workspace.tabs.base import WorkspaceTab, group

if TYPE_CHECKING:
    from firecase.services.dto import CaseDetail, MemberView, SubGroupView, TeamWarningView

SETUP_FIELDS = (
    DateField("formed_on", "调查组成立日期", required=True),
    BoolField("authorised_fire_agency", "市人民政府授权消防救援机构负责人担任组长（第八条）"),
    TextField("document_no", "成立文件文号", max_len=64, placeholder="如：天政办函〔2026〕12号"),
)
FORMED_BY_LABEL = "组建机关（第四条）"


def setup_fields(bodies: TeamBodies) -> tuple[Field, ...]:
    """The 组建信息 form: ``SETUP_FIELDS`` and the 组建机关 offered for the case."""
    return (
        *SETUP_FIELDS,
        ChoiceField(
            "formed_by",
            FORMED_BY_LABEL,
            required=True,
            choices=bodies.options,
            editable=True,
            tooltip="第四条：由市人民政府负责调查，或授权消防救援机构牵头组织调查处理；"
            "上级人民政府提级调查的，由其组织。",
        ),
    )


def join_date_default(d: CaseDetail, today: dt.date) -> tuple[dt.date, str]:
    """A new member's 加入日期 and the note beside the field: the team's founding date
    (第八条), else today, said so."""
    formed = d.case.team_formed_on
    if formed is not None:
        return formed, f"默认取调查组成立日期（{formed.isoformat()}）。"
    return today, "调查组尚未登记成立日期（“组建信息…”），加入日期暂取今天。"


# 第十条–第十二条: the duties of the three standard sub-groups
SUBGROUP_ARTICLES = {"综合组": 10, "技术组": 11, "管理组": 12}


def standard_duties(name: str) -> str:
    """The duties the regulation lists for sub-group ``name`` (empty for other groups)."""
    number = SUBGROUP_ARTICLES.get(name)
    article = load_regulation().article(number) if number else None
    if article is None:
        return ""
    lines = [f"（{i.number}）{i.text}" for i in article.items]
    return "\n".join(lines) + f"\n（依据：{article.label}）"


def member_status(m: MemberView) -> str:
    """在组, or 已回避 with the date the member left the active roster."""
    if m.active:
        return "在组"
    return f"已回避（{m.left_on.isoformat()}起）" if m.left_on else "不在组"


class TeamTab(WorkspaceTab):
    """调查组 tab: setup, members (recused ones greyed), sub-groups, warnings to acknowledge.

    Owned by the ``CaseWorkspace``; GUI thread only. Acknowledgements are read with
    ``team_warning_acks`` after every reload of the case.
    """

    title = "调查组"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        cf, case_id = ctx.case_file, ctx.case_id
        self.acks: dict[str, WarningAckView] = {}
        self.warnings: tuple[TeamWarningView, ...] = ()
        self.setup_dialog: RecordDialog | None = None

        self.setup_label = BasisLabel(style=INFO_STYLE, parent=self)
        self.setup_label.setObjectName("teamSetup")
        self.setup_button = QPushButton("组建信息…", self)
        self.setup_button.setObjectName("setupButton")
        self.setup_button.clicked.connect(self._on_setup_button_clicked)

        self.members = CrudPanel(
            ctx,
            noun="成员",
            columns=(
                Column("姓名", lambda m: m.name),
                Column("职务", lambda m: m.role),
                Column("所在单位", lambda m: m.organisation),
                Column("代表方面", lambda m: m.body),
                Column("职称/职务", lambda m: m.title),
                Column("专长", lambda m: m.expertise),
                Column("加入日期", lambda m: m.joined_on),
                Column("状态", member_status),
            ),
            fields=(
                TextField("name", "姓名", required=True, max_len=100),
                TextField("organisation", "所在单位", required=True),
                ChoiceField("body", "代表方面（第六条）", choices=tuple(b.value for b in Body)),
                ChoiceField(
                    "role", "调查组职务（第八条）", choices=tuple(r.value for r in TeamRole)
                ),
                DateField("joined_on", "加入日期", required=True),
                TextField("title", "职称/职务"),
                TextField("expertise", "专长"),
                RelativesField(
                    "relatives", "近亲属", tooltip="用于回避筛查（第十五条）：每行一人，姓名及关系"
                ),
            ),
            rows=lambda d: d.members,
            to_values=lambda m: {
                "name": m.name,
                "organisation": m.organisation,
                "body": m.body,
                "role": m.role,
                "joined_on": m.joined_on,
                "title": m.title,
                "expertise": m.expertise,
                "relatives": m.relatives_detail,
            },
            add=lambda vals: team.add_member(cf, case_id, MemberInput(**vals), actor=ctx.actor),
            update=lambda m, vals, ver: team.update_member(
                cf, m.id, MemberInput(**vals), expected_version=ver, actor=ctx.actor
            ),
            remove=lambda m, ver: team.remove_member(
                cf, m.id, expected_version=ver, actor=ctx.actor
            ),
            describe=lambda m: m.name,
            muted=lambda m: not m.active,
            prepare_add=self._prepare_member,
            parent=self,
        )
        self.subgroups = CrudPanel(
            ctx,
            noun="专项小组",
            columns=(
                Column("小组", lambda g: g.name),
                Column("组长", lambda g: g.leader_name or "（未指定）"),
                Column("成员", self._member_names),
                Column("职责", lambda g: g.duties.replace("\n", " "), tooltip=lambda g: g.duties),
            ),
            fields=(
                ChoiceField(
                    "name", "小组名称（第九条）", choices=STANDARD_SUBGROUPS, editable=True
                ),
                RefField(
                    "leader_id",
                    "小组组长（由调查组组长指定）",
                    options=self._active_members,
                    none_text="（尚未指定）",
                ),
                LongTextField("duties", "职责和任务（第十条至第十二条）"),
                MultiRefField("member_ids", "小组成员", options=self._active_members),
            ),
            rows=lambda d: d.subgroups,
            to_values=lambda g: {
                "name": g.name,
                "leader_id": g.leader_id,
                "duties": g.duties,
                "member_ids": g.member_ids,
            },
            add=lambda vals: team.add_subgroup(cf, case_id, SubGroupInput(**vals), actor=ctx.actor),
            update=lambda g, vals, ver: team.update_subgroup(
                cf, g.id, SubGroupInput(**vals), expected_version=ver, actor=ctx.actor
            ),
            remove=lambda g, ver: team.remove_subgroup(
                cf, g.id, expected_version=ver, actor=ctx.actor
            ),
            describe=lambda g: g.name,
            parent=self,
        )
        for name in STANDARD_SUBGROUPS:
            button = self.subgroups.add_action(
                f"按规定添加{name}",
                f"template_{name}",
                lambda _dto, n=name: self._add_standard_subgroup(n),
                needs_selection=False,
            )
            button.setToolTip(f"名称和职责按第{SUBGROUP_ARTICLES[name]}条预先填好")

        self.warning_list = QListWidget(self)
        self.warning_list.setObjectName("warningList")
        self.warning_list.setWordWrap(True)
        self.warning_list.currentRowChanged.connect(self._on_warning_list_current_row_changed)
        self.warning_basis = BasisLabel(parent=self)
        self.ack_button = QPushButton("确认知悉", self)
        self.ack_button.setObjectName("ackButton")
        self.ack_button.clicked.connect(self._on_ack_button_clicked)
        self.unack_button = QPushButton("撤回确认", self)
        self.unack_button.setObjectName("unackButton")
        self.unack_button.clicked.connect(self._on_unack_button_clicked)

        warn_box = QWidget(self)
        wl = QVBoxLayout(warn_box)
        wl.setContentsMargins(0, 0, 0, 0)
        wl.addWidget(self.warning_list, 1)
        wl.addWidget(self.warning_basis)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.unack_button)
        row.addWidget(self.ack_button)
        wl.addLayout(row)

        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(self.setup_label, 1)
        head.addWidget(self.setup_button)
        layout.addLayout(head)
        split = QSplitter(Qt.Orientation.Vertical, self)
        top = QSplitter(Qt.Orientation.Horizontal, split)
        top.addWidget(group("调查组成员（已回避成员灰显）", self.members, parent=top))
        top.addWidget(group("组成提示（第六条、第八条、第九条）", warn_box, parent=top))
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        # the list two thirds of the width from the start (by their size hints the side panel
        # took half, and the members' or evidence table scrolled sideways); a width the
        # officer set is restored over this (``remember``)
        top.setSizes([2000, 1000])
        split.addWidget(top)
        split.addWidget(group("专项小组（第九条至第十二条）", self.subgroups, parent=split))
        remember(split, "team.split")
        remember(top, "team.top")
        layout.addWidget(split, 1)
        self._update_ack_buttons()

    # -- data ------------------------------------------------------------------------------

    def _active_members(self) -> list[tuple[int, str]]:
        d = self.ctx.detail
        return [(m.id, f"{m.name}（{m.organisation}）") for m in d.members if m.active] if d else []

    def _member_names(self, g: SubGroupView) -> str:
        d = self.ctx.detail
        names = {m.id: m.name for m in d.members} if d else {}
        return "、".join(names.get(i, "?") for i in g.member_ids)

    def _prepare_member(self, dialog: RecordDialog) -> None:
        d = self.ctx.detail
        if d is None:
            return
        today = getattr(self.ctx, "today", dt.date.today)()
        joined, note = join_date_default(d, today)
        dialog.form.set_values({"joined_on": joined})
        dialog.form.show_note("joined_on", note)

    def set_detail(self, detail: CaseDetail) -> None:
        """Show the team of ``detail`` and read the acknowledgements."""
        c = detail.case
        if c.team_formed_on is not None:
            lead = (
                "市人民政府授权消防救援机构负责人任组长"
                if c.team_authorised_fire_agency
                else "组长一般由人民政府分管领导担任，副组长由消防救援机构负责人担任"
            )
            by = f"{c.team_formed_by}组建，" if c.team_formed_by else ""
            doc = f"（{c.team_document_no}）" if c.team_document_no else ""
            self.setup_label.set_basis(
                f"{by}{c.team_formed_on.isoformat()}成立{doc}；{lead}",
                "第四条、第八条",
                bold="调查组：",
            )
        else:
            self.setup_label.set_basis("尚未登记成立日期", "第六条、第八条", bold="调查组：")
        self.members.set_detail(detail)
        self.subgroups.set_detail(detail)
        self.warnings = detail.team_warnings
        self._show_warnings()
        cf, case_id = self.ctx.case_file, self.ctx.case_id
        self.ctx.run(
            lambda: team_warning_acks(cf, case_id),
            on_success=self._on_acks_loaded,
            label="正在读取确认记录…",
        )

    def _on_acks_loaded(self, acks: tuple[WarningAckView, ...]) -> None:
        self.acks = {a.key: a for a in acks}
        self._show_warnings()

    def _show_warnings(self) -> None:
        row = self.warning_list.currentRow()
        self.warning_list.clear()
        if not self.warnings:
            item = QListWidgetItem("调查组组成未发现问题。", self.warning_list)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
        for w in self.warnings:
            ack = self.acks.get(warning_key(w.code, w.message))
            if ack is None:
                text = f"⚠ {w.message}（{w.basis}）"
            else:
                text = (
                    f"✓ {w.message}（{w.basis}）\n"
                    f"　已由{ack.acknowledged_by}于{ack.acknowledged_on.isoformat()}确认知悉"
                )
            item = QListWidgetItem(text, self.warning_list)
            item.setData(Qt.ItemDataRole.UserRole, w)
            item.setForeground(Qt.GlobalColor.darkGray if ack else Qt.GlobalColor.darkRed)
        if self.warnings:
            self.warning_list.setCurrentRow(max(0, min(row, len(self.warnings) - 1)))
        self._update_ack_buttons()

    def selected_warning(self) -> TeamWarningView | None:
        """The warning selected in the list."""
        item = self.warning_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _update_ack_buttons(self) -> None:
        w = self.selected_warning()
        acked = w is not None and warning_key(w.code, w.message) in self.acks
        self.ack_button.setEnabled(w is not None and not acked)
        self.unack_button.setEnabled(acked)
        if w is not None:
            self.warning_basis.set_basis(w.message, w.basis)
        else:
            self.warning_basis.set_basis("")

    def _on_warning_list_current_row_changed(self, _row: int) -> None:
        self._update_ack_buttons()

    def _on_ack_button_clicked(self) -> None:
        w = self.selected_warning()
        if w is None:
            return
        cf, case_id, ctx = self.ctx.case_file, self.ctx.case_id, self.ctx
        ctx.run(
            lambda: acknowledge_team_warning(cf, case_id, w.code, w.message, actor=ctx.actor),
            on_success=lambda ack: self._on_acks_loaded((*self.acks.values(), ack)),
            label="正在保存确认…",
        )

    def _on_unack_button_clicked(self) -> None:
        w = self.selected_warning()
        if w is None:
            return
        key = warning_key(w.code, w.message)
        cf, case_id, ctx = self.ctx.case_file, self.ctx.case_id, self.ctx
        ctx.run(
            lambda: withdraw_team_warning_ack(cf, case_id, key, actor=ctx.actor),
            on_success=lambda _r: self._on_acks_loaded(
                tuple(a for k, a in self.acks.items() if k != key)
            ),
            label="正在撤回确认…",
        )

    # -- actions ---------------------------------------------------------------------------

    def _add_standard_subgroup(self, name: str) -> None:
        self.subgroups.open_add({"name": name, "duties": standard_duties(name)})

    def _on_setup_button_clicked(self) -> None:
        """Read the 组建机关 the rules offer, then open the 组建信息 form."""
        if self.ctx.detail is None:
            return
        cf, case_id = self.ctx.case_file, self.ctx.case_id
        self.ctx.run(
            lambda: team_bodies(cf, case_id),
            on_success=self.open_setup_dialog,
            label="正在读取组建信息…",
        )

    def open_setup_dialog(self, bodies: TeamBodies) -> RecordDialog | None:
        """The 组建信息 form of the case as last read; 组建机关 defaults to the body of 第四条."""
        d = self.ctx.detail
        if d is None:
            return None
        cf, case_id, ctx = self.ctx.case_file, self.ctx.case_id, self.ctx
        c = d.case
        version = c.version
        values = {
            "formed_on": c.team_formed_on or c.fire_date,
            "authorised_fire_agency": c.team_authorised_fire_agency,
            "document_no": c.team_document_no,
            "formed_by": c.team_formed_by or bodies.default,
        }
        dialog = open_action_dialog(
            self,
            ctx,
            "调查组组建信息",
            setup_fields(bodies),
            lambda vals: cases.set_team_setup(
                cf, case_id, TeamSetupInput(**vals), expected_version=version, actor=ctx.actor
            ),
            values=values,
        )
        form = dialog.form
        form.show_note("formed_by", f"按第四条默认：{bodies.default}")
        authorised = form.editor("authorised_fire_agency")
        formed_by = form.editor("formed_by")
        assert isinstance(authorised, QCheckBox) and isinstance(formed_by, QComboBox)

        def follow(checked: bool) -> None:
            # the body follows the authorisation while it is one the rules offer
            if formed_by.currentText().strip() in bodies.options:
                wanted = bodies.for_authorised(checked)
                formed_by.setCurrentText(wanted)
                form.show_note("formed_by", f"按第四条默认：{wanted}")

        authorised.toggled.connect(follow)
        self.setup_dialog = dialog
        return dialog
