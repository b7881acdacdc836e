"""The case workspace: one tab per part of the work on a case.

``CaseWorkspace`` owns the ``WorkspaceContext`` and the tabs, hands every new ``CaseDetail`` to
every tab, and guards typed input: switching away from a tab, closing the workspace, or the main
window asking before it closes, all go through ``ask_discard`` (save / discard / keep editing)
when a tab holds unsaved input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from firecase.ui import messages
from firecase.ui.icons import icon
from firecase.ui.keyboard import WORKSPACE_RECYCLE_BIN, WORKSPACE_UNDO
from firecase.ui.worker import Worker
from firecase.ui.workspace.context import WorkspaceContext
from firecase.ui.workspace.tabs.base import PageTabs, WorkspaceTab

if TYPE_CHECKING:
    from firecase.services.dto import CaseDetail
    from firecase.store import CaseFile


def tab_classes() -> list[type[WorkspaceTab]]:
    """The workspace's tabs, in the order of the work."""
    from firecase.ui.workspace.tabs.clocks import ClocksTab
    from firecase.ui.workspace.tabs.evaluation import EvaluationTab
    from firecase.ui.workspace.tabs.evidence import EvidenceTab
    from firecase.ui.workspace.tabs.overview import OverviewTab
    from firecase.ui.workspace.tabs.parties import PartiesTab
    from firecase.ui.workspace.tabs.publication import PublicationTab
    from firecase.ui.workspace.tabs.recommendations import RecommendationsTab
    from firecase.ui.workspace.tabs.recusal import RecusalTab
    from firecase.ui.workspace.tabs.reply import ReplyTab
    from firecase.ui.workspace.tabs.report import ReportTab
    from firecase.ui.workspace.tabs.team import TeamTab

    return [
        OverviewTab,
        TeamTab,
        RecusalTab,
        PartiesTab,
        EvidenceTab,
        ClocksTab,
        ReportTab,
        RecommendationsTab,
        ReplyTab,
        PublicationTab,
        EvaluationTab,
    ]


def window_today(widget: QObject | None) -> Callable[[], dt.date]:
    """The day the window computes clocks for (its ``today`` callable), else the system date."""
    node = widget
    while node is not None:
        found = getattr(node, "today", None)
        if callable(found):
            return found  # type: ignore[no-any-return]
        node = node.parent()
    return dt.date.today


class CaseWorkspace(QWidget):
    """One open case: a header and eleven tabs. Owned by the main window; GUI thread only.

    Service calls go through the window's ``Worker`` (``Worker.for_widget``).
    ``detail_loaded(CaseDetail)`` after each read; ``case_changed(case_id)`` after any save.
    """

    detail_loaded = Signal(object)
    case_changed = Signal(int)

    def __init__(
        self,
        case_file: CaseFile,
        case_id: int,
        parent: QWidget | None = None,
        *,
        worker: Worker | None = None,
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("caseWorkspace")
        self.setWindowTitle(f"案件 {case_id}")
        self.ctx = WorkspaceContext(case_file, case_id, worker or Worker.for_widget(parent), self)
        self.ctx.today = today or window_today(parent)
        self.ctx.error_parent = self
        # the case is read on the worker while the widgets are built (its answer is queued:
        # it arrives once this constructor has connected ``detail_loaded``)
        self.ctx.reload()
        self.header = QLabel("正在读取案件…", self)
        self.header.setObjectName("workspaceHeader")
        self.header.setStyleSheet("QLabel { font-size: 15px; padding: 4px 2px; }")
        self.header.setWordWrap(True)  # a long case title wraps instead of widening the window
        self.tabs = PageTabs(self)
        self.tabs.setObjectName("workspaceTabs")
        # a tab's page is built (and filled) when it is first shown or asked for (``tab``):
        # opening a case builds and fills the first only
        self._classes = tab_classes()
        self._built: list[WorkspaceTab | None] = [None] * len(self._classes)
        for cls in self._classes:
            self.tabs.add_placeholder(cls.title, f"tab_{cls.__name__}")
        self._build(0)
        self._current = 0
        self._switching = False
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.report_button = QPushButton(icon("print"), "生成报告", self)
        self.report_button.setObjectName("reportButton")
        self.report_button.setToolTip("预览、保存或打印本案件的报告（Ctrl+P）")
        self.report_button.clicked.connect(self._on_report_button_clicked)
        self.documents_button = self._documents_button()
        self.recycle_button = QPushButton("回收站", self)
        self.recycle_button.setObjectName("recycleButton")
        self.recycle_button.setToolTip(
            "本案删除的记录：可连同附件和关联一并恢复（Ctrl+Shift+Del；Ctrl+Z 撤销本页最近一次"
            "添加、编辑或删除）"
        )
        self.recycle_button.clicked.connect(self._on_recycle_button_clicked)
        for binding, slot in ((WORKSPACE_UNDO, self.undo), (WORKSPACE_RECYCLE_BIN, self.open_bin)):
            for keys in binding.sequences:
                shortcut = QShortcut(keys, self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)
        self.recycle_dialog: QWidget | None = None
        self.last_message = ""  # what Ctrl+Z said last (also in the status bar)
        header_row = QHBoxLayout()
        header_row.addWidget(self.header, 1)
        header_row.addWidget(self.recycle_button)
        header_row.addWidget(self.documents_button)
        header_row.addWidget(self.report_button)
        layout.addLayout(header_row)
        layout.addWidget(self.tabs, 1)
        self.ctx.detail_loaded.connect(self._on_ctx_detail_loaded)
        self.ctx.case_changed.connect(self.case_changed)

    @property
    def case_id(self) -> int:
        """The case shown."""
        return self.ctx.case_id

    @property
    def tab_pages(self) -> list[WorkspaceTab]:
        """The tabs built so far, in tab order (the others hold nothing yet)."""
        return [page for page in self._built if page is not None]

    def built_titles(self) -> list[str]:
        """The titles of the tabs whose pages are built."""
        return [cls.title for cls, page in zip(self._classes, self._built, strict=True) if page]

    def _build(self, index: int) -> WorkspaceTab:
        """Tab ``index``'s page, built (and filled with the latest read) if it was not yet."""
        page = self._built[index]
        if page is None:
            page = self._classes[index](self.ctx, self.tabs)
            self._built[index] = page
            self.tabs.set_page(index, page)
            if self.ctx.detail is not None:
                page.set_detail(self.ctx.detail)
        return page

    @property
    def detail(self) -> CaseDetail | None:
        """The latest read of the case."""
        return self.ctx.detail

    def print_report(self, kind: str = "investigation") -> None:
        """生成报告 / Ctrl+P: the (non-modal) report dialog of this case."""
        if self.detail is None:
            return
        from firecase.ui.dialogs.report_dialog import open_report_dialog

        open_report_dialog(
            self,
            self.ctx.case_file,
            self.detail.case.case_no,
            self.ctx.worker,
            kind=kind,
            today=self.ctx.today,
        )

    def _on_report_button_clicked(self) -> None:
        self.print_report()

    # -- Ctrl+Z and the 回收站 -----------------------------------------------------------------

    def _say(self, text: str) -> None:
        bar = getattr(self.window(), "statusBar", None)
        if callable(bar):
            bar().showMessage(text, 10000)
        self.last_message = text

    def undo(self) -> None:
        """Ctrl+Z: take back the current tab's last addition, edit or removal."""
        page = self.tabs.currentWidget()
        title = getattr(page, "title", "")
        step = self.ctx.undo.last_for(title)
        if step is None:
            self._say(f"{title}：没有可撤销的添加、编辑或删除。")
            return
        self.ctx.undo.discard(step)  # taken back once, whatever happens next

        def done(result: object) -> None:
            notes = tuple(getattr(result, "notes", ()) or ())
            self._say(f"已撤销：{step.text}。")
            self.ctx.changed()
            self.ctx.reload()
            if notes:  # a restore that could not put every link back says which
                messages.inform(self, "撤销", f"已撤销：{step.text}。\n" + "\n".join(notes))

        def failed(exc: BaseException) -> None:
            if getattr(exc, "declined", False):
                self.ctx.undo.push(step)  # no reason given: nothing changed, still undoable
                return
            messages.show_error(self, exc)
            self.ctx.reload()

        self.ctx.run(step.call, on_success=done, on_failure=failed, label=f"正在撤销{step.text}…")

    def open_bin(self) -> QWidget:
        """回收站 (Ctrl+Shift+Del): the case's removed records (one dialog per workspace)."""
        from firecase.ui.dialogs.recycle_bin import open_recycle_bin

        shown = self.recycle_dialog
        if shown is not None and shiboken6.isValid(shown) and shown.isVisible():
            shown.raise_()
            shown.activateWindow()
            return shown
        dialog = open_recycle_bin(self.ctx, self)
        dialog.destroyed.connect(self._on_recycle_dialog_destroyed)
        self.recycle_dialog = dialog
        return dialog

    def _on_recycle_dialog_destroyed(self, *_args: object) -> None:
        self.recycle_dialog = None

    def _on_recycle_button_clicked(self) -> None:
        self.open_bin()

    def _documents_button(self) -> QToolButton:
        """生成文书: a click opens the document the current tab belongs to (调查组 → 成立通知,
        回避 → 申请书/决定书, 期限 → 延期请示 …); the menu offers every kind."""
        from firecase.services.doc_kinds import DOCUMENT_KINDS

        button = QToolButton(self)
        button.setObjectName("documentsButton")
        button.setText("生成文书")
        button.setIcon(icon("print"))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        button.setToolTip("按案件信息起草程序文书，修改后保存为 Word 或 PDF 并登记到本案")
        menu = QMenu(button)
        for kind in DOCUMENT_KINDS:
            action = menu.addAction(f"{kind.label}（{kind.basis}）…")
            action.triggered.connect(lambda _=False, key=kind.key: self.open_documents(key))
        button.setMenu(menu)
        button.clicked.connect(self._on_documents_button_clicked)
        return button

    def open_documents(self, kind: str | None = None) -> QWidget | None:
        """生成文书: the (non-modal) document dialog of this case, on ``kind`` (default: the one
        the current tab belongs to)."""
        if self.detail is None:
            return None
        from firecase.ui.dialogs.document_dialog import kind_for_tab, open_document_dialog

        page = self.tabs.currentWidget()
        chosen = kind or kind_for_tab(getattr(page, "title", ""))
        return open_document_dialog(
            self,
            self.ctx.case_file,
            self.case_id,
            self.detail.case.case_no,
            self.ctx.worker,
            kind=chosen,
            today=self.ctx.today,
        )

    def _on_documents_button_clicked(self) -> None:
        self.open_documents()

    def tab(self, title: str) -> WorkspaceTab:
        """The tab titled ``title`` ("调查组"), built if it was not yet."""
        return self._build(next(i for i, c in enumerate(self._classes) if c.title == title))

    def show_tab(self, title: str) -> None:
        """Switch to tab ``title`` (asking first if the current tab has unsaved input)."""
        self.tabs.setCurrentWidget(self.tab(title))

    def reload(self) -> None:
        """Read the case again."""
        self.ctx.reload()

    def _on_ctx_detail_loaded(self, detail: CaseDetail) -> None:
        c = detail.case
        self.setWindowTitle(c.case_no)
        due = ""
        if c.next_due_on is not None:
            due = f"　下一期限：{c.next_due_label} {c.next_due_on.isoformat()}"
        # the grade once: a title that already names it ("……较大火灾") is not followed by it
        grade = f"　{c.grade}火灾" if c.grade and f"{c.grade}火灾" not in c.title else ""
        alert = ""
        if detail.escalation is not None:
            alert = '　<span style="color:#b00020"><b>应报请上级人民政府（第四条）</b></span>'
        elif c.taken_over_on is not None:
            alert = f"　{escape(c.taken_over_by or '')}提级调查"
        elif detail.duties is not None and not detail.duties.applies:
            alert = "　本办法期限不适用"
        self.header.setText(
            f"<b>{escape(c.case_no)}</b>　{escape(c.title)}{grade}　阶段：{c.stage}"
            f"{escape(due)}{alert}"
        )
        self.header.setToolTip(detail.escalation.message if detail.escalation else "")
        for page in self.tab_pages:
            page.set_detail(detail)
        self.detail_loaded.emit(detail)

    # -- unsaved input -----------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        """Whether any tab holds typed input that is not saved."""
        return any(p.has_unsaved_changes() for p in self.tab_pages)

    def save(self, then: Callable[[bool], None] | None = None) -> bool | None:
        """Save every tab's unsaved input (Ctrl+S).

        With ``then`` the saves run in the background and ``then(ok)`` is called at the end.
        Without it (the main window asking before a tab closes) this waits, keeping the window
        responsive, and returns whether everything was saved.
        """
        dirty = [p for p in self.tab_pages if p.has_unsaved_changes()]
        result: list[bool] = []
        loop = QEventLoop() if then is None else None

        def finish(ok: bool) -> None:
            result.append(ok)
            if then is not None:
                then(ok)
            elif loop is not None:
                loop.quit()

        def step(index: int, ok: bool) -> None:
            if not ok or index == len(dirty):
                finish(ok)
                return
            dirty[index].save(lambda good: step(index + 1, good))

        step(0, True)
        if loop is not None:
            if not result:
                loop.exec()
            return result[0]
        return None

    def discard_changes(self) -> None:
        """Drop every tab's typed input."""
        for page in self.tab_pages:
            page.discard_changes()

    def _on_tabs_current_changed(self, index: int) -> None:
        if 0 <= index < len(self._built):
            self._build(index)  # first shown: built and filled now
        if self._switching:
            return
        previous = self._built[self._current] if self._current < len(self._built) else None
        self._current = index
        if previous is None or not previous.has_unsaved_changes():
            return
        answer = messages.ask_discard(self, f"{previous.title}：{previous.unsaved_what()}")
        if answer is messages.DiscardAnswer.CANCEL:
            self._go_back_to(previous)
        elif answer is messages.DiscardAnswer.DISCARD:
            previous.discard_changes()
        else:

            def saved(ok: bool) -> None:
                if not ok:
                    self._go_back_to(previous)

            previous.save(saved)

    def _go_back_to(self, page: WorkspaceTab) -> None:
        self._switching = True
        try:
            self.tabs.setCurrentWidget(page)
            self._current = self.tabs.currentIndex()
        finally:
            self._switching = False

    def confirm_close(self, then: Callable[[bool], None]) -> None:
        """Ask before closing with unsaved input; ``then(True)`` when the workspace may close."""
        if not self.has_unsaved_changes():
            then(True)
            return
        what = "、".join(
            f"{p.title}：{p.unsaved_what()}" for p in self.tab_pages if p.has_unsaved_changes()
        )
        answer = messages.ask_discard(self, what)
        if answer is messages.DiscardAnswer.CANCEL:
            then(False)
        elif answer is messages.DiscardAnswer.DISCARD:
            self.discard_changes()
            then(True)
        else:
            self.save(then)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the workspace window asks first when input is unsaved."""
        if not self.has_unsaved_changes():
            event.accept()
            return
        event.ignore()

        def decided(ok: bool) -> None:
            if ok and not self.has_unsaved_changes():
                self.close()

        self.confirm_close(decided)
