"""选择用户: who is working in a shared case file this session.

Shown after a case file with users is opened and ``CaseFile.user`` is not one of them
(``firecase.services.users.needs_login``). It takes the active users already read on the worker
(``login_choices``) and returns the chosen login; the caller then runs ``sign_in`` on the
worker, which checks the login again and sets ``CaseFile.user`` (named in every audit row).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from firecase.services.dto import UserView
from firecase.services.users import current_user, login_choices, needs_login, sign_in
from firecase.ui.keyboard import FirstFieldFocus
from firecase.ui.worker import Worker


class LoginDialog(FirstFieldFocus, QDialog):
    """选择用户. Built by the main window with plain data; GUI thread only; no database access.

    After ``exec()`` returns ``Accepted``, ``selected_login()`` is the chosen login.
    """

    def __init__(
        self,
        users: Sequence[UserView],
        parent: QWidget | None = None,
        *,
        current: str = "",
        case_file_name: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setWindowTitle("选择用户")
        where = f"“{case_file_name}”" if case_file_name else "本案卷"
        intro = QLabel(f"{where}由多名用户共用。请选择您的用户名，您的每项修改都将以该用户名记录。")
        intro.setWordWrap(True)
        self.users = QListWidget()
        self.users.setObjectName("loginUsers")
        for user in users:
            if not user.active:
                continue
            item = QListWidgetItem(f"{user.display_name}（{user.login}）— {user.role}")
            item.setData(Qt.ItemDataRole.UserRole, user.login)
            self.users.addItem(item)
            if user.login == current:
                self.users.setCurrentItem(item)
        if self.users.currentRow() < 0 and self.users.count():
            self.users.setCurrentRow(0)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton("登录", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setEnabled(self.users.count() > 0)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.users.itemDoubleClicked.connect(self._on_users_item_double_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.users, 1)
        if not self.users.count():
            layout.addWidget(QLabel("本案卷没有在用的用户，请联系管理员。"))
        layout.addWidget(self.buttons)

    def selected_login(self) -> str | None:
        """The login of the chosen user, or None when nothing is chosen."""
        item = self.users.currentItem()
        if item is None:
            return None
        return str(item.data(Qt.ItemDataRole.UserRole))

    def _on_users_item_double_clicked(self, _item: QListWidgetItem) -> None:
        self.accept()


def ask_login(
    parent: QWidget | None,
    users: Sequence[UserView],
    *,
    current: str = "",
    case_file_name: str = "",
) -> str | None:
    """Show 选择用户 (modal); the chosen login, or None when cancelled."""
    dialog = LoginDialog(users, parent, current=current, case_file_name=case_file_name)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.selected_login()
        return None
    finally:
        dialog.deleteLater()


def ensure_login(
    parent: QWidget | None,
    case_file: Any,
    worker: Worker,
    on_done: Callable[[UserView | None], None],
) -> None:
    """Make sure ``case_file`` acts as one of its users; then call ``on_done`` (GUI thread).

    On the worker: does the file need a login (``needs_login``)? If not, ``on_done`` gets the
    current user (管理员 in single-user mode). If so, 选择用户 is shown with the active users;
    the chosen login is signed in on the worker (``sign_in`` sets ``CaseFile.user``) and
    ``on_done`` gets that user, or None when the dialog was cancelled (the caller should then
    close the case file: every service would refuse the unknown user anyway).
    """

    def check() -> tuple[UserView, ...] | UserView:
        if needs_login(case_file):
            return login_choices(case_file)
        return current_user(case_file)

    def checked(result: tuple[UserView, ...] | UserView) -> None:
        if isinstance(result, UserView):
            on_done(result)
            return
        login = ask_login(
            parent,
            result,
            current=str(case_file.user),
            case_file_name=str(getattr(case_file, "display_name", "")),
        )
        if login is None:
            on_done(None)
            return
        worker.run(lambda: sign_in(case_file, login), on_success=on_done, owner=parent)

    worker.run(check, on_success=checked, owner=parent, label="正在核对用户…")
