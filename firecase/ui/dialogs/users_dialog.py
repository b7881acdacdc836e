"""用户管理: the users of a shared case file and their roles (管理员 only may change them).

Reads and saves through the services on the worker thread (``list_users``, ``add_user``,
``update_user``). In single-user mode (no users yet) it explains that the first user must be
the current one and becomes 管理员, and pre-fills the form with the current login.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from firecase.errors import ValidationError
from firecase.services.dto import USER_ROLES, UserInput, UserRole, UserView
from firecase.services.users import add_user, current_user, list_users, set_password, update_user
from firecase.ui import messages
from firecase.ui.keyboard import FirstFieldFocus, tab_past
from firecase.ui.util import fit_to_screen
from firecase.ui.worker import Worker

_COLUMNS = ("登录名", "姓名", "角色", "状态")


class UsersDialog(FirstFieldFocus, QDialog):
    """用户管理. Owned by the main window; GUI thread only; database work on ``worker``.

    ``users_changed()`` after each saved change (the main window may re-check the current
    user's role and enable or disable its actions).
    """

    users_changed = Signal()

    def __init__(
        self,
        case_file: Any,
        worker: Worker,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("usersDialog")
        self.setWindowTitle("用户管理")
        self.case_file = case_file
        self.worker = worker
        self.today = today
        self.me: UserView | None = None
        self.users: tuple[UserView, ...] = ()
        self.intro = QLabel("")
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setObjectName("usersTable")
        tab_past(self.table)
        self.table.setHorizontalHeaderLabels(list(_COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)
        self.login = QLineEdit()
        self.display_name = QLineEdit()
        self.role = QComboBox()
        self.role.addItems(list(USER_ROLES))
        self.active = QCheckBox("在用（取消勾选即停用，停用的用户不能再打开本案卷）")
        self.active.setChecked(True)
        # team mode on a server: each officer is a server login with a password
        self.team = getattr(case_file, "team", None) is not None
        self.password = QLineEdit()
        self.password.setObjectName("userPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("至少 8 位英文字母、数字或标点")
        self.password_again = QLineEdit()
        self.password_again.setObjectName("userPasswordAgain")
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_error = QLabel("")
        self.password_error.setObjectName("passwordError")
        self.password_error.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow("登录名：", self.login)
        form.addRow("姓名：", self.display_name)
        form.addRow("角色：", self.role)
        form.addRow("", self.active)
        if self.team:
            form.addRow("密码：", self.password)
            form.addRow("再输入一次：", self.password_again)
            form.addRow("", self.password_error)
        self.password.textEdited.connect(self._on_password_text_edited)
        self.password_again.textEdited.connect(self._on_password_text_edited)
        self.add_button = QPushButton("新增用户")
        self.add_button.setObjectName("addUser")
        self.save_button = QPushButton("保存修改")
        self.save_button.setObjectName("saveUser")
        self.new_button = QPushButton("清空表单")
        self.password_button = QPushButton("重设密码")
        self.password_button.setObjectName("resetPassword")
        self.password_button.clicked.connect(self._on_password_button_clicked)
        self.sessions_button = QPushButton("连接…")
        self.sessions_button.setObjectName("showSessions")
        self.sessions_button.setToolTip("查看并结束本案卷用户在服务器上占用数据的连接")
        self.sessions_button.clicked.connect(self._on_sessions_button_clicked)
        self.sessions_dialog: QDialog | None = None
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.buttons = QDialogButtonBox()
        for button in (
            self.new_button,
            self.add_button,
            self.save_button,
            self.password_button,
            self.sessions_button,
        ):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        for button in (self.password_button, self.sessions_button):  # after addButton shows it
            button.setVisible(self.team)  # team mode on a server only
        self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 720, 520)
        self._update_buttons()
        self.load()

    # -- reading -------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the current user and the users (worker thread)."""
        cf = self.case_file
        self.worker.run(
            lambda: (current_user(cf), list_users(cf)),
            on_success=self._on_worker_users_loaded,
            owner=self,
            label="正在读取用户…",
        )

    def _on_worker_users_loaded(self, result: tuple[UserView, tuple[UserView, ...]]) -> None:
        self.me, self.users = result
        self.table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            values = (user.login, user.display_name, user.role, "在用" if user.active else "停用")
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        if not self.users:
            self.intro.setText(
                "本案卷尚未启用用户管理（单人使用，您拥有全部权限）。添加的第一个用户必须是您本人"
                f"（当前登录名“{self.me.login}”），并将成为管理员；之后每个人以自己的用户名登录，"
                "程序按角色限制各自能做的事。"
            )
            self._fill_form(None)
            self.login.setText(self.me.login)
            self.role.setCurrentText(UserRole.ADMIN.value)
        else:
            roles = (
                "只读：只能查看；调查员：记录事实、证据、当事人和报告内容；调查组组长：另可决定"
                "回避、确认调查组组建、记录延期；管理员：另可管理用户和设置。"
            )
            if self.team:
                where = (
                    "团队模式：每位用户是数据库服务器上的一个账号，用自己的账号和密码连接；"
                    "新增用户即在服务器上建立账号，角色由服务器强制执行，停用后该账号不能再连接。"
                )
            else:
                where = (
                    "本地案卷文件中的用户名只记录是谁在操作，不能防止冒用（能打开文件的人都能"
                    "改动它）；多人协作请使用数据库服务器上的团队模式。"
                )
            self.intro.setText(f"您是“{self.me.display_name}”（{self.me.role}）。{where}{roles}")
        self._update_buttons()

    # -- form ----------------------------------------------------------------------------------

    def selected_user(self) -> UserView | None:
        """The user of the selected row, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.users[rows[0].row()]

    def _fill_form(self, user: UserView | None) -> None:
        self.login.setText(user.login if user else "")
        self.login.setReadOnly(user is not None)
        self.display_name.setText(user.display_name if user else "")
        self.role.setCurrentText(user.role if user else UserRole.INVESTIGATOR.value)
        self.active.setChecked(user.active if user else True)

    def form_input(self) -> UserInput:
        """The form as a service input."""
        return UserInput(
            login=self.login.text().strip(),
            display_name=self.display_name.text().strip(),
            role=self.role.currentText(),
            active=self.active.isChecked(),
        )

    def _update_buttons(self) -> None:
        is_admin = self.me is not None and self.me.role == UserRole.ADMIN.value
        selected = self.selected_user() is not None
        self.add_button.setEnabled(is_admin and not selected)
        self.sessions_button.setEnabled(is_admin)
        self.save_button.setEnabled(is_admin and selected)
        for widget in (self.login, self.display_name, self.role, self.active):
            widget.setEnabled(is_admin)
        mine = selected and self.me is not None and self.selected_user() == self.me
        self.password_button.setEnabled(selected and (is_admin or bool(mine)))
        for widget in (self.password, self.password_again):
            widget.setEnabled(is_admin or bool(mine))

    def typed_password(self) -> str | None:
        """The password typed twice, or None (the mismatch is shown at the field)."""
        first, again = self.password.text(), self.password_again.text()
        if first != again:
            self.password_error.setText("两次输入的密码不一致。")
            self.password_again.setFocus()
            return None
        self.password_error.setText("")
        return first

    # -- saving --------------------------------------------------------------------------------

    def add(self) -> None:
        """Add the user in the form (worker thread)."""
        cf, data, today = self.case_file, self.form_input(), self.today()
        password: str | None = None
        if self.team:
            password = self.typed_password()
            if password is None:
                return
        self.worker.run(
            lambda: add_user(cf, data, today=today, password=password),
            on_success=self._on_worker_user_saved,
            on_failure=self._on_worker_user_failed,
            owner=self,
            label="正在保存用户…",
        )

    def save(self) -> None:
        """Save the form over the selected user (worker thread)."""
        user = self.selected_user()
        if user is None:
            return
        cf, data = self.case_file, self.form_input()
        self.worker.run(
            lambda: update_user(cf, user.login, data, expected_version=user.version),
            on_success=self._on_worker_user_saved,
            on_failure=self._on_worker_user_failed,
            owner=self,
            label="正在保存用户…",
        )

    def reset_password(self) -> None:
        """Set the selected user's server password to the one typed twice (worker thread)."""
        user = self.selected_user()
        password = self.typed_password()
        if user is None or password is None:
            return
        cf = self.case_file
        self.worker.run(
            lambda: set_password(cf, user.login, password),
            on_success=self._on_worker_password_set,
            on_failure=self._on_worker_user_failed,
            owner=self,
            label="正在修改密码…",
        )

    def _on_worker_password_set(self, _result: object) -> None:
        self.password.clear()
        self.password_again.clear()
        self.password_error.setText("密码已修改，下次连接时使用新密码。")

    def _on_password_text_edited(self, _text: str) -> None:
        """The message at the password goes as soon as the two match (or were retyped)."""
        if self.password.text() == self.password_again.text() or not self.password_again.text():
            self.password_error.setText("")

    def show_sessions(self) -> None:
        """连接…: the officers' sessions on the server (管理员; team mode)."""
        from firecase.ui.dialogs.sessions_dialog import SessionsDialog

        self.sessions_dialog = SessionsDialog(self.case_file, self.worker, self)
        self.sessions_dialog.open()

    def _on_sessions_button_clicked(self) -> None:
        self.show_sessions()

    def _on_password_button_clicked(self) -> None:
        self.reset_password()

    def _on_worker_user_saved(self, _user: UserView) -> None:
        self.password.clear()
        self.password_again.clear()
        self.table.clearSelection()
        self._fill_form(None)
        self.users_changed.emit()
        self.load()

    def _on_worker_user_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError) and exc.field == "password":
            self.password_error.setText(exc.message)  # at the field; what was typed stays
            self.password.setFocus()
            return
        messages.show_error(self, exc)
        self.load()

    def _on_add_button_clicked(self) -> None:
        self.add()

    def _on_save_button_clicked(self) -> None:
        self.save()

    def _on_new_button_clicked(self) -> None:
        self.table.clearSelection()
        self._fill_form(None)

    def _on_table_item_selection_changed(self) -> None:
        self._fill_form(self.selected_user())
        self._update_buttons()
