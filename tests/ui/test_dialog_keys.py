"""Keyboard and focus in every dialog of FireCase: the first field has the focus
when a dialog opens, Tab goes top to bottom, Esc cancels, Enter accepts where a dialog accepts;
messages at a field go as soon as the value is right; 帮助 → 快捷键 lists every key.

The dialogs are found by walking ``firecase.ui`` for ``QDialog`` subclasses: a new dialog
without a factory here fails ``test_every_dialog_is_checked``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from firecase.services import reading
from firecase.services.dto import UserView
from firecase.store import open_case_file
from firecase.ui import keyboard
from firecase.ui.dialogs.shortcuts_dialog import load_declarations
from firecase.ui.keyboard import key_text
from firecase.ui.worker import Worker

# the headless platform cannot raise windows or grab the keyboard (a popup, a message box)
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise",
    "This plugin does not support grabbing",
)


@dataclass
class Env:
    """What the dialogs are built from: the demo case file, a workspace on its first case."""

    cf: Any
    worker: Worker
    workspace: Any
    window: Any
    prefs: Any

    @property
    def ctx(self) -> Any:
        return self.workspace.ctx

    @property
    def case_no(self) -> str:
        return str(self.workspace.detail.case.case_no)

    def public_version(self) -> Any:
        from firecase.services.reporting import public_version

        return public_version(self.cf, self.case_no, "investigation")


@pytest.fixture
def env(qtbot: Any, demo_path: Path, prefs: Any) -> Iterator[Env]:
    from firecase.ui.main_window import MainWindow
    from firecase.ui.workspace.workspace import CaseWorkspace

    cf = open_case_file(demo_path, user="测试")
    worker = Worker()
    case_id = min(r.id for r in reading.list_cases(cf).rows)
    workspace = CaseWorkspace(cf, case_id, worker=worker, today=lambda: TODAY)
    qtbot.waitUntil(lambda: workspace.detail is not None, timeout=15000)
    window = MainWindow(user="测试", prefs=prefs, today=lambda: TODAY)
    yield Env(cf, worker, workspace, window, prefs)
    qtbot.waitUntil(lambda: not worker.busy, timeout=15000)
    workspace.discard_changes()
    workspace.close()
    workspace.deleteLater()
    window.close()
    window.deleteLater()
    worker.wait()
    cf.close()


def _record_dialog(e: Env) -> QDialog:
    from firecase.ui.workspace.crud import RecordDialog
    from firecase.ui.workspace.tabs.overview import CASUALTY_FIELDS

    return RecordDialog("添加伤亡统计", CASUALTY_FIELDS, lambda _v, done: done(None))


def _conflict_dialog(e: Env) -> QDialog:
    from firecase.ui.workspace.crud import ConflictDialog

    return ConflictDialog("基本情况", [("起火地点", "甲", "乙")], "已被修改。")


def _guard_error() -> Any:
    from firecase.errors import NeedsReasonError

    return NeedsReasonError(
        "本案已批复：此后修改案件信息，案卷将与批复所依据的调查记录不一致。",
        guard="edit_after_reply",
        basis="第十九条",
    )


def _users() -> tuple[UserView, ...]:
    return (
        UserView("li", "李明", "管理员", active=True, registered=True, version=1),
        UserView("wang", "王芳", "调查员", active=True, registered=True, version=1),
    )


def _factories() -> dict[str, Callable[[Env], QDialog]]:
    from firecase.ui.dialogs.attachments_dialog import AttachmentsDialog
    from firecase.ui.dialogs.connect_dialog import ConnectDialog
    from firecase.ui.dialogs.document_dialog import DocumentDialog
    from firecase.ui.dialogs.intake import IntakeDialog
    from firecase.ui.dialogs.login_dialog import LoginDialog
    from firecase.ui.dialogs.notice_dialog import NoticeDialog
    from firecase.ui.dialogs.public_review import ReleaseDialog, ReviewDialog
    from firecase.ui.dialogs.recycle_bin import RecycleBinDialog
    from firecase.ui.dialogs.register_export import RegisterExportDialog
    from firecase.ui.dialogs.register_import import RegisterImportDialog
    from firecase.ui.dialogs.regulation_viewer import RegulationViewer
    from firecase.ui.dialogs.report_dialog import ReportDialog
    from firecase.ui.dialogs.sessions_dialog import SessionsDialog
    from firecase.ui.dialogs.settings_dialog import SettingsDialog
    from firecase.ui.dialogs.shortcuts_dialog import ShortcutsDialog
    from firecase.ui.dialogs.users_dialog import UsersDialog
    from firecase.ui.workspace.guard import ReasonQuestion
    from firecase.ui.workspace.tabs.publication import WithholdPrompt

    return {
        "IntakeDialog": lambda e: IntakeDialog(e.cf, e.worker, today=lambda: TODAY),
        "RecordDialog": _record_dialog,
        "ReleaseDialog": lambda e: ReleaseDialog(e.ctx, e.public_version()),
        "ConflictDialog": _conflict_dialog,
        "SettingsDialog": lambda e: SettingsDialog(e.cf, e.worker, today=lambda: TODAY),
        "RegulationViewer": lambda e: RegulationViewer(),
        "ConnectDialog": lambda e: ConnectDialog(e.prefs, e.worker),
        "LoginDialog": lambda e: LoginDialog(_users()),
        "UsersDialog": lambda e: UsersDialog(e.cf, e.worker, today=lambda: TODAY),
        "SessionsDialog": lambda e: SessionsDialog(e.cf, e.worker),
        "NoticeDialog": lambda e: NoticeDialog(e.cf, e.worker, 2027),
        "ReviewDialog": lambda e: ReviewDialog(e.ctx, e.public_version()),
        "ReportDialog": lambda e: ReportDialog(e.cf, e.case_no, e.worker, today=lambda: TODAY),
        "ReasonQuestion": lambda e: ReasonQuestion(_guard_error()),
        "RecycleBinDialog": lambda e: RecycleBinDialog(e.ctx),
        "WithholdPrompt": lambda e: WithholdPrompt("一、火灾事故基本情况", ["证据：现场照片"]),
        "ShortcutsDialog": lambda e: ShortcutsDialog(e.window),
        "DocumentDialog": lambda e: DocumentDialog(
            e.cf, e.workspace.case_id, e.case_no, e.worker, today=lambda: TODAY
        ),
        "RegisterExportDialog": lambda e: RegisterExportDialog(e.cf, e.worker, today=lambda: TODAY),
        "RegisterImportDialog": lambda e: RegisterImportDialog(e.cf, e.worker, today=lambda: TODAY),
        "AttachmentsDialog": lambda e: AttachmentsDialog(
            e.cf, e.workspace.detail.attachments, lambda _a: "", e.ctx.run
        ),
    }


# Enter is the find box's "next match" in the regulation viewer, and does nothing by surprise
# in the report preview (its buttons save and print files); every other dialog accepts.
NO_ENTER_ACCEPT = {"RegulationViewer", "ReportDialog"}


def _subclasses(cls: type) -> set[type]:
    out = set()
    for sub in cls.__subclasses__():
        out.add(sub)
        out |= _subclasses(sub)
    return out


def dialog_classes() -> set[str]:
    """Every ``QDialog`` subclass FireCase defines."""
    load_declarations()  # imports every module of firecase.ui
    return {c.__name__ for c in _subclasses(QDialog) if c.__module__.startswith("firecase.")}


def test_every_dialog_is_checked() -> None:
    assert dialog_classes() == set(_factories())


def open_dialog(qtbot: Any, env: Env, name: str) -> QDialog:
    dialog = _factories()[name](env)
    qtbot.addWidget(dialog, before_close_func=lambda d: QDialog.done(d, 0))
    dialog.open()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: not env.worker.busy, timeout=15000)
    return dialog


@pytest.mark.parametrize("name", sorted(_factories()))
def test_the_first_field_has_the_focus_when_a_dialog_opens(qtbot: Any, env: Env, name: str) -> None:
    dialog = open_dialog(qtbot, env, name)
    first = keyboard.first_field(dialog)
    assert first is not None
    if name == "ConnectDialog":
        assert isinstance(first, QLineEdit)
    # the keys typed next land there: the dialog is the active window, the field focused
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first, timeout=3000)
    assert dialog.isActiveWindow()
    assert not isinstance(first, QPushButton), f"{name}: the first field is a button"
    # nothing above it takes the keyboard (it is the top of the tab chain), unless the
    # dialog marked the field typed in first below a list to read (不公开: the reason)
    chain = keyboard.tab_chain(dialog)
    if not first.property("firstField"):
        assert chain.index(first) == min(
            i for i, w in enumerate(chain) if not isinstance(w, QPushButton)
        )


def _top_left(widget: QWidget, dialog: QDialog) -> tuple[int, int, int]:
    pos = widget.mapTo(dialog, QPoint(0, 0))
    return pos.y(), pos.x(), pos.x() + widget.width()


@pytest.mark.parametrize("name", sorted(_factories()))
def test_tab_goes_top_to_bottom(qtbot: Any, env: Env, name: str) -> None:
    """Each Tab goes down, or right along the same row, or up into the next column to the
    right (a side panel); never back up-left. Pressing Tab visits the chain in order."""
    dialog = open_dialog(qtbot, env, name)
    chain = keyboard.tab_chain(dialog)
    for a, b in itertools.pairwise(chain):
        ya, xa, right_a = _top_left(a, dialog)
        yb, xb, _ = _top_left(b, dialog)
        down = yb >= ya - 4
        new_column = xb >= right_a - 4
        assert down or new_column, f"{name}: Tab from {a!r} ({xa},{ya}) up to {b!r} ({xb},{yb})"
    # the real keys follow that order for the first few fields
    first = keyboard.first_field(dialog)
    assert first is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first, timeout=3000)
    start = chain.index(first)
    for expected in chain[start + 1 : start + 4]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is expected, name


@pytest.mark.parametrize("name", sorted(_factories()))
def test_escape_cancels_and_enter_accepts(qtbot: Any, env: Env, name: str) -> None:
    dialog = open_dialog(qtbot, env, name)
    first = keyboard.first_field(dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first, timeout=3000)
    if name not in NO_ENTER_ACCEPT:
        if name == "IntakeDialog":
            assert hasattr(dialog, "accept_from_keyboard")  # Enter saves or says what is missing
        else:
            button = keyboard.default_button(dialog)
            assert button is not None, f"{name}: Enter presses nothing"
        assert dialog.findChild(QShortcut, "acceptAnywhere") is not None
    with qtbot.waitSignal(dialog.finished, timeout=3000):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_enter_in_the_intake_shows_what_is_missing(qtbot: Any, env: Env) -> None:
    dialog = open_dialog(qtbot, env, "IntakeDialog")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "请填写起火地点" in dialog.message("place")
    assert QApplication.focusWidget() is dialog.editor("place")  # the first thing missing


# -- messages go as soon as the value is right ---------------------------------------------


def test_a_record_form_message_goes_as_soon_as_the_value_is_fixed(qtbot: Any, env: Env) -> None:
    dialog = open_dialog(qtbot, env, "RecordDialog")
    form = dialog.form
    deaths = form.editor("deaths")
    qtbot.keyClicks(deaths, "x")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert form.errors["deaths"].text() == "死亡人数应为整数（如 3）。"
    assert form.errors["serious_injuries"].text() == "请填写重伤人数。"
    qtbot.keyClick(deaths, Qt.Key.Key_Backspace)
    assert form.errors["deaths"].text() == "请填写死亡人数。"  # still wrong: says why now
    qtbot.keyClicks(deaths, "2")
    assert form.errors["deaths"].isHidden()  # fixed: gone before saving again
    assert not form.errors["serious_injuries"].isHidden()  # the other is not fixed yet
    # a service's refusal at a field goes when that field is changed to a readable value
    form.show_error("serious_injuries", "重伤人数与已登记的不符。")
    qtbot.keyClicks(form.editor("serious_injuries"), "1")
    assert form.errors["serious_injuries"].isHidden()


def test_a_refused_address_message_goes_once_it_is_filled_in(qtbot: Any, env: Env) -> None:
    dialog = open_dialog(qtbot, env, "ConnectDialog")
    dialog.accept()  # nothing typed: refused with a message
    assert dialog.isVisible()
    refused = dialog.status.text()
    assert refused
    qtbot.keyClicks(dialog.host, "db.local")
    qtbot.keyClicks(dialog.user, "li")
    assert dialog.status.text() in ("", refused) or "请" in dialog.status.text()
    qtbot.keyClicks(dialog.password, "secret")
    assert dialog.status.text() == ""


def test_a_password_mismatch_message_goes_once_they_match(qtbot: Any, env: Env) -> None:
    from firecase.ui.dialogs.users_dialog import UsersDialog

    dialog = UsersDialog(env.cf, env.worker, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not env.worker.busy, timeout=15000)
    assert dialog.password_again.isEnabled()  # single-user mode: the officer is 管理员
    dialog.password.setText("abcdefgh1")
    dialog.password_again.setText("abcdefgh2")
    assert dialog.typed_password() is None
    assert dialog.password_error.text() == "两次输入的密码不一致。"
    qtbot.keyClick(dialog.password_again, Qt.Key.Key_Backspace)
    assert dialog.password_error.text() == "两次输入的密码不一致。"
    qtbot.keyClicks(dialog.password_again, "1")
    assert dialog.password_error.text() == ""
    qtbot.waitUntil(lambda: not env.worker.busy, timeout=15000)


# -- 帮助 → 快捷键 ----------------------------------------------------------------------------


def test_the_shortcuts_list_holds_every_key_of_the_window_and_the_widgets(
    qtbot: Any, env: Env
) -> None:
    window = env.window
    window.actions_by_name["shortcuts"].trigger()
    dialog = window.shortcuts_dialog
    assert dialog is not None and dialog.isVisible()
    listed = {(r.keys, r.what) for r in dialog.rows}
    # every menu action with a shortcut, read from the actions themselves (as the list shows
    # them: in the user's language once Qt's translator is loaded, "Ctrl+回车")
    for action in window.actions_by_name.values():
        for key in action.shortcuts():
            if action.isVisible() and key.toString():
                text = action.text().replace("…", "").replace("&", "")
                assert any(key_text(key) in k and w == text for k, w in listed), text
    # the date field's calendar and today keys, the dialogs' Enter / Esc / Ctrl+Enter
    keys_of = {w: k for k, w in listed}
    assert "F4" in keys_of["打开日历（方向键选日，回车选定，Esc 关闭）"]
    assert keys_of["填入今天"] == "Ctrl+;"
    assert keys_of["取消 / 关闭"] == "Esc"
    assert key_text(QKeySequence("Ctrl+Return")) in keys_of["确定 / 保存（在多行文字框中也可）"]
    assert ("Alt+F", "打开菜单") in listed
    assert ("Ctrl+/", "快捷键") in listed
    # a key set on any widget of any dialog is in the list (none added behind its back)
    dialog.find_edit.setText("日历")
    assert [r.where for r in dialog.visible_rows()] == ["日期栏"]
    dialog.find_edit.clear()
    assert len(dialog.visible_rows()) == len(dialog.rows)
    dialog.close()


@pytest.mark.parametrize("name", sorted(_factories()))
def test_every_key_a_dialog_installs_is_in_the_shortcuts_list(
    qtbot: Any, env: Env, name: str
) -> None:
    from firecase.ui.dialogs.shortcuts_dialog import all_shortcuts

    listed = " ".join(r.keys for r in all_shortcuts(env.window)).split(" ")
    dialog = open_dialog(qtbot, env, name)
    found: list[str] = []  # as the list shows keys (translated once Qt's translator is in)
    for shortcut in dialog.findChildren(QShortcut):
        found.append(key_text(shortcut.key()))
    for button in dialog.findChildren(QAbstractButton):
        if not button.shortcut().isEmpty():
            found.append(key_text(button.shortcut()))
    for widget in dialog.findChildren(QWidget):
        for action in widget.actions():
            found.extend(key_text(k) for k in action.shortcuts())
    # mnemonics (&X) of buttons are Alt+X access keys, listed by Qt on the buttons themselves
    alt_down = key_text(QKeySequence("Alt+Down"))
    found = [k for k in found if (k and not k.startswith("Alt+")) or k == alt_down]
    missing = sorted({k for k in found if k not in listed})
    assert not missing, f"{name} installs keys not in 快捷键: {missing}"


def test_the_date_doubt_box_is_a_question_with_two_answers(qtbot: Any, env: Env) -> None:
    dialog = open_dialog(qtbot, env, "RecordDialog")
    editor = dialog.form.editor("as_of")
    editor.set_text("2030-01-01")
    qtbot.keyClicks(dialog.form.editor("deaths"), "0")
    qtbot.keyClicks(dialog.form.editor("serious_injuries"), "0")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    box = dialog.form.date_question
    assert isinstance(box, QMessageBox)
    assert box.icon() == QMessageBox.Icon.Question
    assert {b.text() for b in box.buttons()} == {"确认无误，保存", "返回修改"}
    assert "晚于今天" in box.informativeText()
    # Esc is 返回修改
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.form.date_question is None)
    assert dialog.isVisible()
    assert dt.date(2030, 1, 1) == editor.date()
