"""Each workspace tab driven through its widgets on a real case file: type, click, save, reopen
the file, see the data, on a copy of the demo case file. Here the overview, the team, the
parties, the register of persons and recusal; the tabs of the procedure after them are in
``test_workspace_procedure.py``, the harness in ``test_workspace_support.py``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import test_workspace_support as support
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton
from test_workspace_support import (
    INVESTIGATING,
    Harness,
    find_button,
    save_dialog,
    texts,
    type_text,
)

from firecase.services import reading
from firecase.services.dto import Relative
from firecase.store import open_case_file
from firecase.ui.worker import Worker
from firecase.ui.workspace import open_case_workspace
from firecase.ui.workspace.crud import MUTED, RecordDialog
from firecase.ui.workspace.workspace import CaseWorkspace

# the fixtures, shared by the modules that import them
workspace_demo = support.workspace_demo
demo_path = support.demo_path
harness = support.harness


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


def test_opening_a_case_builds_and_fills_only_the_tab_shown(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from firecase.ui.workspace.tabs.base import WorkspaceTab

    filled: list[str] = []
    for cls in WorkspaceTab.__subclasses__():
        real = cls.set_detail

        def counting(self: Any, detail: Any, _real: Any = real) -> None:
            filled.append(self.title)
            _real(self, detail)

        monkeypatch.setattr(cls, "set_detail", counting)
    ws = harness.open(INVESTIGATING)
    assert ws.tabs.count() == 11  # every tab is listed ...
    assert ws.built_titles() == ["概况"]  # ... only the one shown is built
    assert filled == ["概况"]
    assert [ws.tabs.widget(i) is not None for i in range(3)] == [True, False, False]
    # switching builds the next one and fills it with the case already read (no new read)
    filled.clear()
    ws.tabs.setCurrentIndex(5)
    assert ws.built_titles() == ["概况", "期限"]
    assert filled == ["期限"]
    assert ws.tabs.currentWidget() is ws.tab("期限")
    assert ws.tabs.currentWidget().isVisible()
    # a new read fills the built tabs only
    filled.clear()
    ws.reload()
    harness.idle()
    assert sorted(filled) == ["期限", "概况"]
    # asking for a tab by its title builds it, filled
    team = ws.tab("调查组")
    assert ws.built_titles() == ["概况", "调查组", "期限"]
    assert filled[-1] == "调查组" and team.ctx is ws.ctx


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
    # a death within the 2025 standard's 30 days counts as a death (第二十五条)
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


def test_the_overview_and_the_header_say_each_thing_once_and_show_the_title_as_typed(
    harness: Harness,
) -> None:
    """The reviewer at 1280×720: "纳入调查：纳入调查：…" in 认定与依据, "…较大火灾 较大火灾" in
    the header; and a title is text, not markup."""
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("概况")
    assert tab.inclusion.plain.startswith("纳入调查：")
    assert "纳入调查：纳入调查" not in tab.inclusion.plain
    grade = f"{ws.detail.case.grade}火灾"
    editor = tab.facts.form.editor("title")
    editor.clear()
    type_text(editor, f"竟陵街道<b>东湖</b>社区居民自建房{grade}")
    harness.qtbot.mouseClick(tab.facts.save_button, Qt.MouseButton.LeftButton)
    harness.idle()
    ws = harness.reopen()
    header = ws.header.text()
    assert header.count(grade) == 1, header
    assert "&lt;b&gt;东湖&lt;/b&gt;" in header


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
    # the case numbers its 物证 WZ-001: the next of its own series, not the setting's first
    assert code.text() == "WZ-002" and "WZ-002" not in used
    assert "设置 → 证据编号" in form.notes["code"].text()
    form.set_values({"kind": "书证", "collected_on": ws.detail.today})
    form.editor("kind").setCurrentText("视听资料")
    assert code.text() == "SP-002"  # its SP-001, likewise
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
    assert "下一个可用的物证编号为“WZ-002”" in form.errors["code"].text()
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
    assert tab.flag_view.isVisibleTo(tab) and not tab.no_flags.isVisibleTo(tab)
    assert tab.flag_group.maximumHeight() > 10_000  # the table gets its room


def test_no_recusal_flag_is_one_line_not_an_empty_table(harness: Harness) -> None:
    """At 1280×720 the empty screening table filled the tab and the applications were below
    it, off screen."""
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("回避")
    assert tab.flag_model.rowCount() == 0
    assert tab.no_flags.isVisibleTo(tab) and "未发现" in tab.no_flags.text()
    assert not tab.flag_view.isVisibleTo(tab) and not tab.flag_button.isVisibleTo(tab)
    assert tab.flag_group.maximumHeight() < 100


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


def test_each_sub_group_s_duties_are_its_article_s_items() -> None:
    """第十条, 第十一条, 第十二条: adding 综合组, 技术组 or 管理组 pre-fills the items of its own
    article, read from the bundled text, with the article named."""
    from firecase.ui.regulation import load_regulation
    from firecase.ui.workspace.tabs.team import SUBGROUP_ARTICLES, standard_duties

    regulation = load_regulation()
    for name, label in (("综合组", "第十条"), ("技术组", "第十一条"), ("管理组", "第十二条")):
        article = regulation.article(SUBGROUP_ARTICLES[name])
        assert article is not None and article.label == label
        duties = standard_duties(name)
        assert duties.endswith(f"（依据：{label}）")
        assert [line for line in duties.splitlines()[:-1]] == [
            f"（{i.number}）{i.text}" for i in article.items
        ]
        assert len(article.items) >= 2
    assert standard_duties("其他小组") == ""


def test_a_measure_named_in_the_overdue_banner_is_cut_with_a_mark() -> None:
    """Cut at its 18th character with no mark, "……剩余12家企业接入" read "……剩余12"."""
    from firecase.textmarks import shorten

    text = "督促全市小微企业完成电气线路改造，剩余12家企业接入智慧消防平台"
    assert shorten(text, 24) == text[:23] + "…" and len(shorten(text, 24)) == 24
    assert shorten("完成整改", 24) == "完成整改"
    assert shorten("完成\n整改  复查", 24) == "完成 整改 复查"


def test_a_members_own_application_names_them_as_the_applicant(harness: Harness) -> None:
    """添加回避申请 with 申请人身份 本人: the required 申请人 stayed empty and the officer typed a
    name the program knows (the table then shows "陈晓明（本人）")."""
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("回避")
    dialog = tab.applications.open_add()
    form = dialog.form
    member, kind, who = (form.editor(k) for k in ("member_id", "applicant_kind", "applicant"))
    kind.setCurrentIndex(kind.findText("本人"))
    names = {m.id: m.name for m in ws.detail.members}
    for index in range(member.count()):
        member.setCurrentIndex(index)
        if member.currentData() is not None:
            assert who.text() == names[member.currentData()]
    who.setText("陈国平")  # another applicant typed by the officer is kept
    member.setCurrentIndex(0 if member.currentIndex() else 1)
    assert who.text() == "陈国平"
    QDialog.done(dialog, 0)  # closed unsaved, without the question


def test_every_lists_buttons_are_above_its_table(harness: Harness) -> None:
    """At 1280×720 the 添加… buttons under the tables were below the fold on most tabs: each
    list's buttons now sit above it, like a list's tool row."""
    from firecase.ui.workspace.crud import CrudPanel

    ws = harness.open(INVESTIGATING)
    panels = []
    for i in range(ws.tabs.count()):
        ws.tabs.setCurrentIndex(i)
        harness.idle()
        panels += ws.tabs.widget(i).findChildren(CrudPanel)
    assert len(panels) >= 10
    for panel in panels:
        layout = panel.layout()
        order = [
            layout.itemAt(k).widget() or layout.itemAt(k).layout() for k in range(layout.count())
        ]
        assert order.index(panel.button_row) < order.index(panel.view), panel.noun
