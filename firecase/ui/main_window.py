"""The main window: case list, clock board, opened cases, menus, toolbar and status bar.

GUI thread only. It holds the open ``CaseFile`` (an engine and a session factory, never a
session) and passes it to service calls that run on its ``Worker``.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QByteArray, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from firecase import __version__
from firecase.errors import CaseFileError, EmptyCaseFileError
from firecase.services.permissions import Permission, permissions_for
from firecase.settings import Preferences, PreferenceStore
from firecase.store.server import has_password, public_url
from firecase.ui import messages
from firecase.ui.background import BackgroundTask
from firecase.ui.icons import app_icon, icon
from firecase.ui.models.case_list import CaseQuery
from firecase.ui.preload import preload_workspace
from firecase.ui.util import fit_to_screen
from firecase.ui.widgets.case_list import CaseListPanel
from firecase.ui.widgets.clock_board import ClockBoardPanel
from firecase.ui.worker import Worker

log = logging.getLogger(__name__)

APP_TITLE = "FireCase 火灾事故调查处理"
CASE_FILE_FILTER = "FireCase 案卷文件 (*.sqlite *.db *.firecase);;所有文件 (*)"
DONE_CLOCKS_SHOWN = 500  # "显示已完成的期限": the newest done clocks, never a whole archive's
CHANGE_POLL_MS = 4000  # how often an open case file is asked what other officers changed
BUSY_SHOW_DELAY_MS = 300  # jobs shorter than this (e.g. that poll) never flash the indicator
CHANGED_BY_OTHERS = "其他用户修改了本案件，保存时如有冲突将提示"


SHARED_ACCOUNT_WARNING = (
    "注意：此服务器案卷未启用团队模式，所有人共用一个数据库账号，系统无法确认是谁在操作"
    "（审计记录只能记下共用账号）。请数据库管理员运行 firecase team init 为每位用户建立账号。"
)


class MainWindow(QMainWindow):
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

    def __init__(
        self,
        *,
        user: str | None = None,
        prefs: PreferenceStore | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__()
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

        self._build_status_bar()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._restore_geometry()
        self._update_actions()

    # ------------------------------------------------------------------------------------------
    # building
    # ------------------------------------------------------------------------------------------

    def _action(
        self,
        name: str,
        text: str,
        slot: Callable[[], object],
        *,
        icon_name: str = "",
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(f"{text}（{action.shortcut().toString()}）" if shortcut else text)
        action.triggered.connect(lambda _checked=False: slot())
        self.actions_by_name[name] = action
        return action

    def _build_actions(self) -> None:
        self.actions_by_name: dict[str, QAction] = {}
        a = self._action
        a(
            "new_case",
            "新建案件…",
            self.new_case,
            icon_name="new-case",
            shortcut=QKeySequence.StandardKey.New,
            tip="登记一起新的火灾事故并立案",
        )
        a(
            "open_file",
            "打开案卷文件…",
            self.choose_case_file,
            icon_name="open-file",
            shortcut=QKeySequence.StandardKey.Open,
            tip="打开或新建一个案卷文件",
        )
        a(
            "connect_server",
            "连接数据库…",
            self.connect_server,
            tip="打开数据库服务器上多人共用的案卷（PostgreSQL）",
        )
        a(
            "save",
            "保存",
            self.save_current,
            icon_name="save",
            shortcut=QKeySequence.StandardKey.Save,
            tip="保存当前案件中的修改",
        )
        a(
            "backup",
            "备份案卷文件…",
            self.backup_case_file,
            icon_name="backup",
            tip="把整个案卷文件复制一份完整的备份",
        )
        a(
            "verify",
            "检查案卷…",
            self.verify_case_file,
            tip="核对审计链，并把每条数据与审计记录、每个附件与其 SHA-256 比对",
        )
        a(
            "restore",
            "从备份恢复…",
            self.restore_from_backup,
            tip="用备份替换案卷文件（替换前先另存现在的文件）",
        )
        a(
            "print",
            "打印 / 生成报告…",
            self.print_current,
            icon_name="print",
            shortcut=QKeySequence.StandardKey.Print,
            tip="为当前案件生成 PDF 报告",
        )
        a(
            "export_case",
            "导出案件…",
            self.export_case,
            icon_name="export",
            tip="把所选案件及其全部记录导出为 .fcase 文件",
        )
        a(
            "export_deadlines",
            "导出期限日历…",
            self.export_deadlines,
            icon_name="calendar",
            tip="把所有未完成的期限导出为 .ics 日历文件（到期前3日、1日提醒），"
            "可导入 Outlook、WPS 日历或手机日历；重新导出会更新同一日程",
        )
        a(
            "export_register",
            "导出台账…",
            self.export_register,
            icon_name="export",
            tip="把案件台账、期限台账、调查组名单、当事人名单、证据清单、处理建议台账或整改台账"
            "导出为 Excel 工作簿（.xlsx）",
        )
        a(
            "import_register",
            "从台账导入…",
            self.import_register,
            icon_name="import",
            tip="从 Excel 台账导入案件（立案信息），或所选案件的调查组成员、当事人："
            "先对应列、检查，全部无误才导入",
        )
        a(
            "import_case",
            "导入案件…",
            self.import_case,
            icon_name="import",
            tip="从 .fcase 文件导入一个案件",
        )
        a("quit", "退出", self.close, icon_name="quit", shortcut=QKeySequence.StandardKey.Quit)
        a(
            "find",
            "查找案件",
            self.focus_search,
            icon_name="search",
            shortcut=QKeySequence.StandardKey.Find,
            tip="在案件列表中搜索",
        )
        a("clear_filters", "清除筛选", self.clear_filters)
        a(
            "refresh",
            "刷新",
            self.refresh,
            icon_name="refresh",
            shortcut=QKeySequence.StandardKey.Refresh,
            tip="重新读取案件列表和期限看板",
        )
        a("show_list", "案件列表", self.show_case_list, shortcut="Ctrl+1")
        a("close_tab", "关闭当前案件", self.close_current_tab, shortcut="Ctrl+W")
        a(
            "settings",
            "设置…",
            self.open_settings,
            icon_name="settings",
            shortcut=QKeySequence.StandardKey.Preferences,
            tip="单位名称、期限顺延、报告字体",
        )
        a(
            "calendar",
            "节假日日历…",
            self.open_calendar,
            icon_name="calendar",
            tip="查看和修改法定节假日、调休上班日",
        )
        a(
            "standards",
            "火灾等级标准…",
            self.open_standards,
            icon_name="regulation",
            tip="各火灾等级标准的文件、施行日期、阈值和依据；管理员录入受灾户数阈值、确认现行标准",
        )
        a(
            "users",
            "用户管理…",
            self.open_users,
            tip="多人共用案卷的用户和角色（管理员、调查组组长、调查员、只读）",
        )
        a(
            "regulation",
            "条文查看",
            self.open_regulation_viewer,
            icon_name="regulation",
            shortcut=QKeySequence.StandardKey.HelpContents,
            tip="查看《天门市火灾事故调查处理办法》",
        )
        a(
            "shortcuts",
            "快捷键…",
            self.show_shortcuts,
            shortcut="Ctrl+/",
            tip="列出程序中的全部快捷键（菜单命令、日期栏、对话框、报告预览）",
        )
        a("open_log", "打开日志文件夹", self.open_log_folder)
        a("about", "关于 FireCase", self.show_about, icon_name="about")
        clocks = self.clock_dock.toggleViewAction()
        clocks.setText("期限看板")
        clocks.setIcon(icon("clock"))
        clocks.setObjectName("toggle_clocks")
        clocks.setShortcut(QKeySequence("Ctrl+T"))
        self.actions_by_name["toggle_clocks"] = clocks
        # Ctrl+P is hidden when no report service is installed: never a menu item that does nothing
        self.actions_by_name["print"].setVisible(self._report_service() is not None)

    def _build_menus(self) -> None:
        act = self.actions_by_name
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        file_menu.addAction(act["new_case"])
        file_menu.addAction(act["open_file"])
        file_menu.addAction(act["connect_server"])
        self.recent_menu = QMenu("最近打开", self)
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(act["save"])
        file_menu.addAction(act["print"])
        file_menu.addSeparator()
        file_menu.addAction(act["backup"])
        file_menu.addAction(act["restore"])
        file_menu.addAction(act["verify"])
        file_menu.addAction(act["export_case"])
        file_menu.addAction(act["export_deadlines"])
        file_menu.addAction(act["export_register"])
        file_menu.addAction(act["import_case"])
        file_menu.addAction(act["import_register"])
        file_menu.addSeparator()
        file_menu.addAction(act["quit"])
        edit_menu = bar.addMenu("编辑(&E)")
        edit_menu.addAction(act["find"])
        edit_menu.addAction(act["clear_filters"])
        edit_menu.addSeparator()
        edit_menu.addAction(act["refresh"])
        view_menu = bar.addMenu("视图(&V)")
        view_menu.addAction(act["show_list"])
        view_menu.addAction(act["toggle_clocks"])
        self.view_menu = view_menu
        view_menu.addSeparator()
        view_menu.addAction(act["close_tab"])
        settings_menu = bar.addMenu("设置(&S)")
        settings_menu.addAction(act["settings"])
        settings_menu.addAction(act["calendar"])
        settings_menu.addAction(act["standards"])
        settings_menu.addSeparator()
        settings_menu.addAction(act["users"])
        help_menu = bar.addMenu("帮助(&H)")
        help_menu.addAction(act["regulation"])
        help_menu.addAction(act["shortcuts"])
        help_menu.addAction(act["open_log"])
        help_menu.addSeparator()
        help_menu.addAction(act["about"])

    def _build_toolbar(self) -> None:
        act = self.actions_by_name
        tb = QToolBar("工具栏", self)
        tb.setObjectName("mainToolbar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        tb.setMovable(False)
        for name in (
            "new_case",
            "open_file",
            "save",
            "backup",
            None,
            "refresh",
            "print",
            "toggle_clocks",
            None,
            "regulation",
            "settings",
        ):
            if name is None:
                tb.addSeparator()
            elif act[name].isVisible():
                tb.addAction(act[name])
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
        toggle = tb.toggleViewAction()
        toggle.setText("工具栏")
        self.view_menu.insertAction(act["close_tab"], toggle)
        self.toolbar = tb

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.file_label = QLabel("未打开案卷文件")
        self.file_label.setObjectName("fileLabel")
        self.count_label = QLabel("")
        self.user_label = QLabel("")
        self.user_label.setObjectName("userLabel")
        self.busy_label = QLabel("")
        self.busy_bar = QProgressBar()
        self.busy_bar.setObjectName("busyIndicator")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setMaximumHeight(14)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.hide()
        bar.addWidget(self.file_label, 1)
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.count_label)
        bar.addPermanentWidget(self.busy_label)
        bar.addPermanentWidget(self.busy_bar)

    # ------------------------------------------------------------------------------------------
    # case file
    # ------------------------------------------------------------------------------------------

    def open_location(
        self, location: str, *, ask_password: bool = True, allow_empty: bool = False
    ) -> None:
        """Open (create and migrate if needed) the case file at a path or URL, via the worker.

        A server URL without a password (``--db``, the recent list) first shows 连接数据库 with
        the address filled in, unless ``ask_password`` is False (the dialog was just answered).
        The store (SQLAlchemy, the models) is imported by the worker job, not before the paint.
        ``allow_empty``: the user agreed to use an empty (0-byte) file as a new case file.
        """
        if ask_password and location.startswith("postgresql") and not has_password(location):
            asked = self._ask_server_location(initial_url=location)
            if not asked:
                return
            location = asked
        if self.case_file is not None and self._same_location(location):
            self.refresh()
            return
        if not self._close_workspaces():
            return
        user = self.user
        self._opening = location
        self._pending_case = None
        self.file_label.setText(f"正在打开 {public_url(location)} …")

        def job() -> Any:
            from firecase.store import open_case_file

            return open_case_file(location, user=user, allow_empty=allow_empty)

        def run_open() -> None:
            self.worker.run(
                job,
                on_success=lambda cf: self._on_worker_case_file_opened(location, cf),
                on_failure=lambda exc: self._on_worker_case_file_failed(location, exc),
                owner=self,
                label="正在打开案卷文件…",
            )

        if self.case_file is None and "://" not in location:
            self._read_first_page(location, then=run_open)
        else:
            run_open()

    def _read_first_page(self, location: str, *, then: Callable[[], None]) -> None:
        """Show the case list's first page before the store is loaded, then call ``then``.

        ``services.first_page`` reads it with the standard ``sqlite3`` module on the worker;
        it answers None whenever the page could differ from what the list's own reader will
        show (see there), and then the list waits for the open file. ``then`` (the open job)
        is queued only after the page is painted: loading the store holds Python's GIL for
        long stretches, which would otherwise slow the paint of the page down several times.
        """
        model = self.list_panel.model
        limit, today = model.page_size, self.today()

        def job() -> Any:
            from firecase.services.first_page import read_first_page

            return read_first_page(location, limit=limit, today=today)

        def shown(page: Any) -> None:
            if self._opening != location:  # another file was asked for meanwhile
                return
            early = page is not None and self.case_file is None
            if early and self.list_panel.model.show_first_page(page):
                self.count_label.setText(f"案件 {page.total} 件")
                self.list_panel.after_next_paint(then)
            else:
                then()

        def failed(exc: BaseException) -> None:
            log.warning("early first page failed: %s", exc)
            if self._opening == location:
                then()

        self.worker.run(
            job, on_success=shown, on_failure=failed, owner=self, label="正在读取案件列表…"
        )

    def connect_server(self) -> None:
        """文件 → 连接数据库…: ask for a PostgreSQL server and open the shared case file there."""
        location = self._ask_server_location()
        if location:
            self.open_location(location, ask_password=False)

    def _ask_server_location(self, initial_url: str | None = None) -> str | None:
        """Show 连接数据库; the full URL (with the password, memory only) or None if cancelled.

        The dialog stores the address without the password in the preferences file; the
        window's own copy of the preferences is brought in line, since the window writes the
        whole file when it saves its preferences.
        """
        from firecase.ui.dialogs.connect_dialog import ask_server_location

        location = ask_server_location(self, self._prefs_store, self.worker, initial_url)
        if location:
            self.prefs = replace(self.prefs, server_url=public_url(location))
        return location

    def _same_location(self, location: str) -> bool:
        path = getattr(self.case_file, "path", None)
        if path is None or "://" in location:
            return False
        return Path(location).expanduser().resolve() == Path(path)

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

    # -- team mode: who acts, what their role allows, what other officers changed ---------------

    def _check_login(self, case_file: Any, *, first: bool = False) -> None:
        """Make sure ``case_file`` acts as one of its users (选择用户 in team mode), then apply
        that user's role; ``first`` (just opened) then also loads the list and starts polling.
        """
        from firecase.ui.dialogs.login_dialog import ensure_login

        self._checking_login = True
        ensure_login(
            self,
            case_file,
            self.worker,
            lambda user: self._on_login_done(case_file, user, first=first),
        )

    def _on_login_done(self, case_file: Any, user: Any, *, first: bool = False) -> None:
        """``user`` (a ``UserView``) acts in ``case_file`` from now on; None: login cancelled."""
        self._checking_login = False
        if case_file is not self.case_file:
            return
        if user is None:  # every service would refuse an unknown user: do not keep the file
            self.current_user = None
            self._pending_case = None
            self.change_timer.stop()
            if self.close_case_file():
                self.statusBar().showMessage("未选择用户，已关闭案卷文件。", 10000)
            return
        self.current_user = user
        self._update_actions()
        if first:
            self.list_panel.model.set_fetcher(self._page_fetcher(case_file))
            self._refresh_clocks()
            if Permission.RECORD in permissions_for(user.role):
                self._offer_demo_if_empty(case_file)
            self._watch_changes(case_file)
        self.user_signed_in.emit(user)
        pending, self._pending_case = self._pending_case, None
        if first and pending is not None:
            self.open_case(pending)

    def open_users(self) -> None:
        """设置 → 用户管理…: the users of the open case file and their roles."""
        from firecase.ui.dialogs.users_dialog import UsersDialog

        if self.case_file is None:
            return
        dialog = UsersDialog(self.case_file, self.worker, self, today=self.today)
        dialog.users_changed.connect(self._on_users_dialog_users_changed)
        self.users_dialog = dialog
        dialog.open()

    def _on_users_dialog_users_changed(self) -> None:
        if self.case_file is not None:
            self._check_login(self.case_file)  # the role (or the login itself) may have changed

    def _watch_changes(self, case_file: Any) -> None:
        """Read the audit position shown now, then poll every ``CHANGE_POLL_MS``."""
        from firecase.services.changes import audit_position

        self.worker.run(
            lambda: audit_position(case_file),
            on_success=lambda seq: self._on_worker_position_read(case_file, seq),
            on_failure=lambda exc: log.warning("cannot read the audit position: %s", exc),
            owner=self,
        )

    def _on_worker_position_read(self, case_file: Any, seq: int) -> None:
        if case_file is not self.case_file:
            return
        self._seen = seq
        self.change_timer.start()

    def _on_change_timer_timeout(self) -> None:
        """Ask on the worker what changed since ``_seen`` (skipped while the worker is busy)."""
        from firecase.services.changes import changes_since

        cf, seen = self.case_file, self._seen
        if cf is None or seen is None or self.worker.busy:
            return
        self.worker.run(
            lambda: changes_since(cf, seen),
            on_success=lambda changes: self._on_worker_changes_read(cf, changes),
            on_failure=lambda exc: log.warning("cannot poll for changes: %s", exc),
            owner=self,
        )

    def _on_worker_changes_read(self, case_file: Any, changes: Any) -> None:
        """Show what others changed (``changes``: a ``CaseChanges``) in ``case_file``.

        Changes made only under this window's own login were already shown by the window
        (each save refreshes the list and its case tab); they just move the position on.
        """
        if case_file is not self.case_file:
            return
        self._seen = changes.seq
        if not changes.changed:
            return
        mine = {str(case_file.user)}
        if changes.actors and changes.actors <= mine:
            return
        if changes.case_ids:
            self.list_panel.model.refresh()
            self._reload_changed_workspaces(changes.case_ids)
        if changes.case_ids or changes.other_changed:
            self._refresh_clocks()  # settings and the calendar move deadlines too
        if changes.other_changed and not self._checking_login:
            self._check_login(case_file)  # the user's role may have changed

    def _reload_changed_workspaces(self, case_ids: frozenset[int]) -> None:
        """Read changed cases' tabs again; a tab with unsaved input keeps it and gets a notice."""
        for widget in self.workspaces():
            if getattr(widget, "case_id", None) not in case_ids:
                continue
            has_unsaved = getattr(widget, "has_unsaved_changes", None)
            if has_unsaved is not None and has_unsaved():
                title = widget.windowTitle() or "案件"
                self.statusBar().showMessage(f"{title}：{CHANGED_BY_OTHERS}", 30000)
                header = getattr(widget, "header", None)
                if isinstance(header, QLabel) and CHANGED_BY_OTHERS not in header.text():
                    header.setText(
                        f'{header.text()}　<span style="color:#b00020;">{CHANGED_BY_OTHERS}</span>'
                    )
                continue
            reload = getattr(widget, "reload", None)
            if reload is not None:
                reload()

    # -- first run: an empty case file offers the demo cases ------------------------------------

    @staticmethod
    def _file_key(case_file: Any) -> str:
        """How preferences name a case file: its path, or the server URL without password."""
        return str(case_file.path) if case_file.path is not None else str(case_file.display_name)

    def _offer_demo_if_empty(self, case_file: Any) -> None:
        """Count the cases on the worker; an empty file offers the demo (unless declined)."""
        from firecase.services.reading import count_cases

        if self._file_key(case_file) in self.prefs.demo_declined:
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
        from firecase.samples.demo import write_demo

        today = self.today()
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

    def _on_worker_case_file_failed(self, location: str, exc: BaseException) -> None:
        self._opening = ""
        self._pending_case = None
        if self.list_panel.model.showing_first_page:  # read early from the file that failed
            self.list_panel.model.set_fetcher(None)
            self.count_label.clear()
        if self.case_file is None:
            self.file_label.setText("未打开案卷文件")
        else:  # the file open before stays open: name it again, not the one that failed
            cf = self.case_file
            self.file_label.setText(f"案卷文件：{cf.path or cf.display_name}")
        gone = "://" not in location and not Path(location).parent.exists()
        shown = public_url(location)
        if isinstance(exc, CaseFileError) and gone and shown in self.prefs.recent_files:
            self.prefs = self.prefs.without_recent(shown)
            self._save_prefs()
        backup = getattr(exc, "backup", None) if isinstance(exc, CaseFileError) else None
        if isinstance(exc, EmptyCaseFileError) and "://" not in location:
            self._ask_use_empty_file(location, exc)
        elif backup and "://" not in location and self.case_file is None:
            self._offer_restore(location, str(backup), exc)
        else:
            messages.show_error(self, exc)
        self._update_actions()

    def _ask_use_empty_file(self, location: str, exc: CaseFileError) -> None:
        """An empty (0-byte) file: use it as a new case file only if the user says so."""

        def answered(yes: bool) -> None:
            if yes:
                self.open_location(location, allow_empty=True)

        messages.ask(
            self,
            "空文件",
            "该文件为空，是否作为新的案卷文件使用？",
            exc.message,
            answered,
            yes_text="作为新的案卷文件",
            no_text="取消",
            object_name="emptyFileBox",
        )

    def _offer_restore(self, location: str, backup: str, exc: CaseFileError) -> None:
        """The case file could not be opened and a backup is named: offer to restore from it."""
        from firecase.ui.restore import RestoreFlow

        def answered(yes: bool) -> None:
            if yes:
                self.restore_flow = RestoreFlow(self)
                self.restore_flow.run(Path(backup), Path(location), reopen_on_failure=False)

        messages.ask(
            self,
            "案卷文件无法使用",
            exc.message,
            f"是否用备份“{Path(backup).name}”恢复？恢复前现在的文件会另存在同一文件夹中。",
            answered,
            yes_text="从备份恢复",
            no_text="不恢复",
            object_name="restoreOfferBox",
        )

    def _close_case_file_later(self, case_file: Any) -> None:
        """Close ``case_file`` once the jobs queued before now (which may use it) are done."""
        self.worker.run(case_file.close, owner=None, label="")

    def _page_fetcher(self, case_file: Any) -> Callable[..., Any]:
        """The list model's fetcher: runs on the worker, which imports the cases service."""

        def fetch(query: CaseQuery, offset: int, limit: int, today: dt.date) -> Any:
            from firecase.services.reading import list_cases

            return list_cases(
                case_file,
                text=query.text or None,
                stage=query.stage,
                grade=query.grade,
                overdue_only=query.overdue_only,
                sort=query.sort,
                offset=offset,
                limit=limit,
                today=today,
            )

        return fetch

    def choose_case_file(self) -> None:
        """Ctrl+O: pick a case file (a new name creates an empty case file)."""
        start = self.prefs.last_folder or str(Path.home())
        dialog = QFileDialog(self, "打开案卷文件", start, CASE_FILE_FILTER)
        dialog.setObjectName("openCaseFileDialog")
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setLabelText(QFileDialog.DialogLabel.Accept, "打开")
        if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return
        chosen = dialog.selectedFiles()[0]
        self.prefs = replace(self.prefs, last_folder=str(Path(chosen).parent))
        self.open_location(chosen)

    def backup_case_file(self) -> None:
        """Back up the whole open case file (SQLite copy, or a logical backup of a server)."""
        cf = self.case_file
        if cf is None:
            return
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        if cf.path is not None:
            proposed = str(Path(cf.path).with_name(f"{Path(cf.path).stem}.备份-{stamp}.sqlite"))
            filters = "案卷副本 (*.sqlite);;逻辑备份 (*.fcbackup)"
        else:
            proposed = str(
                Path(self.prefs.last_folder or Path.home()) / f"案卷.备份-{stamp}.fcbackup"
            )
            filters = "逻辑备份 (*.fcbackup)"
        target, _ = QFileDialog.getSaveFileName(self, "备份案卷文件", proposed, filters)
        if target:
            self.run_backup(Path(target))

    def verify_case_file(self, anchor: str = "") -> None:
        """检查案卷: the checks of ``firecase verify`` on the worker, the result in a dialog.

        ``anchor`` (``SEQ:HASH`` from a report's signature page) is asked for first when not
        given; an empty answer checks without one."""
        from PySide6.QtWidgets import QInputDialog

        cf = self.case_file
        if cf is None:
            return
        if not anchor:
            text, ok = QInputDialog.getText(
                self,
                "检查案卷",
                "如要核对报告上印的审计链锚点，请输入“序号:哈希”（可留空）：",
            )
            if not ok:
                return
            anchor = text.strip()
        self.run_verify(anchor)

    def run_verify(self, anchor: str = "") -> None:
        """Run the checks on the worker and show the result (``services.maintenance``)."""
        from firecase.services.maintenance import verify_case_file

        cf = self.case_file
        self.worker.run(
            lambda: verify_case_file(cf, anchor=anchor),
            on_success=self._on_worker_verify_done,
            owner=self,
            label="正在检查案卷…",
        )

    def _on_worker_verify_done(self, report: Any) -> None:
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout

        from firecase.services.maintenance import verify_lines

        self.last_verify_report = report
        dialog = QDialog(self)
        dialog.setObjectName("verifyResult")
        dialog.setWindowTitle("检查案卷")
        headline = QLabel(
            "案卷完好：审计链完整，数据与审计记录一致，附件均与其 SHA-256 相符。"
            if report.ok
            else "发现问题：以下数据与审计记录不符，或审计记录本身被改动。"
            "请保留此结果并报告管理员。"
        )
        headline.setObjectName("verifyHeadline")
        headline.setWordWrap(True)
        if not report.ok:
            headline.setStyleSheet("color: #b00020; font-weight: bold;")
        details = QPlainTextEdit("\n".join(verify_lines(report)))
        details.setObjectName("verifyDetails")
        details.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        layout = QVBoxLayout(dialog)
        layout.addWidget(headline)
        layout.addWidget(details, 1)
        layout.addWidget(buttons)
        dialog.resize(780, 420)
        dialog.open()

    def run_backup(self, target: Path) -> None:
        """Back up the open case file to ``target`` on the worker (``services.backup``)."""
        from firecase.services.backup import backup_case_file

        location = self._location
        self.worker.run(
            lambda: backup_case_file(location, target, overwrite=True),
            on_success=self._on_worker_backup_done,
            owner=self,
            label="正在备份…",
        )

    def _on_worker_backup_done(self, result: Any) -> None:
        self.statusBar().showMessage(f"已备份到 {result.path}", 10000)
        messages.inform(self, "备份完成", f"案卷文件已完整备份到：\n{result.path}")
        self.backup_done.emit(result.path)

    def restore_from_backup(self) -> None:
        """文件 → 从备份恢复: replace the SQLite case file with a backup (``ui.restore``)."""
        from firecase.ui.restore import RestoreFlow

        self.restore_flow = RestoreFlow(self)
        self.restore_flow.start()

    def close_case_file(self) -> bool:
        """Close the case tabs (asking about unsaved edits) and the case file; False if kept.

        The file itself is closed on the worker after the jobs queued before now (which may
        still use it), so a job queued afterwards finds it closed and unlocked.
        """
        if not self._close_workspaces():
            return False
        old, self.case_file = self.case_file, None
        self._location = ""
        if old is not None:
            self._close_case_file_later(old)
        self.list_panel.model.set_fetcher(None)
        self.clock_panel.set_clocks(())
        self.setWindowTitle(APP_TITLE)
        self.setWindowFilePath("")
        self.file_label.setText("未打开案卷文件")
        self.file_label.setToolTip("")
        self.count_label.clear()
        self._update_actions()
        return True

    def _run_scheduled_backup(self, case_file: Any) -> None:
        """The daily automatic backup of a SQLite case file (at most one a day)."""
        from firecase.services.backup import (
            Retention,
            default_backup_folder,
            run_scheduled_backup,
        )

        if case_file.path is None:
            return
        path = case_file.path
        # its own thread, not the worker: a full copy and check of a large file must not
        # hold up the queries typed meanwhile, nor the closing of the window
        self.scheduled_backup = BackgroundTask(
            lambda: run_scheduled_backup(
                path, default_backup_folder(), Retention(), dt.datetime.now()
            ),
            name="firecase-automatic-backup",
            on_success=self._on_worker_scheduled_backup_done,
            on_failure=lambda exc: log.warning("automatic backup failed: %s", exc),
            owner=self,
        ).start()

    def _on_worker_scheduled_backup_done(self, result: Any) -> None:
        if result.created is not None:
            self.statusBar().showMessage(f"今日自动备份：{result.created}", 8000)

    def selected_case_id(self) -> int | None:
        """The case of the current tab, or the case selected in the list."""
        widget = self.tabs.currentWidget()
        if widget is not self.list_panel:
            return getattr(widget, "case_id", None)
        return self.list_panel.current_case_id()

    def _selected_case_no(self) -> str | None:
        case_id = self.selected_case_id()
        if case_id is None:
            return None
        widget = self.tabs.currentWidget()
        detail = getattr(widget, "detail", None)
        if detail is not None and getattr(detail, "case", None) is not None:
            return str(detail.case.case_no)
        row = self.list_panel.model.row_at(self.list_panel.model.row_of_case(case_id))
        return row.case_no if row else None

    def export_case(self) -> None:
        """Write the selected case with everything under it to a .fcase file."""
        case_id, case_no = self.selected_case_id(), self._selected_case_no()
        if case_id is None or case_no is None:
            self.statusBar().showMessage("请先在列表中选择一个案件。", 5000)
            return
        safe = "".join(ch for ch in case_no if ch not in '\\/:*?"<>|')
        folder = Path(self.prefs.last_folder or Path.home())
        target, _ = QFileDialog.getSaveFileName(
            self, "导出案件", str(folder / f"{safe}.fcase"), "案件导出文件 (*.fcase)"
        )
        if target:
            self.run_export(case_id, Path(target))

    def run_export(self, case_id: int, target: Path) -> None:
        """Export case ``case_id`` to ``target`` on the worker (``services.transfer``)."""
        from firecase.services.transfer import export_case

        cf = self.case_file
        self.worker.run(
            lambda: export_case(cf, case_id, target, overwrite=True),
            on_success=self._on_worker_export_done,
            owner=self,
            label="正在导出案件…",
        )

    def _on_worker_export_done(self, result: Any) -> None:
        self.statusBar().showMessage(f"已导出 {result.case_no} 到 {result.path}", 10000)
        messages.inform(
            self,
            "导出完成",
            f"案件 {result.case_no} 已导出到：\n{result.path}\n"
            f"（{result.rows} 行，附件 {result.attachments} 个）",
        )

    def export_deadlines(self) -> None:
        """Write every open clock to an .ics file the officer's calendar imports."""
        folder = Path(self.prefs.last_folder or Path.home())
        target, _ = QFileDialog.getSaveFileName(
            self, "导出期限日历", str(folder / "火灾事故调查处理期限.ics"), "日历文件 (*.ics)"
        )
        if target:
            self.run_export_deadlines(Path(target))

    def run_export_deadlines(self, target: Path) -> None:
        """Export the open clocks to ``target`` on the worker (``services.deadline_calendar``)."""
        from firecase.services.deadline_calendar import export_deadlines

        cf = self.case_file
        self.worker.run(
            lambda: export_deadlines(cf, target, overwrite=True),
            on_success=self._on_worker_deadlines_exported,
            owner=self,
            label="正在导出期限日历…",
        )

    def _on_worker_deadlines_exported(self, result: Any) -> None:
        self.statusBar().showMessage(f"已导出 {result.events} 个期限到 {result.path}", 10000)
        messages.inform(
            self,
            "导出完成",
            f"{result.events} 个未完成的期限（{result.cases} 件案件）已导出到：\n{result.path}\n"
            "每个期限在到期前3日、1日提醒。可导入 Outlook、WPS 日历或手机日历；"
            "期限变化后重新导出，会更新日历中的同一日程。",
        )

    def _register_dialog_args(self) -> dict[str, Any]:
        case_id, case_no = self.selected_case_id(), self._selected_case_no()
        return {
            "case": (case_id, case_no) if case_id is not None and case_no else None,
            "folder": Path(self.prefs.last_folder or Path.home()),
            "today": self.today,
        }

    def export_register(self) -> None:
        """文件 → 导出台账…: a register as an Excel workbook (``dialogs.register_export``)."""
        from firecase.ui.dialogs.register_export import RegisterExportDialog

        if self.case_file is None:
            return
        dialog = RegisterExportDialog(
            self.case_file, self.worker, self, **self._register_dialog_args()
        )
        dialog.exported.connect(self._on_register_dialog_exported)
        self.register_dialog: Any = dialog
        dialog.open()

    def _on_register_dialog_exported(self, result: Any) -> None:
        self.statusBar().showMessage(
            f"已导出{result.name}（{result.rows} 条）到 {result.path}", 10000
        )

    def import_register(self) -> None:
        """文件 → 从台账导入…: map, check and import a register (``dialogs.register_import``)."""
        from firecase.ui.dialogs.register_import import RegisterImportDialog

        if self.case_file is None:
            return
        dialog = RegisterImportDialog(
            self.case_file, self.worker, self, **self._register_dialog_args()
        )
        dialog.imported.connect(self._on_register_dialog_imported)
        self.register_dialog = dialog
        dialog.open()

    def _on_register_dialog_imported(self, result: Any) -> None:
        self.statusBar().showMessage(result.summary(), 10000)
        self.refresh()
        case = getattr(self.register_dialog, "case", None)
        if result.kind != "cases" and case is not None:
            self._reload_changed_workspaces(frozenset({case[0]}))

    def import_case(self) -> None:
        """Read a .fcase file, show what it holds, and import it after the user agrees."""
        folder = self.prefs.last_folder or str(Path.home())
        source, _ = QFileDialog.getOpenFileName(
            self, "导入案件", folder, "案件导出文件 (*.fcase);;所有文件 (*)"
        )
        if source:
            self.run_import(Path(source), ask=True)

    def run_import(self, source: Path, *, ask: bool = True) -> None:
        """Preview ``source`` on the worker, confirm (if ``ask``), then import it."""
        from firecase.services.transfer import preview_case_export

        cf = self.case_file
        self.worker.run(
            lambda: preview_case_export(cf, source),
            on_success=lambda preview: self._on_worker_import_previewed(source, preview, ask),
            owner=self,
            label="正在检查导出文件…",
        )

    def _on_worker_import_previewed(self, source: Path, preview: Any, ask: bool) -> None:
        from firecase.services.transfer import import_case

        as_copy = bool(preview.number_taken)
        text = (
            f"文件中的案件：{preview.case_no}　{preview.title}\n"
            f"起火日期：{preview.fire_date or '—'}；"
            f"导出时间：{preview.exported_at}；{preview.rows} 行。"
        )
        if as_copy:
            text += "\n\n本案卷中已有同一编号的案件，将作为副本导入并使用下一个空闲编号。"
        if ask and not messages.confirm(self, "导入案件", text, ok_text="导入"):
            return
        cf = self.case_file
        self.worker.run(
            lambda: import_case(cf, source, as_copy=as_copy),
            on_success=self._on_worker_import_done,
            owner=self,
            label="正在导入案件…",
        )

    def _on_worker_import_done(self, result: Any) -> None:
        self.statusBar().showMessage(f"已导入案件 {result.case_no}", 10000)
        self.refresh()
        self.open_case(result.case_id)

    # ------------------------------------------------------------------------------------------
    # cases
    # ------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """F5: read the case list and the clock board again (the list keeps its place)."""
        if self.case_file is None:
            return
        self.list_panel.model.refresh()
        self._refresh_clocks()

    def _refresh_clocks(self) -> None:
        """Read the open clocks on the worker (the done ones only when the board asks)."""
        cf, today = self.case_file, self.today()

        def job() -> Any:
            from firecase.services.clock_board import clock_board, exempt_cases

            return clock_board(cf, today=today, include_done=False), exempt_cases(cf)

        self.worker.run(
            job,
            on_success=self._on_worker_clocks_loaded,
            owner=self,
            label="正在计算期限…",
        )

    def _on_worker_clocks_loaded(self, result: Any) -> None:
        clocks, exempt = result
        self.clock_panel.set_exempt(exempt)
        self.clock_panel.set_clocks(tuple(clocks))
        cf, today = self.case_file, self.today()
        if cf is not None:
            from firecase.services.settings import calendar_banner

            self.worker.run(
                lambda: calendar_banner(cf, today),
                on_success=self._on_worker_banner_read,
                owner=self,
            )
        self.refreshed.emit()

    def _on_worker_banner_read(self, text: str) -> None:
        """Show (or hide) the banner asking for the holiday arrangement of a missing year."""
        if text:
            self.calendar_banner_text.setText(
                f"<b>{text}</b> — 导入国务院办公厅发布的节假日安排后，暂定的期限自动重算"
                "（民法典第二百零三条；第十九条的工作日）。"
            )
        self.calendar_banner.setVisible(bool(text))

    def _on_calendar_banner_button_clicked(self) -> None:
        self.open_calendar()

    def _on_clock_panel_done_requested(self) -> None:
        """The newest ``DONE_CLOCKS_SHOWN`` done clocks (显示已完成的期限), read on the worker."""
        cf, today = self.case_file, self.today()
        if cf is None:
            return

        def job() -> Any:
            from firecase.services.clock_board import done_clocks

            return done_clocks(cf, today=today, limit=DONE_CLOCKS_SHOWN)

        self.worker.run(
            job,
            on_success=lambda clocks: self._on_worker_done_clocks_loaded(cf, clocks),
            owner=self,
            label="正在读取已完成的期限…",
        )

    def _on_worker_done_clocks_loaded(self, case_file: Any, clocks: Any) -> None:
        if case_file is self.case_file:
            self.clock_panel.set_done_clocks(tuple(clocks))

    def new_case(self) -> None:
        """Ctrl+N: the intake dialog for a new incident."""
        from firecase.ui.dialogs.intake import IntakeDialog

        if self.case_file is None:
            messages.show_error(self, CaseFileError("请先打开一个案卷文件。"))
            return
        dialog = IntakeDialog(self.case_file, self.worker, self, today=self.today)
        dialog.case_saved.connect(self._on_intake_case_saved)
        self.intake_dialog = dialog
        dialog.open()

    def _on_intake_case_saved(self, summary: Any) -> None:
        self.statusBar().showMessage(f"已立案：{summary.case_no}", 10000)
        self.refresh()
        self.open_case(summary.id)

    def open_case(self, case_id: int) -> QWidget | None:
        """Show case ``case_id`` in a workspace tab (the existing tab if it is open)."""
        from firecase.ui.workspace import open_case_workspace

        if self.case_file is None:
            return None
        for index in range(1, self.tabs.count()):
            widget = self.tabs.widget(index)
            if getattr(widget, "case_id", None) == case_id:
                self.tabs.setCurrentIndex(index)
                return widget
        widget = open_case_workspace(self.tabs, self.case_file, case_id)
        widget.setProperty("firecase_case_id", case_id)
        if getattr(widget, "case_id", None) is None:
            widget.case_id = case_id  # type: ignore[attr-defined]
        index = self.tabs.addTab(widget, icon("new-case"), widget.windowTitle() or "案件")
        widget.windowTitleChanged.connect(
            lambda title, w=widget: self._on_workspace_title(w, title)
        )
        changed = getattr(widget, "case_changed", None)
        if changed is not None:
            changed.connect(self._on_workspace_case_changed)
        loaded = getattr(widget, "detail_loaded", None)
        if loaded is not None:
            loaded.connect(self._on_workspace_detail_loaded)
        self.tabs.setCurrentIndex(index)
        self.case_opened.emit(case_id)
        return widget

    def _on_workspace_title(self, widget: QWidget, title: str) -> None:
        index = self.tabs.indexOf(widget)
        if index >= 0:
            self.tabs.setTabText(index, title)

    def _on_workspace_case_changed(self, case_id: object = None) -> None:
        # A tab saved: it reads its case again right away (ctx.changed, then ctx.reload).
        # That case's list row and board entries are read after that read, not the whole
        # list and board before it (the case is repainted first).
        if isinstance(case_id, int) and hasattr(self.sender(), "detail_loaded"):
            self._changed_cases.add(case_id)
        else:
            self.refresh()

    def _on_workspace_detail_loaded(self, detail: Any) -> None:
        case_id = detail.case.id
        if case_id in self._changed_cases and self.case_file is not None:
            self._changed_cases.discard(case_id)
            self._refresh_case(case_id)

    def _refresh_case(self, case_id: int) -> None:
        """Read one case's list row and its board entries again (one small job)."""
        cf, today = self.case_file, self.today()

        def job() -> Any:
            from firecase.ui.models.case_list import read_case_row
            from firecase.ui.models.clock_board import read_case_open_clocks

            return read_case_row(cf, case_id, today), read_case_open_clocks(cf, case_id, today)

        self.worker.run(
            job,
            on_success=lambda result: self._on_worker_case_refreshed(cf, case_id, result),
            owner=self,
        )

    def _on_worker_case_refreshed(self, case_file: Any, case_id: int, result: Any) -> None:
        if case_file is not self.case_file:
            return
        row, clocks = result
        if row is None or not self.list_panel.model.update_case_row(row):
            self.list_panel.model.refresh()  # it moved, left the filter, or is new to the list
        self.clock_panel.replace_case_clocks(case_id, tuple(clocks))
        self.refreshed.emit()

    def workspaces(self) -> list[QWidget]:
        """The open case tabs."""
        return [self.tabs.widget(i) for i in range(1, self.tabs.count())]

    def close_current_tab(self) -> None:
        """Ctrl+W: close the current case tab (asking first about unsaved changes)."""
        index = self.tabs.currentIndex()
        if index > 0:
            self._on_tabs_tab_close_requested(index)

    def _confirm_close_workspace(self, widget: QWidget) -> bool:
        has_unsaved = getattr(widget, "has_unsaved_changes", None)
        if has_unsaved is None or not has_unsaved():
            return True
        answer = messages.ask_discard(self, widget.windowTitle() or "案件")
        if answer is messages.DiscardAnswer.SAVE:
            widget.save()  # type: ignore[attr-defined]
            return not has_unsaved()
        return answer is messages.DiscardAnswer.DISCARD

    def _close_workspaces(self) -> bool:
        for widget in self.workspaces():
            if not self._confirm_close_workspace(widget):
                return False
        while self.tabs.count() > 1:
            widget = self.tabs.widget(1)
            self.tabs.removeTab(1)
            widget.deleteLater()
        return True

    def save_current(self) -> None:
        """Ctrl+S: save the current case tab, if it has something to save."""
        save = getattr(self.tabs.currentWidget(), "save", None)
        if save is not None:
            save()

    def print_current(self) -> None:
        """Ctrl+P: the report dialog of the current case tab, or of the case selected in the list.

        The dialog (``firecase.ui.dialogs.report_dialog``) is the reports layer's:
        ``ReportDialog(case_file, case_no, worker, today=..., now=...)``.
        """
        widget = self.tabs.currentWidget()
        printer = getattr(widget, "print_report", None)
        if printer is not None:
            printer()
            return
        case_no = self._selected_case_no()
        if case_no is None or self.case_file is None:
            self.statusBar().showMessage("请先选择一个案件，再生成报告。", 5000)
            return
        from firecase.ui.dialogs.report_dialog import open_report_dialog

        self.report_dialog = open_report_dialog(
            self, self.case_file, case_no, self.worker, today=self.today
        )

    @staticmethod
    def _report_service() -> object | None:
        """The report dialog module's spec, or None while it is not installed.

        Only looked up, not imported: the dialog pulls in ReportLab, pypdfium2 and Qt's print
        support, which the window does not need to paint. ``print_current`` imports it when a
        report is asked for, and the dialog builds the PDF on the worker.
        """
        import importlib.util

        return importlib.util.find_spec("firecase.ui.dialogs.report_dialog")

    def focus_search(self) -> None:
        """Ctrl+F: show the case list and put the cursor in its search box."""
        self.tabs.setCurrentIndex(0)
        self.list_panel.focus_search()

    def clear_filters(self) -> None:
        """Empty the search box and reset every filter."""
        p = self.list_panel
        for widget in (p.search, p.stage_filter, p.grade_filter, p.overdue_only):
            widget.blockSignals(True)
        p.search.clear()
        p.stage_filter.setCurrentIndex(0)
        p.grade_filter.setCurrentIndex(0)
        p.overdue_only.setChecked(False)
        for widget in (p.search, p.stage_filter, p.grade_filter, p.overdue_only):
            widget.blockSignals(False)
        p.apply_filters()

    def show_case_list(self) -> None:
        """Ctrl+1: back to the case list."""
        self.tabs.setCurrentIndex(0)

    # ------------------------------------------------------------------------------------------
    # settings, help
    # ------------------------------------------------------------------------------------------

    def open_settings(self, page: int = 0) -> None:
        """The settings dialog (``page`` 1: the holiday calendar)."""
        from firecase.ui.dialogs.settings_dialog import SettingsDialog

        if self.case_file is None:
            messages.show_error(self, CaseFileError("请先打开一个案卷文件。"))
            return
        dialog = SettingsDialog(self.case_file, self.worker, self, today=self.today)
        dialog.settings_saved.connect(self._on_settings_dialog_settings_saved)
        dialog.standards_changed.connect(self._on_settings_dialog_settings_saved)
        dialog.calendar_changed.connect(self._on_settings_dialog_calendar_changed)
        dialog.tabs.setCurrentIndex(page)
        self.settings_dialog = dialog
        dialog.open()

    def open_calendar(self) -> None:
        """The settings dialog at the holiday calendar."""
        self.open_settings(page=1)

    def open_standards(self) -> None:
        """The settings dialog at the fire grade standards (read-only unless 管理员)."""
        from firecase.ui.dialogs.settings_dialog import SettingsDialog

        self.open_settings(page=SettingsDialog.STANDARDS_PAGE)

    def _on_settings_dialog_settings_saved(self, *_args: object) -> None:
        self.refresh()

    def _on_settings_dialog_calendar_changed(self) -> None:
        """The calendar changed: 暂定 and firm dates move in the list, the board and every open
        case."""
        self.refresh()
        for ws in self.workspaces():
            reload = getattr(ws, "reload", None)
            if callable(reload):
                reload()

    def open_regulation_viewer(self, target: str | None = None) -> QWidget:
        """F1: the regulation viewer (at ``target``, e.g. "第五条第一项")."""
        from firecase.ui.dialogs.regulation_viewer import open_regulation

        return open_regulation(self, target)

    def open_log_folder(self) -> None:
        """Open the folder of the log files in the file manager."""
        from firecase.log import log_dir

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))

    def show_shortcuts(self) -> QWidget:
        """帮助 → 快捷键: every key the program defines (read from its actions and widgets)."""
        from firecase.ui.dialogs.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shortcuts_dialog = dialog
        dialog.finished.connect(self._on_shortcuts_dialog_finished)
        dialog.open()
        return dialog

    def _on_shortcuts_dialog_finished(self, _result: int) -> None:
        self.shortcuts_dialog = None

    def show_about(self) -> None:
        """The about box: version, what the program is for, the regulation it follows."""
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle("关于 FireCase")
        box.setIconPixmap(app_icon().pixmap(96, 96))
        box.setText(f"<h3>FireCase {__version__}</h3><p>火灾事故调查处理案件管理</p>")
        box.setInformativeText(
            "依据《天门市火灾事故调查处理办法》（天政办发〔2022〕40号）："
            "记录火灾、判定等级和纳入范围、组织调查组、管理法定期限、生成调查报告与评估报告。"
            "<br/><br/>界面字体：文泉驿微米黑；报告字体：AR PL UMing、文泉驿微米黑（随程序附带）。"
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

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
        for name in ("refresh", "find", "clear_filters", "verify"):
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
        self.busy_label.clear()

    def _on_busy_delay_timeout(self) -> None:
        self.busy_bar.setVisible(self.worker.busy)

    def _on_worker_job_started(self, label: str) -> None:
        if label:
            self.busy_label.setText(label)

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
        """On a case tab the clock board keeps at most a quarter of the window, the case the
        rest (a 720-pixel screen left the case a strip); back on the case list it gets the
        height it had there again. A board the officer made smaller stays so."""
        dock = self.clock_dock
        if not dock.isVisible() or dock.isFloating():
            return
        if self.tabs.currentIndex() > 0:
            room = max(dock.minimumSizeHint().height(), self.height() // 4)
            if dock.height() > room:
                self._list_dock_height = dock.height()
                self.resizeDocks([dock], [room], Qt.Orientation.Vertical)
        elif self._list_dock_height:
            self.resizeDocks([dock], [self._list_dock_height], Qt.Orientation.Vertical)
            self._list_dock_height = 0

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
