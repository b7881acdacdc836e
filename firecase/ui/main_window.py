"""The main window: case list, clock board, opened cases, menus, toolbar and status bar.

GUI thread only. It holds the open ``CaseFile`` (an engine and a session factory, never a
session) and passes it to service calls that run on its ``Worker``.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import shiboken6
from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from firecase.services.permissions import Permission, permissions_for
from firecase.settings import Preferences, PreferenceStore
from firecase.store.server import public_url
from firecase.ui import messages
from firecase.ui._window_build import BuildMixin
from firecase.ui._window_case_file import CaseFileMixin
from firecase.ui._window_cases import CasesMixin
from firecase.ui._window_constants import (
    APP_TITLE,
    BUSY_SHOW_DELAY_MS,
    CASE_FILE_FILTER,
    CHANGE_POLL_MS,
    CHANGED_BY_OTHERS,
    DONE_CLOCKS_SHOWN,
    SHARED_ACCOUNT_WARNING,
    log,
)
from firecase.ui._window_file_tools import FileToolsMixin
from firecase.ui.background import BackgroundTask
from firecase.ui.icons import app_icon, icon
from firecase.ui.preload import preload_workspace
from firecase.ui.util import fit_to_screen
from firecase.ui.widgets.case_list import CaseListPanel
from firecase.ui.widgets.clock_board import ClockBoardPanel
from firecase.ui.worker import Worker

__all__ = [
    "APP_TITLE",
    "BUSY_SHOW_DELAY_MS",
    "CASE_FILE_FILTER",
    "CHANGED_BY_OTHERS",
    "CHANGE_POLL_MS",
    "DONE_CLOCKS_SHOWN",
    "SHARED_ACCOUNT_WARNING",
    "MainWindow",
]


# Writes the demonstration cases into a case file (``firecase.cli`` hands in the samples' writer).
DemoWriter = Callable[[Any, dt.date], tuple[int, ...]]


class MainWindow(BuildMixin, CaseFileMixin, FileToolsMixin, CasesMixin, QMainWindow):
    """The application window. One per process; GUI thread only.

    Signals: ``case_file_opened(str)`` after a case file was opened (its display name),
    ``case_opened(int)`` after a case was shown in a workspace tab, ``refreshed()`` after the
    clock board was read, ``demo_loaded(ids)`` after the demo cases were written into an empty
    case file (first run), ``user_signed_in(UserView)`` after the user of the open case file
    was checked (管理员 in single-user mode; 选择用户 in team mode) and the actions follow
    that user's role.

    Team mode: every ``CHANGE_POLL_MS`` the worker is asked what others changed since the
    audit position shown (``services.changes``); the list, the clock board and the changed
    cases' tabs are read again, except tabs holding unsaved input (those get a notice).
    """

    case_file_opened = Signal(str)
    case_opened = Signal(int)
    refreshed = Signal()
    backup_done = Signal(object)
    demo_loaded = Signal(object)
    user_signed_in = Signal(object)
    early_page_read = Signal(str, object, object)  # location, query, page (from a thread)
    backup_progress = Signal(object)  # a firecase.progress.Step of the day's automatic backup

    def __init__(
        self,
        *,
        user: str | None = None,
        prefs: PreferenceStore | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        demo: DemoWriter | None = None,
    ) -> None:
        super().__init__()
        self.demo = demo  # None: an empty case file offers no demonstration cases
        self.setObjectName("mainWindow")
        self.user = user
        self.today = today
        self.case_file: Any = None  # firecase.store.CaseFile while one is open
        self._prefs_store = prefs or PreferenceStore()
        self.prefs: Preferences = self._prefs_store.load()
        self._opening = ""
        self._location = ""
        self._pending_case: int | None = None  # activated in the early first page (see below)
        self.demo_offer: QMessageBox | None = None  # the first-run question, while it is shown
        self.current_user: Any = None  # the signed-in UserView of the open case file
        self.last_verify_report: Any = None  # the last 检查案卷 result (tests read it)
        self.shortcuts_dialog: QWidget | None = None  # 帮助 → 快捷键, while it is open
        self._checking_login = False
        self._seen: int | None = None  # audit position of the open case file already shown
        self.change_timer = QTimer(self)
        self.change_timer.setObjectName("changeTimer")
        self.change_timer.setInterval(CHANGE_POLL_MS)
        self.change_timer.timeout.connect(self._on_change_timer_timeout)
        self.busy_delay = QTimer(self)
        self.busy_delay.setSingleShot(True)
        self.busy_delay.setInterval(BUSY_SHOW_DELAY_MS)
        self.busy_delay.timeout.connect(self._on_busy_delay_timeout)

        self.worker = Worker(self)
        self.scheduled_backup: BackgroundTask | None = None  # the day's automatic backup
        self._changed_cases: set[int] = set()  # saved in a case tab, their read not back yet
        self.worker.show_error = lambda exc: messages.show_error(self, exc)
        self.worker.busy_changed.connect(self._on_worker_busy_changed)
        self.worker.job_started.connect(self._on_worker_job_started)
        self.worker.progress.connect(self._on_worker_progress)
        self.early_page_read.connect(self._on_early_page_read)
        self.backup_progress.connect(self._on_backup_progress)

        self.setWindowIcon(app_icon())
        self.setWindowTitle(APP_TITLE)
        fit_to_screen(self, 1400, 860)

        self.list_panel = CaseListPanel(
            self.worker, self, page_size=self.prefs.page_size, today=today
        )
        self.list_panel.case_activated.connect(self._on_list_panel_case_activated)
        self.list_panel.count_changed.connect(self._on_list_panel_count_changed)
        self.list_panel.model.load_failed.connect(self._on_list_model_load_failed)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("workspaceTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.addTab(self.list_panel, icon("search"), "案件列表")
        self.tabs.tabBar().setTabButton(0, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.tabs.tabCloseRequested.connect(self._on_tabs_tab_close_requested)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        # the next year's holidays missing (from 1 November) or a 暂定 date running
        self.calendar_banner = QFrame()
        self.calendar_banner.setObjectName("calendarBanner")
        self.calendar_banner.setStyleSheet(
            "#calendarBanner { background:#fff4d6; border:1px solid #e0b252; }"
            " QLabel { color:#8a5300; }"
        )
        banner_row = QHBoxLayout(self.calendar_banner)
        banner_row.setContentsMargins(8, 4, 8, 4)
        self.calendar_banner_text = QLabel()
        self.calendar_banner_text.setObjectName("calendarBannerText")
        self.calendar_banner_text.setWordWrap(True)
        self.calendar_banner_button = QPushButton("导入…")
        self.calendar_banner_button.setObjectName("calendarBannerImport")
        self.calendar_banner_button.clicked.connect(self._on_calendar_banner_button_clicked)
        banner_row.addWidget(self.calendar_banner_text, 1)
        banner_row.addWidget(self.calendar_banner_button)
        self.calendar_banner.hide()
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.calendar_banner)
        central_layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.clock_panel = ClockBoardPanel(self)
        self.clock_panel.case_activated.connect(self._on_clock_panel_case_activated)
        self.clock_panel.done_requested.connect(self._on_clock_panel_done_requested)
        self.clock_dock = QDockWidget("期限看板", self)
        self.clock_dock.setObjectName("clockDock")
        self.clock_dock.setWidget(self.clock_panel)
        self.clock_dock.setAllowedAreas(
            Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.clock_dock)
        self._list_dock_height = 0  # the board's height on the case list, while a case shows
        self._compact_dock_height = 0  # a case tab's board before a clock's explanation opened
        self._last_tab = 0  # the tab shown before the current one (``_fit_clock_dock``)
        self.clock_panel.compact_pane_toggled.connect(self._on_clock_panel_compact_pane_toggled)
        self.clock_dock.topLevelChanged.connect(lambda _floating: self._fit_clock_dock())

        self._build_status_bar()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._restore_geometry()
        self._update_actions()

    def _on_worker_case_file_opened(self, location: str, case_file: Any) -> None:
        old = self.case_file
        self.case_file = case_file
        self.current_user = None  # until ensure_login below has checked who acts
        self._seen = None
        self.change_timer.stop()
        self._location = location
        self._opening = ""
        if old is not None:
            self._close_case_file_later(old)
        # a server URL is remembered without its password (it is asked again next time)
        self.prefs = self.prefs.with_recent(str(case_file.path or public_url(location)))
        self._save_prefs()
        name = case_file.display_name
        self.setWindowTitle(f"{name} — {APP_TITLE}")
        self.setWindowFilePath(str(case_file.path or ""))
        self.file_label.setText(f"案卷文件：{case_file.path or name}")
        self.file_label.setToolTip(str(case_file.path or name))
        if case_file.upgraded_from and case_file.backup_path:
            self.statusBar().showMessage(
                f"案卷文件已升级到新版本，升级前的备份：{case_file.backup_path}", 15000
            )
        elif case_file.path is None and getattr(case_file, "team", None) is None:
            self.statusBar().showMessage(SHARED_ACCOUNT_WARNING, 30000)
        # the list, the clocks and the first-run offer wait for the login: in team mode every
        # read by an unknown user is refused (an early first page is only ever shown for a
        # file without users, and stays until the list's reader has read it again)
        if not self.list_panel.model.showing_first_page:
            self.list_panel.model.set_fetcher(None)
        self.clock_panel.set_clocks(())
        self._run_scheduled_backup(case_file)
        self._update_actions()
        self.case_file_opened.emit(name)
        preload_workspace()  # the first case opened does not wait for its tabs' imports
        self._check_login(case_file, first=True)

    def _offer_demo_if_empty(self, case_file: Any) -> None:
        """Count the cases on the worker; an empty file offers the demo (unless declined)."""
        from firecase.services.reading import count_cases

        if self.demo is None or self._file_key(case_file) in self.prefs.demo_declined:
            return
        today = self.today()
        self.worker.run(
            lambda: count_cases(case_file, today=today),
            on_success=lambda total: self._on_worker_cases_counted(case_file, total),
            on_failure=lambda exc: log.warning("cannot count cases: %s", exc),
            owner=self,
        )

    def _on_worker_cases_counted(self, case_file: Any, total: int) -> None:
        if total or case_file is not self.case_file:
            return
        self.demo_offer = messages.ask(
            self,
            "载入演示案件？",
            f"案卷文件“{case_file.display_name}”中还没有案件。",
            "是否载入两个演示案件？演示案件是虚构的天门市火灾（一般火灾、较大火灾各一起），"
            "包含调查组、回避、证据、期限、调查报告、批复和评估等完整记录，"
            "可用来熟悉本程序，之后可随时删除。\n\n"
            "选择“不载入”则从空白案卷开始，以后打开此文件时不再询问。",
            lambda yes: self._on_demo_offer_answered(case_file, yes),
            yes_text="载入演示案件",
            no_text="不载入",
            object_name="demoOfferBox",
        )

    def _on_demo_offer_answered(self, case_file: Any, load: bool) -> None:
        if case_file is not self.case_file:
            return
        if not load:
            self.prefs = self.prefs.with_demo_declined(self._file_key(case_file))
            self._save_prefs()
            return
        write_demo, today = self.demo, self.today()
        if write_demo is None:
            return
        self.worker.run(
            lambda: write_demo(case_file, today),
            on_success=self._on_worker_demo_written,
            owner=self,
            label="正在载入演示案件…",
        )

    def _on_worker_demo_written(self, case_ids: Any) -> None:
        self.statusBar().showMessage(f"已载入 {len(case_ids)} 个演示案件。", 10000)
        self.refresh()
        self.demo_loaded.emit(tuple(case_ids))

    # ------------------------------------------------------------------------------------------
    # state
    # ------------------------------------------------------------------------------------------

    def _update_actions(self) -> None:
        has_file = self.case_file is not None
        user = self.current_user if has_file else None
        # what the signed-in user's role allows (the services refuse the rest anyway)
        may = permissions_for(user.role) if user is not None else frozenset()
        self.user_label.setText(f"{user.display_name}（{user.role}）" if user else "")
        team = getattr(self.case_file, "team", None) if has_file else None
        if user is None:
            tip = ""
        elif team is not None:
            link = (
                "与服务器的连接已加密（TLS）。"
                if getattr(self.case_file, "encrypted", None)
                else "与服务器的连接未加密：服务器未提供 TLS，请数据库管理员开启 ssl。"
            )
            tip = (
                f"团队模式：数据库服务器账号“{user.login}”，角色“{user.role}”。"
                f"能做什么由数据库服务器按角色执行，审计记录由数据库以该账号记名。{link}"
            )
        else:
            tip = f"登录名：{user.login}"
        self.user_label.setToolTip(tip)
        for name in ("refresh", "find", "clear_filters", "verify", "quick_verify"):
            self.actions_by_name[name].setEnabled(has_file)
        for name, permission in (
            ("new_case", Permission.RECORD),
            ("import_case", Permission.RECORD),
            ("import_register", Permission.RECORD),
            ("settings", Permission.MANAGE_SETTINGS),
            ("calendar", Permission.MANAGE_SETTINGS),
        ):
            self.actions_by_name[name].setEnabled(permission in may)
        self.actions_by_name["users"].setEnabled(user is not None)
        self.actions_by_name["standards"].setEnabled(has_file)  # everyone may read them
        self.actions_by_name["backup"].setEnabled(has_file)
        # restoring replaces the whole case file: the administrator's job in team mode (a
        # single-officer file has no users, and its officer counts as 管理员)
        self.actions_by_name["restore"].setEnabled(
            not has_file or Permission.MANAGE_SETTINGS in may
        )
        current = self.tabs.currentWidget()
        self.actions_by_name["save"].setEnabled(hasattr(current, "save"))
        for name in ("print", "export_case", "export_register"):
            self.actions_by_name[name].setEnabled(has_file)
        self.actions_by_name["close_tab"].setEnabled(self.tabs.currentIndex() > 0)

    def _save_prefs(self) -> None:
        try:
            self._prefs_store.save(self.prefs)
        except OSError:
            log.warning("cannot save preferences", exc_info=True)

    def _restore_geometry(self) -> None:
        try:
            if self.prefs.window_geometry:
                self.restoreGeometry(QByteArray(base64.b64decode(self.prefs.window_geometry)))
            if self.prefs.window_state:
                self.restoreState(QByteArray(base64.b64decode(self.prefs.window_state)))
        except ValueError:
            log.warning("ignoring damaged window geometry")
        else:
            if not self.prefs.window_state:
                # the first start: the board would take what its table asks for (two thirds
                # of a 720-pixel screen, two rows left to the case list); it gets a third
                self.resizeDocks([self.clock_dock], [self.height() // 3], Qt.Orientation.Vertical)
        self.clock_dock.setVisible(self.prefs.clock_board_visible)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Ask about unsaved case tabs, remember the window, close the case file."""
        if not self._close_workspaces():
            event.ignore()
            return
        geometry = base64.b64encode(bytes(self.saveGeometry().data())).decode()
        state = base64.b64encode(bytes(self.saveState().data())).decode()
        self.prefs = replace(
            self.prefs,
            window_geometry=geometry,
            window_state=state,
            clock_board_visible=self.clock_dock.isVisible(),
        )
        self._save_prefs()
        from firecase.ui import layout_memory

        layout_memory.flush()  # the splitters' sizes dragged in the last half second
        self.change_timer.stop()
        # no wait here: the file is closed on the worker after the jobs queued before now, and
        # the automatic backup (its own thread) runs to its end without holding up the window
        if self.case_file is not None and shiboken6.isValid(self):
            old, self.case_file = self.case_file, None
            if self.worker.busy:
                self._close_case_file_later(old)
            else:
                old.close()  # nothing queued that uses it: closed (and unlocked) now
        event.accept()

    # ------------------------------------------------------------------------------------------
    # slots
    # ------------------------------------------------------------------------------------------

    def _on_worker_busy_changed(self, busy: bool) -> None:
        if busy:
            self.busy_delay.start()
            return
        self.busy_delay.stop()
        self.busy_bar.hide()
        self.busy_bar.setRange(0, 0)  # the next job starts without a known extent
        self.busy_label.clear()

    def _on_busy_delay_timeout(self) -> None:
        self.busy_bar.setVisible(self.worker.busy)

    def _on_worker_job_started(self, label: str) -> None:
        if label:
            self.busy_label.setText(label)

    def _on_worker_progress(self, step: Any) -> None:
        """Long work says what it does: the step, how far, and the time it still needs."""
        self.busy_label.setText(step.text())
        fraction = step.fraction
        if fraction is None:
            self.busy_bar.setRange(0, 0)
        else:
            self.busy_bar.setRange(0, 1000)
            self.busy_bar.setValue(int(fraction * 1000))
        self.busy_bar.setVisible(True)

    def _on_list_panel_case_activated(self, case_id: int) -> None:
        if self.case_file is None and self._opening:  # a row of the early first page
            self._pending_case = case_id
            self.statusBar().showMessage("正在打开案卷文件，打开后即显示该案件…", 5000)
            return
        self.open_case(case_id)

    def _on_clock_panel_case_activated(self, case_id: int) -> None:
        self.open_case(case_id)

    def _on_list_panel_count_changed(self, total: int) -> None:
        self.count_label.setText(f"案件 {total} 件")

    def _on_list_model_load_failed(self, exc: BaseException) -> None:
        messages.show_error(self, exc)

    def _on_tabs_tab_close_requested(self, index: int) -> None:
        if index <= 0:
            return
        widget = self.tabs.widget(index)
        if self._confirm_close_workspace(widget):
            self.tabs.removeTab(index)
            widget.deleteLater()

    def _on_tabs_current_changed(self, _index: int) -> None:
        self._update_actions()
        self._fit_clock_dock()

    def _fit_clock_dock(self) -> None:
        """Leaving the case list for a case, the clock board becomes compact (its explanation
        pane shown once a clock is selected) and keeps at most a fifth of the window, the case
        the rest (a 720-pixel screen left the case a strip; a quarter and the empty pane still
        took 180 of its 650 pixels); back on the case list it gets the height it had there
        again. From one case to another, and for a board the officer sized, nothing moves. A
        floating board is never compact."""
        dock, index = self.clock_dock, self.tabs.currentIndex()
        before, self._last_tab = self._last_tab, index
        self.clock_panel.set_compact(index > 0 and not dock.isFloating())
        if not dock.isVisible() or dock.isFloating():
            return
        if index > 0 and before <= 0:
            room = max(dock.minimumSizeHint().height(), self.height() // 5)
            if dock.height() > room:
                self._list_dock_height = dock.height()
                self.resizeDocks([dock], [room], Qt.Orientation.Vertical)
        elif index == 0 and self._list_dock_height:
            self.resizeDocks([dock], [self._list_dock_height], Qt.Orientation.Vertical)
            self._list_dock_height = 0
        if index == 0:
            self._compact_dock_height = 0  # a pane opened on a case tab is the list's now

    def _on_clock_panel_compact_pane_toggled(self, shown: bool) -> None:
        """On a case tab a selected clock's explanation gets a third of the window (in a fifth
        it showed one line of it); folded away again (Esc), the board is a fifth again."""
        dock = self.clock_dock
        if dock.isFloating() or not dock.isVisible():
            return
        if shown:
            self._compact_dock_height = dock.height()
            room = max(dock.height(), self.height() // 3)
        elif self._compact_dock_height:
            room, self._compact_dock_height = self._compact_dock_height, 0
        else:
            return
        self.resizeDocks([dock], [room], Qt.Orientation.Vertical)

    def _on_recent_menu_about_to_show(self) -> None:
        self.recent_menu.clear()
        if not self.prefs.recent_files:
            empty = self.recent_menu.addAction("（无）")
            empty.setEnabled(False)
            return
        for n, location in enumerate(self.prefs.recent_files, start=1):
            action = self.recent_menu.addAction(f"&{n}  {location}")
            action.setData(location)
            action.triggered.connect(lambda _c=False, loc=location: self.open_location(loc))
        self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction("清空列表")
        clear.triggered.connect(self._on_clear_recent_triggered)

    def _on_clear_recent_triggered(self) -> None:
        self.prefs = replace(self.prefs, recent_files=())
        self._save_prefs()
