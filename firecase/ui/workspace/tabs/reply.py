"""批复与处理: report submitted and received, the government's 批复 (15 working days), and each
department's handling task against the 30-day clock."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from firecase.rules import ClockKind
from firecase.services import reply as reply_svc
from firecase.services.dto import HandlingTaskInput
from firecase.ui.models.clock_board import is_kind
from firecase.ui.workspace.basis import INFO_STYLE, BasisLabel
from firecase.ui.workspace.crud import Column, CrudPanel, open_action_dialog
from firecase.ui.workspace.fields import DateField, LongTextField, TextField
from firecase.ui.workspace.tabs.base import WorkspaceTab, group
from firecase.ui.workspace.tabs.clocks import ClockRow, days_text

if TYPE_CHECKING:
    from firecase.services.dto import CaseDetail, ClockView, HandlingTaskView


MILESTONES: tuple[tuple[str, str, str, str], ...] = (
    # key, label, basis, button text
    ("report_submitted_on", "调查组提交调查报告", "第十七条", "登记提交…"),
    ("report_received_on", "人民政府收到调查报告", "第十九条", "登记收到…"),
    ("reply_on", "人民政府批复", "第十九条", "登记批复…"),
    ("closed_on", "结案", "第二十二条", "登记结案…"),
)


def task_source(t: HandlingTaskView) -> str:
    """Where a task came from, and who removed it (a created task is never deleted)."""
    origin = "处理建议（批复时生成）" if t.source == "recommendation" else "手工登记"
    if t.removed_on is None:
        return origin
    why = f"：{t.removed_reason}" if t.removed_reason else ""
    return f"{origin}；{t.removed_by}于{t.removed_on.isoformat()}移除{why}"


def task_values(t: HandlingTaskView) -> dict[str, Any]:
    """A handling task as form values."""
    return {
        "department": t.department,
        "task": t.task,
        "reported_on": t.reported_on,
        "filed_on": t.filed_on,
        "result": t.result,
    }


class ReplyTab(WorkspaceTab):
    """批复与处理 tab. Owned by the ``CaseWorkspace``; GUI thread only.

    Each milestone is recorded with its own service call (``record_report_submitted`` …); the
    clocks shown are the services' ``ClockView``s.
    """

    title = "批复与处理"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        cf, case_id = ctx.case_file, ctx.case_id
        self.milestone_labels: dict[str, QLabel] = {}
        self.milestone_buttons: dict[str, QPushButton] = {}
        milestones = QWidget(self)
        grid = QGridLayout(milestones)
        for row, (key, label, basis, button_text) in enumerate(MILESTONES):
            name = BasisLabel(label, basis, parent=milestones)
            name.setMinimumWidth(300)
            grid.addWidget(name, row, 0)
            value = QLabel("—", milestones)
            value.setObjectName(f"value_{key}")
            value.setMinimumWidth(220)
            value.setWordWrap(True)
            grid.addWidget(value, row, 2)
            button = QPushButton(button_text, milestones)
            button.setObjectName(f"record_{key}")
            button.clicked.connect(lambda _c=False, k=key: self.open_milestone(k))
            grid.addWidget(button, row, 1)
            self.milestone_labels[key] = value
            self.milestone_buttons[key] = button
        grid.setColumnStretch(2, 1)
        self.reply_clock = ClockRow(self)
        self.reply_clock.setObjectName("replyClock")
        self.no_reply_clock = QLabel("政府收到调查报告后开始计算批复期限（15个工作日）。", self)
        self.no_reply_clock.setStyleSheet("color: #555555;")
        self.tasks = CrudPanel(
            ctx,
            noun="处理任务",
            columns=(
                Column("部门/单位", lambda t: t.department),
                Column("来源", task_source),
                Column("任务", lambda t: t.task),
                Column("处理期限", lambda t: self._task_due(t)),
                Column("报告处理情况", lambda t: t.reported_on),
                Column("备案日期", lambda t: t.filed_on),
                Column("处理结果", lambda t: t.result),
            ),
            fields=(
                TextField("department", "负责处理的部门或单位", required=True),
                LongTextField("task", "处理任务（按批复内容）", required=True),
                DateField("reported_on", "报告处理情况日期", optional=True, check_text="已报告"),
                DateField("filed_on", "备案日期", optional=True, check_text="已备案"),
                LongTextField("result", "处理结果"),
            ),
            rows=lambda d: d.handling_tasks,
            to_values=task_values,
            add=lambda vals: reply_svc.add_handling_task(
                cf, case_id, HandlingTaskInput(**vals), actor=ctx.actor
            ),
            update=lambda t, vals, ver: reply_svc.update_handling_task(
                cf, t.id, HandlingTaskInput(**vals), expected_version=ver, actor=ctx.actor
            ),
            remove=lambda t, ver: reply_svc.remove_handling_task(
                cf, t.id, expected_version=ver, actor=ctx.actor
            ),
            describe=lambda t: t.department,
            muted=lambda t: t.removed_on is not None,
            alert=lambda t: (c := self._task_clock(t)) is not None and c.overdue,
            parent=self,
        )
        self.handling_note = BasisLabel(
            "有关部门和单位应当按照政府批复内容，在30日内依法依规进行处理，落实整改措施，"
            "并将处理情况报人民政府及其消防救援机构备案。期限自批复日起算，逾期的任务显示为红色。",
            "第二十条",
            style=INFO_STYLE,
            parent=self,
        )
        self.milestone_dialog: Any = None
        reply = QWidget(self)
        rl = QVBoxLayout(reply)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(milestones)
        rl.addWidget(self.reply_clock)
        rl.addWidget(self.no_reply_clock)
        tasks = QWidget(self)
        tl = QVBoxLayout(tasks)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.handling_note)
        tl.addWidget(self.tasks, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(group("报告与批复", reply, parent=self))
        layout.addWidget(group("批复后的处理任务（按部门）", tasks, parent=self), 1)

    def _clock(self, kind: ClockKind, subject: str | None = None) -> ClockView | None:
        d = self.ctx.detail
        if d is None:
            return None
        return next(
            (c for c in d.clocks if is_kind(c, kind) and (subject is None or c.subject == subject)),
            None,
        )

    def _task_clock(self, t: HandlingTaskView) -> ClockView | None:
        return self._clock(ClockKind.HANDLING, t.department)

    def _task_due(self, t: HandlingTaskView) -> str:
        if t.removed_on is not None:
            return "已移除，不计期限"
        clock = self._task_clock(t)
        if clock is None:
            return "批复后起算"
        due = clock.due_text("—")
        return f"{due}（{days_text(clock)}）"

    def set_detail(self, detail: CaseDetail) -> None:
        """Show milestones, the reply clock and the handling tasks of ``detail``."""
        c = detail.case
        for key, *_rest in MILESTONES:
            value = getattr(c, key)
            text = value.isoformat() if value is not None else "尚未登记"
            if key == "reply_on" and value is not None:
                text += f"　{c.reply_ref}" + (f"　{c.reply_summary}" if c.reply_summary else "")
            if key == "report_submitted_on" and c.report_signed_on is not None:
                text += f"（{c.report_signed_on.isoformat()}签署，签名表按当日调查组成员）"
            self.milestone_labels[key].setText(text)
        clock = self._clock(ClockKind.REPLY)
        self.reply_clock.setVisible(clock is not None)
        self.no_reply_clock.setVisible(clock is None)
        if clock is not None:
            self.reply_clock.show_clock(clock, detail)
        self.tasks.set_detail(detail)

    def open_milestone(self, key: str) -> Any:
        """The dialog that records milestone ``key`` (e.g. ``reply_on``)."""
        d = self.ctx.detail
        if d is None:
            return None
        c = d.case
        cf, case_id, ctx, version = self.ctx.case_file, self.ctx.case_id, self.ctx, c.version
        label = next(m[1] for m in MILESTONES if m[0] == key)
        default = getattr(c, key) or d.today
        if key == "report_submitted_on":
            fields: tuple[Any, ...] = (
                DateField("report_submitted_on", "提交日期", required=True),
                DateField(
                    "report_signed_on",
                    "签署日期",
                    required=True,
                    tooltip="调查组成员在报告上签名的日期：签名表按当日的调查组成员生成，"
                    "此后重印与签署的原件一致（第十八条）",
                ),
            )

            def call(v: dict[str, Any]) -> Any:
                return reply_svc.record_report_submitted(
                    cf,
                    case_id,
                    v["report_submitted_on"],
                    signed_on=v["report_signed_on"],
                    expected_version=version,
                    actor=ctx.actor,
                )

        elif key == "report_received_on":
            fields = (DateField("report_received_on", "收到日期", required=True),)

            def call(v: dict[str, Any]) -> Any:
                return reply_svc.record_report_received(
                    cf,
                    case_id,
                    v["report_received_on"],
                    expected_version=version,
                    actor=ctx.actor,
                )

        elif key == "reply_on":
            fields = (
                DateField("reply_on", "批复日期", required=True),
                TextField("reply_ref", "批复文号", required=True),
                LongTextField("reply_summary", "批复内容摘要"),
            )

            def call(v: dict[str, Any]) -> Any:
                return reply_svc.record_reply(
                    cf,
                    case_id,
                    v["reply_on"],
                    v["reply_ref"],
                    v["reply_summary"],
                    expected_version=version,
                    actor=ctx.actor,
                )

        else:
            fields = (DateField("closed_on", "结案日期", optional=True, check_text="已结案"),)

            def call(v: dict[str, Any]) -> Any:
                return reply_svc.record_closure(
                    cf, case_id, v["closed_on"], expected_version=version, actor=ctx.actor
                )

        values: dict[str, Any] = {key: default}
        if key == "report_submitted_on":
            values["report_signed_on"] = c.report_signed_on or default
        if key == "reply_on":
            values.update(reply_ref=c.reply_ref, reply_summary=c.reply_summary)
        if key == "closed_on":
            values[key] = c.closed_on
        self.milestone_dialog = open_action_dialog(self, ctx, label, fields, call, values=values)
        return self.milestone_dialog
