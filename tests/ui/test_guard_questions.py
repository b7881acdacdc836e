"""The guards' questions in the workspace, through the real widgets: the
question says why with the article, 不继续 keeps the form as typed, a reason saves and is kept;
a replied case asks once per editing session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from firecase.services import guards, reading, reply
from firecase.store import CaseFile
from firecase.ui.workspace.guard import ReasonQuestion
from tests.ui._workspace import WorkspaceHarness

D = dt.date


def _ver(cf: CaseFile, case_id: int) -> int:
    return reading.get_case_summary(cf, case_id).version


class Open(WorkspaceHarness):
    """The shop fire, its report submitted, and a workspace on it."""

    def __init__(self, qtbot: Any, path: Path) -> None:
        super().__init__(qtbot, path)
        reply.record_report_submitted(
            self.cf, self.case_id, D(2026, 4, 20), expected_version=_ver(self.cf, self.case_id)
        )

    def question(self) -> ReasonQuestion:
        assert self.ws is not None
        ctx = self.ws.ctx
        self.qtbot.waitUntil(lambda: ctx.reason_question is not None, timeout=10000)
        q = ctx.reason_question
        self.qtbot.waitUntil(q.isVisible, timeout=5000)
        return q


@pytest.fixture
def opened(qtbot: Any, tmp_path: Path) -> Iterator[Open]:
    from firecase.ui.app import setup_application

    setup_application()
    o = Open(qtbot, tmp_path / "cases.sqlite")
    yield o
    o.close()


def _reply_dialog(o: Open) -> Any:
    ws = o.show()
    tab = ws.tab("批复与处理")
    o.qtbot.mouseClick(tab.milestone_buttons["reply_on"], Qt.MouseButton.LeftButton)
    dialog = tab.milestone_dialog
    dialog.form.set_values({"reply_on": D(2026, 4, 28)})
    dialog.form.editor("reply_ref").setText("天政函〔2026〕12号")
    o.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    return dialog


def test_reply_before_the_receipt_asks_and_declining_keeps_the_form(opened: Open) -> None:
    dialog = _reply_dialog(opened)
    q = opened.question()
    assert q.windowModality() == Qt.WindowModality.WindowModal
    assert q.parent() is dialog  # over the form that asked
    assert q.windowTitle() == "尚未登记收到调查报告"
    assert "尚未登记人民政府收到调查报告的日期" in q.explanation.plain
    assert "第十九条" in q.explanation.plain
    assert q.go_button.text() == "填写理由并继续" and q.stop_button.text() == "不继续"
    opened.qtbot.mouseClick(q.stop_button, Qt.MouseButton.LeftButton)
    opened.idle()
    assert shiboken6.isValid(dialog) and dialog.isVisible()
    assert dialog.form.editor("reply_ref").text() == "天政函〔2026〕12号"
    assert dialog.save_button.isEnabled()
    assert not any(
        isinstance(w, QMessageBox) and w.isVisible() for w in dialog.findChildren(QMessageBox)
    )
    assert reading.get_case_summary(opened.cf, opened.case_id).reply_on is None


def test_a_reason_is_required_then_the_reply_is_saved_with_it(opened: Open) -> None:
    dialog = _reply_dialog(opened)
    q = opened.question()
    opened.qtbot.mouseClick(q.go_button, Qt.MouseButton.LeftButton)
    assert "请填写继续办理的理由" in q.message.text()
    assert q.isVisible()
    q.reason.setPlainText("收文登记簿待核，收到日期核实后补录")
    opened.qtbot.mouseClick(q.go_button, Qt.MouseButton.LeftButton)
    opened.qtbot.waitUntil(
        lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=10000
    )
    opened.idle()
    d = reading.get_case(opened.cf, opened.case_id)
    assert d.case.reply_on == D(2026, 4, 28)
    assert [(r.guard, r.reason) for r in d.guard_reasons] == [
        (guards.REPLY_BEFORE_RECEIPT, "收文登记簿待核，收到日期核实后补录")
    ]


def test_a_replied_case_asks_once_per_session_and_keeps_each_change(opened: Open) -> None:
    cf, case_id = opened.cf, opened.case_id
    reply.record_report_received(cf, case_id, D(2026, 4, 21), expected_version=_ver(cf, case_id))
    reply.record_reply(
        cf, case_id, D(2026, 4, 28), "天政函〔2026〕12号", expected_version=_ver(cf, case_id)
    )
    ws = opened.show()
    panel = ws.tab("当事人").panel

    def add(name: str) -> Any:
        dialog = panel.open_add()
        dialog.form.editor("name").setText(name)
        opened.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog

    dialog = add("李某")
    q = opened.question()
    assert q.windowTitle() == "本案已批复"
    assert "本案已于2026-04-28批复" in q.explanation.plain
    q.reason.setPlainText("复核发现漏登当事人")
    opened.qtbot.mouseClick(q.go_button, Qt.MouseButton.LeftButton)
    opened.qtbot.waitUntil(
        lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=10000
    )
    opened.idle()
    dialog = add("王某")  # the same session: no second question
    opened.qtbot.waitUntil(
        lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=10000
    )
    opened.idle()
    assert ws.ctx.reason_question is None
    d = reading.get_case(cf, case_id)
    assert sorted(p.name for p in d.parties) == ["李某", "王某"]
    assert [(r.guard, r.entity, r.reason) for r in d.guard_reasons] == [
        (guards.EDIT_AFTER_REPLY, "parties", "复核发现漏登当事人")
    ] * 2
