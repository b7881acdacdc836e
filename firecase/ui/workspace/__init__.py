"""The case workspace hook: how the main window opens a case.

Contract between the main window (``firecase.ui.main_window``) and the workspace package:

``open_case_workspace(parent, case_file, case_id) -> QWidget`` builds the widget that shows one
case; the main window puts it in a tab of its workspace area. The widget:

* sets its ``windowTitle()`` (the tab's title, e.g. the case number) — the main window follows
  ``windowTitleChanged``;
* finds the window's worker with ``Worker.for_widget(parent)`` and does every service call
  through it (never on the GUI thread, never holding a session or ORM object);
* may define ``has_unsaved_changes() -> bool`` and ``save() -> None``: Ctrl+S calls ``save``,
  and before the tab or the window closes the main window asks the user when there are unsaved
  changes;
* may define a ``case_changed`` signal, emitted after it saved something: the main window then
  refreshes the case list and the clock board;
* may define ``print_report() -> None`` for Ctrl+P;
* shows every basis as a link handled by ``firecase.ui.dialogs.regulation_viewer.open_regulation``
  (``linkify_basis`` turns "第五条第一项" into such a link).

Until the workspace tabs land, the hook returns ``CaseSummaryView``: a read-only 概况 page built
from ``get_case``.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from firecase.ui.dialogs.regulation_viewer import linkify_basis, open_regulation
from firecase.ui.worker import Worker

if TYPE_CHECKING:
    from firecase.services.dto import CaseDetail
    from firecase.store import CaseFile

__all__ = ["CaseSummaryView", "open_case_workspace"]


def open_case_workspace(parent: QWidget | None, case_file: CaseFile, case_id: int) -> QWidget:
    """The widget that shows case ``case_id`` of ``case_file`` in the main window."""
    return CaseSummaryView(case_file, case_id, parent)


def _yuan(value: object) -> str:
    return f"{value:,} 元"


class CaseSummaryView(QWidget):
    """Read-only 概况 of one case (facts, casualties, decisions with their basis, clocks).

    Owned by the main window's workspace tab; GUI thread only. Reads the case with ``get_case``
    through the window's worker; ``detail_loaded(CaseDetail)`` after each read.
    """

    detail_loaded = Signal(object)
    case_changed = Signal(int)

    def __init__(self, case_file: CaseFile, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case_file = case_file
        self.case_id = case_id
        self.detail: CaseDetail | None = None
        self.setObjectName("caseSummary")
        self.setWindowTitle(f"案件 {case_id}")
        self._worker = Worker.for_widget(parent)
        self.browser = QTextBrowser()
        self.browser.setObjectName("caseSummaryText")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        self.browser.setHtml("<p>正在读取案件…</p>")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self.reload()

    def reload(self) -> None:
        """Read the case again (worker thread) and show it."""
        from firecase.services.cases import get_case

        case_file, case_id = self.case_file, self.case_id
        self._worker.run(
            lambda: get_case(case_file, case_id),
            on_success=self._on_worker_detail_loaded,
            owner=self,
            label="正在读取案件…",
        )

    def _on_worker_detail_loaded(self, detail: CaseDetail) -> None:
        self.detail = detail
        self.setWindowTitle(detail.case.case_no)
        self.browser.setHtml(summary_html(detail))
        self.detail_loaded.emit(detail)

    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        open_regulation(self, url)


def summary_html(d: CaseDetail) -> str:
    """The 概况 page of a case as HTML (every basis a link into the regulation viewer)."""
    c = d.case
    e = html.escape

    def row(label: str, value: str) -> str:
        return f'<tr><td style="color:#555555;" width="140">{e(label)}</td><td>{value}</td></tr>'

    parts = [
        f"<h2>{e(c.case_no)}　{e(c.title)}</h2>",
        f'<p style="color:#555555;">阶段：<b>{e(c.stage)}</b>　'
        f"立案：{c.created_on.isoformat()}（{e(c.created_by)}）</p>",
    ]
    if d.escalation is not None:
        parts.append(
            '<p style="background-color:#ffebee; color:#b71c1c; padding:6px;">'
            f"<b>报请上级：</b>{e(d.escalation.message)}（{linkify_basis(d.escalation.basis)}）</p>"
        )
    if not d.scope.in_scope:
        parts.append(
            '<p style="background-color:#fff4d6; color:#8a5300;">'
            f"<b>不适用本办法：</b>{e(d.scope.reason)}（{linkify_basis(d.scope.basis)}）</p>"
        )
    facts = [
        row("起火时间", e(f"{c.fire_date.isoformat()} {c.fire_time}".strip())),
        row("起火地点", e(c.place + (f"（{c.address}）" if c.address else ""))),
        row("起火单位（场所）", e(c.unit_name or "—")),
        row("火灾类别", e(c.fire_type)),
        row("直接财产损失", e(_yuan(c.property_loss_yuan))),
        row("直接经济损失", e(_yuan(c.economic_loss_yuan))),
        row("死亡 / 重伤", f"{d.deaths} 人 / {d.serious_injuries} 人"),
    ]
    if c.households_affected is not None:
        facts.append(row("受灾户数", str(c.households_affected)))
    parts.append("<h3>基本情况</h3><table cellspacing='4'>" + "".join(facts) + "</table>")
    if c.summary:
        parts.append(f"<p>{e(c.summary)}</p>")
    decisions = []
    if d.grade_decision is not None:
        g = d.grade_decision
        decisions.append(
            row(
                "火灾等级",
                f"<b>{e(g.grade)}</b>（{e(g.standard)}）<br/>{e(g.explanation)}"
                f"<br/>依据：{linkify_basis(g.basis)}",
            )
        )
    if d.inclusion is not None:
        i = d.inclusion
        verdict = "纳入调查处理范围" if i.included else "不纳入调查处理范围"
        decisions.append(row("纳入调查", f"<b>{verdict}</b><br/>{linkify_basis(i.explanation)}"))
    decisions.append(row("调查权限", linkify_basis(d.jurisdiction)))
    parts.append("<h3>认定</h3><table cellspacing='4'>" + "".join(decisions) + "</table>")
    if d.clocks:
        parts.append("<h3>期限</h3><table cellspacing='4'>")
        for k in d.clocks:
            due = k.due.isoformat() if k.due else "无法计算"
            color = "#b71c1c" if k.overdue else "#222222"
            parts.append(
                row(
                    k.label,
                    f'<span style="color:{color};"><b>{due}</b>　{e(k.status)}</span>'
                    f"<br/>{e(k.explanation)}<br/>依据：{linkify_basis(k.basis)}",
                )
            )
        parts.append("</table>")
    return "\n".join(parts)
