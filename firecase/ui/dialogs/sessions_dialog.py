"""连接: the sessions of a team server's officers, for the 管理员 to end one that holds data.

Opened from 用户管理 (team mode on a server only). Lists ``services.sessions.list_sessions``
(those others wait on first) and ends the selected one after a confirmation; the server's own
functions check that the caller is an administrator and the session one of the team's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from firecase.errors import ValidationError
from firecase.services.sessions import ServerSession, end_session, list_sessions
from firecase.ui import messages
from firecase.ui.keyboard import FirstFieldFocus, tab_past
from firecase.ui.util import fit_to_screen
from firecase.ui.worker import Worker

_COLUMNS = ("连接编号", "登录名", "姓名", "状态", "自何时", "等待它的连接")


def since_text(since: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """When a session's transaction began, in local time, and how long ago ("19:05（47分钟前）";
    another day with its date)."""
    if since is None:
        return ""
    local = since.astimezone()
    now = (now or dt.datetime.now(dt.UTC)).astimezone()
    minutes = max(0, int((now - local).total_seconds() // 60))
    ago = (
        "不到1分钟"
        if minutes < 1
        else f"{minutes}分钟"
        if minutes < 60
        else f"{minutes // 60}小时{minutes % 60}分钟"
        if minutes < 24 * 60
        else f"{minutes // (24 * 60)}天"
    )
    shown = local.strftime("%H:%M") if local.date() == now.date() else local.strftime("%m-%d %H:%M")
    return f"{shown}（{ago}前）" if minutes >= 1 else f"{shown}（{ago}）"


class SessionsDialog(FirstFieldFocus, QDialog):
    """连接. GUI thread only; the server is asked on ``worker``."""

    def __init__(self, case_file: Any, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionsDialog")
        self.setWindowTitle("本案卷用户的连接")
        self.case_file = case_file
        self.worker = worker
        self.sessions: tuple[ServerSession, ...] = ()
        self._ended = ""  # what the last end said, kept over the list read after it
        self._busy = False  # a read or an end runs on the worker: nothing else is asked
        self.intro = QLabel(
            "其他用户在数据库服务器上的连接。某个连接长时间占用数据（其他人保存时提示“另有连接"
            "长时间锁住了这部分数据”）时，可以结束它：它未提交的内容全部撤销，占用的数据随即"
            "释放，该用户需重新连接。只能结束本案卷用户的连接，不能结束数据库超级用户的连接。"
        )
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setObjectName("sessionsTable")
        tab_past(self.table)
        self.table.setHorizontalHeaderLabels(list(_COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)
        self.status = QLabel("")
        self.status.setObjectName("sessionsStatus")
        self.status.setWordWrap(True)
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        self.end_button = QPushButton("结束所选连接…")
        self.end_button.setObjectName("endSession")
        self.end_button.clicked.connect(self._on_end_button_clicked)
        self.buttons = QDialogButtonBox()
        for button in (self.refresh_button, self.end_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 720, 420)
        self._update_buttons()
        self.load()

    def load(self) -> None:
        """Read the sessions (worker thread)."""
        cf = self.case_file
        self._set_busy(True)
        self.worker.run(
            lambda: list_sessions(cf),
            on_success=self._on_worker_sessions_loaded,
            on_failure=self._on_worker_failed,
            owner=self,
            label="正在读取连接…",
        )

    def _on_worker_sessions_loaded(self, found: tuple[ServerSession, ...]) -> None:
        self._busy = False
        self.sessions = found
        self.table.clearSelection()  # a row number read again may be another officer's now
        self.table.setRowCount(len(found))
        for row, x in enumerate(found):
            since = since_text(x.since)
            waiting = f"{x.waiting}个" if x.waiting else ""
            name = f"{x.display_name}（您本人的另一连接）" if x.own else x.display_name
            for col, value in enumerate((str(x.pid), x.login, name, x.state, since)):
                self.table.setItem(row, col, QTableWidgetItem(value))
            self.table.setItem(row, 5, QTableWidgetItem(waiting))
        said = [self._ended] if self._ended else []
        self._ended = ""
        if not found:
            said.append("本案卷的其他用户当前没有连接。")
        self.status.setText("".join(said))
        self._update_buttons()

    def selected(self) -> ServerSession | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self.sessions[row] if 0 <= row < len(self.sessions) else None

    def end_selected(self) -> None:
        """Ask, then end the selected session (worker thread)."""
        x = self.selected()
        if x is None:
            return
        who = f"{x.display_name}（{x.login}）" if x.display_name else x.login
        question = (
            f"结束您本人的另一连接 {x.pid}（另一个 FireCase 窗口或其他电脑上的）？它尚未提交的"
            "内容将全部撤销。"
            if x.own
            else f"结束{who}的连接 {x.pid}？它尚未提交的内容将全部撤销，该用户需重新连接。"
        )
        if not messages.confirm(
            self,
            "结束连接",
            question,
            ok_text="结束连接",
        ):
            return
        cf, pid, login = self.case_file, x.pid, x.login
        self._set_busy(True)
        self.worker.run(
            lambda: end_session(cf, pid, login),
            on_success=lambda ended: self._on_worker_ended(pid, who, ended),
            on_failure=self._on_worker_failed,
            owner=self,
            label="正在结束连接…",
        )

    def _on_worker_ended(self, pid: int, who: str, ended: bool) -> None:
        self._ended = (
            f"已结束{who}的连接 {pid}，其占用的数据已释放。"
            if ended
            else f"连接 {pid} 未能结束（可能已经结束）。"
        )
        self.status.setText(self._ended)
        self.load()

    def _on_worker_failed(self, exc: BaseException) -> None:
        # the rows shown may no longer be the server's: none is left to end by mistake
        self.sessions = ()
        self.table.setRowCount(0)
        self._set_busy(False)
        if isinstance(exc, ValidationError) and exc.field == "db":  # not a team server
            self.status.setText(exc.message)
            return
        messages.show_error(self, exc)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.refresh_button.setEnabled(not self._busy)
        self.end_button.setEnabled(not self._busy and self.selected() is not None)

    def _on_table_item_selection_changed(self) -> None:
        self._update_buttons()

    def _on_refresh_button_clicked(self) -> None:
        self.load()

    def _on_end_button_clicked(self) -> None:
        self.end_selected()
