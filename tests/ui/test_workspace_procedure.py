"""The workspace tabs of the procedure after the team, driven through their widgets on a copy of
the demo case file: evidence and appraisals, the clocks, the report, recommendations, the reply
and handling, publication and its review, the evaluation; conflicts, the models, the main
window's close prompt and report button. (The overview, team, parties and recusal tabs:
``test_workspace_tabs.py``.)"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import test_workspace_support as support
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCursor
from test_workspace_support import (
    EVALUATING,
    INVESTIGATING,
    Harness,
    answer_next_box,
    find_button,
    save_dialog,
    texts,
    type_text,
)

from firecase.services import cases, reading
from firecase.services.dto import IncidentInput
from firecase.ui.workspace.crud import ConflictDialog
from firecase.ui.workspace.workspace import CaseWorkspace

# the fixtures, shared by the modules that import them
workspace_demo = support.workspace_demo
demo_path = support.demo_path
harness = support.harness


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


def test_the_evaluation_of_a_fire_that_is_not_large_is_said_and_not_offered(
    harness: Harness,
) -> None:
    """第二十二条 evaluates 较大 fires: the 一般 case's tab says why and its form is greyed
    out (the service refuses it too); the 较大 case's form is offered."""
    ws = harness.open(INVESTIGATING)
    assert ws.detail.case.grade == "一般"
    tab = ws.tab("评估")
    assert "整改评估适用于较大火灾事故；本案等级为一般" in tab.deadline.plain
    assert "第二十二条" in tab.deadline.plain
    assert not tab.group_form.isEnabled() and not tab.items.isEnabled()
    assert tab.measures.isEnabled()  # the report's measures are every case's (第二十四条)
    large = harness.open(EVALUATING).tab("评估")
    assert large.group_form.isEnabled() and large.items.isEnabled()


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
        for index in range(ws.tabs.count()):  # the tabs are built when first shown
            ws.tabs.setCurrentIndex(index)
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
    facts.form.editor("unit_name").end(False)  # clicked at the end of the text
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
