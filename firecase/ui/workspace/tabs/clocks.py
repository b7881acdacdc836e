"""期限: every statutory clock of the case as a timeline, and the investigation's extensions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from firecase.rules import ClockKind
from firecase.rules.urgency import NOT_APPLICABLE
from firecase.services import deadlines
from firecase.services.dto import ExtensionInput, ExtensionView
from firecase.ui import messages
from firecase.ui.layout_memory import remember
from firecase.ui.models.clock_board import is_kind
from firecase.ui.workspace.basis import INFO_STYLE, BasisLabel
from firecase.ui.workspace.crud import Column, CrudPanel
from firecase.ui.workspace.fields import (
    BoolField,
    ChoiceField,
    DateField,
    IntField,
    LongTextField,
    TextField,
)
from firecase.ui.workspace.tabs.base import WorkspaceTab, group, scrolled
from firecase.ui.workspace.timeline import (
    STATE_COLOURS,
    STATE_TEXT,
    ClockTimeline,
    clock_state,
    spec_from_clock,
)

if TYPE_CHECKING:
    from firecase.services.dto import CaseDetail, ClockView


def days_text(clock: ClockView) -> str:
    """ "还剩12日", "已逾期3日", "已完成（…）", "逾期3日完成（…）" … as the services said."""
    if clock.done_on is not None:
        if is_kind(clock, ClockKind.GRADE_CHANGE):
            return f"已届满（{clock.done_on.isoformat()}）"  # a window closes, nothing is done
        if clock.late_days:
            return f"逾期{clock.late_days}日完成（{clock.done_on.isoformat()}）"
        return f"已完成（{clock.done_on.isoformat()}）"
    if clock.status == NOT_APPLICABLE:
        return "不适用"
    if clock.due is None or clock.days_left is None:
        return "无法计算"
    if clock.paused:
        return f"暂停计算（剩{clock.days_left}日）"
    if clock.days_left < 0:
        return f"已逾期{-clock.days_left}日"
    if clock.days_left == 0:
        return "今天届满"
    return f"还剩{clock.days_left}日"


def extension_values(e: ExtensionView) -> dict[str, Any]:
    """An extension as form values."""
    return {
        "days": e.days,
        "requested_on": e.requested_on,
        "reason": e.reason,
        "approved_on": e.approved_on,
        "approved_by": e.approved_by,
        "approval_ref": e.approval_ref,
        "late_ack": e.approved_late,
    }


def extension_status(e: ExtensionView) -> str:
    """How an extension counts: 待批准, 已计入, or an approval after the period ran out."""
    if e.approved_on is None:
        return "待批准"
    if not e.approved_late:
        return "已计入"
    if e.late_confirmed_on is None:
        return "逾期后批准（待确认，未计入）"
    return f"逾期后批准（{e.late_confirmed_by}于{e.late_confirmed_on.isoformat()}确认后计入）"


TWO_CLOCKS = 240
"""The least height of the clocks' list: two rows of clocks with their explanations."""


class ClockRow(QFrame):
    """One clock: name, timeline, due date, days left, status, explanation and basis.

    Owned by the ``ClocksTab``; GUI thread only.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clockRow")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.name = QLabel(self)
        self.name.setMinimumWidth(130)
        self.name.setWordWrap(True)
        self.timeline = ClockTimeline(parent=self)
        self.due = QLabel(self)
        self.due.setObjectName("dueLabel")
        self.due.setMinimumWidth(150)
        self.explanation = BasisLabel(parent=self)
        self.explanation.setObjectName("explanation")
        grid = QGridLayout(self)
        grid.addWidget(self.name, 0, 0)
        grid.addWidget(self.timeline, 0, 1)
        grid.addWidget(self.due, 0, 2)
        grid.addWidget(self.explanation, 1, 0, 1, 3)
        grid.setColumnStretch(1, 1)

    def show_clock(self, clock: ClockView, detail: CaseDetail) -> None:
        """Show ``clock``; the investigation clock also shows appraisals and extensions."""
        investigation = is_kind(clock, ClockKind.INVESTIGATION)
        spec = spec_from_clock(
            clock,
            detail.today,
            appraisals=detail.appraisals if investigation else (),
            extensions=detail.extensions if investigation else (),
        )
        self.timeline.set_spec(spec)
        state = clock_state(clock)
        colour = STATE_COLOURS[state][1]
        subject = (
            f"<br/><span style='color:#555555'>{clock.subject}</span>" if clock.subject else ""
        )
        self.name.setText(f"<b>{clock.label}</b>{subject}")
        due = clock.due_text("—")
        extra = f"　{STATE_TEXT[state]}" if state in ("ok", "soon") else ""
        self.due.setText(
            f"届满：<b>{due}</b><br/><span style='color:{colour}'><b>{days_text(clock)}</b>"
            f"{extra}</span>"
        )
        self.explanation.set_basis(clock.explanation, clock.basis)


class ClocksTab(WorkspaceTab):
    """期限 tab: one ``ClockRow`` per clock of the case, and the extensions of 第十七条.

    Owned by the ``CaseWorkspace``; GUI thread only. Due dates, days left and explanations come
    from the services (computed by ``firecase.rules``); this tab only draws them.
    """

    title = "期限"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        cf, case_id = ctx.case_file, ctx.case_id
        self.rows_box = QWidget(self)
        self.rows_layout = QVBoxLayout(self.rows_box)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.addStretch(1)
        self.rows: list[ClockRow] = []
        legend = QLabel(
            "图例：色条为起算日至届满日；<span style='color:#5c6bc0'>▨ 斜线</span>为检验、鉴定"
            "暂停；<span style='color:#6a1b9a'>▶</span>为批准延长；"
            "<span style='color:#d32f2f'>｜</span>为今天。期限自起算日的次日开始计算"
            "（民法典第二百零一条）。",
            self,
        )
        legend.setWordWrap(True)
        legend.setStyleSheet("color: #555555;")
        self.extension_note = BasisLabel(
            "情况复杂疑难的，经人民政府批准可延长调查期限，延长期限累计不超过60日；"
            "只有已批准的延长计入期限。",
            "第十七条",
            style=INFO_STYLE,
            parent=self,
        )
        self.extensions = CrudPanel(
            ctx,
            noun="延期",
            columns=(
                Column("延长日数", lambda e: e.days),
                Column("申请日期", lambda e: e.requested_on),
                Column("理由", lambda e: e.reason),
                Column("批准日期", lambda e: e.approved_on or "待批准"),
                Column("批准机关", lambda e: e.approved_by),
                Column("批准文号", lambda e: e.approval_ref),
                Column("计入情况", extension_status),
            ),
            fields=(
                IntField("days", "延长日数", required=True, minimum=1, maximum=60),
                DateField("requested_on", "申请日期", required=True),
                LongTextField("reason", "延期理由", required=True),
                DateField("approved_on", "批准日期", optional=True, check_text="已批准"),
                ChoiceField(
                    "approved_by",
                    "批准机关",
                    choices=("天门市人民政府",),
                    editable=True,
                    tooltip="延长调查期限须经人民政府批准（第十七条）；提级调查的案件可选上级人民政府",
                ),
                TextField("approval_ref", "批准文号"),
                BoolField(
                    "late_ack",
                    "逾期后批准（批准日期在调查期限届满之后，如实登记，确认后才计入）",
                ),
            ),
            rows=lambda d: d.extensions,
            to_values=extension_values,
            add=lambda vals: deadlines.request_extension(
                cf, case_id, ExtensionInput(**vals), actor=ctx.actor
            ),
            update=lambda e, vals, ver: deadlines.update_extension(
                cf, e.id, ExtensionInput(**vals), expected_version=ver, actor=ctx.actor
            ),
            remove=lambda e, ver: deadlines.remove_extension(
                cf, e.id, expected_version=ver, actor=ctx.actor
            ),
            describe=lambda e: f"延长{e.days}日",
            muted=lambda e: e.approved_on is None or (e.approved_late and not e.late_confirmed_on),
            alert=lambda e: e.approved_late and e.late_confirmed_on is None,
            parent=self,
        )
        self.confirm_late_button = self.extensions.add_action(
            "确认逾期后批准…", "confirmLateExtension", self._on_confirm_late
        )
        clocks = QWidget(self)
        cl = QVBoxLayout(clocks)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(legend)
        rows_area = self.rows_area = scrolled(self.rows_box, clocks)
        # two clocks in view however small the screen (the page scrolls for the extensions)
        rows_area.setMinimumHeight(TWO_CLOCKS)
        cl.addWidget(rows_area, 1)
        ext = QWidget(self)
        el = QVBoxLayout(ext)
        el.setContentsMargins(0, 0, 0, 0)
        el.addWidget(self.extension_note)
        el.addWidget(self.extensions, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(group("各项期限", clocks, parent=split))
        split.addWidget(group("调查期限延长（须经人民政府批准）", ext, parent=split))
        layout = QVBoxLayout(self)
        split.setStretchFactor(0, 4)  # the clocks take the room: all in view
        split.setStretchFactor(1, 1)
        remember(split, "clocks.split", (600, 150))
        layout.addWidget(split)

    def set_detail(self, detail: CaseDetail) -> None:
        """Draw every clock of ``detail`` and list the extensions."""
        while len(self.rows) < len(detail.clocks):
            row = ClockRow(self.rows_box)
            self.rows_layout.insertWidget(len(self.rows), row)
            self.rows.append(row)
        for row, clock in zip(self.rows, detail.clocks, strict=False):
            row.show_clock(clock, detail)
            row.show()
        for row in self.rows[len(detail.clocks) :]:
            row.hide()
        self._keep_two_in_view()
        self.extensions.set_detail(detail)

    def _keep_two_in_view(self) -> None:
        """The clocks' list no lower than its first two rows as laid out at this width."""
        shown = [r for r in self.rows if not r.isHidden()][:2]
        spacing = self.rows_layout.spacing() * max(len(shown) - 1, 0)
        margins = self.rows_layout.contentsMargins()
        need = sum(r.heightForWidth(self.rows_area.viewport().width()) for r in shown)
        need = max(need, sum(r.sizeHint().height() for r in shown))
        self.rows_area.setMinimumHeight(
            max(TWO_CLOCKS, need + spacing + margins.top() + margins.bottom())
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._keep_two_in_view()

    def _on_confirm_late(self, e: ExtensionView | None) -> None:
        if e is None:
            return
        if not e.approved_late or e.late_confirmed_on is not None:
            messages.inform(self, "无需确认", "只有调查期限届满后才批准且尚未确认的延期需要确认。")
            return
        if not messages.confirm(
            self,
            "确认逾期后批准的延期",
            f"延长{e.days}日于{e.approved_on}批准，晚于调查期限届满日。确认后该延长计入调查期限，"
            "期限不再显示为逾期。确认将记入审计记录，确定确认？",
            ok_text="确认计入",
        ):
            return
        ctx = self.ctx
        cf = ctx.case_file
        ctx.run(
            lambda: deadlines.confirm_late_extension(
                cf, e.id, expected_version=e.version, actor=ctx.actor
            ),
            on_success=lambda _r: (ctx.changed(), ctx.reload()),
            label="正在确认逾期后批准的延期…",
        )

    def visible_rows(self) -> list[ClockRow]:
        """The rows showing a clock."""
        return [r for r in self.rows if not r.isHidden()]
