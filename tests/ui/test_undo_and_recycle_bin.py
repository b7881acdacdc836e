"""Ctrl+Z and the 回收站 through the real widgets (issue 19 parts 4 and 7): a removal, an edit and
an addition undone on the tab they were made on; the bin restores with the attachments and its
清空 is an administrator's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from firecase.services import evidence as evidence_svc, parties, reading, recycle, users
from firecase.services.dto import (
    AttachmentInput,
    CustodyInput,
    EvidenceInput,
    PartyInput,
    UserInput,
)
from tests.ui._workspace import WorkspaceHarness

D = dt.date
PHOTO = b"\xff\xd8\xff\xe0 photo " * 64


class Open(WorkspaceHarness):
    """The shop fire with a party and an evidence item (custody, a photo), and a workspace."""

    def __init__(self, qtbot: Any, path: Path) -> None:
        super().__init__(qtbot, path)
        parties.add_party(self.cf, self.case_id, PartyInput(kind="个人", name="店主"))
        e = evidence_svc.add_evidence(
            self.cf,
            self.case_id,
            EvidenceInput(
                code="物证-001",
                name="烧毁的插座",
                kind="物证",
                collected_on=D(2026, 3, 2),
                collected_by="李勘查",
            ),
        )
        evidence_svc.add_custody_event(self.cf, e.id, CustodyInput(on=D(2026, 3, 2), action="提取"))
        evidence_svc.add_attachment(
            self.cf,
            self.case_id,
            AttachmentInput(
                filename="插座.jpg", content=PHOTO, added_on=D(2026, 3, 2), evidence_id=e.id
            ),
        )

    def remove(self, panel: Any, record_id: int) -> None:
        """Select the record and click 删除 (the question answered 删除 by the fixture)."""
        panel.select_id(record_id)
        self.qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
        self.idle()
        self.idle()  # the reload after the removal

    def ctrl_z(self, widget: Any) -> None:
        window = widget.window()
        window.activateWindow()  # a shortcut works in the active window (a dialog just closed)
        self.qtbot.waitUntil(window.isActiveWindow, timeout=5000)
        widget.setFocus()
        self.qtbot.keySequence(widget, QKeySequence(QKeySequence.StandardKey.Undo))
        self.idle()
        self.idle()  # the reload after the undo

    def detail(self) -> Any:
        return reading.get_case(self.cf, self.case_id)


@pytest.fixture
def opened(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Open]:
    from firecase.ui import messages
    from firecase.ui.app import setup_application

    setup_application()
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)  # 确定删除？ → 删除
    o = Open(qtbot, tmp_path / "cases.sqlite")
    yield o
    o.close()


def test_ctrl_z_restores_a_removed_evidence_item_with_its_photo(opened: Open) -> None:
    ws = opened.show()
    ws.show_tab("证据与鉴定")
    panel = ws.tab("证据与鉴定").evidence
    opened.remove(panel, opened.detail().evidence[0].id)
    assert opened.detail().evidence == ()
    assert panel.model.rowCount() == 0
    opened.ctrl_z(panel.view)
    (back,) = opened.detail().evidence
    assert back.code == "物证-001" and len(back.custody) == 1
    assert evidence_svc.get_attachment_content(opened.cf, back.attachments[0].id) == PHOTO
    assert panel.model.rowCount() == 1
    assert ws.last_message == "已撤销：删除证据“物证-001 烧毁的插座”。", ws.last_message


def test_ctrl_z_belongs_to_the_tab_it_was_done_on(opened: Open) -> None:
    ws = opened.show()
    ws.show_tab("当事人")
    panel = ws.tab("当事人").panel
    opened.remove(panel, opened.detail().parties[0].id)
    ws.show_tab("证据与鉴定")
    evidence = ws.tab("证据与鉴定").evidence
    opened.ctrl_z(evidence.view)  # nothing was done on 证据
    assert "没有可撤销" in ws.last_message
    assert opened.detail().parties == ()
    ws.show_tab("当事人")
    opened.ctrl_z(panel.view)
    assert [p.name for p in opened.detail().parties] == ["店主"]


def test_ctrl_z_takes_back_an_edit_then_an_addition(opened: Open) -> None:
    ws = opened.show()
    ws.show_tab("当事人")
    panel = ws.tab("当事人").panel
    dto = opened.detail().parties[0]
    dialog = panel.open_edit(dto)
    dialog.form.editor("name").setText("店主王某")
    opened.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    opened.qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())
    opened.idle()
    assert [p.name for p in opened.detail().parties] == ["店主王某"]
    add = panel.open_add()
    add.form.editor("name").setText("租户")
    opened.qtbot.mouseClick(add.save_button, Qt.MouseButton.LeftButton)
    opened.qtbot.waitUntil(lambda: not shiboken6.isValid(add) or not add.isVisible())
    opened.idle()
    assert sorted(p.name for p in opened.detail().parties) == ["店主王某", "租户"]
    assert len(ws.ctx.undo) == 2, ws.last_message
    opened.ctrl_z(panel.view)  # the addition: into the 回收站
    assert ws.last_message.startswith("已撤销：添加当事人"), ws.last_message
    assert [p.name for p in opened.detail().parties] == ["店主王某"]
    opened.ctrl_z(panel.view)  # the edit: the name as it was
    assert [p.name for p in opened.detail().parties] == ["店主"]
    assert [e.summary for e in recycle.list_bin(opened.cf, opened.case_id)] == ["租户"]


def test_ctrl_z_in_a_text_field_undoes_typing_not_the_last_save(opened: Open) -> None:
    ws = opened.show()
    ws.show_tab("当事人")
    panel = ws.tab("当事人").panel
    opened.remove(panel, opened.detail().parties[0].id)
    dialog = panel.open_add()
    name = dialog.form.editor("name")
    opened.qtbot.waitUntil(name.isVisible)
    name.setFocus()
    opened.qtbot.keyClicks(name, "abc")
    opened.qtbot.keySequence(name, QKeySequence(QKeySequence.StandardKey.Undo))
    opened.idle()
    assert name.text() == ""  # the field's own undo
    assert opened.detail().parties == ()  # the removal stays
    dialog.form.mark_clean()
    dialog.reject()


def test_the_bin_lists_restores_and_only_an_administrator_empties(opened: Open) -> None:
    cf = opened.cf
    users.add_user(cf, UserInput("测试员", "测试员", "管理员"))
    users.add_user(cf, UserInput("li", "李调查员", "调查员"), actor="测试员")
    d = opened.detail()
    evidence_svc.remove_evidence(cf, d.evidence[0].id, expected_version=d.evidence[0].version)
    parties.remove_party(cf, d.parties[0].id, expected_version=d.parties[0].version)
    ws = opened.show()
    opened.qtbot.mouseClick(ws.recycle_button, Qt.MouseButton.LeftButton)
    bin_ = ws.recycle_dialog
    assert bin_ is not None
    opened.qtbot.waitUntil(lambda: bin_.table.rowCount() == 2, timeout=10000)
    opened.idle()
    assert bin_.table.item(0, 1).text() == "当事人"  # newest first
    assert bin_.table.item(1, 2).text() == "物证-001 烧毁的插座"
    assert bin_.table.item(1, 3).text() == "含附件1条、证据保管记录1条"
    assert bin_.geometry().height() <= 720 and bin_.empty_button.isEnabled()
    bin_.table.selectRow(1)
    opened.qtbot.mouseClick(bin_.restore_button, Qt.MouseButton.LeftButton)
    opened.idle()
    opened.idle()
    assert [e.code for e in opened.detail().evidence] == ["物证-001"]
    opened.qtbot.waitUntil(lambda: "已恢复证据" in bin_.status.text(), timeout=10000)
    assert "已恢复" in bin_.table.item(1, 5).text()
    assert not bin_.restore_button.isEnabled()  # the restored entry is selected
    bin_.close()
    opened.idle()
    # an investigator sees the bin but cannot empty it
    cf.user = "li"
    try:
        bin_ = ws.open_bin()
        opened.qtbot.waitUntil(lambda: bin_.table.rowCount() == 2, timeout=10000)
        opened.idle()
        assert not bin_.empty_button.isEnabled()
        assert "只有管理员" in bin_.empty_button.toolTip()
        bin_.close()
    finally:
        cf.user = "测试员"
    opened.idle()
    bin_ = ws.open_bin()
    opened.qtbot.waitUntil(lambda: bin_.empty_button.isEnabled(), timeout=10000)
    opened.qtbot.mouseClick(bin_.empty_button, Qt.MouseButton.LeftButton)
    opened.idle()
    opened.idle()
    assert recycle.list_bin(cf, opened.case_id) == ()
    opened.qtbot.waitUntil(lambda: "已清空回收站（2 条）" in bin_.status.text(), timeout=10000)
    bin_.close()
    assert not any(
        isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets()
    )


def test_ctrl_z_takes_back_a_saved_form(opened: Open) -> None:
    ws = opened.show()
    facts = ws.tab("概况").facts
    title = facts.form.editor("title")
    title.setText("某商店火灾（更正）")
    title.textEdited.emit(title.text())
    opened.qtbot.mouseClick(facts.save_button, Qt.MouseButton.LeftButton)
    opened.idle()
    opened.idle()
    assert opened.detail().case.title == "某商店火灾（更正）"
    opened.ctrl_z(ws.tab("概况"))
    assert ws.last_message == "已撤销：保存基本情况。", ws.last_message
    assert opened.detail().case.title == "某商店火灾"
    assert facts.form.editor("title").text() == "某商店火灾"


def test_ctrl_z_takes_back_an_addition_after_its_own_edit_was_taken_back(opened: Open) -> None:
    """review-bin: the addition's undo goes on from the version this workspace's own edit and
    its undo left, not the version the addition had (which would be a conflict with itself)."""
    ws = opened.show()
    ws.show_tab("当事人")
    panel = ws.tab("当事人").panel
    add = panel.open_add()
    add.form.editor("name").setText("租户")
    opened.qtbot.mouseClick(add.save_button, Qt.MouseButton.LeftButton)
    opened.qtbot.waitUntil(lambda: not shiboken6.isValid(add) or not add.isVisible())
    opened.idle()
    added = next(p for p in opened.detail().parties if p.name == "租户")
    panel.select_id(added.id)
    dialog = panel.open_edit(added)
    dialog.form.editor("name").setText("租户李某")
    opened.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    opened.qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())
    opened.idle()
    opened.ctrl_z(panel.view)  # the edit
    assert sorted(p.name for p in opened.detail().parties) == ["店主", "租户"]
    opened.ctrl_z(panel.view)  # the addition
    assert ws.last_message.startswith("已撤销：添加当事人"), ws.last_message
    assert [p.name for p in opened.detail().parties] == ["店主"]
