"""文件 → 从备份恢复: replace a SQLite case file with a backup, keeping the current file.

``RestoreFlow`` walks the user through one restore, on the GUI thread: pick the backup (a case
file copy ``*.sqlite`` or a logical backup ``*.fcbackup``, starting in the automatic-backup
folder), confirm which case file is replaced and that the current one is kept beside it as
``<name>.恢复前备份-<time>.sqlite``, close the case tabs (asking about unsaved edits) and the
case file, run ``services.backup.restore_case_file`` on the window's worker, reopen the restored
file and say where the previous version went. With no case file open (e.g. the one just refused
as damaged) the user also picks the case file to restore into. A server database is never
replaced from the GUI: ``firecase restore`` restores into an empty database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QStatusBar

from firecase.ui import messages


class RestoreWindow(Protocol):
    """What a restore needs of the window that owns it (the main window; named here so this
    module does not import ``firecase.ui.main_window``, which imports it)."""

    case_file: Any
    case_file_opened: Any  # Signal(str)
    file_label: Any  # QLabel
    prefs: Any  # PreferenceStore
    worker: Any  # Worker

    def close_case_file(self) -> bool: ...

    def open_location(self, location: str) -> None: ...

    def statusBar(self) -> QStatusBar: ...


BACKUP_FILTER = "FireCase 备份 (*.sqlite *.fcbackup);;所有文件 (*)"
TARGET_FILTER = "FireCase 案卷文件 (*.sqlite *.db *.firecase);;所有文件 (*)"


class RestoreFlow(QObject):
    """One restore from a backup into a SQLite case file. GUI thread only.

    Owned by the main window (its parent), which it drives through ``case_file``,
    ``close_case_file()``, ``open_location()``, ``worker`` and the status bar. Signal
    ``restored(RestoreResult)`` after ``restore_case_file`` succeeded, before the reopen.
    """

    restored = Signal(object)

    def __init__(self, window: RestoreWindow) -> None:
        super().__init__(window)
        self._window = window
        self._backup: Path | None = None
        self._target: Path | None = None
        self._reopen_on_failure = False
        self._opened_message = ""
        self.confirm_box: QMessageBox | None = None

    def start(self) -> None:
        """Ask for the backup (and the target when no case file is open), then confirm."""
        from firecase.services.backup import default_backup_folder

        window = self._window
        case_file = window.case_file
        if case_file is not None and case_file.path is None:
            self._explain_server(case_file.display_name)
            return
        chosen, _ = QFileDialog.getOpenFileName(
            window, "选择备份文件", str(default_backup_folder()), BACKUP_FILTER
        )
        if not chosen:
            return
        if case_file is not None:
            target: Path | None = Path(case_file.path)
        else:
            target = self._ask_target()
        if target is None:
            return
        self._backup, self._target = Path(chosen), target
        self._reopen_on_failure = case_file is not None
        self.confirm_box = messages.ask(
            window,
            "从备份恢复",
            f"用备份“{self._backup.name}”替换案卷文件：\n{target}",
            f"备份文件：{self._backup}\n\n"
            f"现在的“{target.name}”不会丢失：恢复前先另存为同一文件夹中的"
            f"“{target.stem}.恢复前备份-<日期-时间>{target.suffix or '.sqlite'}”。\n"
            "恢复时将关闭已打开的案件和案卷文件，恢复后重新打开。",
            self._on_confirm_box_answered,
            yes_text="恢复",
            no_text="取消",
            object_name="restoreConfirmBox",
        )

    def _explain_server(self, name: str) -> None:
        messages.inform(
            self._window,
            "从备份恢复",
            f"当前打开的是数据库服务器上的案卷（{name}），不能在程序中用备份替换。\n\n"
            "服务器上的恢复须恢复到一个新建的空数据库，以免覆盖同事正在使用的数据。"
            "请由管理员新建空数据库后在命令行执行：\n"
            "firecase restore 备份文件 --db 新数据库地址\n"
            "然后用“文件 → 连接数据库”连接到新数据库。",
        )

    def _ask_target(self) -> Path | None:
        window = self._window
        folder = window.prefs.last_folder or str(Path.home())
        chosen, _ = QFileDialog.getSaveFileName(
            window,
            "恢复到哪个案卷文件",
            folder,
            TARGET_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        return Path(chosen) if chosen else None

    def run(self, backup: Path, target: Path, *, reopen_on_failure: bool = True) -> None:
        """Restore ``backup`` into the case file ``target`` on the worker, then reopen it.

        The window closes its case file first (asking about unsaved case tabs; nothing happens
        if the user keeps one). ``reopen_on_failure``: open ``target`` again after a failed
        restore (it is unchanged then), as when it was open before.
        """
        from firecase.services.backup import restore_case_file

        window = self._window
        if window.case_file is not None and not window.close_case_file():
            return
        self._target = target
        self._reopen_on_failure = reopen_on_failure
        window.file_label.setText(f"正在从备份恢复 {target} …")
        report = window.worker.report
        window.worker.run(
            lambda: restore_case_file(backup, target, progress=report),
            on_success=self._on_worker_restored,
            on_failure=self._on_worker_restore_failed,
            owner=self,
            label="正在从备份恢复…",
        )

    def _on_confirm_box_answered(self, yes: bool) -> None:
        self.confirm_box = None
        if yes:
            # Go on once the box is gone: closing the case tabs may ask about unsaved edits
            # in a modal box, whose event loop must not run inside this box's own signal.
            QTimer.singleShot(0, self, self._on_confirmed_timer_timeout)

    def _on_confirmed_timer_timeout(self) -> None:
        if self._backup is not None and self._target is not None:
            self.run(self._backup, self._target, reopen_on_failure=self._reopen_on_failure)

    def _on_worker_restored(self, result: Any) -> None:
        window = self._window
        self._target = Path(result.target)
        previous = result.previous_backup
        if previous is not None:
            self._opened_message = f"已从备份恢复；恢复前的案卷文件另存为：{previous}"
            detail = f"恢复前的案卷文件已另存为：\n{previous}"
        else:
            self._opened_message = "已从备份恢复。"
            detail = "恢复前该位置没有案卷文件，无需另存。"
        messages.inform(window, "恢复完成", f"已用备份恢复案卷文件：\n{result.target}\n\n{detail}")
        self.restored.emit(result)
        self._reopen(str(result.target))

    def _on_worker_restore_failed(self, exc: BaseException) -> None:
        window = self._window
        window.file_label.setText("未打开案卷文件")
        messages.show_error(window, exc)
        if self._reopen_on_failure and self._target is not None:
            self._opened_message = ""
            window.open_location(str(self._target))

    def _reopen(self, location: str) -> None:
        window = self._window
        window.case_file_opened.connect(self._on_window_case_file_opened)
        window.open_location(location)

    def _on_window_case_file_opened(self, _name: str) -> None:
        window = self._window
        window.case_file_opened.disconnect(self._on_window_case_file_opened)
        path = getattr(window.case_file, "path", None)
        if self._opened_message and path is not None and Path(path).resolve() == self._target:
            window.statusBar().showMessage(self._opened_message, 60000)
        self._opened_message = ""
