"""Each workspace tab driven through its widgets on a real case file: type, click, save, reopen
the file, see the data, on a copy of the demo case file."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import QPushButton
from test_workspace_support import answer_next_box, find_button, type_text

from firecase.services import cases, reading
from firecase.services.dto import IncidentInput, Relative
from firecase.store import open_case_file
from firecase.ui.worker import Worker
from firecase.ui.workspace import open_case_workspace
from firecase.ui.workspace.crud import MUTED, ConflictDialog, CrudPanel, RecordDialog
from firecase.ui.workspace.workspace import CaseWorkspace

INVESTIGATING, EVALUATING = 0, 1  # the two demo cases


class Harness:
    """Opens a workspace on the demo file, and reopens the file to check what was saved."""

    def __init__(self, qtbot: Any, path: Path) -> None:
        self.qtbot = qtbot
        self.path = path
        self.cf: Any = None
        self.ws: CaseWorkspace | None = None
        self.worker: Worker | None = None

    def open(self, which: int) -> CaseWorkspace:
        self.close()
        self.cf = open_case_file(self.path, user="测试员")
        ids = [r.id for r in reading.list_cases(self.cf).rows]
        case_id = sorted(ids)[which]
        self.worker = Worker()
        ws = CaseWorkspace(self.cf, case_id, worker=self.worker)
        # closed and deleted by close(), not by qtbot (reopen replaces it mid-test)
        ws.resize(1400, 900)
        ws.show()
        self.qtbot.waitUntil(lambda: ws.detail is not None, timeout=15000)
        self.idle()
        self.ws = ws
        return ws

    def reopen(self) -> CaseWorkspace:
        """Close everything and open the case file again (what a restart would show)."""
        assert self.ws is not None
        which = sorted(r.id for r in reading.list_cases(self.cf).rows).index(self.ws.case_id)
        return self.open(which)

    def idle(self) -> None:
        assert self.worker is not None or self.ws is not None
        worker = self.worker
        self.qtbot.waitUntil(lambda: not worker.busy, timeout=15000)

    def close(self) -> None:
        if self.ws is not None:
            self.idle()
            self.ws.discard_changes()
            self.ws.close()
            self.ws.deleteLater()
            self.ws = None
        if self.worker is not None:
            self.worker.wait()
        if self.cf is not None:
            self.cf.close()
            self.cf = None


TODAY = dt.date(2026, 6, 1)  # the demo is written as of this day


@pytest.fixture(scope="module")
def workspace_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case file with the demo cases, written once per module (each test copies it)."""
    from firecase.samples.demo import write_demo

    path = tmp_path_factory.mktemp("workspace-demo") / "demo.sqlite"
    with open_case_file(path, user="演示") as cf:
        write_demo(cf, today=TODAY)
    return path


@pytest.fixture
def demo_path(workspace_demo: Path, tmp_path: Path) -> Path:
    """A private copy of the demo case file."""
    import sqlite3

    target = tmp_path / "cases.sqlite"
    src, dst = sqlite3.connect(workspace_demo), sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


@pytest.fixture
def harness(qtbot: Any, demo_path: Path) -> Iterator[Harness]:
    from firecase.ui.app import setup_application

    setup_application()
    h = Harness(qtbot, demo_path)
    yield h
    h.close()


def save_dialog(h: Harness, dialog: RecordDialog) -> None:
    """Click 保存 and wait until the dialog closed and the case was read again."""
    h.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    h.qtbot.waitUntil(
        lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=10000
    )
    h.idle()


def texts(panel: CrudPanel, column: int) -> list[str]:
    m = panel.model
    return [m.data(m.index(r, column)) for r in range(m.rowCount())]


def test_hook_builds_the_workspace(qtbot: Any, demo_path: Path) -> None:
    cf = open_case_file(demo_path)
    try:
        worker = Worker()
        parent = Worker.for_widget(None)
        assert parent is not None
        ws = open_case_workspace(None, cf, sorted(r.id for r in reading.list_cases(cf).rows)[0])
        qtbot.addWidget(ws)
        assert isinstance(ws, CaseWorkspace)
        qtbot.waitUntil(lambda: ws.detail is not None, timeout=15000)
        assert ws.windowTitle() == ws.detail.case.case_no
        assert [ws.tabs.tabText(i) for i in range(ws.tabs.count())] == [
            "概况", "调查组", "回避", "当事人", "证据与鉴定", "期限",
            "调查报告", "处理建议", "批复与处理", "公开", "评估",
        ]  # fmt: skip
        qtbot.waitUntil(lambda: not Worker.for_widget(None).busy, timeout=15000)
        worker.deleteLater()
    finally:
        Worker.for_widget(None).wait()
        cf.close()


def test_overview_facts_and_casualty_update(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("概况")
    form = tab.facts.form
    place = form.editor("place")
    place.clear()
    type_text(place, "天门市竟陵街道东湖社区（更正）")
    assert tab.has_unsaved_changes()
    harness.qtbot.mouseClick(tab.facts.save_button, Qt.MouseButton.LeftButton)
    harness.idle()
    assert not tab.has_unsaved_changes()
    dialog = tab.casualties.open_add()
    # a death within the 2025 standard's 30 days counts as a death (SPEC R1)
    dialog.form.set_values({"as_of": ws.detail.case.fire_date + dt.timedelta(days=20)})
    type_text(dialog.form.editor("deaths"), "2")
    type_text(dialog.form.editor("serious_injuries"), "1")
    type_text(dialog.form.editor("note"), "医院通报新增死亡1人")
    save_dialog(harness, dialog)

    ws = harness.reopen()
    tab = ws.tab("概况")
    assert tab.facts.form.editor("place").text() == "天门市竟陵街道东湖社区（更正）"
    assert "医院通报新增死亡1人" in texts(tab.casualties, 6)
    assert ws.detail.deaths == 2
    assert "第二十五条" in tab.grade.plain
    assert tab.grade_model.rowCount() >= 1


def test_escalation_is_visible_right_after_saving_the_update(harness: Harness) -> None:
    """第四条: a death dated within 7 days that takes the fire beyond the city shows the alert
    in the tab, the header and the warning as soon as the update is saved (no reopening)."""
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("概况")
    assert tab.escalation.isHidden()
    fire = ws.detail.case.fire_date
    dialog = tab.casualties.open_add()
    dialog.form.set_values({"as_of": fire + dt.timedelta(days=3)})
    type_text(dialog.form.editor("deaths"), "12")
    type_text(dialog.form.editor("serious_injuries"), "0")
    save_dialog(harness, dialog)
    harness.qtbot.waitUntil(lambda: not tab.escalation.isHidden(), timeout=10000)
    assert "报请上级人民政府" in tab.escalation.plain
    assert "由一般火灾升为重大火灾" in tab.escalation.plain
    assert "应报请上级人民政府" in ws.header.text()
    assert "上级人民政府" in tab.jurisdiction.plain
    assert "本办法的期限不适用" in tab.scope.plain
    assert ws.detail.casualty_updates[-1].recorded_on == ws.detail.today
    assert ws.detail.casualty_updates[-1].as_of == fire + dt.timedelta(days=3)

    # 提级调查 in 概况: who took over and when; the case then names them, the alert is answered
    form = tab.takeover.form
    type_text(form.editor("taken_over_by"), "天门市消防救援大队")
    harness.qtbot.keyClicks(form.editor("taken_over_on").line_edit, ws.detail.today.isoformat())
    assert tab.takeover.save_button.isEnabled()
    harness.qtbot.mouseClick(tab.takeover.save_button, Qt.MouseButton.LeftButton)
    harness.idle()
    assert "上级人民政府" in form.errors["taken_over_by"].text()
    form.editor("taken_over_by").clear()
    type_text(form.editor("taken_over_by"), "湖北省人民政府")
    harness.qtbot.mouseClick(tab.takeover.save_button, Qt.MouseButton.LeftButton)
    harness.idle()
    harness.qtbot.waitUntil(lambda: tab.escalation.isHidden(), timeout=10000)
    assert "湖北省人民政府" in tab.jurisdiction.plain and "提级调查" in tab.jurisdiction.plain
    assert "湖北省人民政府提级调查" in ws.header.text()
    # the demo's investigation period had run out before the takeover: it ends on the takeover
    # day, late, and stays on record (the days overdue before it are the city's)
    (inv,) = [c for c in ws.detail.clocks if c.label == "调查期限"]
    assert inv.done_on == ws.detail.today and inv.late_days > 0 and not inv.overdue
    assert "提级调查" in inv.explanation


def test_a_death_after_the_window_counts_as_serious_injury_with_the_citation(
    harness: Harness,
) -> None:
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("概况")
    fire = ws.detail.case.fire_date
    dialog = tab.casualties.open_add()
    dialog.form.set_values({"as_of": fire + dt.timedelta(days=40)})
    type_text(dialog.form.editor("deaths"), "3")
    type_text(dialog.form.editor("serious_injuries"), "0")
    save_dialog(harness, dialog)
    assert ws.detail.case.grade == "一般"
    assert tab.escalation.isHidden()
    assert "按重伤统计" in tab.warnings.plain and "火灾统计管理规定" in tab.warnings.plain
    assert "计死亡1人" in tab.grade.plain


def test_overview_refuses_bad_money_beside_the_field(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("概况")
    loss = tab.facts.form.editor("economic_loss_yuan")
    loss.clear()
    harness.qtbot.keyClicks(loss, "12.345")
    harness.qtbot.mouseClick(tab.facts.save_button, Qt.MouseButton.LeftButton)
    assert (
        tab.facts.form.errors["economic_loss_yuan"].text()
        == "直接经济损失（元）最多保留两位小数（到分）。"
    )
    assert tab.has_unsaved_changes()


def test_team_member_subgroup_and_warning_acknowledgement(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("调查组")
    dialog = tab.members.open_add()
    form = dialog.form
    type_text(form.editor("name"), "钱多多")
    type_text(form.editor("organisation"), "天门市市场监督管理局")
    form.set_values({"body": "行业主管部门", "role": "成员", "joined_on": ws.detail.today})
    relatives = form.editor("relatives")
    harness.qtbot.mouseClick(relatives.add_button, Qt.MouseButton.LeftButton)
    name, relation = relatives.rows()[0]
    type_text(name, "钱小小")
    type_text(relation, "妹")
    save_dialog(harness, dialog)
    assert "钱多多" in texts(tab.members, 0)

    ws.tabs.setCurrentWidget(tab)
    harness.qtbot.mouseClick(find_button(tab, "template_管理组"), Qt.MouseButton.LeftButton)
    dialog = tab.subgroups.dialog
    assert dialog is not None
    duties = dialog.form.editor("duties").toPlainText()
    assert "查明事故发生单位的基本情况" in duties and "第十二条" in duties
    dialog.form.editor("name").setEditText("专项管理二组")
    save_dialog(harness, dialog)

    assert tab.warnings, "the demo team has a composition warning"
    tab.warning_list.setCurrentRow(0)
    harness.qtbot.mouseClick(tab.ack_button, Qt.MouseButton.LeftButton)
    harness.idle()
    assert "确认知悉" in tab.warning_list.item(0).text()

    ws = harness.reopen()
    tab = ws.tab("调查组")
    harness.idle()
    assert "钱多多" in texts(tab.members, 0)
    added = next(m for m in ws.detail.members if m.name == "钱多多")
    assert added.relatives == ("钱小小（妹）",)
    assert "专项管理二组" in texts(tab.subgroups, 0)
    assert "已由测试员于" in tab.warning_list.item(0).text()


def test_team_setup_records_the_founding_document_and_body(harness: Harness) -> None:
    """组建信息: 成立文件文号 typed, 组建机关 offered by 第四条 (the fire agency, authorised in
    the demo case) and following the authorisation; saved, shown, read back after a reopen."""
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("调查组")
    ws.tabs.setCurrentWidget(tab)
    harness.qtbot.mouseClick(tab.setup_button, Qt.MouseButton.LeftButton)
    harness.idle()
    dialog = tab.setup_dialog
    assert dialog is not None and dialog.isVisible()
    form = dialog.form
    body = form.editor("formed_by")
    assert body.currentText() == "天门市消防救援大队"
    assert "按第四条默认：天门市消防救援大队" in form.notes["formed_by"].text()
    form.editor("authorised_fire_agency").setChecked(False)
    assert body.currentText() == "天门市人民政府"
    form.editor("authorised_fire_agency").setChecked(True)
    assert body.currentText() == "天门市消防救援大队"
    # too long a number: refused at the field by the service, the dialog stays open
    form.editor("document_no").setText("号" * 60)
    type_text(form.editor("document_no"), "号" * 5)
    harness.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    harness.idle()
    assert dialog.isVisible()
    assert "成立文件文号过长（最多64个字）" in form.errors["document_no"].text()
    form.editor("document_no").clear()
    type_text(form.editor("document_no"), "天政办函〔2026〕12号")
    body.setEditText("天门市消防救援支队")
    save_dialog(harness, dialog)
    c = ws.detail.case
    assert (c.team_document_no, c.team_formed_by) == ("天政办函〔2026〕12号", "天门市消防救援支队")
    assert "天门市消防救援支队组建" in tab.setup_label.plain
    assert "天政办函〔2026〕12号" in tab.setup_label.plain
    ws = harness.reopen()
    assert ws.detail.case.team_document_no == "天政办函〔2026〕12号"


def test_a_new_member_joins_on_the_team_s_founding_date(harness: Harness) -> None:
    import dataclasses

    ws = harness.open(INVESTIGATING)
    tab = ws.tab("调查组")
    formed = ws.detail.case.team_formed_on
    assert formed is not None and formed != ws.detail.today
    dialog = tab.members.open_add()
    assert dialog.form.editor("joined_on").value() == formed
    note = dialog.form.notes["joined_on"].text()
    assert note == f"默认取调查组成立日期（{formed.isoformat()}）。"
    type_text(dialog.form.editor("name"), "钱多多")
    type_text(dialog.form.editor("organisation"), "天门市市场监督管理局")
    save_dialog(harness, dialog)
    added = next(m for m in ws.detail.members if m.name == "钱多多")
    assert added.joined_on == formed
    # no founding date yet: today, and the field says so
    detail = ws.detail
    tab.ctx.detail = dataclasses.replace(
        detail, case=dataclasses.replace(detail.case, team_formed_on=None)
    )
    dialog = tab.members.open_add()
    today = dialog.form.editor("joined_on").value()
    assert today == tab.ctx.today()
    assert "尚未登记成立日期" in dialog.form.notes["joined_on"].text()
    assert "暂取今天" in dialog.form.notes["joined_on"].text()
    dialog.form.mark_clean()
    dialog.reject()
    tab.ctx.detail = detail


def test_evidence_number_proposed_per_kind_and_a_used_one_refused(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("证据与鉴定")
    used = {e.code for e in ws.detail.evidence}
    dialog = tab.evidence.open_add()
    harness.idle()
    form = dialog.form
    code = form.editor("code")
    assert code.text() == "物证-001" and "物证-001" not in used
    assert "设置 → 证据编号" in form.notes["code"].text()
    form.set_values({"kind": "书证", "collected_on": ws.detail.today})
    form.editor("kind").setCurrentText("视听资料")
    assert code.text() == "视听资料-001"
    # the officer's own number is kept when the kind changes
    code.setText(sorted(used)[0])
    code.textEdited.emit(code.text())
    form.editor("kind").setCurrentText("物证")
    assert code.text() == sorted(used)[0]
    type_text(form.editor("name"), "监控录像")
    type_text(form.editor("collected_by"), "刘志强")
    harness.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    harness.idle()
    assert dialog.isVisible()
    assert f"本案已有证据编号“{sorted(used)[0]}”" in form.errors["code"].text()
    assert "下一个可用的物证编号为“物证-001”" in form.errors["code"].text()
    code.setText("物证-001")
    code.textEdited.emit(code.text())
    save_dialog(harness, dialog)
    assert "物证-001" in {e.code for e in ws.detail.evidence}
    dialog = tab.evidence.open_add()
    harness.idle()
    assert dialog.form.editor("code").text() == "物证-002"
    dialog.form.mark_clean()
    dialog.reject()


def test_recusal_decision_greys_the_member_out(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("回避")
    member = next(m for m in ws.detail.members if m.active and m.role == "成员")
    dialog = tab.applications.open_add()
    dialog.form.set_values(
        {
            "member_id": member.id,
            "applicant_kind": "当事人",
            "ground": 3,
            "applied_on": ws.detail.today,
        }
    )
    type_text(dialog.form.editor("applicant"), "吴海涛")
    type_text(dialog.form.editor("reason"), "与该成员存在债务纠纷")
    save_dialog(harness, dialog)
    row = texts(tab.applications, 3).index("与该成员存在债务纠纷")
    assert texts(tab.applications, 2)[row] == "第十五条第三项"
    tab.applications.view.selectRow(row)
    harness.qtbot.mouseClick(tab.decide_button, Qt.MouseButton.LeftButton)
    decision = tab.decision_dialog
    assert decision is not None
    decision.form.set_values({"decision": "批准", "decided_on": ws.detail.today})
    decider = decision.form.editor("decided_by_member_id")
    assert decider.currentText() == "周建国（组长）"
    type_text(decision.form.editor("reason"), "存在可能影响公正调查的债务关系")
    save_dialog(harness, decision)

    ws = harness.reopen()
    tab = ws.tab("回避")
    model = tab.roster_model
    row = next(r for r in range(model.rowCount()) if model.data(model.index(r, 0)) == member.name)
    assert model.data(model.index(row, 0), Qt.ItemDataRole.ForegroundRole).color() == MUTED
    assert model.data(model.index(row, 3)).startswith("已回避")
    assert "批准" in texts(tab.applications, 5)
    assert "第十五条" in tab.intro.plain


def test_parties_add_filter_edit(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("当事人")
    dialog = tab.panel.open_add()
    dialog.form.set_values({"kind": "单位", "role": "利害关系人"})
    type_text(dialog.form.editor("name"), "天门市竟陵顺达电动车行")
    type_text(dialog.form.editor("contact"), "0728-1234567")
    save_dialog(harness, dialog)
    tab.filter.setCurrentText("个人")
    assert "天门市竟陵顺达电动车行" not in texts(tab.panel, 1)
    tab.filter.setCurrentText("单位")
    assert "天门市竟陵顺达电动车行" in texts(tab.panel, 1)
    tab.panel.select_id(next(p.id for p in ws.detail.parties if p.name == "天门市竟陵顺达电动车行"))
    edit = tab.panel.open_edit(tab.panel.selected())
    assert edit is not None
    type_text(edit.form.editor("note"), "车辆销售方")
    save_dialog(harness, edit)

    ws = harness.reopen()
    party = next(p for p in ws.detail.parties if p.name == "天门市竟陵顺达电动车行")
    assert (party.kind, party.role, party.note) == ("单位", "利害关系人", "车辆销售方")
    assert "天门市竟陵顺达电动车行" in texts(ws.tab("当事人").panel, 1)


def test_evidence_custody_attachment_and_appraisal(harness: Harness, tmp_path: Path) -> None:
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("证据与鉴定")
    today = ws.detail.today
    dialog = tab.evidence.open_add()
    dialog.form.set_values({"kind": "物证", "collected_on": today})
    harness.idle()  # the proposed number arrived; the officer types their own over it
    dialog.form.editor("code").clear()
    harness.qtbot.keyClicks(dialog.form.editor("code"), "WZ-009")
    type_text(dialog.form.editor("name"), "充电器残骸")
    type_text(dialog.form.editor("collected_by"), "刘志强")
    save_dialog(harness, dialog)
    assert tab.evidence.selected().code == "WZ-009"
    harness.qtbot.mouseClick(tab.custody_button, Qt.MouseButton.LeftButton)
    custody = tab.custody_dialog
    custody.form.set_values({"action": "送检", "on": today})
    type_text(custody.form.editor("to_holder"), "应急管理部天津消防研究所")
    save_dialog(harness, custody)
    assert tab.custody_model.rowCount() == 1
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff fake jpeg bytes")
    tab.evidence.select_id(tab.evidence.selected().id)
    tab.attach_file(str(photo))
    harness.idle()
    digest = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert digest in [
        tab.attachment_model.rows()[r].sha256 for r in range(tab.attachment_model.rowCount())
    ]

    dialog = tab.appraisals.open_add()
    dialog.form.set_values({"kind": "鉴定", "commissioned_on": today})
    type_text(dialog.form.editor("subject"), "充电器电路板")
    type_text(dialog.form.editor("agency"), "湖北省消防救援总队火灾物证鉴定中心")
    save_dialog(harness, dialog)
    assert "调查期限暂停计算" in tab.pause_note.plain
    assert "第十七条第二款" in tab.pause_note.plain

    ws = harness.reopen()
    tab = ws.tab("证据与鉴定")
    item = next(e for e in ws.detail.evidence if e.code == "WZ-009")
    assert [c.to_holder for c in item.custody] == ["应急管理部天津消防研究所"]
    assert [a.sha256 for a in item.attachments] == [digest]
    assert "充电器电路板" in texts(tab.appraisals, 1)
    tab.appraisals.select_id(
        next(a.id for a in ws.detail.appraisals if a.subject == "充电器电路板")
    )
    harness.qtbot.mouseClick(
        find_button(tab.appraisals, "closeAppraisalButton"), Qt.MouseButton.LeftButton
    )
    opinion = tab.opinion_dialog
    type_text(opinion.form.editor("opinion"), "电路板存在短路熔痕")
    save_dialog(harness, opinion)
    ws = harness.reopen()
    appraisal = next(a for a in ws.detail.appraisals if a.subject == "充电器电路板")
    assert appraisal.opinion == "电路板存在短路熔痕" and appraisal.opinion_on == today


def test_clocks_draw_every_clock_and_extensions_are_marked(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("期限")
    ws.tabs.setCurrentWidget(tab)
    rows = tab.visible_rows()
    assert len(rows) == len(ws.detail.clocks) >= 2
    for row, clock in zip(rows, ws.detail.clocks, strict=True):
        assert row.timeline.spec is not None and row.timeline.spec.due == clock.due
        assert clock.explanation[:10] in row.explanation.plain
        row.timeline.grab()
    before = len(rows[1].timeline.spec.marks)
    dialog = tab.extensions.open_add()
    harness.qtbot.keyClicks(dialog.form.editor("days"), "70")
    type_text(dialog.form.editor("reason"), "尸检结果未出")
    dialog.form.set_values({"requested_on": ws.detail.today})
    harness.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.form.errors["days"].text() == "延长日数不能大于60。"
    dialog.form.editor("days").setText("10")
    dialog.form.editor("approved_on").set_value(ws.detail.today)
    dialog.form.editor("approved_by").setEditText("天门市消防救援大队")
    harness.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    harness.idle()
    assert "须经人民政府批准" in dialog.form.errors["approved_by"].text()
    dialog.form.editor("approved_by").setEditText("天门市人民政府")
    harness.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    harness.idle()
    # today is long after the period ran out (第十七条): refused, never silently revived
    assert "晚于调查期限届满日" in dialog.form.errors["approved_on"].text()
    assert dialog.form.errors["approved_by"].isHidden()
    dialog.form.editor("late_ack").setChecked(True)
    save_dialog(harness, dialog)

    ws = harness.reopen()
    tab = ws.tab("期限")
    investigation = next(r for r in tab.visible_rows() if "调查期限" in r.name.text())
    assert len(investigation.timeline.spec.marks) == before  # not counted before confirmed
    assert "尸检结果未出" in texts(tab.extensions, 2)
    assert texts(tab.extensions, 6)[-1] == "逾期后批准（待确认，未计入）"
    tab.extensions.select_id(ws.detail.extensions[-1].id)
    seen: list[str] = []
    answer_next_box("确认计入", seen)
    harness.qtbot.mouseClick(tab.confirm_late_button, Qt.MouseButton.LeftButton)
    harness.idle()
    assert "晚于调查期限届满日" in seen[0]
    ws = harness.reopen()
    tab = ws.tab("期限")
    investigation = next(r for r in tab.visible_rows() if "调查期限" in r.name.text())
    assert len(investigation.timeline.spec.marks) == before + 1
    assert "延长10日" in investigation.timeline.toolTip()
    assert texts(tab.extensions, 6)[-1].startswith("逾期后批准（")


def test_report_sections_prompt_on_switch_and_keep_formatting(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("调查报告")
    ws.tabs.setCurrentWidget(tab)
    tab.section_list.setCurrentRow(7)
    editor = tab.sections[7]
    editor.editor.clear()
    type_text(editor.editor, "火灾发生后相关部门开展了排查整治。")
    cursor = editor.editor.textCursor()
    cursor.select(QTextCursor.SelectionType.Document)
    editor.editor.setTextCursor(cursor)
    harness.qtbot.mouseClick(find_button(editor, "format_加粗"), Qt.MouseButton.LeftButton)
    assert tab.has_unsaved_changes()
    assert tab.section_list.item(7).text().startswith("＊")
    seen: list[str] = []
    answer_next_box("saveButton", seen)
    ws.tabs.setCurrentWidget(ws.tab("概况"))  # switching away asks, "保存" saves
    assert seen and "尚未保存" in seen[0]
    harness.idle()
    assert not tab.has_unsaved_changes()

    # findings in the four areas, causes and dissent
    dialog = tab.findings.open_add()
    dialog.form.set_values({"area": "消防产品质量责任"})
    type_text(dialog.form.editor("subject"), "某电动车充电器生产商")
    type_text(dialog.form.editor("text"), "充电器无过充保护")
    save_dialog(harness, dialog)
    dialog = tab.dissents.open_add()
    dialog.form.set_values({"recorded_on": ws.detail.today})
    type_text(dialog.form.editor("text"), "对间接原因的表述有保留意见")
    save_dialog(harness, dialog)

    ws = harness.reopen()
    tab = ws.tab("调查报告")
    assert ws.detail.report_sections[7].body == "**火灾发生后相关部门开展了排查整治。**"
    html = tab.sections[7].editor.toHtml()
    assert "font-weight" in html and "火灾发生后" in html
    assert "某电动车充电器生产商" in texts(tab.findings, 1)
    assert "对间接原因的表述有保留意见" in texts(tab.dissents, 2)
    assert "（三）消防产品质量责任：" in tab.area_summary.plain


def test_report_switch_away_can_keep_editing(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("调查报告")
    ws.tabs.setCurrentWidget(tab)
    type_text(tab.sections[0].editor, "补充：")
    answer_next_box("continueButton")
    ws.tabs.setCurrentWidget(ws.tab("期限"))
    assert ws.tabs.currentWidget() is tab  # "继续编辑" stays on the report
    assert "补充：" in tab.sections[0].editor.toPlainText()
    seen: list[str] = []
    answer_next_box("continueButton", seen)
    decided: list[bool] = []
    ws.confirm_close(decided.append)  # closing asks too
    assert seen and decided == [False]
    answer_next_box("discardButton")
    ws.confirm_close(decided.append)
    assert decided == [False, True] and not ws.has_unsaved_changes()


def test_recommendations_feedback_filing_and_transfer(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("处理建议")
    dialog = tab.panel.open_add()
    dialog.form.set_values({"target_kind": "个人", "area": "使用管理责任", "kind": "移送司法机关"})
    type_text(dialog.form.editor("target_name"), "吴某某")
    type_text(dialog.form.editor("basis"), "《刑法》第一百三十六条")
    type_text(dialog.form.editor("authority"), "天门市公安局")
    save_dialog(harness, dialog)
    row = texts(tab.panel, 0).index("吴某某（个人）")
    color = tab.panel.model.data(tab.panel.model.index(row, 0), Qt.ItemDataRole.ForegroundRole)
    assert color.color() == QColor("#b3261e")  # transfer not yet recorded
    tab.panel.view.selectRow(row)
    harness.qtbot.mouseClick(find_button(tab.panel, "feedbackButton"), Qt.MouseButton.LeftButton)
    fb = tab.feedback_dialog
    today = ws.detail.today
    fb.form.set_values({"transferred_on": today, "filed_on": today, "feedback_on": today})
    type_text(fb.form.editor("transferred_to"), "天门市公安局")
    type_text(fb.form.editor("feedback"), "已立案侦查")
    save_dialog(harness, fb)

    ws = harness.reopen()
    tab = ws.tab("处理建议")
    row = texts(tab.panel, 0).index("吴某某（个人）")
    assert texts(tab.panel, 5)[row].startswith("已备案")
    assert "已移送天门市公安局" in texts(tab.panel, 5)[row]


def test_reply_milestones_and_handling_tasks(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("批复与处理")
    fire = ws.detail.case.fire_date
    today = ws.detail.today
    for key, day in (
        ("report_submitted_on", fire + dt.timedelta(days=40)),
        ("report_received_on", fire + dt.timedelta(days=41)),
    ):
        harness.qtbot.mouseClick(tab.milestone_buttons[key], Qt.MouseButton.LeftButton)
        dialog = tab.milestone_dialog
        dialog.form.set_values({key: min(day, today)})
        if key == "report_submitted_on":  # signed after it was submitted: refused at the field
            dialog.form.set_values({"report_signed_on": min(day, today) + dt.timedelta(days=1)})
            harness.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
            harness.idle()
            assert "报告签署日期" in dialog.form.errors["report_signed_on"].text()
            dialog.form.set_values({"report_signed_on": min(day, today) - dt.timedelta(days=1)})
        save_dialog(harness, dialog)
    signed = (min(fire + dt.timedelta(days=40), today) - dt.timedelta(days=1)).isoformat()
    assert f"{signed}签署" in tab.milestone_labels["report_submitted_on"].text()
    assert tab.reply_clock.isVisibleTo(tab)
    assert "第十九条" in tab.reply_clock.explanation.plain
    harness.qtbot.mouseClick(tab.milestone_buttons["reply_on"], Qt.MouseButton.LeftButton)
    dialog = tab.milestone_dialog
    dialog.form.set_values({"reply_on": min(fire + dt.timedelta(days=50), today)})
    harness.qtbot.keyClicks(dialog.form.editor("reply_ref"), "TZH-2026-12")
    save_dialog(harness, dialog)
    dialog = tab.tasks.open_add()
    type_text(dialog.form.editor("department"), "天门市住房和城乡建设局")
    type_text(dialog.form.editor("task"), "对违法加建问题立案查处")
    save_dialog(harness, dialog)

    ws = harness.reopen()
    tab = ws.tab("批复与处理")
    assert (
        tab.milestone_labels["reply_on"]
        .text()
        .startswith(min(fire + dt.timedelta(days=50), today).isoformat())
    )
    row = texts(tab.tasks, 0).index("天门市住房和城乡建设局")
    due = texts(tab.tasks, 3)[row]
    assert due != "批复后起算" and "日" in due


def test_a_late_reply_shows_as_done_late_on_the_clock(harness: Harness) -> None:
    """批复 recorded after its due date: the 期限 tab and the clock board say how late."""
    from firecase.ui.models.clock_board import days_left_text, done_text, status_text

    ws = harness.open(EVALUATING)
    reply = next(c for c in ws.detail.clocks if c.label == "批复期限")
    assert reply.due is not None and reply.late_days == 0
    late_on = reply.due + dt.timedelta(days=5)
    tab = ws.tab("批复与处理")
    ws.tabs.setCurrentWidget(tab)
    harness.qtbot.mouseClick(tab.milestone_buttons["reply_on"], Qt.MouseButton.LeftButton)
    dialog = tab.milestone_dialog
    dialog.form.set_values({"reply_on": late_on})
    save_dialog(harness, dialog)

    ws = harness.reopen()
    reply = next(c for c in ws.detail.clocks if c.label == "批复期限")
    assert reply.done_on == late_on and reply.late_days == 5
    tab = ws.tab("期限")
    ws.tabs.setCurrentWidget(tab)
    row = next(r for r in tab.visible_rows() if "批复期限" in r.name.text())
    assert f"逾期5日完成（{late_on.isoformat()}）" in row.due.text()
    assert row.timeline.spec is not None and row.timeline.spec.state == "done_late"
    assert "逾期完成" in row.timeline.toolTip()
    window = next(r for r in tab.visible_rows() if "等级变化报告期" in r.name.text())
    assert "已届满（" in window.due.text()  # the 7-day window closes; nothing was "done"
    assert days_left_text(reply) == "逾期5天完成" and status_text(reply) == "逾期完成"
    assert done_text(reply) == f"{late_on.isoformat()} 完成，晚于届满日5天"
    on_time = next(c for c in ws.detail.clocks if c.label == "调查期限")
    assert on_time.late_days == 0 and days_left_text(on_time) == "按期完成"
    assert status_text(on_time) == "已完成" and "未超过届满日" in done_text(on_time)


def test_publication_record_and_confidential_name(harness: Harness) -> None:
    ws = harness.open(EVALUATING)
    tab = ws.tab("公开")
    ws.tabs.setCurrentWidget(tab)
    harness.idle()
    form = tab.release.form
    form.editor("note").setPlainText("同步在政务新媒体转发")
    form.edited.emit()
    harness.qtbot.mouseClick(tab.release.save_button, Qt.MouseButton.LeftButton)
    harness.idle()
    party = next(
        p
        for p in ws.detail.parties
        if p.kind == "个人"
        and f"party:{p.id}.name" not in {r.field_key for r in ws.detail.publication.redactions}
    )
    item = tab.item_for(f"party:{party.id}.name")
    assert item is not None
    item.setCheckState(0, Qt.CheckState.Checked)
    prompt = tab.reason_prompt
    assert prompt is not None
    prompt.reason.setText("涉及个人隐私")
    prompt.accept()
    harness.idle()

    ws = harness.reopen()
    tab = ws.tab("公开")
    harness.idle()
    assert tab.release.form.editor("note").toPlainText() == "同步在政务新媒体转发"
    item = tab.item_for(f"party:{party.id}.name")
    assert item.checkState(0) == Qt.CheckState.Checked and item.text(1) == "涉及个人隐私"
    assert party.name not in tab.preview.toPlainText()


def test_evaluation_overdue_measure_alert_and_group_form(harness: Harness) -> None:
    ws = harness.open(EVALUATING)
    tab = ws.tab("评估")
    today = ws.detail.today
    dialog = tab.measures.open_add()
    type_text(dialog.form.editor("text"), "完成园区消防通道整治")
    type_text(dialog.form.editor("responsible"), "天门市交通运输局")
    dialog.form.set_values({"set_on": today - dt.timedelta(days=40), "status": "未落实"})
    dialog.form.editor("deadline").set_value(today - dt.timedelta(days=10))
    save_dialog(harness, dialog)
    assert "天门市交通运输局" in tab.overdue.plain and "第二十四条" in tab.overdue.plain
    form = tab.group_form.form
    form.editor("opinion").clear()  # the demo's evaluation already has an opinion
    type_text(form.editor("opinion"), "建议将整改情况纳入年度考核。")
    harness.qtbot.mouseClick(tab.group_form.save_button, Qt.MouseButton.LeftButton)
    harness.idle()
    dialog = tab.items.open_add()
    dialog.form.set_values({"kind": "整改措施", "result": "未落实", "checked_on": today})
    type_text(dialog.form.editor("subject"), "园区消防通道整治")
    save_dialog(harness, dialog)

    ws = harness.reopen()
    tab = ws.tab("评估")
    assert ws.detail.evaluation.opinion.endswith("建议将整改情况纳入年度考核。")
    row = texts(tab.measures, 1).index("天门市交通运输局")
    color = tab.measures.model.data(
        tab.measures.model.index(row, 0), Qt.ItemDataRole.ForegroundRole
    )
    assert color.color() == QColor("#b3261e")
    assert "逾期" in texts(tab.measures, 3)[row]
    assert "园区消防通道整治" in texts(tab.items, 1)
    assert "评估期限" in tab.deadline.plain


def test_stale_version_conflict_dialog_then_overwrite(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("概况")
    summary = ws.detail.case
    # another window saves first
    cases.update_incident(
        harness.cf,
        summary.id,
        IncidentInput(
            title=summary.title,
            fire_date=summary.fire_date,
            place="别处改的地点",
            fire_type=summary.fire_type,
            property_loss_yuan=summary.property_loss_yuan,
            economic_loss_yuan=summary.economic_loss_yuan,
            fire_time=summary.fire_time,
            address=summary.address,
            unit_name=summary.unit_name,
            households_affected=summary.households_affected,
            summary=summary.summary,
        ),
        expected_version=summary.version,
    )
    place = tab.facts.form.editor("place")
    place.clear()
    type_text(place, "我改的地点")
    harness.qtbot.mouseClick(tab.facts.save_button, Qt.MouseButton.LeftButton)
    harness.qtbot.waitUntil(lambda: tab.facts.conflict_dialog is not None, timeout=10000)
    conflict = tab.facts.conflict_dialog
    assert isinstance(conflict, ConflictDialog)
    t = conflict.table
    row = next(r for r in range(t.rowCount()) if t.item(r, 0).text() == "起火地点")
    assert (t.item(row, 1).text(), t.item(row, 2).text()) == ("我改的地点", "别处改的地点")
    harness.qtbot.mouseClick(conflict.overwrite_button, Qt.MouseButton.LeftButton)
    harness.idle()
    ws = harness.reopen()
    assert ws.detail.case.place == "我改的地点"


def test_all_item_models_pass_modeltester(harness: Harness, qtmodeltester: Any) -> None:
    from firecase.ui.workspace.crud import DtoTableModel

    for which in (INVESTIGATING, EVALUATING):
        ws = harness.open(which)
        models = ws.findChildren(DtoTableModel)
        assert len(models) >= 20
        for model in models:
            qtmodeltester.check(model)


def test_main_window_close_prompt_saves_the_workspace(
    qtbot: Any, make_window: Any, demo_path: Path
) -> None:
    """The main window's own prompt (before closing a case tab) saves through ``save()``."""
    window = make_window(demo_path)
    case_id = sorted(r.id for r in reading.list_cases(window.case_file).rows)[0]
    ws = window.open_case(case_id)
    assert isinstance(ws, CaseWorkspace)
    qtbot.waitUntil(lambda: ws.detail is not None, timeout=15000)
    assert ws.ctx.today() == window.today()  # clocks agree with the case list
    facts = ws.tab("概况").facts
    type_text(facts.form.editor("unit_name"), "（已核实）")
    assert ws.has_unsaved_changes()
    answer_next_box("saveButton")
    assert window._confirm_close_workspace(ws) is True
    assert not ws.has_unsaved_changes()
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=15000)
    detail = reading.get_case(window.case_file, case_id)
    assert detail.case.unit_name.endswith("（已核实）")


def test_report_button_opens_the_report_dialog_of_this_case(harness: Harness) -> None:
    from firecase.ui.dialogs.report_dialog import ReportDialog

    ws = harness.open(EVALUATING)
    assert ws.detail is not None
    harness.qtbot.mouseClick(ws.report_button, Qt.MouseButton.LeftButton)
    dialogs = [d for d in ws.findChildren(ReportDialog) if d.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert ws.detail.case.case_no in dialog.windowTitle()
    harness.qtbot.waitUntil(lambda: not harness.worker.busy, timeout=30000)
    dialog.close()


def _open_decision_for(
    harness: Harness, ws: CaseWorkspace, member_name: str, applicant: str
) -> Any:
    """Record an application against ``member_name`` through the service, reopen, open 作出决定."""
    from firecase.services import recusal
    from firecase.services.dto import RecusalApplicationInput

    member = next(m for m in ws.detail.members if m.name == member_name)
    recusal.apply_recusal(
        harness.cf,
        ws.case_id,
        RecusalApplicationInput(
            member.id, applicant, "当事人", 3, "与其存在经济纠纷", ws.detail.today
        ),
    )
    ws = harness.reopen()
    tab = ws.tab("回避")
    row = texts(tab.applications, 3).index("与其存在经济纠纷")
    tab.applications.view.selectRow(row)
    harness.qtbot.mouseClick(tab.decide_button, Qt.MouseButton.LeftButton)
    assert tab.decision_dialog is not None
    return ws, tab, tab.decision_dialog


def _save_refused(harness: Harness, dialog: RecordDialog, key: str) -> str:
    harness.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    label = dialog.form.errors[key]
    harness.qtbot.waitUntil(lambda: label.text() != "", timeout=10000)
    harness.idle()
    assert dialog.isVisible()
    return str(label.text())


def test_recusal_decision_of_the_leaders_own_goes_to_a_government(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    leader = next(m for m in ws.detail.members if m.role == "组长" and m.active)
    ws, _tab, dialog = _open_decision_for(harness, ws, leader.name, "吴海涛")
    form = dialog.form
    assert "decided_by_member_id" not in form.errors
    box = form.editor("decided_by")
    assert box.isEditable()
    assert box.currentText() == "天门市人民政府"
    today = ws.detail.today
    date_edit = form.editor("decided_on")
    assert date_edit.maximum == today
    assert date_edit.date() == today
    type_text(form.editor("reason"), "经研究，同意回避")
    # the leader cannot pass himself off as the government: the message stands at the field
    box.setEditText(f"{leader.name}天门市人民政府")
    message = _save_refused(harness, dialog, "decided_by")
    assert f"含有组长本人{leader.name}的姓名" in message
    box.setEditText("天门市人民政府")
    save_dialog(harness, dialog)
    saved = next(r for r in ws.detail.recusals if r.reason == "与其存在经济纠纷")
    assert (saved.decided_by, saved.deciding_body, saved.decided_by_member_id) == (
        "天门市人民政府",
        "人民政府",
        None,
    )


def test_recusal_decision_of_a_member_is_the_leaders(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    leader = next(m for m in ws.detail.members if m.role == "组长" and m.active)
    member = next(m for m in ws.detail.members if m.active and m.role == "成员")
    # the leader himself applied: he may not decide his own application
    ws, _tab, dialog = _open_decision_for(harness, ws, member.name, leader.name)
    form = dialog.form
    assert "decided_by" not in form.errors
    box = form.editor("decided_by_member_id")
    assert [box.itemText(i) for i in range(box.count())] == [f"{leader.name}（组长）"]
    assert box.currentData() == leader.id
    assert form.editor("decided_on").maximum == ws.detail.today
    type_text(form.editor("reason"), "同意回避")
    message = _save_refused(harness, dialog, "decided_by_member_id")
    assert message == (
        f"{leader.name}是本回避申请的申请人，申请人不能对本人提出的回避申请作出决定。"
    )


def test_relatives_editor_rows(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("当事人")
    dialog = tab.panel.open_add()
    form = dialog.form
    editor = form.editor("relatives")
    assert editor.rows() == []
    for _ in range(3):
        harness.qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    (n1, r1), (n2, r2), (n3, _r3) = editor.rows()
    type_text(n1, "刘强")
    type_text(r1, "兄")
    n2.setText("王五")
    type_text(r2, "配偶")
    n3.setText("删掉的")
    assert form.is_dirty
    harness.qtbot.mouseClick(
        editor.findChildren(QPushButton, "removeRelativeButton")[2], Qt.MouseButton.LeftButton
    )
    field = next(f for f in form.fields if f.key == "relatives")
    assert field.read(editor) == (Relative("刘强", "兄"), Relative("王五", "配偶"))
    # a relation without a name is refused beside the field
    harness.qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    type_text(editor.rows()[2][1], "妹")
    dialog.form.set_values({"kind": "个人"})
    type_text(form.editor("name"), "吴海涛之妻")
    harness.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert form.errors["relatives"].text() == "近亲属第3行：请填写姓名。"
    editor.rows()[2][0].setText("吴小妹")
    save_dialog(harness, dialog)
    party = next(p for p in ws.detail.parties if p.name == "吴海涛之妻")
    assert party.relatives == ("刘强（兄）", "王五（配偶）", "吴小妹（妹）")
    # older stored text and Relative both show in the editor
    edit = tab.panel.open_edit(party)
    assert edit is not None
    rows = edit.form.editor("relatives").rows()
    assert [(n.text(), r.text()) for n, r in rows] == [
        ("刘强", "兄"),
        ("王五", "配偶"),
        ("吴小妹", "妹"),
    ]
    field.write(edit.form.editor("relatives"), ("赵六（叔）", Relative("钱七")))
    rows = edit.form.editor("relatives").rows()
    assert [(n.text(), r.text()) for n, r in rows] == [("赵六", "叔"), ("钱七", "")]
    edit.form.mark_clean()
    edit.reject()


def test_recusal_flags_show_near_names(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    from firecase.services import parties
    from firecase.services.dto import PartyInput

    member = next(m for m in ws.detail.members if m.active and m.role == "成员")
    near = member.name[:-1] + ("甲" if member.name[-1] != "甲" else "乙")
    parties.add_party(harness.cf, ws.case_id, PartyInput("个人", near))
    ws = harness.reopen()
    tab = ws.tab("回避")
    model = tab.flag_model
    rows = [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    hit = next(row for row in rows if row[1] == near)
    assert hit[0] == member.name and hit[3] == "姓名相近，请核实"
    assert hit[4].startswith(f"姓名相近（{member.name} / {near}），请核实是否同一人")


# ------------------------------------------------------------------ register of persons, 公开


def test_register_of_persons_refuses_a_wrong_id_number_at_the_field(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("概况")
    before = len(ws.detail.persons)
    dialog = tab.persons.open_add()
    dialog.form.set_values({"role": "证人", "sex": "女", "age": 36})
    type_text(dialog.form.editor("name"), "孙丽娟")
    dialog.form.editor("id_no").setText("110105194912310021")  # wrong check character
    harness.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    harness.idle()
    assert dialog.isVisible()
    assert "校验码" in dialog.form.errors["id_no"].text()
    dialog.form.editor("id_no").setText("1101 0519 4912 3100 2x")
    save_dialog(harness, dialog)
    ws = harness.reopen()
    (added,) = [p for p in ws.detail.persons if p.name == "孙丽娟"]
    assert len(ws.detail.persons) == before + 1
    panel = ws.tab("概况").persons
    assert panel.model.rowCount() == before + 1  # the register shows every person
    assert "孙丽娟" in texts(panel, 1)
    assert (added.role, added.sex, added.age, added.id_no) == (
        "证人",
        "女",
        36,
        "11010519491231002X",
    )


def test_withholding_a_part_lists_its_records_first(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("公开")
    ws.tabs.setCurrentWidget(tab)
    harness.idle()
    assert ws.detail.findings, "the demo case has findings in part 6"
    item = tab.item_for("section:6")
    item.setCheckState(0, Qt.CheckState.Checked)
    prompt = tab.reason_prompt
    listed = [prompt.records.item(i).text() for i in range(prompt.records.count())]
    assert len(listed) == len(ws.detail.findings) + len(ws.detail.recommendations)
    assert all(t.startswith(("责任认定：", "处理建议：")) for t in listed)
    prompt._on_accept()  # no reason: refused, nothing recorded
    assert prompt.isVisible() and "理由" in prompt.message.text()
    prompt.reason.setText("涉及个人的处理建议")
    prompt._on_accept()
    harness.idle()
    keys = {r.field_key for r in ws.detail.publication.redactions}
    assert "section:6" in keys
    finding = ws.detail.findings[0]
    child = tab.item_for(f"finding:{finding.id}")
    assert child.checkState(0) == Qt.CheckState.Checked and child.isDisabled()
    assert child.text(1) == "随所在部分不公开"
    harness.qtbot.waitUntil(lambda: tab.current() is not None, timeout=15000)
    assert finding.text[:10] not in tab.preview.toPlainText()


def test_review_keep_approve_and_record_a_release(harness: Harness, tmp_path: Path) -> None:
    ws = harness.open(EVALUATING)
    tab = ws.tab("公开")
    ws.tabs.setCurrentWidget(tab)
    harness.idle()
    harness.qtbot.waitUntil(lambda: tab.current() is not None, timeout=15000)
    assert not tab.release_button.isEnabled()  # not reviewed yet
    assert "未经公开前审查" in tab.status.plain
    tab.open_review()
    dialog = tab.review_dialog
    rows = dialog.version.items
    assert any(i.kind == "withheld" for i in rows) and any(i.kind == "masked" for i in rows)
    masked = next(i for i, x in enumerate(rows) if x.kind == "masked" and x.hit_kind == "name")
    name = rows[masked].value
    dialog.table.selectRow(masked)
    assert dialog.keep_button.isEnabled()
    dialog.keep(rows[masked], "死者家属书面同意公开")
    harness.idle()
    harness.qtbot.waitUntil(
        lambda: any(x.kind == "kept" and x.value == name for x in dialog.version.items),
        timeout=15000,
    )
    harness.qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    harness.idle()
    harness.qtbot.waitUntil(lambda: dialog.version.review is not None, timeout=15000)
    assert "审查通过" in dialog.status.text()
    dialog.accept()
    harness.idle()
    harness.qtbot.waitUntil(lambda: tab.release_button.isEnabled(), timeout=15000)
    tab.open_release()
    release = tab.release_dialog
    out = tmp_path / "公开版.pdf"
    release.choose_path = lambda suggested: out
    harness.qtbot.mouseClick(release.save_button, Qt.MouseButton.LeftButton)
    harness.idle()
    harness.qtbot.waitUntil(lambda: bool(ws.detail.publication.releases), timeout=15000)
    (recorded,) = ws.detail.publication.releases
    assert recorded.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    assert tab.releases_model.rowCount() == 1
