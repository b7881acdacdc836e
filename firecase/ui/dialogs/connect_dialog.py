"""连接数据库: open a shared case file on a PostgreSQL server.

The officer types host, port, database, user and password; 测试连接 tries them on the worker
thread. On 连接 the URL WITHOUT the password is saved in the plain preferences
(``Preferences.server_url``) and the full URL is handed back for this session only
(``location``), so the password is asked again next time and never written to disk.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from firecase.errors import FirecaseError, ValidationError
from firecase.settings import PreferenceStore
from firecase.store.server import (
    DEFAULT_PORT,
    ServerAddress,
    check_connection,
    parse_server_url,
    public_url,
)
from firecase.ui.keyboard import FirstFieldFocus
from firecase.ui.worker import Worker


class ConnectDialog(FirstFieldFocus, QDialog):
    """连接数据库. Owned by the main window; GUI thread only; the test runs on ``worker``.

    ``connection_tested(ok, message)`` after each 测试连接. After ``exec()`` returns
    ``Accepted``, ``location`` is the full URL (with the password) for ``open_location``.
    """

    connection_tested = Signal(bool, str)

    def __init__(
        self,
        prefs_store: PreferenceStore,
        worker: Worker,
        parent: QWidget | None = None,
        *,
        initial_url: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("connectDialog")
        self.setWindowTitle("连接数据库")
        self.prefs_store = prefs_store
        self.worker = worker
        self.location = ""
        self._status_is_problem = False
        self.host = QLineEdit()
        self.host.setPlaceholderText("如 192.168.1.10 或 db.xfjy.local")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit("firecase")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("每次连接时输入，不会保存")
        form = QFormLayout()
        form.addRow("服务器地址：", self.host)
        form.addRow("端口：", self.port)
        form.addRow("数据库名：", self.database)
        form.addRow("用户名：", self.user)
        form.addRow("密码：", self.password)
        self.status = QLabel("")
        self.status.setObjectName("connectStatus")
        self.status.setWordWrap(True)
        self.test_button = QPushButton("测试连接")
        self.test_button.setObjectName("testConnection")
        self.buttons = QDialogButtonBox()
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.connect_button = self.buttons.addButton("连接", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        for edit in (self.host, self.database, self.user, self.password):
            edit.textEdited.connect(self._on_field_edited)
        self.port.valueChanged.connect(self._on_field_edited)
        self.test_button.clicked.connect(self._on_test_button_clicked)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        note = QLabel("数据库地址保存在本机设置中（不含密码）；密码只在本次使用时保存在内存里。")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._fill(initial_url or prefs_store.load().server_url)

    def _fill(self, url_text: str) -> None:
        if not url_text:
            return
        try:
            address = parse_server_url(url_text)
        except ValidationError:
            return
        self.host.setText(address.host)
        self.port.setValue(address.port)
        self.database.setText(address.database)
        self.user.setText(address.user)
        if self.user.text():
            self.password.setFocus()

    def address(self) -> ServerAddress:
        """The server address as typed (no password)."""
        return ServerAddress(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
        )

    def url(self) -> str:
        """The full URL with the password; ``ValidationError`` when a field is missing."""
        return self.address().url(self.password.text())

    def _show_status(self, ok: bool, message: str) -> None:
        self.status.setText(message)
        self.status.setStyleSheet("" if ok else "color: #b00020;")
        self._status_is_problem = not ok

    def _on_field_edited(self, *_args: object) -> None:
        """A refusal of the address goes as soon as what it asked for is filled in."""
        if not self._status_is_problem:
            return
        try:
            self.url()
        except ValidationError as exc:
            self.status.setText(exc.message)
            return
        self._show_status(True, "")

    def test_connection(self) -> None:
        """Try the typed address on the worker; the outcome arrives as ``connection_tested``."""
        try:
            url = self.url()
        except ValidationError as exc:
            self._show_status(False, exc.message)
            self.connection_tested.emit(False, exc.message)
            return
        self.test_button.setEnabled(False)
        self._show_status(True, "正在连接…")
        self.worker.run(
            lambda: check_connection(url),
            on_success=self._on_worker_connection_ok,
            on_failure=self._on_worker_connection_failed,
            owner=self,
            label="正在测试数据库连接…",
        )

    def _on_test_button_clicked(self) -> None:
        self.test_connection()

    def _on_worker_connection_ok(self, version: str) -> None:
        self.test_button.setEnabled(True)
        message = f"连接成功：{version.split(',')[0]}"
        self._show_status(True, message)
        self.connection_tested.emit(True, message)

    def _on_worker_connection_failed(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        message = exc.message if isinstance(exc, FirecaseError) else str(exc)
        self._show_status(False, message)
        self.connection_tested.emit(False, message)

    def accept(self) -> None:
        """Keep the full URL for this session; store it without the password; close."""
        try:
            url = self.url()
        except ValidationError as exc:
            self._show_status(False, exc.message)
            return
        prefs = self.prefs_store.load()
        self.prefs_store.save(dataclasses.replace(prefs, server_url=public_url(url)))
        self.location = url
        super().accept()


def ask_server_location(
    parent: QWidget | None,
    prefs_store: PreferenceStore,
    worker: Worker,
    initial_url: str | None = None,
) -> str | None:
    """Show 连接数据库 (modal); the full URL to open, or None when cancelled."""
    dialog = ConnectDialog(prefs_store, worker, parent, initial_url=initial_url)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.location
        return None
    finally:
        dialog.deleteLater()
