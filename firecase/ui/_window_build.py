"""The main window's actions, menus, toolbar and status bar (a part of ``MainWindow``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMenu,
    QProgressBar,
    QToolBar,
)

from firecase.ui.icons import icon


class BuildMixin:
    """Building the window's actions, menus, toolbar and status bar."""

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
            "quick_verify",
            "增量检查案卷",
            self.quick_verify_case_file,
            tip="只检查上次通过检查之后写入的审计记录和数据（快）；定期仍应做完整检查",
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
        file_menu.addAction(act["quick_verify"])
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
